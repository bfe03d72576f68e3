"""The twelve-month chart: a 600 × 300 PNG in either language, whatever the figures."""

from __future__ import annotations

import struct
import time
import warnings

import pytest

from sheets_sync.chart import HEIGHT, WIDTH, _month_tick, trend_chart

PNG = b"\x89PNG\r\n\x1a\n"


def trend(helped=(0, 1, 2, 1, 1, 2, 0, 4, 3, 2, 2, 1), outstanding=None) -> list[dict]:
    months = [f"{2025 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(len(helped))]
    outstanding = outstanding or [60_000_000 + 4_500_000 * i for i in range(len(helped))]
    return [{"month": m, "cases_helped": h, "outstanding_principal": o, "activities": 1, "active_members": 57,
             "cases_target_met": h >= 1, "community_target_met": True, "par30": 0.0}
            for m, h, o in zip(months, helped, outstanding)]


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG) and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("points", [
    pytest.param(trend(), id="twelve-months"),
    pytest.param(trend(helped=(0,) * 12, outstanding=[0] * 12), id="all-zero"),
    pytest.param(trend(helped=(7,), outstanding=[1_500_000_000]), id="one-month-large"),
    pytest.param([], id="empty"),
])
def test_a_png_of_fixed_size(points, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Vietnamese glyph is a warning in matplotlib
        png = trend_chart(points, lang)
    assert size(png) == (WIDTH, HEIGHT) == (600, 300)


def test_the_languages_differ_and_the_output_is_repeatable():
    vi, en = trend_chart(trend(), "vi"), trend_chart(trend(), "en")
    assert vi != en
    assert trend_chart(trend(), "vi") == vi


def test_fast_and_leaves_no_figure_behind():
    import matplotlib.pyplot as plt

    trend_chart(trend(), "vi")  # warm the font cache
    start = time.perf_counter()
    trend_chart(trend(), "vi")
    assert time.perf_counter() - start < 1.0
    assert plt.get_fignums() == []


@pytest.mark.parametrize("month, tick", [("2026-10", "10/26"), ("2025-01", "01/25"), ("2026-1", "01/26")])
def test_month_ticks(month, tick):
    assert _month_tick(month) == tick
