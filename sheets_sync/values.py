"""Reading cell values the way club staff really type them.

Staff type dates day first, money as "1.000.000", "1,5 triệu" or "2tr5", text
in NFC or NFD with stray and non-breaking spaces.  Every ``parse_*`` function
either returns the value or raises :class:`Unreadable` (never anything else),
so the caller can report the problem on its cell.  Blank cells are the
caller's business: check :func:`is_blank` first.  No I/O here.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
import unicodedata
from decimal import Decimal, Context, MAX_EMAX, MAX_PREC, MIN_EMIN
from typing import Literal, Mapping, Sequence

#: How the source says a cell is formatted: a number shown as a date, a
#: fraction shown as a percentage, or a formula error.
Kind = Literal["date", "percent", "error"] | None

# Decimal's default context rounds to 28 digits; amounts must stay exact.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

_ERRORS = frozenset(e.casefold() for e in ("#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!",
                                            "#NULL!", "#ERROR!", "#SPILL!", "#CALC!", "#GETTING_DATA"))

# (kind, reason) -> rule slug; anything else is "invalid-<kind>".
_RULES = {("money", "fraction"): "fractional-money", ("money", "negative"): "negative-money",
          ("percent", "negative"): "negative-percent", ("integer", "fraction"): "fractional-number",
          ("integer", "negative"): "negative-number", ("choice", "unreadable"): "not-in-list",
          ("phone", "number"): "phone-as-number"}


class Unreadable(Exception):
    """A cell value that cannot be read as its column's type.

    ``kind``: the column type ("date", "money"...); ``reason``: a slug such as
    "unreadable", "formula-error", "negative", "fraction", "no-such-date";
    ``details``: what a message may need, e.g. ``choices``.
    """

    def __init__(self, kind: str, reason: str = "unreadable", **details):
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
        self.details = details

    @property
    def rule(self) -> str:
        """The rule slug the problem is reported under."""
        if self.reason == "formula-error":
            return "formula-error"
        return _RULES.get((self.kind, self.reason), f"invalid-{self.kind}")


# ---------------------------------------------------------------- text

# Zero-width characters come with text pasted from the web and are invisible
# to staff, so they must not make two spellings differ.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def _decimal(number) -> Decimal:
    """An int, float or Decimal as a Decimal."""
    # repr is the shortest text giving the same float: 0.007, not 0.00700000000000000015.
    if isinstance(number, numbers.Integral):
        return Decimal(int(number))
    return number if isinstance(number, Decimal) else Decimal(repr(float(number)))


def _plain(number) -> str:
    """A number as plain text: 1234.0 -> "1234", 12.5 -> "12.5", no exponent."""
    d = _decimal(number)
    if not d.is_finite():
        return str(number)
    return "0" if d.is_zero() else format(_EXACT.normalize(d), "f")


def format_date(d: dt.date) -> str:
    """A date as staff write it: "05/10/2026"."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


_SPACES = re.compile(r"\s+")


