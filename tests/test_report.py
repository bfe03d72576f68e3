"""The month's report as a chair reads it: `sheets-sync report`, text and JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sheets_sync.cli import cli
from sheets_sync.report import format_percent, month_label


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_report_json_has_the_documented_shape(club_tabs, make_xlsx):
    result = run("report", make_xlsx(club_tabs), "--month", "2026-10", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["club"], data["month"], data["as_of"]) == ("CLB Liên thế hệ Tự giúp nhau thôn Đông", "2026-10", "2026-10-31")
    assert {"recorded", "helped", "target", "target_met", "by_form"} <= set(data["cases"])
    assert {"activities", "target_met"} <= set(data["community"])
    assert {"active", "joined", "left", "women", "older", "poor_or_near_poor", "shares"} <= set(data["members"])
    assert {"active", "outstanding_principal", "disbursed", "principal_repaid", "interest_due", "interest_collected", "overdue", "par30", "on_time_rate"} <= set(data["loans"])
    assert len(data["trend"]) == 12 and data["trend"][-1]["month"] == "2026-10"
    assert data["cases"]["helped"] == 1 and data["cases"]["target_met"] is True
    assert data["loans"]["outstanding_principal"] == 5_000_000 - 2 * 416_667
    assert data["members"]["shares"]["women"] == pytest.approx(2 / 3, abs=1e-4)


def test_report_defaults_to_last_month(club_tabs, make_xlsx):
    data = json.loads(run("report", make_xlsx(club_tabs), "--json").output)
    assert data["month"] == "2026-10"  # SHEETS_SYNC_TODAY is 2026-11-23 in tests


def test_report_text_opens_with_the_promise(club_tabs, make_xlsx):
    club_tabs["Hỗ trợ cộng đồng"].pop()  # no activity in October
    out = run("report", make_xlsx(club_tabs), "--month", "2026-10").output
    lines = out.splitlines()
    assert lines[0] == "BÁO CÁO THÁNG 10/2026 – CLB Liên thế hệ Tự giúp nhau thôn Đông"
    assert "Giúp trường hợp khó khăn: 1/1 – ĐẠT" in out
    assert "Hoạt động hỗ trợ cộng đồng: 0/1 – CHƯA ĐẠT" in out
    assert "dư nợ cuối tháng: 4.166.666 đ" in out


def test_report_in_english(club_tabs, make_xlsx):
    out = run("report", make_xlsx(club_tabs), "--month", "2026-10", "--lang", "en").output
    assert out.startswith("CLB Liên thế hệ Tự giúp nhau thôn Đông: REPORT FOR OCTOBER 2026")
    assert "Hardship cases helped: 1/1 – MET" in out


def test_report_says_how_many_rows_were_left_out(club_tabs, make_xlsx):
    club_tabs["Trả nợ"][2][2] = "abc"
    result = run("report", make_xlsx(club_tabs), "--month", "2026-10")
    assert result.exit_code == 0  # a report with data errors is still a report
    assert "Lưu ý: 1 dòng có lỗi chưa được tính vào số liệu" in result.output
    data = json.loads(run("report", make_xlsx(club_tabs), "--month", "2026-10", "--json").output)
    assert data["rows_left_out"] == 1 and data["loans"]["principal_repaid"] == 0


@pytest.mark.parametrize("month", ["2026-13", "10/2026", "last"])
def test_report_bad_month(club_tabs, make_xlsx, month):
    result = run("report", make_xlsx(club_tabs), "--month", month)
    assert result.exit_code == 2 and f'"{month}"' in result.output and "NNNN-TT" in result.output


def test_report_unusable_file_exits_2(tmp_path):
    result = run("report", tmp_path / "none.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("share, vi, en", [(0.125, "12,5 %", "12.5%"), (1.0, "100 %", "100%"), (0.0, "0 %", "0%"), (None, "–", "–"), (2 / 3, "66,7 %", "66.7%")])
def test_format_percent(share, vi, en):
    assert (format_percent(share, "vi"), format_percent(share, "en")) == (vi, en)


@pytest.mark.parametrize("month, vi, en", [("2026-10", "tháng 10/2026", "October 2026"), ("2027-01", "tháng 01/2027", "January 2027")])
def test_month_label(month, vi, en):
    assert (month_label(month, "vi"), month_label(month, "en")) == (vi, en)
