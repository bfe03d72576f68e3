"""Drive v3, the part gspread uses: files create/list/get/update/delete/copy/export and permissions.

Drive differs from Sheets in small ways kept here: errors carry an
``errors`` list and no ``status``; a file the caller may not see is a 404
("File not found: ID."), not a 403; unknown body fields are ignored; empty
lists stay in answers (``"files": []``); default answers hold only
``kind, id, name, mimeType``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, drive_error
from .fields import MaskError, parse_mask, select
from .params import Query, last
from .render import drive_file_out, permission_id, permissions_out, read_values
from .state import SHEET_MIME, Spreadsheet, Store

__all__ = ["Reply", "DriveApi"]

_FILE_DEFAULT = "kind,id,name,mimeType"
_PERMISSION_DEFAULT = "kind,id,type,role"
_ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
_TYPES = ("user", "group", "domain", "anyone")


@dataclass
class Reply:
    """A non-default HTTP answer: status, JSON or raw bytes, extra headers."""

    status: int = 200
    json: Any = None
    raw: bytes | None = None
    content_type: str = "application/json; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)


def _mask(query: Query, default: str) -> dict[str, Any]:
    text = last(query, "fields") or default
    try:
        return parse_mask(text)
    except MaskError:
        raise drive_error(400, f"Invalid field selection {text}", "invalidParameter", "fields") from None


def _bool(query: Query, name: str, default: bool) -> bool:
    value = last(query, name)
    return default if value is None else value.lower() in ("true", "1")


class DriveApi:
    """Handlers for /drive/v3/files...; each returns a JSON dict or a :class:`Reply`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _file(self, file_id: str) -> Spreadsheet:
        spreadsheet = self.store.spreadsheets.get(file_id)
        if spreadsheet is None or not self.store.can_open(spreadsheet):
            raise drive_error(404, f"File not found: {file_id}.", "notFound", "fileId")
        return spreadsheet

    def _out(self, spreadsheet: Spreadsheet, query: Query) -> dict[str, Any]:
        return select(drive_file_out(self.store, spreadsheet), _mask(query, _FILE_DEFAULT), drop_empty_lists=False)

    # --- files ----------------------------------------------------------------

    def create(self, query: Query, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        mime = body.get("mimeType")
        if mime != SHEET_MIME:
            raise ApiError(501, f"The local test server only creates Google Sheets files, not {mime!r}.")
        spreadsheet = self.store.create(body.get("name") or "Untitled spreadsheet")
        if body.get("parents"):
            spreadsheet.parents = list(body["parents"])
        return self._out(spreadsheet, query)

    def get(self, file_id: str, query: Query) -> dict[str, Any]:
        return self._out(self._file(file_id), query)

    def update(self, file_id: str, query: Query, body: Any) -> dict[str, Any]:
        spreadsheet = self._file(file_id)
        body = body if isinstance(body, dict) else {}
        if body.get("name"):
            spreadsheet.properties["title"] = body["name"]
            self.store.touch(spreadsheet)
        return self._out(spreadsheet, query)

    def delete(self, file_id: str, query: Query) -> Reply:
        spreadsheet = self._file(file_id)
        if spreadsheet.owner_email != self.store.caller_email:
            raise drive_error(403, "The user does not have sufficient permissions for this file.", "insufficientFilePermissions")
        self.store.delete(file_id)
        return Reply(status=204)

    def copy(self, file_id: str, query: Query, body: Any) -> dict[str, Any]:
        source = self._file(file_id)
        body = body if isinstance(body, dict) else {}
        clone = self.store.copy(source, body.get("name") or f"Copy of {source.title}")
        if body.get("parents"):
            clone.parents = list(body["parents"])
        return self._out(clone, query)

    def list(self, query: Query) -> dict[str, Any]:
        matcher = _Query(last(query, "q") or "")
        files = [s for s in self.store.spreadsheets.values() if self.store.can_open(s) and matcher.match(s, self.store)]
        files.sort(key=_order_key(last(query, "orderBy") or "modifiedTime desc"))
        size = min(max(int(last(query, "pageSize") or 100), 1), 1000)
        token = last(query, "pageToken") or ""
        if token and not re.fullmatch(r"p\d+", token):
            raise drive_error(400, "Invalid Value", "invalid", "pageToken")
        offset = int(token[1:]) if token else 0
        page = files[offset : offset + size]
        full: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
        if offset + size < len(files):
            full["nextPageToken"] = f"p{offset + size}"
        full["files"] = [drive_file_out(self.store, s) for s in page]
        mask = _mask(query, "kind,incompleteSearch,nextPageToken,files(" + _FILE_DEFAULT + ")")
        return select(full, mask, drop_empty_lists=False)

    def export(self, file_id: str, query: Query) -> Reply:
        spreadsheet = self._file(file_id)
        mime = last(query, "mimeType")
        delimiters = {"text/csv": ",", "text/tab-separated-values": "\t"}
        if mime not in delimiters:
            raise ApiError(501, f"The local test server exports text/csv and text/tab-separated-values, not {mime!r}.")
        sheet = spreadsheet.sheets[0]
        rows = read_values(spreadsheet, sheet, 0, sheet.rows, 0, sheet.cols)
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiters[mime], lineterminator="\r\n").writerows(rows)
        return Reply(raw=buffer.getvalue().rstrip("\r\n").encode(), content_type=f"{mime}; charset=UTF-8")

    def comments(self, file_id: str, query: Query) -> dict[str, Any]:
        self._file(file_id)
        return select({"kind": "drive#commentList", "comments": []}, _mask(query, "kind,comments"), drop_empty_lists=False)

    # --- permissions ------------------------------------------------------------

    def create_permission(self, file_id: str, query: Query, body: Any) -> dict[str, Any]:
        spreadsheet = self._file(file_id)
        body = body if isinstance(body, dict) else {}
        kind, role = body.get("type"), body.get("role")
        if kind not in _TYPES:
            raise drive_error(400, "The permission type field is required.", "required", "permission.type")
        if role not in _ROLES:
            raise drive_error(400, "The permission role field is required.", "required", "permission.role")
        if role == "owner" and not _bool(query, "transferOwnership", False):
            raise drive_error(
                403,
                "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
                "forbidden",
                "transferOwnership",
            )
        permission: dict[str, Any] = {"kind": "drive#permission", "type": kind, "role": role}
        if kind in ("user", "group"):
            email = body.get("emailAddress")
            if not email or "@" not in email:
                raise drive_error(400, "The email address is not valid.", "invalid", "permission.emailAddress")
            permission.update({"id": permission_id(email), "emailAddress": email, "displayName": email.split("@")[0]})
            if spreadsheet.access is not None:
                spreadsheet.access.add(email)
            notify = _bool(query, "sendNotificationEmail", True)
            self.store.notifications.append(
                {"fileId": spreadsheet.id, "to": email, "role": role, "send": notify, "message": last(query, "emailMessage")}
            )
        elif kind == "domain":
            permission.update({"id": permission_id("domain:" + str(body.get("domain"))), "domain": body.get("domain")})
            permission["allowFileDiscovery"] = bool(body.get("allowFileDiscovery", False))
        else:
            permission["id"] = "anyoneWithLink" if not body.get("allowFileDiscovery") else "anyone"
            permission["allowFileDiscovery"] = bool(body.get("allowFileDiscovery", False))
            spreadsheet.access = None
        permission.update({"deleted": False, "pendingOwner": False})
        # Sharing is not an edit: Drive's modifiedTime stays where it was.
        spreadsheet.permissions = [p for p in spreadsheet.permissions if p["id"] != permission["id"]] + [permission]
        return select(permission, _mask(query, _PERMISSION_DEFAULT), drop_empty_lists=False)

    def list_permissions(self, file_id: str, query: Query) -> dict[str, Any]:
        spreadsheet = self._file(file_id)
        full = {"kind": "drive#permissionList", "permissions": permissions_out(spreadsheet)}
        return select(full, _mask(query, "kind,permissions(" + _PERMISSION_DEFAULT + ")"), drop_empty_lists=False)

    def delete_permission(self, file_id: str, permission: str, query: Query) -> Reply:
        spreadsheet = self._file(file_id)
        if permission == permission_id(spreadsheet.owner_email):
            raise drive_error(403, "The owner of a file cannot be removed.", "cannotRemoveOwner")
        for stored in spreadsheet.permissions:
            if stored["id"] == permission:
                spreadsheet.permissions.remove(stored)
                if spreadsheet.access is not None and "emailAddress" in stored:
                    spreadsheet.access.discard(stored["emailAddress"])
                return Reply(status=204)
        raise drive_error(404, f"Permission not found: {permission}.", "notFound", "permissionId")


