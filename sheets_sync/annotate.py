"""Write a check's findings back into the club's own workbook.

Notes and highlights on the problem cells (and our old ones removed), the
Kiểm tra tab listing every problem, the Báo cáo tháng tab with the month's
figures.  Nothing is written when nothing changed.
"""

from __future__ import annotations

from .club import Club
from .metrics import Month
from .report import month_report
from .writeback import CHECK_TAB, REPORT_TAB, cell_changes, cell_marks, check_tab_rows, report_tab_rows

__all__ = ["annotate", "planned_writes"]


def planned_writes(club: Club, month: Month, lang: str = "vi") -> tuple[list, dict[str, list[list]]]:
    """(cell changes, owned tab rows) that would bring the workbook up to date."""
    changes = cell_changes(club.raw, cell_marks(club.report.problems))
    owned = {
        CHECK_TAB: check_tab_rows(club.report, lang),
        REPORT_TAB: report_tab_rows(month_report(club, month, trend=False), lang),
    }
    return changes, owned


def annotate(club: Club, month: Month, lang: str = "vi") -> bool:
    """Write notes, highlights and the owned tabs; True when something was written."""
    if club.source is None:
        raise ValueError("annotate needs a club opened from a source (open_club)")
    changes, owned = planned_writes(club, month, lang)
    return club.source.write_back(club.raw, changes, owned)
