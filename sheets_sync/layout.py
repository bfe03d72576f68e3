"""The design of an empty club workbook, derived from the rule files.

Both ``init-sheet --xlsx`` and (later) ``init-sheet --google`` build the same
workbook from this: tabs in the order staff use them, Vietnamese headers,
number formats, dropdown lists and the Settings items to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rules import ColumnSpec, RuleSet

__all__ = ["ColumnLayout", "TabLayout", "club_layout", "TAB_ORDER", "NUMBER_FORMATS"]

#: The order tabs appear in a new workbook; tabs of an organisation's own rules come after.
TAB_ORDER = ("settings", "members", "self_help", "community", "loans", "repayments")

#: Spreadsheet number formats by column type (Excel/Sheets syntax).
NUMBER_FORMATS = {
    "date": "dd/mm/yyyy",
    "money": "#,##0",
    "percent": "0.0#",  # a plain number of percent per month, not a % format
    "integer": "0",
    "year": "0",
    "phone": "@",
}


@dataclass(frozen=True)
class ColumnLayout:
    id: str
    header: str
    type: str
    choices: tuple[str, ...]
    width: int
    number_format: str | None


@dataclass(frozen=True)
class TabLayout:
    id: str
    title: str
    columns: tuple[ColumnLayout, ...]
    #: Settings only: (item name, default value) rows under Mục / Giá trị.
    items: tuple[tuple[str, object], ...] = ()
    choices_by_item: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_settings(self) -> bool:
        return bool(self.items)


def _column(spec: ColumnSpec) -> ColumnLayout:
    width = max(12, min(40, len(spec.header) + 4))
    return ColumnLayout(spec.id, spec.header, spec.type, spec.choices, width, NUMBER_FORMATS.get(spec.type))


def club_layout(rules: RuleSet) -> list[TabLayout]:
    """Every tab of a new club workbook, in order."""
    order = {tab_id: i for i, tab_id in enumerate(TAB_ORDER)}
    tabs = sorted(rules.tabs.values(), key=lambda t: (order.get(t.id, len(order)), t.id))
    result = []
    for tab in tabs:
        if tab.layout == "settings":
            key = ColumnLayout("key", tab.key_header, "text", (), 36, None)
            value = ColumnLayout("value", tab.value_header, "text", (), 40, None)
            items = tuple((c.header, c.default) for c in tab.columns)
            choices = tuple((c.header, c.choices) for c in tab.columns if c.choices)
            result.append(TabLayout(tab.id, tab.name, (key, value), items, choices))
        else:
            result.append(TabLayout(tab.id, tab.name, tuple(_column(c) for c in tab.columns)))
    return result
