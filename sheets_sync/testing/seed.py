"""Realistic club spreadsheets in bulk, for benchmarks: ``seed_clubs(server, 1000)``.

Each club starts from :func:`sheets_sync.demo.build_demo` (a real club's year
of records, with its planted mistakes), then

* every planted mistake is fixed, except 1-3 of them in the ``mistakes`` share
  of clubs; those are listed in :attr:`ClubData.mistakes` (tab, cell, rule), so
  a benchmark knows what sheets-sync must find;
* its size is varied within what real clubs have: 63-70 members, 13-36
  months of self-help cases and activities, 30-100 loans with their monthly
  repayments (and a fund that grows with them).

Values are stored the way staff type them into a Vietnamese sheet: money as
numbers, dates as dates (a serial number with a date format), text as text.
Cells are stored compactly: one shared :class:`~.state.Frozen` cell per
distinct value, so the server holds a thousand clubs in a few hundred MB.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .. import demo
from ..layout import TabLayout, club_layout
from ..loans import add_months, method_for, schedule
from ..rules import load_rules
from .a1 import col_letters
from .state import Frozen, Sheet, Store
from .values import parse_user_entered, serial_from_date

__all__ = ["ClubData", "Mistake", "club_data", "seed_clubs", "store_club"]

LOCALE, TIME_ZONE = "vi_VN", "Asia/Ho_Chi_Minh"
DATE_FORMAT = {"type": "DATE", "pattern": "dd/mm/yyyy"}
#: Column types whose typed text Sheets reads as a number or a date (other text stays text).
_PARSED = frozenset({"date", "money", "percent", "integer", "year"})
MEMBERS, MONTHS, LOANS = (63, 70), (demo.MONTHS, 36), (30, 100)  # the demo has 13 months: never fewer


@dataclass(frozen=True)
class Mistake:
    """A mistake left in a seeded club: where it is and the rule that must report it."""

    tab: str
    cell: str
    rule: str


@dataclass
class ClubData:
    """One club's tabs (title -> rows, header first) and the mistakes left in it."""

    title: str
    tabs: dict[str, list[list[Any]]]
    mistakes: list[Mistake]
    owner: str
    sizes: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _layout() -> tuple[TabLayout, ...]:
    return tuple(club_layout(load_rules()))


def _columns() -> dict[str, dict[str, int]]:
    return {tab.id: {c.id: i for i, c in enumerate(tab.columns)} for tab in _layout()}


# --- fixing the demo's planted mistakes --------------------------------------------------------------


def _typed_or_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    day, month, year = (int(part) for part in str(value).split("/"))
    return dt.date(year, month, day)


def _fixes(cols: dict[str, dict[str, int]], names: dict[str, str], first_member: list[Any], free_id: str) -> dict[str, Callable[[list[Any], int], None]]:
    """Rule -> how to put right the value the demo planted for it (the row changed in place)."""

    def phone(row: list[Any], c: int) -> None:
        digits = "0" + str(row[c]).zfill(9)
        row[c] = f"{digits[:4]} {digits[4:7]} {digits[7:]}"

    def set_to(value: Any) -> Callable[[list[Any], int], None]:
        def fix(row: list[Any], c: int) -> None:
            row[c] = value
        return fix

    def support(row: list[Any], c: int) -> None:
        row[cols["self_help"]["support_form"]] = "Hòa nhập cộng đồng"

    def february(row: list[Any], c: int) -> None:
        row[c] = dt.date(int(str(row[c]).rsplit("/", 1)[1]), 2, 28)

    def borrower(row: list[Any], c: int) -> None:
        row[c] = names[row[cols["loans"]["member_id"]]]

    def member(row: list[Any], c: int) -> None:
        loans, members = cols["loans"], cols["members"]
        row[c], row[loans["borrower"]] = first_member[members["member_id"]], first_member[members["name"]]
        row[loans["notes"]] = None

    def year_early(row: list[Any], c: int) -> None:
        row[c] = add_months(_typed_or_date(row[c]), 12)

    def loan_id(row: list[Any], c: int) -> None:
        row[c] = f"KV{int(str(row[c])[2:]):03d}"

    return {
        "phone-as-number": phone,
        "not-in-list": set_to("Nữ"),
        "member-id-unique": set_to(free_id),
        "invalid-money": set_to(1_500_000),
        "helped-without-support": support,
        "case-date-in-future": set_to(None),
        "invalid-date": february,
        "loan-rate-range": set_to(1),
        "formula-error": borrower,
        "loan-member-unknown": member,
        "repayment-before-disbursement": year_early,
        "repayment-loan-unknown": loan_id,
    }


