"""Rule files: loaded, checked at load time, overridable by an organisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync import i18n
from sheets_sync.errors import ConfigError
from sheets_sync.rules import RULE_TYPES, load_rules, message_fields

from conftest import TODAY

DOCS = Path(__file__).parents[1] / "docs" / "rules.md"


def test_builtin_rules_cover_every_tab_of_the_workbook(rules):
    assert {t.name for t in rules.tabs.values()} == {"Cài đặt", "Thành viên", "Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ"}
    assert {r.type for r in rules.rules} == set(RULE_TYPES)


def test_every_message_renders_in_both_languages(rules):
    entries = [(r.id, r.params.get("check", r.type), r.message) for r in rules.rules]
    entries += [(v.rule, v.rule, v.message) for v in rules.value_messages.values()]
    for rule_id, kind, message in entries:
        sample = {name: f"<{name}>" for name in message_fields(kind)}
        for lang in ("vi", "en"):
            text = message[lang].format(**sample)
            assert "{" not in text and text.strip(), (rule_id, lang)


def test_every_program_message_renders():
    for key, entry in i18n.MESSAGES.items():
        for lang in i18n.LANGUAGES:
            text = entry[lang].format_map(_Anything())
            assert "{" not in text, key


class _Anything(dict):
    def __missing__(self, key):
        return f"<{key}>"


def test_every_rule_type_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for kind in RULE_TYPES:
        assert f"`{kind}`" in text, kind


BAD_RULES = [
    ("unknown-type", 'type = "regex"\ncolumn = "loan_id"', '"type" is "regex"'),
    ("unknown-column", 'type = "unique"\ncolumn = "loan_nr"', 'column "loan_nr" is not a column of tab "loans"'),
    ("unknown-param", 'type = "unique"\ncolumn = "loan_id"\nmaxx = 3', '"maxx" is not a parameter of a "unique" rule'),
    ("missing-param", 'type = "reference"\ncolumn = "member_id"', 'a "reference" rule needs "target_tab"'),
    ("unknown-target-tab", 'type = "reference"\ncolumn = "member_id"\ntarget_tab = "people"\ntarget_column = "id"', 'tab "people" is unknown'),
    ("unknown-check", 'type = "check"\ncheck = "magic"\ncolumn = "amount"', '"check" is "magic"'),
    ("bad-bound", 'type = "range"\ncolumn = "amount"\nmax = "tomorrow"', '"max" is "tomorrow"'),
    ("unknown-placeholder", 'type = "unique"\ncolumn = "loan_id"\nmessage.vi = "{valeu}"', "message.vi uses {valeu}"),
]


@pytest.mark.parametrize("body, expected", [pytest.param(b, e, id=i) for i, b, e in BAD_RULES])
def test_a_mistake_in_a_rules_file_names_file_rule_and_key(tmp_path, body, expected):
    builtin = Path(__file__).parents[1] / "rules" / "loans.toml"
    extra = f'\n[[rules]]\nid = "my-rule"\n{body}\nseverity = "error"\n'
    if "message.vi" not in body:
        extra += 'message.vi = "x"\n'
    extra += 'message.en = "x"\n'
    (tmp_path / "loans.toml").write_text(builtin.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(tmp_path)
    text = err.value.message("en")
    assert "loans.toml" in text and '"my-rule"' in text and expected in text


def test_a_broken_toml_file(tmp_path):
    (tmp_path / "members.toml").write_text("[tab\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="members.toml"):
        load_rules(tmp_path)


def test_missing_rules_folder(tmp_path):
    with pytest.raises(ConfigError, match="nope"):
        load_rules(tmp_path / "nope")


def test_an_organisation_overrides_one_file_and_keeps_the_rest(tmp_path, club_tabs, make_xlsx):
    from sheets_sync.club import open_club

    builtin = (Path(__file__).parents[1] / "rules" / "loans.toml").read_text(encoding="utf-8")
    (tmp_path / "loans.toml").write_text(builtin.replace("max = 50000000", "max = 3000000"), encoding="utf-8")
    club = open_club(make_xlsx(club_tabs), today=TODAY, rules_dir=tmp_path)
    assert [(p.cell, p.rule) for p in club.report.problems] == [("E2", "loan-amount-range")]
    assert len(club.rules.tabs) == 6


def test_every_builtin_rule_is_listed_in_the_docs(rules):
    text = DOCS.read_text(encoding="utf-8")
    missing = [r.id for r in rules.rules if f"`{r.id}`" not in text] + [v for v in rules.value_messages if f"`{v}`" not in text]
    assert missing == []
