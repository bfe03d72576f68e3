"""The emails' contents: the chair's monthly summary and the nightly problem digest.

A :class:`Summary` is everything a mail needs except the addresses: a
one-line subject, the plain-text part, the HTML part with its CSS already
inlined (many mail apps drop ``<style>``), and the pictures the HTML shows by
``cid:``.  Building one does no I/O beyond reading templates; ``mail.py``
turns it into an ``EmailMessage``.

Privacy (club-workbook.md, "People's privacy"): the monthly summary is built
only from ``report.month_report`` data, which never holds Hoàn cảnh, Nhu cầu,
Ghi chú or phone numbers.  The digest lists problem messages, which quote the
typed value; for a problem on a column marked ``private = true`` in
``rules/*.toml`` it gives the place (tab, row, column, cell), the severity and
the rule id, and never the message or the value.
"""

from __future__ import annotations

from pathlib import Path

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import css_inline
import jinja2

from . import i18n
from .chart import trend_chart
from .errors import ConfigError
from .problems import Problem, Severity
from .report import month_label, render, render_month
from .rules import RuleSet, load_rules
from .workbook import header_key
from .values import strip_diacritics

__all__ = ["Summary", "build_summary", "build_digest", "build_rollup", "one_line", "inline_css", "CHART_CID", "SUBJECT_MAX"]

#: Content-ID (without <>) of the twelve-month chart in the monthly email.
CHART_CID = "trend@sheets-sync"
#: Longest subject, in characters; a long club name is shortened to fit.
SUBJECT_MAX = 150

# No remote stylesheet is ever fetched: templates are local and mail is built offline.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)

_WORDS = {
    "vi": {"report": "Báo cáo {month}", "helped": "giúp", "community": "hoạt động cộng đồng",
           "digest": "{n} vấn đề dữ liệu mới ({errors} lỗi, {warnings} điều cần chú ý)",
           "rollup": "Tổng hợp {month}: {clubs} CLB, {both_met} đạt cả hai chỉ tiêu, {failed} không chạy được"},
    "en": {"report": "Report for {month}", "helped": "cases helped", "community": "community activities",
           "digest": "{n} new data {problems} ({errors} {error_s}, {warnings} {warning_s})",
           "rollup": "Roll-up for {month}: {clubs} clubs, {both_met} met both targets, {failed} failed"},
}


@dataclass(frozen=True)
class Summary:
    """One email's contents in one language, ready for ``mail.py``.

    ``subject`` is a single line (never CR/LF, at most ``SUBJECT_MAX``
    characters); ``images`` maps a Content-ID (without ``<>``) to PNG bytes that
    ``html`` shows as ``cid:<id>``.
    """

    subject: str
    text: str
    html: str
    images: dict[str, bytes] = field(default_factory=dict)
    lang: str = "vi"
    #: Files attached to the message: (file name, MIME type, bytes).
    attachments: tuple[tuple[str, str, bytes], ...] = ()


def one_line(text: object) -> str:
    """``text`` as one tidy line: control, format and line-separator characters become spaces.

    A sheet value is untrusted: a club name with CR/LF in it would otherwise
    add mail headers ("...\\r\\nBcc: ...").
    """
    text = unicodedata.normalize("NFC", "" if text is None else str(text))
    # Cc (CR, LF, NEL, tabs...), Cf (zero-width, bidi overrides), Zl/Zp (U+2028/9), Cs/Co/Cn.
    cleaned = "".join(" " if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") else ch
                      for ch in text)
    return re.sub(r"\s+", " ", cleaned).strip()


def _subject(club: object, tail: str) -> str:
    """ "[club] tail", the club name shortened with "…" so the whole stays within SUBJECT_MAX."""
    club, tail = one_line(club), one_line(tail)
    room = SUBJECT_MAX - len(tail) - 3  # "[", "] "
    if len(club) > room:
        club = club[: max(room - 1, 0)].rstrip() + "…"
    subject = f"[{club}] {tail}" if club else tail
    return subject[:SUBJECT_MAX]


