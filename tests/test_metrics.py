"""The month's figures (sheets_sync.metrics), each on a tiny club built here.

Every case starts from conftest's clean club (month 2026-10: TH001 recorded
2/10 and helped 5/10 with 500.000 đ of goods, TH002 recorded 20/10 and only
proposed; one community activity on 12/10; three members; loan KV001 of
5.000.000 đ disbursed 15/08 and repaid on time), edits a few cells and
checks the figures through the --json shape.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from sheets_sync.club import open_club
from sheets_sync.loans import Loan, Method, Repayment, portfolio_month
from sheets_sync.metrics import Month, figures_to_json, month_figures

from conftest import HEADERS, TODAY, set_cell

d = dt.date
M, S, C, L, R, ST = "Thành viên", "Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ", "Cài đặt"


def case(row: int, case_id: str, recorded, supported=None, form=None, status="Đã hỗ trợ", *,
         amount=None, labour_days=None, members=None):
    """Edits writing one Self-help row at sheet ``row``."""
    cells = {"Mã TH": case_id, "Ngày ghi nhận": recorded, "Người được giúp": f"Người {case_id}",
             "Quan hệ": "Ngoài CLB", "Hình thức hỗ trợ": form, "Giá trị (đồng)": amount, "Số ngày công": labour_days,
             "Số TV tham gia": members, "Ngày hỗ trợ": supported, "Trạng thái": status}
    return [(S, row, header, value) for header, value in cells.items()]


def setting(row: int, item: str, value):
    return [(ST, row, "Mục", item), (ST, row, "Giá trị", value)]


def blank_row(tab: str, row: int):
    return [(tab, row, header, None) for header in HEADERS[tab]]


def figures(tabs, make_xlsx, month: str, edits=()):
    for tab, row, header, value in edits:
        set_cell(tabs, tab, row, header, value)
    club = open_club(make_xlsx(tabs), today=TODAY)
    return figures_to_json(month_figures(club.workbook, Month.parse(month), club.error_rows), club.name)


def at(data, path: str):
    for key in path.split("."):
        data = data[key]
    return data


def form(count, amount=0, labour_days=0, members=0):
    return {"count": count, "amount": amount, "labour_days": labour_days, "members_taking_part": members}


def overdue(days, amount, outstanding, borrower="Nguyễn Thị Lan"):
    return [{"loan_id": "KV001", "member_id": "TV001", "borrower": borrower, "days_past_due": days,
             "amount_overdue": amount, "outstanding_principal": outstanding}]


TARGET_2 = setting(6, "Chỉ tiêu giúp đỡ/tháng", 2)
NO_OCT_REPAYMENT = blank_row(R, 3)
NO_REPAYMENTS = blank_row(R, 2) + blank_row(R, 3)

# (id, edits, month, {path in the --json shape: expected})
CASES = [
    # cases recorded and helped
    ("cases-clean-club", [], "2026-10", {
        "rows_left_out": 0, "cases.recorded": 2, "cases.helped": 1, "cases.target": 1, "cases.target_met": True,
        "cases.by_form": {"Hiện vật": form(1, 500_000, members=4)},
        "cases.urgent": {"recorded": 1, "helped": 1}, "cases.days_to_help": {"average": 3.0, "max": 3},
        "cases.waiting_over_30_days": 0, "cases.waiting_case_ids": [],
        "cases.helped_cases": [{"case_id": "TH001", "person": "Phạm Thị Hoa", "forms": ["Hiện vật"], "first_support": "2026-10-05"}]}),
    ("two-support-rows-count-once", case(4, "TH001", d(2026, 10, 2), d(2026, 10, 9), "Tiền"), "2026-10", {
        "cases.helped": 1, "cases.recorded": 2,
        "cases.helped_cases": [{"case_id": "TH001", "person": "Phạm Thị Hoa", "forms": ["Hiện vật", "Tiền"], "first_support": "2026-10-05"}]}),
    ("support-next-month-not-counted", case(3, "TH002", d(2026, 10, 20), d(2026, 11, 2), "Tiền", "Đang hỗ trợ"), "2026-10", {
        "cases.helped": 1, "cases.by_form": {"Hiện vật": form(1, 500_000, members=4)}}),
    ("support-next-month-counted-there", case(3, "TH002", d(2026, 10, 20), d(2026, 11, 2), "Tiền", "Đang hỗ trợ"), "2026-11", {
        "cases.recorded": 0, "cases.helped": 1, "cases.days_to_help": {"average": 13.0, "max": 13},
        "cases.helped_cases": [{"case_id": "TH002", "person": "Người TH002", "forms": ["Tiền"], "first_support": "2026-11-02"}]}),
    ("help-in-month-for-case-recorded-earlier", case(3, "TH002", d(2026, 9, 20), d(2026, 10, 3), "Ngày công"), "2026-10", {
        "cases.recorded": 1, "cases.helped": 2, "cases.days_to_help": {"average": 8.0, "max": 13}}),
    ("case-recorded-on-its-earliest-row", case(4, "TH001", d(2026, 9, 28), status="Đề xuất"), "2026-10", {
        "cases.recorded": 1, "cases.helped": 1, "cases.days_to_help": {"average": 7.0, "max": 7}}),
    ("case-recorded-after-month-end-ignored", [(S, 3, "Ngày ghi nhận", d(2026, 11, 2))], "2026-10", {"cases.recorded": 1}),
    ("case-id-matched-ignoring-case", case(4, "th001 ", d(2026, 10, 2), d(2026, 10, 9), "Tiền"), "2026-10", {
        "cases.helped": 1, "cases.recorded": 2}),
    # targets
    ("cases-target-2-not-met", TARGET_2, "2026-10", {"cases.target": 2, "cases.target_met": False}),
    ("cases-target-2-met", TARGET_2 + [(S, 3, "Ngày hỗ trợ", d(2026, 10, 25)), (S, 3, "Hình thức hỗ trợ", "Tiền")], "2026-10", {
        "cases.target": 2, "cases.helped": 2, "cases.target_met": True}),
    ("cases-target-with-error-is-default", setting(6, "Chỉ tiêu giúp đỡ/tháng", 0), "2026-10", {
        "cases.target": 1, "cases.target_met": True, "rows_left_out": 0}),
    # by form, urgent, days to help
    ("by-form-sums", case(4, "TH001", d(2026, 10, 2), d(2026, 10, 6), "Hiện vật", amount=300_000, members=2)
     + case(5, "TH001", d(2026, 10, 2), d(2026, 10, 7), "Ngày công", labour_days=3, members=5), "2026-10", {
        "cases.helped": 1,
        "cases.by_form": {"Hiện vật": form(2, 800_000, members=6), "Ngày công": form(1, labour_days=3, members=5)}}),
    ("urgent-recorded-not-helped", [(S, 3, "Khẩn cấp", "Có")], "2026-10", {"cases.urgent": {"recorded": 2, "helped": 1}}),
    ("no-help-no-days", [], "2026-09", {
        "cases.helped": 0, "cases.target_met": False, "cases.days_to_help": {"average": None, "max": None},
        "cases.by_form": {}, "cases.helped_cases": []}),
    ("days-to-help-average-one-decimal", case(3, "TH002", d(2026, 10, 1), d(2026, 10, 11), "Tiền")
     + case(4, "TH003", d(2026, 10, 1), d(2026, 10, 11), "Tiền"), "2026-10", {
        "cases.days_to_help": {"average": 7.7, "max": 10}}),  # (3 + 10 + 10) / 3 = 7.67
    # waiting over 30 days (month end 31/10; 31/10 − 30 days = 1/10)
    ("waiting-29-days", [(S, 3, "Ngày ghi nhận", d(2026, 10, 2))], "2026-10", {"cases.waiting_over_30_days": 0}),
    ("waiting-30-days", [(S, 3, "Ngày ghi nhận", d(2026, 10, 1))], "2026-10", {
        "cases.waiting_over_30_days": 1, "cases.waiting_case_ids": ["TH002"]}),
    ("waiting-31-days", [(S, 3, "Ngày ghi nhận", d(2026, 9, 30))], "2026-10", {
        "cases.waiting_over_30_days": 1, "cases.waiting_case_ids": ["TH002"], "cases.recorded": 1}),
    ("waiting-declined-not-counted", [(S, 3, "Ngày ghi nhận", d(2026, 9, 1)), (S, 3, "Trạng thái", "Không hỗ trợ")], "2026-10", {
        "cases.waiting_over_30_days": 0}),
    ("waiting-referred-not-counted", [(S, 3, "Ngày ghi nhận", d(2026, 9, 1)), (S, 3, "Trạng thái", "Chuyển nhóm chăm sóc tại nhà")], "2026-10", {
        "cases.waiting_over_30_days": 0}),
    ("waiting-latest-status-wins", [(S, 3, "Ngày ghi nhận", d(2026, 9, 1))] + case(4, "TH002", d(2026, 9, 10), status="Không hỗ trợ"), "2026-10", {
        "cases.waiting_over_30_days": 0}),
    ("waiting-help-after-month-end-still-waits", case(3, "TH002", d(2026, 9, 1), d(2026, 11, 3), "Tiền"), "2026-10", {
        "cases.waiting_over_30_days": 1, "cases.helped": 1}),
    ("waiting-helped-before-not-waiting", case(3, "TH002", d(2026, 8, 1), d(2026, 8, 3), "Tiền"), "2026-10", {
        "cases.waiting_over_30_days": 0}),
    # community
    ("community-clean", [], "2026-10", {
        "community.activities": 1, "community.target": 1, "community.target_met": True, "community.people_taking_part": 25,
        "community.list": [{"date": "2026-10-12", "activity": "Dọn đường làng", "kind": "Vệ sinh môi trường"}]}),
    ("community-target-2-not-met", setting(6, "Chỉ tiêu hoạt động cộng đồng/tháng", 2), "2026-10", {
        "community.target": 2, "community.target_met": False}),
    ("community-target-2-met", setting(6, "Chỉ tiêu hoạt động cộng đồng/tháng", 2)
     + [(C, 3, "Ngày", d(2026, 10, 31)), (C, 3, "Hoạt động", "Góp ý đèn đường"), (C, 3, "Loại", "Góp ý với địa phương"), (C, 3, "Số TV tham gia", 10)], "2026-10", {
        "community.activities": 2, "community.target_met": True, "community.people_taking_part": 35}),
    ("community-next-month-ignored", [(C, 3, "Ngày", d(2026, 11, 1)), (C, 3, "Hoạt động", "Văn nghệ")], "2026-10", {"community.activities": 1}),
    # members at month end
    ("members-clean", [], "2026-10", {
        "members.active": 3, "members.joined": 0, "members.left": 0, "members.women": 2, "members.older": 2,
        "members.poor_or_near_poor": 2, "members.shares": {"women": 0.6667, "older": 0.6667, "poor_or_near_poor": 0.6667},
        "members.joined_ids": [], "members.left_ids": []}),
    ("joined-on-last-day-active", [(M, 4, "Ngày vào", d(2026, 10, 31))], "2026-10", {
        "members.active": 3, "members.joined": 1, "members.joined_ids": ["TV003"]}),
    ("joined-next-month-not-yet", [(M, 4, "Ngày vào", d(2026, 11, 1))], "2026-10", {"members.active": 2, "members.joined": 0}),
    ("left-on-last-day-not-active", [(M, 3, "Ngày rời", d(2026, 10, 31))], "2026-10", {
        "members.active": 2, "members.left": 1, "members.left_ids": ["TV002"], "members.shares.women": 1.0}),
    ("left-next-day-still-active", [(M, 3, "Ngày rời", d(2026, 11, 1))], "2026-10", {"members.active": 3, "members.left": 0}),
    ("older-55-in-year-of-month", [(M, 4, "Năm sinh", 1971)], "2026-10", {"members.older": 3, "members.shares.older": 1.0}),
    ("older-54-not-yet", [(M, 4, "Năm sinh", 1972)], "2026-10", {"members.older": 2}),
    ("older-by-year-of-month-2025", [(M, 3, "Năm sinh", 1971)], "2025-12", {"members.active": 2, "members.older": 1}),
    ("older-by-year-of-month-2026", [(M, 3, "Năm sinh", 1971)], "2026-01", {"members.active": 2, "members.older": 2}),
    ("older-age-setting-50", [(ST, 4, "Giá trị", 50), (M, 4, "Năm sinh", 1976)], "2026-10", {"members.older": 3}),
    ("no-active-members-shares-null", [], "2019-12", {
        "members.active": 0, "members.shares": {"women": None, "older": None, "poor_or_near_poor": None}}),
    # rows with errors are left out
    ("error-case-row-left-out", [(S, 2, "Giá trị (đồng)", "năm trăm")], "2026-10", {
        "rows_left_out": 1, "cases.recorded": 1, "cases.helped": 0, "cases.urgent": {"recorded": 0, "helped": 0}}),
    ("error-member-row-left-out", [(M, 4, "Năm sinh", 58)], "2026-10", {"rows_left_out": 1, "members.active": 2}),
    ("two-errors-one-row-counted-once", [(M, 4, "Năm sinh", 58), (M, 4, "Ngày vào", "31/02/2020")], "2026-10", {
        "rows_left_out": 1, "members.active": 2}),
    ("error-activity-left-out", [(C, 2, "Số TV tham gia", "nhiều")], "2026-10", {
        "rows_left_out": 1, "community.activities": 0, "community.target_met": False}),
    ("warning-row-kept", [(M, 2, "Điện thoại", 912345678)], "2026-10", {"rows_left_out": 0, "members.active": 3}),
    ("error-loan-row-left-out", [(L, 2, "Số tiền vay", "abc")], "2026-10", {
        "rows_left_out": 1, "loans.active": 0, "loans.outstanding_principal": 0, "loans.par30": None}),
    # loans (KV001: 5.000.000 đ, 1 %/month, 12 months equal principal 416.667 đ; due the 15th)
    ("loans-october-on-time", [], "2026-10", {"loans": {
        "active": 1, "outstanding_principal": 4_166_666, "disbursed": 0, "disbursed_count": 0, "principal_repaid": 416_667,
        "interest_due": 45_833, "interest_collected": 45_833, "penalty_collected": 0, "overdue": [], "par30": 0.0, "on_time_rate": 1.0}}),
    ("loans-august-disbursed", [], "2026-08", {"loans": {
        "active": 1, "outstanding_principal": 5_000_000, "disbursed": 5_000_000, "disbursed_count": 1, "principal_repaid": 0,
        "interest_due": 0, "interest_collected": 0, "penalty_collected": 0, "overdue": [], "par30": 0.0, "on_time_rate": None}}),
    ("loans-before-any-loan", [], "2026-07", {"loans.active": 0, "loans.outstanding_principal": 0, "loans.par30": None}),
    ("loan-16-days-late", NO_OCT_REPAYMENT + [(L, 2, "Người vay", "Chị Lan")], "2026-10", {
        "loans.overdue": overdue(16, 416_667 + 45_833, 4_583_333, "Chị Lan"), "loans.par30": 0.0, "loans.on_time_rate": 0.0,
        "loans.principal_repaid": 0, "loans.interest_collected": 0}),
    ("loan-46-days-late-borrower-from-members", NO_OCT_REPAYMENT + [(L, 2, "Người vay", None)], "2026-11", {
        "loans.overdue": overdue(46, 833_334 + 45_833 + 41_667, 4_583_333), "loans.par30": 1.0,
        "loans.interest_due": 41_667, "loans.on_time_rate": 0.0}),
    ("loan-30-days-late-not-par30", NO_REPAYMENTS + [(L, 2, "Ngày giải ngân", d(2026, 9, 1))], "2026-10", {
        "loans.overdue": overdue(30, 416_667 + 50_000, 5_000_000), "loans.par30": 0.0}),
    ("loan-31-days-late-par30", NO_REPAYMENTS + [(L, 2, "Ngày giải ngân", d(2026, 8, 31))], "2026-10", {
        "loans.overdue": overdue(31, 2 * 416_667 + 50_000 + 45_833, 5_000_000), "loans.par30": 1.0}),
]


@pytest.mark.parametrize("edits, month, expected", [pytest.param(e, m, x, id=i) for i, e, m, x in CASES])
def test_month_figure(club_tabs, make_xlsx, edits, month, expected):
    data = figures(club_tabs, make_xlsx, month, edits)
    assert {path: at(data, path) for path in expected} == expected
    if "rows_left_out" not in expected:  # the edits made no error that would skew the case
        assert data["rows_left_out"] == 0


def test_loan_figures_match_portfolio_month(club_tabs, make_xlsx):
    # A second loan, late and partly paid, next to KV001: the figures are portfolio_month's.
    for header, value in zip(HEADERS[L], ["KV002", "TV002", None, d(2026, 7, 1), "2 triệu", "0,8%", "Lãi cố định", 6, "Hàng tháng"]):
        set_cell(club_tabs, L, 3, header, value)
    for header, value in zip(HEADERS[R], [d(2026, 8, 20), "kv002", 300_000, 16_000, 5_000, "Thủ quỹ"]):
        set_cell(club_tabs, R, 4, header, value)
    club = open_club(make_xlsx(club_tabs), today=TODAY)
    assert not club.error_rows
    loans = [Loan("KV001", "TV001", d(2026, 8, 15), 5_000_000, Decimal(1), 12, Method.DECLINING),
             Loan("KV002", "TV002", d(2026, 7, 1), 2_000_000, Decimal("0.8"), 6, Method.FLAT)]
    repayments = [Repayment("KV001", d(2026, 9, 15), 416_667, 50_000), Repayment("KV001", d(2026, 10, 15), 416_667, 45_833),
                  Repayment("KV002", d(2026, 8, 20), 300_000, 16_000, 5_000)]
    for month in Month.span(Month(2026, 6), Month(2026, 11)):
        got = month_figures(club.workbook, month, club.error_rows).loans
        want = portfolio_month(loans, repayments, month.year, month.month)
        assert (got.active, got.outstanding_principal, got.disbursed, got.disbursed_count, got.principal_repaid,
                got.interest_due, got.interest_collected, got.penalty_collected) == (
                want.active_loans, want.outstanding_principal, want.disbursed, want.disbursed_count, want.principal_repaid,
                want.interest_due, want.interest_collected, want.penalty_collected), month
        assert [(o.loan_id, o.days_past_due, o.amount_overdue, o.outstanding_principal) for o in got.overdue] == [
            (o.loan_id, o.days_past_due, o.amount_overdue, o.outstanding_principal) for o in want.overdue], month
        assert got.par30 == (None if want.par30 is None else round(float(want.par30), 4)), month
        assert got.on_time_rate == (None if want.on_time_rate is None else round(float(want.on_time_rate), 4)), month
    # KV002's borrower column is blank: the member's name stands in.
    late = month_figures(club.workbook, Month(2026, 10), club.error_rows).loans.overdue
    assert [(o.loan_id, o.borrower) for o in late] == [("KV002", "Trần Văn Hùng")]


def test_trend_is_twelve_months_oldest_first(club_tabs, make_xlsx):
    trend = figures(club_tabs, make_xlsx, "2026-10")["trend"]
    assert [t["month"] for t in trend] == [str(m) for m in Month.span(Month(2025, 11), Month(2026, 10))]
    assert trend[0] == {"month": "2025-11", "cases_helped": 0, "cases_target_met": False, "activities": 0,
                        "community_target_met": False, "active_members": 2, "outstanding_principal": 0, "par30": None}
    assert trend[-1] == {"month": "2026-10", "cases_helped": 1, "cases_target_met": True, "activities": 1,
                         "community_target_met": True, "active_members": 3, "outstanding_principal": 4_166_666, "par30": 0.0}
    assert [t["outstanding_principal"] for t in trend[-3:]] == [5_000_000, 4_583_333, 4_166_666]


FLOAT_KEYS = {"par30", "on_time_rate", "average"}  # and everything under members.shares
BOOL_KEYS = {"target_met", "cases_target_met", "community_target_met"}
TEXT_KEYS = {"club", "month", "as_of", "case_id", "person", "first_support", "date", "activity", "kind",
             "loan_id", "member_id", "borrower"}


def leaves(data, path=()):
    """(path, value) of every scalar in a JSON-like structure."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for value in data:
            yield from leaves(value, path)
    else:
        yield path, data