# --- growing the demo to a club's size ---------------------------------------------------------------


def _as_dicts(tab_id: str, rows: list[list[Any]]) -> list[dict[str, Any]]:
    names = list(_columns()[tab_id])
    return [{k: v for k, v in zip(names, row) if v is not None} for row in rows]


def _as_row(tab_id: str, record: dict[str, Any]) -> list[Any]:
    return [record.get(c) for c in _columns()[tab_id]]


def _more_members(rng: random.Random, today: dt.date, members: list[dict[str, Any]], extra: int, first: int) -> list[dict[str, Any]]:
    taken = {m["name"] for m in members}
    rows = []
    for n in range(first, first + extra):
        woman, group = rng.random() < 0.7, rng.randint(1, 5)
        rows.append({
            "member_id": f"TV{n:03d}", "name": demo._name(rng, woman, taken), "gender": "Nữ" if woman else "Nam",
            "birth_year": today.year - rng.randint(30, 80), "group": f"Tổ {group}", "address": f"{demo.HAMLETS[group - 1]}, xã An Bình",
            "phone": demo._phone(rng), "circumstance": rng.choice(demo.HOUSEHOLD), "role": "Thành viên",
            "joined_on": today - dt.timedelta(days=rng.randint(20, 330)),
        })
    return rows


def _older_months(rng: random.Random, today: dt.date, members: list[dict[str, Any]], months: int) -> tuple[list[dict], list[dict]]:
    """Cases and activities of the ``months`` months before the demo's 13, oldest first."""
    cases: list[dict] = []
    activities: list[dict] = []
    for back in range(demo.MONTHS + months - 1, demo.MONTHS - 1, -1):
        first, last = demo._month_span(today, back)
        days = sorted([demo._day_in(rng, first, first + dt.timedelta(days=14))] + [demo._day_in(rng, first, last) for _ in range(rng.choice([0, 1, 1, 2]))])
        for k, day in enumerate(days, start=1):
            cases += demo._case_rows(rng, today, day, f"TH{first.year}-{first.month:02d}-{k:02d}", members)
        for activity, kind, lead in rng.sample(demo.ACTIVITIES, rng.choice([1, 1, 2])):
            activities.append({"date": demo._day_in(rng, first, last), "activity": activity, "kind": kind, "lead": lead,
                               "members_taking_part": rng.randint(8, 35)})
    activities.sort(key=lambda a: a["date"])
    return cases, activities


def _more_loans(rng: random.Random, today: dt.date, members: list[dict[str, Any]], count: int, first: int, collectors: list[str]) -> tuple[list[dict], list[dict]]:
    """``count`` more loans of the last two years, each repaid on schedule up to today."""
    loans, repayments = [], []
    for n in range(first, first + count):
        disbursed = today - dt.timedelta(days=rng.randint(20, 720))
        eligible = [m for m in members if "left_on" not in m and m["joined_on"] <= disbursed - dt.timedelta(days=30)]
        borrower = rng.choice(eligible)
        interest_method, principal_method, terms = rng.choice(demo.LOAN_KINDS)
        loan = {"loan_id": f"KV{n:03d}", "member_id": borrower["member_id"], "borrower": borrower["name"], "disbursed_on": disbursed,
                "amount": rng.randrange(2_000_000, 15_000_001, 500_000), "rate": rng.choice(demo.RATES), "interest_method": interest_method,
                "months": rng.choice(terms), "principal_method": principal_method, "purpose": rng.choice(demo.PURPOSES)}
        loans.append(loan)
        plan = schedule(loan["amount"], Decimal(str(loan["rate"])), loan["months"], method_for(interest_method, principal_method), disbursed)
        for inst in plan:
            paid_on = inst.due_date + dt.timedelta(days=rng.choice(demo.PAID_EARLY))
            if paid_on > today:
                break
            repayments.append({"paid_on": paid_on, "loan_id": loan["loan_id"], "principal": inst.principal or None,
                               "interest": inst.interest or None, "collector": rng.choice(collectors)})
    loans.sort(key=lambda loan: loan["disbursed_on"])
    return loans, repayments


