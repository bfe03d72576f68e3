"""spreadsheets.batchUpdate: the request kinds, carried out on the in-memory state.

Google applies a batch all or nothing, so the spreadsheet is snapshotted first
and put back if any request fails.  Semantic errors are worded like Google's,
prefixed with the request: ``Invalid requests[1].addSheet: A sheet with the
name "Loans" already exists. Please enter another name.``
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import dimensions
from .errors import ApiError, invalid_request
from .fields import apply_update
from .masks import check_mask, sync_colors
from .render import grid_range_out, sheet_properties_out, spreadsheet_out
from .state import Sheet, Spreadsheet, Store
from .validate import check_body

__all__ = ["HANDLERS", "apply_cell_data", "batch_update"]

Handler = Callable[[Store, Spreadsheet, dict[str, Any], str], dict[str, Any]]

# Writable CellData fields; effective/formatted values are Google's to compute.
_CELL_FIELDS = ("userEnteredValue", "userEnteredFormat", "note", "hyperlink", "dataValidation", "textFormatRuns")


def batch_update(store: Store, spreadsheet: Spreadsheet, body: Any) -> dict[str, Any]:
    """Run every request in order; all or nothing.  Returns Google's response body."""
    checked = check_body("BatchUpdateSpreadsheetRequest", body if body is not None else {})
    requests = checked.get("requests", [])
    if not requests:
        raise invalid_request("Must specify at least one request.")
    snapshot = copy.deepcopy(spreadsheet.__dict__)
    replies = []
    try:
        for index, request in enumerate(requests):
            kind, payload = next(iter(request.items()))
            replies.append(HANDLERS[kind](store, spreadsheet, payload, f"requests[{index}].{kind}"))
    except ApiError:
        spreadsheet.__dict__.update(snapshot)
        raise
    store.touch(spreadsheet)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id, "replies": replies}
    if checked.get("includeSpreadsheetInResponse"):
        ranges = [spreadsheet.resolve(text) for text in checked.get("responseRanges", [])] or None
        out["updatedSpreadsheet"] = spreadsheet_out(
            store, spreadsheet, include_grid=bool(checked.get("responseIncludeGridData")), ranges=ranges
        )
    return out


def apply_cell_data(sheet: Sheet, row: int, col: int, data: dict[str, Any], paths: list[tuple[str, ...]]) -> None:
    """Write the masked fields of one CellData into the stored cell (absent = cleared)."""
    cell = sheet.cell(row, col)
    apply_update(cell, data, paths)
    if cell.get("note") == "":
        del cell["note"]  # an empty note is no note
    entered = cell.get("userEnteredValue")
    if entered is not None and (entered == {} or entered.get("stringValue") == ""):
        del cell["userEnteredValue"]
    if cell.get("userEnteredFormat") == {}:
        del cell["userEnteredFormat"]
    sheet.prune(row, col)


def _cell_paths(fields: str | None, where: str) -> list[tuple[str, ...]]:
    paths = check_mask(fields, "CellData", where)
    return [p for p in paths if p[0] in _CELL_FIELDS]


# --- sheets -----------------------------------------------------------------------


def _title_taken(spreadsheet: Spreadsheet, title: str, but: Sheet | None = None) -> bool:
    folded = title.casefold()
    return any(s.title.casefold() == folded for s in spreadsheet.sheets if s is not but)


def _title_clash(where: str, title: str) -> ApiError:
    return invalid_request(f'Invalid {where}: A sheet with the name "{title}" already exists. Please enter another name.')


