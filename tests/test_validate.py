"""Each rule of rules/*.toml, firing and not firing, on a small club built here."""

from __future__ import annotations

import datetime as dt

import pytest

from sheets_sync.club import open_club
from sheets_sync.grid import a1

from conftest import HEADERS, TODAY, set_cell

d = dt.date


def cell(tab: str, row: int, header: str) -> str:
    return a1(row, HEADERS[tab].index(header) + 1)


def found(tabs, make_xlsx, lang="vi"):
    club = open_club(make_xlsx(tabs), today=TODAY, lang=lang)
    return club.report, sorted((p.tab, p.cell, p.rule, p.severity.value) for p in club.report.problems)


def test_clean_club_has_no_problem(club_tabs, make_xlsx):
    report, problems = found(club_tabs, make_xlsx)
    assert problems == []
    assert report.ok and report.rows_checked == 9


M, S, C, L, R, ST = "Thành viên", "Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ", "Cài đặt"

# (id, edits [(tab, row, header, value)], expected [(tab, row, header, rule, severity)])
CASES = [
    # required
    ("required-fires", [(M, 3, "Họ và tên", "  ")], [(M, 3, "Họ và tên", "member-required", "error")]),
    ("required-nbsp-only-is-blank", [(M, 3, "Họ và tên", "\u00a0")], [(M, 3, "Họ và tên", "member-required", "error")]),
    ("required-optional-column-blank-ok", [(M, 2, "Tổ", None)], []),
    ("case-required-status", [(S, 3, "Trạng thái", None)], [(S, 3, "Trạng thái", "case-required", "error")]),
    # allowed values
    ("choice-any-case-and-no-diacritics", [(M, 2, "Giới tính", "NU"), (S, 2, "Trạng thái", "da ho tro")], []),
    ("choice-english-alias", [(M, 3, "Giới tính", "Male")], []),
    ("choice-not-in-list", [(M, 2, "Giới tính", "Nữa")], [(M, 2, "Giới tính", "not-in-list", "error")]),
    ("free-text-never-checked", [(S, 2, "Hoàn cảnh", "bất cứ điều gì"), (M, 2, "Ghi chú", "#không phải lỗi")], []),
    # ranges
    ("loan-amount-lowest-ok", [(L, 2, "Số tiền vay", 100_000), (R, 2, "Tiền gốc", 8_333), (R, 2, "Tiền lãi", 1_000), (R, 3, "Tiền gốc", 8_333), (R, 3, "Tiền lãi", 917)], []),
    ("loan-amount-too-small", [(L, 2, "Số tiền vay", 99_999)], [(L, 2, "Số tiền vay", "loan-amount-range", "error")]),
    ("loan-amount-too-large", [(L, 2, "Số tiền vay", "60 triệu")], [(L, 2, "Số tiền vay", "loan-amount-range", "error")]),
    ("loan-rate-5-ok", [(L, 2, "Lãi suất (%/tháng)", 5)], []),
    ("loan-rate-too-high", [(L, 2, "Lãi suất (%/tháng)", "12%")], [(L, 2, "Lãi suất (%/tháng)", "loan-rate-range", "error")]),
    ("loan-term-zero", [(L, 2, "Kỳ hạn (tháng)", 0)], [(L, 2, "Kỳ hạn (tháng)", "loan-term-range", "error")]),
    ("loan-term-61", [(L, 2, "Kỳ hạn (tháng)", 61)], [(L, 2, "Kỳ hạn (tháng)", "loan-term-range", "error")]),
    ("birth-year-future", [(M, 4, "Năm sinh", 2030)], [(M, 4, "Năm sinh", "birth-year-range", "error")]),
    ("birth-year-1899", [(M, 4, "Năm sinh", 1899)], [(M, 4, "Năm sinh", "birth-year-range", "error")]),
    ("birth-year-as-full-date-ok", [(M, 4, "Năm sinh", "12/03/1958")], []),
    ("birth-year-two-digits", [(M, 4, "Năm sinh", 58)], [(M, 4, "Năm sinh", "invalid-year", "error")]),
    ("older-age-setting-60", [(ST, 4, "Giá trị", 60)], [(ST, 4, "Tuổi NCT", "older-age-range", "error")]),
    # unique
    ("duplicate-member-id", [(M, 4, "Mã TV", "tv001")], [(M, 4, "Mã TV", "member-id-unique", "error")]),
    ("duplicate-loan-id", [(L, 3, "Mã KV", "KV001"), (L, 3, "Mã TV", "TV002"), (L, 3, "Ngày giải ngân", d(2026, 9, 1)), (L, 3, "Số tiền vay", 1_000_000), (L, 3, "Lãi suất (%/tháng)", 1), (L, 3, "Kỳ hạn (tháng)", 6)],
     [(L, 3, "Mã KV", "loan-id-unique", "error")]),
    ("case-id-may-repeat", [(S, 3, "Mã TH", "TH001"), (S, 3, "Trạng thái", "Đang hỗ trợ")], []),
    # references
    ("loan-member-unknown", [(L, 2, "Mã TV", "TV099")], [(L, 2, "Mã TV", "loan-member-unknown", "error")]),
    ("case-member-unknown", [(S, 2, "Mã TV", "TV404")], [(S, 2, "Mã TV", "case-member-unknown", "error")]),
    ("repayment-loan-unknown", [(R, 3, "Mã KV", "KV009")], [(R, 3, "Mã KV", "repayment-loan-unknown", "error")]),
    ("reference-ignores-case-and-spaces", [(R, 3, "Mã KV", " kv001 ")], []),
    # date order
    ("left-before-joined", [(M, 3, "Ngày rời", d(2019, 1, 1))], [(M, 3, "Ngày rời", "left-before-joined", "error")]),
    ("left-same-day-ok", [(M, 3, "Ngày rời", d(2020, 3, 1))], []),
    ("support-before-recorded", [(S, 2, "Ngày hỗ trợ", d(2026, 10, 1))], [(S, 2, "Ngày hỗ trợ", "support-before-recorded", "error")]),
    ("repayment-before-disbursement", [(R, 2, "Ngày trả", d(2026, 8, 1))], [(R, 2, "Ngày trả", "repayment-before-disbursement", "error")]),
    ("loan-before-joining-warns", [(L, 2, "Mã TV", "TV003"), (L, 2, "Ngày giải ngân", d(2026, 5, 1)), (R, 2, "Ngày trả", d(2026, 6, 1)), (R, 3, "Ngày trả", d(2026, 7, 1))],
     [(L, 2, "Ngày giải ngân", "loan-before-joining", "warning")]),
    # nothing in the future
    ("joined-tomorrow", [(M, 4, "Ngày vào", TODAY + dt.timedelta(days=1))], [(M, 4, "Ngày vào", "member-date-in-future", "error")]),
    ("joined-today-ok", [(M, 4, "Ngày vào", TODAY)], []),
    ("activity-in-future", [(C, 2, "Ngày", "01/12/2026")], [(C, 2, "Ngày", "activity-date-in-future", "error")]),
    ("repayment-in-future", [(R, 3, "Ngày trả", d(2027, 1, 15))], [(R, 3, "Ngày trả", "repayment-date-in-future", "error")]),
    # named checks
    ("helped-without-form", [(S, 2, "Hình thức hỗ trợ", None)], [(S, 2, "Trạng thái", "helped-without-support", "warning")]),
    ("helped-without-date", [(S, 2, "Ngày hỗ trợ", None)], [(S, 2, "Trạng thái", "helped-without-support", "warning")]),
    ("helped-form-on-sibling-row-ok", [(S, 3, "Mã TH", "TH001"), (S, 3, "Trạng thái", "Đã hỗ trợ")], []),
    ("proposed-without-support-ok", [(S, 3, "Trạng thái", "Đang hỗ trợ")], []),
    ("loan-over-fund", [(L, 2, "Số tiền vay", 25_000_000)], [(L, 2, "Số tiền vay", "loan-over-fund", "warning")]),
    ("borrower-left-with-debt", [(M, 2, "Ngày rời", d(2026, 11, 1))], [(M, 2, "Ngày rời", "borrower-left-with-debt", "warning")]),
    ("non-borrower-left-ok", [(M, 3, "Ngày rời", d(2026, 11, 1))], []),
    ("repayment-more-than-owed", [(R, 3, "Tiền gốc", 5_000_000)], [(R, 3, "Tiền gốc", "repayment-exceeds-owed", "error")]),
    ("repayment-all-remaining-ok", [(R, 3, "Tiền gốc", 4_583_333)], []),
    # Two rows on one day: the second may pay only what the first left owing (5,095,833 - 466,667).
    ("same-day-rows-all-remaining-ok", [(R, 3, "Ngày trả", d(2026, 9, 15)), (R, 3, "Tiền gốc", 4_583_333)], []),
    ("same-day-rows-together-too-much", [(R, 3, "Ngày trả", d(2026, 9, 15)), (R, 3, "Tiền gốc", 4_583_334)],
     [(R, 3, "Tiền gốc", "repayment-exceeds-owed", "error")]),
    ("repayment-empty", [(R, 3, "Tiền gốc", None), (R, 3, "Tiền lãi", None)], [(R, 3, "Tiền gốc", "repayment-empty", "warning")]),
    # value forms
    ("money-as-staff-type-it", [(R, 2, "Tiền lãi", "50k"), (L, 2, "Số tiền vay", "5 triệu"), (S, 2, "Giá trị (đồng)", "500.000 đ")], []),
    ("money-unreadable", [(S, 2, "Giá trị (đồng)", "năm trăm")], [(S, 2, "Giá trị (đồng)", "invalid-money", "error")]),
    ("date-impossible", [(M, 2, "Ngày vào", "31/02/2020")], [(M, 2, "Ngày vào", "invalid-date", "error")]),
    ("formula-error", [(L, 2, "Số tiền vay", "#REF!")], [(L, 2, "Số tiền vay", "formula-error", "error")]),
    ("phone-lost-its-zero", [(M, 2, "Điện thoại", 912345678)], [(M, 2, "Điện thoại", "phone-as-number", "warning")]),
]