# --- the q language (the part that matters for spreadsheets) ---------------------------

_TOKENS = re.compile(r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(?P<op>!=|<=|>=|=|<|>|\(|\))|(?P<word>[A-Za-z_]+))")
_FIELDS = {"name", "mimeType", "modifiedTime", "createdTime", "trashed", "starred", "parents", "owners", "writers", "readers", "fullText", "sharedWithMe"}


def _parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


class _Query:
    """Parse Drive's ``q`` once; ``match`` tests a spreadsheet against it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKENS.match(text, pos)
            if not match:
                raise self._error()
            kind = match.lastgroup or ""
            value = match.group(kind)
            if kind == "str":
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            self.tokens.append((kind, value))
            pos = match.end()
        self.pos = 0
        self.tree = self._or() if self.tokens else ("true",)
        if self.pos != len(self.tokens):
            raise self._error()

    def _error(self) -> ApiError:
        return drive_error(400, "Invalid Value", "invalid", "q")

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise self._error()
        self.pos += 1
        return token

    def _or(self) -> tuple[Any, ...]:
        node = self._and()
        while self._peek() == ("word", "or"):
            self._take()
            node = ("or", node, self._and())
        return node

    def _and(self) -> tuple[Any, ...]:
        node = self._not()
        while self._peek() == ("word", "and"):
            self._take()
            node = ("and", node, self._not())
        return node

    def _not(self) -> tuple[Any, ...]:
        if self._peek() == ("word", "not"):
            self._take()
            return ("not", self._not())
        if self._peek() == ("op", "("):
            self._take()
            node = self._or()
            if self._take() != ("op", ")"):
                raise self._error()
            return node
        return self._term()

    def _term(self) -> tuple[Any, ...]:
        kind, first = self._take()
        if kind == "str":  # 'value' in parents / owners / writers / readers
            if self._take() != ("word", "in"):
                raise self._error()
            kind2, where = self._take()
            if kind2 != "word" or where not in _FIELDS:
                raise self._error()
            return ("in", where, first)
        if kind != "word" or first not in _FIELDS:
            raise self._error()
        op_kind, op = self._take()
        if op_kind == "word" and op in ("contains", "in"):
            pass
        elif op_kind != "op" or op in ("(", ")"):
            raise self._error()
        value_kind, value = self._take()
        if value_kind == "word" and value in ("true", "false"):
            return ("cmp", first, op, value == "true")
        if value_kind != "str":
            raise self._error()
        if op == "in":  # gspread writes `parents in "folder"`
            return ("in", first, value)
        if first in ("modifiedTime", "createdTime"):
            try:
                return ("cmp", first, op, _parse_time(value))
            except ValueError:
                raise self._error() from None
        return ("cmp", first, op, value)

    def match(self, spreadsheet: Spreadsheet, store: Store) -> bool:
        return self._eval(self.tree, spreadsheet, store)

    def _eval(self, node: tuple[Any, ...], s: Spreadsheet, store: Store) -> bool:
        head = node[0]
        if head == "true":
            return True
        if head == "and":
            return self._eval(node[1], s, store) and self._eval(node[2], s, store)
        if head == "or":
            return self._eval(node[1], s, store) or self._eval(node[2], s, store)
        if head == "not":
            return not self._eval(node[1], s, store)
        if head == "in":
            _, where, value = node
            if where == "parents":
                return value in s.parents
            if where == "owners":
                return value in (s.owner_email, "me" if s.owner_email == store.caller_email else None)
            emails = {p.get("emailAddress") for p in s.permissions}
            return value in emails or value == s.owner_email
        _, name, op, value = node
        actual: Any = {
            "name": s.title,
            "mimeType": SHEET_MIME,
            "modifiedTime": s.modified_time,
            "createdTime": s.created_time,
            "trashed": False,
            "starred": False,
            "fullText": s.title,
            "sharedWithMe": s.owner_email != store.caller_email,
        }.get(name)
        if op == "contains":
            return isinstance(actual, str) and str(value).lower() in actual.lower()
        comparisons = {
            "=": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        try:
            return bool(comparisons[op](actual, value))
        except TypeError:
            raise self._error() from None


def _order_key(order_by: str) -> Any:
    keys = []
    for part in order_by.split(","):
        words = part.split()
        if not words:
            continue
        name, descending = words[0], len(words) > 1 and words[1].lower() == "desc"
        keys.append((name, descending))

    def key(s: Spreadsheet) -> tuple[Any, ...]:
        out: list[Any] = []
        for name, descending in keys:
            value: Any = {
                "modifiedTime": s.modified_time.timestamp(),
                "createdTime": s.created_time.timestamp(),
                "name": s.title.lower(),
                "name_natural": s.title.lower(),
            }.get(name, 0)
            if descending:
                value = -value if isinstance(value, float) else tuple(-ord(ch) for ch in value)
            out.append(value)
        return tuple(out)

    return key
