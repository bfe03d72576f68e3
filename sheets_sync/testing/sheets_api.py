"""spreadsheets.get and spreadsheets.create."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .fields import MaskError, parse_mask
from .masks import sync_colors
from .params import Query, bool_param, check_params, last
from .render import spreadsheet_out
from .state import Sheet, Store
from .validate import check_body

__all__ = ["create_spreadsheet", "get_spreadsheet", "mask_from_query"]


def mask_from_query(query: Query) -> dict[str, Any] | None:
    """The ``fields`` parameter as a mask tree, or None when absent."""
    text = last(query, "fields")
    if not text:
        return None
    try:
        return parse_mask(text)
    except MaskError:
        raise bad_request(f"Invalid field selection {text}", field="fields") from None


def get_spreadsheet(store: Store, spreadsheet_id: str, query: Query) -> dict[str, Any]:
    """GET /v4/spreadsheets/{id}: metadata, or grid data when asked for (directly or by ``fields``)."""
    check_params(query, {"includeGridData", "ranges", "excludeTablesInBandedRanges", "commentsViewMode"})
    include_grid = bool_param(query, "includeGridData")
    mask = mask_from_query(query)
    # Asking for sheets.data in the mask is enough for Google to send grid data.
    sheets_mask = mask.get("sheets") if mask else None
    if isinstance(sheets_mask, dict) and "data" in sheets_mask:
        include_grid = True
    spreadsheet = store.get(spreadsheet_id)
    ranges = [spreadsheet.resolve(text) for text in query.get("ranges", [])] or None
    return spreadsheet_out(store, spreadsheet, include_grid=include_grid, ranges=ranges)


def create_spreadsheet(store: Store, body: Any, query: Query) -> dict[str, Any]:
    """POST /v4/spreadsheets: a new file owned by the caller, built from the given resource."""
    check_params(query, set())
    asked = sync_colors(check_body("Spreadsheet", body if body is not None else {}, "spreadsheet"))
    props = asked.get("properties", {})
    spreadsheet = store.create(
        props.get("title") or "Untitled spreadsheet",
        sheets={},
        locale=props.get("locale", "en_US"),
        time_zone=props.get("timeZone", "Etc/GMT"),
    )
    spreadsheet.sheets = []
    for index, sheet_json in enumerate(asked.get("sheets", [])):
        sheet_props = sheet_json.get("properties", {})
        grid = sheet_props.get("gridProperties", {})
        title = sheet_props.get("title") or f"Sheet{index + 1}"
        if spreadsheet.sheet_by_title(title) is not None:
            raise bad_request(f'A sheet with the name "{title}" already exists. Please enter another name.')
        sheet_id = sheet_props.get("sheetId", 0 if index == 0 else store.new_int_id(s.sheet_id for s in spreadsheet.sheets))
        sheet = Sheet(sheet_id, title, grid.get("rowCount", 1000), grid.get("columnCount", 26))
        for key in ("frozenRowCount", "frozenColumnCount", "hideGridlines"):
            if key in grid:
                sheet.properties["gridProperties"][key] = grid[key]
        for key in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
            if key in sheet_props:
                sheet.properties[key] = sheet_props[key]
        for data in sheet_json.get("data", []):
            r0, c0 = data.get("startRow", 0), data.get("startColumn", 0)
            for i, row in enumerate(data.get("rowData", [])):
                for j, cell in enumerate(row.get("values", [])):
                    stored = {k: v for k, v in cell.items() if k in ("userEnteredValue", "userEnteredFormat", "note", "hyperlink", "dataValidation")}
                    if stored:
                        sheet.cells[(r0 + i, c0 + j)] = stored
        spreadsheet.sheets.append(sheet)
    if not spreadsheet.sheets:
        spreadsheet.sheets.append(Sheet(0, "Sheet1"))
    for key in ("autoRecalc", "defaultFormat"):
        if key in props:
            spreadsheet.properties[key] = props[key]
    spreadsheet.reindex()
    return spreadsheet_out(store, spreadsheet)
