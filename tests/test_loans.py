"""Tests for sheets_sync.loans: schedules, allocation, status and the month's portfolio."""

import unicodedata
from datetime import date
from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.loans import (
    Installment,
    Loan,
    LoanStatus,
    Method,
    OverdueLoan,
    PortfolioMonth,
    Repayment,
    add_months,
    amount_owed,
    amounts_owed,
    loan_status,
    method_for,
    portfolio_month,
    schedule,
)

D = Decimal
START = date(2026, 1, 10)


def day(iso: str) -> date:
    return date.fromisoformat(iso)


def pay(iso: str, principal: int = 0, interest: int = 0, penalty: int = 0, loan_id: str = "KV001") -> Repayment:
    return Repayment(loan_id, day(iso), principal, interest, penalty)


def parts(rows: list[Installment]) -> list[tuple[int, int]]:
    return [(i.principal, i.interest) for i in rows]


# --- method_for ------------------------------------------------------------


@pytest.mark.parametrize(
    ("interest_method", "principal_method", "expected"),
    [
        pytest.param("Dư nợ giảm dần", "Hàng tháng", Method.DECLINING, id="declining-monthly"),
        pytest.param("Dư nợ giảm dần", "Cuối kỳ", Method.BULLET, id="declining-at-end"),
        pytest.param("Dư nợ giảm dần", "Góp đều", Method.ANNUITY, id="declining-equal"),
        pytest.param("Lãi cố định", "Hàng tháng", Method.FLAT, id="flat-monthly"),
        pytest.param("Lãi cố định", "Góp đều", Method.FLAT, id="flat-equal"),
        pytest.param("Lãi cố định", "Cuối kỳ", Method.BULLET, id="flat-at-end"),
        pytest.param(None, None, Method.DECLINING, id="both-blank"),
        pytest.param(None, "Cuối kỳ", Method.BULLET, id="interest-blank"),
        pytest.param("Lãi cố định", None, Method.FLAT, id="principal-blank"),
        pytest.param(unicodedata.normalize("NFD", "Lãi cố định"), " Hàng tháng ", Method.FLAT, id="nfd-and-spaces"),
    ],
)
def test_method_for(interest_method, principal_method, expected):
    assert method_for(interest_method, principal_method) is expected


@pytest.mark.parametrize(
    ("interest_method", "principal_method"),
    [pytest.param("Gốc cố định", "Hàng tháng", id="unknown-interest"),
     pytest.param("Dư nợ giảm dần", "Hàng quý", id="unknown-principal")],
)
def test_method_for_rejects_unknown_values(interest_method, principal_method):
    with pytest.raises(ValueError):
        method_for(interest_method, principal_method)


# --- add_months ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param("2026-01-31", 1, "2026-02-28", id="jan31-to-feb28"),
        pytest.param("2028-01-31", 1, "2028-02-29", id="jan31-to-feb29-leap"),
        pytest.param("2026-01-31", 2, "2026-03-31", id="jan31-plus2-not-chained"),
        pytest.param("2026-08-31", 1, "2026-09-30", id="aug31-to-sep30"),
        pytest.param("2026-12-15", 1, "2027-01-15", id="year-end"),
        pytest.param("2026-11-30", 3, "2027-02-28", id="across-year-clamped"),
        pytest.param("2026-01-31", 13, "2027-02-28", id="thirteen-months"),
        pytest.param("2026-05-10", 0, "2026-05-10", id="zero"),
        pytest.param("2026-03-31", -1, "2026-02-28", id="backwards"),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(day(start), n) == day(expected)


def test_due_dates_follow_the_disbursement_day_without_drifting():
    rows = schedule(900_000, D(1), 3, Method.DECLINING, day("2026-01-31"))
    assert [i.due_date for i in rows] == [day("2026-02-28"), day("2026-03-31"), day("2026-04-30")]
    assert [i.n for i in rows] == [1, 2, 3]


# --- schedules worked by hand ----------------------------------------------

