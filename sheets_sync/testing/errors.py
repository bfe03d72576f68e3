"""Errors the local server answers with, shaped like Google's.

Sheets v4 answers ``{"error": {"code", "message", "status"}}`` (plus
``details`` for JSON payload problems); Drive v3 answers ``{"error": {"code",
"message", "errors": [...]}}`` without ``status``.  Handlers raise
:class:`ApiError`; the HTTP layer turns it into the body and status line.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "STATUS_NAMES", "bad_request", "invalid_request", "not_found", "permission_denied"]

# google.rpc.Code names, as Google puts them in "status".
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class ApiError(Exception):
    """A Google-style error answer: HTTP status, message, and the JSON body to send."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        status: str | None = None,
        details: list[dict[str, Any]] | None = None,
        drive_errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")
        self.details = details
        self.drive_errors = drive_errors
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON document Google would send for this error."""
        if self.drive_errors is not None:
            # Drive v3 keeps the older shape: a list of errors, no "status".
            return {"error": {"code": self.code, "message": self.message, "errors": self.drive_errors}}
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str, field: str | None = None) -> ApiError:
    """400 INVALID_ARGUMENT with the BadRequest detail Google adds for payload errors."""
    violation: dict[str, str] = {"description": message}
    if field is not None:
        violation = {"field": field, "description": message}
    details = [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}]
    return ApiError(400, message, details=details)


def invalid_request(message: str) -> ApiError:
    """400 INVALID_ARGUMENT without details (what Google sends for semantic errors)."""
    return ApiError(400, message)


def not_found() -> ApiError:
    return ApiError(404, "Requested entity was not found.")


def permission_denied() -> ApiError:
    return ApiError(403, "The caller does not have permission")


def drive_error(code: int, message: str, reason: str, location: str | None = None) -> ApiError:
    """A Drive v3 error (``errors`` list, no ``status``)."""
    item: dict[str, Any] = {"message": message, "domain": "global", "reason": reason}
    if location:
        item.update({"locationType": "parameter", "location": location})
    return ApiError(code, message, drive_errors=[item])
