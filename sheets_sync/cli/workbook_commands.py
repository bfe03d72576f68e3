"""Commands on one workbook: check, init-sheet, demo, loan-schedule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import clock, i18n
from ..errors import UsageError
from ..metrics import Month
from ._common import CREDENTIALS, LANG, RULES, cli, handle_errors

from ..loans import Method
from ..problems import ValidationReport


@cli.command()
@click.argument("path", metavar="WORKBOOK")
@CREDENTIALS
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--annotate", is_flag=True, help="Also write notes and highlights on the problem cells, and the Kiểm tra and Báo cáo tháng tabs, into the workbook.")
@LANG
@RULES
@handle_errors
def check(path: str, credentials: Path | None, as_json: bool, annotate: bool, lang: str, rules_dir: Path | None) -> None:
    """Check a club workbook and list every problem, by tab, row and column.

    Example: sheets-sync check clb.xlsx --lang en

    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the file
    could not be used.
    """
    from ..club import open_club

    today = clock.today()
    club = open_club(path, today=today, rules_dir=rules_dir, lang=lang, credentials=credentials)
    if as_json:
        click.echo(json.dumps(club.report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(club.report, lang, title=f"{club.name} ({path})"))
    if annotate:  # after the list: a file open in Excel stops the notes, not the report
        from ..annotate import annotate as write_annotations

        written = write_annotations(club, Month.of(today), lang)
        click.echo(i18n.t("annotated" if written else "annotated-nothing", lang, path=path), err=True)
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


@cli.command("init-sheet")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), help="Write the new workbook to this .xlsx file.")
@click.option("--google", is_flag=True, help="Create a new Google Sheet instead (needs --title).")
@click.option("--title", help="With --google: the new sheet's title, e.g. the club's name.")
@click.option("--share", "share_with", help="With --google: the chair's email, to share the sheet with as an editor.")
@CREDENTIALS
@LANG
@RULES
@handle_errors
def init_sheet(xlsx_path: Path | None, google: bool, title: str | None, share_with: str | None, credentials: Path | None, lang: str, rules_dir: Path | None) -> None:
    """Make an empty club workbook: every tab, headers, dropdowns, formats, a Settings tab.

    Example: sheets-sync init-sheet --xlsx clb-an-binh.xlsx

    Example: sheets-sync init-sheet --google --title "CLB An Bình" --share chunhiem@example.org
    """
    from ..layout import club_layout
    from ..rules import load_rules

    if bool(xlsx_path) == google:
        raise UsageError("option-conflict", option="--xlsx", other="--google")
    layout = club_layout(load_rules(rules_dir))
    if google:
        from ..sources import google as google_source

        if not title:
            raise UsageError("option-needs", option="--google", other="--title")
        client, email = google_source.google_client(credentials)
        url = google_source.create_club_sheet(client, title, layout, share_with, service_account_email=email, lang=lang)
        click.echo(i18n.t("init-written-google", lang, url=url, email=share_with or "-"))
        return
    from ..sources import xlsx

    xlsx.create(xlsx_path, layout)
    click.echo(i18n.t("init-written", lang, path=xlsx_path))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="sheets-sync-demo")
@LANG
@handle_errors
def demo(directory: Path, lang: str) -> None:
    """Create a sample club workbook in DIRECTORY and check it (no Google account needed).

    Example: sheets-sync demo ./thu-nghiem
    """
    from ..club import open_club
    from ..demo import write_demo
    from ..mail import OutboxSender, deliver
    from ..report import month_report, render_month
    from ..summary import build_summary, write_preview

    today = clock.today()
    path = write_demo(directory, today)
    club = open_club(path, today=today, lang=lang)
    click.echo(format_report(club.report, lang, title=f"{club.name} ({path})"))
    month = Month.of(today).previous()
    data = month_report(club, month)
    text = render_month(data, lang, "txt")
    report_path = directory / f"bao-cao-{month}.txt"
    report_path.write_text(text, encoding="utf-8")
    click.echo("")
    click.echo(text)
    # The chair's email goes to an outbox folder: the demo needs no mail server.
    summary = build_summary(data, lang)
    outbox = directory / "outbox"
    for old in outbox.glob("*.eml"):
        old.unlink()  # the demo's own previews from an earlier run
    chair = club.workbook.settings.get("chair_email") or "chu-nhiem@example.org"
    deliver(summary, sender=OutboxSender(outbox), state=None, club=club.name, month=str(month), kind="monthly",
            recipients=[chair], from_address="sheets-sync@example.org", from_name="sheets-sync")
    preview = write_preview(summary, directory, f"email-{month}.html")
    click.echo(i18n.t("demo-written", lang, path=path))
    click.echo(i18n.t("demo-report-written", lang, path=report_path))
    click.echo(i18n.t("demo-email-written", lang, outbox=outbox, path=preview))
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
    from .. import values
    from ..loans import schedule

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
    from ..values import Unreadable

    try:
        return parse(text)
    except Unreadable:
        raise UsageError("bad-option", option=option, value=text) from None


def format_schedule(installments, lang: str) -> str:
    """A schedule as an aligned table, Vietnamese headers, đồng as 1.000.000."""
    from ..values import format_date

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
