"""Run the rules of ``rules/`` over a read workbook and collect the problems.

Never raises for bad data: a sheet that is a mess gives a long report, not an
exception.  Rules run in four passes, because a row with an error is left out
of every check that combines rows (club-workbook.md):

1. value and row rules (required, range, not-future, date order in a row);
2. unique IDs, over the rows still clean;
3. references and date order across tabs, over the rows still clean;
4. the named checks (loan arithmetic and the like), over the rows still clean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from . import values
from .problems import Problem, ValidationReport
from .rules import Rule, RuleSet
from .workbook import Row, Table, Workbook, id_key

__all__ = ["validate", "Context", "RULE_FUNCTIONS"]


@dataclass
class Context:
    """What a rule may look at: the workbook, today, and which rows are clean."""

    workbook: Workbook
    rules: RuleSet
    today: dt.date
    lang: str = "vi"
    error_rows: set[tuple[str, int]] = field(default_factory=set)
    _built: dict[str, Any] = field(default_factory=dict, repr=False)

    def table(self, tab_id: str) -> Table:
        return self.workbook.tables[tab_id]

    def clean_rows(self, tab_id: str) -> list[Row]:
        """Rows of ``tab_id`` with no error found so far."""
        table = self.table(tab_id)
        return [row for row in table.rows if (tab_id, row.number) not in self.error_rows]

    def built(self, name: str, build: Callable[[], Any]) -> Any:
        """``build()`` once while the clean rows stay the same (records several checks share)."""
        if name not in self._built:
            self._built[name] = build()
        return self._built[name]

    def note_errors(self, problems: Iterable[Problem]) -> None:
        self.error_rows |= {(p.tab_id, p.row) for p in problems if p.is_error}
        self._built.clear()


RuleFunction = Callable[[Rule, Table, Context], Iterator[Problem]]


def validate(workbook: Workbook, rules: RuleSet, today: dt.date, lang: str = "vi") -> ValidationReport:
    """Every problem in ``workbook``: the unreadable values and each rule's findings."""
    report = ValidationReport(name=workbook.club_name, lang=lang, tab_order=list(workbook.tab_order))
    report.rows_checked = sum(len(t.rows) for t in workbook.tables.values() if t.spec.layout == "table")
    ctx = Context(workbook, rules, today, lang)
    report.extend(workbook.problems)
    ctx.note_errors(workbook.problems)
    for phase in PHASES:
        found = []
        for rule in rules.rules:
            if _phase(rule) == phase:
                found.extend(RULE_FUNCTIONS[rule.type](rule, ctx.table(rule.tab), ctx))
        report.extend(found)
        ctx.note_errors(found)
    return report


PHASES = ("row", "table", "cross", "check")


def _phase(rule: Rule) -> str:
    if rule.type == "unique":
        return "table"
    if rule.type == "reference" or (rule.type == "date-order" and "via" in rule.params):
        return "cross"
    if rule.type == "check":
        return "check"
    return "row"


# --- rule types ------------------------------------------------------------------


def _required(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    for column_id in rule.columns():
        if table.spec.layout == "table" and column_id not in table.headers:
            continue  # the missing column is reported once, not on every row
        for row in table.rows:
            if row.is_blank(column_id):
                yield table.problem(row, column_id, rule, ctx.lang, value="")


def _bound(bound: object, today: dt.date, sample: object) -> object:
    if bound == "today":
        return today if isinstance(sample, dt.date) else today.year
    return bound


def _shown(column_type: str, bound: object) -> str:
    if column_type == "money":
        return values.format_money(int(bound))
    if isinstance(bound, dt.date):
        return values.format_date(bound)
    return str(bound)


def _range(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    for column_id in rule.columns():
        column_type = table.spec.column(column_id).type
        for row in table.rows:
            value = row[column_id]
            if value is None or not table.has(column_id):
                continue
            low = _bound(rule.params.get("min"), ctx.today, value)
            high = _bound(rule.params.get("max"), ctx.today, value)
            if (low is not None and value < low) or (high is not None and value > high):
                yield table.problem(row, column_id, rule, ctx.lang, min=_shown(column_type, low), max=_shown(column_type, high))


def _not_future(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    for column_id in rule.columns():
        for row in table.rows:
            value = row[column_id]
            if value is not None and value > ctx.today:
                yield table.problem(row, column_id, rule, ctx.lang, today=values.format_date(ctx.today))


def _date_order(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    column_id, earlier_id, via = rule.params["column"], rule.params["earlier"], rule.params.get("via")
    if via:
        targets = {id_key(r[via["key"]]): r for r in ctx.clean_rows(via["tab"]) if r[via["key"]] is not None}
    rows = ctx.clean_rows(table.id) if via else table.rows
    for row in rows:
        later = row[column_id]
        if via:
            target = targets.get(id_key(row[via["column"]])) if row[via["column"]] is not None else None
            earlier = target[earlier_id] if target else None
        else:
            earlier = row[earlier_id]
        if later is not None and earlier is not None and later < earlier:
            yield table.problem(row, column_id, rule, ctx.lang, earlier_value=values.format_date(earlier))


def _unique(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    column_id = rule.params["column"]
    first_seen: dict[str, int] = {}
    for row in ctx.clean_rows(table.id):
        value = row[column_id]
        if value is None:
            continue
        key = id_key(value)
        if key in first_seen:
            yield table.problem(row, column_id, rule, ctx.lang, other_row=first_seen[key])
        else:
            first_seen[key] = row.number


def _reference(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    column_id = rule.params["column"]
    target = ctx.table(rule.params["target_tab"])
    target_column = rule.params["target_column"]
    # IDs on rows with errors still exist: such a row is fixed there, not here.
    known = {id_key(r.raw(target_column).value) for r in target.rows if not r.is_blank(target_column)}
    for row in ctx.clean_rows(table.id):
        value = row[column_id]
        if value is not None and id_key(value) not in known:
            yield table.problem(row, column_id, rule, ctx.lang, target_tab=target.title)


def _check(rule: Rule, table: Table, ctx: Context) -> Iterator[Problem]:
    from .checks import CHECKS  # checks need loans; import late to keep start-up light

    yield from CHECKS[rule.params["check"]](rule, table, ctx)


RULE_FUNCTIONS: dict[str, RuleFunction] = {
    "required": _required,
    "range": _range,
    "not-future": _not_future,
    "date-order": _date_order,
    "unique": _unique,
    "reference": _reference,
    "check": _check,
}
