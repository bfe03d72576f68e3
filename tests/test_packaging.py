"""The wheel carries every module and data file a `pip install .` user needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_the_wheel_has_every_module_rule_template_and_job(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("sheets_sync-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for p in (ROOT / "sheets_sync").rglob("*.py") if "__pycache__" not in p.parts and "_data" not in p.parts}
    for folder in ("rules", "templates", "jobs"):
        expected |= {f"sheets_sync/_data/{folder}/{p.name}" for p in (ROOT / folder).iterdir() if p.is_file() and p.suffix in (".toml", ".j2", ".css")}
    assert sorted(expected - names) == []