def clean_text(value) -> str:
    """The value as tidy NFC text: any run of spaces is one space, stripped.

    None -> "", numbers -> plain text, dates -> dd/mm/yyyy, booleans -> TRUE/FALSE.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_str(value)
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, (int, float, Decimal, numbers.Real)):
        text = _plain(value)
    elif isinstance(value, dt.date):
        text = format_date(value)
    else:
        text = str(value)
    return _clean_str(text)


#: Room for the distinct texts of the few clubs a run works on at once, not
#: more: a run over thousands of clubs must not grow with them.
TEXT_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=TEXT_CACHE_SIZE)
def _clean_str(text: str) -> str:
    # A club's sheet repeats the same few hundred texts thousands of times.
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    # \s also matches the non-breaking spaces U+00A0, U+202F and U+2007.
    return _SPACES.sub(" ", text).strip()


def fold(value) -> str:
    """clean_text, casefolded: the form two spellings are compared in."""
    return _fold_str(clean_text(value))


@functools.lru_cache(maxsize=TEXT_CACHE_SIZE)
def _fold_str(text: str) -> str:
    return unicodedata.normalize("NFC", text.casefold())


def strip_diacritics(text: str) -> str:
    """ "Đã hỗ trợ" -> "Da ho tro"."""
    # đ/Đ is a letter of its own, not d plus a mark: NFD leaves it alone.
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def _key(value) -> str:
    """Folded and without diacritics, for reading unit words and patterns."""
    return strip_diacritics(fold(value))


def is_blank(value) -> bool:
    """True for None, "" and text of only spaces (NaN too: pandas' empty cell)."""
    if value is None:
        return True
    if value.__class__ is str:  # the common case first: this runs for every cell
        return _clean_str(value) == ""
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and clean_text(value) == ""


def display(value, kind: Kind = None) -> str:
    """How a raw cell value looks to the user in a message."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, (numbers.Real, Decimal)):
        number = Decimal(_plain(value))
        if kind == "percent" and number.is_finite():  # the sheet shows 0.01 as 1%
            return _plain(_EXACT.multiply(number, 100)) + "%"
        if kind == "date" and number.is_finite() and 1 <= number <= _MAX_SERIAL:
            return format_date(excel_serial_to_date(float(number)))
        return _plain(value)
    return unicodedata.normalize("NFC", str(value))


def _is_error(value, kind: Kind) -> bool:
    """A formula error: flagged by the source, or its literal text (a CSV, a pasted value)."""
    return kind == "error" or (isinstance(value, str) and fold(value) in _ERRORS)


def _prepare(value, kind: Kind, column: str, **details) -> None:
    """Raise for a formula error or a blank value, the same for every type."""
    if _is_error(value, kind):
        raise Unreadable(column, "formula-error", **details)
    if is_blank(value):
        raise Unreadable(column, **details)


def _numeric(value, column: str) -> Decimal | None:
    """The value as a Decimal when the cell holds a number, else None."""
    if isinstance(value, bool):
        raise Unreadable(column)  # a checkbox, not a number
    if not isinstance(value, (numbers.Real, Decimal)):
        return None
    number = _decimal(value)
    if not number.is_finite():
        raise Unreadable(column)
    return number


def _whole(number: Decimal, column: str) -> int:
    """A non-negative whole number; float noise within 1e-6 is rounded away."""
    nearest = number.to_integral_value()
    if abs(_EXACT.subtract(number, nearest)) <= Decimal("1e-6"):
        number = nearest
    if number < 0:
        raise Unreadable(column, "negative")
    if number != nearest:
        raise Unreadable(column, "fraction")
    return int(number)


def parse_text(value, kind: Kind = None) -> str:
    """clean_text of the value; raises only for a formula error."""
    if _is_error(value, kind):
        raise Unreadable("text", "formula-error")
    return clean_text(value)


# ---------------------------------------------------------------- dates

_EPOCH = dt.date(1899, 12, 30)  # Google Sheets, and Excel's 1900 system after its fake 29/02/1900
_MAX_SERIAL = 2958465  # 31/12/9999
_TIME = re.compile(r"(?:\s+|t)\d{1,2}(?:h\d{0,2}|(?::\d{2}){1,2}(?:\.\d+)?)(?:\s*(?:am|pm|sa|ch))?$")
_DMY = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d+)")
_YMD = re.compile(r"(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|,)?\s*(\d+)")


def excel_serial_to_date(serial: float) -> dt.date:
    """The day of a sheet date serial (43831 -> 2020-01-01); ValueError outside 1..2958465."""
    if not (isinstance(serial, numbers.Real) and 1 <= serial <= _MAX_SERIAL):
        raise ValueError(f"not a date serial: {serial!r}")
    return _EPOCH + dt.timedelta(days=math.floor(serial))


def _serial_date(number: Decimal, kind: Kind) -> dt.date:
    # A bare 2026 in a column not formatted as a date is a year, not 18/07/1905.
    if kind != "date" and number == number.to_integral_value() and 1900 <= number <= 2200:
        raise Unreadable("date", "year-only")
    if not 1 <= number <= _MAX_SERIAL:
        raise Unreadable("date")
    return excel_serial_to_date(float(number))


def _ymd(year: str, month: str, day: str) -> dt.date:
    if len(year) == 2:
        raise Unreadable("date", "short-year")  # 26: 1926 or 2026? staff must write it out
    if len(year) != 4 or not 1900 <= int(year) <= 2200:
        raise Unreadable("date")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise Unreadable("date", "no-such-date") from None


def _date_from_text(text: str, kind: Kind) -> dt.date:
    t = _TIME.sub("", _key(text))  # "05/10/2026 14:30": the time is noise here
    t = re.sub(r"^ngay\s*", "", t)
    if re.fullmatch(r"\d+", t):
        return _serial_date(Decimal(t), kind)
    if m := _YMD.fullmatch(t):  # year first only when it has four digits
        return _ymd(m[1], m[3], m[4])
    if m := _DMY.fullmatch(t):
        return _ymd(m[4], m[3], m[1])
    if m := _WORDS.fullmatch(t):  # "ngày 5 tháng 10 năm 2026"
        return _ymd(m[3], m[2], m[1])
    raise Unreadable("date")


def parse_date(value, kind: Kind = None) -> dt.date:
    """A date, day first always: 05/10/2026, 5-10-2026, 2026-10-05, a serial.

    Reasons: "short-year" (05/10/26), "no-such-date" (31/02/2026), "year-only"
    (2026 alone), "unreadable" (anything else, or a year outside 1900..2200).
    """
    _prepare(value, kind, "date")
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif (number := _numeric(value, "date")) is not None:
        day = _serial_date(number, kind)
    else:
        day = _date_from_text(clean_text(value), kind)
    if not 1900 <= day.year <= 2200:
        raise Unreadable("date")
    return day


# ---------------------------------------------------------------- money

_UNITS = {"k": 10**3, "ng": 10**3, "nghin": 10**3, "ngan": 10**3,
          "tr": 10**6, "trieu": 10**6, "ty": 10**9, "ti": 10**9}
_TERM = re.compile(r"\s*(\d[\d.,]*)\s*(trieu|tr|nghin|ngan|ng|k|ty|ti)(?![a-z])")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?:(?P<dec>[.,])(?P<frac>\d+))?")


def _strip_currency(t: str) -> str:
    return re.sub(r"^(?:vnd|d)\s*(?=\d)|\s*(?:vnd|dong|d)$", "", t.strip())


def _amount(s: str, unit: int) -> Decimal:
    """A number written with "." or "," as thousands or decimal separator.

    Groups of exactly three digits are thousands ("1.000.000", "12,500");
    any other single separator is a decimal ("1,5", "1.25").  After triệu or
    tỷ a single separator is always a decimal: "1,250 triệu" is 1.250.000 đ
    (nobody borrows 1.250 triệu).  After k/nghìn three digits still group
    thousands: "1.500k" is the usual way to write 1.500.000 đ, and a
    three-place fraction of a nghìn would be single đồng.
    """
    if re.fullmatch(r"\d+", s):
        return Decimal(s)
    if m := re.fullmatch(r"(\d+)[.,](\d+)", s):
        whole, frac = m.groups()
        if len(frac) == 3 and len(whole) <= 3 and whole[0] != "0" and unit <= 10**3:
            return Decimal(whole + frac)
        return Decimal(f"{whole}.{frac}")
    m = _GROUPED.fullmatch(s)
    if m and m["dec"] != m["sep"]:
        whole = re.sub(r"[.,]", "", s[: m.start("dec")] if m["dec"] else s)
        return Decimal(f"{whole}.{m['frac'] or 0}")
    raise Unreadable("money")


def _money_text(t: str) -> Decimal:
    t = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", _strip_currency(t))  # "1 000 000"
    total, pos, terms, last = Decimal(0), 0, [], None
    while m := _TERM.match(t, pos):
        unit = _UNITS[m[2]]
        if last is not None and unit >= last:
            raise Unreadable("money")  # "1 nghìn 2 triệu": units must go down
        total = _EXACT.add(total, _EXACT.multiply(_amount(m[1], unit), Decimal(unit)))
        pos, last = m.end(), unit
        terms.append(m[1])
    rest = t[pos:].strip()
    if last is None:
        return _amount(rest, 1)
    if rest:
        # "2tr5" / "2tr500" = 2,5 triệu: the digits after the unit continue
        # the number as decimals, so "2tr050" is 2.050.000.
        if len(terms) != 1 or not terms[0].isdigit() or not re.fullmatch(r"\d{1,3}", rest):
            raise Unreadable("money")
        total = _EXACT.add(total, _EXACT.multiply(Decimal("0." + rest), Decimal(last)))
    return total


def parse_money(value, kind: Kind = None) -> int:
    """Whole đồng from 1.000.000, "1,5 triệu", "2tr5", "500k", "1 tỷ"...

    Reasons: "negative" (-500000, (500.000)), "fraction" (1,5 with no unit),
    "unreadable".
    """
    _prepare(value, kind, "money")
    number = _numeric(value, "money")
    if number is None:
        t = _key(value).replace("₫", "d")
        if m := re.fullmatch(r"\((.*)\)|[-\u2212\u2013]\s*(.*)", _strip_currency(t)):
            if _money_text(m[1] if m[1] is not None else m[2]) != 0:
                raise Unreadable("money", "negative")
            return 0
        number = _money_text(t)
    return _whole(number, "money")


# ---------------------------------------------------------------- percent, integer


def parse_percent(value, kind: Kind = None) -> Decimal:
    """Percent points (Decimal("1") is 1 %) of a monthly rate.

    A plain number is that many percent (0.5 -> 0.5 %); a cell formatted as a
    percentage holds a fraction (0.01 -> 1 %); text with "%" is read as written.
    """
    _prepare(value, kind, "percent")
    number = _numeric(value, "percent")
    if number is not None and kind == "percent":
        number = _EXACT.multiply(number, Decimal(100))
    elif number is None:
        m = re.fullmatch(r"([-\u2212]?)\s*(\d+)(?:[.,](\d+))?\s*%?\s*(?:/\s*thang)?", _key(value))
        if not m:
            raise Unreadable("percent")
        number = Decimal(f"{m[1] and '-'}{m[2]}.{m[3] or 0}")
    if number < 0:
        raise Unreadable("percent", "negative")
    # 0.700 -> 0.7 and 100.0 -> 100, without going to the exponent form 1E+2.
    if number == number.to_integral_value():
        return _EXACT.quantize(number, Decimal(1))
    return _EXACT.normalize(number)


# Unit words that may follow a count; not "năm", which would turn years into months.
_COUNT_WORDS = frozenset({"thang", "nguoi", "ngay", "ngay cong", "cong", "lan", "buoi",
                          "ho", "tv", "thanh vien", "ky"})


def parse_integer(value, kind: Kind = None) -> int:
    """A whole number (year, months, a count): 12, 12.0, "12", "12 tháng".

    "1.000" is refused (reason "ambiguous"): one thousand, or one?
    """
    _prepare(value, kind, "integer")
    number = _numeric(value, "integer")
    if number is None:
        m = re.fullmatch(r"([-\u2212]?)\s*(\d+)(?:[.,](\d+))?\s*([a-z ]*)", _key(value))
        if not m or (m[4] and m[4] not in _COUNT_WORDS):
            raise Unreadable("integer")
        if m[3] and len(m[3]) == 3:
            raise Unreadable("integer", "ambiguous")
        number = Decimal(f"{m[1] and '-'}{m[2]}.{m[3] or 0}")
    return _whole(number, "integer")


# ---------------------------------------------------------------- choice, phone, email


def _choice_key(value) -> str:
    # "Văn hóa - văn nghệ" and "Văn hóa-văn nghệ" are the same choice.
    return re.sub(r"\s*[-\u2013/]\s*", lambda m: m[0].strip(), fold(value))


def parse_choice(value, choices: Sequence[str],
                 aliases: Mapping[str, Sequence[str]] | None = None, kind: Kind = None) -> str:
    """The canonical choice the value names.

    Case, spaces and Unicode form never matter; diacritics only when dropping
    them leaves a single choice ("NU" -> "Nữ", also "Hoà" vs "Hòa").
    """
    listed = ", ".join(choices)
    _prepare(value, kind, "choice", choices=listed)
    exact, loose = _choice_keys(tuple(choices), tuple((c, tuple(names)) for c, names in (aliases or {}).items()))
    key = _choice_key(value)
    if key in exact:
        return exact[key]
    found = loose.get(strip_diacritics(key), ())
    if len(found) == 1:  # two choices once diacritics are gone: refuse to guess
        return found[0]
    raise Unreadable("choice", choices=listed)


@functools.lru_cache(maxsize=256)
def _choice_keys(choices: tuple[str, ...], aliases: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Each spelling's key -> its choice (the first listed wins), and the same without diacritics.

    Computed once per column: a club has thousands of cells and a few lists.
    """
    spellings = [(c, c) for c in choices] + [(c, a) for c, names in aliases for a in names]
    exact: dict[str, str] = {}
    loose: dict[str, list[str]] = {}
    for choice, spelling in spellings:
        key = _choice_key(spelling)
        exact.setdefault(key, choice)
        bare = loose.setdefault(strip_diacritics(key), [])
        if choice not in bare:
            bare.append(choice)
    return exact, {k: tuple(v) for k, v in loose.items()}


def parse_phone(value, kind: Kind = None) -> str:
    """A Vietnamese phone number, returned as typed (cleaned): it stays text.

    Without spaces, dots, dashes, brackets: a mobile (0 + 9 digits) or a landline
    (02 + 9 digits, since 2017); +84/84 stands for the 0.  A number cell is reason
    "number": the sheet dropped the 0, the column must be formatted as text.
    """
    _prepare(value, kind, "phone")
    if isinstance(value, (numbers.Real, Decimal)) and not isinstance(value, bool):
        raise Unreadable("phone", "number")
    text = clean_text(value)
    digits = re.sub(r"[\s.\-()]", "", text)
    if m := re.fullmatch(r"\+?840?(2?\d{9})", digits):
        digits = "0" + m[1]  # "+84 (0) 912..." happens too: the 0 is not doubled
    if not re.fullmatch(r"0\d{9}|02\d{9}", digits):
        raise Unreadable("phone")
    return text


def parse_email(value, kind: Kind = None) -> str:
    """An email address, cleaned: one @, a dotted domain, no spaces."""
    _prepare(value, kind, "email")
    text = clean_text(value)
    if not re.fullmatch(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+", text):
        raise Unreadable("email")
    return text


def format_money(amount: int) -> str:
    """1000000 -> "1.000.000 đ" (dots group thousands, as in Vietnamese)."""
    grouped = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{'-' if amount < 0 else ''}{grouped} đ"
