"""The ``sheets-sync`` command: a thin layer that parses, calls the library, prints.

Each module registers its commands on the one group: ``workbook_commands``
(check, init-sheet, demo, loan-schedule), ``report_commands`` (report,
digest), ``job_commands`` (nightly, monthly, run, doctor).
"""

from __future__ import annotations

from . import job_commands, report_commands, workbook_commands  # noqa: F401  (they register the commands)
from ._common import cli

__all__ = ["main", "cli"]


def main() -> None:
    """Entry point of the ``sheets-sync`` console script."""
    cli(prog_name="sheets-sync")
