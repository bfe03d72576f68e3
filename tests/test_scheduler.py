"""`sheets-sync run`: jobs fire on time in Vietnam time, once each, and missed runs are caught up.

The real schedule package, a real SQLite state file in tmp_path and time-machine
for the clock; the machine's TZ is set to UTC so Vietnam time (UTC+7) has to come
from the scheduler.  The jobs are stand-ins that record their calls: what is
judged here is the scheduler's behaviour; the jobs have tests of their own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sheets_sync.errors import SourceUnavailable
from sheets_sync.locks import job_lock
from sheets_sync.metrics import Month
from sheets_sync.scheduler import Runner, Timetable, month_done_job
from sheets_sync.state import State

VN = ZoneInfo("Asia/Ho_Chi_Minh")
M = Month.parse
STEP = dt.timedelta(minutes=10)


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def utc(moment: dt.datetime) -> dt.datetime:
    # Given a ZoneInfo time, time-machine would also set TZ: hand it UTC instead.
    return moment.astimezone(dt.timezone.utc)


@pytest.fixture(autouse=True)
def machine_in_utc(monkeypatch):
    """The machine's time zone is UTC, as on most servers."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def state(tmp_path):
    with State(tmp_path / "state.sqlite") as opened:
        yield opened


class Jobs:
    """Stand-in jobs: each call is recorded with the Vietnam time it was made at."""

    def __init__(self, state_path=None, fail: dict[str, BaseException] | None = None):
        self.calls: list[tuple] = []
        self.state_path = state_path
        self.fail = fail or {}

    def nightly(self, today: dt.date):
        self.calls.append(("nightly", today, dt.datetime.now(VN)))
        self._maybe_fail("nightly")

    def monthly(self, month: Month, today: dt.date):
        self.calls.append(("monthly", str(month), today, dt.datetime.now(VN)))
        self._maybe_fail("monthly")

    def _maybe_fail(self, job: str) -> None:
        if self.state_path is not None:  # the real jobs take their lock like this
            with job_lock(self.state_path, job):
                pass
        if job in self.fail:
            raise self.fail[job]

    def runner(self, timetable: Timetable = Timetable(), state: State | None = None) -> Runner:
        return Runner(timetable, nightly=self.nightly, monthly=self.monthly, state=state)


def walk(traveller, runner: Runner, start: dt.datetime, end: dt.datetime, step: dt.timedelta = STEP) -> None:
    """Move the clock from ``start`` to ``end`` in steps, ticking at each."""
    moment = start
    while moment < end:
        moment = min(moment + step, end)
        traveller.move_to(utc(moment))
        runner.tick()


def runs(state: State) -> list[tuple]:
    """(job, club, ok, reason) of every run recorded, oldest first."""
    with contextlib.closing(sqlite3.connect(state.path)) as db:
        return db.execute("SELECT job, club, ok, reason FROM runs ORDER BY id").fetchall()


def mark_done(state: State, month: str) -> None:
    """The row the runner writes when a month's report succeeded."""
    state.finish_run(state.start_run(month_done_job(M(month)), "*"), True, month)


# --- on time --------------------------------------------------------------------

