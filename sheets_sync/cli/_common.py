"""What every command shares: the group, common options, the error handler.

Exit status: 0 done and no errors found, 1 errors found in the data (or a
club failed in a job), 2 the job could not be done (a
:class:`~sheets_sync.errors.SheetsSyncError`, shown as one line with no
traceback).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from pathlib import Path
from typing import Callable

import click

from .. import i18n
from ..errors import SheetsSyncError, UsageError
from ..metrics import Month

LANG = click.option("--lang", type=click.Choice(i18n.LANGUAGES), default="vi", show_default=True, help="Language of messages: vi (Tiếng Việt) or en.")
CREDENTIALS = click.option("--credentials", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Google service-account key file (JSON), for a Google Sheet; or set SHEETS_SYNC_CREDENTIALS.")
RULES = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Your organisation's rules folder (overrides the built-in rules/ file by file).")


def handle_errors(command: Callable) -> Callable:
    """Turn a SheetsSyncError into one line on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang") or "vi"  # None: the jobs' --lang, not yet read from the config
        try:
            return command(*args, **kwargs)
        except SheetsSyncError as err:
            click.echo(("Lỗi: " if lang == "vi" else "Error: ") + err.message(lang), err=True)
            sys.exit(err.exit_code)
        except Exception as err:  # a bug, not a user's mistake: say so briefly
            if os.environ.get("SHEETS_SYNC_DEBUG"):
                traceback.print_exc()
            hint = "chạy lại với SHEETS_SYNC_DEBUG=1 để xem chi tiết" if lang == "vi" else "run again with SHEETS_SYNC_DEBUG=1 for details"
            click.echo(f"{'Lỗi không mong đợi' if lang == 'vi' else 'Unexpected error'}: {type(err).__name__}: {err} ({hint})", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sheets-sync")
def cli() -> None:
    """sheets-sync: checks, figures and reports for self-help clubs' workbooks.

    Example: sheets-sync demo
    """


CONFIG = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Config file with [smtp] and [state] (default: $SHEETS_SYNC_CONFIG, else ./sheets-sync.toml).")
SEND = click.option("--send", is_flag=True, help="E-mail it to the club (Email Chủ nhiệm and Email nhận thêm in Cài đặt), once per recipient; needs [smtp] in the config file.")
OUTBOX = click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR", help="Write the e-mails as .eml files in DIR instead of sending them (a preview: every time, nothing recorded as sent).")
EMAIL_LANG = click.option("--email-lang", type=click.Choice(i18n.LANGUAGES), default=None, help="Language of the e-mail (default: the club's Ngôn ngữ báo cáo setting).")
TO = click.option("--to", multiple=True, metavar="EMAIL", help="Send to EMAIL instead of the club's addresses (repeat for several).")
JOB_LANG = click.option("--lang", type=click.Choice(i18n.LANGUAGES), default=None, help="Language of messages: vi or en (default: [run] language in the config file).")
JOB_OUTBOX = click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR", help="Write the e-mails as .eml files in DIR instead of sending them (a preview: nothing is recorded as sent or seen).")


def parse_month(text: str) -> "Month":
    """ "2026-10" → Month, or a UsageError naming the value."""
    try:
        return Month.parse(text)
    except ValueError:
        raise UsageError("bad-month", value=text) from None
