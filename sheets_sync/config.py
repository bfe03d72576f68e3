"""Read ``sheets-sync.toml``: mail server, state file, clubs and schedule, checked when loaded.

Every key is checked before anything is sent: an unknown key, a value of the
wrong kind or a missing password stops the run with a :class:`ConfigError`
naming the file, the key (``smtp.port``) and what is valid.  Passwords are
never written in the file itself: ``password_env`` names an environment
variable, ``password_file`` a file holding it.  The password is kept in a
:class:`Secret`, which never shows in ``repr()``, logs or messages.

The file is made of sections; each one is read by a function registered in
``SECTIONS`` into its own frozen dataclass, and ``Config`` has one field per
section (``ARRAYS`` does the same for ``[[clubs]]``, into a tuple)::

    [smtp]
    host = "smtp.example.org"
    port = 587                      # default: 587 starttls, 465 ssl, 25 plain
    security = "starttls"           # or "ssl", or "plain" (a relay on this machine)
    username = "bao-cao@example.org"
    password_env = "SMTP_PASSWORD"  # or password_file = "/etc/sheets-sync/smtp-password"
    from_address = "bao-cao@example.org"
    from_name = "sheets-sync"
    timeout = 30                    # seconds
    max_attempts = 3

    [state]
    path = "sheets-sync.sqlite"     # relative paths are relative to this file

The unattended jobs (``sheets-sync nightly`` / ``monthly`` / ``run``) add
``[run]`` (timezone, language), ``[google]`` (credentials_file), ``[schedule]``
(nightly, monthly, monthly_day, club_time_limit), ``[[clubs]]`` (source, name,
chair_email, language, active), ``[registry]`` (source) and ``[coordinator]``
(emails, language).  A full, commented example is ``jobs/sheets-sync.example.toml``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError

__all__ = [
    "Config", "SmtpSettings", "StateSettings", "RunSettings", "GoogleSettings", "ScheduleSettings", "ClubSettings",
    "RegistrySettings", "CoordinatorSettings", "Secret", "load_config", "parse_time_of_day",
    "DEFAULT_FILE", "SECURITY", "SECTIONS", "ARRAYS", "LANGUAGES",
]

DEFAULT_FILE = "sheets-sync.toml"
SECURITY = ("starttls", "ssl", "plain")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "plain": 25}
_MISSING: Any = object()
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TIME_OF_DAY = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
LANGUAGES = ("vi", "en")


class Secret:
    """A password: ``reveal()`` gives it, everything else shows stars.

    Kept out of ``repr``/``str`` so a settings object printed in a log or a
    traceback does not carry it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self):  # pickling would write the password somewhere: refuse
        raise TypeError("a Secret cannot be pickled")


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server; ``password`` is set when ``username`` is."""

    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password: Secret | None = field(default=None, repr=False, compare=False)
    password_source: str | None = None  # 'password_env = "SMTP_PASSWORD"': for messages, never the value
    from_address: str = ""
    from_name: str = "sheets-sync"
    timeout: float = 30.0
    max_attempts: int = 3

    @property
    def server(self) -> str:
        """ "host:port", how messages name the server."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class StateSettings:
    """Where the SQLite state file lives."""

    path: Path = Path("sheets-sync.sqlite")


@dataclass(frozen=True)
class RunSettings:
    """[run]: the clock the jobs keep and the language of their own messages."""

    timezone: str = "Asia/Ho_Chi_Minh"
    language: str = "vi"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class GoogleSettings:
    """[google]: the service-account key file(s) (None: ``$SHEETS_SYNC_CREDENTIALS`` or no key).

    Several accounts (``credentials_files``) multiply the quota: each club is
    read through an account its sheet is shared with.
    """

    credentials_file: Path | None = None
    credentials_files: tuple[Path, ...] = ()

    @property
    def accounts(self) -> tuple[Path | None, ...]:
        """Every key file to use, in order; ``(None,)`` when none is configured."""
        files = ((self.credentials_file,) if self.credentials_file else ()) + self.credentials_files
        return tuple(dict.fromkeys(files)) or (None,)


def _job_default(job: str, key: str) -> Any:
    from .jobs import load_job  # jobs.py imports this module; the job files hold the defaults

    return getattr(load_job(job), key)


@dataclass(frozen=True)
class ScheduleSettings:
    """[schedule]: when ``sheets-sync run`` starts each job, and how long one club may take.

    Times are "HH:MM" in ``[run] timezone``; the defaults come from
    ``jobs/nightly.toml`` and ``jobs/monthly.toml``.
    """

    nightly: str = field(default_factory=lambda: _job_default("nightly", "time"))
    monthly: str = field(default_factory=lambda: _job_default("monthly", "time"))
    monthly_day: int = field(default_factory=lambda: _job_default("monthly", "day"))
    club_time_limit: int = 300
    #: Clubs worked on at once (the rate limiter keeps Google's quota whatever the number).
    workers: int = 4
    #: Read a Google Sheet only when Drive says it changed since its last check.
    skip_unchanged: bool = True


