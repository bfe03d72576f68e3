"""Turn the in-memory state into the JSON Google answers with.

Google's habits kept here: proto3 drops defaults (``frozenRowCount: 0``,
``hidden: false``, a GridRange's ``sheetId: 0``), empty lists are absent, a
grid's trailing empty rows and cells are cut, empty cells before a filled one
are ``{}`` (grid data) or ``""`` (values), and a range with no values has no
``values`` key at all.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from .state import SHEET_MIME, Sheet, Spreadsheet, Store, rfc3339
from .values import effective_value, formatted_value, render_value

__all__ = [
    "cell_out",
    "drive_file_out",
    "grid_data_out",
    "grid_range_out",
    "permission_id",
    "read_values",
    "sheet_properties_out",
    "spreadsheet_out",
    "trim_grid_data",
]

ROW_PIXELS = 21
COLUMN_PIXELS = 100


def grid_range_out(sheet_id: int, r0: int | None, r1: int | None, c0: int | None, c1: int | None) -> dict[str, Any]:
    """A GridRange as Google writes it: ``sheetId`` only when not 0, bounds when set."""
    out: dict[str, Any] = {}
    if sheet_id:
        out["sheetId"] = sheet_id
    for key, value in (("startRowIndex", r0), ("endRowIndex", r1), ("startColumnIndex", c0), ("endColumnIndex", c1)):
        if value is not None:
            out[key] = value
    return out


def sheet_properties_out(sheet: Sheet) -> dict[str, Any]:
    """SheetProperties without the fields proto3 leaves out when they hold defaults."""
    props = copy.deepcopy(sheet.properties)
    grid = props.get("gridProperties", {})
    for key in ("frozenRowCount", "frozenColumnCount"):
        if not grid.get(key):
            grid.pop(key, None)
    for key in ("hideGridlines", "rowGroupControlAfter", "columnGroupControlAfter"):
        if grid.get(key) is False:
            grid.pop(key)
    for key in ("hidden", "rightToLeft"):
        if props.get(key) is False:
            props.pop(key)
    if props.get("tabColorStyle") == {}:
        props.pop("tabColorStyle")
        props.pop("tabColor", None)
    return props


def cell_out(spreadsheet: Spreadsheet, cell: dict[str, Any]) -> dict[str, Any]:
    """Full CellData for a stored cell: entered, effective and formatted value, formats, note."""
    out: dict[str, Any] = {}
    entered = cell.get("userEnteredValue")
    user_format = cell.get("userEnteredFormat")
    if entered is not None:
        effective = effective_value(entered)
        out["userEnteredValue"] = copy.deepcopy(entered)
        out["effectiveValue"] = effective
        out["formattedValue"] = formatted_value(effective, (user_format or {}).get("numberFormat"), spreadsheet.locale)
    if user_format:
        out["userEnteredFormat"] = copy.deepcopy(user_format)
    if entered is not None or user_format:
        out["effectiveFormat"] = _merge_format(spreadsheet.properties.get("defaultFormat", {}), user_format or {})
    for key in ("note", "hyperlink", "dataValidation", "textFormatRuns"):
        if key in cell:
            out[key] = copy.deepcopy(cell[key])
    return out


def _merge_format(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key not in ("backgroundColor", "foregroundColor", "rgbColor"):
            merged[key] = _merge_format(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def grid_data_out(spreadsheet: Spreadsheet, sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> dict[str, Any]:
    """GridData for one range: rows of CellData plus row and column metadata."""
    data: dict[str, Any] = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    inside = [(r, c) for (r, c) in sheet.cells if r0 <= r < r1 and c0 <= c < c1]
    if inside:
        last_row = max(r for r, _ in inside)
        rows: list[dict[str, Any]] = []
        for r in range(r0, last_row + 1):
            values = []
            in_row = [c for (rr, c) in inside if rr == r]
            if in_row:
                for c in range(c0, max(in_row) + 1):
                    stored = sheet.cells.get((r, c))
                    values.append(cell_out(spreadsheet, stored) if stored else {})
            rows.append({"values": values} if values else {})
        data["rowData"] = rows
    data["rowMetadata"] = [_meta(sheet.row_meta.get(r), ROW_PIXELS) for r in range(r0, r1)]
    data["columnMetadata"] = [_meta(sheet.col_meta.get(c), COLUMN_PIXELS) for c in range(c0, c1)]
    return data


def _meta(stored: dict[str, Any] | None, pixels: int) -> dict[str, Any]:
    meta: dict[str, Any] = {"pixelSize": pixels}
    for key, value in (stored or {}).items():
        if value not in (False, None):
            meta[key] = value
    return meta


def trim_grid_data(response: dict[str, Any]) -> None:
    """Cut trailing empty cells and rows left after a fields mask (Google sends ``data: [{}]``)."""
    for sheet in response.get("sheets", []):
        for data in sheet.get("data", []):
            rows = data.get("rowData")
            if rows is None:
                continue
            for row in rows:
                values = row.get("values")
                if values is not None:
                    while values and not values[-1]:
                        values.pop()
                    if not values:
                        del row["values"]
            while rows and not rows[-1]:
                rows.pop()
            if not rows:
                del data["rowData"]


def spreadsheet_out(
    store: Store,
    spreadsheet: Spreadsheet,
    *,
    include_grid: bool = False,
    ranges: list[tuple[Sheet, int, int, int, int]] | None = None,
) -> dict[str, Any]:
    """The Spreadsheet resource spreadsheets.get answers with."""
    sheets_out = []
    for sheet in spreadsheet.sheets:
        wanted = [r for r in ranges if r[0] is sheet] if ranges is not None else None
        if wanted is not None and not wanted:
            continue
        entry: dict[str, Any] = {"properties": sheet_properties_out(sheet)}
        if include_grid:
            spans = [r[1:] for r in wanted] if wanted is not None else [(0, sheet.rows, 0, sheet.cols)]
            entry["data"] = [grid_data_out(spreadsheet, sheet, *span) for span in spans]
        if sheet.merges:
            entry["merges"] = [grid_range_out(sheet.sheet_id, *m) for m in sheet.merges]
        if sheet.protected_ranges:
            entry["protectedRanges"] = [_protected_out(spreadsheet, sheet, p) for p in sheet.protected_ranges]
        if sheet.basic_filter is not None:
            entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
        sheets_out.append(entry)
    out: dict[str, Any] = {
        "spreadsheetId": spreadsheet.id,
        "properties": copy.deepcopy(spreadsheet.properties),
        "sheets": sheets_out,
    }
    if spreadsheet.named_ranges:
        out["namedRanges"] = copy.deepcopy(spreadsheet.named_ranges)
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{spreadsheet.id}/edit"
    return out


def _protected_out(spreadsheet: Spreadsheet, sheet: Sheet, stored: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(stored)
    # Sheets lists the owner among the editors even when the request named none.
    editors = out.setdefault("editors", {})
    users = [spreadsheet.owner_email] + [u for u in editors.get("users", []) if u != spreadsheet.owner_email]
    editors["users"] = users
    return out


def read_values(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    r0: int,
    r1: int,
    c0: int,
    c1: int,
    value_render: str = "FORMATTED_VALUE",
    date_render: str = "SERIAL_NUMBER",
    major: str = "ROWS",
) -> list[list[Any]]:
    """The ``values`` of a ValueRange: trailing empties cut, inner empties as ``""``."""
    filled = {
        (r, c): cell
        for (r, c), cell in sheet.cells.items()
        if r0 <= r < r1 and c0 <= c < c1 and "userEnteredValue" in cell
    }
    if not filled:
        return []

    def value(r: int, c: int) -> Any:
        cell = filled.get((r, c))
        if cell is None:
            return ""
        number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat")
        return render_value(cell["userEnteredValue"], number_format, spreadsheet.locale, value_render, date_render)

    if major == "COLUMNS":
        last_col = max(c for _, c in filled)
        columns = []
        for c in range(c0, last_col + 1):
            rows_here = [r for (r, cc) in filled if cc == c]
            columns.append([value(r, c) for r in range(r0, max(rows_here) + 1)] if rows_here else [])
        return columns
    last_row = max(r for r, _ in filled)
    rows = []
    for r in range(r0, last_row + 1):
        cols_here = [c for (rr, c) in filled if rr == r]
        rows.append([value(r, c) for c in range(c0, max(cols_here) + 1)] if cols_here else [])
    return rows


def permission_id(email: str) -> str:
    """A stable numeric permission id per email, shaped like Drive's."""
    return str(int(hashlib.sha1(email.encode()).hexdigest(), 16))[:20]