@pytest.mark.parametrize("edits, expected", [pytest.param(e, x, id=i) for i, e, x in CASES])
def test_rule(club_tabs, make_xlsx, edits, expected):
    for tab, row, header, value in edits:
        set_cell(club_tabs, tab, row, header, value)
    _, problems = found(club_tabs, make_xlsx)
    assert problems == sorted((tab, cell(tab if tab != ST else ST, row, header if tab != ST else "Giá trị"), rule, sev) for tab, row, header, rule, sev in expected)


def test_an_error_row_is_left_out_of_checks_that_combine_rows(club_tabs, make_xlsx):
    # The loan row has an unreadable amount: its repayments are not checked
    # against it (no "before disbursement" noise), but the loan ID still exists.
    set_cell(club_tabs, L, 2, "Số tiền vay", "abc")
    set_cell(club_tabs, R, 2, "Ngày trả", d(2026, 8, 1))
    _, problems = found(club_tabs, make_xlsx)
    assert [(p[1], p[2]) for p in problems] == [(cell(L, 2, "Số tiền vay"), "invalid-money")]


def test_duplicate_names_the_earlier_row(club_tabs, make_xlsx):
    set_cell(club_tabs, M, 4, "Mã TV", "TV002")
    report, _ = found(club_tabs, make_xlsx)
    (problem,) = report.problems
    assert problem.row == 4 and "dòng 3" in problem.message


def test_messages_in_english(club_tabs, make_xlsx):
    set_cell(club_tabs, M, 4, "Mã TV", "TV002")
    report, _ = found(club_tabs, make_xlsx, lang="en")
    assert report.problems[0].message == 'Member ID "TV002" repeats row 3; each member needs an ID of their own.'


def test_missing_required_column_is_reported_once(club_tabs, make_xlsx):
    for row in club_tabs[M]:
        del row[HEADERS[M].index("Năm sinh")]
    report, problems = found(club_tabs, make_xlsx)
    assert [(p.tab, p.row, p.column, p.rule) for p in report.problems] == [(M, 1, "Năm sinh", "missing-column")]