def test_json_shape_and_types(club_tabs, make_xlsx):
    data = figures(club_tabs, make_xlsx, "2026-10", NO_OCT_REPAYMENT)
    json.dumps(data)
    assert list(data) == ["club", "month", "as_of", "rows_left_out", "cases", "community", "members", "loans", "trend"]
    assert (data["club"], data["month"], data["as_of"]) == ("CLB Liên thế hệ Tự giúp nhau thôn Đông", "2026-10", "2026-10-31")
    assert list(data["cases"]) == ["recorded", "helped", "target", "target_met", "by_form", "urgent", "days_to_help",
                                   "waiting_over_30_days", "waiting_case_ids", "helped_cases"]
    assert list(data["members"]) == ["active", "joined", "left", "women", "older", "poor_or_near_poor", "shares", "joined_ids", "left_ids"]
    assert list(data["community"]) == ["activities", "target", "target_met", "people_taking_part", "list"]
    assert list(data["loans"]) == ["active", "outstanding_principal", "disbursed", "disbursed_count", "principal_repaid",
                                   "interest_due", "interest_collected", "penalty_collected", "overdue", "par30", "on_time_rate"]
    assert list(data["loans"]["overdue"][0]) == ["loan_id", "member_id", "borrower", "days_past_due", "amount_overdue", "outstanding_principal"]
    assert list(data["trend"][0]) == ["month", "cases_helped", "cases_target_met", "activities", "community_target_met",
                                      "active_members", "outstanding_principal", "par30"]
    seen = 0
    for path, value in leaves(data):
        key = path[-1]
        if key in FLOAT_KEYS or "shares" in path:
            assert value is None or (type(value) is float and 0 <= value) and (key == "average" or value <= 1), path
        elif key in BOOL_KEYS:
            assert type(value) is bool, path
        elif key in TEXT_KEYS or key in {"waiting_case_ids", "joined_ids", "left_ids", "forms"}:
            assert value is None or type(value) is str, path
        else:  # every count and every amount of money
            assert type(value) is int, (path, value)
            seen += 1
    assert seen > 50