@dataclass(frozen=True)
class ClubSettings:
    """One [[clubs]] entry: where its workbook is, and optional overrides."""

    source: str  # a Google Sheets URL or key, or an .xlsx path (absolute)
    name: str | None = None
    chair_email: str | None = None
    language: str | None = None
    active: bool = True
    origin: str = "clubs"  # "clubs[2]": how messages name the entry


@dataclass(frozen=True)
class RegistrySettings:
    """[registry]: a sheet or .xlsx listing the clubs (tab "Danh sách CLB")."""

    source: str


@dataclass(frozen=True)
class CoordinatorSettings:
    """[coordinator]: who gets the monthly roll-up, and in which language (None: [run] language)."""

    emails: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class Config:
    """The whole configuration; ``smtp`` is None when the file has no [smtp]."""

    file: Path | None = None
    smtp: SmtpSettings | None = None
    state: StateSettings = field(default_factory=StateSettings)
    run: RunSettings = field(default_factory=RunSettings)
    google: GoogleSettings = field(default_factory=GoogleSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    clubs: tuple[ClubSettings, ...] = ()
    registry: RegistrySettings | None = None
    coordinator: CoordinatorSettings = field(default_factory=CoordinatorSettings)

    def require_smtp(self) -> SmtpSettings:
        """The [smtp] settings, or a ConfigError saying where to add them."""
        if self.smtp is None:
            raise ConfigError("config-no-smtp", file=self.file or DEFAULT_FILE)
        return self.smtp

    # Shortcuts for the jobs and the scheduler.
    timezone = property(lambda self: self.run.timezone, doc="The jobs' time zone name ([run] timezone).")
    tz = property(lambda self: self.run.tz, doc="The jobs' time zone as a ZoneInfo.")
    language = property(lambda self: self.run.language, doc="The language of the run's own messages ([run] language).")
    credentials = property(lambda self: self.google.credentials_file, doc="[google] credentials_file; None: $SHEETS_SYNC_CREDENTIALS decides.")


class _Section:
    """One [table] of the file: typed getters that name ``section.key`` in errors."""

    def __init__(self, file: Path, name: str, data: Any, base: Path, environ: Mapping[str, str], keys: tuple[str, ...]) -> None:
        self.file, self.name, self.base, self.environ = file, name, base, environ
        if not isinstance(data, dict):
            raise ConfigError("config-not-table", file=file, key=name)
        self.data = data
        # Unknown keys first: a typo ("hots") should be named as such, not as "host missing".
        for key in data:
            if key == "password":
                raise ConfigError("config-password-in-file", file=file, key=self.key(key))
            if key not in keys:
                raise ConfigError("config-unknown-key", file=file, key=self.key(key), valid=", ".join(keys))

    def key(self, key: str) -> str:
        return f"{self.name}.{key}"

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise ConfigError("config-missing-key", file=self.file, key=self.key(key))
        return default

    def text(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.data:
            return self.raw(key, default)
        value = self.data[key]
        if not isinstance(value, str) or not value.strip() or any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
            raise ConfigError("config-not-text", file=self.file, key=self.key(key), value=_show(value))
        return value.strip()

    def number(self, key: str, default: Any, *, low: float, high: float, integer: bool) -> Any:
        value = self.raw(key, default)
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            raise ConfigError("config-bad-number", file=self.file, key=self.key(key), value=_show(value), low=low, high=high)
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.raw(key, default)
        if value not in choices:
            raise ConfigError("config-bad-choice", file=self.file, key=self.key(key), value=_show(value), choices=", ".join(f'"{c}"' for c in choices))
        return value

    def path(self, key: str, default: Any = _MISSING) -> Any:
        value = self.text(key, default)
        if value is None:
            return None
        path = Path(os.path.expanduser(value))
        return path if path.is_absolute() else self.base / path

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise ConfigError("config-bad-bool", file=self.file, key=self.key(key), value=_show(value))
        return value

    def time_of_day(self, key: str, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        try:
            return parse_time_of_day(value)
        except ValueError:
            raise ConfigError("config-bad-time", file=self.file, key=self.key(key), value=_show(value)) from None

    def address(self, key: str, value: Any) -> str:
        from .mail import parse_address  # mail.py does not import this module at run time

        if isinstance(value, str):
            try:
                return parse_address(value)
            except Exception:  # MailError: say it as a config problem, naming the key
                pass
        raise ConfigError("config-bad-address", file=self.file, key=self.key(key), value=_show(value)) from None

    def location(self, key: str) -> str:
        """A workbook: a Google Sheets URL or key as written, else a path made absolute."""
        from .sources.google import is_google_location

        text = self.text(key)
        if is_google_location(text):
            return text
        path = Path(os.path.expanduser(text))
        return str(path if path.is_absolute() else self.base / path)


def parse_time_of_day(value: object) -> str:
    """ "2:00" or "02:00" -> "02:00"; ValueError for anything that is not a time of day."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) == 4 and text[1] == ":":
        text = "0" + text
    if not _TIME_OF_DAY.fullmatch(text):
        raise ValueError(f"not a time of day (HH:MM): {value!r}")
    return text


def _show(value: Any) -> str:
    """A value for a message: text as typed (line breaks shown as \\n), anything else as Python shows it."""
    if isinstance(value, str):
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return repr(value)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _read_smtp(section: _Section) -> SmtpSettings:
    from .mail import parse_address  # mail.py does not import this module at run time

    security = section.choice("security", SECURITY, "starttls")
    host = section.text("host")
    if any(c.isspace() for c in host) or "/" in host:
        raise ConfigError("config-not-text", file=section.file, key=section.key("host"), value=host)
    port = section.number("port", DEFAULT_PORTS[security], low=1, high=65535, integer=True)
    username = section.text("username", None)
    password, source = _read_password(section, username)
    if username and security == "plain" and not _is_loopback(host):
        # Login over plain SMTP sends the password unencrypted across the network.
        raise ConfigError("config-plain-login", file=section.file, key=section.key("security"), host=host)
    from_text = section.text("from_address")
    try:
        from_address = parse_address(from_text)
    except Exception:  # MailError: say it as a config problem, naming the key
        raise ConfigError("config-bad-address", file=section.file, key=section.key("from_address"), value=from_text) from None
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        username=username,
        password=password,
        password_source=source,
        from_address=from_address,
        from_name=section.text("from_name", "sheets-sync"),
        timeout=float(section.number("timeout", 30, low=1, high=600, integer=False)),
        max_attempts=section.number("max_attempts", 3, low=1, high=10, integer=True),
    )


def _read_password(section: _Section, username: str | None) -> tuple[Secret | None, str | None]:
    """The password from the env var or file the section names (never from the TOML)."""
    env_name = section.text("password_env", None)
    file = section.path("password_file", None)
    if env_name and file:
        raise ConfigError("config-password-twice", file=section.file, key=section.key("password_env"), other=section.key("password_file"))
    given = "password_env" if env_name else "password_file" if file else None
    if username and not given:
        raise ConfigError("config-login-incomplete", file=section.file, key=section.key("username"), other=f"{section.key('password_env')} / {section.key('password_file')}")
    if given and not username:
        raise ConfigError("config-login-incomplete", file=section.file, key=section.key(given), other=section.key("username"))
    if env_name:
        if not _ENV_NAME.fullmatch(env_name):
            # Not echoed: a value that is no variable name may well be the password itself.
            raise ConfigError("config-bad-env-name", file=section.file, key=section.key("password_env"))
        value = section.environ.get(env_name, "")
        if not value:
            raise ConfigError("config-password-env-missing", file=section.file, key=section.key("password_env"), name=env_name)
        return Secret(value), f'password_env = "{env_name}"'
    if file:
        try:
            value = file.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as err:
            detail = err.strerror if isinstance(err, OSError) and err.strerror else type(err).__name__
            raise ConfigError("config-password-file-unreadable", file=section.file, key=section.key("password_file"), path=file, detail=detail) from None
        if not value:
            raise ConfigError("config-password-file-empty", file=section.file, key=section.key("password_file"), path=file)
        return Secret(value), f'password_file = "{file}"'
    return None, None


def _read_state(section: _Section) -> StateSettings:
    return StateSettings(path=section.path("path", "sheets-sync.sqlite"))


def _read_run(section: _Section) -> RunSettings:
    zone = section.text("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("config-bad-timezone", file=section.file, key=section.key("timezone"), value=_show(zone)) from None
    return RunSettings(timezone=zone, language=section.choice("language", LANGUAGES, "vi"))


def _read_google(section: _Section) -> GoogleSettings:
    # Whether the file is there and private is for `sheets-sync doctor` to say; a
    # run with a missing key fails the Google clubs, each with that reason.
    files = section.raw("credentials_files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) and f.strip() for f in files):
        raise ConfigError("config-not-text", file=section.file, key=section.key("credentials_files"), value=_show(files))
    paths = tuple(Path(os.path.expanduser(f)) if Path(os.path.expanduser(f)).is_absolute() else section.base / f for f in files)
    return GoogleSettings(credentials_file=section.path("credentials_file", None), credentials_files=paths)


def _read_schedule(section: _Section) -> ScheduleSettings:
    return ScheduleSettings(
        nightly=section.time_of_day("nightly", _job_default("nightly", "time")),
        monthly=section.time_of_day("monthly", _job_default("monthly", "time")),
        monthly_day=section.number("monthly_day", _job_default("monthly", "day"), low=1, high=28, integer=True),
        club_time_limit=section.number("club_time_limit", 300, low=1, high=86400, integer=True),
        workers=section.number("workers", 4, low=1, high=64, integer=True),
        skip_unchanged=section.boolean("skip_unchanged", True),
    )


def _read_registry(section: _Section) -> RegistrySettings:
    return RegistrySettings(source=section.location("source"))


def _read_coordinator(section: _Section) -> CoordinatorSettings:
    emails = section.raw("emails", [])
    if isinstance(emails, str):
        emails = [emails]
    if not isinstance(emails, list):
        raise ConfigError("config-bad-address", file=section.file, key=section.key("emails"), value=_show(emails))
    language = section.choice("language", LANGUAGES, "vi") if "language" in section.data else None
    return CoordinatorSettings(emails=tuple(section.address("emails", e) for e in emails), language=language)


def _read_club(section: _Section) -> ClubSettings:
    chair = section.raw("chair_email", None)
    language = section.choice("language", LANGUAGES, "vi") if "language" in section.data else None
    return ClubSettings(
        source=section.location("source"),
        name=section.text("name", None),
        chair_email=section.address("chair_email", chair) if chair is not None else None,
        language=language,
        active=section.boolean("active", True),
        origin=section.name,
    )


#: Section name -> (its keys, the reader that turns it into a dataclass).
#: The name is also the field of :class:`Config` that receives it.
SECTIONS: dict[str, tuple[tuple[str, ...], Callable[[_Section], object]]] = {
    "smtp": (("host", "port", "security", "username", "password_env", "password_file", "from_address", "from_name", "timeout", "max_attempts"), _read_smtp),
    "state": (("path",), _read_state),
    "run": (("timezone", "language"), _read_run),
    "google": (("credentials_file", "credentials_files"), _read_google),
    "schedule": (("nightly", "monthly", "monthly_day", "club_time_limit", "workers", "skip_unchanged"), _read_schedule),
    "registry": (("source",), _read_registry),
    "coordinator": (("emails", "language"), _read_coordinator),
}

#: Arrays of tables ([[clubs]]): each entry read like a section named "clubs[1]", "clubs[2]"...
#: into a tuple in the field of the same name.
ARRAYS: dict[str, tuple[tuple[str, ...], Callable[[_Section], object]]] = {
    "clubs": (("source", "name", "chair_email", "language", "active"), _read_club),
}


def _read_array(file: Path, name: str, data: Any, base: Path, environ: Mapping[str, str]) -> tuple:
    keys, reader = ARRAYS[name]
    if not isinstance(data, list):
        raise ConfigError("config-not-array", file=file, key=name)
    entries = tuple(reader(_Section(file, f"{name}[{n}]", item, base, environ, keys)) for n, item in enumerate(data, 1))
    if name == "clubs":
        from .clubs import location_key

        seen: dict[str, str] = {}
        for entry in entries:
            key = location_key(entry.source)
            if key in seen:
                raise ConfigError("config-duplicate-club", file=file, key=f"{entry.origin}.source", other=f"{seen[key]}.source", value=entry.source)
            seen[key] = entry.origin
    return entries


def load_config(path: str | Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
    """Read and check the config file; with no ``path``, ``$SHEETS_SYNC_CONFIG`` or ./sheets-sync.toml.

    With no path and no default file, returns the defaults (no [smtp]).
    Raises :class:`ConfigError` naming the file and key for anything wrong.
    """
    environ = os.environ if environ is None else environ
    if path is None:
        path = environ.get("SHEETS_SYNC_CONFIG") or None
        if path is None:
            if not Path(DEFAULT_FILE).is_file():
                return Config()
            path = DEFAULT_FILE
    file = Path(path)
    try:
        data = tomllib.loads(file.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError("config-not-found", file=file) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        detail = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise ConfigError("config-unreadable", file=file, detail=detail) from None
    for name in data:
        if name not in SECTIONS and name not in ARRAYS:
            valid = ", ".join([*(f"[{s}]" for s in SECTIONS), *(f"[[{a}]]" for a in ARRAYS)])
            raise ConfigError("config-unknown-key", file=file, key=name, valid=valid)
    base = file.parent
    sections: dict[str, Any] = {name: reader(_Section(file, name, data[name], base, environ, keys)) for name, (keys, reader) in SECTIONS.items() if name in data}
    sections.update({name: _read_array(file, name, data[name], base, environ) for name in ARRAYS if name in data})
    if "state" not in sections:
        sections["state"] = StateSettings(path=base / "sheets-sync.sqlite")
    return Config(file=file, **sections)
