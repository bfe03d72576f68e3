"""The month's figures for the chair's report: cases, community, members, loans, trend.

Pure functions over a read workbook: no I/O and no clock, the month is an
argument. Every figure for month M is taken as of M's last day (rows dated
after it are ignored, days past due are counted to it) and rows with an error
are left out, as "The month's figures" in club-workbook.md says. Private text
(Hoàn cảnh, Nhu cầu, Ghi chú, phone) never reaches these figures.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Iterator

from .loans import Loan, Repayment, portfolio_month
from .records import loans_from_rows, repayments_from_rows
from .workbook import Row, Workbook, id_key

__all__ = [
    "Month", "FormFigures", "HelpedCase", "CaseFigures", "Activity", "CommunityFigures",
    "MemberFigures", "OverdueFigure", "LoanFigures", "TrendPoint", "MonthFigures",
    "month_figures", "figures_to_json", "DATA_TABS",
]

#: The tabs whose rows are counted in rows_left_out (Settings is not data).
DATA_TABS = ("members", "self_help", "community", "loans", "repayments")
URGENT = "Có"
WOMAN = "Nữ"
POOR = frozenset({"Nghèo", "Cận nghèo"})
#: A case with one of these latest statuses is no longer waiting for the club.
NOT_WAITING = frozenset({"Không hỗ trợ", "Chuyển nhóm chăm sóc tại nhà"})
WAITING_DAYS = 30
TREND_MONTHS = 12

_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written "2026-10"; ordered, and stepped by whole months."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1 <= self.year <= 9999):
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """ "2026-10" (or "2026-1") -> Month; ValueError on anything else."""
        found = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
        if found is None:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(found[1]), int(found[2]))  # __post_init__ refuses 2026-13

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __contains__(self, day: object) -> bool:
        """True when ``day`` is a date in this month (None, a blank cell, is in none)."""
        return isinstance(day, dt.date) and (day.year, day.month) == (self.year, self.month)

    def plus(self, n: int) -> Month:
        year, month0 = divmod(self.year * 12 + self.month - 1 + n, 12)
        return Month(year, month0 + 1)

    def minus(self, n: int) -> Month:
        return self.plus(-n)

    def previous(self) -> Month:
        return self.plus(-1)

    def next(self) -> Month:
        return self.plus(1)

    def last_n(self, n: int) -> list[Month]:
        """The ``n`` months ending with this one, oldest first."""
        return [self.minus(k) for k in range(n - 1, -1, -1)]

    @staticmethod
    def span(first: Month, last: Month) -> Iterator[Month]:
        """Every month from ``first`` to ``last``, both included (none if last < first)."""
        month = first
        while month <= last:
            yield month
            month = month.next()


# --- The figures ---------------------------------------------------------------


@dataclass(frozen=True)
class FormFigures:
    """Support rows of one form dated in the month, and what they gave."""

    count: int
    amount: int
    labour_days: int
    members_taking_part: int


@dataclass(frozen=True)
class HelpedCase:
    """A case helped in the month; only what the chair's report may name."""

    case_id: str
    person: str | None
    forms: tuple[str, ...]
    first_support: dt.date


@dataclass(frozen=True)
class CaseFigures:
    """Self-help cases, counted by distinct Mã TH."""

    recorded: int
    helped: int
    target: int
    target_met: bool
    by_form: dict[str, FormFigures]
    urgent_recorded: int
    urgent_helped: int
    days_to_help_average: float | None
    days_to_help_max: int | None
    waiting_case_ids: tuple[str, ...]
    helped_cases: tuple[HelpedCase, ...]

    @property
    def waiting_over_30_days(self) -> int:
        return len(self.waiting_case_ids)


@dataclass(frozen=True)
class Activity:
    """One community activity, as listed in the report."""

    date: dt.date
    activity: str | None
    kind: str | None


@dataclass(frozen=True)
class CommunityFigures:
    """Community support activities dated in the month."""

    activities: int
    target: int
    target_met: bool
    people_taking_part: int
    entries: tuple[Activity, ...]


