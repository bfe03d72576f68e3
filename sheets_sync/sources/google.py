"""Read a club's Google Sheet in one request and write back in at most one.

The only module that knows gspread.  Every HTTP call goes through
:class:`~sheets_sync.sources.google_http.GoogleHTTPClient` (retries, rate limit,
``SHEETS_SYNC_GOOGLE_API_URL`` for the local server).

Reading is one ``spreadsheets.get`` with grid data and a fields mask: every
tab's values, notes, backgrounds and number-format types, and the merges.
Values are read as Google stores them (``effectiveValue``): a date is its
serial number and the cell's number format says it is a date, so 05/10/2026 is
never confused with 10 May, whatever the sheet's locale shows.

Writing is one ``spreadsheets.batchUpdate``, and none when nothing changed:
notes and backgrounds on the problem cells of the tabs staff edit (never a
value), and the owned tabs (Kiểm tra, Báo cáo tháng) rewritten whole, every
text as a plain string (``stringValue``), never a formula.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import gspread
from gspread.exceptions import APIError, GSpreadException
from requests.exceptions import RequestException

from ..errors import ConfigError, SourceUnavailable
from ..i18n import Text
from ..grid import EMPTY, RawCell, RawTab, RawWorkbook
from ..writeback import CHECK_TAB, OWNED_TABS, CellChange, same_rows
from .google_http import BASE_URL_ENV, describe_api_error, make_client

__all__ = [
    "GoogleSheet", "is_google_location", "spreadsheet_key", "google_client", "raw_from_document",
    "write_requests", "create_club_sheet", "layout_requests", "DriveFile", "drive_listing", "CREDENTIALS_FILE_ENV", "CREDENTIALS_JSON_ENV", "SCOPES",
]

SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"]
CREDENTIALS_FILE_ENV = "SHEETS_SYNC_CREDENTIALS"
CREDENTIALS_JSON_ENV = "SHEETS_SYNC_CREDENTIALS_JSON"

SPREADSHEET_URL = "https://sheets.googleapis.com/v4/spreadsheets/{key}"
BATCH_UPDATE_URL = "https://sheets.googleapis.com/v4/spreadsheets/{key}:batchUpdate"

#: Everything one read needs, nothing more (Google bills by request, not by field).
READ_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),"
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount)),merges,"
    "data(rowData(values(effectiveValue,note,userEnteredFormat/backgroundColor,effectiveFormat/numberFormat/type))))"
)

_URL = re.compile(r"https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")
_KEY = re.compile(r"^[A-Za-z0-9_-]{25,}$")

#: Google's errorValue types, written as the sheet shows them.
_ERRORS = {
    "ERROR": "#ERROR!", "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!",
    "REF": "#REF!", "NAME": "#NAME?", "NUM": "#NUM!", "N_A": "#N/A", "LOADING": "#GETTING_DATA",
}


def is_google_location(location: str | Path) -> bool:
    """True for a Google Sheets URL or a bare spreadsheet key (not an existing file)."""
    text = str(location)
    if _URL.match(text):
        return True
    return bool(_KEY.match(text)) and not text.lower().endswith(".xlsx") and not Path(text).exists()


def spreadsheet_key(location: str) -> str:
    """The spreadsheet key in a Sheets URL, or the key itself."""
    found = _URL.match(location)
    return found.group(1) if found else location


def google_client(credentials: str | Path | None = None, environ: Mapping[str, str] | None = None) -> tuple[gspread.Client, str | None]:
    """A gspread client and the service account's email (None with no key).

    The key comes from ``credentials`` (a JSON key file), else the file named
    by ``SHEETS_SYNC_CREDENTIALS``, else the JSON text in
    ``SHEETS_SYNC_CREDENTIALS_JSON``.  With ``SHEETS_SYNC_GOOGLE_API_URL`` set and
    no key, the client talks to that server with no credentials at all.
    """
    env = os.environ if environ is None else environ
    info = _key_info(credentials, env)
    if info is None:
        if not env.get(BASE_URL_ENV):
            raise ConfigError("google-no-credentials", file_env=CREDENTIALS_FILE_ENV, json_env=CREDENTIALS_JSON_ENV)
        return make_client(environ=env), None
    from google.oauth2.service_account import Credentials

    try:
        creds = Credentials.from_service_account_info(info, scopes=SCOPES)
    except (ValueError, KeyError) as err:
        raise ConfigError("google-bad-credentials", source=_key_source(credentials, env), detail=str(err)) from None
    return make_client(creds, environ=env), info.get("client_email")


def _key_source(credentials: str | Path | None, env: Mapping[str, str]) -> str:
    if credentials:
        return str(credentials)
    return env.get(CREDENTIALS_FILE_ENV) or CREDENTIALS_JSON_ENV


def _key_info(credentials: str | Path | None, env: Mapping[str, str]) -> dict | None:
    path = credentials or env.get(CREDENTIALS_FILE_ENV)
    try:
        if path:
            text = Path(path).read_text(encoding="utf-8")
        elif env.get(CREDENTIALS_JSON_ENV):
            text = env[CREDENTIALS_JSON_ENV]
        else:
            return None
        info = json.loads(text)
    except OSError as err:
        raise ConfigError("google-bad-credentials", source=str(path), detail=err.strerror or type(err).__name__) from None
    except json.JSONDecodeError as err:
        # Never echo the text: it is a private key.
        raise ConfigError("google-bad-credentials", source=_key_source(credentials, env), detail=f"not JSON (line {err.lineno})") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError("google-bad-credentials", source=_key_source(credentials, env), detail='not a service account key ("type": "service_account")')
    return info


class GoogleSheet:
    """A club's Google Sheet: read in one request, written back in at most one."""

    def __init__(self, location: str, *, client: gspread.Client | None = None, service_account_email: str | None = None, credentials: str | Path | None = None, lang: str = "vi") -> None:
        self.location = location
        self.key = spreadsheet_key(location)
        if client is None:
            client, service_account_email = google_client(credentials)
        self.client = client
        self.service_account_email = service_account_email
        self.lang = lang
        self.document: dict | None = None

    def _call(self, method: str, url: str, **kwargs: Any) -> dict:
        try:
            return self.client.http_client.request(method, url.format(key=self.key), **kwargs).json()
        except (APIError, GSpreadException, RequestException) as err:
            detail = Text(**{lang: describe_api_error(err, lang, self.service_account_email) for lang in ("vi", "en")})
            raise SourceUnavailable(path=self.location, detail=detail) from err

    def read(self) -> RawWorkbook:
        """Every tab, its notes and backgrounds, in one ``spreadsheets.get``."""
        document = self._call("get", SPREADSHEET_URL, params={"includeGridData": "true", "fields": READ_FIELDS})
        raw = raw_from_document(document)
        raw.location = self.location
        self.document = _for_write_back(document)
        return raw

    def write_back(self, raw: RawWorkbook, changes: list[CellChange], owned: dict[str, list[list]]) -> bool:
        """One ``batchUpdate`` with every note, fill and owned tab; False when nothing changed."""
        if self.document is None:
            raise RuntimeError("read() first: the write is planned against what was read")
        requests = write_requests(self.document, changes, owned)
        if not requests:
            return False
        self._call("post", BATCH_UPDATE_URL, json={"requests": requests})
        return True


