"""Rows and columns: insert, delete, append, resize/hide, and merges.

Inserting or deleting shifts everything that has a position: cells, row and
column metadata, merges, protected and named ranges, the basic filter.
"""

from __future__ import annotations

from typing import Any

from .errors import invalid_request
from .fields import apply_update
from .masks import check_mask
from .render import COLUMN_PIXELS
from .state import Sheet, Spreadsheet, Store
from .values import effective_value, formatted_value

__all__ = ["HANDLERS"]


def _span(spreadsheet: Spreadsheet, rng: dict[str, Any], where: str) -> tuple[Sheet, bool, int, int]:
    """A DimensionRange as ``(sheet, is_rows, start, end)``, ends closed at the grid's edge."""
    sheet = spreadsheet.sheet_by_id(rng.get("sheetId", 0), where)
    dimension = rng.get("dimension", "DIMENSION_UNSPECIFIED")
    if dimension not in ("ROWS", "COLUMNS"):
        raise invalid_request(f"Invalid {where}: dimension must be ROWS or COLUMNS.")
    rows = dimension == "ROWS"
    size = sheet.rows if rows else sheet.cols
    start, end = rng.get("startIndex", 0), rng.get("endIndex", size)
    if start < 0 or start > end:
        raise invalid_request(f"Invalid {where}: The start index must be less than or equal to the end index.")
    return sheet, rows, start, end


def _shift_index(index: int, at: int, delta: int) -> int:
    return index + delta if index >= at else index


def _shift_grid(grid: dict[str, Any], rows: bool, at: int, delta: int) -> dict[str, Any] | None:
    """Move a stored GridRange for an insert (delta > 0) or delete (delta < 0) at ``at``."""
    start_key, end_key = ("startRowIndex", "endRowIndex") if rows else ("startColumnIndex", "endColumnIndex")
    start, end = grid.get(start_key), grid.get(end_key)
    if delta > 0:
        if start is not None and start >= at:
            grid[start_key] = start + delta
        if end is not None and end > at:
            grid[end_key] = end + delta
        return grid
    gone_end = at - delta
    def squeeze(i: int) -> int:
        return i if i <= at else max(at, i + delta) if i < gone_end else i + delta
    if start is not None:
        grid[start_key] = squeeze(start)
    if end is not None:
        grid[end_key] = squeeze(end)
    if start is not None and end is not None and grid[start_key] >= grid[end_key]:
        return None  # the whole range was deleted
    return grid