@dataclass(frozen=True)
class MemberFigures:
    """Membership at the month's last day; the breakdowns are among active members."""

    active: int
    joined: int
    left: int
    women: int
    older: int
    poor_or_near_poor: int
    joined_ids: tuple[str, ...]
    left_ids: tuple[str, ...]

    @property
    def shares(self) -> dict[str, float | None]:
        return {k: _ratio(getattr(self, k), self.active) for k in ("women", "older", "poor_or_near_poor")}


@dataclass(frozen=True)
class OverdueFigure:
    """A loan past due at month end, with the borrower's name for the chair."""

    loan_id: str
    member_id: str
    borrower: str | None
    days_past_due: int
    amount_overdue: int
    outstanding_principal: int


@dataclass(frozen=True)
class LoanFigures:
    """The fund's month (loans.portfolio_month), rates as floats rounded to 4 places."""

    active: int
    outstanding_principal: int
    disbursed: int
    disbursed_count: int
    principal_repaid: int
    interest_due: int
    interest_collected: int
    penalty_collected: int
    overdue: tuple[OverdueFigure, ...]
    par30: float | None
    on_time_rate: float | None


@dataclass(frozen=True)
class TrendPoint:
    """One month of the twelve-month trend."""

    month: Month
    cases_helped: int
    cases_target_met: bool
    activities: int
    community_target_met: bool
    active_members: int
    outstanding_principal: int
    par30: float | None


@dataclass(frozen=True)
class MonthFigures:
    """Everything the monthly report shows, as of ``month``'s last day."""

    month: Month
    rows_left_out: int
    cases: CaseFigures
    community: CommunityFigures
    members: MemberFigures
    loans: LoanFigures
    trend: tuple[TrendPoint, ...]

    @property
    def as_of(self) -> dt.date:
        return self.month.last_day


# --- Computing them ----------------------------------------------------------


@dataclass(frozen=True)
class _Book:
    """The clean rows and records every month's figures are drawn from."""

    members: list[Row]
    self_help: list[Row]
    community: list[Row]
    loans: dict[str, Loan]
    repayments: list[Repayment]
    borrowers: dict[str, str | None]  # id_key(Mã KV) -> name shown
    forms: tuple[str, ...]            # the support forms in the sheet's list order
    cases_target: int
    community_target: int
    older_age: int


def month_figures(workbook: Workbook, month: Month, error_rows: Iterable[tuple[str, int]] = frozenset(), *, trend: bool = True) -> MonthFigures:
    """The month's figures, as of its last day, leaving out the rows in ``error_rows``.

    ``trend=False`` leaves the twelve-month trend empty (it is most of the work,
    and the nightly Báo cáo tháng tab does not show it).
    """
    error_rows = frozenset(error_rows)
    book = _book(workbook, error_rows)
    left_out = sum((tab, row.number) in error_rows for tab in DATA_TABS for row in workbook.tables[tab].rows)
    sections = {m: _sections(book, m) for m in (month.last_n(TREND_MONTHS) if trend else [month])}
    points = tuple(TrendPoint(m, c.helped, c.target_met, cm.activities, cm.target_met, mb.active,
                              lo.outstanding_principal, lo.par30) for m, (c, cm, mb, lo) in sections.items()) if trend else ()
    return MonthFigures(month, left_out, *sections[month], points)


def _sections(book: _Book, month: Month) -> tuple[CaseFigures, CommunityFigures, MemberFigures, LoanFigures]:
    """The four sections of one month, as of its last day."""
    return _case_figures(book, month), _community_figures(book, month), _member_figures(book, month), _loan_figures(book, month)


def _book(workbook: Workbook, error_rows: frozenset[tuple[str, int]]) -> _Book:
    """Clean rows, loan records and settings, read once for all twelve months."""
    def clean(tab: str) -> list[Row]:
        return [row for row in workbook.tables[tab].rows if (tab, row.number) not in error_rows]

    loan_rows = clean("loans")
    loans = loans_from_rows(loan_rows)
    # Names label the overdue list, they are not figures: a member row with an
    # error elsewhere (say its birth year) still names the borrower.
    names: dict[str, str] = {}
    for row in workbook.tables["members"].rows:
        if row["member_id"] is not None and row["name"] is not None:
            names.setdefault(id_key(row["member_id"]), row["name"])
    borrowers: dict[str, str | None] = {}
    for row in loan_rows:  # the first row wins, as in loans_from_rows
        if row["loan_id"] is not None:
            name = row["borrower"] or names.get(id_key(row["member_id"] or ""))
            borrowers.setdefault(id_key(row["loan_id"]), name)
    return _Book(
        members=clean("members"),
        self_help=clean("self_help"),
        community=clean("community"),
        loans=loans,
        repayments=repayments_from_rows(clean("repayments"), loans),
        borrowers=borrowers,
        forms=workbook.tables["self_help"].spec.column("support_form").choices,
        cases_target=_setting(workbook, error_rows, "cases_target"),
        community_target=_setting(workbook, error_rows, "community_target"),
        older_age=_setting(workbook, error_rows, "older_age"),
    )


