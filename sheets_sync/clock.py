"""Today's date, the one place the library reads the clock.

The clock is Asia/Ho_Chi_Minh; ``SHEETS_SYNC_TODAY=YYYY-MM-DD`` overrides it
(tests, re-running a past night).  Only the CLI and the jobs call this; every
other function takes the date as an argument.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from .errors import ConfigError

__all__ = ["TIMEZONE", "today", "now"]

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """The current time in Vietnam."""
    return dt.datetime.now(TIMEZONE)


def today() -> dt.date:
    """Today in Vietnam, or ``SHEETS_SYNC_TODAY`` when set."""
    override = os.environ.get("SHEETS_SYNC_TODAY", "").strip()
    if override:
        try:
            return dt.date.fromisoformat(override)
        except ValueError:
            raise ConfigError("bad-today", value=override) from None
    return now().date()
