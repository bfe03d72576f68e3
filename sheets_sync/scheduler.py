"""``sheets-sync run``: the nightly and monthly jobs on time, in the clubs' time zone.

A :class:`Runner` owns a private ``schedule.Scheduler`` (never the module-level
default) with two daily jobs, placed with schedule's ``.at(time, tz)`` (pytz),
so they follow :attr:`Timetable.timezone` whatever the machine's ``TZ`` is:

- nightly at ``nightly_at``, for today;
- monthly at ``monthly_at``: schedule has no monthly unit, so it fires every day
  and acts only on ``monthly_day`` (1-28, a day every month has), reporting the
  previous month, and only if that month's report has not succeeded already.

schedule keeps nothing across restarts and does not replay missed runs, so
:meth:`Runner.catch_up` (run at start) compares the state file with the last
run that was due and runs each missed job once, not once per missed night
(the monthly one for the last month due only: older ones are for
``sheets-sync monthly --month``).  A night caught up just before ``nightly_at``
runs again on time; the second finds no new problem to mail.

Every run is wrapped: an exception is logged with its traceback and recorded as
a failed run, and the loop goes on.  :class:`~sheets_sync.errors.JobLocked` (the
same job running in another process; the jobs take :func:`~sheets_sync.locks.job_lock`
themselves) is logged as skipped and recorded nowhere: it is no failure.

The scheduler's rows in the state file (``runs`` table), club ``"*"``; the jobs
write their own beside them (the job's run with club NULL, one per club)::

    job "nightly"          one per nightly run; reason = the night ("2026-12-01") or the error
    job "monthly"          one per monthly run; reason = the month ("2026-11") or the error
    job "monthly:2026-11"  written once November's report is done: what catch-up reads

A run is ok when the job returned with exit status 0 (``RunSummary.exit_code``:
every club done), so a month where a club failed is tried again at the next
start.  A row is written when its run ends, so started_at is the end time too.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytz
import schedule

from .errors import JobLocked
from .metrics import Month
from .state import State

__all__ = ["Timetable", "Runner", "NIGHTLY", "MONTHLY", "ALL_CLUBS", "month_done_job"]

NIGHTLY = "nightly"
MONTHLY = "monthly"
ALL_CLUBS = "*"
LOGGER = logging.getLogger("sheets_sync.scheduler")

_HH_MM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_REASON_MAX = 500  # a reason is a line for `doctor`, not a log


def month_done_job(month: Month) -> str:
    """The job name of the row that marks ``month``'s report as done: "monthly:2026-11"."""
    return f"{MONTHLY}:{month}"


