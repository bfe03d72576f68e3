"""Benchmark: the nightly job over N realistic clubs, against the same work done by hand with gspread.

    .venv/bin/python benchmarks/nightly.py --clubs 100 --latency-ms 200 [--json]

Starts the local Sheets + Drive server (``python -m sheets_sync.testing``) and
an SMTP sink as separate processes, so that this process's CPU time and
memory are the client's alone; the server makes N clubs (``--seed-clubs``,
sizes like real clubs, a share with mistakes) and answers each request
after ``--latency-ms``.  Then three phases, each measured apart:

1. ``night1``: :func:`sheets_sync.jobs.run_nightly` over every club (each one
   new: read, checked, annotated, new problems mailed);
2. ``night2``: the next night, after staff changed ``--changed`` (10%) of the
   clubs (edits sent with the server's ``X-Fake-User`` header, so Drive shows
   a person, not the service account, as the last to modify them);
3. ``baseline``: what a user writes by hand with gspread, on a sample of
   ``--baseline-clubs`` clubs (default min(N, 100), scaled per club):
   ``open_by_key``, ``worksheet(title).get_all_records()`` for each of the 6
   tabs, and one ``update_note`` per problem sheets-sync found in night 1.

Request counts come from the server (``GET /_testing/stats``, reset before
each phase); CPU is ``time.process_time()`` of this process (every thread);
memory is the phase's peak RSS (the kernel's VmHWM, reset before the phase),
its growth over the RSS at the start, ``ru_maxrss`` (the process's peak so
far) and, with ``--tracemalloc``, Python's traced peak.  The quota
bound is ``60 s * max(Sheets reads, Sheets writes) / (quota per minute *
service accounts)``: reads and writes have separate per-minute quotas;
Drive's quota is separate and far larger, so Drive requests are left out.
Prints a table, or with ``--json`` one JSON object with the same figures.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from sheets_sync.config import load_config  # noqa: E402
from sheets_sync.jobs import run_nightly  # noqa: E402
from sheets_sync.layout import club_layout  # noqa: E402
from sheets_sync.rules import load_rules  # noqa: E402
from sheets_sync.sources import google_http  # noqa: E402

TODAY = dt.date(2026, 11, 23)  # fixed, so that runs compare; night 2 is the day after, in the same month
STAFF_EDIT = ("Thành viên", "M2", "Đã gọi điện hỏi thăm")  # a Ghi chú cell: a real change, not a new problem
PHASES = ("night1", "night2", "baseline")


# --- helper processes --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"Error: the {what} did not start (exit code {process.poll()}).")
        time.sleep(0.05)


@contextlib.contextmanager
def smtp_sink() -> Iterator[int]:
    """An SMTP server that accepts and drops every message (aiosmtpd's Sink), in its own process."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process, "SMTP sink")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def sheets_server(args: argparse.Namespace, seed_file: Path) -> Iterator[str]:
    """The local Sheets API with the clubs seeded, in its own process; yields its URL."""
    command = [sys.executable, "-m", "sheets_sync.testing", "--port", "0", "--latency-ms", str(args.latency_ms),
               "--seed-clubs", str(args.clubs), "--seed-file", str(seed_file), "--seed-mistakes", str(args.mistakes),
               "--seed", str(args.seed), "--seed-today", args.today.isoformat()]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # The server's progress lines go to our stderr; stdout carries its URL.
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        if "Serving the local Google Sheets API at " not in line:
            raise SystemExit(f"Error: the local Sheets server did not start (exit code {process.wait()}).")
        yield line.split(" at ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- measuring one phase ---------------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _rss_peak_mb() -> float:
    """The kernel's high-water mark of this process's RSS (VmHWM)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:", 1)[1].split()[0]) / 1024


class _PhasePeak:
    """The highest RSS during a phase, from the kernel, with no sampling thread.

    Linux resets a process's VmHWM when "5" is written to its clear_refs; a
    thread sampling RSS every 20 ms instead would cost the client ~15 ms of
    CPU a second in wake-ups.  Where the reset is not allowed, the peak is the
    process's since it started (``reset`` False).
    """

    def __enter__(self) -> _PhasePeak:
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset = False
        self.start = _rss_mb()
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak = max(_rss_peak_mb(), _rss_mb())


def measure(name: str, url: str, clubs: int, work: Callable[[], Any], *, quota: int, accounts: int, trace: bool) -> tuple[dict[str, Any], Any]:
    """Run ``work`` once and say what it cost: requests (from the server), CPU, memory, wall time and the quota bound."""
    requests.post(f"{url}/_testing/stats:reset", timeout=30).raise_for_status()
    if trace:
        tracemalloc.start()
    with _PhasePeak() as rss:
        cpu, wall = time.process_time(), time.perf_counter()
        result = work()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    stats = requests.get(f"{url}/_testing/stats", timeout=30).json()
    print(f"... {name}: {clubs} clubs in {wall:.0f} s", file=sys.stderr, flush=True)  # a long run shows it is alive
    reads, writes, drive = stats["read"], stats["write"], stats["drive"]
    bound = 60 * max(reads, writes) / (quota * accounts)
    figures = {
        "clubs": clubs,
        "sheets_reads": reads, "sheets_writes": writes, "drive_requests": drive,
        "reads_per_club": reads / clubs, "writes_per_club": writes / clubs, "drive_per_club": drive / clubs,
        "cpu_ms_per_club": 1000 * cpu / clubs,
        "wall_s": wall,
        "quota_bound_s": bound,
        "wall_over_bound": wall / bound if bound else None,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_mb": rss.peak if rss.reset else None,
        "rss_growth_mb": rss.peak - rss.start if rss.reset else None,
        "tracemalloc_peak_mb": traced,
        "http_429": stats["by_status"].get("429", 0),
        "by_path": stats["by_path"],
        "server": stats["server"],
    }
    return figures, result


# --- the phases ----------------------------------------------------------------------------------------------


def write_config(folder: Path, keys: list[str], smtp_port: int, workers: int | None) -> Path:
    """A sheets-sync.toml for the N clubs: mail to the sink, a fresh state file."""
    schedule = "[schedule]\nclub_time_limit = 3600\n" + (f"workers = {workers}\n" if workers else "")
    parts = [f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "plain"\nfrom_address = "bao-cao@example.org"\n',
             '[state]\npath = "state.sqlite"\n', schedule]
    parts += [f'[[clubs]]\nsource = "{key}"\n' for key in keys]
    path = folder / "sheets-sync.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def staff_edits(url: str, clubs: list[dict[str, Any]], share: float, rng: random.Random) -> list[str]:
    """Change ``share`` of the clubs as a staff member would (one cell each); returns their keys."""
    chosen = rng.sample(clubs, max(1, round(len(clubs) * share))) if share > 0 else []
    tab, cell, value = STAFF_EDIT

    def edit(club: dict[str, Any]) -> None:
        staff = f"thuky.{club['key'][:8].lower()}@example.org"
        answer = requests.put(f"{url}/v4/spreadsheets/{club['key']}/values/{tab}!{cell}", params={"valueInputOption": "USER_ENTERED"},
                              json={"values": [[value]]}, headers={"X-Fake-User": staff}, timeout=60)
        answer.raise_for_status()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(edit, chosen))
    return [club["key"] for club in chosen]


def by_hand(url: str, clubs: list[dict[str, Any]], problems: dict[str, int], quota: int) -> int:
    """The baseline: each club as a user's gspread script does it; returns the notes written.

    It goes through sheets-sync's HTTP client with a rate limiter at the same
    quota: a script that does not pace itself gets 429 from Google after 60
    reads in a minute, and gspread's own client does not retry them.  So this
    is the best such a script can do under the quota.
    """
    client = google_http.make_client(base_url=url, rate_limiter=google_http.RateLimiter(quota, quota))
    titles = [tab.title for tab in club_layout(load_rules())]
    notes = 0
    for club in clubs:
        spreadsheet = client.open_by_key(club["key"])
        worksheets = {}
        for title in titles:
            worksheets[title] = spreadsheet.worksheet(title)
            worksheets[title].get_all_records()
        # One call per problem cell, as a user writes it: on the planted cells when known.
        targets = [(m["tab"], m["cell"]) for m in club["mistakes"]] or [(titles[1], "A2")]
        for n in range(problems.get(club["key"], 0)):
            tab, cell = targets[n % len(targets)]
            worksheets[tab].update_note(cell, "Kiểm tra lại ô này")
            notes += 1
    return notes


def _outcomes(summary: Any) -> dict[str, int]:
    """The run's outcomes by status; ``unchanged`` (skipped, last check's status kept) are among ok/problems too."""
    counts = {"outcomes": len(summary.outcomes), "ok": summary.ok, "problems": summary.problems, "failed": summary.failed}
    counts["unchanged"] = sum(bool(getattr(o, "unchanged", False)) for o in summary.outcomes)
    return counts


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every phase, with the machine and set-up they ran on."""
    if args.quota_per_minute != 60:
        # Development runs only: every RateLimiter made without explicit limits gets this quota.
        if google_http.RateLimiter.__init__.__defaults__ != (60, 60, 60.0):
            raise SystemExit("Error: RateLimiter's defaults changed; update benchmarks/nightly.py.")
        google_http.RateLimiter.__init__.__defaults__ = (args.quota_per_minute, args.quota_per_minute, 60.0)
    quota, result = args.quota_per_minute, {}
    with tempfile.TemporaryDirectory(prefix="sheets-sync-bench-") as tmp, smtp_sink() as smtp_port:
        folder = Path(tmp)
        seeding = time.perf_counter()
        with sheets_server(args, folder / "clubs.json") as url:
            seeded = json.loads((folder / "clubs.json").read_text(encoding="utf-8"))
            clubs = seeded["clubs"]
            os.environ["SHEETS_SYNC_GOOGLE_API_URL"] = url
            config = load_config(write_config(folder, [c["key"] for c in clubs], smtp_port, args.workers))
            accounts = len(getattr(config.google, "accounts", (None,)))
            options = {"quota": quota, "accounts": accounts, "trace": args.tracemalloc}
            result["setup"] = _setup(args, seeded, accounts, time.perf_counter() - seeding)
            phases = {}

            phases["night1"], first = measure("night 1", url, len(clubs), lambda: run_nightly(config, today=args.today, lang="en"), **options)
            phases["night1"]["outcomes"] = _outcomes(first)
            phases["night1"]["clubs_reported"] = len(first.outcomes)
            problems = {o.location: o.errors + o.warnings for o in first.outcomes}

            changed = staff_edits(url, clubs, args.changed, random.Random(args.seed))
            phases["night2"], second = measure("night 2", url, len(clubs), lambda: run_nightly(config, today=args.today + dt.timedelta(days=1), lang="en"), **options)
            phases["night2"]["outcomes"] = _outcomes(second)
            phases["night2"]["clubs_reported"] = len(second.outcomes)
            phases["night2"]["changed_clubs"] = len(changed)
            phases["night2"]["reads_per_changed_club"] = phases["night2"]["sheets_reads"] / max(1, len(changed))

            sample = clubs[: args.baseline_clubs]
            phases["baseline"], notes = measure("by hand", url, len(sample), lambda: by_hand(url, sample, problems, quota), **options)
            phases["baseline"]["notes_written"] = notes
            phases["baseline"]["scaled_to_clubs"] = len(clubs)
            phases["baseline"]["scaled_wall_s"] = phases["baseline"]["wall_s"] * len(clubs) / max(1, len(sample))
            phases["baseline"]["scaled_quota_bound_s"] = phases["baseline"]["quota_bound_s"] * len(clubs) / max(1, len(sample))
    result["phases"] = phases
    result["baseline_over_sheets_sync"] = _ratios(phases)
    return result


def _ratios(phases: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """How much more the hand-written way costs than night 1 (every club read), per club."""
    ours, theirs = phases["night1"], phases["baseline"]
    requests_ours = ours["reads_per_club"] + ours["writes_per_club"] + ours["drive_per_club"]
    requests_theirs = theirs["reads_per_club"] + theirs["writes_per_club"] + theirs["drive_per_club"]
    return {
        "requests": requests_theirs / requests_ours if requests_ours else None,
        "sheets_reads": theirs["reads_per_club"] / ours["reads_per_club"] if ours["reads_per_club"] else None,
        "wall": theirs["scaled_wall_s"] / ours["wall_s"] if ours["wall_s"] else None,
    }


def _setup(args: argparse.Namespace, seeded: dict[str, Any], accounts: int, seconds: float) -> dict[str, Any]:
    sizes = [c["sizes"] for c in seeded["clubs"]]

    def spread(key: str) -> list[float]:
        values = [s[key] for s in sizes]
        return [min(values), round(sum(values) / len(values), 1), max(values)]

    return {
        "command": "python benchmarks/nightly.py " + " ".join(sys.argv[1:]),
        "clubs": args.clubs, "latency_ms": args.latency_ms, "quota_per_minute": args.quota_per_minute, "service_accounts": accounts,
        "today": args.today.isoformat(), "changed_share": args.changed, "mistakes_share": args.mistakes,
        "clubs_with_mistakes": sum(bool(c["mistakes"]) for c in seeded["clubs"]),
        "club_sizes_min_mean_max": {key: spread(key) for key in ("members", "months", "loans", "repayments")},
        "server_start_and_seed_s": round(seconds, 1),
        "machine": _machine(),
    }


def _machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0")
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gb": round(int(memory) / 2**20, 1),
            "python": platform.python_version(), "system": platform.platform()}


# --- output ----------------------------------------------------------------------------------------------------

ROWS = [
    ("Clubs given", "clubs", "{:.0f}"),
    ("Clubs in the run's summary", "clubs_reported", "{:.0f}"),
    ("Sheets reads per club", "reads_per_club", "{:.2f}"),
    ("Sheets writes per club", "writes_per_club", "{:.2f}"),
    ("Drive requests (all)", "drive_requests", "{:.0f}"),
    ("CPU ms per club (client)", "cpu_ms_per_club", "{:.1f}"),
    ("Peak RSS in phase (MB)", "peak_rss_mb", "{:.0f}"),
    ("Peak RSS, process (MB)", "max_rss_mb", "{:.0f}"),
    ("RSS growth in phase (MB)", "rss_growth_mb", "{:.1f}"),
    ("tracemalloc peak (MB)", "tracemalloc_peak_mb", "{:.1f}"),
    ("Wall time (s)", "wall_s", "{:.1f}"),
    ("Quota bound (s)", "quota_bound_s", "{:.1f}"),
    ("Wall / quota bound", "wall_over_bound", "{:.2f}"),
    ("HTTP 429 answers", "http_429", "{:.0f}"),
]


def table(result: dict[str, Any]) -> str:
    """The figures as a Markdown table, phases side by side, then the ratios."""
    phases, setup = result["phases"], result["setup"]
    head = ["", "night 1 (all new)", f"night 2 ({phases['night2']['changed_clubs']} changed)", f"by hand, gspread ({phases['baseline']['clubs']} clubs)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, key, fmt in ROWS:
        cells = [("-" if phases[p].get(key) is None else fmt.format(phases[p][key])) for p in PHASES]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    base = phases["baseline"]
    ratios = result["baseline_over_sheets_sync"]
    lines += [
        "",
        f"{setup['clubs']} clubs, latency {setup['latency_ms']:g} ms, quota {setup['quota_per_minute']}/min per service account "
        f"x {setup['service_accounts']}; night 2 outcomes: {phases['night2']['outcomes']}.",
        f"By hand, scaled to {base['scaled_to_clubs']} clubs: wall {base['scaled_wall_s']:.0f} s "
        f"(quota bound {base['scaled_quota_bound_s']:.0f} s); {base['notes_written']} notes written one call each.",
        f"By hand / sheets-sync night 1: {_ratio(ratios['requests'])} the requests, {_ratio(ratios['wall'])} the wall time.",
    ]
    return "\n".join(lines)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def main(argv: list[str] | None = None) -> int:
    """Parse, run every phase, print the table (or JSON)."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/nightly.py",
        description="The nightly job over N realistic clubs on the local Sheets API, and the same work by hand with gspread.",
        epilog="Example: .venv/bin/python benchmarks/nightly.py --clubs 100 --latency-ms 200",
    )
    parser.add_argument("--clubs", type=int, default=100, help="how many clubs (default 100)")
    parser.add_argument("--latency-ms", type=float, default=200, help="the server's delay per request, like Google's round trip (default 200)")
    parser.add_argument("--quota-per-minute", type=int, default=60,
                        help="Sheets reads and writes per minute per service account (default 60, Google's); more only for quick development runs")
    parser.add_argument("--changed", type=float, default=0.1, help="share of clubs staff change before night 2 (default 0.1)")
    parser.add_argument("--mistakes", type=float, default=0.2, help="share of clubs with 1-3 mistakes (default 0.2)")
    parser.add_argument("--baseline-clubs", type=int, help="clubs done by hand with gspread (default min(N, 100))")
    parser.add_argument("--workers", type=int, help="[schedule] workers for sheets-sync (default: its own default)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the clubs and of the staff edits (default 1)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY, help=f"night 1's date (default {TODAY})")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slows the client: CPU figures rise)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    if args.clubs < 1 or args.quota_per_minute < 1 or not 0 <= args.changed <= 1:
        parser.error("--clubs and --quota-per-minute must be at least 1, --changed between 0 and 1")
    args.baseline_clubs = min(args.clubs, args.baseline_clubs or 100)
    result = run(args)
    print(json.dumps(result, indent=1, ensure_ascii=False) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
