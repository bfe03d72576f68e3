"""Cell values: what USER_ENTERED makes of typed text, and how values render back.

Only what a club's sheet needs and the recordings show: numbers (with the
locale's separators), percentages, dates typed in the locale's order or as
ISO, TRUE/FALSE, and formulas.  A formula keeps its text; plain arithmetic
(``=4/2``, ``= 1 / 1024``) is evaluated because the recordings read it back,
anything else gets an ``#ERROR!`` effective value (no formula engine here).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
from typing import Any

__all__ = [
    "LOCALES",
    "date_from_serial",
    "effective_value",
    "format_number",
    "formatted_value",
    "parse_user_entered",
    "quantize_color",
    "render_value",
    "serial_from_date",
]

EPOCH = dt.date(1899, 12, 30)  # Sheets' day 0, as in Lotus/Excel


# decimal mark, grouping mark, day-first?, default date pattern
LOCALES: dict[str, tuple[str, str, bool, str]] = {
    "en_US": (".", ",", False, "M/d/yyyy"),
    "en_GB": (".", ",", True, "dd/MM/yyyy"),
    "en_AU": (".", ",", True, "dd/MM/yyyy"),
    "vi_VN": (",", ".", True, "dd/MM/yyyy"),
    "fr_FR": (",", "\u202f", True, "dd/MM/yyyy"),
    "de_DE": (",", ".", True, "dd.MM.yyyy"),
}
_DEFAULT_LOCALE = LOCALES["en_US"]

_ERROR_TEXT = {
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}


def locale_info(locale: str) -> tuple[str, str, bool, str]:
    return LOCALES.get(locale, _DEFAULT_LOCALE)


def serial_from_date(day: dt.date) -> int:
    """2020-01-01 -> 43831, as Sheets counts."""
    return (day - EPOCH).days


def date_from_serial(serial: float) -> dt.date:
    return EPOCH + dt.timedelta(days=int(math.floor(serial)))


def quantize_color(value: float) -> float:
    """Store a colour channel the way Sheets does: 8 bits, read back as float32 text.

    0.5 comes back as 0.49803922 (127/255), 1 stays 1.
    """
    level = int(float(value) * 255 + 1e-9)
    level = max(0, min(255, level))
    return _float32_shortest(level / 255)


def _float32_shortest(x: float) -> float:
    packed = struct.pack("f", x)
    for digits in range(1, 10):
        candidate = float(f"{x:.{digits}g}")
        if struct.pack("f", candidate) == packed:
            return candidate
    return x


# --- parsing USER_ENTERED ----------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOCAL_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")


def parse_user_entered(value: Any, locale: str) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """What Sheets stores when a user types ``value``: (userEnteredValue, numberFormat).

    ``(None, None)`` means the cell is emptied.  JSON numbers and booleans are
    kept as they are; text is read the way the Sheets UI reads it in ``locale``.
    """
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, (int, float)):
        return {"numberValue": value}, None
    text = str(value)
    if text == "":
        return None, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None  # the apostrophe forces text
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}, None
    parsed_date = _parse_date(stripped, locale)
    if parsed_date is not None:
        return parsed_date
    parsed_number = _parse_number(stripped, locale)
    if parsed_number is not None:
        return parsed_number
    return {"stringValue": text}, None


def _parse_date(text: str, locale: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        pattern = "yyyy-mm-dd"
    else:
        match = _LOCAL_DATE.match(text)
        if not match:
            return None
        first, _sep, second, year_text = match.groups()
        day_first = locale_info(locale)[2]
        day, month = (int(first), int(second)) if day_first else (int(second), int(first))
        year = int(year_text)
        pattern = locale_info(locale)[3]
    try:
        day_value = dt.date(year, month, day)
    except ValueError:
        return None  # 31/02/2026 stays text, as in Sheets
    return {"numberValue": serial_from_date(day_value)}, {"type": "DATE", "pattern": pattern}


def _parse_number(text: str, locale: str) -> tuple[dict[str, Any], dict[str, str] | None] | None:
    decimal, group, _day_first, _pattern = locale_info(locale)
    body = text.replace("\u00a0", " ")
    percent = body.endswith("%")
    if percent:
        body = body[:-1].rstrip()
    sign = 1
    if body[:1] in "+-" and body[:1]:
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    grouped = False
    group_marks = {group, " "} if group.strip() == "" else {group}
    for mark in group_marks:
        if mark and mark in body:
            head, _, tail = body.partition(decimal) if decimal in body else (body, "", "")
            parts = head.split(mark)
            if not parts[0] or not all(len(p) == 3 and p.isdigit() for p in parts[1:]):
                return None
            body = "".join(parts) + (("." + tail) if tail else "")
            grouped = True
            break
    else:
        if decimal != "." and decimal in body:
            body = body.replace(decimal, ".", 1)
        elif decimal != "." and "." in body:
            return None  # "1.5" in vi_VN is not a number the way Sheets reads it
    if not re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", body):
        return None
    number = sign * float(body)
    if number.is_integer() and "e" not in body.lower() and abs(number) < 2**53:
        number = int(number)
    if percent:
        number = number / 100
        decimals = "." in body
        return {"numberValue": number}, {"type": "PERCENT", "pattern": "0.00%" if decimals else "0%"}
    if grouped:
        pattern = "#,##0.00" if "." in body else "#,##0"
        return {"numberValue": number}, {"type": "NUMBER", "pattern": pattern}
    return {"numberValue": number}, None


# --- formulas -----------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)|(.))")


def effective_value(user_entered: dict[str, Any]) -> dict[str, Any]:
    """The effectiveValue for a stored userEnteredValue (formulas: arithmetic only)."""
    if "formulaValue" not in user_entered:
        return dict(user_entered)
    try:
        result = _Arithmetic(user_entered["formulaValue"][1:]).evaluate()
    except ZeroDivisionError:
        return {"errorValue": {"type": "DIVIDE_BY_ZERO", "message": "Function DIVIDE parameter 2 cannot be zero."}}
    except ValueError:
        return {
            "errorValue": {
                "type": "ERROR",
                "message": "The local test server does not evaluate this formula.",
            }
        }
    if isinstance(result, float) and result.is_integer():
        result = int(result)
    return {"numberValue": result}


class _Arithmetic:
    """Recursive-descent evaluator for + - * / ^ and parentheses (no eval())."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, Any]] = []
        for number, other in _TOKEN.findall(text):
            if number:
                self.tokens.append(("num", float(number)))
            elif other.strip():
                self.tokens.append(("op", other))
        self.pos = 0

    def evaluate(self) -> float:
        if not self.tokens:
            raise ValueError("empty formula")
        value = self._sum()
        if self.pos != len(self.tokens):
            raise ValueError("trailing input")
        return value

    def _peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> tuple[str, Any]:
        token = self._peek()
        if token is None:
            raise ValueError("unexpected end")
        self.pos += 1
        return token

    def _sum(self) -> float:
        value = self._product()
        while (token := self._peek()) and token[1] in ("+", "-"):
            self._take()
            value = value + self._product() if token[1] == "+" else value - self._product()
        return value

    def _product(self) -> float:
        value = self._power()
        while (token := self._peek()) and token[1] in ("*", "/"):
            self._take()
            right = self._power()
            value = value * right if token[1] == "*" else value / right
        return value

    def _power(self) -> float:
        value = self._unary()
        if (token := self._peek()) and token[1] == "^":
            self._take()
            return value ** self._power()
        return value

    def _unary(self) -> float:
        kind, value = self._take()
        if kind == "num":
            return value
        if value == "-":
            return -self._unary()
        if value == "+":
            return self._unary()
        if value == "(":
            inner = self._sum()
            if self._take() != ("op", ")"):
                raise ValueError("missing )")
            return inner
        raise ValueError(f"unexpected {value!r}")


