"""The twelve-month chart of the chair's email, drawn as a PNG.

Bars are the cases helped each month (left axis), the line is the fund's
outstanding principal in millions of đồng (right axis).  The picture is always
600 × 300 px (``WIDTH`` × ``HEIGHT``) so the email can reserve its place, and
it uses DejaVu Sans, which matplotlib ships and which has every Vietnamese
letter.  Drawing uses a bare :class:`~matplotlib.figure.Figure` on the Agg
canvas, never ``pyplot``: no display is needed, and no figure is left in
pyplot's global registry to leak across nightly runs.
"""

from __future__ import annotations

import io

__all__ = ["trend_chart", "WIDTH", "HEIGHT"]

WIDTH, HEIGHT, DPI = 600, 300, 100

_BAR = "#2f6fb3"
_LINE = "#d9480f"
_TEXT = "#222222"
_FONT = "DejaVu Sans"

_LABELS = {
    "vi": {"cases": "Trường hợp được giúp", "fund": "Dư nợ quỹ (triệu đồng)"},
    "en": {"cases": "Cases helped", "fund": "Fund outstanding (million đồng)"},
}


def _month_tick(month: str) -> str:
    """ "2026-10" → "10/26": short enough for twelve labels on a phone-sized picture."""
    year, number = month.split("-")
    return f"{int(number):02d}/{year[-2:]}"


def _millions(value: float, lang: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "vi" else text


def trend_chart(trend: list[dict], lang: str = "vi") -> bytes:
    """The trend as a 600 × 300 PNG: cases helped (bars) and fund outstanding (line).

    ``trend`` is ``month_report(...)["trend"]``: dicts with ``month``
    ("YYYY-MM"), ``cases_helped`` and ``outstanding_principal`` (whole đồng).
    An empty trend, or one of all zeros, still gives a readable picture.
    ``lang`` is "vi" or "en" (anything else falls back to "vi").
    """
    # Imported here: matplotlib takes half a second to load, and a nightly run never draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = _LABELS.get(lang, _LABELS["vi"])
    ticks = [_month_tick(t["month"]) for t in trend]
    helped = [int(t["cases_helped"]) for t in trend]
    fund = [int(t["outstanding_principal"]) / 1_000_000 for t in trend]
    positions = list(range(len(trend)))

    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    # The picture shrinks to ~340 px on a phone: large type, and a legend on
    # top instead of rotated axis titles; each axis' numbers take its series' colour.
    ax = fig.add_subplot(1, 1, 1)
    bars = ax.bar(positions, helped, color=_BAR, width=0.6, label=labels["cases"], zorder=2)
    # Whole cases only, and room above a month with no case at all.
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax.set_ylim(0, max([1, *helped]) * 1.15)
    # Every other month, counted back from the report's month so that one is
    # always named: twelve labels would run together once a phone shrinks the picture.
    ax.set_xticks(positions, [tick if (len(ticks) - 1 - i) % 2 == 0 else "" for i, tick in enumerate(ticks)])
    ax.set_xlim(-0.6, max(len(trend), 1) - 0.4)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8, zorder=0)

    right = ax.twinx()
    (line,) = right.plot(positions, fund, color=_LINE, marker="o", markersize=5, linewidth=2.5,
                         label=labels["fund"], zorder=3)
    right.set_ylim(0, max([1.0, *fund]) * 1.15)
    right.yaxis.set_major_locator(MaxNLocator(nbins=4))
    right.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: _millions(value, lang)))

    # The font is named on every text: a site matplotlibrc must not swap in one without Vietnamese.
    ax.tick_params(axis="x", labelsize=14, labelfontfamily=_FONT, colors=_TEXT, length=3)
    ax.tick_params(axis="y", labelsize=14, labelfontfamily=_FONT, colors=_BAR)
    right.tick_params(axis="y", labelsize=14, labelfontfamily=_FONT, colors=_LINE)
    for axis in (ax, right):
        axis.spines["top"].set_visible(False)
    fig.legend([bars, line], [labels["cases"], labels["fund"]], loc="upper center", ncol=2,
               frameon=False, prop={"family": _FONT, "size": 14}, handlelength=1.2, columnspacing=1.2)
    fig.subplots_adjust(left=0.06, right=0.91, top=0.84, bottom=0.11)
    buffer = io.BytesIO()
    # No "Software" text chunk: the same figures give the same bytes on any matplotlib.
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()
