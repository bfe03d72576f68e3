"""The unattended jobs, nightly and monthly, run once over every club.

``sheets-sync nightly`` / ``monthly`` call :func:`run_nightly` / :func:`run_monthly`;
``sheets-sync run`` (``scheduler.py``) calls them on time.  What each job does is
in ``jobs/nightly.toml`` and ``jobs/monthly.toml`` (:func:`load_job`).  A run takes
the job's lock (another process running it: JobLocked, nothing done), lists the
clubs (:mod:`sheets_sync.clubs`), and works on one club at a time, each in a
worker thread with its own time limit ([schedule] club_time_limit).  A club that
cannot be done (sheet not shared, tab missing, Google failing, mail refused, a
bug tripped by its data, too slow) is that club's failure, recorded with its
reason; the run goes on.  The state file's ``runs`` get one row per club (ok:
done, data problems or not) and one for the job (ok: went through every club).
No workbook is kept once its club is done.  With ``outbox`` mail is written as
.eml files and nothing is recorded: a preview (notes are still written).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import logging
import threading
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import i18n
from .clubs import ClubEntry, GoogleAccess, club_language, config_entries, location_key, merge_entries, open_entry, read_registry, recipients
from .config import Config, parse_time_of_day
from .errors import ConfigError, SheetsSyncError
from .locks import job_lock
from .metrics import Month
from .state import ClubCheck, State, problem_key

if TYPE_CHECKING:
    from .club import Club
    from .mail import DeliveryResult
    from .rules import RuleSet

__all__ = [
    "JobDefinition", "ClubOutcome", "RunSummary", "Note", "DigestResult", "load_job", "run_nightly", "run_monthly",
    "send_digest", "run_with_time_limit", "JOBS", "STEPS", "OK", "PROBLEMS", "FAILED", "ROLLUP_CLUB",
]

log = logging.getLogger("sheets_sync.jobs")
T = TypeVar("T")

JOBS = ("nightly", "monthly")
#: The steps each job may have; the first is always done.
STEPS = {"nightly": ("check", "annotate", "digest"), "monthly": ("report", "chair-email", "rollup")}
OK, PROBLEMS, FAILED = "ok", "problems", "failed"
#: The state file's "club" for the coordinator's roll-up.
ROLLUP_CLUB = "*"
_JOB_KEYS = {"nightly": ("name", "description", "time", "steps"), "monthly": ("name", "description", "time", "day", "steps")}


# --- job definitions (jobs/*.toml) -----------------------------------------------------------


@dataclass(frozen=True)
class JobDefinition:
    """One job as ``jobs/<name>.toml`` defines it; ``time``/``day`` are defaults [schedule] overrides."""

    name: str
    time: str
    steps: tuple[str, ...]
    description: dict[str, str]
    day: int | None = None
    file: str = ""

    def describe(self, lang: str = "vi") -> str:
        return self.description.get(lang) or self.description.get("vi") or self.name


@lru_cache(maxsize=None)
def load_job(name: str) -> JobDefinition:
    """The built-in definition of job ``name`` ("nightly" or "monthly"), checked key by key.

    Raises ConfigError naming the file and key when the file was edited wrong.
    """
    if name not in JOBS:
        raise ValueError(f"job must be one of {JOBS}, not {name!r}")
    file = f"jobs/{name}.toml"

    def bad(key: str, value: object) -> ConfigError:
        return ConfigError("job-file-invalid", file=file, key=key, value=repr(value))

    try:
        data = tomllib.loads(resources.files("sheets_sync").joinpath("_data", "jobs", f"{name}.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError("job-file-invalid", file=file, key="-", value=str(err)) from None
    job = data.get("job")
    if set(data) != {"job"} or not isinstance(job, dict):
        raise bad("job", sorted(data))
    for key in job:
        if key not in _JOB_KEYS[name]:
            raise bad(f"job.{key}", job[key])
    if job.get("name") != name:
        raise bad("job.name", job.get("name"))
    try:
        time = parse_time_of_day(job.get("time"))
    except ValueError:
        raise bad("job.time", job.get("time")) from None
    steps = job.get("steps")
    if not isinstance(steps, list) or STEPS[name][0] not in steps or any(s not in STEPS[name] for s in steps):
        raise bad("job.steps", steps)
    description = job.get("description", {})
    if not isinstance(description, dict) or not all(isinstance(v, str) for v in description.values()):
        raise bad("job.description", description)
    day = job.get("day")
    if name == "monthly" and (isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28):
        raise bad("job.day", day)
    return JobDefinition(name, time, tuple(steps), dict(description), day, file)


# --- what a run reports ------------------------------------------------------------------------


@dataclass
class ClubOutcome:
    """How one club went: ``status`` "ok", "problems" (errors in its data) or "failed" (``reason`` says why)."""

    name: str
    location: str
    status: str
    reason: str | None = None
    errors: int = 0
    warnings: int = 0
    wrote: bool = False
    mails: int = 0
    #: Not read tonight: Drive says the sheet has not changed since its last check.
    unchanged: bool = False
    #: The error behind a failure, to say ``reason`` in another language (the roll-up's).
    error: SheetsSyncError | None = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def reason_in(self, lang: str) -> str | None:
        return self.error.message(lang) if self.error is not None else self.reason

    def line(self, lang: str = "vi") -> str:
        """One line for the terminal or the log."""
        if self.failed:
            return i18n.t("club-line-failed", lang, name=self.name, reason=self.reason_in(lang))
        parts = [i18n.t("club-detail", lang, errors=self.errors, warnings=self.warnings)]
        if self.unchanged:
            parts.append(i18n.t("club-detail-unchanged", lang))
        if self.wrote:
            parts.append(i18n.t("club-detail-wrote", lang))
        if self.mails:
            parts.append(i18n.t("club-detail-mails", lang, mails=self.mails))
        return i18n.t(f"club-line-{self.status}", lang, name=self.name, detail="; ".join(parts))


@dataclass(frozen=True)
class Note:
    """Something the run says besides the clubs: a registry row skipped, the roll-up sent or not."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    failed: bool = False

    def message(self, lang: str = "vi") -> str:
        return i18n.t(self.code, lang, **self.params)