# --- reading ------------------------------------------------------------------------------


def _for_write_back(document: dict) -> dict:
    """What planning the write-back needs of a read: every tab's properties, and the cells of our own tabs only.

    The grid data of the staff's tabs is most of a read's memory; it is in the
    RawWorkbook now, and a run holds several clubs at once.
    """
    sheets = [sheet if sheet.get("properties", {}).get("title") in OWNED_TABS else {k: v for k, v in sheet.items() if k != "data"}
              for sheet in document.get("sheets", [])]
    return {**document, "sheets": sheets}


def raw_from_document(document: dict) -> RawWorkbook:
    """A ``spreadsheets.get`` answer (with grid data) as raw tabs."""
    tabs = []
    # RawCell is immutable: a value repeated across the workbook (a date, an
    # amount, a status) becomes one shared cell, made once.
    plain: dict[tuple, RawCell] = {}
    for sheet in document.get("sheets", []):
        props = sheet.get("properties", {})
        rows: list[list[RawCell]] = []
        for data in sheet.get("data", []):
            for row in data.get("rowData", []):
                rows.append([_raw_cell(cell, plain) for cell in row.get("values", [])])
        _fill_merges(rows, sheet.get("merges", []))
        while rows and all(cell is EMPTY or cell == EMPTY for cell in rows[-1]):
            rows.pop()
        tabs.append(RawTab(title=props.get("title", ""), rows=rows))
    title = document.get("properties", {}).get("title", "")
    return RawWorkbook(name=title, tabs=tabs, location=document.get("spreadsheetId", ""))


