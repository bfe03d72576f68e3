"""The sheets-sync command as a user meets it: output, JSON, exit status."""

from __future__ import annotations

import email
import email.policy
import json

import pytest
from click.testing import CliRunner

from sheets_sync.cli import cli



def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


def test_check_clean_workbook_exits_0(club_tabs, make_xlsx):
    result = run("check", make_xlsx(club_tabs))
    assert result.exit_code == 0, result.output
    assert "Không có lỗi nào" in result.output


def test_check_groups_problems_by_tab_in_vietnamese(club_tabs, make_xlsx):
    club_tabs["Thành viên"][2][2] = "Nữa"
    club_tabs["Trả nợ"][1][1] = "KV404"
    result = run("check", make_xlsx(club_tabs))
    assert result.exit_code == 1
    out = result.output
    assert out.index("Trang Thành viên") < out.index('[LỖI] dòng 3, cột Giới tính (C3): "Nữa" không có trong danh sách; hãy chọn một trong: Nam, Nữ.') < out.index("Trang Trả nợ")
    assert "Tổng cộng: 2 lỗi, 0 điều cần chú ý" in out


def test_check_in_english(club_tabs, make_xlsx):
    club_tabs["Thành viên"][2][2] = "Nữa"
    result = run("check", make_xlsx(club_tabs), "--lang", "en")
    assert '[ERROR] row 3, column Giới tính (C3): "Nữa" is not in the list; choose one of: Nam, Nữ.' in result.output


def test_check_warnings_only_exits_0(club_tabs, make_xlsx):
    club_tabs["Thành viên"][1][5] = 912345678  # phone turned into a number: a warning
    result = run("check", make_xlsx(club_tabs))
    assert result.exit_code == 0 and "[CHÚ Ý]" in result.output


