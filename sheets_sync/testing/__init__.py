"""A local Google Sheets v4 + Drive v3 server: sheets-sync proven without a Google account.

The real gspread client talks HTTP to it exactly as it talks to Google::

    from sheets_sync.testing import FakeSheetsServer

    with FakeSheetsServer() as server:
        club = server.create_spreadsheet("CLB Hoa Sen", sheets={"Thành viên": [["Mã TV", "Họ và tên"]]})
        # point SHEETS_SYNC_GOOGLE_API_URL at server.url, run, then look:
        server.get_notes(club, "Thành viên")
        server.count("write")

It answers the way the recorded Google traffic in ../shared/sheets-api-recordings
answers (same keys, same omissions, same error JSON) and is as strict as
Google about request bodies: unknown fields and bad enums are a 400.  Faults
(429 bursts with Retry-After, 500s, dropped connections, a club broken for
good, latency) are switched on with ``server.faults``.

Run it standing alone with ``python -m sheets_sync.testing --port 8765``;
``--seed-clubs 1000 --seed-file keys.json --latency-ms 200`` first makes a
thousand realistic clubs (:mod:`.seed`), for ``benchmarks/nightly.py``.

Test-only, never Google's: an ``X-Fake-User: staff@example.org`` header makes
one request a person's (Drive's ``lastModifyingUser`` shows them, ``me:
false``; ``server.edit_as(...)`` does the same in process), and
``GET /_testing/stats`` / ``POST /_testing/stats:reset`` give the request
counts to a benchmark running the server in another process.
"""

from .errors import ApiError
from .faults import Fault, Faults
from .server import FakeSheetsServer, RequestRecord
from .state import DEFAULT_CALLER, Sheet, Spreadsheet, Store

__all__ = [
    "DEFAULT_CALLER",
    "ApiError",
    "FakeSheetsServer",
    "Fault",
    "Faults",
    "RequestRecord",
    "Sheet",
    "Spreadsheet",
    "Store",
]
