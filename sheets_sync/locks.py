"""One run of a job at a time, even from two processes.

A lock is an OS file lock (``fcntl.flock``) on ``<state file>.<job>.lock``: the
kernel releases it when the process ends, however it ends, so a crash never
leaves a stale lock behind.  A second ``nightly`` started while one runs (cron
overlapping with ``sheets-sync run``, say) stops at once with :class:`JobLocked`.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import JobLocked

__all__ = ["job_lock", "lock_path"]


def lock_path(state_path: str | Path, job: str) -> Path:
    """The lock file of ``job`` beside the state file."""
    state = Path(state_path)
    return state.with_name(f"{state.name}.{job}.lock")


@contextmanager
def job_lock(state_path: str | Path, job: str) -> Iterator[Path]:
    """Hold the lock of ``job`` for the ``with`` block; JobLocked if another process has it."""
    path = lock_path(state_path, job)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise JobLocked(job=job, pid=holder, path=str(path)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield path
    finally:
        handle.close()  # closing releases the lock
