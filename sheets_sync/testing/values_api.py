"""spreadsheets.values.*: get, batchGet, update, append, clear, batchUpdate, batchClear."""

from __future__ import annotations

import copy
from typing import Any

from . import a1
from .dimensions import HANDLERS as _DIMENSION_HANDLERS
from .errors import ApiError, invalid_request
from .params import Query, bool_param, check_params, enum_param
from .render import read_values
from .state import Sheet, Spreadsheet, Store, write_value
from .validate import check_body

__all__ = [
    "values_append",
    "values_batch_clear",
    "values_batch_get",
    "values_batch_update",
    "values_clear",
    "values_get",
    "values_update",
]

Bounds = tuple[Sheet, int, int, int, int]
_WRITE_PARAMS = {"valueInputOption", "includeValuesInResponse", "responseValueRenderOption", "responseDateTimeRenderOption"}


def _read_bounds(spreadsheet: Spreadsheet, text: str) -> Bounds:
    """Resolve a range for reading, closed at the grid's edge (400 when it starts past it)."""
    sheet, r0, r1, c0, c1 = spreadsheet.resolve(text)
    if r0 >= sheet.rows or c0 >= sheet.cols:
        sheet.check_inside(r0, r0 + 1, c0, c0 + 1)
    return sheet, r0, min(r1, sheet.rows), c0, min(c1, sheet.cols)


def _value_range(spreadsheet: Spreadsheet, bounds: Bounds, value_render: str, date_render: str, major: str) -> dict[str, Any]:
    sheet, r0, r1, c0, c1 = bounds
    out: dict[str, Any] = {"range": spreadsheet.echo(sheet, r0, r1, c0, c1), "majorDimension": major}
    values = read_values(spreadsheet, sheet, r0, r1, c0, c1, value_render, date_render, major)
    if values:
        out["values"] = values
    return out


def _render_options(query: Query) -> tuple[str, str, str]:
    value_render = enum_param(query, "valueRenderOption", "ValueRenderOption", "FORMATTED_VALUE")
    date_render = enum_param(query, "dateTimeRenderOption", "DateTimeRenderOption", "SERIAL_NUMBER")
    major = enum_param(query, "majorDimension", "Dimension", "ROWS")
    if major == "DIMENSION_UNSPECIFIED":
        major = "ROWS"
    return value_render, date_render, major  # type: ignore[return-value]


def values_get(store: Store, spreadsheet_id: str, text: str, query: Query) -> dict[str, Any]:
    check_params(query, {"valueRenderOption", "dateTimeRenderOption", "majorDimension"})
    options = _render_options(query)
    spreadsheet = store.get(spreadsheet_id)
    return _value_range(spreadsheet, _read_bounds(spreadsheet, text), *options)


def values_batch_get(store: Store, spreadsheet_id: str, query: Query) -> dict[str, Any]:
    check_params(query, {"ranges", "valueRenderOption", "dateTimeRenderOption", "majorDimension"})
    options = _render_options(query)
    spreadsheet = store.get(spreadsheet_id)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    ranges = query.get("ranges", [])
    if ranges:
        out["valueRanges"] = [_value_range(spreadsheet, _read_bounds(spreadsheet, text), *options) for text in ranges]
    return out


# --- writing -----------------------------------------------------------------------


def _input_option(value: str | None) -> str:
    if value in (None, "INPUT_VALUE_OPTION_UNSPECIFIED"):
        raise invalid_request("'valueInputOption' is required but not specified")
    return value  # type: ignore[return-value]


def _rows(value_range: dict[str, Any]) -> list[list[Any]]:
    values = value_range.get("values", [])
    if value_range.get("majorDimension") != "COLUMNS":
        return values
    height = max((len(col) for col in values), default=0)
    return [[col[i] if i < len(col) else None for col in values] for i in range(height)]


def _is_anchor(text: str) -> bool:
    """A single-cell A1 range ("Sheet1!B2") only says where to start writing."""
    try:
        _title, part = a1.split_range(text)
    except ValueError:
        return False
    return part is not None and ":" not in part


