"""Write-back into an .xlsx: notes and highlights on problem cells, the owned tabs."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from sheets_sync.annotate import annotate
from sheets_sync.club import open_club
from sheets_sync.errors import SourceChanged, SourceLocked
from sheets_sync.metrics import Month
from sheets_sync.writeback import ERROR_FILL, MARKER, WARNING_FILL

from conftest import TODAY, write_xlsx

MONTH = Month(2026, 11)


def check_and_annotate(path):
    club = open_club(path, today=TODAY)
    return annotate(club, MONTH)


def marked_cells(path) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(tab, cell) -> (note, fill) for every cell with a comment or a fill, outside owned tabs."""
    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        if sheet.title in ("Kiểm tra", "Báo cáo tháng"):
            continue
        for row in sheet.iter_rows():
            for cell in row:
                fill = cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None
                if cell.comment or fill:
                    found[(sheet.title, cell.coordinate)] = (cell.comment.text if cell.comment else None, fill)
    return found


@pytest.fixture
def club_path(tmp_path, club_tabs):
    club_tabs["Thành viên"][2][2] = "Nữa"  # C3: error
    club_tabs["Thành viên"][1][5] = 912345678  # F2: warning
    return write_xlsx(tmp_path / "clb.xlsx", club_tabs)


def test_notes_and_highlights_on_exactly_the_problem_cells(club_path):
    assert check_and_annotate(club_path) is True
    cells = marked_cells(club_path)
    assert set(cells) == {("Thành viên", "C3"), ("Thành viên", "F2")}
    note, fill = cells[("Thành viên", "C3")]
    assert note.startswith(MARKER) and "Nữa" in note and fill == ERROR_FILL
    assert cells[("Thành viên", "F2")][1] == WARNING_FILL


def test_values_staff_typed_are_never_changed(club_path):
    def values(path):
        book = openpyxl.load_workbook(path)
        return {s.title: [[c.value for c in row] for row in s.iter_rows()] for s in book.worksheets if s.title not in ("Kiểm tra", "Báo cáo tháng")}

    before = values(club_path)
    check_and_annotate(club_path)
    assert values(club_path) == before


def test_a_second_run_with_no_change_writes_nothing(club_path):
    check_and_annotate(club_path)
    stamp = club_path.stat().st_mtime_ns
    assert check_and_annotate(club_path) is False
    assert club_path.stat().st_mtime_ns == stamp


def test_fixing_the_value_removes_our_note_and_highlight_but_not_staff_notes(club_path):
    book = openpyxl.load_workbook(club_path)
    book["Thành viên"]["B4"].comment = Comment("Hỏi lại bà Mai", "Thủ quỹ")
    book["Thành viên"]["B3"].fill = PatternFill("solid", fgColor="92D050")  # staff's own green
    book.save(club_path)
    check_and_annotate(club_path)

    book = openpyxl.load_workbook(club_path)
    book["Thành viên"]["C3"].value = "Nữ"
    book.save(club_path)
    check_and_annotate(club_path)
    cells = marked_cells(club_path)
    assert ("Thành viên", "C3") not in cells
    assert cells[("Thành viên", "B4")] == ("Hỏi lại bà Mai", None)
    assert cells[("Thành viên", "B3")] == (None, "92D050")


def test_a_staff_note_on_a_problem_cell_is_kept_word_for_word(club_path):
    book = openpyxl.load_workbook(club_path)
    book["Thành viên"]["C3"].comment = Comment("Chị ấy tự ghi", "Thư ký")
    book.save(club_path)
    check_and_annotate(club_path)
    note = marked_cells(club_path)[("Thành viên", "C3")][0]
    assert note.startswith("Chị ấy tự ghi\n\n" + MARKER)
    book = openpyxl.load_workbook(club_path)
    book["Thành viên"]["C3"].value = "Nữ"
    book.save(club_path)
    check_and_annotate(club_path)
    assert marked_cells(club_path)[("Thành viên", "C3")] == ("Chị ấy tự ghi", None)


def test_check_tab_lists_problems_with_links_and_text_stays_text(tmp_path, club_tabs):
    club_tabs["Thành viên"][2][2] = '=IMPORTXML("http://x.example/","//a")'
    path = write_xlsx(tmp_path / "clb.xlsx", club_tabs)
    # openpyxl stores a leading "=" as a formula; make the cell what a sheet shows: text.
    book = openpyxl.load_workbook(path)
    book["Thành viên"]["C3"].data_type = "s"
    book.save(path)
    check_and_annotate(path)
    sheet = openpyxl.load_workbook(path)["Kiểm tra"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Trang", "Dòng", "Cột", "Ô")
    assert rows[1][:5] == ("Thành viên", 3, "Giới tính", "C3", '=IMPORTXML("http://x.example/","//a")')
    assert sheet["E2"].data_type == "s"  # a string, not a formula
    assert sheet["D2"].hyperlink.target == "#'Thành viên'!C3"


def test_report_tab_has_the_months_figures(club_path):
    check_and_annotate(club_path)
    rows = dict(list(openpyxl.load_workbook(club_path)["Báo cáo tháng"].iter_rows(values_only=True))[1:])
    assert rows["Tháng"] == "2026-11" and rows["Dư nợ cuối tháng (đồng)"] == 5_000_000 - 2 * 416_667


def test_refused_when_the_file_is_open_in_excel(club_path):
    lock = club_path.with_name("~$" + club_path.name)
    lock.write_text("x")
    with pytest.raises(SourceLocked):
        check_and_annotate(club_path)
    assert marked_cells(club_path) == {}


def test_refused_when_the_file_changed_since_it_was_read(club_path):
    club = open_club(club_path, today=TODAY)
    book = openpyxl.load_workbook(club_path)
    book["Thành viên"]["B2"].value = "Nguyễn Thị Lan (sửa)"
    book.save(club_path)
    with pytest.raises(SourceChanged):
        annotate(club, MONTH)
    assert openpyxl.load_workbook(club_path)["Thành viên"]["B2"].value == "Nguyễn Thị Lan (sửa)"


def test_check_annotate_lists_the_problems_even_when_the_file_is_open(club_path):
    from click.testing import CliRunner

    from sheets_sync.cli import cli

    club_path.with_name("~$" + club_path.name).write_text("x")
    result = CliRunner().invoke(cli, ["check", str(club_path), "--annotate", "--lang", "en"])
    assert result.exit_code == 2
    assert '"Nữa" is not in the list' in result.stdout
    assert "is open in Excel or LibreOffice" in result.stderr


def test_formulas_survive_a_write_back_and_are_never_read_as_blanks(tmp_path, club_tabs):
    # A borrower's name looked up by formula: after our write-back the file keeps
    # the formula but (openpyxl) not its result, until Excel or LibreOffice saves it.
    club_tabs["Khoản vay"][1][2] = '=VLOOKUP(B2,\'Thành viên\'!A:B,2,FALSE)'
    path = write_xlsx(tmp_path / "clb.xlsx", club_tabs)
    check_and_annotate(path)
    book = openpyxl.load_workbook(path)
    assert book["Khoản vay"]["C2"].value.startswith("=VLOOKUP(")
    assert book.calculation.fullCalcOnLoad is True
    club = open_club(path, today=TODAY)
    assert [(p.cell, p.rule, p.severity.value) for p in club.report.problems] == [("C2", "formula-not-calculated", "warning")]
