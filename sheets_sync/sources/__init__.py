"""Where club workbooks come from and go back to: .xlsx files and Google Sheets.

Every source reads all tabs at once into a :class:`~sheets_sync.grid.RawWorkbook`
(plain data, each value with its sheet row), so the rest of the library never
knows which kind of file it is looking at, and writes back notes, highlights
and the owned tabs planned by :mod:`sheets_sync.writeback`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..grid import RawWorkbook
from ..writeback import CellChange

__all__ = ["Source", "open_source"]


class Source(Protocol):
    """What every source offers."""

    location: str

    def read(self) -> RawWorkbook:
        """Every tab at once, as raw cells."""

    def write_back(self, raw: RawWorkbook, changes: list[CellChange], owned: dict[str, list[list]]) -> bool:
        """Apply note/fill changes and rewrite the owned tabs; False when nothing changed."""


def open_source(location: str | Path, *, credentials: str | Path | None = None, lang: str = "vi") -> Source:
    """The source for ``location``: a Google Sheets URL or key, else an .xlsx path.

    Opening does not read yet; ``credentials`` is a Google service-account key file.
    """
    from . import google, xlsx

    if google.is_google_location(location):
        return google.GoogleSheet(str(location), credentials=credentials, lang=lang)
    return xlsx.XlsxFile(Path(location))
