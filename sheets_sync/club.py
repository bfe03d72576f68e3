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
from .sources import open_source
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

    @property
    def name(self) -> str:
        return self.workbook.club_name

    @property
    def error_rows(self) -> set[tuple[str, int]]:
        """(tab id, row) of rows left out of the figures for an error."""
        return self.report.error_rows()


def check_workbook(raw: RawWorkbook, rules: RuleSet, today: dt.date, lang: str = "vi") -> Club:
    """Read and check a workbook a source has already fetched."""
    workbook = read_workbook(raw, rules, lang)
    return Club(raw, workbook, validate(workbook, rules, today, lang), rules)


def open_club(location: str | Path, *, today: dt.date, rules: RuleSet | None = None, rules_dir: str | Path | None = None, lang: str = "vi") -> Club:
    """Read the workbook at ``location`` and check it against the rules.

    Raises :class:`~sheets_sync.errors.SourceError` when the workbook cannot be
    used at all; every problem in its data is in ``club.report``.
    """
    rules = rules or load_rules(rules_dir)
    return check_workbook(open_source(location), rules, today, lang)