@dataclass
class RunSummary:
    """A whole run: every club's outcome, and when it started and finished."""

    job: str
    outcomes: list[ClubOutcome]
    started: dt.datetime
    finished: dt.datetime
    period: str = ""  # the night ("2026-11-23") or the month ("2026-10")
    notes: list[Note] = field(default_factory=list)

    ok = property(lambda self: sum(o.status == OK for o in self.outcomes), doc="Clubs done with no error in their data.")
    problems = property(lambda self: sum(o.status == PROBLEMS for o in self.outcomes), doc="Clubs done, with errors in their data.")
    failed = property(lambda self: sum(o.status == FAILED for o in self.outcomes), doc="Clubs that could not be done.")

    @property
    def exit_code(self) -> int:
        """0 every club done (data problems are fine), 1 a club (or the roll-up) failed."""
        return 1 if self.failed or any(n.failed for n in self.notes) else 0

    def headline(self, lang: str = "vi") -> str:
        return i18n.t("run-summary", lang, job=i18n.t(f"job-{self.job}", lang, period=self.period), clubs=len(self.outcomes),
                      ok=self.ok, problems=self.problems, failed=self.failed)

    def to_lines(self, lang: str = "vi") -> list[str]:
        """The summary for the end of a run: the counts, then each club not OK, then the notes."""
        lines = [self.headline(lang)]
        lines += ["  " + o.line(lang) for o in self.outcomes if o.status != OK]
        lines += ["  " + n.message(lang) for n in self.notes]
        return lines


# --- one club at a time, each with a time limit ----------------------------------------------------


