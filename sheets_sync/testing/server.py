"""The local Sheets v4 + Drive v3 server over real HTTP on 127.0.0.1.

``FakeSheetsServer`` runs a ``ThreadingHTTPServer`` in a background thread,
routes each request to the Sheets or Drive handlers, logs it, and applies the
fault switches first.  No credentials are needed: any Authorization header,
or none, is accepted and the caller is ``server.caller_email``.

Test-only additions, never part of Google's API:

* an ``X-Fake-User: staff@example.org`` header makes that one request a
  person's (Drive's ``lastModifyingUser`` then shows them, ``me: false``);
* ``GET /_testing/stats`` answers the request counts since the last
  ``POST /_testing/stats:reset`` (:mod:`stats`), for a benchmark that runs
  the server in another process.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import a1
from .batch_update import batch_update
from .drive_api import DriveApi, Reply
from .errors import ApiError, bad_request
from .faults import GOOGLE_502_PAGE, Faults
from .fields import select
from .render import cell_out, read_values, trim_grid_data
from .sheets_api import create_spreadsheet, get_spreadsheet, mask_from_query
from .state import DEFAULT_CALLER, Spreadsheet, Store, rfc3339, write_value
from .stats import RESET_PATH, STATS_PATH, RequestStats
from .values_api import (
    values_append,
    values_batch_clear,
    values_batch_get,
    values_batch_update,
    values_clear,
    values_get,
    values_update,
)

__all__ = ["FakeSheetsServer", "RequestRecord"]

_SHEETS = re.compile(r"^/v4/spreadsheets(?:/(?P<id>[^/:]+)(?P<rest>.*))?$")
_DRIVE = re.compile(r"^/drive/v3/files(?:/(?P<id>[^/]+)(?P<rest>/.*)?)?$")
_UNIMPLEMENTED = "The local test server (sheets_sync.testing) does not implement {}."
#: Test-only header: the e-mail of the person making this one request.
USER_HEADER = "X-Fake-User"


@dataclass(frozen=True)
class RequestRecord:
    """One request the server saw: what was asked, how it was answered, and when.

    ``status`` is None for a connection the fault switches dropped.  ``kind``
    is ``"read"`` (Sheets GET), ``"write"`` (Sheets POST/PUT/DELETE) or
    ``"drive"``.  ``authorized`` says whether an Authorization header came
    along; the server accepts requests with or without one.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int | None
    time: float
    kind: str
    spreadsheet_id: str | None
    authorized: bool = False  # an Authorization header was sent (its value is never kept)
    caller: str = ""  # whose request it was: the service account, or an X-Fake-User


def _kind(method: str, path: str) -> str:
    if path.startswith(("/drive/", "/upload/")):
        return "drive"
    return "read" if method == "GET" else "write"


def _spreadsheet_id(path: str) -> str | None:
    match = _SHEETS.match(path) or _DRIVE.match(path)
    return unquote(match.group("id")) if match and match.group("id") else None


