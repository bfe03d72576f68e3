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
CREDENTIALS = click.option("--credentials", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Google service-account key file (JSON), for a Google Sheet; or set SHEETS_SYNC_CREDENTIALS.")
RULES = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Your organisation's rules folder (overrides the built-in rules/ file by file).")


def handle_errors(command: Callable) -> Callable:
    """Turn a SheetsSyncError into one line on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang") or "vi"  # None: the jobs' --lang, not yet read from the config
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
    from .club import open_club

    today = clock.today()
    club = open_club(path, today=today, rules_dir=rules_dir, lang=lang, credentials=credentials)
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


CONFIG = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Config file with [smtp] and [state] (default: $SHEETS_SYNC_CONFIG, else ./sheets-sync.toml).")
SEND = click.option("--send", is_flag=True, help="E-mail it to the club (Email Chủ nhiệm and Email nhận thêm in Cài đặt), once per recipient; needs [smtp] in the config file.")
OUTBOX = click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR", help="Write the e-mails as .eml files in DIR instead of sending them (a preview: every time, nothing recorded as sent).")
EMAIL_LANG = click.option("--email-lang", type=click.Choice(i18n.LANGUAGES), default=None, help="Language of the e-mail (default: the club's Ngôn ngữ báo cáo setting).")
TO = click.option("--to", multiple=True, metavar="EMAIL", help="Send to EMAIL instead of the club's addresses (repeat for several).")


@cli.command()
@click.argument("path", metavar="WORKBOOK")
@CREDENTIALS
@click.option("--month", help="The month, as YYYY-MM (default: last month).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@SEND
@OUTBOX
@click.option("--resend", is_flag=True, help="With --send: send again to recipients who already got this month's report.")
@TO
@EMAIL_LANG
@CONFIG
@LANG
@RULES
@handle_errors
def report(path: str, credentials: Path | None, month: str | None, as_json: bool, send: bool, outbox: Path | None, resend: bool, to: tuple[str, ...], email_lang: str | None, config_path: Path | None, lang: str, rules_dir: Path | None) -> None:
    """Work out a month's figures: cases helped, activities, members, the loan fund.

    Example: sheets-sync report clb.xlsx --month 2026-10 --send

    Rows with an error are left out (the report says how many).  With --send
    the chair's e-mail goes to each recipient once: a second run skips those
    who have it (--resend sends again); --outbox DIR writes .eml files instead.
    Exit status 0 when the report was made (and mailed), 2 when the file could
    not be used or a recipient was not reached.
    """
    from .club import open_club
    from .report import month_report, render_month

    _check_mail_options(send, outbox, resend, to)
    config = _mail_config(config_path, send, outbox)
    today = clock.today()
    the_month = parse_month(month) if month else Month.of(today).previous()
    club = open_club(path, today=today, rules_dir=rules_dir, lang=lang, credentials=credentials)
    data = month_report(club, the_month)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_month(data, lang, "txt"))
    if send or outbox:
        from .summary import build_summary

        from .clubs import location_key, recipients
        from .mail import mail_summary

        to_list = list(to) or recipients(club)
        if not to_list:
            raise UsageError("mail-no-recipients", club=club.name)
        summary = build_summary(data, _mail_lang(club, email_lang), where=str(path))
        result = mail_summary(summary, config=config, club=location_key(path), month=str(the_month), kind="monthly", recipients=to_list, outbox=outbox, resend=resend)
        _print_delivery(result, lang, err=True)  # stderr: stdout stays the report (or its JSON) alone
        if not result.ok:
            sys.exit(2)


@cli.command()
@click.argument("path", metavar="WORKBOOK")
@CREDENTIALS
@SEND
@OUTBOX
@TO
@EMAIL_LANG
@CONFIG
@LANG
@RULES
@handle_errors
def digest(path: str, credentials: Path | None, send: bool, outbox: Path | None, to: tuple[str, ...], email_lang: str | None, config_path: Path | None, lang: str, rules_dir: Path | None) -> None:
    """E-mail the data problems that are new since the last digest (the nightly job).

    Example: sheets-sync digest clb.xlsx --send

    A problem is mailed once; one that is fixed and comes back is new again.
    It goes to Email nhận thêm (the people who enter the data), else the
    chair.  Without --send or --outbox it only says how many problems are new.
    --outbox DIR writes the e-mail as .eml files and remembers nothing.
    Exit status 0 when done, 2 when the file could not be used or a recipient
    was not reached.
    """
    from .club import open_club
    from .clubs import location_key, recipients
    from .jobs import send_digest
    from .state import State, problem_key

    _check_mail_options(send, outbox, False, to)
    config = _mail_config(config_path, send, outbox)
    today = clock.today()
    club = open_club(path, today=today, rules_dir=rules_dir, lang=lang, credentials=credentials)
    key = location_key(path)
    with State(config.state.path) as state:
        new = state.new_problem_keys(key, {problem_key(p) for p in club.report.problems})
        if new and not (send or outbox):
            click.echo(i18n.t("digest-new", lang, count=len(new)))
            return
        to_list = list(to) or recipients(club, kind="digest")
        if new and not to_list:
            raise UsageError("mail-no-recipients", club=club.name)
        result = send_digest(club, key=key, today=today, lang=_mail_lang(club, email_lang), recipients=to_list, config=config,
                             state=state, where=str(path), outbox=outbox) if (send or outbox) else None
    if result is None or result.delivery is None:
        click.echo(i18n.t("digest-nothing-new", lang))
        return
    _print_delivery(result.delivery, lang)
    if not result.delivery.ok:
        sys.exit(2)


def _check_mail_options(send: bool, outbox: Path | None, resend: bool, to: tuple[str, ...]) -> None:
    """Refuse option combinations that cannot mean anything."""
    if send and outbox is not None:
        raise UsageError("option-conflict", option="--send", other="--outbox")
    if resend and not send:
        raise UsageError("option-needs", option="--resend", other="--send")
    if to and not (send or outbox is not None):
        raise UsageError("option-needs", option="--to", other="--send / --outbox")


def _mail_config(config_path: Path | None, send: bool, outbox: Path | None):
    """The config file, checked before any work: --send needs its [smtp]."""
    from .config import load_config

    config = load_config(config_path)
    if send:
        config.require_smtp()
    return config


def _mail_lang(club, email_lang: str | None) -> str:
    """The e-mail's language: --email-lang, else the club's "Ngôn ngữ báo cáo" setting (vi by default)."""
    return email_lang or club.workbook.settings.get("language") or "vi"


def _print_delivery(result, lang: str, err: bool = False) -> None:
    """One line per recipient: sent, written (with the file), skipped, or not sent and why."""
    for outcome in result.outcomes:
        if outcome.status == "written":
            line = i18n.t("mail-written", lang, path=outcome.path)
        elif outcome.status == "failed":
            line = i18n.t("mail-failed", lang, recipient=outcome.recipient, reason=outcome.error.message(lang))
        else:
            line = i18n.t(f"mail-{outcome.status}", lang, recipient=outcome.recipient)
        click.echo(line, err=err)


def parse_month(text: str) -> "Month":
    """ "2026-10" → Month, or a UsageError naming the value."""
    try:
        return Month.parse(text)
    except ValueError:
        raise UsageError("bad-month", value=text) from None


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
    from .layout import club_layout
    from .rules import load_rules

    if bool(xlsx_path) == google:
        raise UsageError("option-conflict", option="--xlsx", other="--google")
    layout = club_layout(load_rules(rules_dir))
    if google:
        from .sources import google as google_source

        if not title:
            raise UsageError("option-needs", option="--google", other="--title")
        client, email = google_source.google_client(credentials)
        url = google_source.create_club_sheet(client, title, layout, share_with, service_account_email=email, lang=lang)
        click.echo(i18n.t("init-written-google", lang, url=url, email=share_with or "-"))
        return
    from .sources import xlsx

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
    from .club import open_club
    from .demo import write_demo
    from .mail import OutboxSender, deliver
    from .report import month_report, render_month
    from .summary import build_summary, write_preview

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


# --- the unattended jobs ---------------------------------------------------------------------

JOB_LANG = click.option("--lang", type=click.Choice(i18n.LANGUAGES), default=None, help="Language of messages: vi or en (default: [run] language in the config file).")
JOB_OUTBOX = click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR", help="Write the e-mails as .eml files in DIR instead of sending them (a preview: nothing is recorded as sent or seen).")


@cli.command()
@CONFIG
@JOB_OUTBOX
@JOB_LANG
@handle_errors
def nightly(config_path: Path | None, outbox: Path | None, lang: str | None) -> None:
    """Check every club in the config file, write notes into its workbook, mail new problems.

    Example: sheets-sync nightly --config /etc/sheets-sync/sheets-sync.toml

    One run over every club ([[clubs]] and the [registry]), for cron or a
    systemd timer (`sheets-sync run` does it every night by itself).  Each club
    is done on its own: one that fails is reported and the others go on.
    Exit status 0 every club done (errors in the data are fine), 1 a club
    failed, 2 the run could not start (config file, the job already running).
    """
    from .config import load_config
    from .jobs import run_nightly

    config = load_config(config_path)
    lang = lang or config.language
    _run_job(lambda **hooks: run_nightly(config, today=_today(config), lang=lang, outbox=outbox, **hooks), lang)


@cli.command()
@click.option("--month", help="The month, as YYYY-MM (default: last month).")
@click.option("--resend", is_flag=True, help="Send again to chairs and coordinators who already got this month's e-mail.")
@CONFIG
@JOB_OUTBOX
@JOB_LANG
@handle_errors
def monthly(month: str | None, resend: bool, config_path: Path | None, outbox: Path | None, lang: str | None) -> None:
    """Last month's report for every club: each chair's e-mail, then the coordinator's roll-up.

    Example: sheets-sync monthly --month 2026-10 --config /etc/sheets-sync/sheets-sync.toml

    Every message goes once: running it again sends nothing (--resend sends
    again).  The roll-up ([coordinator] emails) has a row per club, failed
    clubs with their reason, and a CSV attached.  Exit status as for nightly.
    """
    from .config import load_config
    from .jobs import run_monthly

    if resend and outbox is not None:
        raise UsageError("option-conflict", option="--resend", other="--outbox")
    config = load_config(config_path)
    lang = lang or config.language
    today = _today(config)
    the_month = parse_month(month) if month else Month.of(today).previous()
    _run_job(lambda **hooks: run_monthly(config, month=the_month, today=today, lang=lang, resend=resend, outbox=outbox, **hooks), lang)


def _today(config) -> "dt.date":
    """Today in the config's [run] timezone, or SHEETS_SYNC_TODAY when set."""
    import datetime as dt

    return clock.today() if os.environ.get("SHEETS_SYNC_TODAY", "").strip() else dt.datetime.now(config.tz).date()


def _run_job(run: Callable, lang: str) -> None:
    """Run a job with a progress bar on a terminal (else a line per club), print its summary, exit with its status."""
    bar = None
    done = 0
    total = 0

    def on_start(count: int) -> None:
        nonlocal bar, total
        total = count
        if sys.stdout.isatty() and count:
            bar = click.progressbar(length=count, label=i18n.t("run-progress-label", lang), show_pos=True, item_show_func=lambda name: name or "")
            bar.__enter__()

    def progress(outcome) -> None:
        nonlocal done
        done += 1
        if bar is not None:
            bar.update(1, outcome.name)
        else:
            click.echo(i18n.t("club-progress", lang, n=done, total=total, line=outcome.line(lang)))

    try:
        summary = run(progress=progress, on_start=on_start)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo("")
    for line in summary.to_lines(lang):
        click.echo(line)
    sys.exit(summary.exit_code)


@cli.command()
@CONFIG
@JOB_LANG
@handle_errors
def doctor(config_path: Path | None, lang: str | None) -> None:
    """Check that the unattended jobs have all they need, and say how to fix what is missing.

    Example: sheets-sync doctor --config /etc/sheets-sync/sheets-sync.toml

    The config file; the state file's folder; the Google key (there, a key,
    not readable by others); the registry and every club's workbook (a sheet
    not shared names the account to share it with); the mail server's login.
    Nothing is written or sent.  Exit status 0 all fine, 1 something to fix.
    """
    from .doctor import diagnose

    lang = lang or "vi"
    problems = 0
    for check in diagnose(config_path, lang=lang):
        click.echo(check.line(lang))
        problems += not check.ok
    click.echo(i18n.t("doctor-summary-problems", lang, count=problems) if problems else i18n.t("doctor-summary-ok", lang))
    sys.exit(1 if problems else 0)


def main() -> None:
    """Entry point of the ``sheets-sync`` console script."""
    cli(prog_name="sheets-sync")


if __name__ == "__main__":
    main()
