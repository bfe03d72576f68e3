"""Which clubs a run works on: [[clubs]], the registry tab "Danh sách CLB", duplicates merged."""

from __future__ import annotations

import pytest

from sheets_sync.clubs import ClubEntry, GoogleAccess, list_clubs, location_key, merge_entries, read_registry, recipients
from sheets_sync.config import load_config
from sheets_sync.errors import ConfigError, SourceUnavailable, TabNotFound

from conftest import TODAY, clean_club, write_xlsx

REGISTRY_HEADER = ["Tên CLB", "Link", "Email Chủ nhiệm", "Tỉnh", "Huyện", "Xã", "Đang hoạt động"]
KEY = "1AbC_dEf-123456789012345678901234"


def registry(tmp_path, rows, header=REGISTRY_HEADER, tab="Danh sách CLB"):
    return write_xlsx(tmp_path / "registry.xlsx", {tab: [header, *rows]})


def config_file(tmp_path, text):
    path = tmp_path / "sheets-sync.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_registry_rows_become_clubs_and_bad_rows_are_reported(tmp_path):
    path = registry(tmp_path, [
        ["CLB Đông", "dong.xlsx", "dong@example.org", "Hà Nam", "Lý Nhân", "Nhân Thịnh", "Có"],
        ["CLB Tây", f"https://docs.google.com/spreadsheets/d/{KEY}/edit", None, "Hà Nam", None, None, None],
        ["CLB Nghỉ", "nghi.xlsx", None, None, None, None, "Không"],
        [None, None, None, None, None, None, None],  # a blank row in the middle
        ["CLB Chưa có link", None, None, None, None, None, "Có"],
        ["CLB Sai email", "sai.xlsx", "chu nhiem @ xa", None, None, None, "có"],
        ["CLB Lạ", "la.xlsx", None, None, None, None, "có lẽ"],
        ["CLB Tắt", "tat.xlsx", None, None, None, None, False],
    ])
    found = read_registry(str(path), google=GoogleAccess())
    assert [(e.name, e.active) for e in found] == [
        ("CLB Đông", True), ("CLB Tây", True), ("CLB Nghỉ", False), ("CLB Sai email", True), ("CLB Lạ", True), ("CLB Tắt", False),
    ]
    dong = found[0]
    assert dong == ClubEntry(str(tmp_path / "dong.xlsx"), name="CLB Đông", chair_email="dong@example.org", province="Hà Nam",
                             district="Lý Nhân", commune="Nhân Thịnh", origin="Danh sách CLB, 2")
    assert found[3].chair_email is None
    assert [(p.row, p.code) for p in found.problems] == [(6, "registry-row-no-link"), (7, "registry-row-bad-email"), (8, "registry-row-bad-active")]
    assert "row 6 (CLB Chưa có link)" in found.problems[0].message("en") and "dòng 6" in found.problems[0].message("vi")


def test_english_headers_and_tab_name(tmp_path):
    path = registry(tmp_path, [["Club A", "a.xlsx", None, None, None, None, "no"], ["Club B", "b.xlsx", None, None, None, None, "yes"]],
                    header=["Club name", "link", "Chair email", "Province", "District", "Commune", "Active"], tab="Clubs")
    assert [(e.name, e.active) for e in read_registry(str(path), google=GoogleAccess())] == [("Club A", False), ("Club B", True)]


def test_a_registry_without_its_tab_or_link_column_cannot_be_used(tmp_path):
    with pytest.raises(TabNotFound, match="Danh sách CLB"):
        read_registry(str(registry(tmp_path, [], tab="Sheet1")), google=GoogleAccess())
    with pytest.raises(ConfigError) as err:
        read_registry(str(registry(tmp_path, [["CLB", "x"]], header=["Tên CLB", "Đường"])), google=GoogleAccess())
    assert '"Link"' in err.value.message("en")


def test_config_and_registry_merged_config_wins_inactive_left_out(tmp_path):
    registry(tmp_path, [
        ["Tên trong danh sách", "dong.xlsx", "reg@example.org", "Hà Nam", "Lý Nhân", "Nhân Thịnh", "Có"],
        ["CLB Tây", "tay.xlsx", None, None, None, None, "Có"],
        ["CLB Bắc", "bac.xlsx", None, None, None, None, "Có"],
    ])
    config = config_file(tmp_path, '[[clubs]]\nsource = "dong.xlsx"\nname = "CLB Đông"\n\n'
                                   '[[clubs]]\nsource = "bac.xlsx"\nactive = false\n\n[registry]\nsource = "registry.xlsx"\n')
    clubs = list_clubs(config)
    assert [(e.name, e.chair_email, e.province) for e in clubs] == [("CLB Đông", "reg@example.org", "Hà Nam"), ("CLB Tây", None, None)]
    assert clubs[0].origin == "clubs[1]" and clubs.problems == []


def test_no_clubs_at_all_is_a_config_error(tmp_path):
    config = config_file(tmp_path, '[state]\npath = "s.sqlite"\n')
    with pytest.raises(ConfigError) as err:
        list_clubs(config)
    assert "[[clubs]]" in err.value.message("en")


def test_a_google_registry_not_shared(fake_sheets, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_GOOGLE_API_URL", fake_sheets.url)
    key = fake_sheets.create_spreadsheet("Danh sách", sheets={"Danh sách CLB": [REGISTRY_HEADER]}, shared=False)
    with pytest.raises(SourceUnavailable, match="Chia sẻ"):
        read_registry(key, google=GoogleAccess())
    ok = fake_sheets.create_spreadsheet("Danh sách", sheets={"Danh sách CLB": [REGISTRY_HEADER, ["CLB", KEY, None, None, None, None, "Có"]]})
    assert [e.key for e in read_registry(ok, google=GoogleAccess())] == [f"google:{KEY}"]


@pytest.mark.parametrize(
    "a, b, same",
    [
        (f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0", KEY, True),
        ("clubs/a.xlsx", "clubs/../clubs/a.xlsx", True),
        ("a.xlsx", "b.xlsx", False),
    ],
    ids=["url-and-key", "two-paths-one-file", "different"],
)
def test_location_key(a, b, same):
    assert (location_key(a) == location_key(b)) is same


def test_merge_keeps_first_and_fills_gaps():
    first = ClubEntry("a.xlsx", name="A", origin="clubs[1]")
    second = ClubEntry("./a.xlsx", name="other", commune="Xã", origin="registry")
    (merged,) = merge_entries([first], [second])
    assert (merged.name, merged.commune, merged.origin) == ("A", "Xã", "clubs[1]")


def test_recipients_monthly_and_digest(make_xlsx):
    from sheets_sync.club import open_club

    tabs = clean_club()
    club = open_club(make_xlsx(tabs), today=TODAY)
    assert recipients(club) == ["chunhiem@example.org"]
    assert recipients(club, kind="digest") == ["chunhiem@example.org"]  # no Email nhận thêm: the chair
    tabs["Cài đặt"].append(["Email nhận thêm", "thuky@example.org"])
    club = open_club(make_xlsx(tabs), today=TODAY)
    entry = ClubEntry("x.xlsx", chair_email="override@example.org")
    assert recipients(club, entry) == ["override@example.org", "thuky@example.org"]
    assert recipients(club, entry, kind="digest") == ["thuky@example.org"]  # the people who enter data