# 5,000,000 at 1 %/month over 12 months.
#   declining/flat principal part: 5,000,000 / 12 = 416,666.67 -> 416,667;
#     last = 5,000,000 - 11 × 416,667 = 416,663.
#   declining interest: 1: 5,000,000 × 1 % = 50,000; 2: 4,583,333 × 1 % = 45,833.33 -> 45,833;
#     12: 416,663 × 1 % = 4,166.63 -> 4,167.
#   flat and bullet interest: 5,000,000 × 1 % = 50,000 every month.
#   annuity: PMT = 5,000,000 × 0.01 / (1 - 1.01^-12) = 444,243.94 -> 444,244;
#     1: interest 50,000, principal 394,244, balance 4,605,756;
#     2: interest 4,605,756 × 1 % = 46,057.56 -> 46,058, principal 398,186;
#     12: balance left 439,845, interest 4,398.45 -> 4,398, total 444,243.
_FIVE_M = (5_000_000, D(1), 12)
_DECL_12 = {1: (416_667, 50_000), 2: (416_667, 45_833), 12: (416_663, 4_167)}
_FLAT_12 = {1: (416_667, 50_000), 2: (416_667, 50_000), 12: (416_663, 50_000)}
_BULLET_12 = {1: (0, 50_000), 11: (0, 50_000), 12: (5_000_000, 50_000)}
_ANNUITY_12 = {1: (394_244, 50_000), 2: (398_186, 46_058), 12: (439_845, 4_398)}


@pytest.mark.parametrize(
    ("terms", "method", "expected"),
    [
        pytest.param(_FIVE_M, Method.DECLINING, _DECL_12, id="5m-declining"),
        pytest.param(_FIVE_M, Method.FLAT, _FLAT_12, id="5m-flat"),
        pytest.param(_FIVE_M, Method.BULLET, _BULLET_12, id="5m-bullet"),
        pytest.param(_FIVE_M, Method.ANNUITY, _ANNUITY_12, id="5m-annuity"),
    ],
)
def test_five_million_examples(terms, method, expected):
    rows = schedule(*terms, method, START)
    assert {n: (rows[n - 1].principal, rows[n - 1].interest) for n in expected} == expected
    assert sum(i.principal for i in rows) == 5_000_000
    if method is Method.BULLET:
        assert all(i.total == 50_000 for i in rows[:-1]) and rows[-1].total == 5_050_000
    if method is Method.ANNUITY:
        assert {i.total for i in rows[:-1]} == {444_244} and rows[-1].total == 444_243


# Whole schedules for loans whose figures do not split into whole đồng:
# 3,333,333 at 1.1 % over 6 months:
#   part = 3,333,333 / 6 = 555,555.5 -> 555,556 (half-up); last = 3,333,333 - 5 × 555,556 = 555,553.
#   declining interest: 3,333,333 × 1.1 % = 36,666.663 -> 36,667; 2,777,777 -> 30,555.547 -> 30,556;
#     2,222,221 -> 24,444.431 -> 24,444; 1,666,665 -> 18,333.315 -> 18,333;
#     1,111,109 -> 12,222.199 -> 12,222; 555,553 -> 6,111.083 -> 6,111.
# 1,000,000 at 0.7 % over 7 months:
#   part = 142,857.14 -> 142,857; last = 1,000,000 - 6 × 142,857 = 142,858.
#   declining interest: 7,000; 857,143 × 0.7 % = 6,000.001 -> 6,000; ... 142,858 -> 1,000.006 -> 1,000.
# 1,250,050 at 1 % over 4 months (exact halves, where banker's rounding would differ):
#   part = 312,512.5 -> 312,513; last = 1,250,050 - 3 × 312,513 = 312,511.
#   interest 1,250,050 × 1 % = 12,500.5 -> 12,501 (banker's: 12,500);
#   declining: 937,537 -> 9,375.37 -> 9,375; 625,024 -> 6,250; 312,511 -> 3,125.
# 1,000,000 at 0 % over 3 months, annuity: payment 333,333.33 -> 333,333; last takes 333,334.
@pytest.mark.parametrize(
    ("amount", "rate", "months", "method", "expected"),
    [
        pytest.param(3_333_333, D("1.1"), 6, Method.DECLINING,
                     [(555_556, 36_667), (555_556, 30_556), (555_556, 24_444),
                      (555_556, 18_333), (555_556, 12_222), (555_553, 6_111)], id="3333333-1.1-declining"),
        pytest.param(3_333_333, D("1.1"), 6, Method.FLAT,
                     [(555_556, 36_667)] * 5 + [(555_553, 36_667)], id="3333333-1.1-flat"),
        pytest.param(3_333_333, D("1.1"), 6, Method.BULLET,
                     [(0, 36_667)] * 5 + [(3_333_333, 36_667)], id="3333333-1.1-bullet"),
        pytest.param(1_000_000, D("0.7"), 7, Method.DECLINING,
                     [(142_857, 7_000), (142_857, 6_000), (142_857, 5_000), (142_857, 4_000),
                      (142_857, 3_000), (142_857, 2_000), (142_858, 1_000)], id="1m-0.7-declining"),
        pytest.param(1_000_000, D("0.7"), 7, Method.FLAT,
                     [(142_857, 7_000)] * 6 + [(142_858, 7_000)], id="1m-0.7-flat"),
        pytest.param(1_250_050, D(1), 4, Method.DECLINING,
                     [(312_513, 12_501), (312_513, 9_375), (312_513, 6_250), (312_511, 3_125)], id="half-up-declining"),
        pytest.param(1_250_050, D(1), 4, Method.FLAT,
                     [(312_513, 12_501)] * 3 + [(312_511, 12_501)], id="half-up-flat"),
        pytest.param(1_000_000, D(0), 3, Method.ANNUITY,
                     [(333_333, 0), (333_333, 0), (333_334, 0)], id="zero-rate-annuity"),
        pytest.param(1_000_000, D(0), 2, Method.BULLET, [(0, 0), (1_000_000, 0)], id="zero-rate-bullet"),
        pytest.param(700_000, D("0.8"), 1, Method.ANNUITY, [(700_000, 5_600)], id="one-month"),
    ],
)
def test_whole_schedules(amount, rate, months, method, expected):
    rows = schedule(amount, rate, months, method, START)
    assert parts(rows) == expected
    assert all(i.total == i.principal + i.interest for i in rows)


