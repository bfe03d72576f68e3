"""``python -m sheets_sync.testing --port 8765``: serve the local Sheets API until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import FakeSheetsServer
from .state import DEFAULT_CALLER


def main(argv: list[str] | None = None) -> int:
    """Start the server, print its URL, wait for Ctrl-C (or SIGTERM), stop cleanly."""
    parser = argparse.ArgumentParser(
        prog="python -m sheets_sync.testing",
        description="Serve a local Google Sheets v4 + Drive v3 API (no Google account needed).",
        epilog="Example: python -m sheets_sync.testing --port 8765, then "
        "SHEETS_SYNC_GOOGLE_API_URL=http://127.0.0.1:8765 sheets-sync check ...",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    parser.add_argument("--caller-email", default=DEFAULT_CALLER, help="the service-account e-mail the server assumes")
    args = parser.parse_args(argv)

    stop = threading.Event()
    # SIGTERM (e.g. from a test's terminate()) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server = FakeSheetsServer(args.host, args.port, caller_email=args.caller_email)
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