@dataclass(frozen=True)
class Timetable:
    """When the jobs run: times "HH:MM" in ``timezone``; ValueError naming any bad value."""

    nightly_at: str = "02:00"
    monthly_at: str = "07:00"
    monthly_day: int = 1
    timezone: str = "Asia/Ho_Chi_Minh"

    def __post_init__(self) -> None:
        for name in ("nightly_at", "monthly_at"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _HH_MM.fullmatch(value):
                raise ValueError(f'{name} must be a time written "HH:MM" (e.g. "02:00"), not {value!r}')
        day = self.monthly_day
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
            # 29-31 would skip the months that lack that day.
            raise ValueError(f"monthly_day must be a day from 1 to 28, not {day!r}")
        try:
            ZoneInfo(self.timezone)
            pytz.timezone(self.timezone)  # schedule's .at(time, tz) reads pytz's copy of the zones
        except (ZoneInfoNotFoundError, pytz.UnknownTimeZoneError, ValueError, TypeError):
            raise ValueError(f'timezone must be a time zone name such as "Asia/Ho_Chi_Minh", not {self.timezone!r}') from None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def moment(self, day: dt.date, hh_mm: str) -> dt.datetime:
        """``hh_mm`` on ``day`` in the time zone, as an aware datetime."""
        hour, minute = map(int, hh_mm.split(":"))
        return dt.datetime.combine(day, dt.time(hour, minute), self.zone)

    def nightly_due(self, now: dt.datetime) -> dt.datetime:
        """When the last nightly run was due, at or before ``now``."""
        today = now.astimezone(self.zone).date()
        due = self.moment(today, self.nightly_at)
        return due if now >= due else self.moment(today - dt.timedelta(days=1), self.nightly_at)

    def report_due(self, month: Month) -> dt.datetime:
        """When ``month``'s report is due: monthly_day of the next month, at monthly_at."""
        return self.moment(month.next().first_day.replace(day=self.monthly_day), self.monthly_at)

    def monthly_due(self, now: dt.datetime) -> Month:
        """The month whose report was due last, at or before ``now``."""
        last = Month.of(now.astimezone(self.zone).date()).previous()
        return last if now >= self.report_due(last) else last.previous()


class Runner:
    """Owns a private schedule.Scheduler; fires nightly every day at nightly_at and monthly on monthly_day at monthly_at, in timezone.

    ``nightly(today)`` and ``monthly(month, today)`` do the work; a result with
    ``exit_code`` 1 (a club failed) is recorded as a failed run.  Without a
    ``state`` nothing is recorded and :meth:`catch_up` has nothing to go by.
    """

    def __init__(
        self,
        timetable: Timetable,
        *,
        nightly: Callable[[dt.date], object],
        monthly: Callable[[Month, dt.date], object],
        state: State | None = None,
        now: Callable[[], dt.datetime] | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self.timetable = timetable
        self._nightly = nightly
        self._monthly = monthly
        self._state = state
        self._now = now or (lambda: dt.datetime.now(timetable.zone))
        self._log = logger or LOGGER
        self._months_done: set[Month] = set()  # this process's memory, for when there is no state file
        self.scheduler = schedule.Scheduler()
        zone = timetable.timezone
        self.scheduler.every().day.at(timetable.nightly_at, zone).do(self._guarded, NIGHTLY, self._on_time_nightly).tag(NIGHTLY)
        self.scheduler.every().day.at(timetable.monthly_at, zone).do(self._guarded, MONTHLY, self._on_time_monthly).tag(MONTHLY)

    def __repr__(self) -> str:
        return f"Runner({self.timetable!r})"

    # --- what callers use -------------------------------------------------------

    def catch_up(self) -> list[str]:
        """Run once each job whose last due run has not succeeded (the machine was off); returns the names started."""
        if self._state is None:
            self._log.warning("no state file: cannot tell what was missed, nothing caught up")
            return []
        ran: list[str] = []
        self._guarded(NIGHTLY, lambda: self._catch_up_nightly(ran))
        self._guarded(MONTHLY, lambda: self._catch_up_monthly(ran))
        return ran

    def tick(self) -> None:
        """Run the jobs that are due; each is wrapped, so nothing a job raises stops the loop."""
        self.scheduler.run_pending()

    def next_runs(self) -> dict[str, dt.datetime]:
        """Job name -> when schedule fires it next, in the time zone (the monthly one fires daily)."""
        # schedule keeps next_run naive, in the machine's local time.
        return {next(iter(job.tags)): job.next_run.astimezone(self.timetable.zone) for job in self.scheduler.jobs}

    def run_forever(self, *, sleep: Callable[[float], object] = time.sleep, stop: threading.Event | None = None, poll_seconds: float = 30) -> None:
        """Catch up, then tick every ``poll_seconds`` (less when a job is due sooner) until ``stop`` is set."""
        stop = stop or threading.Event()
        self.catch_up()
        coming = self.timetable.monthly_due(self._now()).next()
        self._log.info("nightly: next run at %s", self.next_runs()[NIGHTLY].isoformat(timespec="minutes"))
        self._log.info("monthly: the %s report at %s", coming, self.timetable.report_due(coming).isoformat(timespec="minutes"))
        while not stop.is_set():
            self.tick()
            if stop.is_set():
                break
            idle = self.scheduler.idle_seconds
            # Waking at the due second keeps runs on time; the floor avoids spinning on a clock step.
            sleep(poll_seconds if idle is None else max(0.5, min(poll_seconds, idle)))
        self._log.info("stopped")

    # --- the jobs ---------------------------------------------------------------

    def _today(self) -> dt.date:
        return self._now().astimezone(self.timetable.zone).date()

    def _on_time_nightly(self) -> None:
        today = self._today()
        self._run(NIGHTLY, str(today), lambda: self._nightly(today))

    def _on_time_monthly(self) -> None:
        today = self._today()
        if today.day != self.timetable.monthly_day:
            return  # fires daily (no monthly unit in schedule); the report is due on one day
        month = Month.of(today).previous()
        if self._month_done(month):
            # Restarted after this morning's run: schedule forgot it, the state did not.
            self._log.info("monthly %s: already done, not run again", month)
            return
        self._run_monthly(month, today)

    def _catch_up_nightly(self, ran: list[str]) -> None:
        now = self._now()
        due = self.timetable.nightly_due(now)
        # The job's own row (club NULL) counts too: a night run by hand or by cron is not run again.
        done = [t for t in (self._state.last_success(NIGHTLY, ALL_CLUBS), self._state.last_success(NIGHTLY)) if t]
        if done and max(done) >= due:
            return
        today = now.astimezone(self.timetable.zone).date()
        self._log.info("nightly: the run due %s was missed, running it now", due.isoformat(timespec="minutes"))
        ran.append(NIGHTLY)
        self._run(NIGHTLY, str(today), lambda: self._nightly(today))

    def _catch_up_monthly(self, ran: list[str]) -> None:
        now = self._now()
        month = self.timetable.monthly_due(now)
        if self._month_done(month):
            return
        self._log.info("monthly %s: the report was missed, running it now", month)
        ran.append(MONTHLY)
        self._run_monthly(month, now.astimezone(self.timetable.zone).date())

    def _run_monthly(self, month: Month, today: dt.date) -> None:
        if self._run(MONTHLY, str(month), lambda: self._monthly(month, today)):
            self._months_done.add(month)
            self._record(month_done_job(month), True, str(month))

    def _month_done(self, month: Month) -> bool:
        if month in self._months_done:
            return True
        return self._state is not None and self._state.last_success(month_done_job(month), ALL_CLUBS) is not None

    # --- wrapping ---------------------------------------------------------------

    def _run(self, job: str, period: str, call: Callable[[], object]) -> bool:
        """Run one job for ``period``, log and record how it ended; True when it succeeded."""
        self._log.info("%s %s: started", job, period)
        try:
            result = call()
        except JobLocked as err:
            # Another process is doing this very job: nothing failed, nothing to record.
            self._log.warning("%s %s: skipped: already running (%s)", job, period, err.message("en"))
            return False
        except Exception as err:
            self._log.exception("%s %s: failed", job, period)
            self._record(job, False, f"{period}: {type(err).__name__}: {err}")
            return False
        ok = getattr(result, "exit_code", 0) == 0
        if ok:
            self._log.info("%s %s: done", job, period)
        else:
            self._log.error("%s %s: done, but a club failed (see its run)", job, period)
        self._record(job, ok, period if ok else f"{period}: a club failed")
        return ok

    def _guarded(self, job: str, call: Callable[[], object]) -> None:
        """Call ``call``; log whatever it raises, so run_pending and the loop go on."""
        # schedule reschedules a job only after it returns: one that raises would
        # stay due and fire again on every tick.
        try:
            call()
        except Exception:
            self._log.exception("%s: unexpected error", job)

    def _record(self, job: str, ok: bool, reason: str) -> None:
        if self._state is None:
            return
        try:
            self._state.finish_run(self._state.start_run(job, ALL_CLUBS), ok, reason[:_REASON_MAX])
        except Exception:  # StateError: the run happened, the loop must go on
            self._log.exception("%s: could not record the run in %s", job, self._state.path)
