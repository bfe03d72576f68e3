"""What to write back into a club's workbook: notes, highlights, owned tabs.

Pure planning, shared by the Google and .xlsx sources.  sheets-sync never
writes a value into a tab staff edit: there it only adds a note and a
highlight to each cell with a problem, and takes its own away when the problem
is gone.  A note staff wrote is kept word for word: ours is appended after it,
starting with :data:`MARKER`, and removed from there on.  A cell staff coloured
keeps its colour.  The tabs the library owns (Kiểm tra, Báo cáo tháng) are
rewritten whole, every value as plain text or number, never a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .grid import RawCell, RawWorkbook, parse_a1
from .problems import Problem, ValidationReport
from .values import format_money

__all__ = [
    "MARKER", "ERROR_FILL", "WARNING_FILL", "CHECK_TAB", "REPORT_TAB", "OWNED_TABS",
    "CellMark", "CellChange", "cell_marks", "cell_changes", "check_tab_rows", "report_tab_rows", "staff_note", "same_rows",
]

MARKER = "[sheets-sync]"
ERROR_FILL = "F8CBAD"    # light red: an error keeps the row out of the figures
WARNING_FILL = "FFE699"  # light yellow: worth a look
OUR_FILLS = {ERROR_FILL, WARNING_FILL}
NO_FILL = {None, "FFFFFF"}

CHECK_TAB = "Kiểm tra"
REPORT_TAB = "Báo cáo tháng"
OWNED_TABS = (CHECK_TAB, REPORT_TAB)

_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class CellMark:
    """Our note and highlight for one cell (row and col are 1-based)."""

    tab: str
    row: int
    col: int
    note: str
    fill: str


@dataclass(frozen=True)
class CellChange:
    """The note and fill one cell must end up with (None: no note / no fill)."""

    tab: str
    row: int
    col: int
    note: str | None
    fill: str | None
    fill_changed: bool
    note_changed: bool


def cell_marks(problems: Iterable[Problem]) -> dict[tuple[str, int, int], CellMark]:
    """One mark per cell: its problems' messages, red if any is an error."""
    grouped: dict[tuple[str, int, int], list[Problem]] = {}
    for problem in problems:
        row, col = parse_a1(problem.cell)
        grouped.setdefault((problem.tab, row, col), []).append(problem)
    marks = {}
    for (tab, row, col), found in grouped.items():
        lines = [f"{MARKER} {p.message}" if i == 0 else p.message for i, p in enumerate(found)]
        fill = ERROR_FILL if any(p.is_error for p in found) else WARNING_FILL
        marks[(tab, row, col)] = CellMark(tab, row, col, "\n".join(lines), fill)
    return marks


def staff_note(note: str | None) -> str:
    """The part of a note that staff wrote (everything before our marker)."""
    if not note:
        return ""
    if note.startswith(MARKER):
        return ""
    cut = note.find(_SEPARATOR + MARKER)
    return note if cut < 0 else note[:cut]


def _wanted(cell: RawCell, mark: CellMark | None) -> tuple[str | None, str | None]:
    staff = staff_note(cell.note)
    if mark is None:
        note = staff or None
        fill = None if cell.fill in OUR_FILLS else cell.fill
    else:
        note = f"{staff}{_SEPARATOR}{mark.note}" if staff else mark.note
        fill = mark.fill if cell.fill in NO_FILL | OUR_FILLS else cell.fill
    return note, fill


def cell_changes(raw: RawWorkbook, marks: dict[tuple[str, int, int], CellMark]) -> list[CellChange]:
    """Every cell whose note or fill must change; empty when nothing did.

    Looks at every cell with a mark now and every cell that carries one of our
    notes or fills from an earlier run, in every tab but the owned ones.
    """
    changes = []
    for tab in raw.tabs:
        if tab.title in OWNED_TABS:
            continue
        places = {(r, c) for (t, r, c) in marks if t == tab.title}
        for r, cells in enumerate(tab.rows, start=1):
            for c, cell in enumerate(cells, start=1):
                if (cell.note and MARKER in cell.note) or cell.fill in OUR_FILLS:
                    places.add((r, c))
        for r, c in sorted(places):
            cell = tab.cell(r, c)
            note, fill = _wanted(cell, marks.get((tab.title, r, c)))
            note_changed = note != (cell.note or None)
            fill_changed = fill != cell.fill and not (fill in NO_FILL and cell.fill in NO_FILL)
            if note_changed or fill_changed:
                changes.append(CellChange(tab.title, r, c, note, fill, fill_changed, note_changed))
    return changes


