"""Open an email's HTML in headless Chromium at a phone's width, for tests.

Headless Chromium will not make a window narrower than 500 px (``--window-size=375,900``
still gives ``innerWidth`` 500), so the page is shown in a same-size
``<iframe>`` of a small harness page: inside it the email lays out exactly as
in a 375 px wide viewport.  A script in the harness measures the email after
``load`` (which waits for the iframe and its pictures) and writes JSON into
``<pre id="probe">``, which ``--dump-dom`` prints.  ``--hide-scrollbars``
gives the overlay scrollbars of a phone (a desktop scrollbar would take 15 px
of the width), ``--allow-file-access-from-files`` lets the harness read its
file:// iframe, and ``--virtual-time-budget`` lets the page finish loading
before the DOM is dumped, without real waiting.

``CHROMIUM`` overrides the browser path; when it is missing, a test skips,
except under CI (``CI`` set), where it fails: CI installs ``chromium`` by apt.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["chromium", "probe_page", "screenshot"]

TIMEOUT = 60  # seconds for one browser run; a normal one takes about one
MIN_WINDOW = 500  # headless Chromium's narrowest window

_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--force-device-scale-factor=1", "--hide-scrollbars", "--allow-file-access-from-files",
    "--virtual-time-budget=5000",
]

_HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>html, body {{ margin: 0; background: #888; }} iframe {{ display: block; border: 0; }}</style></head>
<body><iframe id="email" src="{src}" width="{width}" height="{height}"></iframe>
<pre id="probe"></pre>
<script>
window.addEventListener("load", function () {{
  var win = document.getElementById("email").contentWindow, doc = win.document;
  var img = doc.querySelector("img");
  document.getElementById("probe").textContent = JSON.stringify({{
    scrollWidth: doc.documentElement.scrollWidth,
    scrollHeight: doc.documentElement.scrollHeight,
    innerWidth: win.innerWidth,
    naturalWidth: img ? img.naturalWidth : null,
    imgWidth: img ? img.getBoundingClientRect().width : null
  }});
}});
</script></body></html>
"""


def chromium() -> str:
    """The Chromium binary; skips the test when missing, fails it under CI."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "Chromium not found: install it (apt-get install chromium) or set CHROMIUM to its path"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must have it")
    pytest.skip(reason)


def _run(html_path: Path, width: int, height: int, *extra: str) -> str:
    harness = html_path.with_name(f"harness-{width}.html")
    harness.write_text(_HARNESS.format(src=html.escape(html_path.as_uri()), width=width, height=height), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        command = [chromium(), *_FLAGS, f"--user-data-dir={profile}",
                   f"--window-size={max(width, MIN_WINDOW)},{height}", *extra, harness.as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                              cwd=html_path.parent, check=False)
    if done.returncode != 0:
        raise AssertionError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def probe_page(html_path: Path, width: int, height: int = 900) -> dict:
    """Show ``html_path`` in a ``width`` × ``height`` viewport; measure it once loaded.

    Returns ``scrollWidth`` and ``scrollHeight`` of the page, ``innerWidth`` of
    its viewport, and ``naturalWidth`` and ``imgWidth`` (shown width) of the
    first picture (0 when it did not load, None when there is none).
    """
    out = _run(html_path, width, height, "--dump-dom")
    found = re.search(r'<pre id="probe">(.*?)</pre>', out, re.S)
    if not found or not found.group(1).strip():
        raise AssertionError(f"no probe in Chromium's DOM dump:\n{out[-2000:]}")
    return json.loads(html.unescape(found.group(1)))


def screenshot(html_path: Path, width: int, out: Path) -> Path:
    """A PNG of the whole page at ``width`` (as tall as the page), saved to ``out``."""
    height = probe_page(html_path, width)["scrollHeight"]
    _run(html_path, width, height, f"--screenshot={out}")
    if width < MIN_WINDOW:  # cut the window's unused grey strip off
        from PIL import Image

        with Image.open(out) as shot:
            shot.crop((0, 0, width, height)).save(out)
    return out