def add_sheet(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    props = sync_colors(payload.get("properties", {}))
    title = props.get("title")
    if not title:
        number = len(spreadsheet.sheets) + 1
        while _title_taken(spreadsheet, f"Sheet{number}"):
            number += 1
        title = f"Sheet{number}"
    if _title_taken(spreadsheet, title):
        raise _title_clash(where, title)
    taken = [s.sheet_id for s in spreadsheet.sheets]
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = store.new_int_id(taken)
    elif sheet_id in taken:
        raise invalid_request(f"Invalid {where}: A sheet with the id {sheet_id} already exists.")
    grid = props.get("gridProperties", {})
    sheet = Sheet(sheet_id, title, grid.get("rowCount", 1000), grid.get("columnCount", 26))
    for key in ("frozenRowCount", "frozenColumnCount", "hideGridlines", "rowGroupControlAfter", "columnGroupControlAfter"):
        if key in grid:
            sheet.properties["gridProperties"][key] = grid[key]
    for key in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
        if key in props:
            sheet.properties[key] = props[key]
    if props.get("sheetType", "GRID") != "GRID":
        raise ApiError(501, "Only GRID sheets are implemented by the local test server.")
    index = props.get("index", len(spreadsheet.sheets))
    spreadsheet.sheets.insert(max(0, min(index, len(spreadsheet.sheets))), sheet)
    spreadsheet.reindex()
    return {"addSheet": {"properties": sheet_properties_out(sheet)}}


def delete_sheet(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    sheet = spreadsheet.sheet_by_id(payload.get("sheetId", 0), where)
    if len(spreadsheet.sheets) == 1:
        raise invalid_request(f"Invalid {where}: You can't remove all the sheets in a document.")
    spreadsheet.sheets.remove(sheet)
    spreadsheet.named_ranges = [n for n in spreadsheet.named_ranges if n.get("range", {}).get("sheetId", 0) != sheet.sheet_id]
    spreadsheet.reindex()
    return {}


def update_sheet_properties(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    props = sync_colors(payload.get("properties", {}))
    paths = check_mask(payload.get("fields"), "SheetProperties", where, skip=("sheetId",))
    sheet = spreadsheet.sheet_by_id(props.get("sheetId", 0), where)
    updated = copy.deepcopy(sheet.properties)
    apply_update(updated, props, paths)
    updated["sheetId"] = sheet.sheet_id
    updated.setdefault("gridProperties", {})
    title = updated.get("title", "")
    if not title:
        raise invalid_request(f"Invalid {where}: The sheet name cannot be empty.")
    if _title_taken(spreadsheet, title, but=sheet):
        raise _title_clash(where, title)
    if updated.get("hidden") and all(s.properties.get("hidden") for s in spreadsheet.sheets if s is not sheet):
        raise invalid_request(f"Invalid {where}: You can't hide all the sheets in a document.")
    grid = updated["gridProperties"]
    rows, cols = grid.get("rowCount", sheet.rows), grid.get("columnCount", sheet.cols)
    if rows < 1 or cols < 1:
        raise invalid_request(f"Invalid {where}: A sheet must have at least one row and one column.")
    old_index = spreadsheet.sheets.index(sheet)
    new_index = updated.get("index", old_index)
    sheet.properties = updated
    sheet.set_size(rows, cols)
    if new_index != old_index:
        # Google counts the target index "before the move".
        spreadsheet.sheets.pop(old_index)
        target = new_index - 1 if new_index > old_index else new_index
        spreadsheet.sheets.insert(max(0, min(target, len(spreadsheet.sheets))), sheet)
    spreadsheet.reindex()
    return {}


def update_spreadsheet_properties(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    props = sync_colors(payload.get("properties", {}))
    paths = check_mask(payload.get("fields"), "SpreadsheetProperties", where)
    updated = copy.deepcopy(spreadsheet.properties)
    apply_update(updated, props, paths)
    if not updated.get("title"):
        raise invalid_request(f"Invalid {where}: The spreadsheet title cannot be empty.")
    spreadsheet.properties = updated
    return {}


# --- cells ------------------------------------------------------------------------


def update_cells(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    paths = _cell_paths(payload.get("fields"), where)
    rows = payload.get("rows", [])
    if "range" in payload:
        sheet, r0, r1, c0, c1 = spreadsheet.grid_range(payload["range"], where)
    elif "start" in payload:
        start = payload["start"]
        sheet = spreadsheet.sheet_by_id(start.get("sheetId", 0), where)
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        r1 = r0 + len(rows)
        c1 = c0 + max([len(row.get("values", [])) for row in rows] or [0])
    else:
        raise invalid_request(f"Invalid {where}: Either range or start must be set.")
    sheet.check_inside(r0, r1, c0, c1)
    written = set()
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values", [])):
            r, c = r0 + i, c0 + j
            if r >= r1 or c >= c1:
                raise invalid_request(
                    f"Invalid {where}: Attempting to write row: {r}, column: {c}, beyond the requested range."
                )
            apply_cell_data(sheet, r, c, sync_colors(data), paths)
            written.add((r, c))
    if "range" in payload:
        # Cells of the range that the rows do not reach are cleared for the masked fields.
        for r, c in [key for key in sheet.cells if r0 <= key[0] < r1 and c0 <= key[1] < c1 and key not in written]:
            apply_cell_data(sheet, r, c, {}, paths)
    return {}


def repeat_cell(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    paths = _cell_paths(payload.get("fields"), where)
    sheet, r0, r1, c0, c1 = spreadsheet.grid_range(payload.get("range", {}), where)
    sheet.check_inside(r0, r1, c0, c1)
    data = sync_colors(payload.get("cell", {}))
    for r in range(r0, r1):
        for c in range(c0, c1):
            apply_cell_data(sheet, r, c, data, paths)
    return {}


def set_data_validation(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    sheet, r0, r1, c0, c1 = spreadsheet.grid_range(payload.get("range", {}), where)
    sheet.check_inside(r0, r1, c0, c1)
    rule = payload.get("rule")
    if rule is not None and not rule.get("condition", {}).get("type"):
        raise invalid_request(f"Invalid {where}: The data validation rule must have a condition type.")
    for r in range(r0, r1):
        for c in range(c0, c1):
            apply_cell_data(sheet, r, c, {"dataValidation": rule} if rule else {}, [("dataValidation",)])
    return {}


# --- protected and named ranges ------------------------------------------------------


def _stored_range(spreadsheet: Spreadsheet, grid: dict[str, Any], where: str) -> dict[str, Any]:
    sheet, r0, r1, c0, c1 = spreadsheet.grid_range(grid, where)
    return grid_range_out(sheet.sheet_id, r0, r1, c0, c1)


def add_protected_range(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    asked = payload.get("protectedRange", {})
    if "namedRangeId" in asked:
        named = _named(spreadsheet, asked["namedRangeId"], where)
        grid = named.get("range", {})
    else:
        grid = asked.get("range", {})
    sheet = spreadsheet.sheet_by_id(grid.get("sheetId", 0), where)
    taken = [p["protectedRangeId"] for s in spreadsheet.sheets for p in s.protected_ranges]
    stored: dict[str, Any] = {
        "protectedRangeId": asked.get("protectedRangeId") or store.new_int_id(taken),
        "range": _stored_range(spreadsheet, grid, where),
    }
    if "namedRangeId" in asked:
        stored["namedRangeId"] = asked["namedRangeId"]
    if asked.get("description"):
        stored["description"] = asked["description"]
    if asked.get("warningOnly"):
        stored["warningOnly"] = True
    stored["requestingUserCanEdit"] = True  # the caller made it, so the caller may edit
    if asked.get("unprotectedRanges"):
        stored["unprotectedRanges"] = [_stored_range(spreadsheet, g, where) for g in asked["unprotectedRanges"]]
    editors = {k: v for k, v in (asked.get("editors") or {}).items() if v}
    stored["editors"] = editors
    sheet.protected_ranges.append(stored)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(stored)}}


def delete_protected_range(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    wanted = payload.get("protectedRangeId", 0)
    for sheet in spreadsheet.sheets:
        for protected in sheet.protected_ranges:
            if protected["protectedRangeId"] == wanted:
                sheet.protected_ranges.remove(protected)
                return {}
    raise invalid_request(f"Invalid {where}: No protected range with id: {wanted}")


def _named(spreadsheet: Spreadsheet, named_id: str, where: str) -> dict[str, Any]:
    for named in spreadsheet.named_ranges:
        if named["namedRangeId"] == named_id:
            return named
    raise invalid_request(f"Invalid {where}: No named range with id: {named_id}")


def add_named_range(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    asked = payload.get("namedRange", {})
    name = asked.get("name", "")
    if not name or any(n["name"].casefold() == name.casefold() for n in spreadsheet.named_ranges):
        raise invalid_request(f"Invalid {where}: The name {name!r} is empty or already used by another named range.")
    named_id = asked.get("namedRangeId") or str(store.new_int_id(int(n["namedRangeId"]) for n in spreadsheet.named_ranges if n["namedRangeId"].isdigit()))
    stored = {"namedRangeId": named_id, "name": name, "range": _stored_range(spreadsheet, asked.get("range", {}), where)}
    spreadsheet.named_ranges.append(stored)
    return {"addNamedRange": {"namedRange": copy.deepcopy(stored)}}


def delete_named_range(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    spreadsheet.named_ranges.remove(_named(spreadsheet, payload.get("namedRangeId", ""), where))
    return {}


def update_named_range(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    asked = payload.get("namedRange", {})
    paths = check_mask(payload.get("fields"), "NamedRange", where, skip=("namedRangeId",))
    named = _named(spreadsheet, asked.get("namedRangeId", ""), where)
    source = dict(asked)
    if "range" in source:
        source["range"] = _stored_range(spreadsheet, source["range"], where)
    apply_update(named, source, [p[:1] for p in paths])
    return {}


# --- filters ----------------------------------------------------------------------


def set_basic_filter(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    wanted = sync_colors(copy.deepcopy(payload.get("filter", {})))
    grid = wanted.get("range", {})
    sheet = spreadsheet.sheet_by_id(grid.get("sheetId", 0), where)
    wanted["range"] = _stored_range(spreadsheet, grid, where)
    sheet.basic_filter = wanted
    return {}


def clear_basic_filter(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    spreadsheet.sheet_by_id(payload.get("sheetId", 0), where).basic_filter = None
    return {}


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "setDataValidation": set_data_validation,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "addNamedRange": add_named_range,
    "deleteNamedRange": delete_named_range,
    "updateNamedRange": update_named_range,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    **dimensions.HANDLERS,
}
