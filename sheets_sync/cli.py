"""The ``sheets-sync`` command: a thin layer that parses, calls the library, prints.

Exit status: 0 done and no errors found, 1 errors found in the data, 2 the job
could not be done (a :class:`~sheets_sync.errors.SheetsSyncError`, shown as one
line with no traceback).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Callable

import click

from . import clock, i18n
from .errors import SheetsSyncError, UsageError
from .loans import Method
from .metrics import Month
from .problems import ValidationReport

__all__ = ["main", "cli"]

LANG = click.option("--lang", type=click.Choice(i18n.LANGUAGES), default="vi", show_default=True, help="Language of messages: vi (Tiếng Việt) or en.")
RULES = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Your organisation's rules folder (overrides the built-in rules/ file by file).")


def handle_errors(command: Callable) -> Callable:
    """Turn a SheetsSyncError into one line on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang", "vi")
        try:
            return command(*args, **kwargs)
        except SheetsSyncError as err:
            click.echo(("Lỗi: " if lang == "vi" else "Error: ") + err.message(lang), err=True)
            sys.exit(err.exit_code)
        except Exception as err:  # a bug, not a user's mistake: say so briefly
            if os.environ.get("SHEETS_SYNC_DEBUG"):
                traceback.print_exc()
            hint = "chạy lại với SHEETS_SYNC_DEBUG=1 để xem chi tiết" if lang == "vi" else "run again with SHEETS_SYNC_DEBUG=1 for details"
            click.echo(f"{'Lỗi không mong đợi' if lang == 'vi' else 'Unexpected error'}: {type(err).__name__}: {err} ({hint})", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sheets-sync")
def cli() -> None:
    """sheets-sync: checks, figures and reports for self-help clubs' workbooks.

    Example: sheets-sync demo
    """


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--annotate", is_flag=True, help="Also write notes and highlights on the problem cells, and the Kiểm tra and Báo cáo tháng tabs, into the workbook.")
@LANG
@RULES
@handle_errors
def check(path: Path, as_json: bool, annotate: bool, lang: str, rules_dir: Path | None) -> None:
    """Check a club workbook and list every problem, by tab, row and column.

    Example: sheets-sync check clb.xlsx --lang en

    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the file
    could not be used.
    """
    from .club import open_club

    today = clock.today()
    club = open_club(path, today=today, rules_dir=rules_dir, lang=lang)
    if annotate:
        from .annotate import annotate as write_annotations

        written = write_annotations(club, Month.of(today), lang)
        click.echo(i18n.t("annotated" if written else "annotated-nothing", lang, path=path), err=True)
    if as_json:
        click.echo(json.dumps(club.report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(club.report, lang, title=f"{club.name} ({path})"))
    sys.exit(0 if club.report.ok else 1)


def format_report(report: ValidationReport, lang: str, title: str) -> str:
    """The problems as text, grouped by tab, for a terminal."""
    lines = [i18n.t("check-title", lang, name=title), ""]
    current = None
    for problem in report.sorted():
        if problem.tab != current:
            if current is not None:
                lines.append("")
            current = problem.tab
            lines.append(i18n.t("check-tab", lang, tab=problem.tab))
        severity = i18n.t(f"severity-{problem.severity.value}", lang)
        lines.append(i18n.t("check-line", lang, severity=severity, row=problem.row, column=problem.column, cell=problem.cell, message=problem.message))
    if report.problems:
        lines.append("")
    else:
        lines.append(i18n.t("check-clean", lang))
    summary = report.summary()
    lines.append(i18n.t("check-summary", lang, errors=summary["errors"], warnings=summary["warnings"], rows=summary["rows_checked"]))
    return "\n".join(lines)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--month", help="The month, as YYYY-MM (default: last month).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@LANG
@RULES
@handle_errors
def report(path: Path, month: str | None, as_json: bool, lang: str, rules_dir: Path | None) -> None:
    """Work out a month's figures: cases helped, activities, members, the loan fund.

    Example: sheets-sync report clb.xlsx --month 2026-10

    Rows with an error are left out (the report says how many); exit status 0
    when the report was made, 2 when the file could not be used.
    """
    from .club import open_club
    from .report import month_report, render_month

    today = clock.today()
    the_month = parse_month(month) if month else Month.of(today).previous()
    club = open_club(path, today=today, rules_dir=rules_dir, lang=lang)
    data = month_report(club, the_month)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_month(data, lang, "txt"))


def parse_month(text: str) -> "Month":
    """ "2026-10" → Month, or a UsageError naming the value."""
    try:
        return Month.parse(text)
    except ValueError:
        raise UsageError("bad-month", value=text) from None


@cli.command("init-sheet")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), required=True, help="Where to write the new workbook (.xlsx).")
@LANG
@RULES
@handle_errors
def init_sheet(xlsx_path: Path, lang: str, rules_dir: Path | None) -> None:
    """Write an empty club workbook: every tab, headers, dropdowns, formats.

    Example: sheets-sync init-sheet --xlsx clb-an-binh.xlsx
    """
    from .layout import club_layout
    from .rules import load_rules
    from .sources import xlsx

    xlsx.create(xlsx_path, club_layout(load_rules(rules_dir)))
    click.echo(i18n.t("init-written", lang, path=xlsx_path))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="sheets-sync-demo")