def _write(
    store: Store, spreadsheet: Spreadsheet, text: str, value_range: dict[str, Any], option: str, start: tuple[int, int] | None = None, grow: bool = False
) -> tuple[dict[str, Any], Bounds | None]:
    """Write one ValueRange; returns the UpdateValuesResponse and the written bounds."""
    sheet, r0, r1, c0, c1 = spreadsheet.resolve(text)
    if "range" in value_range and value_range["range"] != text:
        if spreadsheet.resolve(value_range["range"]) != (sheet, r0, r1, c0, c1):
            raise invalid_request(
                f"Invalid data[0]: The range in the body ({value_range['range']}) does not match the range in the URL ({text})."
            )
    rows = _rows(value_range)
    if start is not None:
        r0, c0 = start
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if start is None and not _is_anchor(text):
        if height > r1 - r0:
            raise invalid_request(f"Requested writing within range [{text}], but tried writing to row [{r0 + height}]")
        if width > c1 - c0:
            raise invalid_request(
                f"Requested writing within range [{text}], but tried writing to column [{a1.col_letters(c0 + width - 1)}]"
            )
    if grow:
        grid = sheet.properties["gridProperties"]
        grid["rowCount"] = max(sheet.rows, r0 + height)
        grid["columnCount"] = max(sheet.cols, c0 + width)
    else:
        sheet.check_inside(r0, r0 + max(height, 1), c0, c0 + max(width, 1))
    written = []
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if write_value(sheet, r0 + i, c0 + j, value, option, spreadsheet.locale):
                written.append((r0 + i, c0 + j))
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if not written:
        out["updatedRange"] = spreadsheet.echo(sheet, r0, r0 + 1, c0, c0 + 1)
        return out, None
    rows_hit = sorted({r for r, _ in written})
    cols_hit = sorted({c for _, c in written})
    bounds = (sheet, rows_hit[0], rows_hit[-1] + 1, cols_hit[0], cols_hit[-1] + 1)
    out.update(
        {
            "updatedRange": spreadsheet.echo(*bounds),
            "updatedRows": len(rows_hit),
            "updatedColumns": len(cols_hit),
            "updatedCells": len(written),
        }
    )
    return out, bounds


def _with_data(spreadsheet: Spreadsheet, out: dict[str, Any], bounds: Bounds | None, query_or_body: Any, from_body: bool = False) -> None:
    if from_body:
        value_render = query_or_body.get("responseValueRenderOption", "FORMATTED_VALUE")
        date_render = query_or_body.get("responseDateTimeRenderOption", "SERIAL_NUMBER")
    else:
        value_render = enum_param(query_or_body, "responseValueRenderOption", "ValueRenderOption", "FORMATTED_VALUE")
        date_render = enum_param(query_or_body, "responseDateTimeRenderOption", "DateTimeRenderOption", "SERIAL_NUMBER")
    if bounds is not None:
        out["updatedData"] = _value_range(spreadsheet, bounds, value_render, date_render, "ROWS")


def values_update(store: Store, spreadsheet_id: str, text: str, query: Query, body: Any) -> dict[str, Any]:
    check_params(query, _WRITE_PARAMS)
    option = _input_option(enum_param(query, "valueInputOption", "ValueInputOption", None))
    value_range = check_body("ValueRange", body if body is not None else {}, "data")
    spreadsheet = store.get(spreadsheet_id)
    out, bounds = _write(store, spreadsheet, text, value_range, option)
    if bool_param(query, "includeValuesInResponse"):
        _with_data(spreadsheet, out, bounds, query)
    store.touch(spreadsheet)
    return out


def _find_table(sheet: Sheet, r0: int, r1: int, c0: int, c1: int, anchor: bool) -> tuple[int, int, int, int] | None:
    """The "table" values.append appends to: the last block of touching filled cells.

    From a single cell, the block that contains it (none if it is empty); from
    a wider range, the block found last (lowest, then rightmost), as the
    recordings show ``Sheet1!C1`` when A1 and C1 are filled and B1 is not.
    """
    filled = {key for key, cell in sheet.cells.items() if "userEnteredValue" in cell}
    if anchor:
        if (r0, c0) not in filled:
            return None
        seeds = [(r0, c0)]
        inside = filled
    else:
        inside = {(r, c) for (r, c) in filled if r0 <= r < r1 and c0 <= c < c1}
        seeds = sorted(inside)
    seen: set[tuple[int, int]] = set()
    best: tuple[int, int, int, int] | None = None
    for seed in seeds:
        if seed in seen:
            continue
        block, todo = [], [seed]
        seen.add(seed)
        while todo:
            r, c = todo.pop()
            block.append((r, c))
            for nxt in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if nxt in inside and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        box = (min(r for r, _ in block), max(r for r, _ in block) + 1, min(c for _, c in block), max(c for _, c in block) + 1)
        if best is None or (box[1], box[2]) > (best[1], best[2]):
            best = box
    return best