def run_with_time_limit(work: Callable[[], T], seconds: float, name: str = "", *, abandoned: threading.Event | None = None) -> T:
    """``work()`` in a worker thread; its result or its exception, or SheetsSyncError "club-timed-out".

    A worker that overruns is left behind (a daemon thread: it cannot be
    stopped, and does not keep the process alive).  ``abandoned`` is set when
    that happens, so that the work can stop at its next step instead of
    writing or mailing for a club already reported as failed.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as err:  # handed to the caller's thread as is
            box["error"] = err

    worker = threading.Thread(target=target, name=f"sheets-sync {name}"[:60], daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        if abandoned is not None:
            abandoned.set()
        raise SheetsSyncError("club-timed-out", seconds=seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]


@dataclass
class _Run:
    config: Config
    job: JobDefinition
    today: dt.date
    lang: str
    outbox: Path | None
    resend: bool
    google: GoogleAccess
    rules: RuleSet
    month: Month | None = None

    @contextlib.contextmanager
    def worker_state(self) -> Iterator[State | None]:
        """A state connection for a worker thread (SQLite connections stay in their thread).

        A preview reads an existing file and never creates one.
        """
        path = self.config.state.path
        if self.outbox is not None and not path.exists():
            yield None
            return
        with State(path) as state:
            yield state


def _failure(entry: ClubEntry, err: BaseException, lang: str) -> ClubOutcome:
    if not isinstance(err, SheetsSyncError):
        # A bug: the traceback goes to the log; the reason names the kind only (a message may quote a cell).
        log.error("%s: unexpected error", entry.label, exc_info=err)
        err = SheetsSyncError("club-bug", kind=type(err).__name__)
    else:  # reported in the outcome (the summary, the state file): the log keeps a quiet line
        log.info("%s failed: %s", entry.label, err.message("en"))
    return ClubOutcome(entry.label, entry.location, FAILED, reason=err.message(lang), error=err)


def _now(config: Config) -> dt.datetime:
    return dt.datetime.now(config.tz)


@contextlib.contextmanager
def _few_full_collections() -> Iterator[None]:
    """Run with Python's garbage collector waking up less often.

    A club's read makes some 50,000 short-lived dicts and cells; with the
    default thresholds they trigger full collections that re-scan every object
    of the program (pandas, matplotlib, ...), which cost more than checking
    the club did.  Objects alive before the run are frozen (never scanned) and
    collections start after 50,000 new objects, not 700; both are put back
    after the run.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _run(job: str, config: Config, *, today: dt.date, lang: str, period: str, month: Month | None, outbox: Path | None, resend: bool,
         work: Callable[[_Run, ClubEntry, threading.Event], tuple[ClubOutcome, Any]], after: Callable[[_Run, State | None, list], list[Note]] | None,
         progress: Callable[[ClubOutcome], None] | None, on_start: Callable[[int], None] | None) -> RunSummary:
    from .rules import load_rules

    if not config.clubs and config.registry is None:
        raise ConfigError("config-no-clubs", file=config.file or "sheets-sync.toml")
    if outbox is None and set(load_job(job).steps) & {"digest", "chair-email", "rollup"}:
        config.require_smtp()  # before any club: a run that cannot mail stops at the start
    started = _now(config)
    with job_lock(config.state.path, job), _few_full_collections(), contextlib.ExitStack() as stack:
        state = None if outbox is not None else stack.enter_context(State(config.state.path))
        job_run = state.start_run(job) if state else None
        try:
            run = _Run(config, load_job(job), today, lang, outbox, resend, GoogleAccess(config.google.accounts), load_rules(), month)
            outcomes, notes, results = [], [], []
            entries, registry_failure = _entries(run, notes)
            if on_start:
                on_start(len(entries) + (registry_failure is not None))
            if registry_failure is not None:
                _record(state, job, "registry:" + location_key(config.registry.source), registry_failure)
                outcomes.append(registry_failure)
                results.append((None, registry_failure, None))
                if progress:
                    progress(registry_failure)
            changed = _drive_listing(run, entries, state) if job == "nightly" else None
            for entry, outcome, extra in _work_through(run, entries, work, state, changed):
                outcomes.append(outcome)
                results.append((entry, outcome, extra))
                if progress:
                    progress(outcome)
            if after:
                notes += after(run, state, results)
            summary = RunSummary(job, outcomes, started, _now(config), period, notes)
        except BaseException as err:
            if state:
                state.finish_run(job_run, False, f"{type(err).__name__}: {err}")
            raise
        if state:
            state.finish_run(job_run, True, summary.headline("en"))
            if month is not None and summary.exit_code == 0:
                # The month is done, however it was run: `sheets-sync run` will not catch it up again.
                from .scheduler import ALL_CLUBS, month_done_job

                state.finish_run(state.start_run(month_done_job(month), ALL_CLUBS), True, str(month))
    for line in summary.to_lines("en"):
        log.info("%s", line)
    return summary


def _drive_listing(run: _Run, entries: list[ClubEntry], state: State | None) -> dict[str, Any] | None:
    """Drive's modifiedTime of every Google club (one files.list a thousand sheets), or None to read them all."""
    from .sources.google import is_google_location

    if state is None or not run.config.schedule.skip_unchanged or not any(is_google_location(e.location) for e in entries):
        return None
    try:
        return run.google.listing()
    except ConfigError:
        return None  # no key: each Google club fails with that reason when it is opened