@pytest.mark.parametrize(
    "timetable, start, end, nights, months",
    [
        (Timetable(), vn(2026, 11, 14, 23), vn(2026, 11, 15, 8), ["2026-11-15"], []),
        (Timetable(), vn(2026, 11, 30, 23), vn(2026, 12, 1, 8), ["2026-12-01"], [("2026-11", "2026-12-01")]),
        (Timetable(), vn(2026, 12, 31, 23), vn(2027, 1, 1, 8), ["2027-01-01"], [("2026-12", "2027-01-01")]),
        (Timetable(), vn(2028, 2, 28, 23), vn(2028, 3, 1, 8), ["2028-02-29", "2028-03-01"], [("2028-02", "2028-03-01")]),
        (Timetable(monthly_day=5), vn(2026, 11, 30, 23), vn(2026, 12, 1, 8), ["2026-12-01"], []),
        (Timetable(monthly_day=5), vn(2026, 12, 4, 23), vn(2026, 12, 5, 8), ["2026-12-05"], [("2026-11", "2026-12-05")]),
        (Timetable("23:30", "00:15"), vn(2026, 11, 30, 23), vn(2026, 12, 1, 8), ["2026-11-30"], [("2026-11", "2026-12-01")]),
    ],
    ids=["mid-month", "month-end", "year-end", "leap-day", "day-5-not-yet", "day-5", "late-night-times"],
)
def test_moving_the_clock_fires_each_job_once_at_its_vietnam_time(state, timetable, start, end, nights, months):
    jobs = Jobs()
    with time_machine.travel(utc(start), tick=False) as traveller:
        runner = jobs.runner(timetable, state)
        walk(traveller, runner, start, end)
    at = {"nightly": timetable.nightly_at, "monthly": timetable.monthly_at}
    for call in jobs.calls:  # each at its time in Vietnam, at the first tick after it
        hour, minute = map(int, at[call[0]].split(":"))
        assert dt.timedelta(0) <= call[-1] - call[-1].replace(hour=hour, minute=minute) < STEP
    assert [str(c[1]) for c in jobs.calls if c[0] == "nightly"] == nights
    assert [(c[1], str(c[2])) for c in jobs.calls if c[0] == "monthly"] == months
    assert [r[0] for r in runs(state) if r[2] == 0] == []


def test_the_times_are_vietnam_times_on_a_utc_machine():
    with time_machine.travel(utc(vn(2026, 11, 30, 12)), tick=False):
        runner = Jobs().runner()
        assert runner.next_runs() == {"nightly": vn(2026, 12, 1, 2), "monthly": vn(2026, 12, 1, 7)}
        # schedule keeps local naive times: 02:00 in Vietnam is 19:00 UTC the day before.
        assert sorted(job.next_run for job in runner.scheduler.jobs) == [dt.datetime(2026, 11, 30, 19), dt.datetime(2026, 12, 1, 0)]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"nightly_at": "2:00"}, 'nightly_at must be a time written "HH:MM"'),
        ({"monthly_at": "24:00"}, 'monthly_at must be a time written "HH:MM"'),
        ({"monthly_day": 29}, "monthly_day must be a day from 1 to 28, not 29"),
        ({"monthly_day": 0}, "monthly_day must be a day from 1 to 28, not 0"),
        ({"timezone": "Asia/Saigon City"}, "timezone must be a time zone name"),
    ],
)
def test_a_bad_timetable_is_refused_naming_the_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Timetable(**kwargs)


@pytest.mark.parametrize(
    "timetable, now, month",
    [
        (Timetable(), vn(2026, 12, 1, 6, 59), "2026-10"),
        (Timetable(), vn(2026, 12, 1, 7), "2026-11"),
        (Timetable(), vn(2027, 1, 1, 7), "2026-12"),
        (Timetable(monthly_day=5), vn(2026, 12, 4, 23), "2026-10"),
        (Timetable(monthly_day=5), vn(2026, 12, 31, 23), "2026-11"),
        (Timetable(), utc(vn(2026, 12, 1, 7)), "2026-11"),  # 00:00 UTC: the zone's date counts
    ],
)
def test_the_month_due_last_is_the_previous_one_once_its_day_and_time_have_come(timetable, now, month):
    assert str(timetable.monthly_due(now)) == month


# --- failures -------------------------------------------------------------------

