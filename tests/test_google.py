"""Google Sheets end to end: the real gspread client over HTTP against the local Sheets server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sheets_sync.annotate import annotate
from sheets_sync.cli import cli
from sheets_sync.club import open_club
from sheets_sync.errors import ConfigError, SourceUnavailable
from sheets_sync.metrics import Month
from sheets_sync.sources.google import GoogleSheet, is_google_location, spreadsheet_key
from sheets_sync.sources.google_http import make_client
from sheets_sync.writeback import MARKER

from conftest import TODAY, clean_club

MONTH = Month(2026, 11)
SERVICE_ACCOUNT = "sheets-sync@example-club-project.iam.gserviceaccount.com"


@pytest.fixture
def club_sheet(fake_sheets):
    """A club sheet with one error (C3) and one warning (F2) on the local server."""
    tabs = clean_club()
    tabs["Thành viên"][2][2] = "Nữa"
    tabs["Thành viên"][1][5] = 912345678
    return fake_sheets.create_spreadsheet("CLB thôn Đông", sheets=tabs, locale="vi_VN")


def sheet(server, key):
    return GoogleSheet(key, client=make_client(base_url=server.url, sleep=lambda s: None), service_account_email=SERVICE_ACCOUNT)


def nightly(server, key):
    """What the nightly job does for one club: read, check, write back."""
    club = open_club(sheet(server, key), today=TODAY)
    return annotate(club, MONTH)


def marks(server, key, tab="Thành viên"):
    notes = server.get_notes(key, tab)
    fills = {cell: color for cell, color in server.get_backgrounds(key, tab).items() if color}
    return notes, fills


def test_one_read_brings_every_tab_and_dates_unambiguously(fake_sheets, club_sheet):
    club = open_club(sheet(fake_sheets, club_sheet), today=TODAY)
    assert fake_sheets.count() == 1 and fake_sheets.count(kind="read") == 1
    members = club.workbook.tables["members"].rows
    assert members[0]["joined_on"].isoformat() == "2020-03-01"
    assert [(p.cell, p.rule) for p in club.report.sorted()] == [("F2", "phone-as-number"), ("C3", "not-in-list")]


def test_notes_and_highlights_on_exactly_the_problem_cells(fake_sheets, club_sheet):
    assert nightly(fake_sheets, club_sheet) is True
    notes, fills = marks(fake_sheets, club_sheet)
    assert set(notes) == {"C3", "F2"} and notes["C3"].startswith(MARKER)
    assert set(fills) == {"C3", "F2"}
    assert fake_sheets.count(kind="write") == 1
    # staff values untouched
    assert fake_sheets.get_values(club_sheet, "Thành viên")[2][2] == "Nữa"


def test_fixing_a_value_removes_our_note_and_a_staff_note_survives(fake_sheets, club_sheet):
    client = make_client(base_url=fake_sheets.url)
    nightly(fake_sheets, club_sheet)
    worksheet = client.open_by_key(club_sheet).worksheet("Thành viên")
    worksheet.update_notes({"B4": "Hỏi lại bà Mai"})
    worksheet.update_acell("C3", "Nữ")
    fake_sheets.clear_log()
    nightly(fake_sheets, club_sheet)
    notes, fills = marks(fake_sheets, club_sheet)
    assert notes == {"F2": notes["F2"], "B4": "Hỏi lại bà Mai"}
    assert set(fills) == {"F2"}
    assert (fake_sheets.count(kind="read"), fake_sheets.count(kind="write")) == (1, 1)


def test_a_staff_note_on_a_problem_cell_is_kept_word_for_word(fake_sheets):
    tabs = clean_club()
    tabs["Thành viên"][2][2] = "Nữa"
    key = fake_sheets.create_spreadsheet("CLB", sheets=tabs, notes={"Thành viên": {"C3": "Chị ấy tự ghi"}})
    nightly(fake_sheets, key)
    assert fake_sheets.get_notes(key, "Thành viên")["C3"].startswith("Chị ấy tự ghi\n\n" + MARKER)


def test_second_run_with_no_change_is_one_read_and_no_write(fake_sheets, club_sheet):
    nightly(fake_sheets, club_sheet)
    fake_sheets.clear_log()
    assert nightly(fake_sheets, club_sheet) is False
    assert [(r.method, r.kind) for r in fake_sheets.requests] == [("GET", "read")]


def test_owned_tabs_created_and_text_never_becomes_a_formula(fake_sheets):
    tabs = clean_club()
    tabs["Thành viên"][2][2] = '=IMPORTXML("http://x.example/","//a")'
    key = fake_sheets.create_spreadsheet("CLB", sheets=tabs, value_input="RAW")
    nightly(fake_sheets, key)
    rows = fake_sheets.get_values(key, "Kiểm tra", render="FORMULA")
    assert rows[0][:4] == ["Trang", "Dòng", "Cột", "Ô"]
    assert rows[1][:5] == ["Thành viên", 3, "Giới tính", "C3", '=IMPORTXML("http://x.example/","//a")']
    cell = fake_sheets.get_cell(key, "Kiểm tra", "E2")
    assert cell["userEnteredValue"] == {"stringValue": '=IMPORTXML("http://x.example/","//a")'}
    link = fake_sheets.get_cell(key, "Kiểm tra", "D2")["userEnteredFormat"]["textFormat"]["link"]["uri"]
    assert link.startswith("#gid=") and link.endswith("&range=C3")
    report = dict(fake_sheets.get_values(key, "Báo cáo tháng", render="UNFORMATTED_VALUE")[1:])
    assert report["Tháng"] == "2026-11"


@pytest.mark.parametrize("status", [429, 500])
def test_a_burst_of_429_or_a_500_is_survived(fake_sheets, club_sheet, status):
    fake_sheets.faults.fail_next(status=status, times=3 if status == 429 else 1, retry_after=1 if status == 429 else None)
    assert nightly(fake_sheets, club_sheet) is True
    assert set(fake_sheets.get_notes(club_sheet, "Thành viên")) == {"C3", "F2"}


def test_a_sheet_failing_forever_is_that_clubs_failure_with_a_message(fake_sheets, club_sheet):
    fake_sheets.faults.always(status=500, spreadsheet_id=club_sheet)
    with pytest.raises(SourceUnavailable) as err:
        nightly(fake_sheets, club_sheet)
    assert "vẫn lỗi sau 4 lần thử lại" in str(err.value)


@pytest.mark.parametrize("shared", [False])
def test_a_sheet_not_shared_says_to_share_it_with_the_service_account(fake_sheets, shared):
    key = fake_sheets.create_spreadsheet("CLB", sheets=clean_club(), shared=shared)
    with pytest.raises(SourceUnavailable) as err:
        nightly(fake_sheets, key)
    assert SERVICE_ACCOUNT in str(err.value) and "Chia sẻ" in str(err.value)
    assert SERVICE_ACCOUNT in err.value.message("en") and "Share" in err.value.message("en")


def test_an_unknown_sheet_gives_the_same_advice(fake_sheets):
    with pytest.raises(SourceUnavailable, match=SERVICE_ACCOUNT):
        nightly(fake_sheets, "1" * 44)


def test_the_cli_talks_to_the_local_server_with_no_credentials(fake_sheets, club_sheet, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_GOOGLE_API_URL", fake_sheets.url)
    url = f"https://docs.google.com/spreadsheets/d/{club_sheet}/edit#gid=0"
    result = CliRunner().invoke(cli, ["check", url, "--json", "--annotate"])
    assert result.exit_code == 1, result.output
    assert {(i["tab"], i["cell"]) for i in json.loads(result.stdout)["issues"]} == {("Thành viên", "C3"), ("Thành viên", "F2")}
    assert set(fake_sheets.get_notes(club_sheet, "Thành viên")) == {"C3", "F2"}


def test_without_a_key_or_a_local_server_the_message_says_what_to_set():
    with pytest.raises(ConfigError) as err:
        GoogleSheet("1" * 44)
    assert "SHEETS_SYNC_CREDENTIALS" in err.value.message("en")


def test_a_bad_key_file_is_named_but_never_echoed(tmp_path):
    key = tmp_path / "key.json"
    key.write_text('{"type": "service_account", "private_key": "SECRET-KEY-TEXT"')
    with pytest.raises(ConfigError) as err:
        GoogleSheet("1" * 44, credentials=key)
    assert str(key) in str(err.value) and "SECRET" not in str(err.value)


@pytest.mark.parametrize(
    "location, google, key",
    [
        ("https://docs.google.com/spreadsheets/d/1AbC_dEf-123456789012345678901234/edit#gid=0", True, "1AbC_dEf-123456789012345678901234"),
        ("1AbC_dEf-123456789012345678901234", True, "1AbC_dEf-123456789012345678901234"),
        ("clb-an-binh.xlsx", False, "clb-an-binh.xlsx"),
        ("data/clb.xlsx", False, "data/clb.xlsx"),
    ],
)
def test_locations(location, google, key):
    assert is_google_location(location) is google
    assert spreadsheet_key(location) == key


def test_init_sheet_google_creates_a_ready_club_sheet(fake_sheets, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_GOOGLE_API_URL", fake_sheets.url)
    result = CliRunner().invoke(cli, ["init-sheet", "--google", "--title", "CLB An Bình", "--share", "chunhiem@example.org"])
    assert result.exit_code == 0, result.output
    key = result.output.split("/d/")[1].split("/")[0]
    assert (fake_sheets.count(kind="write"), fake_sheets.count(kind="drive")) == (2, 1)
    client = make_client(base_url=fake_sheets.url)
    book = client.open_by_key(key)
    assert [w.title for w in book.worksheets()] == ["Cài đặt", "Thành viên", "Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ"]
    assert book.locale == "vi_VN" and book.timezone == "Asia/Ho_Chi_Minh"
    members = book.worksheet("Thành viên")
    assert members.row_values(1)[:3] == ["Mã TV", "Họ và tên", "Giới tính"]
    assert members.frozen_row_count == 1
    gender = fake_sheets.get_cell(key, "Thành viên", "C2")
    assert [v["userEnteredValue"] for v in gender["dataValidation"]["condition"]["values"]] == ["Nam", "Nữ"]
    assert fake_sheets.get_cell(key, "Thành viên", "J5")["userEnteredFormat"]["numberFormat"] == {"type": "DATE", "pattern": "dd/mm/yyyy"}  # Ngày vào
    assert fake_sheets.get_cell(key, "Thành viên", "G5")["userEnteredFormat"]["numberFormat"] == {"type": "TEXT"}  # Điện thoại
    protected = [p for s in book.fetch_sheet_metadata()["sheets"] for p in s.get("protectedRanges", [])]
    assert len(protected) == 6 and all(p["range"]["endRowIndex"] == 1 for p in protected)
    permissions = client.list_permissions(key)
    assert any(p.get("emailAddress") == "chunhiem@example.org" and p["role"] == "writer" for p in permissions)


def test_init_sheet_needs_exactly_one_target():
    result = CliRunner().invoke(cli, ["init-sheet"])
    assert result.exit_code == 2 and "--xlsx" in result.output


def test_a_date_staff_typed_day_first_in_a_vietnamese_sheet(fake_sheets):
    tabs = clean_club()
    tabs["Thành viên"][3][7] = "05/10/2026"  # typed into the sheet, Sheets turns it into a date
    key = fake_sheets.create_spreadsheet("CLB", sheets=tabs, locale="vi_VN")
    club = open_club(sheet(fake_sheets, key), today=TODAY)
    assert club.workbook.tables["members"].rows[2]["joined_on"].isoformat() == "2026-10-05"


def test_the_check_tab_shrinks_when_problems_are_fixed(fake_sheets, club_sheet):
    nightly(fake_sheets, club_sheet)
    assert len(fake_sheets.get_values(club_sheet, "Kiểm tra")) == 3
    make_client(base_url=fake_sheets.url).open_by_key(club_sheet).worksheet("Thành viên").update_acell("C3", "Nữ")
    nightly(fake_sheets, club_sheet)
    rows = fake_sheets.get_values(club_sheet, "Kiểm tra")
    assert [r[3] for r in rows] == ["Ô", "F2"]