_NUMBER_KINDS = {"DATE": "date", "DATE_TIME": "date", "PERCENT": "percent"}


def _raw_cell(cell: dict, plain: dict[tuple, RawCell] | None = None) -> RawCell:
    effective = cell.get("effectiveValue")
    entered = cell.get("userEnteredFormat")
    fill = _hex(entered.get("backgroundColor")) if entered else None
    note = cell.get("note")
    value: Any = None
    kind = None
    if not effective:
        pass
    elif "stringValue" in effective:
        value = effective["stringValue"]
    elif "numberValue" in effective:
        value = effective["numberValue"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        number_format = (cell.get("effectiveFormat") or {}).get("numberFormat")
        kind = _NUMBER_KINDS.get(number_format.get("type")) if number_format else None
    elif "errorValue" in effective:
        value, kind = _ERRORS.get(effective["errorValue"].get("type"), "#ERROR!"), "error"
    elif "boolValue" in effective:
        value = effective["boolValue"]
    if note is not None or fill is not None:
        return RawCell(value, kind, note, fill)
    if value is None:
        return EMPTY
    if plain is None:
        return RawCell(value, kind)
    key = (value.__class__, value, kind)
    found = plain.get(key)
    if found is None:
        found = plain[key] = RawCell(value, kind)
    return found


def _hex(color: dict | None) -> str | None:
    if not color:
        return None
    parts = [round(float(color.get(c, 0)) * 255) for c in ("red", "green", "blue")]
    return "".join(f"{p:02X}" for p in parts)


def _color(hex_text: str) -> dict:
    return {name: int(hex_text[i : i + 2], 16) / 255 for name, i in (("red", 0), ("green", 2), ("blue", 4))}


def _fill_merges(rows: list[list[RawCell]], merges: list[dict]) -> None:
    """Give a merged range's value to every cell it covers (staff merge a case's ID)."""
    for merge in merges:
        r0, r1 = merge.get("startRowIndex", 0), merge.get("endRowIndex", 0)
        c0, c1 = merge.get("startColumnIndex", 0), merge.get("endColumnIndex", 0)
        if r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else EMPTY
        for r in range(r0, min(r1, len(rows))):
            row = rows[r]
            row.extend([EMPTY] * (c1 - len(row)))
            for c in range(c0, c1):
                row[c] = RawCell(top.value, top.kind, row[c].note, row[c].fill)


# --- writing ------------------------------------------------------------------------------


def write_requests(document: dict, changes: list[CellChange], owned: dict[str, list[list]]) -> list[dict]:
    """The batchUpdate requests that bring the sheet up to date (empty: nothing to do)."""
    sheets = {s["properties"]["title"]: s for s in document.get("sheets", [])}
    requests = [_cell_request(sheets[c.tab]["properties"]["sheetId"], c) for c in changes if c.tab in sheets]
    used_ids = {s["properties"]["sheetId"] for s in sheets.values()}
    for title, rows in owned.items():
        sheet = sheets.get(title)
        if sheet is not None and same_rows(_values(sheet), rows):
            continue
        width = max((len(r) for r in rows), default=1)
        if sheet is None:
            sheet_id = _new_sheet_id(title, used_ids)
            used_ids.add(sheet_id)
            requests.append({"addSheet": {"properties": {
                "sheetId": sheet_id, "title": title,
                "gridProperties": {"rowCount": max(100, len(rows) + 20), "columnCount": max(10, width), "frozenRowCount": 1},
            }}})
        else:
            sheet_id = sheet["properties"]["sheetId"]
            grid = sheet["properties"].get("gridProperties", {})
            for dimension, have, need in (("ROWS", grid.get("rowCount", 0), len(rows)), ("COLUMNS", grid.get("columnCount", 0), width)):
                if have < need:
                    requests.append({"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": need - have}})
            requests.append({"updateCells": {"range": {"sheetId": sheet_id}, "fields": "userEnteredValue,userEnteredFormat"}})
        link_ids = {t: s["properties"]["sheetId"] for t, s in sheets.items()} if title == CHECK_TAB else {}
        requests.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [_owned_cell(v, r, c, row, link_ids) for c, v in enumerate(row)]} for r, row in enumerate(rows)],
            "fields": "userEnteredValue,userEnteredFormat.textFormat",
        }})
    return requests


