"""What stops a run: one exception tree, each class carrying its exit code.

A bad cell is never an exception (it is a :class:`~sheets_sync.problems.Problem`).
These exceptions mean "the job could not be done": a file that is missing, a
tab that is not there, a rules file with a typo.  Every message is written for
the person at the keyboard, in Vietnamese or English, and names the value at
fault and what to do about it::

    SheetsSyncError                 exit 2: could not run
    ├── UsageError                  a command-line option that cannot be used
    ├── ConfigError                 rules/, templates/, config files
    ├── SourceError                 the workbook or sheet itself
    │   ├── SourceNotFound          no such file / sheet
    │   ├── SourceUnreadable        not a workbook, damaged, locked
    │   ├── SourceUnavailable       Google would not give the sheet (sharing, quota)
    │   ├── SourceExists            refusing to overwrite a file
    │   ├── SourceLocked            open in Excel/LibreOffice: not written
    │   ├── SourceChanged           changed since it was read: not written
    │   └── TabNotFound             a required tab is missing
    ├── MailError                   the mail server refused or is unreachable
    ├── StateError                  the SQLite state file cannot be opened or written
    └── JobLocked                   the same job is already running in another process

The CLI reads ``exit_code`` in one place (``cli.py``); a clean check exits 0 and
a check that found errors exits 1, neither of which is an exception.
"""

from __future__ import annotations

from . import i18n

__all__ = [
    "SheetsSyncError",
    "ConfigError",
    "UsageError",
    "SourceError",
    "SourceNotFound",
    "SourceUnreadable",
    "SourceExists",
    "SourceUnavailable",
    "SourceLocked",
    "SourceChanged",
    "TabNotFound",
    "MailError",
    "StateError",
    "JobLocked",
]


class SheetsSyncError(Exception):
    """Root of every error sheets-sync raises on purpose.

    ``code`` names a message in :mod:`sheets_sync.i18n`; ``params`` fill it.
    ``str(error)`` is the Vietnamese message; :meth:`message` takes a language.
    """

    exit_code = 2
    code = "error"

    def __init__(self, code: str | None = None, /, **params: object) -> None:
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(self.message("vi"))

    def message(self, lang: str = "vi") -> str:
        """The message in ``lang`` ("vi" or "en"), all placeholders filled."""
        return i18n.t(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message("vi")


class UsageError(SheetsSyncError):
    """A command-line option with a value that cannot be used."""

    code = "bad-option"


class ConfigError(SheetsSyncError):
    """A rules, template or configuration file is wrong."""

    code = "config-error"


class SourceError(SheetsSyncError):
    """The workbook or sheet cannot be used."""

    code = "source-error"


class SourceNotFound(SourceError):
    code = "source-not-found"


class SourceUnreadable(SourceError):
    code = "source-unreadable"


class SourceUnavailable(SourceError):
    """Google would not give the sheet: not shared, not found, or failing after retries."""

    code = "source-unavailable"


class SourceExists(SourceError):
    """Refusing to overwrite a file that is already there."""

    code = "source-exists"


class SourceLocked(SourceError):
    """The file is open in Excel or LibreOffice: writing now would lose someone's work."""

    code = "source-locked"


class SourceChanged(SourceError):
    """The file changed between reading and writing back."""

    code = "source-changed"


class TabNotFound(SourceError):
    code = "tab-not-found"


class MailError(SheetsSyncError):
    code = "mail-error"


class StateError(SheetsSyncError):
    """The state file (what was sent, what was seen) cannot be opened or written."""

    code = "state-error"


class JobLocked(SheetsSyncError):
    """Another process is running the same job right now."""

    code = "job-locked"