def _setting(workbook: Workbook, error_rows: frozenset[tuple[str, int]], item: str) -> Any:
    """A Settings item, or its default when its row has an error (a target of 0, age 60)."""
    table = workbook.tables["settings"]
    if item in table.positions and ("settings", table.positions[item][1]) in error_rows:
        return table.spec.column(item).default
    return workbook.settings[item]


def _cases_by_id(rows: list[Row], last: dt.date) -> dict[str, list[Row]]:
    """The rows of each case known by ``last`` (recorded by then), by id_key of Mã TH."""
    cases: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row["case_id"] is not None and row["recorded_on"] is not None and row["recorded_on"] <= last:
            cases[id_key(row["case_id"])].append(row)
    return cases


def _case_figures(book: _Book, month: Month) -> CaseFigures:
    last = month.last_day
    waiting_since = last - dt.timedelta(days=WAITING_DAYS)
    recorded = helped = urgent_recorded = urgent_helped = 0
    by_form: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    days: list[int] = []
    helped_cases: list[HelpedCase] = []
    waiting: list[tuple[dt.date, str]] = []
    for rows in _cases_by_id(book.self_help, last).values():
        # The case's first row (earliest recorded) gives its ID as written and its person.
        first = min(rows, key=lambda r: (r["recorded_on"], r.number))
        recorded_on = first["recorded_on"]
        urgent = any(r["urgent"] == URGENT for r in rows)
        if recorded_on in month:
            recorded += 1
            urgent_recorded += urgent
        supports = sorted((r for r in rows if r["supported_on"] in month), key=lambda r: (r["supported_on"], r.number))
        if supports:
            helped += 1
            urgent_helped += urgent
            first_support = supports[0]["supported_on"]
            days.append((first_support - recorded_on).days)
            forms = {r["support_form"] for r in supports if r["support_form"]}
            helped_cases.append(HelpedCase(first["case_id"], first["person"], _in_order(forms, book.forms), first_support))
            for r in supports:
                if r["support_form"]:  # a row with no form is help, but of no form to total
                    totals = by_form[r["support_form"]]
                    totals[0] += 1
                    totals[1] += r.get("amount", 0)
                    totals[2] += r.get("labour_days", 0)
                    totals[3] += r.get("members_taking_part", 0)
        elif recorded_on <= waiting_since and not any(r["supported_on"] and r["supported_on"] <= last for r in rows):
            latest = max(rows, key=lambda r: (r["recorded_on"], r.number))
            if latest["status"] not in NOT_WAITING:
                waiting.append((recorded_on, first["case_id"]))
    target = book.cases_target
    return CaseFigures(
        recorded=recorded,
        helped=helped,
        target=target,
        target_met=helped >= target,
        by_form={f: FormFigures(*by_form[f]) for f in _in_order(by_form, book.forms)},
        urgent_recorded=urgent_recorded,
        urgent_helped=urgent_helped,
        days_to_help_average=_ratio(sum(days), len(days), places=1),
        days_to_help_max=max(days) if days else None,
        waiting_case_ids=tuple(case_id for _, case_id in sorted(waiting)),  # longest waiting first
        helped_cases=tuple(sorted(helped_cases, key=lambda c: (c.first_support, c.case_id))),
    )


def _community_figures(book: _Book, month: Month) -> CommunityFigures:
    rows = sorted((r for r in book.community if r["date"] in month), key=lambda r: (r["date"], r.number))
    target = book.community_target
    return CommunityFigures(
        activities=len(rows),
        target=target,
        target_met=len(rows) >= target,
        people_taking_part=sum(r.get("members_taking_part", 0) for r in rows),
        entries=tuple(Activity(r["date"], r["activity"], r["kind"]) for r in rows),
    )


