"""Load the rule files in ``rules/``: the tabs, their columns, and the checks.

Each ``rules/<tab>.toml`` describes one tab staff edit (its name and English
alias, its columns with their value types and allowed lists) and the rules
that apply to it.  ``rules/values.toml`` holds the messages for a value that
cannot be read at all.  Everything is checked when loaded, so a typo in a
rule file stops the run with a message naming the file, the rule and the key,
before any sheet is touched.

An organisation can keep its own folder: each file there replaces the built-in
file of the same name, and new files add tabs or rules.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .errors import ConfigError
from .problems import Severity

__all__ = ["ColumnSpec", "TabSpec", "Rule", "ValueMessage", "RuleSet", "load_rules", "message_fields", "RULE_TYPES", "COLUMN_TYPES"]

COLUMN_TYPES = ("text", "date", "money", "percent", "integer", "year", "choice", "phone", "email", "email-list")

#: Rule type -> {param: (required?, python type or types)}.  Documented in docs/rules.md.
RULE_TYPES: dict[str, dict[str, tuple[bool, tuple[type, ...]]]] = {
    "required": {"columns": (True, (list,))},
    "unique": {"column": (True, (str,))},
    "range": {"column": (False, (str,)), "columns": (False, (list,)), "min": (False, (int, float, str)), "max": (False, (int, float, str))},
    "reference": {"column": (True, (str,)), "target_tab": (True, (str,)), "target_column": (True, (str,))},
    "date-order": {"column": (True, (str,)), "earlier": (True, (str,)), "via": (False, (dict,))},
    "not-future": {"columns": (True, (list,))},
    "check": {"check": (True, (str,)), "column": (True, (str,))},
}

#: Named checks for what the data alone cannot express (see checks.py).
CHECK_NAMES = ("borrower-left-with-debt", "helped-without-support", "loan-over-fund", "repayment-empty", "repayment-exceeds-owed")

_COMMON_KEYS = {"id", "type", "severity", "message"}

#: The placeholders a message may use: every message gets BASE_FIELDS, and
#: each rule type, named check or value rule adds its own.
BASE_FIELDS = frozenset({"value", "column", "tab", "row", "cell"})
MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "required": frozenset(),
    "unique": frozenset({"other_row"}),
    "range": frozenset({"min", "max"}),
    "reference": frozenset({"target_tab"}),
    "date-order": frozenset({"earlier_value"}),
    "not-future": frozenset({"today"}),
    "borrower-left-with-debt": frozenset({"loan_id", "amount"}),
    "helped-without-support": frozenset({"missing"}),
    "loan-over-fund": frozenset({"fund"}),
    "repayment-empty": frozenset(),
    "repayment-exceeds-owed": frozenset({"paid", "owed", "date"}),
    "not-in-list": frozenset({"choices"}),
    "duplicate-column": frozenset({"other_cell"}),
    "duplicate-setting": frozenset({"other_row"}),
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a tab (or one item of the Settings tab)."""

    id: str
    header: str
    aliases: tuple[str, ...] = ()
    type: str = "text"
    required: bool = False  # the header itself must be present
    choices: tuple[str, ...] = ()
    choice_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default: Any = None
    private: bool = False  # never leaves the sheet (emails, roll-ups)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class TabSpec:
    """One tab staff edit: its name, English alias and columns."""

    id: str
    name: str
    aliases: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    layout: str = "table"  # or "settings": two columns, one item per row
    key_header: str = "Mục"
    key_aliases: tuple[str, ...] = ()
    value_header: str = "Giá trị"
    value_aliases: tuple[str, ...] = ()
    file: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def column(self, column_id: str) -> ColumnSpec:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)

    def has_column(self, column_id: str) -> bool:
        return any(c.id == column_id for c in self.columns)


@dataclass(frozen=True)
class Rule:
    """One rule: where it applies, what it checks, how bad, and what to say."""

    id: str
    type: str
    tab: str
    severity: Severity
    message: dict[str, str]
    params: dict[str, Any]
    file: str = ""

    def columns(self) -> list[str]:
        """The column ids the rule reports on."""
        if "columns" in self.params:
            return list(self.params["columns"])
        return [self.params["column"]]


@dataclass(frozen=True)
class ValueMessage:
    """How to report a value that cannot be read (rules/values.toml)."""

    rule: str
    severity: Severity
    message: dict[str, str]


