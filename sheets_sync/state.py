"""The SQLite state file: what was mailed to whom, which problems were seen, job runs.

One connection per process, WAL journal (readers never block the writer),
``synchronous=FULL`` so a recorded send survives a power cut, and writes in
``BEGIN IMMEDIATE`` transactions so two processes queue instead of failing.
The schema is versioned with ``PRAGMA user_version``; each step in
``MIGRATIONS`` upgrades one version, and a file from a newer sheets-sync is
refused rather than guessed at.

Tables:

- ``sent``: one row per (club, month, kind, recipient) that was really sent;
  ``month`` is the period ("2026-10"; a digest uses its night, "2026-11-23").
- ``digest_seen``: problem keys already reported in a nightly digest.  Keys
  are hashes (:func:`problem_key`), so no cell value, which may be a person's
  circumstances, is stored here.
- ``runs``: one row per job run (started, finished, ok, reason).
- ``club_checks``: per Google club, Drive's modifiedTime when it was last
  checked, the day, and what the check found (so an unchanged sheet need not
  be read again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StateError

__all__ = ["State", "SentRecord", "ClubCheck", "KINDS", "SCHEMA_VERSION", "problem_key"]

KINDS = ("monthly", "digest", "rollup")
SCHEMA_VERSION = 2

MIGRATIONS: dict[int, str] = {
    # version 0 (a new, empty file) -> 1
    1: """
        CREATE TABLE sent (
            id INTEGER PRIMARY KEY,
            club TEXT NOT NULL,
            month TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('monthly', 'digest', 'rollup')),
            recipient TEXT NOT NULL COLLATE NOCASE,
            message_id TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            UNIQUE (club, month, kind, recipient)
        );
        CREATE TABLE digest_seen (
            club TEXT NOT NULL,
            problem_key TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (club, problem_key)
        ) WITHOUT ROWID;
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            job TEXT NOT NULL,
            club TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            ok INTEGER,
            reason TEXT
        );
        CREATE INDEX runs_job_club ON runs (job, club, finished_at);
    """,
    # 1 -> 2: what each Google club looked like when last checked, to skip unchanged sheets
    2: """
        CREATE TABLE club_checks (
            club TEXT PRIMARY KEY,
            modified_time TEXT NOT NULL,
            checked_on TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            errors INTEGER NOT NULL,
            warnings INTEGER NOT NULL
        ) WITHOUT ROWID;
    """,
}

# SQLite allows 999 host parameters in older builds: stay well under it.
_CHUNK = 500


@dataclass(frozen=True)
class ClubCheck:
    """A club's last nightly check: the sheet's Drive modifiedTime then, and what was found."""

    club: str
    modified_time: str
    checked_on: dt.date
    name: str
    status: str
    errors: int
    warnings: int


@dataclass(frozen=True)
class SentRecord:
    """One message recorded as sent."""

    club: str
    month: str
    kind: str
    recipient: str
    message_id: str
    sent_at: str


def problem_key(problem: Any) -> str:
    """A stable key for a problem (tab|cell|rule|value), hashed so no cell value is stored."""
    text = "|".join(str(getattr(problem, name) or "") for name in ("tab", "cell", "rule", "value"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(moment: dt.datetime) -> str:
    """An aware datetime as ISO 8601 UTC with a Z: "2026-11-23T01:02:03Z"."""
    if moment.tzinfo is None:
        raise ValueError("state times must be timezone-aware")
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class State:
    """The state file at ``path``, opened (and created or upgraded) at once.

    Raises :class:`StateError` when the file cannot be opened, is not a
    sheets-sync state file, or was written by a newer version.
    """

    def __init__(self, path: str | Path, *, now: Callable[[], dt.datetime] = _utc_now, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._now = now
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE).
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StateError("state-unreadable", path=self.path, detail=_detail(err)) from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as err:
            self._db.close()
            raise StateError("state-unreadable", path=self.path, detail=_detail(err)) from None
        except StateError:
            self._db.close()
            raise

    # --- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"State({str(self.path)!r})"

    def _migrate(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")  # two processes opening a new file: one creates it
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError("state-too-new", path=self.path, version=version, supported=SCHEMA_VERSION)
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {step}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _write(self, sql: str, rows: Iterable[tuple] | tuple = ()) -> None:
        """Run one statement (``executemany`` for a list of rows) in its own write transaction."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if isinstance(rows, list):
                    self._db.executemany(sql, rows)
                else:
                    self._db.execute(sql, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise StateError("state-write-failed", path=self.path, detail=_detail(err)) from None

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise StateError("state-unreadable", path=self.path, detail=_detail(err)) from None

    # --- club checks ----------------------------------------------------------------

    def last_check(self, club: str) -> ClubCheck | None:
        """What the last nightly check of ``club`` saw, or None."""
        rows = self._read("SELECT club, modified_time, checked_on, name, status, errors, warnings FROM club_checks WHERE club = ?", (club,))
        if not rows:
            return None
        club, modified, checked_on, name, status, errors, warnings = rows[0]
        return ClubCheck(club, modified, dt.date.fromisoformat(checked_on), name, status, errors, warnings)

    def record_check(self, check: ClubCheck) -> None:
        """Remember ``check`` as the club's last one."""
        self._write(
            "INSERT OR REPLACE INTO club_checks (club, modified_time, checked_on, name, status, errors, warnings) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (check.club, check.modified_time, check.checked_on.isoformat(), check.name, check.status, check.errors, check.warnings),
        )

    # --- sent messages ----------------------------------------------------------

    def was_sent(self, club: str, month: str, kind: str, recipient: str) -> bool:
        """True when this message was recorded as sent to ``recipient`` (case-insensitive)."""
        _check_kind(kind)
        rows = self._read("SELECT 1 FROM sent WHERE club = ? AND month = ? AND kind = ? AND recipient = ?", (club, str(month), kind, recipient))
        return bool(rows)

    def record_sent(self, club: str, month: str, kind: str, recipient: str, message_id: str, sent_at: dt.datetime | None = None) -> None:
        """Record one message as sent, committed before returning; a resend replaces the record."""
        _check_kind(kind)
        when = _iso(sent_at or self._now())
        self._write(
            "INSERT INTO sent (club, month, kind, recipient, message_id, sent_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (club, month, kind, recipient) DO UPDATE SET message_id = excluded.message_id, sent_at = excluded.sent_at",
            (club, str(month), kind, recipient, message_id, when),
        )

    def sent(self, club: str | None = None) -> list[SentRecord]:
        """Every message recorded as sent (for ``club`` only when given), oldest first."""
        where, params = ("WHERE club = ?", (club,)) if club is not None else ("", ())
        rows = self._read(f"SELECT club, month, kind, recipient, message_id, sent_at FROM sent {where} ORDER BY sent_at, id", params)
        return [SentRecord(*row) for row in rows]

    # --- nightly digest ---------------------------------------------------------

    def _seen(self, club: str) -> set[str]:
        return {row[0] for row in self._read("SELECT problem_key FROM digest_seen WHERE club = ?", (club,))}

    def new_problem_keys(self, club: str, keys: Iterable[str]) -> set[str]:
        """The keys not reported for ``club`` before."""
        return set(keys) - self._seen(club)

    def mark_seen(self, club: str, keys: Iterable[str]) -> None:
        """Remember ``keys`` as reported; keys seen before keep their first date."""
        when = _iso(self._now())
        self._write("INSERT OR IGNORE INTO digest_seen (club, problem_key, first_seen) VALUES (?, ?, ?)", [(club, key, when) for key in set(keys)])

    def forget_fixed(self, club: str, current_keys: Iterable[str]) -> set[str]:
        """Forget seen keys that are no longer present, so a problem that comes back is new again.

        Returns the keys forgotten (the problems fixed since they were reported).
        """
        fixed = sorted(self._seen(club) - set(current_keys))
        for chunk in _chunks(fixed):
            marks = ", ".join("?" * len(chunk))
            self._write(f"DELETE FROM digest_seen WHERE club = ? AND problem_key IN ({marks})", (club, *chunk))
        return set(fixed)

    def first_seen(self, club: str) -> dict[str, str]:
        """Seen key -> when it was first reported (ISO UTC)."""
        return dict(self._read("SELECT problem_key, first_seen FROM digest_seen WHERE club = ?", (club,)))

    # --- job runs ---------------------------------------------------------------

    def start_run(self, job: str, club: str | None = None) -> int:
        """Record that ``job`` started (for ``club``); returns the run's id for :meth:`finish_run`."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            cursor = self._db.execute("INSERT INTO runs (job, club, started_at) VALUES (?, ?, ?)", (job, club, _iso(self._now())))
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise StateError("state-write-failed", path=self.path, detail=_detail(err)) from None
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, ok: bool, reason: str | None = None) -> None:
        """Record how run ``run_id`` ended; ``reason`` says why it failed (or what it did)."""
        self._write("UPDATE runs SET finished_at = ?, ok = ?, reason = ? WHERE id = ?", (_iso(self._now()), int(ok), reason, run_id))

    def last_success(self, job: str, club: str | None = None) -> dt.datetime | None:
        """When ``job`` (for ``club``) last finished successfully, or None."""
        rows = self._read("SELECT MAX(finished_at) FROM runs WHERE job = ? AND club IS ? AND ok = 1", (job, club))
        value = rows[0][0] if rows else None
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _detail(err: BaseException) -> str:
    return str(err) or type(err).__name__
