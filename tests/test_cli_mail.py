"""report --send / --outbox and digest, against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
from email import policy

import pytest
from click.testing import CliRunner

from sheets_sync.cli import cli
from sheets_sync.state import State

CHAIR = "chunhiem@example.org"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def config(tmp_path, smtp_server):
    path = tmp_path / "sheets-sync.toml"
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nsecurity = "plain"\nfrom_address = "bao-cao@example.org"\nmax_attempts = 1\n\n[state]\npath = "state.sqlite"\n')
    return path


def test_report_outbox_writes_eml_and_records_nothing(tmp_path, club_tabs, make_xlsx, config):
    club_tabs["Cài đặt"].append(["Email nhận thêm", "thuquy@example.org"])
    path = make_xlsx(club_tabs)
    for _ in range(2):  # a preview writes every time
        result = run("report", path, "--month", "2026-10", "--outbox", tmp_path / "outbox", "--config", config)
        assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert [f.name.split("-monthly-")[1] for f in files] == [f"{CHAIR}.eml", "thuquy@example.org.eml"]
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert "10/2026" in message["Subject"] and message.get_body(("html",)) is not None
    assert not (tmp_path / "state.sqlite").exists()


def test_report_send_once_then_skip_then_resend(tmp_path, club_tabs, make_xlsx, config, smtp_server):
    path = make_xlsx(club_tabs)
    first = run("report", path, "--month", "2026-10", "--send", "--config", config, "--lang", "en")
    assert first.exit_code == 0, first.output
    assert f"Sent to {CHAIR}" in first.output
    assert len(smtp_server.received) == 1
    second = run("report", path, "--month", "2026-10", "--send", "--config", config, "--lang", "en")
    assert second.exit_code == 0 and "Already sent to" in second.output and len(smtp_server.received) == 1
    third = run("report", path, "--month", "2026-10", "--send", "--resend", "--config", config)
    assert third.exit_code == 0 and len(smtp_server.received) == 2
    with State(tmp_path / "state.sqlite") as state:
        assert [(r.month, r.kind, r.recipient) for r in state.sent()] == [("2026-10", "monthly", CHAIR)]


def test_report_send_to_override_and_refused(club_tabs, make_xlsx, config, smtp_server):
    smtp_server.handler.refuse.add("ghost@example.org")
    result = run("report", make_xlsx(club_tabs), "--month", "2026-10", "--send", "--to", "ghost@example.org", "--to", "other@example.org", "--config", config, "--lang", "en")
    assert result.exit_code == 2
    assert 'NOT sent to ghost@example.org: Mail server 127.0.0.1' in result.output and "Sent to other@example.org" in result.output
    assert [r.rcpt_tos for r in smtp_server.received] == [["other@example.org"]]


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--send", "--outbox", "x"], "--send cannot be used together with --outbox"),
        (["--resend"], "--resend only works together with --send"),
        (["--to", "a@example.org"], "--to only works together with --send / --outbox"),
    ],
    ids=["send-and-outbox", "resend-alone", "to-alone"],
)
def test_report_mail_options_that_cannot_go_together(club_tabs, make_xlsx, args, text):
    result = run("report", make_xlsx(club_tabs), *args, "--lang", "en")
    assert result.exit_code == 2 and f"Error: {text}" in result.output


def test_report_send_without_smtp(tmp_path, club_tabs, make_xlsx, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("report", make_xlsx(club_tabs), "--send", "--lang", "en")
    assert result.exit_code == 2 and "Error: No mail server configured" in result.output


def test_digest_mails_new_problems_once(tmp_path, club_tabs, make_xlsx, config, smtp_server):
    club_tabs["Thành viên"][1][3] = "năm ngoái"  # Năm sinh that cannot be read
    path = make_xlsx(club_tabs, name="club.xlsx")
    assert "1 new problems" in run("digest", path, "--config", config, "--lang", "en").output
    first = run("digest", path, "--send", "--config", config, "--lang", "en")
    assert first.exit_code == 0, first.output
    assert [r.rcpt_tos for r in smtp_server.received] == [[CHAIR]]
    again = run("digest", path, "--send", "--config", config, "--lang", "en")
    assert again.exit_code == 0 and "No new problems" in again.output and len(smtp_server.received) == 1
    # A second problem: only it is in the next digest.
    club_tabs["Thành viên"][2][3] = "???"
    path = make_xlsx(club_tabs, name="club.xlsx")
    assert run("digest", path, "--send", "--config", config).exit_code == 0
    assert len(smtp_server.received) == 2
    latest = smtp_server.received[1].message().get_body(("plain",)).get_content()
    assert "(D3)" in latest and "(D2)" not in latest


@pytest.mark.parametrize(
    "setting, flag, expected",
    [
        pytest.param(None, [], "Báo cáo tháng 10/2026", id="default-vietnamese"),
        pytest.param("en", [], "Report for October 2026", id="club-setting-english"),
        pytest.param("en", ["--email-lang", "vi"], "Báo cáo tháng 10/2026", id="flag-overrides-setting"),
    ],
)
def test_email_language_from_settings_and_overridable(tmp_path, club_tabs, make_xlsx, config, setting, flag, expected):
    if setting:
        club_tabs["Cài đặt"].append(["Ngôn ngữ báo cáo", setting])
    result = run("report", make_xlsx(club_tabs), "--month", "2026-10", "--outbox", tmp_path / "out", "--config", config, *flag)
    assert result.exit_code == 0, result.output
    (eml,) = (tmp_path / "out").glob("*.eml")
    assert expected in email.message_from_bytes(eml.read_bytes(), policy=policy.default)["Subject"]