def inline_css(html: str) -> str:
    """Move the ``<style>`` rules into ``style=""`` attributes (css-inline, no network).

    Raises :class:`ConfigError` when the template's HTML or CSS cannot be inlined.
    """
    try:
        return _INLINER.inline(html)
    except (css_inline.InlineError, ValueError) as err:  # a broken _email.css or template
        raise ConfigError(detail=f"templates/: the email's CSS cannot be inlined: {err}") from err


def _lang(lang: str) -> str:
    if lang not in i18n.LANGUAGES:
        raise ValueError(f'language "{lang}" is not one of {", ".join(i18n.LANGUAGES)}')
    return lang


def _render(call, name: str):
    # templates/ are files users may edit: a mistake there is a ConfigError, not a crash.
    try:
        return call()
    except jinja2.TemplateError as err:
        raise ConfigError(detail=f'template "templates/{name}": {err}') from err


def build_summary(data: Mapping[str, Any], lang: str, *, where: str | None = None) -> Summary:
    """The chair's monthly email for ``data`` (``report.month_report``) in ``lang``.

    ``where`` tells the chair where to look at the open data problems (for
    example the sheet's link); the email always also names the "Kiểm tra" tab
    and ``sheets-sync check``.  The subject opens with the club and answers the
    promise: "[CLB …] Báo cáo tháng 10/2026: giúp 2/1 ✓, hoạt động cộng đồng 0/1 ✗".
    """
    lang = _lang(lang)
    data = dict(data)
    data["problems"] = {**data.get("problems", {"errors": 0, "warnings": 0}), "where": where}
    cases, community = data["cases"], data["community"]
    words = _WORDS[lang]

    def mark(met: bool) -> str:
        return "✓" if met else "✗"

    tail = (f'{words["report"].format(month=month_label(data["month"], lang))}: '
            f'{words["helped"]} {cases["helped"]}/{cases["target"]} {mark(cases["target_met"])}, '
            f'{words["community"]} {community["activities"]}/{community["target"]} {mark(community["target_met"])}')
    text = _render(lambda: render_month(data, lang, "txt"), f"monthly.{lang}.txt.j2")
    html = _render(lambda: render_month(data, lang, "html", chart_cid=CHART_CID), f"monthly.{lang}.html.j2")
    return Summary(
        subject=_subject(data["club"], tail),
        text=text,
        html=inline_css(html),
        images={CHART_CID: trend_chart(data["trend"], lang)},
        lang=lang,
    )


# --- The nightly digest of new problems -------------------------------------------


def _private_names(rules: RuleSet) -> tuple[set[tuple[str, str]], set[str]]:
    """((tab id, column id) of private columns, every header name of a private column, folded)."""
    ids, names = set(), set()
    for tab in rules.tabs.values():
        for column in tab.columns:
            if column.private:
                ids.add((tab.id, column.id))
                names.update(strip_diacritics(header_key(n)) for n in column.names)
    return ids, names


