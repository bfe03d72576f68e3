"""Named checks: what a rule file cannot say with required/range/unique alone.

Each takes the rule (for its severity and message), the tab it reports on and
the validation context, and yields problems.  They only look at clean rows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterator

from . import values
from .loans import Loan, Repayment, amounts_owed, loan_status
from .problems import Problem
from .records import loans_from_rows, repayment_from_row
from .rules import Rule
from .validate import Context
from .workbook import Row, Table, id_key

__all__ = ["CHECKS"]

_WORDS = {
    "vi": {"support_form": "hình thức hỗ trợ", "supported_on": "ngày hỗ trợ", "and": " và "},
    "en": {"support_form": "form of support", "supported_on": "support date", "and": " and "},
}


def helped_without_support(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    """A case marked Đã hỗ trợ with no form of support or no date on any of its rows."""
    rows = ctx.clean_rows(table.id)
    by_case = defaultdict(list)
    for row in rows:
        if row["case_id"] is not None:
            by_case[id_key(row["case_id"])].append(row)
    words = _WORDS.get(ctx.lang, _WORDS["vi"])
    for row in rows:
        if row["status"] != "Đã hỗ trợ":
            continue
        siblings = by_case.get(id_key(row["case_id"]), [row]) if row["case_id"] is not None else [row]
        missing = [f for f in ("support_form", "supported_on") if all(r[f] is None for r in siblings)]
        if missing:
            yield table.problem(row, rule.params["column"], rule, ctx.lang, missing=words["and"].join(words[f] for f in missing))


def loan_over_fund(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    """A loan larger than the fund's starting capital (Vốn quỹ ban đầu)."""
    fund = ctx.workbook.settings.get("initial_fund")
    if not fund:
        return
    for row in ctx.clean_rows(table.id):
        if row["amount"] is not None and row["amount"] > fund:
            yield table.problem(row, rule.params["column"], rule, ctx.lang, fund=values.format_money(fund))


def repayment_empty(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    """A repayment row with no principal, interest or penalty."""
    for row in ctx.clean_rows(table.id):
        if not any(row[f] for f in ("principal", "interest", "penalty")):
            yield table.problem(row, rule.params["column"], rule, ctx.lang, value="")


def _loans(ctx: Context) -> dict[str, Loan]:
    return ctx.built("loans", lambda: loans_from_rows(ctx.clean_rows("loans")))


def _repayments(ctx: Context) -> list[tuple[Row, Repayment]]:
    """The clean Trả nợ rows of known loans, with their repayment, in sheet order."""
    def build() -> list[tuple[Row, Repayment]]:
        loans = _loans(ctx)
        pairs = ((row, repayment_from_row(row, loans)) for row in ctx.clean_rows("repayments"))
        return [(row, repayment) for row, repayment in pairs if repayment is not None]

    return ctx.built("repayments", build)


def repayment_exceeds_owed(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    """A repayment larger than principal outstanding + interest due + its penalty."""
    loans = _loans(ctx)
    by_loan = defaultdict(list)
    for row, repayment in _repayments(ctx):
        by_loan[id_key(repayment.loan_id)].append((row, repayment))
    for key, entries in by_loan.items():
        loan = loans[key]
        owed_on = amounts_owed(loan, [r for _, r in entries], [r.paid_on for _, r in entries])
        same_day_before: dict = defaultdict(int)  # paid on that day by the rows above (entries are in sheet order)
        for row, repayment in entries:
            owed = owed_on[repayment.paid_on] - same_day_before[repayment.paid_on]
            paid = repayment.principal + repayment.interest
            same_day_before[repayment.paid_on] += paid
            if paid > owed:
                yield table.problem(
                    row,
                    rule.params["column"],
                    rule,
                    ctx.lang,
                    paid=values.format_money(paid + repayment.penalty),
                    owed=values.format_money(max(owed, 0) + repayment.penalty),
                    date=values.format_date(repayment.paid_on),
                )


def borrower_left_with_debt(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    """A member who has left the club while a loan of theirs still has principal outstanding."""
    loans_by_member = defaultdict(list)
    for loan in _loans(ctx).values():
        loans_by_member[id_key(loan.member_id)].append(loan)
    repayments = [repayment for _, repayment in _repayments(ctx)]
    for row in ctx.clean_rows(table.id):
        left_on = row["left_on"]
        if left_on is None or left_on > ctx.today or row["member_id"] is None:
            continue
        for loan in loans_by_member.get(id_key(row["member_id"]), []):
            outstanding = loan_status(loan, repayments, ctx.today).outstanding_principal
            if outstanding > 0 and loan.disbursed_on <= ctx.today:
                yield table.problem(row, rule.params["column"], rule, ctx.lang, loan_id=loan.loan_id, amount=values.format_money(outstanding))


CHECKS: dict[str, Callable[[Rule, Table, Context], Iterator[Problem]]] = {
    "borrower-left-with-debt": borrower_left_with_debt,
    "helped-without-support": helped_without_support,
    "loan-over-fund": loan_over_fund,
    "repayment-empty": repayment_empty,
    "repayment-exceeds-owed": repayment_exceeds_owed,
}
