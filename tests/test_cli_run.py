"""`sheets-sync run` as a real process: it catches up at start, records it, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sheets_sync.scheduler import ALL_CLUBS, month_done_job
from sheets_sync.metrics import Month
from sheets_sync.state import State

from test_jobs import write_config, xlsx_club


def start_run(path, **env):
    environ = {k: v for k, v in os.environ.items() if k != "SHEETS_SYNC_TODAY"} | env
    return subprocess.Popen([sys.executable, "-m", "sheets_sync.cli", "run", "--config", str(path), "--lang", "en"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_run_catches_up_at_start_then_stops_cleanly_on_sigterm(tmp_path, smtp_server):
    xlsx_club(tmp_path, "a.xlsx", "CLB A", "a@example.org", error=True)
    path = write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}])
    process = start_run(path)
    try:
        def caught_up():
            if not (tmp_path / "state.sqlite").exists():
                return False
            with State(tmp_path / "state.sqlite") as state:
                return state.last_success("nightly") is not None and any(
                    state.last_success(month_done_job(m), ALL_CLUBS) for m in (Month.of(_today()).previous(), Month.of(_today()).previous().previous()))
        assert wait_for(caught_up), process.stderr.read() if process.poll() is not None else "no catch-up within 60 s"
        # A second `run` beside it is refused: it would fire every job twice.
        second = start_run(path)
        assert second.wait(timeout=60) == 2 and "already running" in second.stderr.read()
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0
    assert len([r for r in smtp_server.received if r.rcpt_tos == ["a@example.org"]]) >= 1  # the digest (and the chair's report)


def _today():
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
