"""Turn a source's raw tabs into typed tables, reporting every unreadable value.

Headers are matched the way staff write them: ignoring case, spaces, Unicode
form (NFC/NFD) and, where that is unambiguous, diacritics, in any order, with
extra columns kept and ignored.  Each value is parsed by its column's type
(``rules/*.toml``); a value that cannot be read becomes a problem on its cell
and ``None`` in the row, never an exception and never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator

from . import values
from .errors import TabNotFound
from .grid import EMPTY, RawCell, RawTab, RawWorkbook, a1
from .problems import Problem
from .rules import ColumnSpec, Rule, RuleSet, TabSpec, ValueMessage

__all__ = ["Row", "Table", "Workbook", "read_workbook", "read_settings", "header_key", "id_key"]


@dataclass
class Row:
    """One data row: parsed values by column id, and the raw cells as read."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, RawCell] = field(default_factory=dict)

    def __getitem__(self, column_id: str) -> Any:
        return self.values.get(column_id)

    def get(self, column_id: str, default: Any = None) -> Any:
        value = self.values.get(column_id)
        return default if value is None else value

    def raw(self, column_id: str) -> RawCell:
        return self.cells.get(column_id, EMPTY)

    def is_blank(self, column_id: str) -> bool:
        return values.is_blank(self.raw(column_id).value)


@dataclass
class Table:
    """One tab, read: where each known column is, and its non-blank rows.

    For the Settings tab (one item per row) ``rows`` holds a single row with
    every item, and ``positions`` says on which sheet row each item sits.
    """

    spec: TabSpec
    title: str
    #: column id -> (header text as in the file, 1-based column index)
    headers: dict[str, tuple[str, int]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    #: Settings only: item id -> (item name as in the file, sheet row, value column)
    positions: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    width: int = 0

    @property
    def id(self) -> str:
        return self.spec.id

    def locate(self, row: Row, column_id: str) -> tuple[int, str, str]:
        """(sheet row, column title as in the file, A1 cell) of a value."""
        if self.spec.layout == "settings":
            if column_id in self.positions:
                name, number, col = self.positions[column_id]
                return number, name, a1(number, col)
            return 1, self.spec.column(column_id).header, "A1"
        if column_id in self.headers:
            text, col = self.headers[column_id]
            return row.number, text, a1(row.number, col)
        return row.number, self.spec.column(column_id).header, a1(row.number, self.width + 1)

    def has(self, column_id: str) -> bool:
        return column_id in self.headers or column_id in self.positions

    def problem(self, row: Row, column_id: str, rule: Rule | ValueMessage, lang: str, value: str | None = None, **params: Any) -> Problem:
        """A problem on one cell, its message rendered in ``lang``."""
        number, column, cell = self.locate(row, column_id)
        shown = values.display(row.raw(column_id).value, row.raw(column_id).kind) if value is None else value
        rule_id = rule.id if isinstance(rule, Rule) else rule.rule
        message = rule.message.get(lang) or rule.message["vi"]
        text = message.format(value=shown, column=column, tab=self.title, row=number, cell=cell, **params)
        return Problem(self.title, number, column, cell, shown, rule_id, rule.severity, text, self.id, column_id)


@dataclass
class Workbook:
    """Every tab staff edit, read and typed, plus the problems found reading it."""

    name: str
    location: str
    tables: dict[str, Table]
    problems: list[Problem]
    version: str = ""
    #: Every tab title in the order the file has them.
    tab_order: tuple[str, ...] = ()

    @property
    def settings(self) -> dict[str, Any]:
        """Settings items by id, with the defaults from rules/settings.toml."""
        return _settings_values(self.tables.get("settings"))

    @property
    def club_name(self) -> str:
        return self.settings.get("club_name") or self.name


def _settings_values(table: Table | None) -> dict[str, Any]:
    found = table.rows[0].values if table and table.rows else {}
    spec_columns = table.spec.columns if table else ()
    return {c.id: (found.get(c.id) if found.get(c.id) is not None else c.default) for c in spec_columns}


def read_settings(raw: RawWorkbook, rules: RuleSet) -> dict[str, Any]:
    """Only the Settings tab's items (defaults filled in), {} when there is no such tab.

    Cheap: for what must be known before the whole workbook is read, such as
    the language its messages are written in.
    """
    found = _tabs_by_spec(raw, rules)
    for spec in rules.tabs.values():
        if spec.layout == "settings" and spec.id in found:
            return _settings_values(_read_settings(spec, found[spec.id], rules, "vi", []))
    return {}


def header_key(text: object) -> str:
    """How headers and tab names are compared: folded, no spaces at all."""
    return _no_spaces(values.fold(text))


@lru_cache(maxsize=values.TEXT_CACHE_SIZE)
def _no_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text)