def _merge_by_date(rows: list[list[Any]], new: list[list[Any]], at: int) -> list[list[Any]]:
    """``new`` rows (sorted by column ``at``) slotted in among ``rows`` by date, as staff enter them."""
    keys: list[dt.date] = []
    last = dt.date.min
    for row in rows:
        try:
            last = max(last, _typed_or_date(row[at])) if row[at] is not None else last
        except ValueError:
            pass  # a planted wrong date keeps its place
        keys.append(last)
    merged = list(rows)
    for row in reversed(new):  # from the end, so earlier insertions do not move later slots
        index = bisect.bisect_right(keys, row[at])
        keys.insert(index, row[at])
        merged.insert(index, row)
    return merged


# --- one club -------------------------------------------------------------------------------------------


def club_data(today: dt.date, seed: int, *, number: int = 1, mistakes: int = 0) -> ClubData:
    """Club number ``number`` as of ``today``: the demo of ``seed``, resized, with ``mistakes`` (0-3) of its planted ones left."""
    rng = random.Random(f"sheets_sync.testing.seed:{seed}")
    built = demo.build_demo(today, seed)
    cols, layout = _columns(), {tab.id: tab for tab in _layout()}
    rows = {tab_id: [list(r) for r in built.rows[tab_id]] for tab_id in built.rows}
    mc = cols["members"]
    names = {r[mc["member_id"]]: r[mc["name"]] for r in rows["members"]}
    planted = [(p.tab_id, rows[p.tab_id][p.row - 2], p.column_id, p.rule) for p in built.planted]
    kept = rng.sample(planted, min(mistakes, len(planted)))
    fixes = _fixes(cols, names, rows["members"][0], f"TV{len(rows['members']):03d}")
    for item in planted:
        if item not in kept:
            tab_id, row, column_id, rule = item
            fixes[rule](row, cols[tab_id][column_id])

    members = _as_dicts("members", rows["members"])
    top = max(int(m["member_id"][2:]) for m in members)
    extra = _more_members(rng, today, members, rng.randint(*MEMBERS) - len(members), top + 1)
    rows["members"] += [_as_row("members", m) for m in extra]
    members += extra
    for tab_id, row, column_id, rule in kept:  # the unknown member must stay unknown once members are added
        if rule == "loan-member-unknown" and row[cols[tab_id][column_id]] in {m["member_id"] for m in members}:
            row[cols[tab_id][column_id]] = f"TV{top + len(extra) + 2:03d}"

    months = rng.randint(*MONTHS)
    cases, activities = _older_months(rng, today, members[:62], max(0, months - demo.MONTHS))
    rows["self_help"] = [_as_row("self_help", c) for c in cases] + rows["self_help"]
    rows["community"] = [_as_row("community", a) for a in activities] + rows["community"]

    lc, rc = cols["loans"], cols["repayments"]
    wanted = rng.randint(*LOANS)
    marked = {id(row) for _, row, _, _ in planted}
    referenced = {str(row[rc["loan_id"]]) for tab_id, row, _, _ in planted if tab_id == "repayments"}
    referenced |= {f"KV{int(x[2:]):03d}" for x in referenced if x[2:].isdigit()}
    removable = [r for r in rows["loans"] if id(r) not in marked and r[lc["loan_id"]] not in referenced]
    gone = {r[lc["loan_id"]] for r in rng.sample(removable, max(0, len(rows["loans"]) - wanted))}
    rows["loans"] = [r for r in rows["loans"] if r[lc["loan_id"]] not in gone]
    rows["repayments"] = [r for r in rows["repayments"] if r[rc["loan_id"]] not in gone]
    collectors = [members[i]["name"] for i in (3, 5, 8)]
    loans, repayments = _more_loans(rng, today, members, max(0, wanted - len(rows["loans"])), len(built.rows["loans"]) + 1, collectors)
    rows["loans"] += [_as_row("loans", loan) for loan in loans]
    rows["repayments"] = _merge_by_date(rows["repayments"], [_as_row("repayments", r) for r in repayments], rc["paid_on"])

    chair, extra_email = f"chunhiem.clb{number:04d}@example.org", f"ketoan.clb{number:04d}@example.org"
    rows["members"][0][mc["email"]] = chair
    fund = max(150_000_000, round(len(rows["loans"]) * 4_300_000, -7))  # some 110 triệu out of 150 for 35 loans
    given = dict(demo.SETTINGS, **{"Tên CLB": f"CLB Liên thế hệ Tự giúp nhau số {number}", "Email Chủ nhiệm": chair,
                                   "Email nhận thêm": extra_email, "Vốn quỹ ban đầu": fund})
    settings = layout["settings"]
    rows["settings"] = [[name, given.get(name, default)] for name, default in settings.items]

    tabs, where = {}, {}
    for tab in _layout():
        body = rows.get(tab.id, [])
        tabs[tab.title] = [[c.header for c in tab.columns]] + body
        where.update({id(row): (tab.title, n) for n, row in enumerate(body, start=2)})
    left = [Mistake(where[id(row)][0], f"{col_letters(cols[tab_id][column_id])}{where[id(row)][1]}", rule) for tab_id, row, column_id, rule in kept]
    sizes = {"members": len(rows["members"]), "months": max(months, demo.MONTHS), "loans": len(rows["loans"]), "repayments": len(rows["repayments"])}
    return ClubData(given["Tên CLB"], tabs, sorted(left, key=lambda m: (m.tab, m.cell)), chair, sizes)


