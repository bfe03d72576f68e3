"""sheets-sync: checks, monthly figures and reports for Vietnamese self-help clubs.

The library under the ``sheets-sync`` command.  Read a club's workbook, check
it, and look at what was found::

    from datetime import date
    import sheets_sync

    club = sheets_sync.open_club("clb.xlsx", today=date(2026, 11, 1))
    for problem in club.report.problems:
        print(problem.tab, problem.row, problem.column, problem.message)
"""

from .club import Club, check_workbook, open_club
from .errors import (
    ConfigError,
    JobLocked,
    MailError,
    SheetsSyncError,
    SourceChanged,
    SourceError,
    SourceExists,
    SourceLocked,
    SourceNotFound,
    SourceUnavailable,
    SourceUnreadable,
    StateError,
    TabNotFound,
    UsageError,
)
from .problems import Problem, Severity, ValidationReport
from .rules import RuleSet, load_rules

__all__ = [
    "Club",
    "ConfigError",
    "JobLocked",
    "MailError",
    "Problem",
    "RuleSet",
    "Severity",
    "SheetsSyncError",
    "SourceChanged",
    "SourceError",
    "SourceExists",
    "SourceLocked",
    "SourceNotFound",
    "SourceUnavailable",
    "SourceUnreadable",
    "StateError",
    "TabNotFound",
    "UsageError",
    "ValidationReport",
    "check_workbook",
    "load_rules",
    "open_club",
]
