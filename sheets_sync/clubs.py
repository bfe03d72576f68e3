"""Which clubs a run works on, how to reach each one, and who gets its mail.

The clubs come from ``[[clubs]]`` in the config file and from a registry: a
Google Sheet or .xlsx with a tab **Danh sách CLB** (Tên CLB, Link, Email Chủ
nhiệm, Tỉnh, Huyện, Xã, Đang hoạt động; English headers accepted), so a
coordinator adds a club by adding a row.  A club listed in both is one club:
the config's values win, the registry fills in the rest (province, district,
commune).  A registry row that cannot be used is reported, never fatal; a
row marked Đang hoạt động = Không / No / false is skipped.

A club is known by :func:`location_key` (its spreadsheet key, or its file's
absolute path): the state file records mail, seen problems and runs under
that key, so two clubs with the same name never mix.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, MailError, TabNotFound
from .grid import RawTab
from .values import clean_text, fold, strip_diacritics

if TYPE_CHECKING:
    from .club import Club
    from .config import Config
    from .rules import RuleSet
    from .sources import Source

__all__ = [
    "ClubEntry", "ClubList", "RegistryProblem", "GoogleAccess", "REGISTRY_TAB", "REGISTRY_COLUMNS",
    "location_key", "config_entries", "read_registry", "merge_entries", "list_clubs", "open_entry", "recipients",
]

REGISTRY_TAB = ("Danh sách CLB", "Clubs", "Club list")
#: Registry column id -> accepted headers (matched ignoring case, spaces and diacritics).
REGISTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Tên CLB", "Club name", "Tên câu lạc bộ"),
    "link": ("Link", "Liên kết", "Sheet", "Source", "Nguồn"),
    "chair_email": ("Email Chủ nhiệm", "Chair email"),
    "province": ("Tỉnh", "Province", "Tỉnh/Thành phố"),
    "district": ("Huyện", "District", "Quận/Huyện"),
    "commune": ("Xã", "Commune", "Xã/Phường"),
    "active": ("Đang hoạt động", "Active"),
    "language": ("Ngôn ngữ", "Language", "Ngôn ngữ báo cáo"),
}
_NO = {"khong", "no", "false", "0", "n", "ngung", "ngung hoat dong"}
_YES = {"", "co", "yes", "true", "1", "y", "x", "dang hoat dong"}
_LANGUAGES = {"vi": "vi", "tieng viet": "vi", "vietnamese": "vi", "en": "en", "english": "en", "tieng anh": "en"}


def _fold(text: object) -> str:
    return strip_diacritics(fold(text))


def _key(text: object) -> str:
    return "".join(_fold(text).split())


def location_key(location: str | Path) -> str:
    """How a club is known: "google:<spreadsheet key>", or "file:<absolute path>"."""
    from .sources.google import is_google_location, spreadsheet_key

    if is_google_location(location):
        return "google:" + spreadsheet_key(str(location))
    return "file:" + str(Path(location).expanduser().resolve())


@dataclass(frozen=True)
class ClubEntry:
    """One club to work on: where its workbook is, and what the config or registry says of it."""

    location: str
    name: str | None = None
    chair_email: str | None = None
    language: str | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    active: bool = True
    #: Where it was listed, for messages: "clubs[2]" or "Danh sách CLB, dòng 5".
    origin: str = ""

    @property
    def key(self) -> str:
        return location_key(self.location)

    @property
    def label(self) -> str:
        """The club's name if known before opening it, else where it is."""
        return self.name or self.location

    @property
    def link(self) -> str:
        """A link to open the workbook: a Sheets URL for a bare key, else the location."""
        from .sources.google import is_google_location, spreadsheet_key

        if is_google_location(self.location) and not self.location.startswith("https://"):
            return f"https://docs.google.com/spreadsheets/d/{spreadsheet_key(self.location)}/edit"
        return self.location


@dataclass(frozen=True)
class RegistryProblem:
    """A registry row that could not be used as is: ``code`` is an i18n message, ``params`` fill it."""

    row: int
    code: str
    params: dict[str, Any]

    def message(self, lang: str = "vi") -> str:
        from . import i18n

        return i18n.t(self.code, lang, row=self.row, **self.params)


class ClubList(list):
    """The clubs (a list of :class:`ClubEntry`), with the registry rows that were skipped or corrected."""

    def __init__(self, entries=(), problems=()) -> None:
        super().__init__(entries)
        self.problems: list[RegistryProblem] = list(problems)


# --- reaching a club's workbook ------------------------------------------------------------