# The annuity against numpy_financial: every installment within 1 đồng of the
# oracle's rounded figures, except the last, which absorbs the remainder.
@pytest.mark.parametrize(
    ("amount", "rate", "months"),
    [
        pytest.param(5_000_000, D(1), 12, id="5m-1pct-12"),
        pytest.param(1_000_000, D("0.7"), 7, id="1m-0.7pct-7"),
        pytest.param(3_333_333, D("1.1"), 6, id="3333333-1.1pct-6"),
        pytest.param(50_000_000, D("1.5"), 36, id="50m-1.5pct-36"),
        pytest.param(100_000, D("0.5"), 24, id="100k-0.5pct-24"),
        pytest.param(12_345_678, D("0.85"), 18, id="odd-amount-0.85pct-18"),
    ],
)
def test_annuity_matches_numpy_financial(amount, rate, months):
    r = float(rate) / 100
    rows = schedule(amount, rate, months, Method.ANNUITY, START)
    assert rows[0].total == round(float(npf.pmt(r, months, -amount)))
    for inst in rows[:-1]:
        assert abs(inst.principal - round(float(npf.ppmt(r, inst.n, months, -amount)))) <= 1
        assert abs(inst.interest - round(float(npf.ipmt(r, inst.n, months, -amount)))) <= 1
    assert sum(i.principal for i in rows) == amount


@pytest.mark.parametrize(
    ("amount", "rate", "months", "start"),
    [
        pytest.param(0, D(1), 12, START, id="zero-amount"),
        pytest.param(-5, D(1), 12, START, id="negative-amount"),
        pytest.param(1.5, D(1), 12, START, id="float-amount"),
        pytest.param(True, D(1), 12, START, id="bool-amount"),
        pytest.param(1_000_000, D(1), 0, START, id="zero-months"),
        pytest.param(1_000_000, D(-1), 12, START, id="negative-rate"),
        pytest.param(1_000_000, 1.0, 12, START, id="float-rate"),
        pytest.param(1_000_000, D("NaN"), 12, START, id="nan-rate"),
        pytest.param(1_000_000, D(1), 12, "2026-01-10", id="text-start"),
    ],
)
def test_schedule_rejects_nonsense(amount, rate, months, start):
    with pytest.raises(ValueError):
        schedule(amount, rate, months, Method.DECLINING, start)