def _cell_request(sheet_id: int, change: CellChange) -> dict:
    cell: dict[str, Any] = {}
    fields = []
    if change.note_changed:
        fields.append("note")
        if change.note:
            cell["note"] = change.note
    if change.fill_changed:
        fields.append("userEnteredFormat.backgroundColor")
        if change.fill:
            cell["userEnteredFormat"] = {"backgroundColor": _color(change.fill)}
    return {"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": change.row - 1, "endRowIndex": change.row, "startColumnIndex": change.col - 1, "endColumnIndex": change.col},
        "rows": [{"values": [cell]}],
        "fields": ",".join(fields),
    }}


def _owned_cell(value: Any, r: int, c: int, row: list, link_ids: dict[str, int]) -> dict:
    if value is None or value == "":
        cell: dict[str, Any] = {}
    elif isinstance(value, bool):
        cell = {"userEnteredValue": {"boolValue": value}}
    elif isinstance(value, (int, float)):
        cell = {"userEnteredValue": {"numberValue": value}}
    else:
        # stringValue is stored as typed: "=IMPORTXML(...)" from a sheet stays text.
        cell = {"userEnteredValue": {"stringValue": str(value)}}
    if r == 0:
        cell["userEnteredFormat"] = {"textFormat": {"bold": True}}
    elif c == 3 and row and row[0] in link_ids:
        cell["userEnteredFormat"] = {"textFormat": {"link": {"uri": f"#gid={link_ids[row[0]]}&range={value}"}}}
    return cell


def _values(sheet: dict) -> list[list]:
    rows = []
    for data in sheet.get("data", []):
        for row in data.get("rowData", []):
            rows.append([_raw_cell(cell).value for cell in row.get("values", [])])
    return rows


def _new_sheet_id(title: str, used: set[int]) -> int:
    """A stable id for an owned tab (so a link to it survives), not clashing with others."""
    sheet_id = zlib.crc32(title.encode("utf-8")) % 2_000_000_000 + 1
    while sheet_id in used:
        sheet_id += 1
    return sheet_id


# --- a new club sheet ------------------------------------------------------------------------

CREATE_URL = "https://sheets.googleapis.com/v4/spreadsheets"
PERMISSIONS_URL = "https://www.googleapis.com/drive/v3/files/{key}/permissions"

_NUMBER_FORMATS = {
    "date": {"type": "DATE", "pattern": "dd/mm/yyyy"},
    "money": {"type": "NUMBER", "pattern": "#,##0"},
    "percent": {"type": "NUMBER", "pattern": "0.0#"},
    "integer": {"type": "NUMBER", "pattern": "0"},
    "year": {"type": "NUMBER", "pattern": "0"},
    "phone": {"type": "TEXT"},
}


def create_club_sheet(client: gspread.Client, title: str, layout: list, share_with: str | None, *, service_account_email: str | None = None, lang: str = "vi") -> str:
    """Create a club sheet (tabs, headers, dropdowns, formats, frozen and protected headers); return its URL.

    Three requests: create (locale vi_VN, so 05/10/2026 typed by staff is 5 October,
    and the Vietnam time zone), one batchUpdate for everything else, and one
    Drive permission sharing it with ``share_with`` as an editor.
    """
    sheet = GoogleSheet(title, client=client, service_account_email=service_account_email, lang=lang)
    body = {
        "properties": {"title": title, "locale": "vi_VN", "timeZone": "Asia/Ho_Chi_Minh"},
        "sheets": [
            {"properties": {"sheetId": index + 1, "title": tab.title, "index": index,
                            "gridProperties": {"rowCount": 1000, "columnCount": max(len(tab.columns), 2), "frozenRowCount": 1}}}
            for index, tab in enumerate(layout)
        ],
    }
    created = sheet._call("post", CREATE_URL, json=body)
    sheet.key = created["spreadsheetId"]
    sheet._call("post", BATCH_UPDATE_URL, json={"requests": layout_requests(layout)})
    if share_with:
        sheet._call("post", PERMISSIONS_URL, params={"sendNotificationEmail": "true"}, json={"type": "user", "role": "writer", "emailAddress": share_with})
    return f"https://docs.google.com/spreadsheets/d/{sheet.key}/edit"


