"""Read a club workbook from an .xlsx file with openpyxl.

Values are read as the file last showed them (``data_only=True``: the cached
result of a formula, not the formula).  Merged cells give their value to every
cell they cover, because staff merge a case's ID or date across its rows.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import SourceExists, SourceNotFound, SourceUnreadable
from ..grid import RawCell, RawTab, RawWorkbook

__all__ = ["read", "create"]


def read(path: Path) -> RawWorkbook:
    """Every tab of the workbook at ``path``, as raw cells."""
    if not path.exists():
        raise SourceNotFound(path=str(path))
    if path.is_dir():
        raise SourceUnreadable(path=str(path), detail="đây là một thư mục / this is a folder")
    if path.suffix.lower() == ".xls":
        raise SourceUnreadable(path=str(path), detail="tệp .xls cũ; hãy mở bằng Excel và lưu lại dạng .xlsx / an old .xls file: save it as .xlsx")
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise SourceUnreadable(path=str(path), detail=str(err) or type(err).__name__) from err
    stat = path.stat()
    tabs = [_read_sheet(sheet) for sheet in book.worksheets]
    return RawWorkbook(name=path.stem, tabs=tabs, location=str(path), version=f"{stat.st_mtime_ns}-{stat.st_size}")


def _read_sheet(sheet) -> RawTab:
    rows: list[list[RawCell]] = []
    for cells in sheet.iter_rows():
        rows.append([_raw_cell(cell) for cell in cells])
    for merged in sheet.merged_cells.ranges:
        top_left = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(rows) else RawCell()
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            row = rows[r - 1]
            for c in range(merged.min_col, merged.max_col + 1):
                if c - 1 < len(row):
                    row[c - 1] = RawCell(top_left.value, top_left.kind, row[c - 1].note)
    while rows and all(cell.value is None for cell in rows[-1]):
        rows.pop()
    return RawTab(title=sheet.title, rows=rows)


def _raw_cell(cell) -> RawCell:
    value = cell.value
    if value is None:
        return RawCell()
    if cell.data_type == "e":
        return RawCell(str(value), "error")
    fmt = cell.number_format or ""
    if cell.is_date:
        return RawCell(value, "date")
    if isinstance(value, (int, float)) and "%" in fmt:
        return RawCell(value, "percent")
    return RawCell(value)


def create(path: Path, layout: list, rows: dict[str, list[list]] | None = None) -> None:
    """Write a new club workbook at ``path``: tabs, headers, formats, dropdowns.

    ``rows`` (tab id -> rows of values in header order) fills the tabs, as the
    demo does; for Settings, give ``[item name, value]`` pairs and each replaces
    that item's default.  Refuses to overwrite an existing file; writes to a temporary
    file first so a crash never leaves half a workbook behind.
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if path.exists():
        raise SourceExists(path=str(path))
    rows = rows or {}
    book = openpyxl.Workbook()
    book.remove(book.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for tab in layout:
        sheet = book.create_sheet(tab.title)
        for col, column in enumerate(tab.columns, start=1):
            cell = sheet.cell(row=1, column=col, value=column.header)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            sheet.column_dimensions[get_column_letter(col)].width = column.width
        sheet.freeze_panes = "A2"
        if tab.is_settings:
            given = {name: value for name, value in rows.get(tab.id, [])}
            body = [[name, given.get(name, default)] for name, default in tab.items]
        else:
            body = rows.get(tab.id, [])
        for r, values in enumerate(body, start=2):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
        last = max(1000, len(body) + 200)
        if tab.is_settings:
            for name, choices in tab.choices_by_item:
                r = 2 + [n for n, _ in tab.items].index(name)
                _dropdown(sheet, DataValidation, choices, f"B{r}")
            continue
        for col, column in enumerate(tab.columns, start=1):
            letter = get_column_letter(col)
            if column.number_format:
                for r in range(2, last + 1):
                    sheet[f"{letter}{r}"].number_format = column.number_format
            if column.choices:
                _dropdown(sheet, DataValidation, column.choices, f"{letter}2:{letter}{last}")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        book.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _dropdown(sheet, DataValidation, choices: tuple[str, ...], ref: str) -> None:
    # A list validation warns but still lets staff type something else: the
    # nightly check then explains what is wrong, rather than Excel refusing.
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True, showDropDown=False)
    validation.errorStyle = "warning"
    validation.showErrorMessage = True
    validation.add(ref)
    sheet.add_data_validation(validation)
