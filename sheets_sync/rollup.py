"""The coordinator's roll-up: one row per club for a month, and its CSV.

Counts and club names only (club-workbook.md, "People's privacy"): a row is
built from ``report.month_report`` totals, never from a member's or a case's
row, so no person's name can reach it.  A club that could not be read is a
row too, with its reason.  Pure: no I/O, no clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Mapping

from . import i18n

__all__ = ["RollupRow", "COLUMNS", "from_report", "failed_row", "rollup_csv", "totals", "csv_filename"]

#: The CSV's columns, in order; each header is the i18n message "rollup-col-<id>".
COLUMNS = (
    "club", "province", "district", "commune", "status", "cases_helped", "cases_target", "cases_target_met",
    "activities", "community_target", "community_target_met", "errors", "warnings", "active_members",
    "loans_outstanding", "outstanding_principal", "par30", "last_check", "reason",
)


@dataclass(frozen=True)
class RollupRow:
    """One club's month for the coordinator; None where the club could not be read."""

    club: str
    status: str  # "ok" | "problems" | "failed" (jobs.ClubOutcome.status)
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    cases_helped: int | None = None
    cases_target: int | None = None
    cases_target_met: bool | None = None
    activities: int | None = None
    community_target: int | None = None
    community_target_met: bool | None = None
    errors: int | None = None
    warnings: int | None = None
    active_members: int | None = None
    loans_outstanding: int | None = None
    outstanding_principal: int | None = None
    par30: float | None = None  # a fraction 0..1
    last_check: dt.datetime | None = None  # the last nightly check that went through, local time
    reason: str | None = None

    @property
    def both_met(self) -> bool:
        return bool(self.cases_target_met and self.community_target_met)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def from_report(club: str, data: Mapping[str, Any], *, status: str, place: Mapping[str, str | None] | None = None,
                last_check: dt.datetime | None = None, reason: str | None = None) -> RollupRow:
    """The row of a club whose month was worked out (``data`` = ``report.month_report``)."""
    cases, community, members, loans = data["cases"], data["community"], data["members"], data["loans"]
    problems = data.get("problems", {})
    return RollupRow(
        club=club, status=status, **_place(place),
        cases_helped=cases["helped"], cases_target=cases["target"], cases_target_met=cases["target_met"],
        activities=community["activities"], community_target=community["target"], community_target_met=community["target_met"],
        errors=problems.get("errors"), warnings=problems.get("warnings"),
        active_members=members["active"], loans_outstanding=loans["active"], outstanding_principal=loans["outstanding_principal"],
        par30=loans["par30"], last_check=last_check, reason=reason,
    )


def failed_row(club: str, reason: str, *, place: Mapping[str, str | None] | None = None, last_check: dt.datetime | None = None) -> RollupRow:
    """The row of a club that could not be read: its name, where it is, why, and when it last went through."""
    return RollupRow(club=club, status="failed", **_place(place), last_check=last_check, reason=reason)


def _place(place: Mapping[str, str | None] | None) -> dict[str, str | None]:
    place = place or {}
    return {k: place.get(k) or None for k in ("province", "district", "commune")}


def totals(rows: Iterable[RollupRow]) -> dict[str, int]:
    """Counts for the subject and the top of the e-mail."""
    rows = list(rows)
    return {
        "clubs": len(rows),
        "both_met": sum(r.both_met for r in rows),
        "problems": sum(r.status == "problems" for r in rows),
        "failed": sum(r.status == "failed" for r in rows),
    }


def _cell(row: RollupRow, column: str, lang: str) -> str:
    value = getattr(row, column)
    if column == "status":
        return i18n.t(f"rollup-status-{value}", lang)
    if value is None:
        return ""
    if isinstance(value, bool):
        return i18n.t("rollup-yes" if value else "rollup-no", lang)
    if column == "par30":
        text = f"{value * 100:.1f}"
        return text.replace(".", ",") if lang == "vi" else text
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def rollup_csv(rows: Iterable[RollupRow], lang: str = "vi") -> bytes:
    """The rows as CSV: headers in ``lang``, UTF-8 with a BOM so Excel shows Vietnamese right.

    Numbers are plain (no thousands separators), PAR30 in percent, yes/no in
    words, the last check as "YYYY-MM-DD HH:MM".
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([i18n.t(f"rollup-col-{c}", lang) for c in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row, c, lang) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_filename(month: str, lang: str = "vi") -> str:
    """ "tong-hop-2026-10.csv" (vi) or "rollup-2026-10.csv" (en)."""
    return f"{'tong-hop' if lang == 'vi' else 'rollup'}-{month}.csv"
