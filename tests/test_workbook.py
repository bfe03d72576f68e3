"""Reading a workbook: tabs and headers matched as staff write them, values typed."""

from __future__ import annotations

import datetime as dt
import unicodedata

import openpyxl
import pytest

from sheets_sync.club import open_club
from sheets_sync.errors import SourceNotFound, SourceUnreadable, TabNotFound
from sheets_sync.grid import RawCell, RawTab, RawWorkbook
from sheets_sync.sources import xlsx
from sheets_sync.workbook import read_settings, read_workbook

from conftest import TODAY, write_xlsx

MEMBERS = "Thành viên"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def snapshot(club) -> dict:
    """What the rest of the library sees: parsed values by tab and sheet row."""
    return {
        tab_id: [(row.number, dict(sorted(row.values.items()))) for row in table.rows]
        for tab_id, table in club.workbook.tables.items()
    }


def reorder(rows: list[list], order: list[int]) -> list[list]:
    return [[row[i] if i < len(row) else None for i in order] for row in rows]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda tabs: tabs[MEMBERS].__setitem__(0, [nfd(h) for h in tabs[MEMBERS][0]]), id="nfd-headers"),
        pytest.param(lambda tabs: tabs[MEMBERS].__setitem__(0, [f"  {h.upper()}\u00a0" for h in tabs[MEMBERS][0]]), id="upper-case-padded-headers"),
        pytest.param(lambda tabs: tabs.__setitem__(MEMBERS, reorder(tabs[MEMBERS], [9, 3, 0, 8, 1, 2, 4, 5, 6, 7])), id="reordered-columns"),
        pytest.param(lambda tabs: [row.insert(2, "extra") for row in tabs[MEMBERS]], id="extra-column"),
        pytest.param(lambda tabs: tabs[MEMBERS].__setitem__(0, ["Member ID", "Full name", "Gender", "Birth year", "Group", "Phone", "Household status", "Joined", "Left", "Notes"]), id="english-headers"),
        pytest.param(lambda tabs: tabs[MEMBERS].__setitem__(0, ["Ma TV", "Ho va ten", "Gioi tinh", "Nam sinh", "To", "Dien thoai", "Hoan canh", "Ngay vao", "Ngay roi", "Ghi chu"]), id="headers-without-diacritics"),
        pytest.param(lambda tabs: tabs.__setitem__("members", tabs.pop(MEMBERS)), id="english-tab-name"),
        pytest.param(lambda tabs: tabs.__setitem__(nfd(" thành VIÊN "), tabs.pop(MEMBERS)), id="nfd-tab-name"),
    ],
)
def test_messy_workbook_reads_the_same_as_a_clean_one(club_tabs, make_xlsx, change):
    clean = open_club(make_xlsx(club_tabs), today=TODAY)
    change(club_tabs)
    messy = open_club(make_xlsx(club_tabs), today=TODAY)
    assert messy.report.problems == [] and snapshot(messy) == snapshot(clean)


def test_blank_rows_in_the_middle_and_at_the_end_are_skipped_but_rows_keep_their_numbers(club_tabs, make_xlsx):
    rows = club_tabs[MEMBERS]
    club_tabs[MEMBERS] = [rows[0], rows[1], [None] * 10, ["", "\u00a0", None], rows[2], rows[3]] + [[None] * 10] * 20
    club = open_club(make_xlsx(club_tabs), today=TODAY)
    assert [r.number for r in club.workbook.tables["members"].rows] == [2, 5, 6]
    assert club.report.problems == []


def test_a_value_that_cannot_be_read_is_reported_on_its_cell_not_dropped(club_tabs, make_xlsx):
    club_tabs[MEMBERS][3][7] = "ngày mai"  # Ngày vào of TV003, sheet row 4, column H
    club = open_club(make_xlsx(club_tabs), today=TODAY)
    (problem,) = club.report.problems
    assert (problem.tab, problem.row, problem.column, problem.cell, problem.value, problem.rule) == (MEMBERS, 4, "Ngày vào", "H4", "ngày mai", "invalid-date")
    assert club.workbook.tables["members"].rows[2]["joined_on"] is None


def test_the_same_bad_value_on_several_rows_is_reported_on_each_of_them(club_tabs, make_xlsx):
    for row in (2, 3, 4):
        club_tabs[MEMBERS][row - 1][7] = "ngày mai"
    club = open_club(make_xlsx(club_tabs), today=TODAY)
    assert [(p.cell, p.rule) for p in club.report.problems] == [("H2", "invalid-date"), ("H3", "invalid-date"), ("H4", "invalid-date")]


@pytest.mark.parametrize(
    "first, second, expected",
    [
        pytest.param(1, 1.0, [1, 1], id="int-and-float"),
        pytest.param(1, True, [1, None], id="a-checkbox-is-not-a-number"),
        pytest.param(RawCell(2026, "date"), 2026, [dt.date(1905, 7, 18), None], id="a-date-cell-and-a-bare-year"),
        pytest.param("3", 3, [3, 3], id="text-and-number"),
    ],
)
def test_equal_looking_values_of_different_types_are_each_read_for_what_they_are(rules, first, second, expected):
    # One column, the same value twice in different forms: each is parsed on its own terms.
    column = "Ngày vào" if isinstance(first, RawCell) else "Kỳ hạn (tháng)"
    tab_title, column_id = ("Thành viên", "joined_on") if column == "Ngày vào" else ("Khoản vay", "months")
    cells = [c if isinstance(c, RawCell) else RawCell(c) for c in (first, second)]
    tabs = {t: [[RawCell("x")]] for t in ("Thành viên", "Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ")}
    tabs[tab_title] = [[RawCell(column)], [cells[0]], [cells[1]]]
    raw = RawWorkbook("g", [RawTab("Cài đặt", [[RawCell("Mục"), RawCell("Giá trị")]]), *(RawTab(t, rows) for t, rows in tabs.items())])
    book = read_workbook(raw, rules)
    table = next(t for t in book.tables.values() if t.title == tab_title)
    assert [row[column_id] for row in table.rows] == expected