def id_key(text: object) -> str:
    """How IDs (Mã TV, Mã KV, Mã TH) are compared: case and spaces ignored."""
    return header_key(text)


def _match(text: str, candidates: dict[str, tuple[str, ...]]) -> str | None:
    """The one candidate id whose names match ``text``; diacritics only if unambiguous."""
    key = header_key(text)
    for cid, names in candidates.items():
        if key in {header_key(n) for n in names}:
            return cid
    bare = values.strip_diacritics(key)
    hits = [cid for cid, names in candidates.items() if bare in {values.strip_diacritics(header_key(n)) for n in names}]
    return hits[0] if len(hits) == 1 else None


def _tabs_by_spec(raw: RawWorkbook, rules: RuleSet) -> dict[str, RawTab]:
    """Each known tab's id -> the first tab of the file whose title names it."""
    by_spec: dict[str, RawTab] = {}
    candidates = {spec.id: spec.names for spec in rules.tabs.values()}
    for tab in raw.tabs:
        spec_id = _match(tab.title, candidates)
        if spec_id and spec_id not in by_spec:
            by_spec[spec_id] = tab
    return by_spec


def read_workbook(raw: RawWorkbook, rules: RuleSet, lang: str = "vi") -> Workbook:
    """Match tabs and columns, parse every value; raise TabNotFound if a tab is missing."""
    by_spec = _tabs_by_spec(raw, rules)
    for spec in rules.tabs.values():
        if spec.id not in by_spec:
            raise TabNotFound(
                tab=spec.name,
                alias=spec.aliases[0] if spec.aliases else spec.name,
                path=raw.location or raw.name,
                tabs=", ".join(f'"{t.title}"' for t in raw.tabs) or "(none)",
            )
    problems: list[Problem] = []
    tables = {}
    for spec in rules.tabs.values():
        reader = _read_settings if spec.layout == "settings" else _read_table
        tables[spec.id] = reader(spec, by_spec[spec.id], rules, lang, problems)
    return Workbook(raw.name, raw.location, tables, problems, raw.version, tuple(t.title for t in raw.tabs))


def _read_table(spec: TabSpec, tab: RawTab, rules: RuleSet, lang: str, problems: list[Problem]) -> Table:
    header_row = tab.rows[0] if tab.rows else []
    table = Table(spec, tab.title, width=len(header_row))
    candidates = {c.id: c.names for c in spec.columns}
    for index, cell in enumerate(header_row, start=1):
        if values.is_blank(cell.value):
            continue
        text = values.clean_text(cell.value)
        column_id = _match(text, candidates)
        if column_id is None:
            continue  # an extra column: kept in the sheet, ignored here
        if column_id in table.headers:
            first_text, first_col = table.headers[column_id]
            header = Row(1, cells={column_id: cell})
            # Reported on the first column, naming the second.
            problems.append(table.problem(header, column_id, rules.value_messages["duplicate-column"], lang, value=text, other_cell=a1(1, index)))
            continue
        table.headers[column_id] = (text, index)
    for column in spec.columns:
        if column.required and column.id not in table.headers:
            header = Row(1)
            problems.append(table.problem(header, column.id, rules.value_messages["missing-column"], lang, value=""))
    columns = [(spec.column(column_id), index - 1) for column_id, (_, index) in table.headers.items()]
    # A tab repeats its dates, amounts, IDs and choices: each distinct value of a column is parsed once.
    parsed: dict[tuple, Any] = {}
    for number, cells in enumerate(tab.rows[1:], start=2):
        width = len(cells)
        picked = {column.id: cells[i] if i < width else EMPTY for column, i in columns}
        if all(values.is_blank(c.value) for c in picked.values()):
            continue  # blank rows, in the middle or trailing
        row = Row(number, cells=picked)
        for column, _ in columns:
            _parse_into(table, row, column, rules, lang, problems, parsed)
        table.rows.append(row)
    return table


