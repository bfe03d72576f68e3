"""In-memory spreadsheets: the state the local server reads and changes.

One :class:`Store` holds every :class:`Spreadsheet` (properties, Drive
metadata, who may open it) and its :class:`Sheet` tabs (grid size, sparse
cells, merges, protected ranges, filters).  Cells keep only what a user sets
(``userEnteredValue``, ``userEnteredFormat``, ``note``, ``dataValidation``...);
effective and formatted values are worked out when they are read
(:mod:`render`).  All access goes through ``Store.lock``: the HTTP server is
threaded.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import string
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import a1
from .errors import invalid_request, not_found, permission_denied
from .values import parse_user_entered, quantize_color

__all__ = ["DEFAULT_CALLER", "SHEET_MIME", "Frozen", "Sheet", "Spreadsheet", "Store", "rfc3339", "thaw"]

SHEET_MIME = "application/vnd.google-apps.spreadsheet"
DEFAULT_CALLER = "sheets-sync@sheets-sync-local.iam.gserviceaccount.com"

# What Google puts in every new spreadsheet's properties (copied from the recordings).
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
SPREADSHEET_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": name, "color": {"rgbColor": rgb}} for name, rgb in _THEME_COLORS],
}

_COLOR_KEYS = frozenset(
    {"backgroundColor", "foregroundColor", "tabColor", "color", "rgbColor", "visibleBackgroundColor", "visibleForegroundColor"}
)


def rfc3339(moment: dt.datetime) -> str:
    """``2026-10-05T01:02:03.456Z``: Drive's timestamp format (UTC, milliseconds)."""
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def normalise_colors(value: Any, key: str | None = None) -> Any:
    """Quantise every colour channel to 8 bits and drop zero channels, as Sheets stores them."""
    if isinstance(value, dict):
        if key in _COLOR_KEYS and not ({"rgbColor", "themeColor"} & value.keys()):
            out = {}
            for channel, amount in value.items():
                if channel in ("red", "green", "blue") and isinstance(amount, (int, float)):
                    amount = quantize_color(amount)
                    if amount == 0:
                        continue
                    if float(amount).is_integer():
                        amount = int(amount)
                out[channel] = amount
            return out
        return {k: normalise_colors(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_colors(item, key) for item in value]
    return value


class Frozen(dict):
    """A stored cell (or a part of one) shared by many cells: never changed in place.

    Bulk seeding (:mod:`seed`) stores one ``Frozen`` per distinct cell, which
    keeps a thousand clubs in a few hundred MB; :meth:`Sheet.cell` hands out a
    private :func:`thaw`-ed copy before anything changes it.
    """

    __slots__ = ()


def thaw(value: Any) -> Any:
    """A plain, private copy of a :class:`Frozen` value (other values as they are)."""
    if isinstance(value, Frozen):
        return {key: thaw(item) for key, item in value.items()}
    return value


class Sheet:
    """One tab: properties (as Google's SheetProperties JSON) plus its grid."""

    def __init__(self, sheet_id: int, title: str, rows: int = 1000, cols: int = 26) -> None:
        self.properties: dict[str, Any] = {
            "sheetId": sheet_id,
            "title": title,
            "index": 0,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": cols},
        }
        self.cells: dict[tuple[int, int], dict[str, Any]] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.protected_ranges: list[dict[str, Any]] = []
        self.basic_filter: dict[str, Any] | None = None
        self.row_meta: dict[int, dict[str, Any]] = {}
        self.col_meta: dict[int, dict[str, Any]] = {}

    @property
    def sheet_id(self) -> int:
        return int(self.properties.get("sheetId", 0))

    @property
    def title(self) -> str:
        return str(self.properties.get("title", ""))

    @property
    def rows(self) -> int:
        return int(self.properties["gridProperties"].get("rowCount", 0))

    @property
    def cols(self) -> int:
        return int(self.properties["gridProperties"].get("columnCount", 0))

    def set_size(self, rows: int, cols: int) -> None:
        """Resize the grid; cells, merges and metadata beyond it are dropped."""
        grid = self.properties["gridProperties"]
        grid["rowCount"], grid["columnCount"] = rows, cols
        self.cells = {(r, c): v for (r, c), v in self.cells.items() if r < rows and c < cols}
        self.merges = [m for m in self.merges if m[1] <= rows and m[3] <= cols]
        self.row_meta = {r: v for r, v in self.row_meta.items() if r < rows}
        self.col_meta = {c: v for c, v in self.col_meta.items() if c < cols}

    def cell(self, row: int, col: int) -> dict[str, Any]:
        """The stored cell, created empty if needed, safe to change (call :meth:`prune` after changing it)."""
        cell = self.cells.get((row, col))
        if cell is None:
            cell = self.cells[(row, col)] = {}
        elif type(cell) is Frozen:  # shared with other cells: change a copy
            cell = self.cells[(row, col)] = thaw(cell)
        return cell

    def prune(self, row: int, col: int) -> None:
        if not self.cells.get((row, col), True):
            del self.cells[(row, col)]

    def has_value(self, row: int, col: int) -> bool:
        return "userEnteredValue" in self.cells.get((row, col), {})

    def check_inside(self, r0: int, r1: int, c0: int, c1: int) -> None:
        """400 like Google when a range reaches past the grid."""
        if r1 > self.rows or c1 > self.cols or r0 < 0 or c0 < 0:
            shown = f"{repr_title(self.title)}!{a1.format_a1(r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))}"
            raise invalid_request(
                f"Range ({shown}) exceeds grid limits. Max rows: {self.rows}, max columns: {self.cols}"
            )


def repr_title(title: str) -> str:
    """Google quotes the title in grid-limit messages: ``'Sheet1'``."""
    return "'" + title.replace("'", "''") + "'"


class Spreadsheet:
    """A spreadsheet file: Sheets properties, tabs, and the Drive side (times, owner, sharing)."""

    def __init__(self, spreadsheet_id: str, title: str, created: dt.datetime, owner: str) -> None:
        self.id = spreadsheet_id
        self.properties: dict[str, Any] = {
            "title": title,
            "locale": "en_US",
            "autoRecalc": "ON_CHANGE",
            "timeZone": "Etc/GMT",
            "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
            "spreadsheetTheme": copy.deepcopy(SPREADSHEET_THEME),
        }
        self.sheets: list[Sheet] = []
        self.named_ranges: list[dict[str, Any]] = []
        self.created_time = created
        self.modified_time = created
        self.owner_email = owner
        #: Who made the last change (Drive's lastModifyingUser): the creator, then each writer.
        self.last_modifying_user = owner
        # None: the caller may open it; a set: only those emails may.
        self.access: set[str] | None = None
        self.permissions: list[dict[str, Any]] = []
        self.parents: list[str] = ["root"]
        self.version = 1

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def locale(self) -> str:
        return str(self.properties.get("locale", "en_US"))

    def sheet_by_id(self, sheet_id: int, where: str | None = None) -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        prefix = f"Invalid {where}: " if where else ""
        raise invalid_request(f"{prefix}No grid with id: {sheet_id}")

    def sheet_by_title(self, title: str) -> Sheet | None:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        folded = title.casefold()
        for sheet in self.sheets:
            if sheet.title.casefold() == folded:
                return sheet
        return None

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def resolve(self, text: str) -> tuple[Sheet, int, int, int, int]:
        """An A1 range (or a tab title, or a named range) as ``(sheet, r0, r1, c0, c1)``.

        Open ends are closed at the grid's edge.  Raises 400 "Unable to parse
        range" the way Google does for anything it cannot read.
        """
        fail = invalid_request(f"Unable to parse range: {text}")
        try:
            title, part = a1.split_range(text)
        except ValueError:
            raise fail from None
        if title is not None:
            sheet = self.sheet_by_title(title)
            if sheet is None:
                raise fail
            if part is None:
                return (sheet, 0, sheet.rows, 0, sheet.cols)
            try:
                bounds = a1.parse_a1(part)
            except ValueError:
                named = self._named(part)
                if named is None:
                    raise fail from None
                return named
            return (sheet, *bounds.clip(sheet.rows, sheet.cols))
        sheet = self.sheet_by_title(text)
        if sheet is not None:
            return (sheet, 0, sheet.rows, 0, sheet.cols)
        named = self._named(text)
        if named is not None:
            return named
        try:
            bounds = a1.parse_a1(text)
        except ValueError:
            raise fail from None
        first = self.sheets[0]
        return (first, *bounds.clip(first.rows, first.cols))

    def _named(self, name: str) -> tuple[Sheet, int, int, int, int] | None:
        for named in self.named_ranges:
            if named["name"].casefold() == name.casefold():
                return self.grid_range(named.get("range", {}))
        return None

    def grid_range(self, grid: Mapping[str, Any], where: str | None = None) -> tuple[Sheet, int, int, int, int]:
        """A GridRange JSON object as ``(sheet, r0, r1, c0, c1)``; missing ends mean the edge."""
        sheet = self.sheet_by_id(int(grid.get("sheetId", 0)), where)
        r0 = int(grid.get("startRowIndex", 0))
        r1 = int(grid.get("endRowIndex", sheet.rows))
        c0 = int(grid.get("startColumnIndex", 0))
        c1 = int(grid.get("endColumnIndex", sheet.cols))
        if r0 > r1 or c0 > c1:
            prefix = f"Invalid {where}: " if where else ""
            raise invalid_request(f"{prefix}The start index must be less than or equal to the end index.")
        return sheet, r0, r1, c0, c1

    def echo(self, sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> str:
        """The range the way Google echoes it: ``Sheet1!A1:D2``."""
        return a1.format_range(sheet.title, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))


class Store:
    """Every spreadsheet the server knows, the caller's identity, ids and the clock."""

    def __init__(
        self,
        caller_email: str = DEFAULT_CALLER,
        clock: Callable[[], dt.datetime] | None = None,
        seed: int | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.caller_email = caller_email
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.rng = random.Random(seed)
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self._last_time: dt.datetime | None = None
        # Sharing e-mails Drive would have sent (permissions.create), newest last.
        self.notifications: list[dict[str, Any]] = []

    # --- ids and time --------------------------------------------------------

    def now(self) -> dt.datetime:
        """The clock, made strictly increasing (1 ms steps) so every write shows."""
        moment = self._clock().astimezone(dt.timezone.utc)
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
        if self._last_time is not None and moment <= self._last_time:
            moment = self._last_time + dt.timedelta(milliseconds=1)
        self._last_time = moment
        return moment

    def new_spreadsheet_id(self) -> str:
        alphabet = string.ascii_letters + string.digits + "-_"
        while True:
            candidate = "1" + "".join(self.rng.choice(alphabet) for _ in range(43))
            if candidate not in self.spreadsheets:
                return candidate

    def new_int_id(self, taken: Iterable[int]) -> int:
        used = set(taken)
        while True:
            candidate = self.rng.randrange(1, 2**31 - 1)
            if candidate not in used:
                return candidate

    # --- lookup and access -----------------------------------------------------

    def get(self, spreadsheet_id: str) -> Spreadsheet:
        """The spreadsheet if the caller may open it; 404 / 403 as Sheets answers otherwise."""
        spreadsheet = self.spreadsheets.get(spreadsheet_id)
        if spreadsheet is None:
            raise not_found()
        if not self.can_open(spreadsheet):
            raise permission_denied()
        return spreadsheet

    def can_open(self, spreadsheet: Spreadsheet, email: str | None = None) -> bool:
        email = email or self.caller_email
        return spreadsheet.access is None or email in spreadsheet.access

    def touch(self, spreadsheet: Spreadsheet) -> None:
        """Record a write by the caller: Drive's modifiedTime and lastModifyingUser move on."""
        spreadsheet.modified_time = self.now()
        spreadsheet.last_modifying_user = self.caller_email
        spreadsheet.version += 1

    # --- creation --------------------------------------------------------------

    def create(
        self,
        title: str,
        *,
        sheets: Mapping[str, Any] | None = None,
        notes: Mapping[str, Mapping[str, str]] | None = None,
        backgrounds: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
        owner_email: str | None = None,
        shared: bool | Iterable[str] = True,
        value_input: str = "USER_ENTERED",
        spreadsheet_id: str | None = None,
    ) -> Spreadsheet:
        """Make a spreadsheet directly (test set-up), as if a person had typed it in.

        ``sheets`` maps tab titles to rows of values (typed in the way
        ``value_input`` says); ``notes`` and ``backgrounds`` map tab titles to
        ``{"A1": ...}``.  ``shared``: True lets the caller open it, False lets
        nobody, a set of emails lets only those.
        """
        now = self.now()
        spreadsheet = Spreadsheet(spreadsheet_id or self.new_spreadsheet_id(), title, now, owner_email or self.caller_email)
        spreadsheet.properties["locale"] = locale
        spreadsheet.properties["timeZone"] = time_zone
        if shared is True:
            spreadsheet.access = None
        elif shared is False:
            spreadsheet.access = set()
        else:
            spreadsheet.access = set(shared)
        tabs = dict(sheets or {"Sheet1": []})
        for index, (tab, rows) in enumerate(tabs.items()):
            rows = [list(row) for row in rows or []]
            height = max(1000, len(rows))
            width = max([26] + [len(row) for row in rows])
            sheet = Sheet(0 if index == 0 else self.new_int_id(s.sheet_id for s in spreadsheet.sheets), tab, height, width)
            spreadsheet.sheets.append(sheet)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    write_value(sheet, r, c, value, value_input, locale)
        for tab, cells in (notes or {}).items():
            sheet = _tab(spreadsheet, tab)
            for ref, note in cells.items():
                bounds = a1.parse_a1(ref)
                sheet.cell(bounds.start_row, bounds.start_col)["note"] = note
        for tab, cells in (backgrounds or {}).items():
            sheet = _tab(spreadsheet, tab)
            for ref, color in cells.items():
                bounds = a1.parse_a1(ref)
                fmt = sheet.cell(bounds.start_row, bounds.start_col).setdefault("userEnteredFormat", {})
                rgb = normalise_colors(dict(color), "backgroundColor")
                fmt["backgroundColor"] = rgb
                fmt["backgroundColorStyle"] = {"rgbColor": copy.deepcopy(rgb)}
        spreadsheet.reindex()
        self.spreadsheets[spreadsheet.id] = spreadsheet
        return spreadsheet

    def delete(self, spreadsheet_id: str) -> None:
        self.spreadsheets.pop(spreadsheet_id, None)

    def copy(self, source: Spreadsheet, title: str) -> Spreadsheet:
        """A full copy under a new id, owned by the caller, as Drive's files.copy makes."""
        clone = copy.deepcopy(source)
        clone.id = self.new_spreadsheet_id()
        clone.properties["title"] = title
        clone.created_time = clone.modified_time = self.now()
        clone.owner_email = clone.last_modifying_user = self.caller_email
        clone.access = None
        clone.permissions = []
        self.spreadsheets[clone.id] = clone
        return clone


def _tab(spreadsheet: Spreadsheet, title: str) -> Sheet:
    sheet = spreadsheet.sheet_by_title(title)
    if sheet is None:
        raise KeyError(f"no tab {title!r} in {spreadsheet.title!r}")
    return sheet


def write_value(sheet: Sheet, row: int, col: int, value: Any, value_input: str, locale: str) -> bool:
    """Write one value as values.update does; returns False when ``value`` is null (skipped).

    RAW keeps text verbatim (even ``=1+1``); USER_ENTERED reads it as typed:
    numbers, dates and percentages get a number and their numberFormat.
    """
    if value is None:
        return False
    if value_input == "RAW":
        if isinstance(value, bool):
            entered: dict[str, Any] | None = {"boolValue": value}
        elif isinstance(value, (int, float)):
            entered = {"numberValue": value}
        else:
            entered = {"stringValue": str(value)} if str(value) != "" else None
        number_format = None
    else:
        entered, number_format = parse_user_entered(value, locale)
    cell = sheet.cell(row, col)
    if entered is None:
        cell.pop("userEnteredValue", None)
    else:
        cell["userEnteredValue"] = entered
    if number_format is not None:
        cell.setdefault("userEnteredFormat", {})["numberFormat"] = number_format
    sheet.prune(row, col)
    return True