@pytest.mark.parametrize(
    "rows, expected",
    [
        pytest.param([["Mục", "Giá trị"], ["Ngôn ngữ báo cáo", "English"]], "en", id="set"),
        pytest.param([["Mục", "Giá trị"], ["Tên CLB", "CLB A"]], "vi", id="default"),
        pytest.param(None, None, id="no-settings-tab"),
    ],
)
def test_read_settings_reads_only_the_settings_tab(rows, expected, rules):
    tabs = [RawTab("Thành viên", [[RawCell("Mã TV")], [RawCell("TV1")]])]
    if rows is not None:
        tabs.insert(0, RawTab("Cài đặt", [[RawCell(v) for v in row] for row in rows]))
    assert read_settings(RawWorkbook("g", tabs), rules).get("language") == expected


def test_merged_cells_give_their_value_to_every_cell_they_cover(club_tabs, tmp_path):
    club_tabs["Tự giúp nhau"].append(["", dt.date(2026, 10, 2), "Phạm Thị Hoa", "TV001", "Thành viên", None, None, "Có", "Ngày công", None, 2, 3, dt.date(2026, 10, 6), "Đã hỗ trợ"])
    path = write_xlsx(tmp_path / "merged.xlsx", club_tabs)
    book = openpyxl.load_workbook(path)
    book["Tự giúp nhau"].merge_cells("A2:A4")  # TH001 merged over its two rows... and one more
    book.save(path)
    club = open_club(path, today=TODAY)
    assert [r["case_id"] for r in club.workbook.tables["self_help"].rows] == ["TH001", "TH001", "TH001"]


def test_dates_and_percent_formats_from_the_file(club_tabs, tmp_path):
    path = write_xlsx(tmp_path / "fmt.xlsx", club_tabs)
    book = openpyxl.load_workbook(path)
    sheet = book["Khoản vay"]
    sheet["F2"].value, sheet["F2"].number_format = 0.01, "0%"  # shown as 1%
    sheet["D2"].value, sheet["D2"].number_format = 46249, "dd/mm/yyyy"  # a date serial: 15/08/2026
    book.save(path)
    loan = open_club(path, today=TODAY).workbook.tables["loans"].rows[0]
    assert (loan["rate"], loan["disbursed_on"]) == (1, dt.date(2026, 8, 15))


def test_phones_stay_text(club_tabs, make_xlsx):
    club = open_club(make_xlsx(club_tabs), today=TODAY)
    assert [r["phone"] for r in club.workbook.tables["members"].rows] == ["0912 345 678", "+84 987654321", None]


def test_settings_items_found_by_name_with_defaults(club_tabs, make_xlsx):
    club_tabs["Cài đặt"].insert(1, ["Tỉnh", "Thái Bình"])
    club_tabs["Cài đặt"][0] = ["Item", "Value"]
    settings = open_club(make_xlsx(club_tabs), today=TODAY).workbook.settings
    assert settings["province"] == "Thái Bình"
    assert (settings["older_age"], settings["cases_target"], settings["language"], settings["initial_fund"]) == (55, 1, "vi", 20_000_000)


def test_missing_tab_stops_with_the_tabs_that_are_there(club_tabs, make_xlsx):
    del club_tabs["Trả nợ"]
    with pytest.raises(TabNotFound) as err:
        open_club(make_xlsx(club_tabs, name="club.xlsx"), today=TODAY)
    assert 'Không có trang "Trả nợ"' in str(err.value) and '"Khoản vay"' in str(err.value)
    assert 'Add a tab named "Trả nợ" (or "Repayments")' in err.value.message("en")


@pytest.mark.parametrize(
    "content, error",
    [
        pytest.param(None, SourceNotFound, id="missing"),
        pytest.param(b"not a zip", SourceUnreadable, id="not-a-workbook"),
        pytest.param(b"PK\x03\x04broken", SourceUnreadable, id="damaged-zip"),
    ],
)
def test_a_file_that_cannot_be_used(tmp_path, content, error):
    path = tmp_path / "club.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error):
        xlsx.read(path)


def test_the_same_raw_data_reads_the_same_from_any_source(rules):
    # What a Google source will hand over: serial dates flagged as dates.
    raw = RawWorkbook(
        "g",
        [
            RawTab("Cài đặt", [[RawCell("Mục"), RawCell("Giá trị")], [RawCell("Tên CLB"), RawCell("CLB A")], [RawCell("Email Chủ nhiệm"), RawCell("a@example.org")]]),
            RawTab("Thành viên", [[RawCell(h) for h in ("Mã TV", "Họ và tên", "Giới tính", "Năm sinh", "Ngày vào")], [RawCell("TV1"), RawCell("A"), RawCell("Nữ"), RawCell(1950), RawCell(43831, "date")]]),
            *[RawTab(t, [[RawCell("x")]]) for t in ("Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ")],
        ],
    )
    workbook = read_workbook(raw, rules)
    assert workbook.tables["members"].rows[0]["joined_on"] == dt.date(2020, 1, 1)
