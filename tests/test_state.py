"""The SQLite state file: survives reopening, keeps one record per message, tracks seen problems."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from types import SimpleNamespace

import pytest

from sheets_sync.errors import StateError
from sheets_sync.state import SCHEMA_VERSION, SentRecord, State, problem_key

T0 = dt.datetime(2026, 11, 1, 1, 2, 3, tzinfo=dt.timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "state" / "sheets-sync.sqlite"  # the folder does not exist yet


def test_sent_survives_reopen(path):
    with State(path, now=Clock()) as state:
        assert not state.was_sent("CLB Đông", "2026-10", "monthly", "chair@example.org")
        state.record_sent("CLB Đông", "2026-10", "monthly", "chair@example.org", "<1@example.org>")
    with State(path) as state:
        assert state.was_sent("CLB Đông", "2026-10", "monthly", "chair@example.org")
        assert state.was_sent("CLB Đông", "2026-10", "monthly", "Chair@Example.ORG")  # addresses ignore case
        assert not state.was_sent("CLB Đông", "2026-10", "digest", "chair@example.org")
        assert not state.was_sent("CLB Đông", "2026-11", "monthly", "chair@example.org")
        assert not state.was_sent("CLB Tây", "2026-10", "monthly", "chair@example.org")
        assert state.sent() == [SentRecord("CLB Đông", "2026-10", "monthly", "chair@example.org", "<1@example.org>", "2026-11-01T01:02:03Z")]


def test_file_is_wal_and_versioned(path):
    State(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sent", "digest_seen", "runs"} <= tables
    db.close()


def test_one_record_per_message_resend_renews_it(path):
    clock = Clock()
    with State(path, now=clock) as state:
        state.record_sent("A", "2026-10", "monthly", "x@example.org", "<1@e>")
        clock.tick(hours=1)
        state.record_sent("A", "2026-10", "monthly", "X@example.org", "<2@e>")  # a resend
        state.record_sent("A", "2026-10", "monthly", "y@example.org", "<3@e>")
        state.record_sent("B", "2026-10", "monthly", "x@example.org", "<4@e>")
        rows = [(r.club, r.recipient.lower(), r.message_id, r.sent_at) for r in state.sent("A")]
        assert rows == [("A", "x@example.org", "<2@e>", "2026-11-01T02:02:03Z"), ("A", "y@example.org", "<3@e>", "2026-11-01T02:02:03Z")]
        assert len(state.sent()) == 3


def test_unique_constraint_holds_in_the_file(path):
    State(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO sent (club, month, kind, recipient, message_id, sent_at) VALUES ('A', '2026-10', 'monthly', 'x@e.org', '<1>', 't')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO sent (club, month, kind, recipient, message_id, sent_at) VALUES ('A', '2026-10', 'monthly', 'X@E.ORG', '<2>', 't')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO sent (club, month, kind, recipient, message_id, sent_at) VALUES ('A', '2026-10', 'weekly', 'y@e.org', '<3>', 't')")
    db.close()


def test_unknown_kind_is_a_bug(path):
    with State(path) as state, pytest.raises(ValueError):
        state.record_sent("A", "2026-10", "weekly", "x@example.org", "<1@e>")


def test_digest_keys_new_seen_fixed_and_back(path):
    clock = Clock()
    with State(path, now=clock) as state:
        assert state.new_problem_keys("A", {"k1", "k2"}) == {"k1", "k2"}
        state.mark_seen("A", {"k1", "k2"})
        assert state.new_problem_keys("A", {"k1", "k2", "k3"}) == {"k3"}
        assert state.new_problem_keys("B", {"k1"}) == {"k1"}  # each club on its own
        clock.tick(days=1)
        state.mark_seen("A", {"k1", "k3"})  # k1 keeps its first date
        assert state.first_seen("A") == {"k1": "2026-11-01T01:02:03Z", "k2": "2026-11-01T01:02:03Z", "k3": "2026-11-02T01:02:03Z"}
        # k2 was fixed: forgotten, so if it comes back it is new again.
        assert state.forget_fixed("A", {"k1", "k3"}) == {"k2"}
        assert state.new_problem_keys("A", {"k1", "k2", "k3"}) == {"k2"}
    with State(path) as state:
        assert state.new_problem_keys("A", {"k1", "k2", "k3"}) == {"k2"}


def test_forget_fixed_many_keys(path):
    keys = {f"k{i}" for i in range(1500)}  # more than one chunk of SQL parameters
    with State(path) as state:
        state.mark_seen("A", keys)
        assert state.forget_fixed("A", {"k1"}) == keys - {"k1"}
        assert set(state.first_seen("A")) == {"k1"}


def test_problem_key_is_stable_and_holds_no_value():
    problem = SimpleNamespace(tab="Tự giúp nhau", cell="F7", rule="required", value="nhiễm HIV")
    key = problem_key(problem)
    assert key == problem_key(SimpleNamespace(**vars(problem)))
    assert key != problem_key(SimpleNamespace(**{**vars(problem), "cell": "F8"}))
    assert "HIV" not in key and len(key) == 64


def test_runs(path):
    clock = Clock()
    with State(path, now=clock) as state:
        assert state.last_success("nightly", "A") is None
        run = state.start_run("nightly", "A")
        clock.tick(minutes=5)
        state.finish_run(run, ok=True)
        failed = state.start_run("nightly", "A")
        clock.tick(minutes=5)
        state.finish_run(failed, ok=False, reason="SourceNotFound")
        assert state.last_success("nightly", "A") == T0 + dt.timedelta(minutes=5)
        assert state.last_success("nightly", None) is None


def test_concurrent_writers_do_not_corrupt(path):
    State(path).close()
    errors: list[BaseException] = []

    def writer(club: str) -> None:
        try:
            with State(path) as state:  # each thread its own connection, as two processes would
                for i in range(60):
                    state.record_sent(club, "2026-10", "monthly", f"r{i}@example.org", f"<{club}{i}@e>")
                    state.mark_seen(club, {f"{club}-{i}"})
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(club,)) for club in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with State(path) as state:
        assert len(state.sent("A")) == len(state.sent("B")) == 60
        assert len(state.first_seen("A")) == 60
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_not_a_state_file(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("this is not a database, it is a note\n" * 100)
    with pytest.raises(StateError) as caught:
        State(path)
    assert caught.value.code == "state-unreadable"
    assert str(path) in caught.value.message("en")


def test_newer_schema_is_refused(path):
    State(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StateError) as caught:
        State(path)
    assert caught.value.code == "state-too-new"
    assert "Upgrade sheets-sync" in caught.value.message("en")


def test_folder_not_writable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StateError) as caught:
        State(blocker / "state.sqlite")  # a file where the folder should be
    assert caught.value.code == "state-unreadable"