def _move(spreadsheet: Spreadsheet, sheet: Sheet, rows: bool, at: int, delta: int) -> None:
    """Shift everything on ``sheet`` at or after ``at`` by ``delta`` rows/columns."""
    moved: dict[tuple[int, int], dict[str, Any]] = {}
    for (r, c), cell in sheet.cells.items():
        index = r if rows else c
        if delta < 0 and at <= index < at - delta:
            continue
        new = _shift_index(index, at, delta)
        moved[(new, c) if rows else (r, new)] = cell
    sheet.cells = moved
    meta = sheet.row_meta if rows else sheet.col_meta
    shifted = {_shift_index(i, at, delta): v for i, v in meta.items() if not (delta < 0 and at <= i < at - delta)}
    if rows:
        sheet.row_meta = shifted
    else:
        sheet.col_meta = shifted
    merges = []
    for r0, r1, c0, c1 in sheet.merges:
        grid = _shift_grid({"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}, rows, at, delta)
        if grid and (grid["endRowIndex"] - grid["startRowIndex"]) * (grid["endColumnIndex"] - grid["startColumnIndex"]) > 1:
            merges.append((grid["startRowIndex"], grid["endRowIndex"], grid["startColumnIndex"], grid["endColumnIndex"]))
    sheet.merges = merges
    kept = []
    for protected in sheet.protected_ranges:
        if _shift_grid(protected["range"], rows, at, delta) is not None:
            kept.append(protected)
    sheet.protected_ranges = kept
    if sheet.basic_filter is not None and _shift_grid(sheet.basic_filter["range"], rows, at, delta) is None:
        sheet.basic_filter = None
    named = []
    for item in spreadsheet.named_ranges:
        grid = item.get("range", {})
        if grid.get("sheetId", 0) != sheet.sheet_id or _shift_grid(grid, rows, at, delta) is not None:
            named.append(item)
    spreadsheet.named_ranges = named


def insert_dimension(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    sheet, rows, start, end = _span(spreadsheet, payload.get("range", {}), where)
    size = sheet.rows if rows else sheet.cols
    if start > size:
        raise invalid_request(f"Invalid {where}: range start index {start} is beyond the grid size {size}.")
    if end == start:
        return {}
    _move(spreadsheet, sheet, rows, start, end - start)
    grid = sheet.properties["gridProperties"]
    grid["rowCount" if rows else "columnCount"] = size + (end - start)
    return {}


def delete_dimension(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    sheet, rows, start, end = _span(spreadsheet, payload.get("range", {}), where)
    size = sheet.rows if rows else sheet.cols
    end = min(end, size)
    if start == 0 and end >= size:
        noun = "rows" if rows else "columns"
        raise invalid_request(f"Invalid {where}: You can't delete all the {noun} on the sheet.")
    if end <= start:
        return {}
    _move(spreadsheet, sheet, rows, start, start - end)
    sheet.properties["gridProperties"]["rowCount" if rows else "columnCount"] = size - (end - start)
    return {}


def append_dimension(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    sheet = spreadsheet.sheet_by_id(payload.get("sheetId", 0), where)
    dimension, length = payload.get("dimension"), payload.get("length", 0)
    if dimension not in ("ROWS", "COLUMNS") or length < 1:
        raise invalid_request(f"Invalid {where}: length must be positive and dimension ROWS or COLUMNS.")
    grid = sheet.properties["gridProperties"]
    key = "rowCount" if dimension == "ROWS" else "columnCount"
    grid[key] = grid[key] + length
    return {}


def update_dimension_properties(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    paths = check_mask(payload.get("fields"), "DimensionProperties", where)
    sheet, rows, start, end = _span(spreadsheet, payload.get("range", {}), where)
    size = sheet.rows if rows else sheet.cols
    if end > size:
        raise invalid_request(f"Invalid {where}: Range exceeds grid limits ({end} > {size}).")
    meta = sheet.row_meta if rows else sheet.col_meta
    for index in range(start, end):
        stored = meta.setdefault(index, {})
        apply_update(stored, payload.get("properties", {}), paths)
        if not stored:
            del meta[index]
    return {}


def auto_resize_dimensions(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    """Width from the longest shown text; Google measures fonts, this only estimates."""
    sheet, rows, start, end = _span(spreadsheet, payload.get("dimensions", {}), where)
    if rows:
        return {}  # row heights follow the font; nothing to estimate here
    for col in range(start, min(end, sheet.cols)):
        longest = 0
        for (r, c), cell in sheet.cells.items():
            if c == col and "userEnteredValue" in cell:
                number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat")
                text = formatted_value(effective_value(cell["userEnteredValue"]), number_format, spreadsheet.locale)
                longest = max(longest, len(text))
        pixels = max(COLUMN_PIXELS // 5, longest * 7 + 10) if longest else COLUMN_PIXELS
        sheet.col_meta.setdefault(col, {})["pixelSize"] = pixels
    return {}


def merge_cells(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    sheet, r0, r1, c0, c1 = spreadsheet.grid_range(payload.get("range", {}), where)
    sheet.check_inside(r0, r1, c0, c1)
    kind = payload.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ROWS":
        new = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    elif kind == "MERGE_COLUMNS":
        new = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    else:
        new = [(r0, r1, c0, c1)]
    new = [m for m in new if (m[1] - m[0]) * (m[3] - m[2]) > 1]
    for m in sheet.merges:
        inside = r0 <= m[0] and m[1] <= r1 and c0 <= m[2] and m[3] <= c1
        if not inside and _overlap(m, (r0, r1, c0, c1)):
            raise invalid_request(f"Invalid {where}: You can't merge cells that partially overlap an existing merge.")
    sheet.merges = [m for m in sheet.merges if not _overlap(m, (r0, r1, c0, c1))] + new
    for m0, m1, n0, n1 in new:
        # Only the top-left cell of a merge keeps its value.
        for r in range(m0, m1):
            for c in range(n0, n1):
                if (r, c) != (m0, n0) and (r, c) in sheet.cells:
                    sheet.cell(r, c).pop("userEnteredValue", None)
                    sheet.prune(r, c)
    return {}


def unmerge_cells(store: Store, spreadsheet: Spreadsheet, payload: dict[str, Any], where: str) -> dict[str, Any]:
    sheet, r0, r1, c0, c1 = spreadsheet.grid_range(payload.get("range", {}), where)
    sheet.merges = [m for m in sheet.merges if not _overlap(m, (r0, r1, c0, c1))]
    return {}


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


HANDLERS = {
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "appendDimension": append_dimension,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
}