def _unchanged(run: _Run, entry: ClubEntry, state: State, listing: dict[str, Any]) -> ClubOutcome | None:
    """The outcome of the last check when the sheet has not changed since (and it is the same month)."""
    from .sources.google import is_google_location, spreadsheet_key

    if not is_google_location(entry.location):
        return None
    seen, last = listing.get(spreadsheet_key(entry.location)), state.last_check(entry.key)
    if seen is None or last is None or Month.of(last.checked_on) != Month.of(run.today):
        return None  # never checked, not listed, or a new month: Báo cáo tháng and the checks' "today" move on
    if seen.modified_time != last.modified_time and not seen.modified_by_us:
        return None  # staff changed it
    if seen.modified_time != last.modified_time:  # our own write-back: remember it as seen
        state.record_check(dataclasses.replace(last, modified_time=seen.modified_time))
    return ClubOutcome(last.name, entry.location, last.status, errors=last.errors, warnings=last.warnings, unchanged=True)


def _work_through(run: _Run, entries: list[ClubEntry], work: Callable, state: State | None,
                  listing: dict[str, Any] | None) -> Iterator[tuple[ClubEntry, ClubOutcome, Any]]:
    """Each club's outcome, in the entries' order, several clubs worked on at a time ([schedule] workers).

    The rate limiter, shared by the workers of one service account, keeps the
    run under Google's quota; the workers only keep that quota busy while a
    club waits on the network.  Few clubs are held at once: those in the works
    and those done but waiting for an earlier one to finish (bounded).
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    config = run.config
    workers = config.schedule.workers
    queue = iter(enumerate(entries))
    pending: dict[Any, tuple[int, ClubEntry, int | None]] = {}
    ready: dict[int, tuple[ClubEntry, ClubOutcome, Any]] = {}
    next_out = 0
    exhausted = False
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sheets-sync club") as pool:
        while True:
            while not exhausted and len(pending) < workers and len(ready) < 4 * workers:
                item = next(queue, None)
                if item is None:
                    exhausted = True
                    break
                index, entry = item
                skipped = _unchanged(run, entry, state, listing) if listing is not None and state is not None else None
                if skipped is not None:
                    state.finish_run(state.start_run(run.job.name, entry.key), True, skipped.line("en"))
                    ready[index] = (entry, skipped, None)
                    continue
                run_id = state.start_run(run.job.name, entry.key) if state else None
                log.info("%s: %s", run.job.name, entry.label)
                abandoned = threading.Event()
                future = pool.submit(run_with_time_limit, lambda entry=entry, abandoned=abandoned: work(run, entry, abandoned),
                                     config.schedule.club_time_limit, entry.label, abandoned=abandoned)
                pending[future] = (index, entry, run_id)
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
            if not pending:
                if exhausted and not ready:
                    return
                continue  # more clubs to take from the queue (or done ones to hand out)
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index, entry, run_id = pending.pop(future)
                try:
                    outcome, extra = future.result()
                except Exception as err:  # SheetsSyncError or a bug: this club's failure, not the run's
                    outcome, extra = _failure(entry, err, run.lang), None
                if state:
                    state.finish_run(run_id, not outcome.failed, outcome.reason or outcome.line("en"))
                    if listing is not None and not outcome.failed:
                        _remember_check(state, entry, outcome, listing, run.today)
                ready[index] = (entry, outcome, extra)


def _remember_check(state: State, entry: ClubEntry, outcome: ClubOutcome, listing: dict[str, Any], today: dt.date) -> None:
    from .sources.google import is_google_location, spreadsheet_key

    seen = listing.get(spreadsheet_key(entry.location)) if is_google_location(entry.location) else None
    if seen is not None:
        # Drive's time from before the read: a change made while we read is seen again tomorrow.
        state.record_check(ClubCheck(entry.key, seen.modified_time, today, outcome.name, outcome.status, outcome.errors, outcome.warnings))


def _record(state: State | None, job: str, key: str, outcome: ClubOutcome) -> None:
    if state:
        state.finish_run(state.start_run(job, key), not outcome.failed, outcome.reason)


def _entries(run: _Run, notes: list[Note]) -> tuple[list[ClubEntry], ClubOutcome | None]:
    """The clubs to work on; a registry that cannot be read is an outcome of its own, its bad rows notes."""
    config = run.config
    registry: list[ClubEntry] = []
    failure = None
    if config.registry is not None:
        source = config.registry.source
        base = config.file.parent if config.file else None
        try:
            found = run_with_time_limit(lambda: read_registry(source, google=run.google, base=base), config.schedule.club_time_limit, "registry")
        except Exception as err:
            label = ClubEntry(source, name=i18n.t("registry-label", run.lang))
            failure = _failure(label, err, run.lang)
        else:
            registry = found
            notes += [Note(p.code, {"row": p.row, **p.params}) for p in found.problems]
    return merge_entries(config_entries(config), registry), failure


# --- the nightly job -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestResult:
    """How many problems were new, and what became of the e-mail (None when nothing was new)."""

    new: int
    delivery: DeliveryResult | None = None


def send_digest(club: Club, *, key: str, today: dt.date, lang: str, recipients: list[str], config: Config,
                state: State | None, where: str | None = None, outbox: str | Path | None = None) -> DigestResult:
    """E-mail the problems of ``club`` not reported before; remember them once every recipient has it.

    ``key`` is the club's key in the state file (:func:`clubs.location_key`).
    One digest per night and set of new problems: a re-run after a crash finds
    the same set, and those who got it are skipped.  With ``outbox`` (or no
    ``state``) nothing is remembered.  A problem fixed is forgotten, so if it
    comes back it is new again.  Raises SheetsSyncError "club-no-recipients"
    when there is something to send and nobody to send it to.
    """
    from .mail import mail_summary
    from .summary import build_digest

    by_key = {problem_key(p): p for p in club.report.sorted()}
    new = state.new_problem_keys(key, by_key) if state is not None else set(by_key)
    recording = outbox is None and state is not None
    if not new:
        if recording:
            state.forget_fixed(key, by_key)
        return DigestResult(0)
    if not recipients:
        raise SheetsSyncError("club-no-recipients", club=club.name)
    summary = build_digest(club.name, [p for k, p in by_key.items() if k in new], lang, where, rules=club.rules)
    period = f"{today.isoformat()}/{hashlib.sha256(' '.join(sorted(new)).encode()).hexdigest()[:12]}"
    result = mail_summary(summary, config=config, club=key, month=period, kind="digest", recipients=recipients, outbox=outbox, state=state)
    if recording and result.ok:  # only once everyone has it: a failed recipient is tried again next night
        state.mark_seen(key, new)
        state.forget_fixed(key, by_key)
    return DigestResult(len(new), result)


def _mailed(result: DeliveryResult | None) -> tuple[int, SheetsSyncError | None]:
    if result is None:
        return 0, None
    failed = result.failed
    return len(result.sent) + len(result.written), (failed[0].error if failed else None)


def _status(club: Club, error: SheetsSyncError | None) -> str:
    return FAILED if error is not None else PROBLEMS if club.report.errors else OK


class _Abandoned(Exception):
    """Raised in a club's worker after its time limit passed: its failure is reported, nothing more is done."""