def test_private_text_never_in_figures(club_tabs, make_xlsx):
    set_cell(club_tabs, S, 2, "Ghi chú", "nhiễm HIV")
    text = json.dumps(figures(club_tabs, make_xlsx, "2026-10"), ensure_ascii=False)
    assert "Phạm Thị Hoa" in text  # the person helped may be named
    for private in ("ốm nặng", "gạo", "nhiễm HIV", "ghi chú riêng", "0912", "912345678", "Nghèo"):
        assert private not in text


@pytest.mark.parametrize("text, year, month", [
    pytest.param("2026-10", 2026, 10, id="plain"),
    pytest.param(" 2026-01 ", 2026, 1, id="spaces"),
    pytest.param("2026-1", 2026, 1, id="one-digit-month"),
])
def test_month_parse(text, year, month):
    assert Month.parse(text) == Month(year, month)


@pytest.mark.parametrize("text", [
    pytest.param(t, id=t or "empty") for t in ["", "2026-13", "2026-00", "2026/10", "10-2026", "26-10", "2026-10-01", "tháng 10"]
])
def test_month_parse_refuses(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_month_arithmetic():
    oct_ = Month.parse("2026-10")
    assert str(oct_) == "2026-10" and str(Month(2026, 3)) == "2026-03"
    assert (oct_.first_day, oct_.last_day) == (d(2026, 10, 1), d(2026, 10, 31))
    assert Month(2024, 2).last_day == d(2024, 2, 29) and Month(2026, 2).last_day == d(2026, 2, 28)
    assert Month(2026, 1).previous() == Month(2025, 12) and Month(2025, 12).next() == Month(2026, 1)
    assert oct_.minus(12) == Month(2025, 10) and oct_.plus(3) == Month(2027, 1)
    assert oct_.last_n(3) == [Month(2026, 8), Month(2026, 9), Month(2026, 10)]
    assert list(Month.span(Month(2026, 11), Month(2027, 1))) == [Month(2026, 11), Month(2026, 12), Month(2027, 1)]
    assert list(Month.span(oct_, Month(2026, 9))) == []
    assert d(2026, 10, 31) in oct_ and d(2026, 11, 1) not in oct_ and None not in oct_
    assert Month.of(d(2026, 10, 5)) == oct_ and Month(2025, 12) < oct_


def test_the_trend_can_be_left_out_and_the_month_is_the_same(club_tabs, make_xlsx):
    club = open_club(make_xlsx(club_tabs), today=TODAY)
    full = month_figures(club.workbook, Month(2026, 10), club.error_rows)
    month_only = month_figures(club.workbook, Month(2026, 10), club.error_rows, trend=False)
    assert month_only.trend == () and len(full.trend) == 12
    assert (month_only.cases, month_only.members, month_only.loans) == (full.cases, full.members, full.loans)