def test_a_job_that_raises_is_logged_recorded_and_the_others_still_run(state, caplog):
    jobs = Jobs(fail={"nightly": SourceUnavailable(path="clb.xlsx", detail="503")})
    caplog.set_level(logging.INFO, logger="sheets_sync.scheduler")
    with time_machine.travel(utc(vn(2026, 11, 30, 23)), tick=False) as traveller:
        runner = jobs.runner(state=state)
        walk(traveller, runner, vn(2026, 11, 30, 23), vn(2026, 12, 1, 8))
        # The failed nightly is not due again on the next ticks (schedule would
        # leave a job that raised due, and fire it every tick).
        assert [c[0] for c in jobs.calls] == ["nightly", "monthly"]
        walk(traveller, runner, vn(2026, 12, 1, 8), vn(2026, 12, 2, 3))
    assert [c[0] for c in jobs.calls] == ["nightly", "monthly", "nightly"]
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [(r.name, r.getMessage()) for r in failed] == [("sheets_sync.scheduler", "nightly 2026-12-01: failed"), ("sheets_sync.scheduler", "nightly 2026-12-02: failed")]
    assert failed[0].exc_info[0] is SourceUnavailable  # the traceback is in the log
    recorded = runs(state)
    assert recorded[0][:3] == ("nightly", "*", 0) and recorded[0][3].startswith("2026-12-01: SourceUnavailable: ")
    assert recorded[1:3] == [("monthly", "*", 1, "2026-11"), ("monthly:2026-11", "*", 1, "2026-11")]
    assert state.last_success("nightly", "*") is None


def test_a_job_already_running_elsewhere_is_skipped_not_failed(state, caplog):
    jobs = Jobs(state_path=state.path)
    caplog.set_level(logging.INFO, logger="sheets_sync.scheduler")
    with time_machine.travel(utc(vn(2026, 11, 30, 23)), tick=False) as traveller:
        runner = jobs.runner(state=state)
        with job_lock(state.path, "nightly"):  # as another process running `sheets-sync nightly` would
            walk(traveller, runner, vn(2026, 11, 30, 23), vn(2026, 12, 1, 8))
    assert [c[0] for c in jobs.calls] == ["nightly", "monthly"]
    assert "nightly 2026-12-01: skipped: already running" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r[0] for r in runs(state)] == ["monthly", "monthly:2026-11"]  # no failure, nothing for the skipped run


def test_a_run_where_a_club_failed_is_a_failure_and_the_month_is_not_done(state):
    class Summary:  # jobs.RunSummary's exit status when a club could not be done
        exit_code = 1

    with time_machine.travel(utc(vn(2026, 12, 1, 6)), tick=False) as traveller:
        runner = Runner(Timetable(), nightly=lambda today: None, monthly=lambda month, today: Summary(), state=state)
        walk(traveller, runner, vn(2026, 12, 1, 6), vn(2026, 12, 1, 8))
        assert runs(state) == [("monthly", "*", 0, "2026-11: a club failed")]
        assert "monthly" in runner.catch_up()  # so a restart tries it again


# --- catching up ----------------------------------------------------------------

def test_a_missed_monthly_run_is_caught_up_once(state):
    mark_done(state, "2026-09")  # the machine was off from the end of October
    jobs = Jobs()
    with time_machine.travel(utc(vn(2026, 11, 3, 10)), tick=False) as traveller:
        assert jobs.runner(state=state).catch_up() == ["nightly", "monthly"]
        assert [(c[0], str(c[1])) for c in jobs.calls] == [("nightly", "2026-11-03"), ("monthly", "2026-10")]
        assert jobs.calls[1][2] == dt.date(2026, 11, 3)  # today, for the job's "as of"
        traveller.move_to(utc(vn(2026, 11, 3, 10, 5)))
        restarted = jobs.runner(state=state)  # the same day: nothing left to catch up
        assert restarted.catch_up() == []
        walk(traveller, restarted, vn(2026, 11, 3, 10, 5), vn(2026, 11, 4, 8))
    assert [(c[0], str(c[1])) for c in jobs.calls[2:]] == [("nightly", "2026-11-04")]


def test_a_restart_on_the_day_after_the_monthly_ran_does_not_run_it_again(state):
    mark_done(state, "2026-10")
    jobs = Jobs()
    with time_machine.travel(utc(vn(2026, 11, 30, 23)), tick=False) as traveller:
        walk(traveller, jobs.runner(state=state), vn(2026, 11, 30, 23), vn(2026, 12, 1, 7, 30))
        # Restarted with the monthly time moved to 08:00: schedule has forgotten
        # this morning's run, so at 08:00 only the state says November is done.
        restarted = jobs.runner(Timetable(monthly_at="08:00"), state=state)
        assert restarted.catch_up() == []
        walk(traveller, restarted, vn(2026, 12, 1, 7, 30), vn(2026, 12, 1, 9))
    assert [(c[0], str(c[1])) for c in jobs.calls] == [("nightly", "2026-12-01"), ("monthly", "2026-11")]