class GoogleAccess:
    """The Google clients of a whole run: one per service account (each its own rate limit and token).

    Clients are made when a Google club first needs one.  With several
    accounts (``[google] credentials_files``) the quota adds up: after
    :meth:`listing`, each club is read through an account its sheet is shared
    with, the least busy one; before it (or for a sheet no account lists), the
    club's key picks one.  Without a key (and no local server) every Google club
    fails with the same ConfigError, and the .xlsx clubs go on.
    """

    def __init__(self, credentials: str | Path | None | tuple | list = None) -> None:
        accounts = list(credentials) if isinstance(credentials, (tuple, list)) else [credentials]
        self.accounts: list[str | Path | None] = accounts or [None]
        self.credentials = self.accounts[0]
        self._lock = threading.Lock()
        self._clients: dict[int, tuple[Any, str | None]] = {}
        self._errors: dict[int, Exception] = {}
        self._assigned: dict[str, int] = {}

    def client(self, account: int = 0) -> tuple[Any, str | None]:
        """(gspread client, service account email); raises the ConfigError of a missing or bad key."""
        from .sources.google import google_client

        with self._lock:
            if account not in self._clients and account not in self._errors:
                try:
                    self._clients[account] = google_client(self.accounts[account])
                except ConfigError as err:
                    self._errors[account] = err
            if account in self._errors:
                raise self._errors[account]
            return self._clients[account]

    def listing(self) -> dict[str, Any]:
        """Drive's view of every sheet the accounts can open (key -> DriveFile), one listing per account.

        Also assigns each sheet to the least busy account that lists it.  An
        account whose listing fails is left out (its clubs are simply read).
        """
        import logging

        from .sources.google import drive_listing

        files: dict[str, Any] = {}
        load = [0] * len(self.accounts)
        for account in range(len(self.accounts)):
            try:
                client, _ = self.client(account)
                listed = drive_listing(client)
            except Exception as err:  # a listing is an optimisation: without it, every club is read
                logging.getLogger("sheets_sync.jobs").warning("Drive listing for account %d failed: %s", account + 1, err)
                continue
            for key, file in listed.items():
                files.setdefault(key, file)
                if key not in self._assigned or load[account] < load[self._assigned[key]]:
                    if key in self._assigned:
                        load[self._assigned[key]] -= 1
                    self._assigned[key] = account
                    load[account] += 1
        return files

    def account_for(self, location: str) -> int:
        """Which account reads ``location``: as assigned by the listing, else picked by its key."""
        import zlib

        from .sources.google import spreadsheet_key

        key = spreadsheet_key(location)
        if key in self._assigned:
            return self._assigned[key]
        return zlib.crc32(key.encode()) % len(self.accounts)

    def source(self, location: str, lang: str = "vi") -> Source:
        """The source for ``location``: a GoogleSheet sharing this run's client, or an .xlsx file."""
        from .sources import google

        if google.is_google_location(location):
            client, email = self.client(self.account_for(location))
            return google.GoogleSheet(location, client=client, service_account_email=email, lang=lang)
        from .sources import xlsx  # here: openpyxl takes a quarter of a second to load

        return xlsx.XlsxFile(Path(location))


def open_entry(entry: ClubEntry, *, today, rules: RuleSet, google: GoogleAccess, lang: str = "vi") -> Club:
    """Read and check one club; its messages (notes, Kiểm tra) in the club's own language.

    The language is the entry's (config or registry), else the club's
    "Ngôn ngữ báo cáo" setting, else ``lang``.  Raises SourceError when the
    workbook cannot be used.
    """
    from .club import check_workbook
    from .workbook import read_settings

    source = google.source(entry.location, lang)
    raw = source.read()
    # The language first (one small tab), so that the workbook is checked once.
    wanted = entry.language or read_settings(raw, rules).get("language") or lang
    return check_workbook(raw, rules, today, wanted, source)


def club_language(club: Club, entry: ClubEntry | None = None) -> str:
    """The language of a club's mail: the entry's, else its Settings' "Ngôn ngữ báo cáo", else vi."""
    return (entry.language if entry else None) or club.workbook.settings.get("language") or "vi"


def recipients(club: Club, entry: ClubEntry | None = None, *, kind: str = "monthly") -> list[str]:
    """Who gets a club's mail.

    ``monthly``: the chair (the entry's chair_email, else Email Chủ nhiệm)
    and every Email nhận thêm.  ``digest`` (data problems, for the people who
    enter data): Email nhận thêm, else the chair.
    """
    settings = club.workbook.settings
    chair = (entry.chair_email if entry else None) or settings.get("chair_email")
    extra = [a for a in (settings.get("extra_emails") or ()) if a]
    if kind == "digest":
        return extra or ([chair] if chair else [])
    return [a for a in (chair, *extra) if a]


# --- where the clubs are listed -------------------------------------------------------------