def _go_on(abandoned: threading.Event | None) -> None:
    """Stop a club's work before its next write or mail if the run has given up on it."""
    if abandoned is not None and abandoned.is_set():
        raise _Abandoned()


def _nightly_club(run: _Run, entry: ClubEntry, abandoned: threading.Event | None = None) -> tuple[ClubOutcome, None]:
    from .annotate import annotate

    club = open_entry(entry, today=run.today, rules=run.rules, google=run.google, lang=run.lang)
    name, lang = entry.name or club.name, club_language(club, entry)
    _go_on(abandoned)
    wrote = annotate(club, Month.of(run.today), lang) if "annotate" in run.job.steps else False
    mails, error = 0, None
    if "digest" in run.job.steps:
        _go_on(abandoned)
        with run.worker_state() as state:
            digest = send_digest(club, key=entry.key, today=run.today, lang=lang, recipients=recipients(club, entry, kind="digest"),
                                 config=run.config, state=state, where=entry.link, outbox=run.outbox)
        mails, error = _mailed(digest.delivery)
    outcome = ClubOutcome(name, entry.location, _status(club, error), reason=error.message(run.lang) if error else None,
                          errors=len(club.report.errors), warnings=len(club.report.warnings), wrote=wrote, mails=mails, error=error)
    return outcome, None


def run_nightly(config: Config, *, today: dt.date, lang: str = "vi", progress: Callable[[ClubOutcome], None] | None = None,
                outbox: str | Path | None = None, on_start: Callable[[int], None] | None = None) -> RunSummary:
    """Check every club, write the notes and the Kiểm tra / Báo cáo tháng tabs, mail the new problems.

    ``today`` is the night's date (the checks' "today", the month annotated);
    ``lang`` the language of the outcomes' reasons and lines; ``progress`` is
    called after each club, ``on_start`` once with the number of clubs.
    Raises JobLocked when another process runs the nightly job, ConfigError
    for a config with no clubs, StateError when the state file cannot be used.
    """
    return _run("nightly", config, today=today, lang=lang, period=today.isoformat(), month=None, outbox=_path(outbox), resend=False,
                work=_nightly_club, after=None, progress=progress, on_start=on_start)