@dataclass(frozen=True)
class RuleSet:
    """Everything in a rules folder, checked."""

    tabs: dict[str, TabSpec]
    rules: tuple[Rule, ...]
    value_messages: dict[str, ValueMessage]

    def for_tab(self, tab_id: str) -> list[Rule]:
        return [r for r in self.rules if r.tab == tab_id]


def load_rules(folder: str | Path | None = None) -> RuleSet:
    """Load the built-in rules, overlaid by the files in ``folder`` if given.

    Raises :class:`ConfigError` naming the file, rule and key for any mistake.
    """
    files: dict[str, tuple[str, str]] = {}
    for entry in resources.files("sheets_sync").joinpath("_data", "rules").iterdir():
        if entry.name.endswith(".toml"):
            files[entry.name] = (entry.name, entry.read_text(encoding="utf-8"))
    if folder is not None:
        path = Path(folder)
        if not path.is_dir():
            raise ConfigError("rules-folder-missing", path=str(path))
        for file in sorted(path.glob("*.toml")):
            files[file.name] = (str(file), file.read_text(encoding="utf-8"))

    value_messages: dict[str, ValueMessage] = {}
    tabs: dict[str, TabSpec] = {}
    raw_rules: list[tuple[str, str, dict]] = []
    for name in sorted(files):
        label, text = files[name]
        data = _parse_toml(label, text)
        if name == "values.toml":
            value_messages = _value_messages(label, data)
            continue
        tab = _tab_spec(label, data)
        if tab.id in tabs:
            raise ConfigError("rules-key-invalid", file=label, rule="tab", detail=f'tab id "{tab.id}" is defined twice')
        tabs[tab.id] = tab
        raw_rules.extend((label, tab.id, r) for r in data.get("rules", []))

    rules = tuple(_rule(label, tab_id, raw, tabs) for label, tab_id, raw in raw_rules)
    ids = [r.id for r in rules]
    for rule_id in ids:
        if ids.count(rule_id) > 1:
            raise ConfigError("rules-key-invalid", file="rules/", rule=rule_id, detail="the same rule id is used twice")
    return RuleSet(tabs=tabs, rules=rules, value_messages=value_messages)


def _parse_toml(label: str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError("rules-file-invalid", file=label, detail=str(err)) from err


def message_fields(kind: str) -> frozenset[str]:
    """Placeholders a message of rule type, check or value rule ``kind`` may use."""
    return BASE_FIELDS | MESSAGE_FIELDS.get(kind, frozenset())


def _messages(label: str, rule_id: str, raw: Any, kind: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw.get("vi") or not raw.get("en"):
        raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail='"message" needs both message.vi and message.en')
    allowed = message_fields(kind)
    for lang in ("vi", "en"):
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(raw[lang]) if name is not None}
        except ValueError as err:
            raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f"message.{lang}: {err}") from None
        unknown = used - allowed
        if unknown:
            raise ConfigError(
                "rules-key-invalid", file=label, rule=rule_id,
                detail=f"message.{lang} uses {{{sorted(unknown)[0]}}}; this message can use {', '.join('{' + f + '}' for f in sorted(allowed))}",
            )
    return {"vi": str(raw["vi"]), "en": str(raw["en"])}


def _severity(label: str, rule_id: str, raw: Any) -> Severity:
    try:
        return Severity(raw)
    except ValueError:
        raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'"severity" is "{raw}"; use "error" or "warning"') from None


def _value_messages(label: str, data: dict) -> dict[str, ValueMessage]:
    return {
        rule_id: ValueMessage(rule_id, _severity(label, rule_id, entry.get("severity")), _messages(label, rule_id, entry.get("message"), rule_id))
        for rule_id, entry in data.items()
    }