def drive_file_out(store: Store, spreadsheet: Spreadsheet) -> dict[str, Any]:
    """Every Drive File field this server knows; callers cut it down with ``fields``."""
    owner = spreadsheet.owner_email
    me = owner == store.caller_email
    return {
        "kind": "drive#file",
        "id": spreadsheet.id,
        "name": spreadsheet.title,
        "mimeType": SHEET_MIME,
        "starred": False,
        "trashed": False,
        "explicitlyTrashed": False,
        "parents": list(spreadsheet.parents),
        "webViewLink": f"https://docs.google.com/spreadsheets/d/{spreadsheet.id}/edit?usp=drivesdk",
        "version": str(spreadsheet.version),
        "createdTime": rfc3339(spreadsheet.created_time),
        "modifiedTime": rfc3339(spreadsheet.modified_time),
        "ownedByMe": me,
        "shared": bool(spreadsheet.permissions),
        "owners": [_user(store, owner)],
        "lastModifyingUser": _user(store, spreadsheet.last_modifying_user),
        "permissions": permissions_out(spreadsheet),
    }


def _user(store: Store, email: str) -> dict[str, Any]:
    """Drive's User resource; ``me`` is relative to whoever is asking."""
    return {
        "kind": "drive#user",
        "displayName": email.split("@")[0],
        "emailAddress": email,
        "me": email == store.caller_email,
        "permissionId": permission_id(email),
    }


def permissions_out(spreadsheet: Spreadsheet) -> list[dict[str, Any]]:
    """The owner's permission first, then the ones added by sharing."""
    owner = spreadsheet.owner_email
    first = {
        "kind": "drive#permission",
        "id": permission_id(owner),
        "type": "user",
        "emailAddress": owner,
        "role": "owner",
        "displayName": owner.split("@")[0],
        "deleted": False,
        "pendingOwner": False,
    }
    return [first] + copy.deepcopy(spreadsheet.permissions)