def test_loan_schedule_is_the_cached_schedule():
    loan = Loan("KV001", "TV01", START, 5_000_000, D(1), 12, Method.ANNUITY)
    assert loan.schedule() == tuple(schedule(5_000_000, D(1), 12, Method.ANNUITY, START))
    assert loan.schedule() is loan.schedule()


# --- schedule properties ---------------------------------------------------

_amounts = st.integers(min_value=1, max_value=200_000_000)
_rates = st.integers(min_value=0, max_value=500).map(lambda hundredths: D(hundredths) / 100)  # 0..5 %/month
_months = st.integers(min_value=1, max_value=120)
_starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize("method", list(Method), ids=[m.value for m in Method])
@given(amount=_amounts, rate=_rates, months=_months, start=_starts)
def test_schedule_properties(method, amount, rate, months, start):
    rows = schedule(amount, rate, months, method, start)
    assert len(rows) == months
    assert sum(i.principal for i in rows) == amount
    assert all(i.principal >= 0 and i.interest >= 0 and i.balance >= 0 for i in rows)
    assert rows[-1].balance == 0
    assert all(a.due_date < b.due_date for a, b in zip(rows, rows[1:]))
    assert all(i.total == i.principal + i.interest for i in rows)


@pytest.mark.parametrize("method", list(Method), ids=[m.value for m in Method])
@settings(max_examples=50)
@given(amount=_amounts, rate=_rates, months=st.integers(min_value=1, max_value=24), start=_starts)
def test_paying_each_installment_on_its_due_date_keeps_the_loan_current(method, amount, rate, months, start):
    loan = Loan("KV001", "TV01", start, amount, rate, months, method)
    reps = [Repayment("KV001", i.due_date, i.principal, i.interest) for i in loan.schedule()]
    for inst in loan.schedule():
        status = loan_status(loan, reps, inst.due_date)
        assert (status.days_past_due, status.amount_overdue, status.overpaid) == (0, 0, 0)
    assert loan_status(loan, reps, loan.schedule()[-1].due_date).closed


# --- status: allocation and days past due ----------------------------------

# 1,200,000 at 1 % over 3 months, declining, disbursed 10/01/2026:
#   due 10/02: 400,000 + 12,000; due 10/03: 400,000 + 8,000; due 10/04: 400,000 + 4,000.
LOAN = Loan("KV001", "TV01", START, 1_200_000, D(1), 3, Method.DECLINING)
ON_TIME = [pay("2026-02-10", 400_000, 12_000), pay("2026-03-10", 400_000, 8_000), pay("2026-04-10", 400_000, 4_000)]


