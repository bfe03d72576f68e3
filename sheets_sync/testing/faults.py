"""Scripted trouble: slow answers, error bursts, dropped connections, a club broken for good.

``fail_next`` and ``drop_next`` queue one-shot faults, used up in order by
the requests they match; ``always`` stays until :meth:`Faults.clear`.  Each
can be narrowed to a request kind (``"read"``, ``"write"``, ``"drive"``) or a
spreadsheet id.  The bodies are the ones Google sends for each status (a 502
comes as Google's HTML page, which tests that clients survive non-JSON).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .errors import ApiError

__all__ = ["Fault", "Faults"]

_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    408: "The request timed out.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
    504: "Deadline expired before operation could complete.",
}

GOOGLE_502_PAGE = (
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
    "  <title>Error 502 (Server Error)!!1</title>\n"
    "  <p><b>502.</b> <ins>That\u2019s an error.</ins>\n"
    "  <p>The server encountered a temporary error and could not complete your request."
    "<p>Please try again in 30 seconds.  <ins>That\u2019s all we know.</ins>\n"
)


@dataclass
class Fault:
    """One scripted fault: an error status (or a dropped connection) and what it applies to."""

    status: int | None  # None: close the connection without answering
    times: int | None  # None: forever
    retry_after: float | None = None
    kind: str | None = None
    spreadsheet_id: str | None = None
    message: str | None = None

    def matches(self, kind: str, spreadsheet_id: str | None) -> bool:
        if self.kind is not None and self.kind != kind:
            return False
        return self.spreadsheet_id is None or self.spreadsheet_id == spreadsheet_id

    def error(self, kind: str) -> ApiError:
        """The answer Google gives for this status."""
        status = self.status or 500
        headers = {}
        if self.retry_after is not None:
            seconds = self.retry_after
            headers["Retry-After"] = str(int(seconds)) if float(seconds).is_integer() else str(seconds)
        if status == 429:
            metric = "Write requests" if kind == "write" else "Read requests"
            message = self.message or (
                f"Quota exceeded for quota metric '{metric}' and limit '{metric} per minute per user' "
                "of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'."
            )
        else:
            message = self.message or _MESSAGES.get(status, "Backend Error")
        return ApiError(status, message, headers=headers)


class Faults:
    """Fault switches of one server.  Thread-safe; tests flip them while it serves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []
        self._always: list[Fault] = []
        self.latency_ms: float = 0

    def fail_next(
        self,
        status: int = 429,
        times: int = 1,
        retry_after: float | None = None,
        *,
        kind: str | None = None,
        spreadsheet_id: str | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (and a Retry-After header)."""
        with self._lock:
            self._queue.append(Fault(status, times, retry_after, kind, spreadsheet_id, message))

    def drop_next(self, times: int = 1, *, kind: str | None = None, spreadsheet_id: str | None = None) -> None:
        """Close the connection of the next ``times`` matching requests without an answer."""
        with self._lock:
            self._queue.append(Fault(None, times, None, kind, spreadsheet_id))

    def always(
        self,
        status: int = 500,
        spreadsheet_id: str | None = None,
        *,
        kind: str | None = None,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> None:
        """Answer every matching request with ``status`` until :meth:`clear` (a club broken forever)."""
        with self._lock:
            self._always.append(Fault(status, None, retry_after, kind, spreadsheet_id, message))

    def clear(self) -> None:
        """Remove every fault and the latency."""
        with self._lock:
            self._queue.clear()
            self._always.clear()
            self.latency_ms = 0

    def pending(self) -> int:
        """How many one-shot faults are still waiting to fire."""
        with self._lock:
            return sum(f.times or 0 for f in self._queue)

    def pick(self, kind: str, spreadsheet_id: str | None) -> Fault | None:
        """The fault for this request, if any (one-shot faults are used up)."""
        with self._lock:
            for fault in self._always:
                if fault.matches(kind, spreadsheet_id):
                    return fault
            for fault in self._queue:
                if fault.matches(kind, spreadsheet_id):
                    fault.times = (fault.times or 1) - 1
                    if fault.times <= 0:
                        self._queue.remove(fault)
                    return fault
        return None
