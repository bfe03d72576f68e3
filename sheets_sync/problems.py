"""A problem found in a sheet, and the report that collects them.

A bad cell is data, not an exception: every check produces :class:`Problem`
records and :class:`ValidationReport` gathers them for the CLI, the
write-back and the emails.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Iterable

__all__ = ["Severity", "Problem", "ValidationReport"]


class Severity(str, enum.Enum):
    """An error keeps the row out of the figures; a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one cell (or one row or tab when ``cell`` is the header).

    ``tab`` and ``column`` are the names as they appear in the file, ``row``
    the sheet's own row number (header = 1), ``cell`` the A1 address,
    ``value`` the value as the user sees it, ``rule`` the stable rule id from
    ``rules/``, ``message`` already rendered in the report's language.
    """

    tab: str
    row: int
    column: str
    cell: str
    value: str
    rule: str
    severity: Severity
    message: str
    tab_id: str = ""
    column_id: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, object]:
        """The public JSON shape of a problem (``check --json``)."""
        d = asdict(self)
        d["severity"] = self.severity.value
        del d["tab_id"], d["column_id"]
        return d


@dataclass
class ValidationReport:
    """Every problem found in one workbook, in sheet order."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    rows_checked: int = 0
    lang: str = "vi"
    #: Tab names in the order the file has them, so output follows the file.
    tab_order: list[str] = field(default_factory=list)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def sorted(self) -> list[Problem]:
        """Problems ordered by tab (in the given order), then row, then column."""
        tab_order = {tab: i for i, tab in enumerate(dict.fromkeys([*self.tab_order, *(p.tab for p in self.problems)]))}
        return sorted(self.problems, key=lambda p: (tab_order[p.tab], p.row, _column_key(p.cell)))

    def error_rows(self) -> set[tuple[str, int]]:
        """(tab id, row) of every row that has at least one error."""
        return {(p.tab_id, p.row) for p in self.problems if p.is_error}

    def rows(self, *fields: str) -> list[tuple]:
        """Compact tuples for tests: ``report.rows("cell", "rule")``."""
        return [tuple(getattr(p, f) for f in fields) for p in self.sorted()]

    def summary(self) -> dict[str, object]:
        by_tab = Counter(p.tab for p in self.problems)
        by_rule = Counter(p.rule for p in self.problems)
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "rows_checked": self.rows_checked,
            "by_tab": dict(by_tab),
            "by_rule": dict(sorted(by_rule.items())),
        }

    def to_json(self) -> dict[str, object]:
        """``{"issues": [...], "summary": {...}}`` as ``check --json`` prints it."""
        return {"issues": [p.to_dict() for p in self.sorted()], "summary": self.summary()}


def _column_key(cell: str) -> tuple[int, str]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    return (len(letters), letters)