# --- rendering ----------------------------------------------------------------


def format_number(number: float, locale: str, pattern: str | None = None) -> str:
    """Render a number the way Sheets shows it: general format or a simple pattern."""
    decimal, group, _day_first, _date = locale_info(locale)
    if pattern and re.fullmatch(r"#,##0(\.0+)?", pattern):
        places = len(pattern.split(".")[1]) if "." in pattern else 0
        text = f"{abs(number):,.{places}f}".replace(",", "\x00").replace(".", decimal).replace("\x00", group)
        return ("-" if number < 0 else "") + text
    if pattern and re.fullmatch(r"0(\.0+)?", pattern):
        places = len(pattern.split(".")[1]) if "." in pattern else 0
        return f"{number:.{places}f}".replace(".", decimal)
    if isinstance(number, int) or float(number).is_integer():
        return str(int(number))
    text = f"{number:.10f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        text = f"{number:.10g}"
    return text.replace(".", decimal)


def format_date(serial: float, pattern: str) -> str:
    """Render a serial date with a Sheets date pattern (yyyy, yy, MM/mm, M/m, dd, d)."""
    day = date_from_serial(serial)

    def token(match: re.Match[str]) -> str:
        tok = match.group(0)
        lower = tok.lower()
        if lower == "yyyy":
            return f"{day.year:04d}"
        if lower == "yy":
            return f"{day.year % 100:02d}"
        if lower == "mm":
            return f"{day.month:02d}"
        if lower == "m":
            return str(day.month)
        if lower == "dd":
            return f"{day.day:02d}"
        if lower == "d":
            return str(day.day)
        return tok

    return re.sub(r"yyyy|yy|[Mm]{1,2}|[dD]{1,2}", token, pattern)