def test_check_json_shape(club_tabs, make_xlsx):
    club_tabs["Khoản vay"][1][5] = "12%"
    result = run("check", make_xlsx(club_tabs), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    (issue,) = data["issues"]
    assert {k: issue[k] for k in ("tab", "row", "column", "value", "rule", "severity")} == {
        "tab": "Khoản vay", "row": 2, "column": "Lãi suất (%/tháng)", "value": "12%", "rule": "loan-rate-range", "severity": "error",
    }
    assert issue["message"].startswith("Lãi suất 12% %/tháng") or "12" in issue["message"]
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 0


def test_check_json_names_tab_and_column_as_in_the_file(club_tabs, make_xlsx):
    club_tabs["members"] = club_tabs.pop("Thành viên")
    club_tabs["members"][0] = ["member id", "Full name", "Gender", "Birth year", "Group", "Phone", "Household status", "Joined", "Left", "Notes"]
    club_tabs["members"][2][2] = "X"
    data = json.loads(run("check", make_xlsx(club_tabs), "--json").output)
    assert [(i["tab"], i["row"], i["column"]) for i in data["issues"]] == [("members", 3, "Gender")]


@pytest.mark.parametrize(
    "setup, reason",
    [
        pytest.param(lambda p, tabs: None, 'Không tìm thấy tệp', id="missing-file"),
        pytest.param(lambda p, tabs: p.write_text("hello"), "không phải sổ tính Excel", id="not-a-workbook"),
        pytest.param(lambda p, tabs: p.mkdir(), "thư mục", id="a-folder"),
    ],
)
def test_check_unusable_file_exits_2_with_one_line(tmp_path, club_tabs, setup, reason):
    path = tmp_path / "clb.xlsx"
    setup(path, club_tabs)
    result = run("check", path)
    assert result.exit_code == 2
    assert reason in result.output and "Traceback" not in result.output
    assert result.output.count("\n") == 1


def test_check_missing_tab_exits_2(club_tabs, make_xlsx):
    del club_tabs["Hỗ trợ cộng đồng"]
    result = run("check", make_xlsx(club_tabs), "--lang", "en")
    assert result.exit_code == 2
    assert result.output.startswith('Error: Tab "Hỗ trợ cộng đồng" not found in')


def test_bad_today_override_is_a_clear_error(club_tabs, make_xlsx, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_TODAY", "23/11/2026")
    result = run("check", make_xlsx(club_tabs))
    assert result.exit_code == 2 and "SHEETS_SYNC_TODAY" in result.output


def test_check_with_an_organisations_rules(tmp_path, club_tabs, make_xlsx):
    result = run("check", make_xlsx(club_tabs), "--rules", tmp_path / "missing")
    assert result.exit_code == 2 and "missing" in result.output


def test_init_sheet_refuses_to_overwrite(tmp_path):
    path = tmp_path / "new.xlsx"
    assert run("init-sheet", "--xlsx", path).exit_code == 0
    before = path.read_bytes()
    result = run("init-sheet", "--xlsx", path)
    assert result.exit_code == 2 and "không ghi đè" in result.output
    assert path.read_bytes() == before


def test_init_sheet_output_checks_clean_once_settings_are_filled(tmp_path):
    import openpyxl

    path = tmp_path / "new.xlsx"
    run("init-sheet", "--xlsx", path)
    book = openpyxl.load_workbook(path)
    settings = book["Cài đặt"]
    for row in settings.iter_rows(min_row=2):
        if row[0].value == "Tên CLB":
            row[1].value = "CLB Thử"
        if row[0].value == "Email Chủ nhiệm":
            row[1].value = "cn@example.org"
    book.save(path)
    result = run("check", path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["check", "init-sheet", "demo", "loan-schedule", "report", "digest", "nightly", "monthly", "run", "doctor"])
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example: sheets-sync" in result.output


@pytest.mark.parametrize("method", ["declining", "bullet", "annuity", "flat"])
def test_loan_schedule_json_is_the_library_schedule(method):
    import datetime as dt
    from decimal import Decimal

    from sheets_sync.loans import Method, schedule

    result = run("loan-schedule", "--amount", "5.000.000", "--rate", "1", "--months", "12", "--method", method, "--start", "2026-01-31", "--json")
    assert result.exit_code == 0, result.output
    expected = schedule(5_000_000, Decimal(1), 12, Method(method), dt.date(2026, 1, 31))
    assert json.loads(result.output) == [
        {"n": i.n, "due_date": i.due_date.isoformat(), "principal": i.principal, "interest": i.interest, "total": i.total, "balance": i.balance} for i in expected
    ]


def test_loan_schedule_table_in_vietnamese():
    result = run("loan-schedule", "--amount", "5tr", "--rate", "0,8%", "--months", "3", "--start", "15/01/2026")
    lines = result.output.splitlines()
    assert lines[0].split() == ["Kỳ", "Ngày", "đến", "hạn", "Tiền", "gốc", "Tiền", "lãi", "Tổng", "phải", "trả", "Dư", "nợ", "còn", "lại"]
    assert lines[2].split() == ["1", "15/02/2026", "1.666.667", "40.000", "1.706.667", "3.333.333"]
    assert lines[-1].split() == ["Cộng", "5.000.000", "80.000", "5.080.000"]


def test_loan_schedule_starts_today_by_default():
    result = run("loan-schedule", "--amount", "1000000", "--rate", "1", "--months", "1", "--json")
    assert json.loads(result.output)[0]["due_date"] == "2026-12-23"


@pytest.mark.parametrize("option, value", [("--amount", "abc"), ("--amount", "0"), ("--rate", "-1"), ("--start", "31/02/2026")])
def test_loan_schedule_bad_option(option, value):
    args = {"--amount": "1000000", "--rate": "1", "--start": "2026-01-01"}
    args[option] = value
    result = run("loan-schedule", "--months", "3", *[x for kv in args.items() for x in kv])
    assert result.exit_code == 2 and option in result.output and "Traceback" not in result.output


def test_demo_writes_a_club_checks_it_and_reports_last_month(tmp_path):
    result = run("demo", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / "clb-mau.xlsx").is_file()
    assert (tmp_path / "demo" / "bao-cao-2026-10.txt").read_text(encoding="utf-8").startswith("BÁO CÁO THÁNG 10/2026")
    assert "Tổng cộng:" in result.output and "BÁO CÁO THÁNG 10/2026" in result.output
    assert str(tmp_path / "demo" / "clb-mau.xlsx") in result.output
    (eml,) = (tmp_path / "demo" / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert "Báo cáo tháng 10/2026" in message["Subject"]
    page = tmp_path / "demo" / "email-2026-10.html"
    assert str(page) in result.output and "email-2026-10-image0.png" in page.read_text(encoding="utf-8")
    # Running it again replaces the demo's own files.
    assert run("demo", tmp_path / "demo").exit_code == 0
