"""Render the month's figures with the Jinja2 templates in ``templates/``.

Templates get the plain figures (``metrics.figures_to_json``) and a few
filters that write numbers the Vietnamese way (1.000.000 đ, 05/10/2026,
12,5 %).  Undefined names fail loudly (``StrictUndefined``); HTML templates
are autoescaped, because every text in them comes from a sheet.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

import jinja2

from . import values
from .metrics import Month, figures_to_json, month_figures

__all__ = ["environment", "render", "render_month", "month_report", "format_percent", "month_label"]


def format_percent(share: float | None, lang: str = "vi") -> str:
    """0.125 → "12,5 %" (vi) or "12.5%" (en); None → "–"."""
    if share is None:
        return "–"
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} %" if lang == "vi" else f"{text}%"


def month_label(month: str, lang: str = "vi") -> str:
    """ "2026-10" → "tháng 10/2026" (vi) or "October 2026" (en)."""
    year, number = (int(p) for p in month.split("-"))
    if lang == "vi":
        return f"tháng {number:02d}/{year}"
    return f"{_ENGLISH_MONTHS[number - 1]} {year}"  # not strftime: it follows the machine's locale


_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _date(value: str | dt.date) -> str:
    return values.format_date(dt.date.fromisoformat(value) if isinstance(value, str) else value)


def _number(value: int | float | None, lang: str = "vi") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "vi" else text
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "vi" else text


@lru_cache(maxsize=2)
def environment(html: bool) -> jinja2.Environment:
    """The Jinja2 environment for text (``html=False``) or HTML templates."""
    folder = resources.files("sheets_sync").joinpath("_data", "templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=values.format_money, date=_date, percent=format_percent, month=month_label, number=_number)
    return env


def render(name: str, **context: object) -> str:
    """Render ``templates/<name>`` with ``context``."""
    return environment(name.endswith(".html.j2")).get_template(name).render(**context)


def month_report(club, month: Month, *, trend: bool = True) -> dict:
    """The month's figures for ``club`` as plain data, with the count of open problems.

    This is what ``report --json`` prints and what every template receives as
    ``r``; ``trend=False`` leaves out the twelve months before (an empty list).
    """
    data = figures_to_json(month_figures(club.workbook, month, club.error_rows, trend=trend), club.name)
    data["problems"] = {"errors": len(club.report.errors), "warnings": len(club.report.warnings)}
    return data


def render_month(data: dict, lang: str, kind: str = "txt", **extra: object) -> str:
    """The monthly summary in ``lang`` ("vi"/"en") as text (``kind="txt"``) or HTML."""
    return render(f"monthly.{lang}.{kind}.j2", r=data, problems=data["problems"], **extra)
