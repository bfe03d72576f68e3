"""Job locks hold across processes and vanish with the process that held them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from sheets_sync.errors import JobLocked
from sheets_sync.locks import job_lock, lock_path


def test_a_second_holder_in_the_same_process_is_refused(tmp_path):
    state = tmp_path / "state.sqlite"
    with job_lock(state, "nightly"):
        with pytest.raises(JobLocked) as err:
            with job_lock(state, "nightly"):
                pass
        assert "nightly" in err.value.message("en")
        with job_lock(state, "monthly"):  # another job is another lock
            pass
    with job_lock(state, "nightly"):  # released
        pass


def test_a_lock_held_by_another_process_is_refused_and_released_when_it_dies(tmp_path):
    state = tmp_path / "state.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from sheets_sync.locks import job_lock
            with job_lock({str(state)!r}, "nightly"):
                print("held", flush=True)
                time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(JobLocked) as err:
            with job_lock(state, "nightly"):
                pass
        assert str(holder.pid) in err.value.message("en")
    finally:
        holder.kill()
        holder.wait()
    with job_lock(state, "nightly") as path:
        assert path == lock_path(state, "nightly")