def config_entries(config: Config) -> list[ClubEntry]:
    """The ``[[clubs]]`` of the config file, inactive ones included."""
    return [
        ClubEntry(location=c.source, name=c.name, chair_email=c.chair_email, language=c.language, active=c.active, origin=c.origin)
        for c in config.clubs
    ]


def _find_tab(tabs: list[RawTab], location: str) -> RawTab:
    wanted = {_key(name) for name in REGISTRY_TAB}
    for tab in tabs:
        if _key(tab.title) in wanted:
            return tab
    titles = ", ".join(f'"{t.title}"' for t in tabs) or "-"
    raise TabNotFound(tab=REGISTRY_TAB[0], alias=REGISTRY_TAB[1], path=location, tabs=titles)


def _columns(tab: RawTab, location: str) -> dict[str, int]:
    header = tab.rows[0] if tab.rows else []
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _key(cell.value)
        for column, names in REGISTRY_COLUMNS.items():
            if key and column not in found and key in {_key(n) for n in names}:
                found[column] = index
    if "link" not in found:
        raise ConfigError("registry-no-link-column", path=location, tab=tab.title, names=", ".join(f'"{n}"' for n in REGISTRY_COLUMNS["link"]))
    return found


def read_registry(location: str, *, google: GoogleAccess, base: Path | None = None) -> ClubList:
    """The clubs listed in the registry at ``location`` (inactive rows included), and the rows not usable.

    A relative Link is relative to the registry's folder (an .xlsx registry)
    or to ``base``.  Raises SourceError / TabNotFound / ConfigError when the
    registry itself cannot be used.
    """
    from .mail import parse_address
    from .sources.google import is_google_location

    raw = google.source(location).read()
    tab = _find_tab(raw.tabs, location)
    columns = _columns(tab, location)
    folder = Path(location).parent if not is_google_location(location) else (base or Path.cwd())
    entries: list[ClubEntry] = []
    problems: list[RegistryProblem] = []
    for number, cells in enumerate(tab.rows[1:], start=2):
        value = {c: clean_text(cells[i].value) if i < len(cells) else "" for c, i in columns.items()}
        if not any(value.values()):
            continue
        name = value.get("name") or None
        label = name or "-"
        link = value.get("link", "")
        if not link:
            problems.append(RegistryProblem(number, "registry-row-no-link", {"name": label}))
            continue
        if not is_google_location(link):
            path = Path(link).expanduser()
            link = str(path if path.is_absolute() else folder / path)
        chair = value.get("chair_email") or None
        if chair:
            try:
                chair = parse_address(chair)
            except MailError:
                problems.append(RegistryProblem(number, "registry-row-bad-email", {"name": label, "value": chair}))
                chair = None
        active_text = _fold(value.get("active", ""))
        if active_text not in _NO and active_text not in _YES:
            problems.append(RegistryProblem(number, "registry-row-bad-active", {"name": label, "value": value.get("active")}))
        language = _LANGUAGES.get(_fold(value.get("language", ""))) if value.get("language") else None
        entries.append(ClubEntry(
            location=link, name=name, chair_email=chair, language=language,
            province=value.get("province") or None, district=value.get("district") or None, commune=value.get("commune") or None,
            active=active_text not in _NO, origin=f"{tab.title}, {number}",
        ))
    return ClubList(entries, problems)


def merge_entries(*groups: list[ClubEntry]) -> list[ClubEntry]:
    """One entry per workbook, in first-listed order; the first listing's values win, later ones fill gaps.

    Inactive clubs are left out (a club made inactive in the config stays out
    even if the registry lists it as active).
    """
    merged: dict[str, ClubEntry] = {}
    for group in groups:
        for entry in group:
            key = entry.key
            if key not in merged:
                merged[key] = entry
                continue
            first = merged[key]
            gaps = {f.name: getattr(entry, f.name) for f in dataclasses.fields(ClubEntry)
                    if f.name not in ("location", "active", "origin") and getattr(first, f.name) is None}
            merged[key] = dataclasses.replace(first, **gaps, active=first.active and entry.active)
    return [e for e in merged.values() if e.active]


def list_clubs(config: Config, *, google: GoogleAccess | None = None) -> ClubList:
    """Every active club of ``config``: its ``[[clubs]]`` and its registry's rows, duplicates merged.

    Raises ConfigError when the config lists no club at all, and the
    registry's error when it cannot be read (the jobs catch that one and go on
    with the config's clubs).
    """
    if not config.clubs and config.registry is None:
        raise ConfigError("config-no-clubs", file=config.file or "sheets-sync.toml")
    google = google or GoogleAccess(config.google.accounts)
    registry = ClubList()
    if config.registry is not None:
        base = config.file.parent if config.file else None
        registry = read_registry(config.registry.source, google=google, base=base)
    return ClubList(merge_entries(config_entries(config), registry), registry.problems)