@pytest.mark.parametrize(
    ("repayments", "as_of", "expected"),
    [
        pytest.param([], "2026-01-31", dict(outstanding_principal=1_200_000, interest_due=0, amount_overdue=0,
                                            days_past_due=0, closed=False), id="before-first-due-date"),
        pytest.param([], "2026-02-10", dict(interest_due=12_000, principal_overdue=400_000, interest_overdue=12_000,
                                            amount_overdue=412_000, days_past_due=0), id="nothing-paid-due-today"),
        pytest.param([], "2026-02-11", dict(amount_overdue=412_000, days_past_due=1), id="nothing-paid-a-day-late"),
        # 10/02 -> 15/03 = 28 (February 2026) + 5 = 33 days.
        pytest.param([], "2026-03-15", dict(principal_overdue=800_000, interest_overdue=20_000, amount_overdue=820_000,
                                            days_past_due=33), id="nothing-paid-two-installments"),
        # 10/02 -> 10/05 = 28 + 31 + 30 = 89 days.
        pytest.param([], "2026-05-10", dict(outstanding_principal=1_200_000, interest_due=24_000,
                                            amount_overdue=1_224_000, days_past_due=89), id="nothing-paid-after-maturity"),
        pytest.param([pay("2026-02-05", 400_000, 12_000)], "2026-02-20",
                     dict(outstanding_principal=800_000, interest_collected=12_000, amount_overdue=0,
                          days_past_due=0), id="paid-early"),
        pytest.param([pay("2026-02-10", 400_000, 12_000)], "2026-02-10",
                     dict(amount_overdue=0, days_past_due=0), id="paid-on-due-date"),
        pytest.param([pay("2026-02-25", 400_000, 12_000)], "2026-02-20",
                     dict(amount_overdue=412_000, days_past_due=10), id="paid-late-not-yet"),
        pytest.param([pay("2026-02-25", 400_000, 12_000)], "2026-02-28",
                     dict(amount_overdue=0, days_past_due=0), id="paid-late-caught-up"),
        # 10/02 -> 01/03 = 19 days.
        pytest.param([pay("2026-02-10", 300_000, 12_000)], "2026-03-01",
                     dict(principal_overdue=100_000, interest_overdue=0, days_past_due=19), id="partial-principal"),
        # Installment 1 is still short, so its due date counts: 10/02 -> 12/03 = 30 days.
        pytest.param([pay("2026-02-10", 300_000, 12_000)], "2026-03-12",
                     dict(principal_overdue=500_000, interest_overdue=8_000, amount_overdue=508_000,
                          days_past_due=30), id="partial-then-next-due"),
        pytest.param([pay("2026-02-10", 400_000)], "2026-02-15",
                     dict(principal_overdue=0, interest_overdue=12_000, days_past_due=5), id="interest-missing"),
        # Principal paid ahead does not pay interest: installment 2's 8,000 is late since 10/03.
        pytest.param([pay("2026-02-10", 800_000, 12_000)], "2026-03-20",
                     dict(outstanding_principal=400_000, principal_overdue=0, interest_due=20_000,
                          interest_overdue=8_000, days_past_due=10), id="principal-ahead-interest-behind"),
        pytest.param(ON_TIME, "2026-04-10",
                     dict(outstanding_principal=0, interest_due=24_000, interest_collected=24_000,
                          days_past_due=0, closed=True, overpaid=0), id="all-on-time-closed"),
        # Paid 1,250,000 + 30,000 against 1,200,000 + 24,000: 50,000 + 6,000 over.
        pytest.param(ON_TIME[:2] + [pay("2026-04-10", 450_000, 10_000)], "2026-04-30",
                     dict(outstanding_principal=0, amount_overdue=0, closed=True, overpaid=56_000), id="overpaid"),
        # Principal repaid on 25/02: installments 2 and 3 fall due after it and carry no interest.
        pytest.param([pay("2026-02-10", 400_000, 12_000), pay("2026-02-25", 800_000)], "2026-05-01",
                     dict(outstanding_principal=0, interest_due=12_000, interest_overdue=0, days_past_due=0,
                          closed=True, overpaid=0), id="repaid-in-full-early"),
        # Repaid on installment 2's own due date: its 8,000 is still owed (late by 10/03 -> 25/03 = 15 days).
        pytest.param([pay("2026-02-10", 400_000, 12_000), pay("2026-03-10", 800_000)], "2026-03-25",
                     dict(outstanding_principal=0, interest_due=20_000, interest_overdue=8_000, days_past_due=15,
                          closed=False), id="repaid-on-due-date-interest-owed"),
        pytest.param([pay("2026-02-20", 400_000, 12_000, penalty=5_000), pay("2026-02-10", 1_200_000, loan_id="KV999"),
                      pay("2026-03-01", 800_000, 8_000)], "2026-02-25",
                     dict(outstanding_principal=800_000, interest_collected=12_000, penalty_collected=5_000,
                          days_past_due=0), id="penalty-other-loans-and-later-rows"),
    ],
)
def test_loan_status(repayments, as_of, expected):
    status = loan_status(LOAN, repayments, day(as_of))
    assert isinstance(status, LoanStatus) and status.as_of == day(as_of)
    assert {field: getattr(status, field) for field in expected} == expected
    assert status.amount_overdue == status.principal_overdue + status.interest_overdue