def formatted_value(effective: dict[str, Any], number_format: dict[str, Any] | None, locale: str) -> str:
    """The formattedValue Sheets shows for an effective value."""
    if "stringValue" in effective:
        return effective["stringValue"]
    if "boolValue" in effective:
        return "TRUE" if effective["boolValue"] else "FALSE"
    if "errorValue" in effective:
        return _ERROR_TEXT.get(effective["errorValue"].get("type", "ERROR"), "#ERROR!")
    number = effective.get("numberValue", 0)
    kind = (number_format or {}).get("type")
    pattern = (number_format or {}).get("pattern")
    if kind in ("DATE", "DATE_TIME") and pattern:
        return format_date(number, pattern)
    if kind == "PERCENT":
        places = len(pattern.split(".")[1].rstrip("%")) if pattern and "." in pattern else 0
        return f"{number * 100:.{places}f}".replace(".", locale_info(locale)[0]) + "%"
    return format_number(number, locale, pattern)


def render_value(
    user_entered: dict[str, Any],
    number_format: dict[str, Any] | None,
    locale: str,
    value_render: str,
    date_render: str,
) -> Any:
    """One cell as values.get renders it (FORMATTED_VALUE / UNFORMATTED_VALUE / FORMULA)."""
    if value_render == "FORMULA" and "formulaValue" in user_entered:
        return user_entered["formulaValue"]
    effective = effective_value(user_entered)
    if value_render == "FORMATTED_VALUE":
        return formatted_value(effective, number_format, locale)
    if "numberValue" in effective:
        kind = (number_format or {}).get("type")
        if date_render == "FORMATTED_STRING" and kind in ("DATE", "TIME", "DATE_TIME"):
            return formatted_value(effective, number_format, locale)
        number = effective["numberValue"]
        return int(number) if float(number).is_integer() and abs(number) < 2**53 else number
    if "stringValue" in effective:
        return effective["stringValue"]
    if "boolValue" in effective:
        return effective["boolValue"]
    return formatted_value(effective, number_format, locale)
