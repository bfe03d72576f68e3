"""``sheets-sync doctor``: is everything the unattended jobs need in place?

Checks, in order, and says OK or what to fix for each: the config file loads;
the state file's folder is writable; the Google service-account key exists,
is a key, and is not readable by other users of the machine; the registry
and every club's workbook open (a sheet not shared names the service account
to share it with); the mail server accepts a connection and the login; a
coordinator is set for the roll-up.  Nothing is written or sent.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import i18n
from .errors import ConfigError, SheetsSyncError

__all__ = ["Check", "diagnose", "OK", "PROBLEM", "NOTE"]

OK, PROBLEM, NOTE = "ok", "problem", "note"


@dataclass(frozen=True)
class Check:
    """One finding: ``level`` "ok", "problem" (to fix: the message says how) or "note"."""

    topic: str
    level: str
    message: str

    @property
    def ok(self) -> bool:
        return self.level != PROBLEM

    def line(self, lang: str = "vi") -> str:
        return i18n.t(f"doctor-{self.level}", lang, message=self.message)


def diagnose(config_path: str | Path | None = None, *, lang: str = "vi", environ: Mapping[str, str] | None = None) -> Iterator[Check]:
    """Every check, one at a time (the clubs can take a while); messages in ``lang``."""
    from .config import load_config

    environ = os.environ if environ is None else environ
    try:
        config = load_config(config_path, environ=environ)
    except ConfigError as err:
        yield Check("config", PROBLEM, err.message(lang))
        return
    if config.file is None:
        yield Check("config", PROBLEM, i18n.t("doctor-no-config", lang))
        return
    yield Check("config", OK, i18n.t("doctor-config-ok", lang, file=config.file))
    yield _state(config, lang)
    key_checks, accounts = _google_keys(config, environ, lang)
    yield from key_checks
    yield from _clubs(config, accounts, lang)
    yield _smtp(config, lang)
    if config.coordinator.emails:
        yield Check("coordinator", OK, i18n.t("doctor-coordinator-ok", lang, emails=", ".join(config.coordinator.emails)))
    else:
        yield Check("coordinator", NOTE, i18n.t("rollup-no-coordinator", lang))
    s = config.schedule
    yield Check("schedule", OK, i18n.t("doctor-schedule", lang, nightly=s.nightly, monthly=s.monthly, day=s.monthly_day, timezone=config.timezone, limit=s.club_time_limit))


def _state(config, lang: str) -> Check:
    from .state import State

    path = config.state.path
    folder = next((p for p in (path.parent, *path.parent.parents) if p.exists()), None)
    if folder is None or not os.access(folder, os.W_OK | os.X_OK):
        return Check("state", PROBLEM, i18n.t("doctor-state-unwritable", lang, path=path, folder=folder or path.parent))
    if path.exists():
        try:
            State(path).close()
        except SheetsSyncError as err:
            return Check("state", PROBLEM, err.message(lang))
    return Check("state", OK, i18n.t("doctor-state-ok", lang, path=path))


def _google_keys(config, environ: Mapping[str, str], lang: str) -> tuple[list[Check], tuple[Path | None, ...]]:
    """A check for each service-account key, and the keys the clubs are then opened with (as a run does)."""
    from .sources.google import CREDENTIALS_FILE_ENV, CREDENTIALS_JSON_ENV, is_google_location
    from .sources.google_http import BASE_URL_ENV

    google = config.google
    if google.credentials_file is not None or google.credentials_files:
        where = {path: "google.credentials_files" for path in google.credentials_files} | {google.credentials_file: "google.credentials_file"}
        return [_key_check(path, where[path], environ, lang) for path in google.accounts], google.accounts
    if environ.get(CREDENTIALS_FILE_ENV):
        path = Path(environ[CREDENTIALS_FILE_ENV])
        return [_key_check(path, CREDENTIALS_FILE_ENV, environ, lang)], (path,)
    if environ.get(CREDENTIALS_JSON_ENV):
        return [Check("google", OK, i18n.t("doctor-key-env", lang, name=CREDENTIALS_JSON_ENV))], (None,)
    if environ.get(BASE_URL_ENV):
        return [Check("google", NOTE, i18n.t("doctor-key-local", lang, url=environ[BASE_URL_ENV]))], (None,)
    if any(is_google_location(c.source) for c in config.clubs) or (config.registry and is_google_location(config.registry.source)):
        return [Check("google", PROBLEM, i18n.t("doctor-key-none", lang, file_env=CREDENTIALS_FILE_ENV))], (None,)
    return [], (None,)


def _key_check(path: Path, where: str, environ: Mapping[str, str], lang: str) -> Check:
    """One key file: there, private to its owner, and a service account's key that signs in."""
    from .sources.google import google_client

    if not path.is_file():
        return Check("google", PROBLEM, i18n.t("doctor-key-missing", lang, path=path, where=where))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o007:
        return Check("google", PROBLEM, i18n.t("doctor-key-readable", lang, path=path, mode=f"{mode:04o}"))
    try:
        _, email = google_client(path, environ)
    except ConfigError as err:
        return Check("google", PROBLEM, err.message(lang))
    return Check("google", OK, i18n.t("doctor-key-ok", lang, path=path, email=email or "-"))