def _member_figures(book: _Book, month: Month) -> MemberFigures:
    last = month.last_day
    active = [r for r in book.members if r["joined_on"] is not None and r["joined_on"] <= last
              and (r["left_on"] is None or r["left_on"] > last)]  # left on the last day: gone
    joined = sorted((r for r in book.members if r["joined_on"] in month), key=lambda r: (r["joined_on"], r.number))
    left = sorted((r for r in book.members if r["left_on"] in month), key=lambda r: (r["left_on"], r.number))
    return MemberFigures(
        active=len(active),
        joined=len(joined),
        left=len(left),
        women=sum(r["gender"] == WOMAN for r in active),
        # The age a member reaches in M's year, as the club counts NCT.
        older=sum(r["birth_year"] is not None and month.year - r["birth_year"] >= book.older_age for r in active),
        poor_or_near_poor=sum(r["circumstance"] in POOR for r in active),
        joined_ids=tuple(r["member_id"] for r in joined),
        left_ids=tuple(r["member_id"] for r in left),
    )


def _loan_figures(book: _Book, month: Month) -> LoanFigures:
    pm = portfolio_month(book.loans.values(), book.repayments, month.year, month.month)
    overdue = tuple(
        OverdueFigure(o.loan_id, o.member_id, book.borrowers.get(id_key(o.loan_id)),
                      o.days_past_due, o.amount_overdue, o.outstanding_principal)
        for o in pm.overdue
    )
    return LoanFigures(pm.active_loans, pm.outstanding_principal, pm.disbursed, pm.disbursed_count,
                       pm.principal_repaid, pm.interest_due, pm.interest_collected, pm.penalty_collected,
                       overdue, _round(pm.par30, 4), _round(pm.on_time_rate, 4))


def _in_order(names: Iterable[str], order: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` in the sheet's list order (anything unlisted after, by name)."""
    return tuple(sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n)))


def _round(value: Decimal | None, places: int) -> float | None:
    # Half-up, as staff round on paper; float() only at the end so 0.66665 stays 0.6667.
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _ratio(part: int, whole: int, places: int = 4) -> float | None:
    return _round(Decimal(part) / Decimal(whole), places) if whole else None


# --- JSON ----------------------------------------------------------------------


def figures_to_json(fig: MonthFigures, club: str) -> dict[str, Any]:
    """The ``report --json`` shape: counts int, money int đồng, rates float or None, dates ISO."""
    c, cm, m = fig.cases, fig.community, fig.members
    return {
        "club": club,
        "month": str(fig.month),
        "as_of": fig.as_of.isoformat(),
        "rows_left_out": fig.rows_left_out,
        "cases": {
            **_pick(c, "recorded", "helped", "target", "target_met"),
            "by_form": {name: asdict(f) for name, f in c.by_form.items()},
            "urgent": {"recorded": c.urgent_recorded, "helped": c.urgent_helped},
            "days_to_help": {"average": c.days_to_help_average, "max": c.days_to_help_max},
            "waiting_over_30_days": c.waiting_over_30_days,
            "waiting_case_ids": list(c.waiting_case_ids),
            # Name and forms only: Hoàn cảnh, Nhu cầu, Ghi chú never leave the sheet.
            "helped_cases": [{**asdict(h), "forms": list(h.forms), "first_support": h.first_support.isoformat()}
                             for h in c.helped_cases],
        },
        "community": {
            **_pick(cm, "activities", "target", "target_met", "people_taking_part"),
            "list": [{**asdict(a), "date": a.date.isoformat()} for a in cm.entries],
        },
        "members": {
            **_pick(m, "active", "joined", "left", "women", "older", "poor_or_near_poor"),
            "shares": m.shares,  # in an object of their own, never in place of the counts
            "joined_ids": list(m.joined_ids),
            "left_ids": list(m.left_ids),
        },
        # Replacing a key keeps its place: the order stays the dataclass's.
        "loans": {**asdict(fig.loans), "overdue": [asdict(o) for o in fig.loans.overdue]},
        "trend": [{**asdict(t), "month": str(t.month)} for t in fig.trend],
    }


def _pick(obj: object, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}