# --- the monthly job -------------------------------------------------------------------------------


def _monthly_club(run: _Run, entry: ClubEntry, abandoned: threading.Event | None = None) -> tuple[ClubOutcome, tuple[dict, dict]]:
    from .mail import mail_summary
    from .report import month_report
    from .summary import build_summary

    club = open_entry(entry, today=run.today, rules=run.rules, google=run.google, lang=run.lang)
    name = entry.name or club.name
    data = month_report(club, run.month)
    mails, error = 0, None
    if "chair-email" in run.job.steps:
        to = recipients(club, entry, kind="monthly")
        if not to:
            raise SheetsSyncError("club-no-recipients", club=name)
        summary = build_summary(data, club_language(club, entry), where=entry.link)
        _go_on(abandoned)
        with run.worker_state() as state:
            result = mail_summary(summary, config=run.config, club=entry.key, month=str(run.month), kind="monthly", recipients=to,
                                  outbox=run.outbox, state=state, resend=run.resend)
        mails, error = _mailed(result)
    settings = club.workbook.settings
    place = {"province": entry.province or settings.get("province"), "district": entry.district, "commune": entry.commune or settings.get("commune")}
    outcome = ClubOutcome(name, entry.location, _status(club, error), reason=error.message(run.lang) if error else None,
                          errors=len(club.report.errors), warnings=len(club.report.warnings), mails=mails, error=error)
    return outcome, (data, place)


def _rollup(run: _Run, state: State | None, results: list) -> list[Note]:
    """The coordinator's e-mail: a row per club (failed ones with their reason), sent once per month."""
    from .mail import mail_summary
    from .rollup import failed_row, from_report
    from .summary import build_rollup

    if "rollup" not in run.job.steps:
        return []
    config, month = run.config, str(run.month)
    emails = config.coordinator.emails
    if not emails:
        return [Note("rollup-no-coordinator")]
    lang = config.coordinator.language or config.language
    rows = []
    for entry, outcome, extra in results:
        last = state.last_success("nightly", entry.key) if state and entry else None
        last = last.astimezone(config.tz) if last else None
        if extra is None:
            place = {"province": entry.province, "district": entry.district, "commune": entry.commune} if entry else None
            rows.append(failed_row(outcome.name, outcome.reason_in(lang), place=place, last_check=last))
        else:
            rows.append(from_report(outcome.name, extra[0], status=outcome.status, place=extra[1], last_check=last, reason=outcome.reason_in(lang)))
    try:
        result = mail_summary(build_rollup(rows, month, lang), config=config, club=ROLLUP_CLUB, month=month, kind="rollup",
                              recipients=emails, outbox=run.outbox, state=state, resend=run.resend)
    except SheetsSyncError as err:
        return [Note("rollup-failed", {"recipient": ", ".join(emails), "reason": i18n.Text(vi=err.message("vi"), en=err.message("en"))}, failed=True)]
    notes = []
    for o in result.outcomes:
        if o.status == "failed":
            notes.append(Note("rollup-failed", {"recipient": o.recipient, "reason": i18n.Text(vi=o.error.message("vi"), en=o.error.message("en"))}, failed=True))
        else:
            notes.append(Note(f"rollup-{o.status}", {"recipient": o.recipient, "path": o.path or ""}))
    return notes


def run_monthly(config: Config, *, month: Month, today: dt.date, lang: str = "vi", resend: bool = False,
                progress: Callable[[ClubOutcome], None] | None = None, outbox: str | Path | None = None,
                on_start: Callable[[int], None] | None = None) -> RunSummary:
    """``month``'s report for every club, mailed to each chair once, then the coordinator's roll-up, once.

    ``resend`` sends again to those who have it (chairs and coordinators).
    Raises like :func:`run_nightly`.
    """
    return _run("monthly", config, today=today, lang=lang, period=str(month), month=month, outbox=_path(outbox), resend=resend,
                work=_monthly_club, after=_rollup, progress=progress, on_start=on_start)


def _path(outbox: str | Path | None) -> Path | None:
    return Path(outbox) if outbox is not None else None
