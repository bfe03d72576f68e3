"""The loan fund's arithmetic: schedules, repayments, status and monthly figures.

Pure functions over plain data: no I/O and no clock, every function takes its
dates explicitly. Money is whole đồng as ``int``; rates and interest are
computed in ``Decimal`` and rounded half-up to whole đồng once per installment.
The rules are those of "Loans (the fund's arithmetic)" in the club workbook design.
"""

from __future__ import annotations

import bisect
import calendar
import enum
import functools
import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "Method", "method_for", "Installment", "Loan", "Repayment", "schedule",
    "add_months", "LoanStatus", "loan_status", "amount_owed", "amounts_owed", "OverdueLoan",
    "PortfolioMonth", "portfolio_month",
]


class Method(str, enum.Enum):
    """How a loan is repaid: which principal falls due when, and interest on what."""

    DECLINING = "declining"  # Dư nợ giảm dần + Hàng tháng: equal principal parts, interest on the scheduled balance
    BULLET = "bullet"        # Dư nợ giảm dần / Lãi cố định + Cuối kỳ: interest monthly, all principal at the end
    ANNUITY = "annuity"      # Dư nợ giảm dần + Góp đều: equal installments (Excel PMT)
    FLAT = "flat"            # Lãi cố định + Hàng tháng / Góp đều: equal principal parts, interest on the original amount


_DECLINING_BALANCE, _FLAT_INTEREST = "Dư nợ giảm dần", "Lãi cố định"
_METHODS = {
    (_DECLINING_BALANCE, "Hàng tháng"): Method.DECLINING,
    (_DECLINING_BALANCE, "Cuối kỳ"): Method.BULLET,
    (_DECLINING_BALANCE, "Góp đều"): Method.ANNUITY,
    (_FLAT_INTEREST, "Hàng tháng"): Method.FLAT,
    # Equal principal parts plus a fixed interest already are equal installments.
    (_FLAT_INTEREST, "Góp đều"): Method.FLAT,
    (_FLAT_INTEREST, "Cuối kỳ"): Method.BULLET,
}


def method_for(interest_method: str | None, principal_method: str | None) -> Method:
    """Map the sheet's Cách tính lãi and Cách trả gốc to a Method.

    Blank means "Dư nợ giảm dần" and "Hàng tháng". Values are expected in their
    canonical spelling; an unknown pair raises ValueError.
    """
    def canonical(value: str | None, default: str) -> str:
        # NFC so that a value typed in NFD still matches the keys above.
        text = unicodedata.normalize("NFC", value or "").strip()
        return text or default

    key = (canonical(interest_method, _DECLINING_BALANCE), canonical(principal_method, "Hàng tháng"))
    try:
        return _METHODS[key]
    except KeyError:
        raise ValueError(f"unknown loan method: {key[0]!r} / {key[1]!r}") from None


@dataclass(frozen=True, slots=True)
class Installment:
    """One scheduled monthly installment; balance is the principal still owed after it."""

    n: int
    due_date: date
    principal: int
    interest: int
    total: int
    balance: int


@dataclass(frozen=True)
class Loan:
    """A loan as disbursed; rate is percent per MONTH (Decimal("0.8") = 0.8 %)."""

    loan_id: str
    member_id: str
    disbursed_on: date
    amount: int
    rate: Decimal
    months: int
    method: Method

    def schedule(self) -> tuple[Installment, ...]:
        """The loan's installments, computed once per distinct set of terms."""
        return _cached_schedule(self.amount, self.rate, self.months, Method(self.method), self.disbursed_on)


@dataclass(frozen=True)
class Repayment:
    """One Trả nợ row: Tiền gốc, Tiền lãi and Tiền phạt as typed by staff."""

    loan_id: str
    paid_on: date
    principal: int = 0
    interest: int = 0
    penalty: int = 0