@pytest.mark.parametrize(
    ("repayments", "on", "expected"),
    [
        pytest.param([], "2026-01-05", 0, id="before-disbursement"),
        # 1,200,000 + the running month's interest 12,000.
        pytest.param([], "2026-01-10", 1_212_000, id="disbursement-day"),
        pytest.param([], "2026-02-05", 1_212_000, id="meeting-before-first-due"),
        # Installment 1's 12,000 is due today and installment 2's 8,000 is the running month.
        pytest.param([], "2026-02-10", 1_220_000, id="on-due-date"),
        pytest.param([pay("2026-02-10", 400_000, 12_000)], "2026-02-10", 1_220_000, id="same-day-repayment-not-counted"),
        pytest.param([pay("2026-02-10", 400_000, 12_000)], "2026-02-20", 808_000, id="after-first-installment"),
        # 20,000 interest paid covers installment 2's 8,000 ahead of time.
        pytest.param([pay("2026-02-10", 400_000, 20_000)], "2026-02-20", 800_000, id="interest-paid-ahead"),
        pytest.param([], "2026-06-01", 1_224_000, id="after-maturity-nothing-paid"),
        pytest.param([pay("2026-02-10", 400_000, 12_000), pay("2026-02-25", 800_000)], "2026-03-05", 0,
                     id="closed-early"),
        # Principal repaid 25/02 without interest: installment 1's 12,000 is still owed, nothing after.
        pytest.param([pay("2026-02-25", 1_200_000)], "2026-03-05", 12_000, id="closed-early-interest-unpaid"),
    ],
)
def test_amount_owed(repayments, on, expected):
    assert amount_owed(LOAN, repayments, day(on)) == expected
    assert amounts_owed(LOAN, repayments, [day(on)]) == {day(on): expected}


_repayment_days = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 8, 1))


@settings(max_examples=200)
@given(
    method=st.sampled_from(list(Method)),
    paid=st.lists(st.tuples(_repayment_days, st.integers(0, 900_000), st.integers(0, 30_000), st.sampled_from(["KV001", "KV002"])), max_size=8),
    days=st.lists(_repayment_days, min_size=1, max_size=6),
)
def test_amounts_owed_is_amount_owed_on_each_day(method, paid, days):
    loan = Loan("KV001", "TV01", START, 1_200_000, D(1), 3, method)
    repayments = [Repayment(loan_id, on, principal, interest) for on, principal, interest, loan_id in paid]
    assert amounts_owed(loan, repayments, days) == {on: amount_owed(loan, repayments, on) for on in days}


# --- the month's portfolio -------------------------------------------------

# A: 1,200,000 at 1 % / 3 months, declining, from 10/01/2026:
#      10/02 400,000 + 12,000; 10/03 400,000 + 8,000; 10/04 400,000 + 4,000. Always on time or early.
# B: 2,000,000 at 1 % / 4 months, flat, from 01/01/2026: 500,000 + 20,000 due on the 1st of Feb..May.
#      Pays 300,000 + 20,000 on 01/02, 200,000 on 15/02, then nothing on 01/03 until 200,000 + 20,000
#      (+ 10,000 penalty) on 20/03: principal 700,000 of the 1,000,000 due by 01/03, so at 31/03 it is
#      exactly 30 days late (01/03 -> 31/03): not in PAR30.
# C: 3,000,000 at 1.5 % / 3 months, bullet, from 28/01/2026: 45,000 interest due 28/02 and 28/03,
#      principal at the end. Pays nothing: at 31/03 it is 31 days late (28/02 -> 31/03): in PAR30.
# D: 500,000 at 1 % / 2 months, annuity, disbursed 15/03/2026: nothing due before April.
# E: 600,000 at 1 % / 2 months, declining, from 05/02/2026: 300,000 + 6,000 due 05/03.
#      Repaid in full (600,000 + 6,000) on 02/03, before its first due date: closed, nothing due in March.
# F: disbursed in April: not in any figure below.
LOANS = [
    Loan("KV-A", "TV01", day("2026-01-10"), 1_200_000, D(1), 3, Method.DECLINING),
    Loan("KV-B", "TV02", day("2026-01-01"), 2_000_000, D(1), 4, Method.FLAT),
    Loan("KV-C", "TV03", day("2026-01-28"), 3_000_000, D("1.5"), 3, Method.BULLET),
    Loan("KV-D", "TV04", day("2026-03-15"), 500_000, D(1), 2, Method.ANNUITY),
    Loan("KV-E", "TV05", day("2026-02-05"), 600_000, D(1), 2, Method.DECLINING),
    Loan("KV-F", "TV06", day("2026-04-02"), 800_000, D(1), 2, Method.DECLINING),
]
REPAYMENTS = [
    pay("2026-02-10", 400_000, 12_000, loan_id="KV-A"),
    pay("2026-03-08", 400_000, 8_000, loan_id="KV-A"),
    pay("2026-02-01", 300_000, 20_000, loan_id="KV-B"),
    pay("2026-02-15", 200_000, loan_id="KV-B"),
    pay("2026-03-20", 200_000, 20_000, penalty=10_000, loan_id="KV-B"),
    pay("2026-04-01", 800_000, 40_000, loan_id="KV-B"),   # after March: ignored for March
    pay("2026-03-02", 600_000, 6_000, loan_id="KV-E"),
    pay("2026-03-05", 100_000, loan_id="KV-X"),           # no such loan: ignored
]