def _clubs(config, accounts: tuple[Path | None, ...], lang: str) -> Iterator[Check]:
    from .clubs import GoogleAccess, config_entries, merge_entries, open_entry, read_registry
    from .jobs import run_with_time_limit
    from .rules import load_rules

    if not config.clubs and config.registry is None:
        yield Check("clubs", PROBLEM, i18n.t("config-no-clubs", lang, file=config.file))
        return
    google = GoogleAccess(accounts)
    limit = config.schedule.club_time_limit
    registry = []
    if config.registry is not None:
        source = config.registry.source
        try:
            registry = run_with_time_limit(lambda: read_registry(source, google=google, base=config.file.parent), limit, "registry")
        except Exception as err:
            yield Check("registry", PROBLEM, i18n.t("doctor-registry-failed", lang, location=source, reason=_reason(err, lang)))
        else:
            yield Check("registry", OK, i18n.t("doctor-registry-ok", lang, location=source, clubs=len(registry)))
            for problem in registry.problems:
                yield Check("registry", NOTE, problem.message(lang))
    rules = load_rules()
    from . import clock

    today = clock.today()
    entries = merge_entries(config_entries(config), registry)
    if len(google.accounts) > 1:
        # As a run does: each sheet is opened through an account it is shared with.
        with contextlib.suppress(ConfigError):
            google.listing()
    for entry in entries:
        try:
            club = run_with_time_limit(lambda entry=entry: open_entry(entry, today=today, rules=rules, google=google, lang=lang), limit, entry.label)
        except Exception as err:
            yield Check("club", PROBLEM, i18n.t("doctor-club-failed", lang, name=entry.label, location=entry.location, reason=_reason(err, lang)))
        else:
            yield Check("club", OK, i18n.t("doctor-club-ok", lang, name=entry.name or club.name, location=entry.location,
                                           errors=len(club.report.errors), warnings=len(club.report.warnings)))
            locale = _locale(club)
            if locale and not locale.startswith("vi"):
                yield Check("club", NOTE, i18n.t("doctor-club-locale", lang, name=entry.name or club.name, locale=locale))


def _locale(club) -> str | None:
    """A Google sheet's locale (it decides how Google reads a typed date); None for an .xlsx file."""
    document = getattr(club.source, "document", None) or {}
    return document.get("properties", {}).get("locale")


def _reason(err: BaseException, lang: str) -> str:
    if isinstance(err, SheetsSyncError):
        return err.message(lang)
    return i18n.t("club-bug", lang, kind=type(err).__name__)


def _smtp(config, lang: str) -> Check:
    from .mail import SmtpSender

    if config.smtp is None:
        return Check("smtp", PROBLEM, i18n.t("config-no-smtp", lang, file=config.file))
    try:
        SmtpSender(config.smtp).verify()
    except SheetsSyncError as err:
        return Check("smtp", PROBLEM, err.message(lang))
    login = config.smtp.username or "-"
    return Check("smtp", OK, i18n.t("doctor-smtp-ok", lang, server=config.smtp.server, user=login))
