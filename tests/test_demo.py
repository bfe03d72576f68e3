"""The demo workbook: the checker finds exactly its planted mistakes, it looks like a real club, it repeats."""

from __future__ import annotations

import datetime as dt

import pytest

from sheets_sync.club import open_club
from sheets_sync.demo import DEMO_FILE, Planted, build_demo, write_demo
from sheets_sync.loans import add_months, loan_status
from sheets_sync.records import loans_from_rows, repayments_from_rows

TODAYS = [dt.date(2026, 11, 23), dt.date(2027, 3, 1)]


@pytest.fixture(scope="module", params=TODAYS, ids=str)
def demo(request, tmp_path_factory):
    """(today, the DemoClub, the demo workbook written and checked as of today)."""
    today = request.param
    path = write_demo(tmp_path_factory.mktemp("demo"), today)
    return today, build_demo(today), open_club(path, today=today)


def planted_cells(demo_club) -> set[tuple[str, int, str]]:
    return {(p.tab_id, p.row, p.column_id) for p in demo_club.planted}


def test_check_reports_exactly_the_planted_mistakes(demo):
    today, demo_club, club = demo
    found = [(p.tab_id, p.row, p.column_id, p.rule) for p in club.report.problems]
    planted = [(p.tab_id, p.row, p.column_id, p.rule) for p in demo_club.planted]
    assert sorted(found) == sorted(planted)
    assert 8 <= len(planted) <= 12
    assert len({p.rule for p in demo_club.planted}) == len(planted)  # each mistake a different lesson
    assert all(isinstance(p, Planted) and p.row >= 2 for p in demo_club.planted)


def test_json_issues_name_the_planted_cells(demo):
    today, demo_club, club = demo
    issues = club.report.to_json()["issues"]
    assert sorted((i["row"], i["rule"]) for i in issues) == sorted((p.row, p.rule) for p in demo_club.planted)
    assert {i["severity"] for i in issues} == {"error", "warning"}


def test_settings_are_filled_in(demo):
    today, demo_club, club = demo
    settings = club.workbook.settings
    assert settings["club_name"].startswith("CLB Liên thế hệ Tự giúp nhau")
    assert settings["chair_email"].endswith("@example.org")
    assert settings["older_age"] == 55 and settings["initial_fund"] == 150_000_000
    assert settings["language"] == "vi" and settings["cases_target"] == 1 and settings["community_target"] == 1
    assert len(settings["extra_emails"]) == 2


def test_members_look_like_a_club(demo):
    today, demo_club, club = demo
    members = club.workbook.tables["members"].rows
    assert 55 <= len(members) <= 70
    assert sum(m["gender"] == "Nữ" for m in members) / len(members) >= 0.6
    older = sum(today.year - m["birth_year"] >= 55 for m in members) / len(members)
    assert 0.55 <= older <= 0.75
    left = [m for m in members if m["left_on"] is not None]
    assert 2 <= len(left) <= 3 and all(today - dt.timedelta(days=366) <= m["left_on"] <= today for m in left)
    assert sum(m["joined_on"] > today - dt.timedelta(days=366) for m in members) >= 3
    assert {m["circumstance"] for m in members} == {"Nghèo", "Cận nghèo", "Khó khăn", "Bình thường"}


def months_back(today: dt.date) -> list[tuple[int, int]]:
    """Today's month and the 12 before it: the monthly report's 12 full months, and this one."""
    return [(d.year, d.month) for d in (add_months(today.replace(day=1), -k) for k in range(13))]


def test_a_case_every_month_and_one_month_without_community_activity(demo):
    today, demo_club, club = demo
    cases = {(r["recorded_on"].year, r["recorded_on"].month) for r in club.workbook.tables["self_help"].rows if r["recorded_on"]}
    assert set(months_back(today)) <= cases
    activities = {(r["date"].year, r["date"].month) for r in club.workbook.tables["community"].rows if r["date"]}
    assert len(set(months_back(today)) - activities) == 1
    statuses = [r["status"] for r in club.workbook.tables["self_help"].rows]
    assert statuses.count("Đã hỗ trợ") > len(statuses) / 2 and "Đề xuất" in statuses


def test_nothing_is_dated_after_today_but_the_planted_date(demo):
    today, demo_club, club = demo
    planted = planted_cells(demo_club)
    for table in club.workbook.tables.values():
        dates = [c.id for c in table.spec.columns if c.type == "date"]
        for row in table.rows:
            for column_id in dates:
                if row[column_id] is not None and (table.id, row.number, column_id) not in planted:
                    assert row[column_id] <= today, (table.id, row.number, column_id)


def repaid_early(loan, repayments) -> bool:
    """All principal paid more than a month before the last installment fell due."""
    principal = 0
    for r in sorted((r for r in repayments if r.loan_id == loan.loan_id), key=lambda r: r.paid_on):
        principal += r.principal
        if principal >= loan.amount:
            return r.paid_on < loan.schedule()[-1].due_date - dt.timedelta(days=40)
    return False


def test_loans_and_repayments(demo):
    today, demo_club, club = demo
    loan_rows, repayment_rows = club.workbook.tables["loans"].rows, club.workbook.tables["repayments"].rows
    assert 25 <= len(loan_rows) <= 50 and len(repayment_rows) > 100
    clean = lambda tab: [r for r in club.workbook.tables[tab].rows if (tab, r.number) not in club.error_rows]
    loans = loans_from_rows(clean("loans"))
    repayments = repayments_from_rows(clean("repayments"), loans)
    status = {loan.loan_id: loan_status(loan, repayments, today) for loan in loans.values()}
    assert [s.days_past_due > 30 for s in status.values()].count(True) == 1  # the PAR30 loan
    assert any(s.closed for s in status.values()) and any(not s.closed for s in status.values())
    assert len([loan for loan in loans.values() if repaid_early(loan, repayments)]) == 1
    assert len({loan.method for loan in loans.values()}) == 4
    assert all(2_000_000 <= loan.amount <= 15_000_000 for loan in loans.values())


def test_some_values_are_typed_as_text_the_way_staff_do(demo):
    today, demo_club, club = demo
    planted = planted_cells(demo_club)
    typed = {
        (row.number, column_id)
        for tab, columns in (("repayments", ("paid_on", "principal", "interest")), ("loans", ("amount",)))
        for row in club.workbook.tables[tab].rows
        for column_id in columns
        if isinstance(row.raw(column_id).value, str) and (tab, row.number, column_id) not in planted
    }
    assert len(typed) >= 3


def test_same_seed_same_rows_and_another_seed_other_rows():
    today = TODAYS[0]
    first, again = build_demo(today, seed=7), build_demo(today, seed=7)
    assert first.rows == again.rows and first.planted == again.planted
    assert build_demo(today, seed=8).rows != first.rows
    assert build_demo(today).rows == build_demo(today, seed=2026).rows


def test_write_demo_makes_the_folder_and_replaces_its_own_file(tmp_path):
    folder = tmp_path / "nested" / "thu-nghiem"
    path = write_demo(folder, TODAYS[0])
    assert path == folder / DEMO_FILE and path.exists()
    assert write_demo(folder, TODAYS[1]) == path  # a second run replaces the first demo
    club = open_club(path, today=TODAYS[1])
    assert {(p.tab_id, p.row, p.column_id, p.rule) for p in club.report.problems} == {
        (p.tab_id, p.row, p.column_id, p.rule) for p in build_demo(TODAYS[1]).planted
    }
