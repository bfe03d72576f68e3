"""Where club workbooks come from and go back to: .xlsx files and Google Sheets.

Every source reads all tabs at once into a :class:`~sheets_sync.grid.RawWorkbook`
(plain data, each value with its sheet row), so the rest of the library never
knows which kind of file it is looking at.
"""

from __future__ import annotations

from pathlib import Path

from ..grid import RawWorkbook
from . import xlsx

__all__ = ["open_source"]


def open_source(location: str | Path) -> RawWorkbook:
    """Read the workbook at ``location`` (an .xlsx path for now)."""
    return xlsx.read(Path(location))
