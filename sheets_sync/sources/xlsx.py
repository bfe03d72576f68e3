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

from ..errors import SourceChanged, SourceExists, SourceLocked, SourceNotFound, SourceUnreadable
from ..grid import EMPTY, RawCell, RawTab, RawWorkbook
from ..writeback import CHECK_TAB, same_rows

__all__ = ["XlsxFile", "read", "create", "write_back"]


class XlsxFile:
    """A club workbook kept as an .xlsx file: the source interface over read/write_back."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = str(path)

    def read(self) -> RawWorkbook:
        return read(self.path)

    def write_back(self, raw: RawWorkbook, changes: list, owned: dict[str, list[list]]) -> bool:
        return write_back(self.path, raw, changes, owned)


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
    tabs = [_read_sheet(sheet) for sheet in book.worksheets]
    _mark_uncalculated(path, tabs)
    return RawWorkbook(name=path.stem, tabs=tabs, location=str(path), version=_fingerprint(path))


def _mark_uncalculated(path: Path, tabs: list[RawTab]) -> None:
    """Formula cells the file holds no result for become kind "formula", not blanks.

    A file saved by a program that does not calculate (openpyxl among them, so
    our own write-back too) keeps formulas without their results until Excel
    or LibreOffice opens and saves it: such a cell is reported, never read as empty.
    """
    formulas = openpyxl.load_workbook(path, read_only=True)
    try:
        for tab, sheet in zip(tabs, formulas.worksheets):
            for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c, value in enumerate(values, start=1):
                    if isinstance(value, str) and value.startswith("=") and tab.cell(r, c).value is None:
                        while len(tab.rows) < r:
                            tab.rows.append([])
                        row = tab.rows[r - 1]
                        row.extend([EMPTY] * (c - len(row)))
                        old = row[c - 1]
                        row[c - 1] = RawCell(value, "formula", old.note, old.fill)
    finally:
        formulas.close()


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_mtime_ns}-{stat.st_size}"


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
                    row[c - 1] = RawCell(top_left.value, top_left.kind, row[c - 1].note, row[c - 1].fill)
    while rows and all(cell == EMPTY for cell in rows[-1]):
        rows.pop()
    return RawTab(title=sheet.title, rows=rows)


def _fill(cell) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    rgb = fill.fgColor.rgb if fill.fgColor is not None and fill.fgColor.type == "rgb" else None
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def _raw_cell(cell) -> RawCell:
    value = cell.value
    note = cell.comment.text if getattr(cell, "comment", None) else None
    fill = _fill(cell) if cell.has_style else None
    kind = None
    if value is None:
        pass
    elif cell.data_type == "e":
        value, kind = str(value), "error"
    elif cell.is_date:
        kind = "date"
    elif isinstance(value, (int, float)) and "%" in (cell.number_format or ""):
        kind = "percent"
    if value is None and note is None and fill is None:
        return EMPTY
    return RawCell(value, kind, note, fill)


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


def _lock_files(path: Path) -> list[Path]:
    """Lock files Excel (~$name) and LibreOffice (.~lock.name#) leave while a file is open."""
    return [path.with_name("~$" + path.name[2:] if len(path.name) > 2 else "~$" + path.name), path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]


def write_back(path: Path, raw: RawWorkbook, changes: list, owned: dict[str, list[list]], link_column: int = 4) -> bool:
    """Apply note/fill changes and rewrite the owned tabs; False when there is nothing to do.

    Notes become cell comments.  Refused (SourceLocked / SourceChanged) when the
    file is open in Excel or LibreOffice or changed since ``raw`` was read.  The
    file is written to a temporary file and renamed over the original, so it is
    never left half-written.  Values are written as values, never formulas.
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    current = {t.title: t for t in raw.tabs}
    owned_now = {title: [[c.value for c in row] for row in current[title].rows] if title in current else None for title in owned}
    owned_dirty = {title: rows for title, rows in owned.items() if not same_rows(owned_now[title], rows)}
    if not changes and not owned_dirty:
        return False
    if any(lock.exists() for lock in _lock_files(path)):
        raise SourceLocked(path=str(path))
    if not path.exists() or _fingerprint(path) != raw.version:
        raise SourceChanged(path=str(path))
    book = openpyxl.load_workbook(path)  # formulas kept: staff's formulas stay formulas
    # openpyxl cannot store their results: have Excel and LibreOffice calculate them on opening.
    book.calculation.fullCalcOnLoad = True
    for change in changes:
        cell = book[change.tab].cell(row=change.row, column=change.col)
        if change.note_changed:
            cell.comment = Comment(change.note, "sheets-sync", width=320, height=120) if change.note else None
        if change.fill_changed:
            cell.fill = PatternFill("solid", fgColor=change.fill) if change.fill else PatternFill(fill_type=None)
    for title, rows in owned_dirty.items():
        if title in book.sheetnames:
            del book[title]
        sheet = book.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(row=r, column=c)
                # A value from a sheet that looks like a formula stays text.
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
            if r == 1:
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
            elif title == CHECK_TAB and len(values) >= link_column and values[0] in book.sheetnames:
                target = sheet.cell(row=r, column=link_column)
                target.hyperlink = f"#'{values[0]}'!{values[link_column - 1]}"
                target.font = Font(color="0563C1", underline="single")
        sheet.freeze_panes = "A2"
    tmp = path.with_name(f".{path.name}.sheets-sync.tmp")
    try:
        book.save(tmp)
        if _fingerprint(path) != raw.version:  # changed while we worked
            raise SourceChanged(path=str(path))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return True