@pytest.mark.parametrize(
    "done, caught_up",
    [("2026-10", []), ("2026-09", [("monthly", "2026-10")])],
    ids=["last-month-done", "october-missed-too"],
)
def test_before_the_monthly_time_on_the_1st_only_an_older_missed_month_is_caught_up(state, done, caught_up):
    """On the 1st at 06:00 November is not due yet: it runs on time at 07:00, not at start."""
    mark_done(state, done)
    jobs = Jobs()
    with time_machine.travel(utc(vn(2026, 12, 1, 6)), tick=False) as traveller:
        state.finish_run(state.start_run("nightly", "*"), True, "2026-12-01")  # last night's run is done
        runner = jobs.runner(state=state)
        runner.catch_up()
        assert [(c[0], str(c[1])) for c in jobs.calls] == caught_up
        walk(traveller, runner, vn(2026, 12, 1, 6), vn(2026, 12, 1, 8))
    assert [(c[0], str(c[1]), c[-1]) for c in jobs.calls[len(caught_up):]] == [("monthly", "2026-11", vn(2026, 12, 1, 7))]


@pytest.mark.parametrize(
    "last_success, expected",
    [(vn(2026, 11, 15, 2, 1), []), (vn(2026, 11, 14, 2, 1), ["nightly"])],
    ids=["last-night-done", "last-night-missed"],
)
@pytest.mark.parametrize("club", ["*", None], ids=["by-run", "by-hand"])
def test_a_missed_night_is_caught_up_once_not_replayed(tmp_path, last_success, expected, club):
    """A night done by `sheets-sync nightly` (the job's own row, club NULL) counts as done too."""
    with State(tmp_path / "state.sqlite", now=lambda: last_success) as state:
        state.finish_run(state.start_run("nightly", club), True, str(last_success.date()))
        mark_done(state, "2026-10")
    with State(tmp_path / "state.sqlite") as state, time_machine.travel(utc(vn(2026, 11, 15, 9)), tick=False):
        assert Jobs().runner(state=state).catch_up() == expected


def test_a_failed_catch_up_is_tried_again_at_the_next_start(state):
    jobs = Jobs(fail={"monthly": OSError("disk full")})
    with time_machine.travel(utc(vn(2026, 11, 3, 10)), tick=False):
        assert jobs.runner(state=state).catch_up() == ["nightly", "monthly"]
        jobs.fail.clear()
        assert jobs.runner(state=state).catch_up() == ["monthly"]
        assert jobs.runner(state=state).catch_up() == []
    assert [r[0] for r in runs(state) if r[2] == 0] == ["monthly"]


def test_without_a_state_file_nothing_is_caught_up(caplog):
    jobs = Jobs()
    with time_machine.travel(utc(vn(2026, 11, 3, 10)), tick=False):
        assert jobs.runner().catch_up() == []
    assert jobs.calls == []
    assert "nothing caught up" in caplog.text


# --- the loop -------------------------------------------------------------------

def test_run_forever_catches_up_ticks_on_time_and_stops_when_told(state):
    mark_done(state, "2026-10")
    jobs = Jobs()
    stop = threading.Event()
    slept: list[float] = []
    with time_machine.travel(utc(vn(2026, 11, 15, 1, 58)), tick=False) as traveller:
        state.finish_run(state.start_run("nightly", "*"), True, "2026-11-14")  # nothing to catch up

        def fake_sleep(seconds: float) -> None:
            slept.append(seconds)
            traveller.shift(seconds)
            if len(slept) == 10:
                stop.set()

        jobs.runner(state=state).run_forever(sleep=fake_sleep, stop=stop, poll_seconds=30)
    assert [(c[0], str(c[1])) for c in jobs.calls] == [("nightly", "2026-11-15")]
    assert jobs.calls[0][-1] == vn(2026, 11, 15, 2)  # to the second: the sleep ends when a job is due
    assert len(slept) == 10 and all(0 < s <= 30 for s in slept)
