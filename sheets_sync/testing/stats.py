"""Request counts a benchmark reads from another process: ``GET /_testing/stats``.

The request log (:attr:`FakeSheetsServer.requests`) lives in the server's
process; a benchmark that runs the server apart (so that its own CPU and
memory are the client's alone) asks for these counts over HTTP instead.
Counting is cheap and bounded: a few counters, whatever the number of requests.
"""

from __future__ import annotations

import re
import resource
import threading
import time
from collections import Counter
from typing import Any

__all__ = ["STATS_PATH", "RESET_PATH", "RequestStats", "path_pattern"]

#: Test-only routes, under a prefix Google never uses.
STATS_PATH = "/_testing/stats"
RESET_PATH = "/_testing/stats:reset"

_ID = re.compile(r"^(/v4/spreadsheets/|/drive/v3/files/)([^/:]+)")
_RANGE = re.compile(r"^(.*/values/)(.+?)(:append|:clear)?$")  # a range may hold ":" (A1:B2)


def path_pattern(method: str, path: str) -> str:
    """``GET /v4/spreadsheets/{id}/values/{range}``: one key per endpoint, whatever the club."""
    path = _ID.sub(r"\1{id}", path)
    path = _RANGE.sub(r"\1{range}\3", path)
    return f"{method} {path}"


class RequestStats:
    """Counts by kind, endpoint, status and caller since the last reset.  Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._kinds: Counter[str] = Counter()
            self._paths: Counter[str] = Counter()
            self._statuses: Counter[str] = Counter()
            self._callers: dict[str, Counter[str]] = {}
            self._since = time.time()

    def add(self, method: str, path: str, kind: str, status: int | None, caller: str) -> None:
        with self._lock:
            self._kinds[kind] += 1
            self._paths[path_pattern(method, path)] += 1
            self._statuses["dropped" if status is None else str(status)] += 1
            self._callers.setdefault(caller, Counter())[kind] += 1

    def snapshot(self, spreadsheets: int) -> dict[str, Any]:
        """The counts as JSON, plus the server process's own CPU and peak memory."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        with self._lock:
            return {
                "read": self._kinds["read"],
                "write": self._kinds["write"],
                "drive": self._kinds["drive"],
                "by_path": dict(sorted(self._paths.items())),
                "by_status": dict(sorted(self._statuses.items())),
                "by_caller": {email: {k: counts[k] for k in ("read", "write", "drive")} for email, counts in sorted(self._callers.items())},
                "since": self._since,
                "server": {
                    "spreadsheets": spreadsheets,
                    "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                    "max_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
                },
            }
