"""One club's workbook, read and checked: the library's front door.

>>> club = open_club("club.xlsx", today=date(2026, 11, 1))   # doctest: +SKIP
>>> club.report.ok, len(club.report.problems)                 # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .grid import RawWorkbook
from .problems import ValidationReport
from .rules import RuleSet, load_rules
from .sources import Source, open_source
from .validate import validate
from .workbook import Workbook, read_workbook

__all__ = ["Club", "open_club", "check_workbook"]


@dataclass
class Club:
    """A club's workbook as read, the rules used, and what checking found."""

    raw: RawWorkbook
    workbook: Workbook
    report: ValidationReport
    rules: RuleSet
    #: Where the workbook came from, to write back to (None when given raw data).
    source: Source | None = None

    @property
    def name(self) -> str:
        return self.workbook.club_name

    @property
    def error_rows(self) -> set[tuple[str, int]]:
        """(tab id, row) of rows left out of the figures for an error."""
        return self.report.error_rows()


def check_workbook(raw: RawWorkbook, rules: RuleSet, today: dt.date, lang: str = "vi", source: Source | None = None) -> Club:
    """Read and check a workbook a source has already fetched."""
    workbook = read_workbook(raw, rules, lang)
    return Club(raw, workbook, validate(workbook, rules, today, lang), rules, source)


def open_club(
    location: str | Path | Source,
    *,
    today: dt.date,
    rules: RuleSet | None = None,
    rules_dir: str | Path | None = None,
    lang: str = "vi",
    credentials: str | Path | None = None,
) -> Club:
    """Read the workbook at ``location`` (an .xlsx path, a Google Sheets URL or key, or a source) and check it.

    Raises :class:`~sheets_sync.errors.SourceError` when the workbook cannot be
    used at all; every problem in its data is in ``club.report``.
    """
    rules = rules or load_rules(rules_dir)
    source = location if hasattr(location, "read") else open_source(location, credentials=credentials, lang=lang)
    return check_workbook(source.read(), rules, today, lang, source)
