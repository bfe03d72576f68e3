"""The unattended jobs end to end: clubs on the local Sheets server and in .xlsx, a real SMTP server,
a frozen "today" (SHEETS_SYNC_TODAY / explicit dates), the state file, the job lock."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import openpyxl
import pytest
import time_machine
from click.testing import CliRunner

from sheets_sync import jobs
from sheets_sync.cli import cli
from sheets_sync.config import load_config
from sheets_sync.jobs import load_job, run_monthly, run_nightly
from sheets_sync.locks import lock_path
from sheets_sync.metrics import Month
from sheets_sync.state import State

from conftest import TODAY, clean_club, write_xlsx

ROOT = Path(__file__).parents[1]
COORDINATOR = "dieuphoi@example.org"
#: Every person named in the clean club: none may reach the coordinator.
PEOPLE = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Thị Hoa", "Bà Tư")


@pytest.fixture(autouse=True)
def google_env(fake_sheets, monkeypatch):
    """Google clubs live on the local Sheets server (no key needed)."""
    monkeypatch.setenv("SHEETS_SYNC_GOOGLE_API_URL", fake_sheets.url)


def club_tabs(name: str, chair: str, *, extra: str | None = None, error: bool = False, warning: bool = False, drop: str | None = None):
    tabs = clean_club()
    tabs["Cài đặt"][1][1] = name
    tabs["Cài đặt"][2][1] = chair
    if extra:
        tabs["Cài đặt"].append(["Email nhận thêm", extra])
    if error:
        tabs["Thành viên"][2][2] = "Nữa"  # Giới tính not in the list: an error on C3
    if warning:
        tabs["Thành viên"][1][5] = 912345678  # a phone turned into a number: a warning on F2
    if drop:
        del tabs[drop]
    return tabs


def google_club(server, name, chair, *, shared=True, **kw) -> str:
    return server.create_spreadsheet(name, sheets=club_tabs(name, chair, **kw), locale="vi_VN", shared=shared)


def xlsx_club(tmp_path, file, name, chair, **kw) -> Path:
    return write_xlsx(tmp_path / file, club_tabs(name, chair, **kw))


def write_config(tmp_path, smtp, clubs, *, coordinator=(COORDINATOR,), extra="") -> Path:
    parts = [
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nsecurity = "plain"\nfrom_address = "bao-cao@example.org"\nmax_attempts = 1\n',
        '[state]\npath = "state.sqlite"\n',
    ]
    if coordinator:
        parts.append(f'[coordinator]\nemails = {json.dumps(list(coordinator))}\nlanguage = "en"\n')
    for club in clubs:
        parts.append("[[clubs]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in club.items()))
    parts.append(extra)
    path = tmp_path / "sheets-sync.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def runs(tmp_path) -> dict[str, tuple[int, str]]:
    """Club key -> (ok, reason) of its latest run, read straight from the state file."""
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        rows = db.execute("SELECT club, ok, reason FROM runs WHERE club IS NOT NULL ORDER BY id").fetchall()
    return {club: (ok, reason) for club, ok, reason in rows}


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# --- nightly ---------------------------------------------------------------------------------------


def test_nightly_annotates_every_club_and_mails_each_new_problem_once(tmp_path, fake_sheets, smtp_server):
    a = google_club(fake_sheets, "CLB A", "a@example.org")
    b = google_club(fake_sheets, "CLB B", "b@example.org", extra="thuky.b@example.org", error=True)
    c = xlsx_club(tmp_path, "c.xlsx", "CLB C", "c@example.org", warning=True)
    config = load_config(write_config(tmp_path, smtp_server, [
        {"source": a}, {"source": f"https://docs.google.com/spreadsheets/d/{b}/edit"}, {"source": "c.xlsx"},
    ]))
    seen = []
    summary = run_nightly(config, today=TODAY, lang="en", progress=seen.append)
    assert [(o.name, o.status, o.errors, o.warnings, o.wrote, o.mails) for o in summary.outcomes] == [
        ("CLB A", "ok", 0, 0, True, 0),
        ("CLB B", "problems", 1, 0, True, 1),
        ("CLB C", "ok", 0, 1, True, 1),
    ]
    assert seen == summary.outcomes and summary.exit_code == 0 and (summary.ok, summary.problems, summary.failed) == (2, 1, 0)
    for key in (a, b):  # every club's sheet has its owned tabs, one read and one write each
        assert fake_sheets.get_values(key, "Kiểm tra")[0][:4] == ["Trang", "Dòng", "Cột", "Ô"]
    assert set(fake_sheets.get_notes(b, "Thành viên")) == {"C3"}
    assert {"Kiểm tra", "Báo cáo tháng"} <= set(openpyxl.load_workbook(c).sheetnames)
    # Digests go to Email nhận thêm, else the chair; a club with nothing to say gets nothing.
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == ["c@example.org", "thuky.b@example.org"]
    assert "(C3)" in next(r for r in smtp_server.received if r.rcpt_tos == ["thuky.b@example.org"]).message().get_body(("plain",)).get_content()

    fake_sheets.clear_log()
    again = run_nightly(config, today=TODAY, lang="en")
    assert [(o.status, o.wrote, o.mails) for o in again.outcomes] == [("ok", False, 0), ("problems", False, 0), ("ok", False, 0)]
    assert fake_sheets.count(kind="write") == 0 and len(smtp_server.received) == 2
    with State(tmp_path / "state.sqlite") as state:
        assert state.last_success("nightly") is not None
        assert all(state.last_success("nightly", key) for key in (f"google:{a}", f"google:{b}", f"file:{c.resolve()}"))


BROKEN = [
    pytest.param("missing-tab", 'Tab "Khoản vay" not found in', id="missing-tab"),
    pytest.param("not-shared", 'Google would not open the spreadsheet (code 403', id="not-shared"),
    pytest.param("500-forever", "Google's servers are failing (code 500); it still failed after 4 retries", id="500-forever"),
]


@pytest.mark.parametrize("breakage, reason", BROKEN)
def test_a_broken_club_fails_alone_and_is_reported(tmp_path, fake_sheets, smtp_server, breakage, reason):
    good = google_club(fake_sheets, "CLB A", "a@example.org")
    xlsx_club(tmp_path, "c.xlsx", "CLB C", "c@example.org")
    if breakage == "missing-tab":
        broken = str(xlsx_club(tmp_path, "hong.xlsx", "CLB Hỏng", "h@example.org", drop="Khoản vay"))
    else:
        broken = google_club(fake_sheets, "CLB Hỏng", "h@example.org", shared=breakage != "not-shared")
        if breakage == "500-forever":
            fake_sheets.faults.always(status=500, spreadsheet_id=broken, retry_after=0)  # no waiting between the retries
    path = write_config(tmp_path, smtp_server, [{"source": good}, {"source": broken, "name": "CLB Hỏng"}, {"source": "c.xlsx"}])
    result = invoke("nightly", "--config", path, "--lang", "en")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "[1/3] [OK] CLB A: 0 errors, 0 warnings; notes written"
    assert lines[1].startswith("[2/3] [FAILED] CLB Hỏng: ") and reason in lines[1]
    assert lines[2] == "[3/3] [OK] CLB C: 0 errors, 0 warnings; notes written"
    assert "Nightly check 2026-11-23: 3 clubs, 2 OK, 0 with data errors, 1 failed." in lines
    assert lines[-1].startswith("  [FAILED] CLB Hỏng: ") and reason in lines[-1]
    assert fake_sheets.get_values(good, "Kiểm tra") and "Kiểm tra" in openpyxl.load_workbook(tmp_path / "c.xlsx").sheetnames
    recorded = runs(tmp_path)
    from sheets_sync.clubs import location_key

    ok, why = recorded[location_key(broken)]
    assert ok == 0 and reason in why
    assert recorded[f"google:{good}"][0] == 1 and recorded[location_key(tmp_path / "c.xlsx")][0] == 1


def test_a_club_that_takes_too_long_is_left_behind(tmp_path, smtp_server, monkeypatch):
    release = threading.Event()
    real = jobs.open_entry

    def slow(entry, **kwargs):
        if entry.name == "CLB Chậm":
            release.wait(30)  # stuck until the test ends
            raise RuntimeError("released")
        return real(entry, **kwargs)

    monkeypatch.setattr(jobs, "open_entry", slow)
    for file, name in (("a.xlsx", "CLB A"), ("cham.xlsx", "CLB Chậm"), ("c.xlsx", "CLB C")):
        xlsx_club(tmp_path, file, name, "x@example.org")
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}, {"source": "cham.xlsx", "name": "CLB Chậm"}, {"source": "c.xlsx"}],
                                      extra="[schedule]\nclub_time_limit = 1\n"))
    started = time.monotonic()
    try:
        summary = run_nightly(config, today=TODAY, lang="en")
    finally:
        release.set()
    assert time.monotonic() - started < 20
    assert [o.status for o in summary.outcomes] == ["ok", "failed", "ok"]
    assert summary.outcomes[1].reason.startswith("Not done within 1 seconds")


def test_a_club_given_up_on_writes_and_mails_nothing_when_it_finishes_later(tmp_path, smtp_server, monkeypatch):
    # Reported as failed (too slow), it must not then annotate its sheet or mail its digest behind the run's back.
    release, finished = threading.Event(), threading.Event()
    real = jobs.open_entry

    def slow(entry, **kwargs):
        if entry.name != "CLB Chậm":
            return real(entry, **kwargs)
        release.wait(30)
        try:
            return real(entry, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(jobs, "open_entry", slow)
    path = xlsx_club(tmp_path, "cham.xlsx", "CLB Chậm", "x@example.org", warning=True)  # a problem: it would be mailed
    before = path.read_bytes()
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "cham.xlsx", "name": "CLB Chậm"}], extra="[schedule]\nclub_time_limit = 1\n"))
    summary = run_nightly(config, today=TODAY, lang="en")
    assert [o.status for o in summary.outcomes] == ["failed"]
    release.set()
    assert finished.wait(30)
    time.sleep(0.5)  # time enough to write and mail, had it gone on
    assert path.read_bytes() == before
    assert smtp_server.received == []


def test_a_bug_tripped_by_one_club_does_not_stop_the_others(tmp_path, smtp_server, monkeypatch, caplog):
    import sheets_sync.annotate as annotate_module

    real = annotate_module.annotate

    def buggy(club, month, lang="vi"):
        if club.name == "CLB B":
            raise KeyError("Nguyễn Thị Lan")  # a bug quoting a cell: must not reach the summary
        return real(club, month, lang)

    monkeypatch.setattr(annotate_module, "annotate", buggy)
    for file, name in (("a.xlsx", "CLB A"), ("b.xlsx", "CLB B")):
        xlsx_club(tmp_path, file, name, "x@example.org")
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}, {"source": "b.xlsx"}]))
    with caplog.at_level("ERROR", logger="sheets_sync.jobs"):
        summary = run_nightly(config, today=TODAY, lang="en")
    assert [o.status for o in summary.outcomes] == ["ok", "failed"]
    assert summary.outcomes[1].reason.startswith("Unexpected error in sheets-sync (KeyError)")
    assert "Nguyễn" not in "\n".join(summary.to_lines("en"))
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)  # the traceback is in the log


def test_a_run_leaves_the_garbage_collector_as_it_found_it(tmp_path, smtp_server, monkeypatch):
    # A run tunes the collector for its many short-lived objects; a program that
    # calls run_nightly (or a scheduler running for months) must get it back.
    import gc

    xlsx_club(tmp_path, "a.xlsx", "CLB A", "x@example.org")
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}]))
    seen = []
    real = jobs.open_entry
    monkeypatch.setattr(jobs, "open_entry", lambda *a, **k: (seen.append((gc.get_threshold(), gc.get_freeze_count())), real(*a, **k))[1])
    before = gc.get_threshold()
    assert run_nightly(config, today=TODAY, lang="en").outcomes[0].status == "ok"
    assert seen[0][0] != before and seen[0][1] > 0  # tuned while the club was worked on
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)


def test_nightly_needs_a_mail_server_and_clubs_before_it_starts(tmp_path, smtp_server, fake_sheets):
    key = google_club(fake_sheets, "CLB A", "a@example.org")
    path = tmp_path / "sheets-sync.toml"
    path.write_text(f'[[clubs]]\nsource = "{key}"\n', encoding="utf-8")
    result = invoke("nightly", "--config", path, "--lang", "en")
    assert result.exit_code == 2 and "Error: No mail server configured" in result.output
    assert fake_sheets.count() == 0
    result = invoke("nightly", "--config", write_config(tmp_path, smtp_server, []), "--lang", "en")
    assert result.exit_code == 2 and "lists no club" in result.output


def test_a_running_nightly_stops_another_one_from_starting(tmp_path, fake_sheets, smtp_server):
    key = google_club(fake_sheets, "CLB A", "a@example.org")
    path = write_config(tmp_path, smtp_server, [{"source": key}])
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from sheets_sync.locks import job_lock
            with job_lock({str(tmp_path / 'state.sqlite')!r}, "nightly"):
                print("held", flush=True)
                time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = invoke("nightly", "--config", path, "--lang", "en")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2
    assert f'Error: The "nightly" job is already running in another process (PID {holder.pid}' in result.output
    assert fake_sheets.count() == 0  # nothing read, nothing written


def test_two_nightly_processes_at_once_do_the_work_once(tmp_path, fake_sheets, smtp_server):
    key = google_club(fake_sheets, "CLB A", "a@example.org", error=True)
    path = write_config(tmp_path, smtp_server, [{"source": key}])
    fake_sheets.faults.latency_ms = 2500  # the first run is still going when the second starts
    env = {**os.environ, "SHEETS_SYNC_GOOGLE_API_URL": fake_sheets.url, "SHEETS_SYNC_TODAY": TODAY.isoformat(),
           "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "sheets_sync.cli", "nightly", "--config", str(path), "--lang", "en"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        lock = lock_path(tmp_path / "state.sqlite", "nightly")
        deadline = time.monotonic() + 30
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
            assert time.monotonic() < deadline and first.poll() is None, "the first run never took the lock"
            time.sleep(0.05)
        second = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path, timeout=60)
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == 2 and second.stdout == ""
    assert f'Error: The "nightly" job is already running in another process (PID {first.pid}' in second.stderr
    assert first.returncode == 0, out + err
    assert "1 clubs, 0 OK, 1 with data errors, 0 failed." in out
    assert (fake_sheets.count(kind="read"), fake_sheets.count(kind="write")) == (1, 1)
    assert len(smtp_server.received) == 1  # one digest, from the one run that did the work


# --- monthly ---------------------------------------------------------------------------------------


def rollup_parts(received):
    message = received.message()
    (attachment,) = list(message.iter_attachments())
    table = list(csv.DictReader(io.StringIO(attachment.get_content().lstrip("\ufeff"))))
    return message, attachment, table


def test_monthly_on_the_first_sends_each_chair_once_and_the_coordinator_once(tmp_path, fake_sheets, smtp_server):
    a = google_club(fake_sheets, "CLB A", "a@example.org", extra="thuquy.a@example.org")
    xlsx_club(tmp_path, "c.xlsx", "CLB C", "c@example.org", error=True)
    broken = google_club(fake_sheets, "CLB Hỏng", "h@example.org", shared=False)
    path = write_config(tmp_path, smtp_server, [{"source": a}, {"source": "c.xlsx"}, {"source": broken, "name": "CLB Hỏng"}])
    config = load_config(path)
    with time_machine.travel(dt.datetime(2026, 11, 29, 19, 0, 5, tzinfo=dt.timezone.utc)):  # 02:00 on the 30th in Vietnam
        run_nightly(config, today=dt.date(2026, 11, 30), lang="en")  # so the roll-up has a last check
    assert [r.rcpt_tos for r in smtp_server.received] == [["c@example.org"]]  # CLB C's digest
    smtp_server.handler.received.clear()

    first = run_monthly(config, month=Month(2026, 11), today=dt.date(2026, 12, 1), lang="en")
    assert [(o.name, o.status, o.mails) for o in first.outcomes] == [("CLB A", "ok", 2), ("CLB C", "problems", 1), ("CLB Hỏng", "failed", 0)]
    assert first.exit_code == 1 and [n.code for n in first.notes] == ["rollup-sent"]
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == ["a@example.org", "c@example.org", COORDINATOR, "thuquy.a@example.org"]

    rollup = next(r for r in smtp_server.received if r.rcpt_tos == [COORDINATOR])
    message, attachment, table = rollup_parts(rollup)
    assert message["Subject"] == "[sheets-sync] Roll-up for November 2026: 3 clubs, 0 met both targets, 1 failed"
    assert attachment.get_filename() == "rollup-2026-11.csv"
    by_club = {row["Club"]: row for row in table}
    assert list(by_club) == ["CLB A", "CLB C", "CLB Hỏng"]
    assert {k: by_club["CLB A"][k] for k in ("Status", "Cases helped", "Cases target met", "Open data errors", "Active members", "Loans outstanding", "PAR30 (%)")} == {
        "Status": "OK", "Cases helped": "0", "Cases target met": "no", "Open data errors": "0", "Active members": "3", "Loans outstanding": "1", "PAR30 (%)": "0.0"}
    assert by_club["CLB C"]["Status"] == "Data errors" and by_club["CLB C"]["Open data errors"] == "1"
    assert by_club["CLB A"]["Last successful check"] == "2026-11-30 02:00"  # local time
    assert by_club["CLB Hỏng"]["Status"] == "Failed" and "code 403" in by_club["CLB Hỏng"]["Reason"]
    assert by_club["CLB Hỏng"]["Last successful check"] == "" and by_club["CLB Hỏng"]["Active members"] == ""
    text = message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content() + attachment.get_content()
    assert not [person for person in PEOPLE if person in text]  # counts and club names only

    second = run_monthly(config, month=Month(2026, 11), today=dt.date(2026, 12, 2), lang="en")
    assert len(smtp_server.received) == 4  # nothing twice
    assert [n.code for n in second.notes] == ["rollup-skipped"] and [o.mails for o in second.outcomes] == [0, 0, 0]
    with State(tmp_path / "state.sqlite") as state:
        assert sorted((r.kind, r.recipient) for r in state.sent() if r.kind != "digest") == [
            ("monthly", "a@example.org"), ("monthly", "c@example.org"), ("monthly", "thuquy.a@example.org"), ("rollup", COORDINATOR)]


def test_monthly_cli_defaults_to_last_month_and_outbox_records_nothing(tmp_path, smtp_server, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_TODAY", "2026-11-01")
    xlsx_club(tmp_path, "a.xlsx", "CLB A", "a@example.org")
    path = write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}])
    for _ in range(2):  # a preview writes every time
        result = invoke("monthly", "--config", path, "--outbox", tmp_path / "out", "--lang", "en")
        assert result.exit_code == 0, result.output
    assert "Monthly report 2026-10: 1 clubs, 1 OK, 0 with data errors, 0 failed." in result.output
    assert sorted(p.name.rsplit("-", 1)[-1] for p in (tmp_path / "out").glob("*.eml")) == ["a@example.org.eml", "dieuphoi@example.org.eml"]
    assert any("Roll-up written (not sent)" in line for line in result.output.splitlines())
    assert smtp_server.received == [] and not (tmp_path / "state.sqlite").exists()
    assert invoke("monthly", "--config", path, "--outbox", tmp_path / "out", "--resend").exit_code == 2


def test_monthly_without_a_coordinator_says_so(tmp_path, smtp_server):
    xlsx_club(tmp_path, "a.xlsx", "CLB A", "a@example.org")
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}], coordinator=()))
    summary = run_monthly(config, month=Month(2026, 10), today=TODAY, lang="en")
    assert summary.exit_code == 0 and [n.message("en") for n in summary.notes] == ["No roll-up sent: the config file has no [coordinator] emails."]


def test_a_monthly_run_by_hand_counts_as_done_for_the_scheduler(tmp_path, smtp_server):
    from sheets_sync.scheduler import ALL_CLUBS, month_done_job
    from sheets_sync.state import State

    xlsx_club(tmp_path, "a.xlsx", "CLB A", "a@example.org")
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}]))
    assert run_monthly(config, month=Month(2026, 10), today=TODAY, lang="en").exit_code == 0
    with State(config.state.path) as state:
        assert state.last_success(month_done_job(Month(2026, 10)), ALL_CLUBS) is not None
        assert state.last_success(month_done_job(Month(2026, 9)), ALL_CLUBS) is None


def test_a_registry_that_cannot_be_read_is_a_failure_the_config_clubs_go_on(tmp_path, fake_sheets, smtp_server):
    xlsx_club(tmp_path, "a.xlsx", "CLB A", "a@example.org")
    registry = fake_sheets.create_spreadsheet("Danh sách", sheets={"Danh sách CLB": [["Tên CLB", "Link"]]}, shared=False)
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}], extra=f'[registry]\nsource = "{registry}"\n'))
    summary = run_monthly(config, month=Month(2026, 10), today=TODAY, lang="en")
    assert [(o.name, o.status) for o in summary.outcomes] == [("Club registry", "failed"), ("CLB A", "ok")]
    (rollup,) = [r for r in smtp_server.received if r.rcpt_tos == [COORDINATOR]]
    _, _, table = rollup_parts(rollup)
    assert [(row["Club"], row["Status"]) for row in table] == [("Club registry", "Failed"), ("CLB A", "OK")]


def test_clubs_from_the_registry_and_its_bad_rows_in_the_summary(tmp_path, fake_sheets, smtp_server):
    a = google_club(fake_sheets, "CLB A", "a@example.org")
    xlsx_club(tmp_path, "b.xlsx", "CLB B", "b@example.org")
    write_xlsx(tmp_path / "registry.xlsx", {"Danh sách CLB": [
        ["Tên CLB", "Link", "Email Chủ nhiệm", "Tỉnh", "Huyện", "Xã", "Đang hoạt động"],
        ["CLB A", a, None, "Hà Nam", "Lý Nhân", "Nhân Thịnh", "Có"],
        ["CLB B", "b.xlsx", None, None, None, None, "Có"],
        ["CLB Nghỉ", "nghi.xlsx", None, None, None, None, "Không"],
        ["CLB Mới", None, None, None, None, None, "Có"],
    ]})
    config = load_config(write_config(tmp_path, smtp_server, [], extra='[registry]\nsource = "registry.xlsx"\n'))
    summary = run_monthly(config, month=Month(2026, 10), today=TODAY, lang="en")
    assert [(o.name, o.status) for o in summary.outcomes] == [("CLB A", "ok"), ("CLB B", "ok")]
    assert summary.exit_code == 0
    assert "  Club registry, row 5 (CLB Mới): no Link to the club's workbook; the row was skipped." in summary.to_lines("en")
    (rollup,) = [r for r in smtp_server.received if r.rcpt_tos == [COORDINATOR]]
    _, _, table = rollup_parts(rollup)
    assert [(row["Club"], row["Province"], row["District"], row["Commune"]) for row in table] == [
        ("CLB A", "Hà Nam", "Lý Nhân", "Nhân Thịnh"), ("CLB B", "", "", "")]


# --- definitions, help -------------------------------------------------------------------------------


def test_job_definitions_load():
    nightly, monthly = load_job("nightly"), load_job("monthly")
    assert (nightly.time, nightly.steps) == ("02:00", ("check", "annotate", "digest"))
    assert (monthly.time, monthly.day, monthly.steps) == ("07:00", 1, ("report", "chair-email", "rollup"))
    assert nightly.describe("en").startswith("Nightly check")


@pytest.mark.parametrize("command", ["nightly", "monthly", "doctor"])
def test_every_job_command_has_help_with_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Example: sheets-sync" in result.output


def test_run_summary_lines_in_vietnamese(tmp_path, smtp_server):
    xlsx_club(tmp_path, "a.xlsx", "CLB A", "a@example.org", error=True)
    config = load_config(write_config(tmp_path, smtp_server, [{"source": "a.xlsx"}, {"source": "khong-co.xlsx", "name": "CLB Mất"}]))
    lines = run_nightly(config, today=TODAY).to_lines("vi")
    assert lines[0] == "Kiểm tra đêm 2026-11-23: 2 CLB, 0 ổn, 1 có lỗi dữ liệu, 1 không chạy được."
    assert lines[1] == "  [CÓ LỖI DỮ LIỆU] CLB A: 1 lỗi, 0 điều cần chú ý; đã ghi chú vào sổ; 1 thư"
    assert lines[2].startswith('  [KHÔNG CHẠY ĐƯỢC] CLB Mất: Không tìm thấy tệp "')


def test_every_file_in_jobs_is_described_and_runs_a_real_command():
    folder = ROOT / "jobs"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != "README.md"]
    assert files and all(p.relative_to(folder).as_posix().replace(".timer", "").replace(".service", "") in readme for p in files)
    commands = set(cli.commands) | {"run"}  # `run` is the scheduler's (sheets_sync/scheduler.py)
    for path in [*folder.glob("systemd/*.service"), folder / "cron.example"]:
        used = [line.split("sheets-sync ", 1)[1].split()[0] for line in path.read_text(encoding="utf-8").splitlines()
                if "/bin/sheets-sync " in line and not line.lstrip().startswith("#")]
        assert used and set(used) <= commands, (path.name, used)


# --- many clubs: several service accounts, several at a time ---------------------------------------


def test_clubs_are_spread_over_the_service_accounts_their_sheets_are_shared_with(tmp_path, fake_sheets, smtp_server, monkeypatch):
    """Two accounts, each on its own local server (real service-account sign-in cannot run here:
    google_client is pointed at the server of each key file instead)."""
    from sheets_sync.sources import google as google_source
    from sheets_sync.sources.google_http import make_client
    from sheets_sync.testing import FakeSheetsServer

    with FakeSheetsServer() as second:
        servers = {"one.json": fake_sheets, "two.json": second}
        monkeypatch.setattr(google_source, "google_client", lambda credentials, environ=None: (make_client(base_url=servers[Path(credentials).name].url), Path(credentials).stem))
        keys = [google_club(fake_sheets, "CLB A", "a@example.org"), google_club(second, "CLB B", "b@example.org"), google_club(fake_sheets, "CLB C", "c@example.org")]
        config = load_config(write_config(tmp_path, smtp_server, [{"source": k} for k in keys], extra='[google]\ncredentials_files = ["one.json", "two.json"]\n[schedule]\nworkers = 3\n'))
        summary = run_nightly(config, today=TODAY, lang="en")
        assert [(o.name, o.status) for o in summary.outcomes] == [("CLB A", "ok"), ("CLB B", "ok"), ("CLB C", "ok")]
        # each sheet read through the account that can see it, and only there
        assert (fake_sheets.count(kind="read"), second.count(kind="read")) == (2, 1)
        assert (fake_sheets.count(kind="drive"), second.count(kind="drive")) == (1, 1)


def test_clubs_worked_on_at_once_are_reported_in_the_configs_order(tmp_path, fake_sheets, smtp_server):
    keys = [google_club(fake_sheets, f"CLB {n}", f"{n}@example.org") for n in "ABCD"]
    config = load_config(write_config(tmp_path, smtp_server, [{"source": k} for k in keys], extra="[schedule]\nworkers = 4\n"))
    fake_sheets.faults.latency_ms = 50
    summary = run_nightly(config, today=TODAY, lang="en")
    assert [o.name for o in summary.outcomes] == ["CLB A", "CLB B", "CLB C", "CLB D"]
    assert all(o.status == "ok" for o in summary.outcomes)


def test_only_sheets_staff_changed_are_read_again(tmp_path, fake_sheets, smtp_server):
    keys = [google_club(fake_sheets, f"CLB {n}", f"{n}@example.org", error=(n == "B")) for n in "ABC"]
    config = load_config(write_config(tmp_path, smtp_server, [{"source": k} for k in keys]))
    first = run_nightly(config, today=TODAY, lang="en")
    assert (fake_sheets.count(kind="read"), fake_sheets.count(kind="write"), fake_sheets.count(kind="drive")) == (3, 3, 1)

    fake_sheets.clear_log()  # our own notes changed every sheet: that is not a change to read again
    second = run_nightly(config, today=TODAY + dt.timedelta(days=1), lang="en")
    assert (fake_sheets.count(kind="read"), fake_sheets.count(kind="write"), fake_sheets.count(kind="drive")) == (0, 0, 1)
    assert [(o.name, o.status, o.errors, o.unchanged) for o in second.outcomes] == [
        ("CLB A", "ok", 0, True), ("CLB B", "problems", 1, True), ("CLB C", "ok", 0, True)]
    assert "unchanged since its last check" in second.outcomes[0].line("en")
    assert [(o.status, o.errors) for o in first.outcomes] == [(o.status, o.errors) for o in second.outcomes]

    fake_sheets.edit_as("thuky@example.org", keys[1], "Thành viên", "C3", "Nữ")  # staff fix CLB B's mistake
    fake_sheets.clear_log()
    third = run_nightly(config, today=TODAY + dt.timedelta(days=2), lang="en")
    assert (fake_sheets.count(kind="read"), fake_sheets.count(kind="write")) == (1, 1)
    assert [(o.name, o.status, o.unchanged) for o in third.outcomes] == [("CLB A", "ok", True), ("CLB B", "ok", False), ("CLB C", "ok", True)]
    assert fake_sheets.get_notes(keys[1], "Thành viên") == {}

    fake_sheets.clear_log()  # a new month: Báo cáo tháng moves on, so every sheet is read
    run_nightly(config, today=dt.date(2026, 12, 1), lang="en")
    assert fake_sheets.count(kind="read") == 3


def test_skip_unchanged_can_be_turned_off(tmp_path, fake_sheets, smtp_server):
    key = google_club(fake_sheets, "CLB A", "a@example.org")
    config = load_config(write_config(tmp_path, smtp_server, [{"source": key}], extra="[schedule]\nskip_unchanged = false\n"))
    run_nightly(config, today=TODAY, lang="en")
    fake_sheets.clear_log()
    run_nightly(config, today=TODAY, lang="en")
    assert (fake_sheets.count(kind="read"), fake_sheets.count(kind="drive")) == (1, 0)


def test_every_club_is_reported_when_most_are_unchanged(tmp_path, fake_sheets, smtp_server):
    keys = [google_club(fake_sheets, f"CLB {n:02d}", f"c{n}@example.org") for n in range(30)]
    config = load_config(write_config(tmp_path, smtp_server, [{"source": k} for k in keys], extra="[schedule]\nworkers = 2\n"))
    assert len(run_nightly(config, today=TODAY, lang="en").outcomes) == 30
    for n in (3, 17):
        fake_sheets.edit_as("thuky@example.org", keys[n], "Thành viên", "J2", "ghi chú mới")
    fake_sheets.clear_log()
    second = run_nightly(config, today=TODAY + dt.timedelta(days=1), lang="en")
    assert [o.name for o in second.outcomes] == [f"CLB {n:02d}" for n in range(30)]
    assert [n for n, o in enumerate(second.outcomes) if not o.unchanged] == [3, 17]
    assert fake_sheets.count(kind="read") == 2