PORTFOLIO_CASES = [
    pytest.param(2025, 12, PortfolioMonth(
        2025, 12, active_loans=0, outstanding_principal=0, disbursed=0, disbursed_count=0, principal_repaid=0,
        interest_due=0, interest_collected=0, penalty_collected=0, overdue=(), par30=None, on_time_rate=None,
        due_in_month=0, paid_on_time=0), id="before-any-loan"),
    # January: A, B, C disbursed (1,200,000 + 2,000,000 + 3,000,000 = 6,200,000); nothing falls due.
    pytest.param(2026, 1, PortfolioMonth(
        2026, 1, active_loans=3, outstanding_principal=6_200_000, disbursed=6_200_000, disbursed_count=3,
        principal_repaid=0, interest_due=0, interest_collected=0, penalty_collected=0, overdue=(),
        par30=D(0), on_time_rate=None, due_in_month=0, paid_on_time=0), id="nothing-due"),
    # February, as of 28/02: outstanding A 800,000 + B 1,500,000 + C 3,000,000 + E 600,000 = 5,900,000.
    #   Repaid: A 400,000 + B 300,000 + B 200,000 = 900,000 principal; 12,000 + 20,000 = 32,000 interest.
    #   Due: A 412,000 + B 520,000 + C 45,000 = 977,000 (interest 12,000 + 20,000 + 45,000 = 77,000).
    #   On time: A 412,000 + B 300,000 + 20,000 (the 200,000 came on 15/02) + C 0 = 732,000.
    #   C's 45,000 falls due on 28/02 itself: overdue but 0 days past due, so not listed.
    pytest.param(2026, 2, PortfolioMonth(
        2026, 2, active_loans=4, outstanding_principal=5_900_000, disbursed=600_000, disbursed_count=1,
        principal_repaid=900_000, interest_due=77_000, interest_collected=32_000, penalty_collected=0,
        overdue=(), par30=D(0), on_time_rate=D(732_000) / D(977_000), due_in_month=977_000,
        paid_on_time=732_000), id="february"),
    # March, as of 31/03: active A, B, C, D (E closed); outstanding
    #   A 400,000 + B 1,300,000 + C 3,000,000 + D 500,000 = 5,200,000.
    #   Repaid: A 400,000 + B 200,000 + E 600,000 = 1,200,000; interest 8,000 + 20,000 + 6,000 = 34,000.
    #   Due: A 408,000 + B 520,000 + C 45,000 = 973,000 (interest 8,000 + 20,000 + 45,000 = 73,000);
    #     E's 05/03 installment is skipped: the loan was repaid on 02/03.
    #   On time: A 408,000 (paid 08/03); B 0 (its payments by 01/03 only cover installment 1); C 0.
    #   Overdue: C 31 days, 45,000 × 2 = 90,000; B 30 days, 1,000,000 - 700,000 = 300,000 principal.
    #   PAR30 = C's 3,000,000 / 5,200,000 (B at exactly 30 days is not in it).
    pytest.param(2026, 3, PortfolioMonth(
        2026, 3, active_loans=4, outstanding_principal=5_200_000, disbursed=500_000, disbursed_count=1,
        principal_repaid=1_200_000, interest_due=73_000, interest_collected=34_000, penalty_collected=10_000,
        overdue=(OverdueLoan("KV-C", "TV03", 31, 90_000, 3_000_000),
                 OverdueLoan("KV-B", "TV02", 30, 300_000, 1_300_000)),
        par30=D(3_000_000) / D(5_200_000), on_time_rate=D(408_000) / D(973_000), due_in_month=973_000,
        paid_on_time=408_000), id="march"),
]


@pytest.mark.parametrize(("year", "month", "expected"), PORTFOLIO_CASES)
def test_portfolio_month(year, month, expected):
    assert portfolio_month(LOANS, REPAYMENTS, year, month) == expected