def _tab_spec(label: str, data: dict) -> TabSpec:
    tab = data.get("tab")
    if not isinstance(tab, dict) or "id" not in tab or "name" not in tab:
        raise ConfigError("rules-key-invalid", file=label, rule="tab", detail='a tab file needs a [tab] table with "id" and "name"')
    columns = []
    for raw in data.get("columns", []):
        column_id = raw.get("id", "?")
        kind = raw.get("type", "text")
        if kind not in COLUMN_TYPES:
            raise ConfigError("rules-key-invalid", file=label, rule=column_id, detail=f'column type "{kind}" is unknown; use one of {", ".join(COLUMN_TYPES)}')
        choices = tuple(raw.get("choices", ()))
        if kind == "choice" and not choices:
            raise ConfigError("rules-key-invalid", file=label, rule=column_id, detail='a "choice" column needs "choices"')
        aliases = {k: tuple(v) for k, v in raw.get("choice_aliases", {}).items()}
        for canonical in aliases:
            if canonical not in choices:
                raise ConfigError("rules-key-invalid", file=label, rule=column_id, detail=f'choice_aliases names "{canonical}", which is not in choices')
        columns.append(
            ColumnSpec(
                id=column_id,
                header=raw["header"],
                aliases=tuple(raw.get("aliases", ())),
                type=kind,
                required=bool(raw.get("required", False)),
                choices=choices,
                choice_aliases=aliases,
                default=raw.get("default"),
                private=bool(raw.get("private", False)),
            )
        )
    return TabSpec(
        id=tab["id"],
        name=tab["name"],
        aliases=tuple(tab.get("aliases", ())),
        columns=tuple(columns),
        layout=tab.get("layout", "table"),
        key_header=tab.get("key_header", "Mục"),
        key_aliases=tuple(tab.get("key_aliases", ())),
        value_header=tab.get("value_header", "Giá trị"),
        value_aliases=tuple(tab.get("value_aliases", ())),
        file=label,
    )


def _rule(label: str, tab_id: str, raw: dict, tabs: dict[str, TabSpec]) -> Rule:
    rule_id = raw.get("id")
    if not rule_id:
        raise ConfigError("rules-key-invalid", file=label, rule="?", detail='every [[rules]] entry needs an "id"')
    kind = raw.get("type")
    if kind not in RULE_TYPES:
        raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'"type" is "{kind}"; use one of {", ".join(RULE_TYPES)}')
    schema = RULE_TYPES[kind]
    params = {k: v for k, v in raw.items() if k not in _COMMON_KEYS}
    for key in params:
        if key not in schema:
            raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'"{key}" is not a parameter of a "{kind}" rule; it takes {", ".join(schema)}')
    for key, (required, types) in schema.items():
        if required and key not in params:
            raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'a "{kind}" rule needs "{key}"')
        if key in params and not isinstance(params[key], types):
            raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'"{key}" has the wrong kind of value: {params[key]!r}')
    if kind == "range" and ("column" in params) == ("columns" in params):
        raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail='a "range" rule needs "column" or "columns" (one of them)')
    if kind == "check" and params["check"] not in CHECK_NAMES:
        raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'"check" is "{params["check"]}"; known checks are {", ".join(CHECK_NAMES)}')
    for bound in ("min", "max"):
        if isinstance(params.get(bound), str) and params[bound] != "today":
            raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'"{bound}" is "{params[bound]}"; use a number or "today"')

    tab = tabs[tab_id]
    message = _messages(label, rule_id, raw.get("message"), params["check"] if kind == "check" else kind)
    rule = Rule(rule_id, kind, tab_id, _severity(label, rule_id, raw.get("severity")), message, params, label)
    _check_columns(label, rule_id, tab, rule.columns() + ([params["earlier"]] if kind == "date-order" and "via" not in params else []))
    if kind == "reference":
        target = _target_tab(label, rule_id, tabs, params["target_tab"])
        _check_columns(label, rule_id, target, [params["target_column"]])
    if kind == "date-order" and "via" in params:
        via = params["via"]
        if set(via) != {"column", "tab", "key"}:
            raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail='"via" needs exactly column, tab and key')
        _check_columns(label, rule_id, tab, [via["column"]])
        target = _target_tab(label, rule_id, tabs, via["tab"])
        _check_columns(label, rule_id, target, [via["key"], params["earlier"]])
    return rule


def _target_tab(label: str, rule_id: str, tabs: dict[str, TabSpec], tab_id: str) -> TabSpec:
    if tab_id not in tabs:
        raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'tab "{tab_id}" is unknown; tabs are {", ".join(tabs)}')
    return tabs[tab_id]


def _check_columns(label: str, rule_id: str, tab: TabSpec, column_ids: Iterable[str]) -> None:
    for column_id in column_ids:
        if not tab.has_column(column_id):
            known = ", ".join(c.id for c in tab.columns)
            raise ConfigError("rules-key-invalid", file=label, rule=rule_id, detail=f'column "{column_id}" is not a column of tab "{tab.id}"; its columns are {known}')