def layout_requests(layout: list) -> list[dict]:
    """Headers, Settings items, dropdowns, number formats, widths and header protection."""
    requests: list[dict] = []
    for index, tab in enumerate(layout):
        sheet_id = index + 1
        header = {"values": [{"userEnteredValue": {"stringValue": c.header}, "userEnteredFormat": {"textFormat": {"bold": True}, "backgroundColor": _color("DDEBF7"), "wrapStrategy": "WRAP"}} for c in tab.columns]}
        rows = [header]
        if tab.is_settings:
            rows += [{"values": [{"userEnteredValue": {"stringValue": name}}, _owned_cell(default, 1, 1, [], {})]} for name, default in tab.items]
        requests.append({"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0}, "rows": rows, "fields": "userEnteredValue,userEnteredFormat"}})
        requests.append({"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
            "description": "Dòng tiêu đề: sheets-sync đọc cột theo tên này", "warningOnly": True,
        }}})
        for col, column in enumerate(tab.columns):
            requests.append({"updateDimensionProperties": {
                "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col, "endIndex": col + 1},
                "properties": {"pixelSize": column.width * 7}, "fields": "pixelSize",
            }})
            if tab.is_settings:
                continue
            body = {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 1000, "startColumnIndex": col, "endColumnIndex": col + 1}
            if column.type in _NUMBER_FORMATS:
                requests.append({"repeatCell": {"range": body, "cell": {"userEnteredFormat": {"numberFormat": _NUMBER_FORMATS[column.type]}}, "fields": "userEnteredFormat.numberFormat"}})
            if column.choices:
                requests.append({"setDataValidation": {"range": body, "rule": _list_rule(column.choices)}})
        for name, choices in tab.choices_by_item:
            r = 1 + [n for n, _ in tab.items].index(name)
            requests.append({"setDataValidation": {"range": {"sheetId": sheet_id, "startRowIndex": r, "endRowIndex": r + 1, "startColumnIndex": 1, "endColumnIndex": 2}, "rule": _list_rule(choices)}})
    return requests


def _list_rule(choices: tuple[str, ...]) -> dict:
    # strict False: a value off the list is still kept; the nightly check explains it.
    return {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in choices]}, "strict": False, "showCustomUi": True}


# --- what changed: one Drive listing for all the clubs ---------------------------------------------

DRIVE_FILES_URL = "https://www.googleapis.com/drive/v3/files"


@dataclass(frozen=True)
class DriveFile:
    """A spreadsheet as Drive lists it: when it last changed, and whether that change was ours."""

    key: str
    modified_time: str
    modified_by_us: bool = False


def drive_listing(client: gspread.Client) -> dict[str, DriveFile]:
    """Every spreadsheet the account can open, with its modifiedTime: ``files.list``, 1,000 a request.

    One call covers a thousand clubs, so a night where few sheets changed reads
    only those.  ``lastModifyingUser.me`` says the last change was the
    account's own write-back, which is not a change staff made.
    """
    params = {
        "q": "mimeType='application/vnd.google-apps.spreadsheet' and trashed=false",
        "pageSize": 1000,
        "fields": "nextPageToken,files(id,modifiedTime,lastModifyingUser(me))",
        "supportsAllDrives": "true",
        "includeItemsFromAllDrives": "true",
    }
    files: dict[str, DriveFile] = {}
    while True:
        page = client.http_client.request("get", DRIVE_FILES_URL, params=params).json()
        for item in page.get("files", []):
            me = bool((item.get("lastModifyingUser") or {}).get("me", False))
            files[item["id"]] = DriveFile(item["id"], item.get("modifiedTime", ""), me)
        token = page.get("nextPageToken")
        if not token:
            return files
        params = {**params, "pageToken": token}
