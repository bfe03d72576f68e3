"""``python -m sheets_sync.testing --port 8765``: serve the local Sheets API until Ctrl-C.

With ``--seed-clubs N`` it first makes N realistic clubs (:mod:`.seed`) and
writes their keys to ``--seed-file``; ``--latency-ms`` delays every answer,
as Google's round trip does.  Request counts: ``GET /_testing/stats``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import sys
import threading
import time
from pathlib import Path

from .server import FakeSheetsServer
from .state import DEFAULT_CALLER


def _seed(server: FakeSheetsServer, args: argparse.Namespace) -> None:
    """Make the clubs, then write the seed file (written last: its presence means the clubs are there)."""
    from .seed import seed_clubs

    started = time.monotonic()
    today = args.seed_today or dt.date.today()

    def progress(done: int) -> None:
        if done % 100 == 0 or done == args.seed_clubs:
            print(f"Seeded {done} of {args.seed_clubs} clubs ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    clubs = list(seed_clubs(server.state, args.seed_clubs, today=today, seed=args.seed, mistakes=args.seed_mistakes, progress=progress))
    document = {"today": today.isoformat(), "seed": args.seed, "mistakes": args.seed_mistakes,
                "seconds": round(time.monotonic() - started, 1), "clubs": clubs}
    if args.seed_file:
        Path(args.seed_file).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Start the server (seeded if asked), print its URL, wait for Ctrl-C (or SIGTERM), stop cleanly."""
    parser = argparse.ArgumentParser(
        prog="python -m sheets_sync.testing",
        description="Serve a local Google Sheets v4 + Drive v3 API (no Google account needed).",
        epilog="Example: python -m sheets_sync.testing --port 8765, then "
        "SHEETS_SYNC_GOOGLE_API_URL=http://127.0.0.1:8765 sheets-sync check ...; "
        "for a benchmark: --seed-clubs 1000 --seed-file keys.json --latency-ms 200.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    parser.add_argument("--caller-email", default=DEFAULT_CALLER, help="the service-account e-mail the server assumes")
    parser.add_argument("--latency-ms", type=float, default=0, help="delay every answer by this many milliseconds (default 0)")
    parser.add_argument("--seed-clubs", type=int, default=0, metavar="N", help="make N realistic club spreadsheets before serving")
    parser.add_argument("--seed-file", help="write the seeded clubs' keys, sizes and mistakes here (JSON)")
    parser.add_argument("--seed-mistakes", type=float, default=0.2, metavar="SHARE", help="share of seeded clubs left with 1-3 mistakes (default 0.2)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the seeded clubs (default 1)")
    parser.add_argument("--seed-today", type=dt.date.fromisoformat, help="the date the seeded records lead up to (default: today)")
    args = parser.parse_args(argv)
    if args.seed_clubs < 0 or not 0 <= args.seed_mistakes <= 1:
        parser.error("--seed-clubs must be 0 or more and --seed-mistakes between 0 and 1")

    stop = threading.Event()
    # SIGTERM (e.g. from a test's terminate()) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server = FakeSheetsServer(args.host, args.port, caller_email=args.caller_email)
    server.record_requests = False  # nobody can read the log from outside: keep counts only, in bounded memory
    server.faults.latency_ms = args.latency_ms
    if args.seed_clubs:
        _seed(server, args)
    try:
        server.start()
    except OSError as err:
        print(f"Error: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
        return 2
    print(f"Serving the local Google Sheets API at {server.url} (Ctrl-C to stop)", flush=True)
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