_CHECK_HEADERS = {
    "vi": ["Trang", "Dòng", "Cột", "Ô", "Giá trị đã nhập", "Mức độ", "Quy tắc", "Nội dung"],
    "en": ["Tab", "Row", "Column", "Cell", "Value typed", "Severity", "Rule", "Message"],
}
_SEVERITY = {"vi": {"error": "Lỗi", "warning": "Chú ý"}, "en": {"error": "Error", "warning": "Warning"}}
_NONE = {"vi": "Không có lỗi nào. Cảm ơn bạn đã nhập liệu cẩn thận!", "en": "No problems found. Thank you for careful data entry!"}


def check_tab_rows(report: ValidationReport, lang: str = "vi") -> list[list[object]]:
    """The rows of the Kiểm tra tab: a header, then one row per problem.

    The cell column (index 3) is where a source puts a link to the cell.
    """
    rows: list[list[object]] = [list(_CHECK_HEADERS[lang])]
    for p in report.sorted():
        rows.append([p.tab, p.row, p.column, p.cell, p.value, _SEVERITY[lang][p.severity.value], p.rule, p.message])
    if len(rows) == 1:
        rows.append([_NONE[lang]])
    return rows


def report_tab_rows(data: dict, lang: str = "vi") -> list[list[object]]:
    """The rows of the Báo cáo tháng tab: the month's key figures as label / value."""
    c, cm, m, l = data["cases"], data["community"], data["members"], data["loans"]
    vi = lang == "vi"
    yes, no = ("Đạt", "Chưa đạt") if vi else ("Met", "Not met")

    def pct(x):
        return "" if x is None else round(x * 100, 1)

    rows: list[tuple[str, str, object]] = [
        ("Tháng", "Month", data["month"]),
        ("Tính đến ngày", "As of", data["as_of"]),
        ("Trường hợp được giúp", "Cases helped", c["helped"]),
        ("Chỉ tiêu giúp đỡ", "Cases target", c["target"]),
        ("Đạt chỉ tiêu giúp đỡ", "Cases target met", yes if c["target_met"] else no),
        ("Trường hợp mới ghi nhận", "Cases recorded", c["recorded"]),
        ("Chờ quá 30 ngày", "Waiting over 30 days", c["waiting_over_30_days"]),
        ("Hoạt động cộng đồng", "Community activities", cm["activities"]),
        ("Đạt chỉ tiêu hoạt động cộng đồng", "Community target met", yes if cm["target_met"] else no),
        ("Thành viên đang sinh hoạt", "Active members", m["active"]),
        ("Vào CLB trong tháng", "Joined", m["joined"]),
        ("Rời CLB trong tháng", "Left", m["left"]),
        ("Nữ (%)", "Women (%)", pct(m["shares"]["women"])),
        ("Người cao tuổi (%)", "Older people (%)", pct(m["shares"]["older"])),
        ("Hộ nghèo, cận nghèo (%)", "Poor or near-poor (%)", pct(m["shares"]["poor_or_near_poor"])),
        ("Khoản vay còn dư nợ", "Loans outstanding", l["active"]),
        ("Dư nợ cuối tháng (đồng)", "Principal outstanding (đồng)", l["outstanding_principal"]),
        ("Giải ngân (đồng)", "Disbursed (đồng)", l["disbursed"]),
        ("Gốc đã thu (đồng)", "Principal repaid (đồng)", l["principal_repaid"]),
        ("Lãi phải thu (đồng)", "Interest due (đồng)", l["interest_due"]),
        ("Lãi đã thu (đồng)", "Interest collected (đồng)", l["interest_collected"]),
        ("Tỷ lệ trả đúng hạn (%)", "On-time repayment (%)", pct(l["on_time_rate"])),
        ("PAR30 (%)", "PAR30 (%)", pct(l["par30"])),
        ("Khoản vay quá hạn", "Overdue loans", len(l["overdue"])),
        ("Dòng có lỗi không được tính", "Rows left out for errors", data["rows_left_out"]),
    ]
    header = ["Chỉ số", "Giá trị"] if vi else ["Figure", "Value"]
    body: list[list[object]] = [[label_vi if vi else label_en, value] for label_vi, label_en, value in rows]
    for o in l["overdue"]:
        label = f"Quá hạn: {o['loan_id']}" if vi else f"Overdue: {o['loan_id']}"
        body.append([label, f"{o['days_past_due']} {'ngày' if vi else 'days'}, {format_money(o['amount_overdue'])}"])
    return [header, *body]


def same_rows(current: list[list] | None, wanted: list[list]) -> bool:
    """True when an owned tab already shows ``wanted`` (blank cells and trailing blanks ignored)."""
    return current is not None and _trimmed(current) == _trimmed(wanted)


def _trimmed(rows: list[list]) -> list[list]:
    out = [[None if v == "" else v for v in row] for row in rows]
    out = [row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in out]
    while out and not out[-1]:
        out.pop()
    return out