def add_months(d: date, n: int) -> date:
    """The same day n months later, clamped to the last day of a shorter month.

    Always count from the original date (Jan 31 + 2 = Mar 31): chaining
    Jan 31 -> Feb 28 -> Mar 28 would drift the due day.
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _round(x: Decimal) -> int:
    """Round to whole đồng, half-up (the rule staff use on paper, not banker's)."""
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check_terms(amount: int, rate: Decimal, months: int, start: date) -> Decimal:
    """Reject nonsense terms (a programmer error: validation stops bad rows first)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValueError(f"amount must be a whole number of đồng >= 1, got {amount!r}")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"months must be a whole number >= 1, got {months!r}")
    if not isinstance(start, date):
        raise ValueError(f"start must be a date, got {start!r}")
    if isinstance(rate, bool) or not isinstance(rate, (Decimal, int)):
        raise ValueError(f"rate must be a Decimal percent per month, got {rate!r}")
    rate = Decimal(rate)
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"rate must be a percent >= 0, got {rate!r}")
    return rate


def schedule(amount: int, rate: Decimal, months: int, method: Method, start: date) -> list[Installment]:
    """The installments of a loan disbursed on ``start``; n is due add_months(start, n).

    Principal sums exactly to ``amount``: the last installment takes whatever
    rounding left over. Interest is rounded half-up once per installment.
    """
    return list(_cached_schedule(amount, rate, months, Method(method), start))


# typed=True so that True (== 1) can never be served the schedule cached for 1.
# The size holds the loans of the clubs a run works on at once (a club has up
# to a few hundred), so that memory stays flat however many clubs a run has.
@functools.lru_cache(maxsize=1024, typed=True)
def _cached_schedule(amount: int, rate: Decimal, months: int, method: Method, start: date) -> tuple[Installment, ...]:
    rate = _check_terms(amount, rate, months, start)
    # Enough digits that (1 + r) ** -n never loses a đồng, whatever the caller's context.
    with localcontext() as ctx:
        ctx.prec = 40
        r = rate / 100
        if method is Method.ANNUITY:
            payment = _round(amount * r / (1 - (1 + r) ** -months)) if r else _round(Decimal(amount) / months)
        else:
            # Rounded up, the parts of a tiny loan over many months could
            # exceed it; the clamps below keep every part and balance >= 0.
            part = _round(Decimal(amount) / months)

        rows, balance = [], amount
        for n in range(1, months + 1):
            last = n == months
            if method is Method.BULLET:
                principal = amount if last else 0
                interest = _round(amount * r)
            elif method is Method.FLAT:
                principal = balance if last else min(part, balance)
                interest = _round(amount * r)
            elif method is Method.DECLINING:
                principal = balance if last else min(part, balance)
                interest = _round(balance * r)
            else:  # ANNUITY
                interest = _round(balance * r)
                # Clamped both ways: never negative, and a tiny loan whose
                # rounded payment overshoots never pays below a zero balance.
                principal = balance if last else min(max(payment - interest, 0), balance)
            balance -= principal
            rows.append(Installment(n, add_months(start, n), principal, interest, principal + interest, balance))
    return tuple(rows)


# --- Repayments and status -------------------------------------------------


@dataclass(frozen=True)
class LoanStatus:
    """Where one loan stands on ``as_of``, counting repayments dated up to that day."""

    as_of: date
    outstanding_principal: int  # amount − principal paid (never below 0)
    interest_due: int           # interest of installments due by as_of, none after the principal was repaid
    interest_collected: int
    penalty_collected: int
    principal_overdue: int      # principal due by as_of − principal paid (>= 0)
    interest_overdue: int       # interest_due − interest paid (>= 0)
    amount_overdue: int
    days_past_due: int          # since the oldest installment not fully paid fell due; 0 if none
    closed: bool                # principal fully repaid and no interest overdue
    overpaid: int               # principal beyond the amount + interest beyond all scheduled interest


@dataclass(frozen=True)
class _Paid:
    """Cumulative amounts paid on one loan, and the day its principal was fully repaid."""

    principal: int
    interest: int
    penalty: int
    repaid_on: date | None  # None while principal is still owed


def _paid(loan: Loan, repayments: Iterable[Repayment], until: date, *, inclusive: bool = True) -> _Paid:
    """Sum this loan's repayments dated up to ``until`` (before it when not inclusive)."""
    rows = sorted(
        (r for r in repayments
         if r.loan_id == loan.loan_id and (r.paid_on <= until if inclusive else r.paid_on < until)),
        key=lambda r: r.paid_on,
    )
    principal = interest = penalty = 0
    repaid_on = None
    for r in rows:
        principal, interest, penalty = principal + r.principal, interest + r.interest, penalty + r.penalty
        if repaid_on is None and principal >= loan.amount:
            repaid_on = r.paid_on
    return _Paid(principal, interest, penalty, repaid_on)


def _interest_of(inst: Installment, repaid_on: date | None) -> int:
    """An installment's interest, or 0 if it falls due after the principal was repaid."""
    # A borrower who repays early owes no interest for months the money was not out.
    return 0 if repaid_on is not None and inst.due_date > repaid_on else inst.interest


def _days_past_due(loan: Loan, paid: _Paid, as_of: date) -> int:
    """Days since the oldest installment due by as_of that is not fully paid fell due.

    Principal and interest are each allocated oldest installment first, as the
    sheet's Tiền gốc and Tiền lãi are typed: installment k is fully paid when
    both cumulative sums cover the schedule through k.
    """
    cum_principal = cum_interest = 0
    for inst in loan.schedule():
        if inst.due_date > as_of:
            break
        cum_principal += inst.principal
        cum_interest += _interest_of(inst, paid.repaid_on)
        if paid.principal < cum_principal or paid.interest < cum_interest:
            return (as_of - inst.due_date).days
    return 0


def loan_status(loan: Loan, repayments: Iterable[Repayment], as_of: date) -> LoanStatus:
    """Where ``loan`` stands on ``as_of``; only its own repayments dated by then count."""
    paid = _paid(loan, repayments, as_of)
    installments = loan.schedule()
    due = [i for i in installments if i.due_date <= as_of]
    interest_due = sum(_interest_of(i, paid.repaid_on) for i in due)
    principal_overdue = max(0, sum(i.principal for i in due) - paid.principal)
    interest_overdue = max(0, interest_due - paid.interest)
    overpaid = (max(0, paid.principal - loan.amount)
                + max(0, paid.interest - sum(i.interest for i in installments)))
    return LoanStatus(
        as_of=as_of,
        outstanding_principal=max(0, loan.amount - paid.principal),
        interest_due=interest_due,
        interest_collected=paid.interest,
        penalty_collected=paid.penalty,
        principal_overdue=principal_overdue,
        interest_overdue=interest_overdue,
        amount_overdue=principal_overdue + interest_overdue,
        days_past_due=_days_past_due(loan, paid, as_of),
        closed=paid.repaid_on is not None and interest_overdue == 0,
        overpaid=overpaid,
    )


def amount_owed(loan: Loan, repayments: Iterable[Repayment], on: date) -> int:
    """The most a borrower can owe on ``on``, before any repayment dated that day.

    Outstanding principal + interest not yet paid of the installments due by
    ``on`` and of the next one after it: clubs collect at the monthly meeting,
    often a few days before the due date. Interest paid ahead counts against
    that next installment. Penalty is left to the caller (it is whatever staff
    typed). Nothing is owed before the loan is disbursed.
    """
    if on < loan.disbursed_on:
        return 0
    paid = _paid(loan, repayments, on, inclusive=False)
    return _owed(loan, paid.principal, paid.interest, paid.repaid_on, on)


def amounts_owed(loan: Loan, repayments: Iterable[Repayment], days: Iterable[date]) -> dict[date, int]:
    """:func:`amount_owed` on each of ``days``, the loan's repayments summed once for all of them.

    For checking every repayment of a loan against what was owed on its day:
    calling amount_owed for each would sum the repayments again each time.
    """
    rows = sorted((r for r in repayments if r.loan_id == loan.loan_id), key=lambda r: r.paid_on)
    dates = [r.paid_on for r in rows]
    principal = list(itertools.accumulate((r.principal for r in rows), initial=0))
    interest = list(itertools.accumulate((r.interest for r in rows), initial=0))
    # How many repayments it took to repay the principal, as _paid finds it.
    repaid_after = next((k for k in range(1, len(principal)) if principal[k] >= loan.amount), None)
    owed = {}
    for on in set(days):
        if on < loan.disbursed_on:
            owed[on] = 0
            continue
        k = bisect.bisect_left(dates, on)  # the repayments dated before ``on``
        repaid_on = dates[repaid_after - 1] if repaid_after is not None and repaid_after <= k else None
        owed[on] = _owed(loan, principal[k], interest[k], repaid_on, on)
    return owed


def _owed(loan: Loan, principal_paid: int, interest_paid: int, repaid_on: date | None, on: date) -> int:
    interest = 0
    for inst in loan.schedule():
        interest += _interest_of(inst, repaid_on)
        if inst.due_date > on:
            break  # the running month's installment is the last one counted
    return max(0, loan.amount - principal_paid) + max(0, interest - interest_paid)


# --- The month's portfolio -------------------------------------------------


@dataclass(frozen=True)
class OverdueLoan:
    """A loan past due at month end, for the report's list of late loans."""

    loan_id: str
    member_id: str
    days_past_due: int
    amount_overdue: int
    outstanding_principal: int


@dataclass(frozen=True)
class PortfolioMonth:
    """The fund's figures for one month, all taken as of the month's last day."""

    year: int
    month: int
    active_loans: int            # disbursed by month end and not closed at month end
    outstanding_principal: int
    disbursed: int
    disbursed_count: int
    principal_repaid: int        # repayments dated in the month
    interest_due: int            # interest of installments due in the month (loans not repaid before)
    interest_collected: int
    penalty_collected: int
    overdue: tuple[OverdueLoan, ...]  # days_past_due > 0, most late first, then by loan_id
    par30: Decimal | None        # share of outstanding principal more than 30 days late; None if nothing outstanding
    on_time_rate: Decimal | None  # paid_on_time / due_in_month; None if nothing fell due
    due_in_month: int            # principal + interest of installments due in the month
    paid_on_time: int            # the part of that paid by each installment's due date


def _on_time(loan: Loan, repayments: list[Repayment], inst: Installment) -> int:
    """The part of ``inst`` paid by its due date, allocating payments oldest first."""
    by_due = _paid(loan, repayments, inst.due_date)
    before = loan.schedule()[: inst.n - 1]
    # Only what is left after the earlier installments are covered reaches this
    # one; anything beyond its own amount is paid ahead, not on time for it.
    principal = min(inst.principal, max(0, by_due.principal - sum(i.principal for i in before)))
    interest = min(inst.interest, max(0, by_due.interest - sum(i.interest for i in before)))
    return principal + interest


def portfolio_month(loans: Iterable[Loan], repayments: Iterable[Repayment], year: int, month: int) -> PortfolioMonth:
    """The loan fund's figures for ``month`` of ``year``, as of its last day.

    Loans disbursed after the month end and rows dated after it are ignored,
    as are repayments of loans not in ``loans`` (validation reports those).
    """
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    book = [loan for loan in loans if loan.disbursed_on <= last]
    by_loan: dict[str, list[Repayment]] = defaultdict(list)
    known = {loan.loan_id for loan in book}
    for r in repayments:
        if r.loan_id in known and r.paid_on <= last:
            by_loan[r.loan_id].append(r)

    active = outstanding = interest_due = due_in_month = paid_on_time = late_principal = 0
    overdue = []
    for loan in book:
        reps = by_loan[loan.loan_id]
        status = loan_status(loan, reps, last)
        repaid_on = _paid(loan, reps, last).repaid_on
        active += not status.closed
        outstanding += status.outstanding_principal
        if status.days_past_due > 0:
            overdue.append(OverdueLoan(loan.loan_id, loan.member_id, status.days_past_due,
                                       status.amount_overdue, status.outstanding_principal))
        if status.days_past_due > 30:  # PAR30: the whole balance of a late loan counts
            late_principal += status.outstanding_principal
        for inst in loan.schedule():
            # A loan repaid before this installment fell due owes nothing for it.
            if first <= inst.due_date <= last and (repaid_on is None or inst.due_date <= repaid_on):
                interest_due += inst.interest
                due_in_month += inst.total
                paid_on_time += _on_time(loan, reps, inst)

    in_month = [r for reps in by_loan.values() for r in reps if r.paid_on >= first]
    disbursed = [loan for loan in book if loan.disbursed_on >= first]
    return PortfolioMonth(
        year=year,
        month=month,
        active_loans=active,
        outstanding_principal=outstanding,
        disbursed=sum(loan.amount for loan in disbursed),
        disbursed_count=len(disbursed),
        principal_repaid=sum(r.principal for r in in_month),
        interest_due=interest_due,
        interest_collected=sum(r.interest for r in in_month),
        penalty_collected=sum(r.penalty for r in in_month),
        overdue=tuple(sorted(overdue, key=lambda o: (-o.days_past_due, o.loan_id))),
        par30=Decimal(late_principal) / Decimal(outstanding) if outstanding else None,
        on_time_rate=Decimal(paid_on_time) / Decimal(due_in_month) if due_in_month else None,
        due_in_month=due_in_month,
        paid_on_time=paid_on_time,
    )
