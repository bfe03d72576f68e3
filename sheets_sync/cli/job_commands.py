"""The unattended jobs: nightly, monthly, run, doctor."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Callable

import click

from .. import clock, i18n
from ..errors import UsageError
from ..metrics import Month
from ._common import CONFIG, JOB_LANG, JOB_OUTBOX, cli, handle_errors, parse_month


# --- the unattended jobs ---------------------------------------------------------------------



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
    from ..config import load_config
    from ..jobs import run_nightly

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
    from ..config import load_config
    from ..jobs import run_monthly

    if resend and outbox is not None:
        raise UsageError("option-conflict", option="--resend", other="--outbox")
    config = load_config(config_path)
    lang = lang or config.language
    today = _today(config)
    the_month = parse_month(month) if month else Month.of(today).previous()
    _run_job(lambda **hooks: run_monthly(config, month=the_month, today=today, lang=lang, resend=resend, outbox=outbox, **hooks), lang)


def _today(config) -> dt.date:
    """Today in the config's [run] timezone, or SHEETS_SYNC_TODAY when set."""
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
    from ..doctor import diagnose

    lang = lang or "vi"
    problems = 0
    for check in diagnose(config_path, lang=lang):
        click.echo(check.line(lang))
        problems += not check.ok
    click.echo(i18n.t("doctor-summary-problems", lang, count=problems) if problems else i18n.t("doctor-summary-ok", lang))
    sys.exit(1 if problems else 0)


@cli.command()
@CONFIG
@JOB_LANG
@handle_errors
def run(config_path: Path | None, lang: str | None) -> None:
    """Stay up and run the nightly and monthly jobs on time ([schedule] in the config file).

    Example: sheets-sync run --config /etc/sheets-sync/sheets-sync.toml

    Times are in [run] timezone (Asia/Ho_Chi_Minh by default), whatever the
    machine's clock says.  At start, a night or a monthly report missed while
    the machine was off is run once.  A job that fails is logged and the loop
    goes on; one already running in another process (`sheets-sync nightly`
    from cron, say) is skipped.  The log goes to stderr.  Stop it with Ctrl-C
    or SIGTERM (the job in hand is finished first).  Exit status 0 when
    stopped, 2 when it could not start (config file, state file, another
    `sheets-sync run` already running).
    """
    import logging
    import signal
    import threading

    from ..config import load_config
    from ..jobs import run_monthly, run_nightly
    from ..locks import job_lock
    from ..scheduler import Runner, Timetable
    from ..state import State

    config = load_config(config_path)
    config.require_smtp()  # every job mails: say so now, not at 02:00
    lang = lang or config.language
    schedule = config.schedule
    timetable = Timetable(nightly_at=schedule.nightly, monthly_at=schedule.monthly, monthly_day=schedule.monthly_day, timezone=config.timezone)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    # systemd stops a service with SIGTERM: finish the job in hand, then leave.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        # One `run` at a time: a second one would fire every job twice.
        with job_lock(config.state.path, "run"), State(config.state.path) as state:
            runner = Runner(
                timetable,
                nightly=lambda today: run_nightly(config, today=today, lang=lang),
                monthly=lambda month, today: run_monthly(config, month=month, today=today, lang=lang),
                state=state,
            )
            runner.run_forever(sleep=stop.wait, stop=stop)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
