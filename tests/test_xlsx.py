"""The .xlsx source: a new club workbook as init-sheet writes it, re-read by openpyxl."""

from __future__ import annotations

import openpyxl
import pytest

from sheets_sync.layout import club_layout
from sheets_sync.sources import xlsx


@pytest.fixture
def new_book(tmp_path, rules):
    path = tmp_path / "new.xlsx"
    xlsx.create(path, club_layout(rules))
    return openpyxl.load_workbook(path)


def test_every_tab_in_order_with_headers(new_book, rules):
    assert new_book.sheetnames == ["Cài đặt", "Thành viên", "Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ"]
    loans = [c.value for c in new_book["Khoản vay"][1]]
    assert loans == [c.header for c in rules.tabs["loans"].columns]


def test_header_rows_are_frozen(new_book):
    assert all(new_book[name].freeze_panes == "A2" for name in new_book.sheetnames)


def _validations(sheet):
    return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}


def test_every_allowed_values_column_has_a_dropdown(new_book, rules):
    for tab in rules.tabs.values():
        if tab.layout != "table":
            continue
        sheet = new_book[tab.name]
        found = _validations(sheet)
        for col, column in enumerate(tab.columns, start=1):
            if column.choices:
                letter = openpyxl.utils.get_column_letter(col)
                assert found.get(f"{letter}2") == '"' + ",".join(column.choices) + '"', (tab.name, column.header)
    assert _validations(new_book["Thành viên"])["C2"] == '"Nam,Nữ"'


def test_date_and_money_formats(new_book):
    sheet = new_book["Khoản vay"]
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=headers.index("Ngày giải ngân") + 1).number_format == "dd/mm/yyyy"
    assert sheet.cell(row=50, column=headers.index("Số tiền vay") + 1).number_format == "#,##0"
    members = new_book["Thành viên"]
    assert members.cell(row=2, column=[c.value for c in members[1]].index("Điện thoại") + 1).number_format == "@"


def test_settings_tab_lists_the_items_to_fill(new_book):
    items = {row[0].value: row[1].value for row in new_book["Cài đặt"].iter_rows(min_row=2)}
    assert list(items)[:2] == ["Tên CLB", "Xã/Phường"] or "Tên CLB" in items
    assert items["Tuổi NCT"] == 55 and items["Ngôn ngữ báo cáo"] == "vi" and items["Tên CLB"] is None
    assert '"vi,en"' in _validations(new_book["Cài đặt"]).values()