class _Router:
    """Maps (method, path) to a handler; all state access under the store's lock."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.drive = DriveApi(store)

    def __call__(self, method: str, path: str, query: dict[str, list[str]], body: Any, caller: str | None = None) -> Any:
        with self.store.lock:
            if caller is None:
                return self._route(method, path, query, body)
            # One request as someone else: the lock is held throughout, so no other request sees the swap.
            usual, self.store.caller_email = self.store.caller_email, caller
            try:
                return self._route(method, path, query, body)
            finally:
                self.store.caller_email = usual

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        if path.startswith("/drive/v3/"):
            return self._drive(method, path, query, body)
        match = _SHEETS.match(path)
        if match:
            return self._sheets(method, match, query, body)
        if path.startswith("/upload/"):
            raise ApiError(501, _UNIMPLEMENTED.format("uploads (import_csv)"))
        raise ApiError(404, f"The requested URL {path} was not found on this server.")

    def _sheets(self, method: str, match: re.Match[str], query: dict[str, list[str]], body: Any) -> Any:
        sid, rest = match.group("id"), match.group("rest") or ""
        store = self.store
        if sid is None:
            if method == "POST":
                return create_spreadsheet(store, body, query)
            raise _no_route(method, "/v4/spreadsheets")
        sid = unquote(sid)
        if rest == "" and method == "GET":
            return get_spreadsheet(store, sid, query)
        if rest == ":batchUpdate" and method == "POST":
            return batch_update(store, store.get(sid), body)
        if rest == "/values:batchGet" and method == "GET":
            return values_batch_get(store, sid, query)
        if rest == "/values:batchUpdate" and method == "POST":
            return values_batch_update(store, sid, query, body)
        if rest == "/values:batchClear" and method == "POST":
            return values_batch_clear(store, sid, query, body)
        if rest.startswith("/values/"):
            raw = rest[len("/values/") :]
            if raw.endswith(":append") and method == "POST":
                return values_append(store, sid, unquote(raw[: -len(":append")]), query, body)
            if raw.endswith(":clear") and method == "POST":
                return values_clear(store, sid, unquote(raw[: -len(":clear")]), query, body)
            if method == "GET":
                return values_get(store, sid, unquote(raw), query)
            if method == "PUT":
                return values_update(store, sid, unquote(raw), query, body)
        if rest.startswith((":getByDataFilter", "/values:batch", "/sheets/", "/developerMetadata")):
            raise ApiError(501, _UNIMPLEMENTED.format(f"{method} spreadsheets/{{id}}{rest}"))
        raise _no_route(method, f"/v4/spreadsheets/{{id}}{rest}")

    def _drive(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        match = _DRIVE.match(path)
        if not match:
            raise _no_route(method, path)
        fid, rest = match.group("id"), match.group("rest") or ""
        drive = self.drive
        if fid is None:
            if method == "POST":
                return drive.create(query, body)
            if method == "GET":
                return drive.list(query)
            raise _no_route(method, path)
        fid = unquote(fid)
        routes: dict[tuple[str, str], Callable[[], Any]] = {
            ("GET", ""): lambda: drive.get(fid, query),
            ("PATCH", ""): lambda: drive.update(fid, query, body),
            ("DELETE", ""): lambda: drive.delete(fid, query),
            ("POST", "/copy"): lambda: drive.copy(fid, query, body),
            ("GET", "/export"): lambda: drive.export(fid, query),
            ("GET", "/comments"): lambda: drive.comments(fid, query),
            ("GET", "/permissions"): lambda: drive.list_permissions(fid, query),
            ("POST", "/permissions"): lambda: drive.create_permission(fid, query, body),
        }
        handler = routes.get((method, rest))
        if handler is not None:
            return handler()
        permission = re.fullmatch(r"/permissions/([^/]+)", rest)
        if permission and method == "DELETE":
            return drive.delete_permission(fid, unquote(permission.group(1)), query)
        raise _no_route(method, path)


def _no_route(method: str, path: str) -> ApiError:
    return ApiError(404, f"The requested URL {method} {path} was not found on this server.")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests expects
    disable_nagle_algorithm = True  # headers and body go out separately; avoid 40 ms stalls
    server_version = "ESF"
    sys_version = ""
    owner: FakeSheetsServer  # set on the subclass each server makes

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silent: the request log on the server object is the record."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def do_PUT(self) -> None:  # noqa: N802
        self._handle()

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle()

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle()

    def _handle(self) -> None:
        owner = self.owner
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if path in (STATS_PATH, RESET_PATH):
            self._testing(path)
            return
        caller = self.headers.get(USER_HEADER) or None
        kind = _kind(self.command, path)
        sid = _spreadsheet_id(path)
        body: Any = None
        parse_error: ApiError | None = None
        if raw:
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                body = raw.decode("utf-8", "replace")
                parse_error = bad_request("Invalid JSON payload received. Unexpected token.")
        if owner.faults.latency_ms:
            time.sleep(owner.faults.latency_ms / 1000)
        fault = owner.faults.pick(kind, sid)
        if fault is not None and fault.status is None:
            owner._log(self.command, path, query, body, None, kind, sid, self._authorized(), caller)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        try:
            if fault is not None:
                raise fault.error(kind)
            if parse_error is not None and kind != "drive":
                raise parse_error
            result = owner._router(self.command, path, query, body, caller)
            status, payload = self._shape(result, path, query)
        except ApiError as err:
            status, payload = err.code, err
        except Exception as exc:  # a bug in this server: say so instead of dropping the connection
            traceback.print_exc()
            status, payload = 500, ApiError(500, f"sheets_sync.testing failed: {type(exc).__name__}: {exc}")
        owner._log(self.command, path, query, body, status, kind, sid, self._authorized(), caller)
        self._send(status, payload)

    def _testing(self, path: str) -> None:
        """The test-only routes: counts (not logged, not counted, no latency)."""
        owner = self.owner
        if path == STATS_PATH and self.command == "GET":
            self._send(200, owner.stats.snapshot(len(owner.state.spreadsheets)))
        elif path == RESET_PATH and self.command == "POST":
            owner.stats.reset()
            owner.clear_log()
            self._send(200, {})
        else:
            self._send(404, _no_route(self.command, path))

    def _authorized(self) -> bool:
        return bool(self.headers.get("Authorization"))

    @staticmethod
    def _shape(result: Any, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if isinstance(result, Reply):
            return result.status, result
        if path.startswith("/v4/"):
            mask = mask_from_query(query)
            if mask is not None:
                result = select(result, mask)
            trim_grid_data(result)
        return 200, result

    def _send(self, status: int, payload: Any) -> None:
        headers: dict[str, str] = {}
        content_type = "application/json; charset=UTF-8"
        if isinstance(payload, ApiError):
            headers.update(payload.headers)
            if payload.code == 502:
                data = GOOGLE_502_PAGE.encode()
                content_type = "text/html; charset=UTF-8"
            else:
                data = json.dumps(payload.body(), ensure_ascii=False).encode()
        elif isinstance(payload, Reply):
            headers.update(payload.headers)
            content_type = payload.content_type
            if payload.raw is not None:
                data = payload.raw
            elif payload.json is not None:
                data = json.dumps(payload.json, ensure_ascii=False).encode()
            else:
                data = b""
        else:
            data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        if data or status != 204:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if data:
            self.wfile.write(data)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive connections must not hold up stop()
    allow_reuse_address = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Hang up on kept-alive clients, so a stopped server really answers nothing."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class FakeSheetsServer:
    """A local Google Sheets v4 + Drive v3 server for tests, demos and offline runs.

    Use::

        with FakeSheetsServer() as server:
            sid = server.create_spreadsheet("Club", sheets={"Members": [["Name"], ["An"]]})
            os.environ["SHEETS_SYNC_GOOGLE_API_URL"] = server.url   # http://127.0.0.1:PORT

    ``state`` is the in-memory :class:`~sheets_sync.testing.state.Store`;
    ``faults`` the fault switches; ``requests`` the log of every request.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        caller_email: str = DEFAULT_CALLER,
        clock: Callable[[], dt.datetime] | None = None,
        seed: int | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.state = Store(caller_email=caller_email, clock=clock, seed=seed)
        self.faults = Faults()
        self._router = _Router(self.state)
        self._log_lock = threading.Lock()
        self._log_records: list[RequestRecord] = []
        #: False keeps counts only (``stats``), no records: a long benchmark's log would fill memory.
        self.record_requests = True
        self.stats = RequestStats()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle --------------------------------------------------------------

    def start(self) -> FakeSheetsServer:
        """Bind (port 0 picks a free one) and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        handler = type("BoundHandler", (_Handler,), {"owner": self})
        self._httpd = _HTTPServer((self.host, self.port), handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeSheetsServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: what SHEETS_SYNC_GOOGLE_API_URL should hold."""
        return f"http://{self.host}:{self.port}"

    @property
    def caller_email(self) -> str:
        """Who the server believes is calling (the service account's e-mail)."""
        return self.state.caller_email

    @caller_email.setter
    def caller_email(self, email: str) -> None:
        self.state.caller_email = email

    # --- request log ---------------------------------------------------------------

    def _log(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, status: int | None, kind: str, sid: str | None,
        authorized: bool, caller: str | None = None,
    ) -> None:
        caller = caller or self.caller_email
        self.stats.add(method, path, kind, status, caller)
        if not self.record_requests:
            return
        record = RequestRecord(method, path, query, body, status, time.time(), kind, sid, authorized, caller)
        with self._log_lock:
            self._log_records.append(record)

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request so far, oldest first (a copy)."""
        with self._log_lock:
            return list(self._log_records)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log_records.clear()

    def count(self, kind: str | None = None, *, method: str | None = None, path_contains: str | None = None, status: int | None = None) -> int:
        """How many logged requests match: ``kind`` is "read", "write" or "drive"."""
        return sum(
            1
            for r in self.requests
            if (kind is None or r.kind == kind)
            and (method is None or r.method == method.upper())
            and (path_contains is None or path_contains in unquote(r.path))
            and (status is None or r.status == status)
        )

    # --- set-up and assertions -------------------------------------------------------

    def create_spreadsheet(
        self,
        title: str,
        sheets: Mapping[str, Iterable[Iterable[Any]]] | None = None,
        *,
        notes: Mapping[str, Mapping[str, str]] | None = None,
        backgrounds: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
        owner_email: str | None = None,
        shared: bool | Iterable[str] = True,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
        value_input: str = "USER_ENTERED",
    ) -> str:
        """Make a spreadsheet directly and return its id.

        ``sheets`` maps tab titles to rows, typed as a person would
        (``value_input="RAW"`` keeps text as is); ``notes`` and
        ``backgrounds`` map tab titles to ``{"B2": ...}``.  ``shared=False``
        makes it private (403 for the caller), a set of e-mails shares it with
        just those.
        """
        with self.state.lock:
            rows = {tab: [list(row) for row in data] for tab, data in (sheets or {"Sheet1": []}).items()}
            spreadsheet = self.state.create(
                title,
                sheets=rows,
                notes=notes,
                backgrounds=backgrounds,
                owner_email=owner_email,
                shared=shared if isinstance(shared, bool) else set(shared),
                locale=locale,
                time_zone=time_zone,
                value_input=value_input,
            )
            return spreadsheet.id

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        """The stored spreadsheet (no access check), for assertions."""
        return self.state.spreadsheets[spreadsheet_id]

    def _sheet(self, spreadsheet_id: str, tab: str | None) -> tuple[Spreadsheet, Any]:
        spreadsheet = self.spreadsheet(spreadsheet_id)
        sheet = spreadsheet.sheets[0] if tab is None else spreadsheet.sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in {spreadsheet.title!r}")
        return spreadsheet, sheet

    def get_values(self, spreadsheet_id: str, tab: str | None = None, render: str = "FORMATTED_VALUE") -> list[list[Any]]:
        """The tab's values as values.get would answer (trailing empties cut)."""
        with self.state.lock:
            spreadsheet, sheet = self._sheet(spreadsheet_id, tab)
            return read_values(spreadsheet, sheet, 0, sheet.rows, 0, sheet.cols, render)

    def get_cell(self, spreadsheet_id: str, tab: str | None, ref: str) -> dict[str, Any]:
        """Full CellData for one cell (``{}`` when empty)."""
        with self.state.lock:
            spreadsheet, sheet = self._sheet(spreadsheet_id, tab)
            bounds = a1.parse_a1(ref)
            stored = sheet.cells.get((bounds.start_row, bounds.start_col))
            return cell_out(spreadsheet, stored) if stored else {}

    def get_notes(self, spreadsheet_id: str, tab: str | None = None) -> dict[str, str]:
        """``{"B2": "note text"}`` for every cell with a note."""
        with self.state.lock:
            _, sheet = self._sheet(spreadsheet_id, tab)
            return {
                f"{a1.col_letters(c)}{r + 1}": cell["note"]
                for (r, c), cell in sorted(sheet.cells.items())
                if "note" in cell
            }

    def get_backgrounds(self, spreadsheet_id: str, tab: str | None = None) -> dict[str, dict[str, float]]:
        """``{"B2": {"red": 1, "green": 0.8}}`` for every cell with a background colour set."""
        with self.state.lock:
            _, sheet = self._sheet(spreadsheet_id, tab)
            return {
                f"{a1.col_letters(c)}{r + 1}": cell["userEnteredFormat"]["backgroundColor"]
                for (r, c), cell in sorted(sheet.cells.items())
                if "backgroundColor" in cell.get("userEnteredFormat", {})
            }

    def edit_as(self, email: str, spreadsheet_id: str, tab: str | None, ref: str, value: Any) -> None:
        """Type ``value`` into one cell as the person ``email`` would (staff, not the service account).

        Drive's modifiedTime moves on and its lastModifyingUser becomes
        ``email``, so the service account sees ``me: false``.  Over HTTP, the
        same is a request with an ``X-Fake-User: email`` header.
        """
        with self.state.lock:
            spreadsheet, sheet = self._sheet(spreadsheet_id, tab)
            bounds = a1.parse_a1(ref)
            write_value(sheet, bounds.start_row, bounds.start_col, value, "USER_ENTERED", spreadsheet.locale)
            usual, self.state.caller_email = self.state.caller_email, email
            try:
                self.state.touch(spreadsheet)
            finally:
                self.state.caller_email = usual

    def last_modifying_user(self, spreadsheet_id: str) -> str:
        """The e-mail of whoever changed the spreadsheet last (its creator until then)."""
        return self.spreadsheet(spreadsheet_id).last_modifying_user

    def modified_time(self, spreadsheet_id: str) -> str:
        """Drive's modifiedTime, RFC 3339 with milliseconds."""
        return rfc3339(self.spreadsheet(spreadsheet_id).modified_time)

    def share(self, spreadsheet_id: str, *emails: str) -> None:
        """Let these e-mails open a private spreadsheet (no e-mails: make it open to the caller)."""
        with self.state.lock:
            spreadsheet = self.spreadsheet(spreadsheet_id)
            if not emails:
                spreadsheet.access = None
            elif spreadsheet.access is not None:
                spreadsheet.access.update(emails)

    def make_private(self, spreadsheet_id: str) -> None:
        """Nobody may open it any more (the caller gets 403)."""
        with self.state.lock:
            self.spreadsheet(spreadsheet_id).access = set()

    @property
    def notifications(self) -> list[dict[str, Any]]:
        """Sharing e-mails Drive would have sent (permissions.create)."""
        return list(self.state.notifications)
