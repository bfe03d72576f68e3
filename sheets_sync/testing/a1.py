"""A1 notation: parse what clients send, format what Google echoes back.

Google echoes ranges as ``Sheet1!A1:D2``: the title is quoted only when it
has to be (``'🌵 tab 1'!A1:C2``, ``'D3'!A1`` because D3 looks like a cell), a
single cell is ``A1`` not ``A1:A1``, reversed corners are put in order, and
open ends are closed at the grid's edge (``A1:1`` becomes ``A1:Z1`` on a
26-column sheet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Bounds",
    "col_index",
    "col_letters",
    "format_a1",
    "format_range",
    "parse_a1",
    "quote_title",
    "split_range",
]

_A1 = re.compile(r"^(?P<c1>[A-Za-z]*)(?P<r1>\d*)(?::(?P<c2>[A-Za-z]*)(?P<r2>\d*))?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Titles that would read as a cell or an R1C1 reference must be quoted.
_CELL_LIKE = re.compile(r"^(?:[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


@dataclass(frozen=True)
class Bounds:
    """Half-open row/column bounds, 0-based; ``None`` on an end means "to the edge"."""

    start_row: int
    end_row: int | None
    start_col: int
    end_col: int | None

    def clip(self, rows: int, cols: int) -> tuple[int, int, int, int]:
        """Close open ends at the grid's edge: ``(r0, r1, c0, c1)``."""
        r1 = rows if self.end_row is None else self.end_row
        c1 = cols if self.end_col is None else self.end_col
        return self.start_row, r1, self.start_col, c1


def col_letters(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """"A" -> 0, "AA" -> 26 (case-insensitive)."""
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ord(ch) - 64)
    return value - 1


def quote_title(title: str) -> str:
    """The title as Google writes it in an A1 range: bare when safe, else single-quoted."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_range(text: str) -> tuple[str | None, str | None]:
    """Split ``'My tab'!A1:B2`` into ``("My tab", "A1:B2")``.

    ``("Sheet1", None)`` for a bare quoted title; ``(None, text)`` when there is
    no ``!`` (the caller decides whether that is a title, a named range or A1).
    Raises ValueError when quoting is broken.
    """
    if text.startswith("'"):
        title: list[str] = []
        i = 1
        while True:
            if i >= len(text):
                raise ValueError(text)
            ch = text[i]
            if ch == "'":
                if text[i + 1 : i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                break
            title.append(ch)
            i += 1
        rest = text[i + 1 :]
        if not rest:
            return "".join(title), None
        if not rest.startswith("!") or len(rest) == 1:
            raise ValueError(text)
        return "".join(title), rest[1:]
    if "!" in text:
        title_part, a1 = text.rsplit("!", 1)
        if not title_part or not a1:
            raise ValueError(text)
        return title_part, a1
    return None, text


def parse_a1(a1: str) -> Bounds:
    """Parse the part after ``!``: ``A1``, ``A1:B2``, ``A:B``, ``2:5``, ``A5:B``, ``A1:1``.

    Reversed corners are swapped, as Google does.  Raises ValueError otherwise.
    """
    match = _A1.match(a1.strip())
    if not match:
        raise ValueError(a1)
    c1, r1, c2, r2 = match.group("c1"), match.group("r1"), match.group("c2"), match.group("r2")
    if not c1 and not r1:
        raise ValueError(a1)
    if c2 is None and r2 is None:
        if not (c1 and r1):  # "A" or "5" alone is not a range
            raise ValueError(a1)
        row, col = _row(r1, a1), col_index(c1)
        return Bounds(row, row + 1, col, col + 1)
    if not c2 and not r2:
        raise ValueError(a1)
    start_row = _row(r1, a1) if r1 else 0
    start_col = col_index(c1) if c1 else 0
    end_row = _row(r2, a1) + 1 if r2 else None
    end_col = col_index(c2) + 1 if c2 else None
    if (not r1 and r2) and not c1:
        raise ValueError(a1)  # ":5" style
    if not r1 and not r2:
        end_row = None  # "A:B" is whole columns
    if not c1 and not c2:
        end_col = None  # "2:5" is whole rows
    if end_row is not None and end_row <= start_row:
        start_row, end_row = end_row - 1, start_row + 1
    if end_col is not None and end_col <= start_col:
        start_col, end_col = end_col - 1, start_col + 1
    return Bounds(start_row, end_row, start_col, end_col)


def _row(digits: str, a1: str) -> int:
    row = int(digits)
    if row < 1:
        raise ValueError(a1)
    return row - 1


def format_a1(r0: int, r1: int, c0: int, c1: int) -> str:
    """``A1`` for one cell, ``A1:B2`` otherwise (ends exclusive)."""
    start = f"{col_letters(c0)}{r0 + 1}"
    if r1 - r0 <= 1 and c1 - c0 <= 1:
        return start
    return f"{start}:{col_letters(c1 - 1)}{r1}"


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """``Sheet1!A1:B2`` with the title quoted only when needed."""
    return f"{quote_title(title)}!{format_a1(r0, r1, c0, c1)}"