# --- into the server, compactly ----------------------------------------------------------------------------


class _Interned:
    """One Frozen cell per distinct (value, column type), one key tuple per (row, col)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, Any, bool], Frozen | None] = {}
        self.keys: dict[tuple[int, int], tuple[int, int]] = {}

    def cell(self, value: Any, parsed: bool) -> Frozen | None:
        token = (type(value).__name__, value, parsed and isinstance(value, str))
        found = self.cells.get(token, False)
        if found is False:
            found = self.cells[token] = _frozen_cell(value, parsed)
        return found  # type: ignore[return-value]

    def key(self, row: int, col: int) -> tuple[int, int]:
        pair = (row, col)
        return self.keys.setdefault(pair, pair)


def _freeze(value: Any) -> Any:
    return Frozen({k: _freeze(v) for k, v in value.items()}) if isinstance(value, dict) else value


def _frozen_cell(value: Any, parsed: bool) -> Frozen | None:
    """What Sheets stores for ``value`` typed into a cell (None: nothing)."""
    if value is None or value == "":
        return None
    fmt = None
    if isinstance(value, bool):
        entered: dict[str, Any] | None = {"boolValue": value}
    elif isinstance(value, (int, float)):
        entered = {"numberValue": value}
    elif isinstance(value, dt.date):
        entered, fmt = {"numberValue": serial_from_date(value)}, DATE_FORMAT
    elif parsed:
        entered, fmt = parse_user_entered(value, LOCALE)
    else:
        entered = {"stringValue": str(value)}
    cell: dict[str, Any] = {"userEnteredValue": entered}
    if fmt is not None:
        cell["userEnteredFormat"] = {"numberFormat": dict(fmt)}
    return _freeze(cell)


def store_club(store: Store, data: ClubData, interned: _Interned | None = None) -> str:
    """Put one club into ``store`` (owned by its chair, open to the caller); returns its key."""
    interned = interned or _Interned()
    types = {tab.title: [c.type for c in tab.columns] for tab in _layout()}
    with store.lock:
        spreadsheet = store.create(data.title, sheets={title: [] for title in data.tabs}, locale=LOCALE, time_zone=TIME_ZONE, owner_email=data.owner)
        for sheet, (title, rows) in zip(spreadsheet.sheets, data.tabs.items()):
            _fill(sheet, rows, types[title], interned)
        return spreadsheet.id


def _fill(sheet: Sheet, rows: list[list[Any]], types: list[str], interned: _Interned) -> None:
    grid = sheet.properties["gridProperties"]
    grid.update(rowCount=max(1000, len(rows) + 100), columnCount=max(2, len(types)), frozenRowCount=1)
    parsed = [t in _PARSED for t in types]
    cells = sheet.cells
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            cell = interned.cell(value, r > 0 and c < len(parsed) and parsed[c])
            if cell is not None:
                cells[interned.key(r, c)] = cell


def seed_clubs(store: Store, count: int, *, today: dt.date, seed: int = 1, mistakes: float = 0.2,
               progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Make ``count`` clubs in ``store``; yields each one's key, title, sizes and mistakes as it is made.

    A ``mistakes`` share of them (chosen by ``seed``) keeps 1-3 planted mistakes.
    The same (count, today, seed, mistakes) always gives the same clubs.
    """
    rng = random.Random(seed)
    with_mistakes = set(rng.sample(range(count), round(count * mistakes)))
    interned = _Interned()
    for i in range(count):
        left = rng.choice((1, 2, 3)) if i in with_mistakes else 0
        data = club_data(today, seed * 100_000 + i, number=i + 1, mistakes=left)
        key = store_club(store, data, interned)
        if progress:
            progress(i + 1)
        yield {"key": key, "title": data.title, "sizes": data.sizes,
               "mistakes": [{"tab": m.tab, "cell": m.cell, "rule": m.rule} for m in data.mistakes]}
