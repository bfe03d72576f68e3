"""benchmarks/nightly.py runs end to end on a few clubs and reports every figure (counts, never times)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "benchmarks" / "nightly.py"
FIGURES = {
    "clubs", "sheets_reads", "sheets_writes", "drive_requests", "reads_per_club", "writes_per_club", "drive_per_club",
    "cpu_ms_per_club", "wall_s", "quota_bound_s", "wall_over_bound", "peak_rss_mb", "max_rss_mb", "rss_growth_mb", "tracemalloc_peak_mb",
    "http_429", "by_path", "server",
}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(SCRIPT), "--clubs", "3", "--latency-ms", "0", "--quota-per-minute", "6000", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_phase_has_every_figure(result: dict[str, Any]) -> None:
    assert set(result) == {"setup", "phases", "baseline_over_sheets_sync"}
    assert set(result["phases"]) == {"night1", "night2", "baseline"}
    for name, phase in result["phases"].items():
        assert FIGURES <= set(phase), name
        assert phase["clubs"] == 3 and phase["http_429"] == 0
    assert {"outcomes", "clubs_reported", "changed_clubs", "reads_per_changed_club"} <= set(result["phases"]["night2"])
    assert {"notes_written", "scaled_to_clubs", "scaled_wall_s", "scaled_quota_bound_s"} <= set(result["phases"]["baseline"])
    setup = result["setup"]
    assert (setup["clubs"], setup["quota_per_minute"], setup["service_accounts"]) == (3, 6000, 1)
    assert {"cpus", "cpu_model", "memory_gb", "python"} <= set(setup["machine"])


def test_night_one_reads_each_club_once(result: dict[str, Any]) -> None:
    night1 = result["phases"]["night1"]
    assert night1["reads_per_club"] == 1
    assert night1["writes_per_club"] <= 1
    assert night1["clubs_reported"] == 3 and night1["outcomes"]["failed"] == 0
    assert result["phases"]["night2"]["changed_clubs"] == 1  # 10% of 3, at least one


def test_the_hand_written_way_makes_more_requests(result: dict[str, Any]) -> None:
    night1, baseline = result["phases"]["night1"], result["phases"]["baseline"]
    assert baseline["reads_per_club"] == 13  # open_by_key, then worksheet() and get_all_records() for each of 6 tabs
    assert baseline["sheets_reads"] + baseline["sheets_writes"] > night1["sheets_reads"] + night1["sheets_writes"] + night1["drive_requests"]
    assert result["baseline_over_sheets_sync"]["requests"] > 1


def test_the_table_shows_each_figure(result: dict[str, Any]) -> None:
    spec = importlib.util.spec_from_file_location("nightly_benchmark", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.table(result)
    assert text.splitlines()[0].startswith("|  | night 1 (all new) | night 2 (1 changed) | by hand, gspread (3 clubs) |")
    for label, _key, _fmt in module.ROWS:
        assert f"| {label} |" in text
    assert "By hand / sheets-sync night 1:" in text