def _is_private(problem: Mapping[str, Any], ids: set[tuple[str, str]], names: set[str]) -> bool:
    # Fail closed: a private column's id, or a header that reads like any private
    # column's name in any tab (a dict from JSON has only the header as typed).
    if (problem.get("tab_id"), problem.get("column_id")) in ids:
        return True
    return strip_diacritics(header_key(problem.get("column", ""))) in names


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _as_dict(problem: Problem | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(problem, Problem):
        d = problem.to_dict()
        d.update(tab_id=problem.tab_id, column_id=problem.column_id)
        return d
    d = dict(problem)
    severity = d.get("severity", "error")
    d["severity"] = severity.value if isinstance(severity, Severity) else str(severity)
    return d


def build_digest(club_name: str, problems: Iterable[Problem | Mapping[str, Any]], lang: str, where: str | None,
                 *, rules: RuleSet | None = None) -> Summary:
    """The nightly email listing the NEW data problems ``problems`` of one club.

    ``problems`` are :class:`~sheets_sync.problems.Problem` records or their
    ``to_dict()`` shape (tab, row, column, cell, value, rule, severity,
    message); only these are listed, grouped by tab in the order given.
    ``where`` says where to fix them (the sheet's link or name).  A problem on a
    private column (``private = true`` in ``rules``, default the built-in
    rules) shows its place, severity and rule id but neither its message nor
    its value: those may quote a phone number or a person's circumstances.
    """
    lang = _lang(lang)
    ids, names = _private_names(rules or load_rules())
    listed = []
    for problem in problems:
        d = _as_dict(problem)
        private = _is_private(d, ids, names)
        listed.append({
            "tab": d.get("tab", ""), "row": d.get("row", ""), "column": d.get("column", ""),
            "cell": d.get("cell", ""), "rule": d.get("rule", ""), "severity": d["severity"],
            "private": private, "message": None if private else d.get("message", ""),
        })
    tabs: dict[str, list[dict]] = {}
    for item in listed:
        tabs.setdefault(item["tab"], []).append(item)
    errors = sum(p["severity"] == "error" for p in listed)
    context = {"club": club_name, "tabs": tabs, "count": len(listed), "errors": errors,
               "warnings": len(listed) - errors, "where": where}
    text = _render(lambda: render(f"digest.{lang}.txt.j2", **context), f"digest.{lang}.txt.j2")
    html = _render(lambda: render(f"digest.{lang}.html.j2", **context), f"digest.{lang}.html.j2")
    warnings = len(listed) - errors
    tail = _WORDS[lang]["digest"].format(
        n=len(listed), errors=errors, warnings=warnings,  # English plurals; Vietnamese has none
        problems=_plural(len(listed), "problem"), error_s=_plural(errors, "error"), warning_s=_plural(warnings, "warning"))
    return Summary(subject=_subject(club_name, tail), text=text, html=inline_css(html), images={}, lang=lang)


# --- The coordinator's roll-up ----------------------------------------------------------


def build_rollup(rows: Iterable[Any], month: str, lang: str, *, title: str | None = None) -> Summary:
    """The coordinator's monthly email: one row per club (``rollup.RollupRow``), the CSV attached.

    Club names, places and counts only: no person's name can be in a row.
    ``title`` (default "sheets-sync") opens the subject in brackets.
    """
    from .rollup import csv_filename, rollup_csv, totals

    lang = _lang(lang)
    rows = list(rows)
    count = totals(rows)
    context = {"month": month, "rows": [r.as_dict() | {"both_met": r.both_met} for r in rows], "totals": count,
               "status": {k: i18n.t(f"rollup-status-{k}", lang) for k in ("ok", "problems", "failed")}}
    text = _render(lambda: render(f"rollup.{lang}.txt.j2", **context), f"rollup.{lang}.txt.j2")
    html = _render(lambda: render(f"rollup.{lang}.html.j2", **context), f"rollup.{lang}.html.j2")
    tail = _WORDS[lang]["rollup"].format(month=month_label(month, lang), **count)
    attachment = (csv_filename(month, lang), "text/csv", rollup_csv(rows, lang))
    return Summary(subject=_subject(title or "sheets-sync", tail), text=text, html=inline_css(html), images={}, lang=lang,
                   attachments=(attachment,))


def write_preview(summary: Summary, folder: Path, name: str = "email.html") -> Path:
    """Write the HTML part to ``folder/name`` with its pictures beside it, to open in a browser.

    Each ``cid:`` URL becomes the file name of its picture, as a mail app
    resolves it from the message's parts, so the folder can be moved whole.
    """
    folder.mkdir(parents=True, exist_ok=True)
    html_text = summary.html
    stem = Path(name).stem
    for n, (cid, data) in enumerate(summary.images.items()):
        picture = folder / f"{stem}-image{n}.png"
        picture.write_bytes(data)
        html_text = html_text.replace(f"cid:{cid}", picture.name)
    page = folder / name
    page.write_text(html_text, encoding="utf-8")
    return page