def values_append(store: Store, spreadsheet_id: str, text: str, query: Query, body: Any) -> dict[str, Any]:
    check_params(query, _WRITE_PARAMS | {"insertDataOption"})
    option = _input_option(enum_param(query, "valueInputOption", "ValueInputOption", None))
    insert = query.get("insertDataOption", ["OVERWRITE"])[-1]
    if insert not in ("OVERWRITE", "INSERT_ROWS"):
        raise invalid_request(f"Invalid value at 'insert_data_option' (type.googleapis.com/google.apps.sheets.v4.InsertDataOption), \"{insert}\"")
    value_range = check_body("ValueRange", body if body is not None else {}, "data")
    spreadsheet = store.get(spreadsheet_id)
    sheet, r0, r1, c0, c1 = spreadsheet.resolve(text)
    table = _find_table(sheet, r0, r1, c0, c1, _is_anchor(text))
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    start = (r0, c0)
    if table is not None:
        out["tableRange"] = spreadsheet.echo(sheet, *table)
        start = (table[1], table[2])
    if insert == "INSERT_ROWS" and _rows(value_range):
        count = len(_rows(value_range))
        _DIMENSION_HANDLERS["insertDimension"](
            store, spreadsheet,
            {"range": {"sheetId": sheet.sheet_id, "dimension": "ROWS", "startIndex": min(start[0], sheet.rows), "endIndex": min(start[0], sheet.rows) + count}},
            "data",
        )
    updates, bounds = _write(store, spreadsheet, text, value_range, option, start=start, grow=True)
    if bool_param(query, "includeValuesInResponse"):
        _with_data(spreadsheet, updates, bounds, query)
    out["updates"] = updates
    store.touch(spreadsheet)
    return out


def _clear(spreadsheet: Spreadsheet, text: str) -> str:
    sheet, r0, r1, c0, c1 = _read_bounds(spreadsheet, text)
    for key in [k for k in sheet.cells if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
        sheet.cell(*key).pop("userEnteredValue", None)
        sheet.prune(*key)
    return spreadsheet.echo(sheet, r0, r1, c0, c1)


def values_clear(store: Store, spreadsheet_id: str, text: str, query: Query, body: Any) -> dict[str, Any]:
    check_params(query, set())
    check_body("ClearValuesRequest", body if body is not None else {}, "body")
    spreadsheet = store.get(spreadsheet_id)
    cleared = _clear(spreadsheet, text)
    store.touch(spreadsheet)
    return {"spreadsheetId": spreadsheet.id, "clearedRange": cleared}


def values_batch_clear(store: Store, spreadsheet_id: str, query: Query, body: Any) -> dict[str, Any]:
    check_params(query, set())
    checked = check_body("BatchClearValuesRequest", body if body is not None else {})
    spreadsheet = store.get(spreadsheet_id)
    snapshot = copy.deepcopy(spreadsheet.__dict__)
    try:
        cleared = [_clear(spreadsheet, text) for text in checked.get("ranges", [])]
    except ApiError:
        spreadsheet.__dict__.update(snapshot)
        raise
    store.touch(spreadsheet)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if cleared:
        out["clearedRanges"] = cleared
    return out


def values_batch_update(store: Store, spreadsheet_id: str, query: Query, body: Any) -> dict[str, Any]:
    check_params(query, set())
    checked = check_body("BatchUpdateValuesRequest", body if body is not None else {})
    option = checked.get("valueInputOption")
    if option in (None, "INPUT_VALUE_OPTION_UNSPECIFIED"):
        raise invalid_request("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    spreadsheet = store.get(spreadsheet_id)
    snapshot = copy.deepcopy(spreadsheet.__dict__)
    responses, touched = [], []
    try:
        for index, value_range in enumerate(checked.get("data", [])):
            if "range" not in value_range:
                raise invalid_request(f"Invalid data[{index}]: No range was specified.")
            out, bounds = _write(store, spreadsheet, value_range["range"], value_range, option)
            if checked.get("includeValuesInResponse"):
                _with_data(spreadsheet, out, bounds, checked, from_body=True)
            responses.append(out)
            if bounds is not None:
                touched.append(bounds)
    except ApiError:
        spreadsheet.__dict__.update(snapshot)
        raise
    store.touch(spreadsheet)
    cells = {(b[0].sheet_id, r, c) for b in touched for r in range(b[1], b[2]) for c in range(b[3], b[4])}
    result: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if touched:
        result.update(
            {
                "totalUpdatedRows": len({(s, r) for s, r, _ in cells}),
                "totalUpdatedColumns": len({(s, c) for s, _, c in cells}),
                "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
                "totalUpdatedSheets": len({s for s, _, _ in cells}),
            }
        )
    if responses:
        result["responses"] = responses
    return result