@LANG
@handle_errors
def demo(directory: Path, lang: str) -> None:
    """Create a sample club workbook in DIRECTORY and check it (no Google account needed).

    Example: sheets-sync demo ./thu-nghiem
    """
    from .club import open_club
    from .demo import write_demo
    from .report import month_report, render_month

    today = clock.today()
    path = write_demo(directory, today)
    club = open_club(path, today=today, lang=lang)
    click.echo(format_report(club.report, lang, title=f"{club.name} ({path})"))
    month = Month.of(today).previous()
    text = render_month(month_report(club, month), lang, "txt")
    report_path = directory / f"bao-cao-{month}.txt"
    report_path.write_text(text, encoding="utf-8")
    click.echo("")
    click.echo(text)
    click.echo(i18n.t("demo-written", lang, path=path))
    click.echo(i18n.t("demo-report-written", lang, path=report_path))
    click.echo(i18n.t("demo-next", lang, path=path))


@cli.command("loan-schedule")
@click.option("--amount", required=True, help="Amount lent, in đồng: 5000000, 5.000.000 or 5tr.")
@click.option("--rate", required=True, help="Interest in % per month: 1 is 1 %, 0.8 is 0.8 %.")
@click.option("--months", required=True, type=click.IntRange(1, 600), help="Number of monthly installments.")
@click.option("--method", type=click.Choice([m.value for m in Method]), default="declining", show_default=True,
              help="declining: equal principal (Dư nợ giảm dần, Hàng tháng); bullet: principal at the end (Cuối kỳ); "
                   "annuity: equal installments (Góp đều); flat: interest on the amount lent (Lãi cố định).")
@click.option("--start", help="Disbursement date (2026-01-15 or 15/01/2026); today if left out.")
@click.option("--json", "as_json", is_flag=True, help="Print the schedule as JSON.")
@LANG
@handle_errors
def loan_schedule(amount: str, rate: str, months: int, method: str, start: str | None, as_json: bool, lang: str) -> None:
    """Print a loan's repayment schedule, installment by installment.

    Example: sheets-sync loan-schedule --amount 5000000 --rate 1 --months 12 --method annuity --start 2026-01-15
    """
    from . import values
    from .loans import schedule

    amount_dong = _option(values.parse_money, amount, "--amount", lang)
    rate_percent = _option(values.parse_percent, rate, "--rate", lang)
    start_date = _option(values.parse_date, start, "--start", lang) if start else clock.today()
    if amount_dong < 1:
        raise UsageError("bad-option", option="--amount", value=amount)
    installments = schedule(amount_dong, rate_percent, months, Method(method), start_date)
    if as_json:
        rows = [{"n": i.n, "due_date": i.due_date.isoformat(), "principal": i.principal, "interest": i.interest, "total": i.total, "balance": i.balance} for i in installments]
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(format_schedule(installments, lang))


def _option(parse, text: str, option: str, lang: str):
    from .values import Unreadable

    try:
        return parse(text)
    except Unreadable:
        raise UsageError("bad-option", option=option, value=text) from None


def format_schedule(installments, lang: str) -> str:
    """A schedule as an aligned table, Vietnamese headers, đồng as 1.000.000."""
    from .values import format_date

    def money(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    headers = [i18n.t(f"schedule-{key}", lang) for key in ("n", "due", "principal", "interest", "total", "balance")]
    body = [[str(i.n), format_date(i.due_date), money(i.principal), money(i.interest), money(i.total), money(i.balance)] for i in installments]
    totals = [i18n.t("schedule-sum", lang), "", money(sum(i.principal for i in installments)), money(sum(i.interest for i in installments)), money(sum(i.total for i in installments)), ""]
    table = [headers, *body, totals]
    widths = [max(len(row[c]) for row in table) for c in range(len(headers))]
    lines = ["  ".join(cell.rjust(w) if c != 1 else cell.ljust(w) for c, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in table]
    rule = "-" * max(len(line) for line in lines)
    return "\n".join([lines[0], rule, *lines[1:-1], rule, lines[-1]])


def main() -> None:
    """Entry point of the ``sheets-sync`` console script."""
    cli(prog_name="sheets-sync")


if __name__ == "__main__":
    main()
