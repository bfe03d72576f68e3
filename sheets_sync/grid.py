"""What a source hands over: tabs of raw cells, plus A1 address helpers.

A source (``sources/xlsx.py``, ``sources/google.py``) reads every tab at once
into a :class:`RawWorkbook`.  Nothing here interprets a value: that is
``workbook.py``'s job, so that both sources are read by the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, Union
import datetime as dt

__all__ = ["CellKind", "RawCell", "RawTab", "RawWorkbook", "column_letter", "column_index", "a1", "parse_a1"]

#: How the source says a cell is formatted, when that changes its meaning:
#: a number shown as a date, a fraction shown as a percentage, a formula error,
#: a formula whose result the file does not hold (the value is the formula).
CellKind = Literal["date", "percent", "error", "formula"] | None

RawValue = Union[str, int, float, bool, dt.date, dt.datetime, None]


@dataclass(frozen=True, slots=True)
class RawCell:
    """One cell as the source read it: the value, a format hint, its note and fill."""

    value: RawValue = None
    kind: CellKind = None
    note: str | None = None
    #: Background colour as "RRGGBB" (upper case), None when there is none.
    fill: str | None = None


EMPTY = RawCell()


@dataclass
class RawTab:
    """One tab: ``rows[0]`` is sheet row 1 (the header)."""

    title: str
    rows: list[list[RawCell]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> RawCell:
        """The cell at 1-based ``row``/``col``; empty past the edge."""
        if row - 1 < len(self.rows):
            cells = self.rows[row - 1]
            if col - 1 < len(cells):
                return cells[col - 1]
        return EMPTY


@dataclass
class RawWorkbook:
    """Every tab of one workbook, in the order the file has them."""

    name: str
    tabs: list[RawTab] = field(default_factory=list)
    #: Where it came from (a path or a sheet URL), for messages.
    location: str = ""
    #: Opaque fingerprint of what was read (mtime/size, or Drive modifiedTime).
    version: str = ""


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA".

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
    ('A', 'Z', 'AA', 'AAA')
    """
    if index < 1:
        raise ValueError(f"column index must be 1 or more, not {index}")
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" → 1, "AA" → 27.

    >>> column_index("A"), column_index("z"), column_index("AA")
    (1, 26, 27)
    """
    index = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column name: {letters!r}")
        index = index * 26 + ord(ch) - ord("A") + 1
    return index


def a1(row: int, col: int) -> str:
    """(7, 4) → "D7".

    >>> a1(7, 4)
    'D7'
    """
    return f"{column_letter(col)}{row}"


_A1 = re.compile(r"^([A-Za-z]+)([1-9][0-9]*)$")


def parse_a1(address: str) -> tuple[int, int]:
    """ "D7" → (7, 4).

    >>> parse_a1("D7")
    (7, 4)
    """
    match = _A1.match(address.strip())
    if not match:
        raise ValueError(f"not an A1 address: {address!r}")
    return int(match.group(2)), column_index(match.group(1))