def _read_settings(spec: TabSpec, tab: RawTab, rules: RuleSet, lang: str, problems: list[Problem]) -> Table:
    table = Table(spec, tab.title, width=2)
    key_col, value_col = 1, 2
    header_row = tab.rows[0] if tab.rows else []
    for index, cell in enumerate(header_row, start=1):
        found = _match(values.clean_text(cell.value), {"key": (spec.key_header, *spec.key_aliases), "value": (spec.value_header, *spec.value_aliases)})
        if found == "key":
            key_col = index
        elif found == "value":
            value_col = index
    candidates = {c.id: c.names for c in spec.columns}
    row = Row(0)
    for number, cells in enumerate(tab.rows[1:], start=2):
        key_cell = cells[key_col - 1] if key_col - 1 < len(cells) else EMPTY
        if values.is_blank(key_cell.value):
            continue
        name = values.clean_text(key_cell.value)
        item_id = _match(name, candidates)
        if item_id is None:
            continue
        if item_id in table.positions:
            vm = rules.value_messages["duplicate-setting"]
            first_row = table.positions[item_id][1]
            text = (vm.message.get(lang) or vm.message["vi"]).format(column=name, other_row=first_row, row=number)
            problems.append(Problem(table.title, number, name, a1(number, key_col), name, vm.rule, vm.severity, text, spec.id, item_id))
            continue
        table.positions[item_id] = (name, number, value_col)
        row.cells[item_id] = cells[value_col - 1] if value_col - 1 < len(cells) else EMPTY
        if not values.is_blank(row.cells[item_id].value):
            _parse_into(table, row, spec.column(item_id), rules, lang, problems)
    table.rows.append(row)
    return table


def _parse_into(table: Table, row: Row, column: ColumnSpec, rules: RuleSet, lang: str, problems: list[Problem],
                parsed: dict[tuple, Any] | None = None) -> None:
    """Parse one cell into ``row.values``; a value that cannot be read is a problem and None.

    ``parsed`` remembers the values read well (by column, value and its type,
    format), so a repeated value is parsed once; every unreadable cell is
    still reported on its own.
    """
    cell = row.raw(column.id)
    key = (column.id, cell.value.__class__, cell.value, cell.kind)
    if parsed is not None and key in parsed:
        row.values[column.id] = parsed[key]
        return
    if values.is_blank(cell.value):
        row.values[column.id] = None
        return
    if cell.kind == "formula":
        row.values[column.id] = None
        problems.append(table.problem(row, column.id, rules.value_messages["formula-not-calculated"], lang))
        return
    try:
        row.values[column.id] = value = PARSERS[column.type](cell, column)
    except values.Unreadable as err:
        row.values[column.id] = None
        rule = "invalid-year" if column.type == "year" and err.rule != "formula-error" else err.rule
        details = {k: v for k, v in err.details.items()}
        problems.append(table.problem(row, column.id, rules.value_messages[rule], lang, **details))
        return
    if parsed is not None:
        parsed[key] = value


def _parse_year(cell: RawCell, column: ColumnSpec) -> int:
    if cell.kind == "date" or not isinstance(cell.value, (int, float, str)) or isinstance(cell.value, bool):
        return values.parse_date(cell.value, cell.kind).year
    try:
        year = values.parse_integer(cell.value, cell.kind)
    except values.Unreadable:
        # Some staff type the whole birth date; its year is what we need.
        return values.parse_date(cell.value, cell.kind).year
    if year < 1000:
        raise values.Unreadable("integer", "unreadable")
    return year


def _parse_email_list(cell: RawCell, column: ColumnSpec) -> tuple[str, ...]:
    text = values.parse_text(cell.value)
    parts = [p for p in re.split(r"[,;\s]+", text) if p]
    return tuple(values.parse_email(p) for p in parts)


PARSERS: dict[str, Callable[[RawCell, ColumnSpec], Any]] = {
    "text": lambda cell, col: values.parse_text(cell.value),
    "date": lambda cell, col: values.parse_date(cell.value, cell.kind),
    "money": lambda cell, col: values.parse_money(cell.value, cell.kind),
    "percent": lambda cell, col: values.parse_percent(cell.value, cell.kind),
    "integer": lambda cell, col: values.parse_integer(cell.value, cell.kind),
    "year": _parse_year,
    "choice": lambda cell, col: values.parse_choice(cell.value, col.choices, col.choice_aliases, cell.kind),
    "phone": lambda cell, col: values.parse_phone(cell.value, cell.kind),
    "email": lambda cell, col: values.parse_email(cell.value, cell.kind),
    "email-list": _parse_email_list,
}


def iter_rows(table: Table, skip: set[tuple[str, int]] = frozenset()) -> Iterator[Row]:
    """The table's rows, leaving out those in ``skip`` ((tab id, row) pairs)."""
    return (row for row in table.rows if (table.id, row.number) not in skip)
