"""A club's month and its mail: report, digest."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import clock, i18n
from ..errors import UsageError
from ..clubs import club_language
from ..metrics import Month
from ._common import CONFIG, CREDENTIALS, EMAIL_LANG, LANG, OUTBOX, RULES, SEND, TO, cli, handle_errors, parse_month


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
    from ..club import open_club
    from ..report import month_report, render_month

    _check_mail_options(send, outbox, resend, to)
    config = _mail_config(config_path, send, outbox)
    today = clock.today()
    the_month = parse_month(month) if month else Month.of(today).previous()
    club = open_club(path, today=today, rules_dir=rules_dir, lang=lang, credentials=credentials)
    data = month_report(club, the_month)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_month(data, lang, "txt"))
    if send or outbox:
        from ..summary import build_summary

        from ..clubs import location_key, recipients
        from ..mail import mail_summary

        to_list = list(to) or recipients(club)
        if not to_list:
            raise UsageError("mail-no-recipients", club=club.name)
        summary = build_summary(data, email_lang or club_language(club), where=str(path))
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
    from ..club import open_club
    from ..clubs import location_key, recipients
    from ..jobs import send_digest
    from ..state import State, problem_key

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
        result = send_digest(club, key=key, today=today, lang=email_lang or club_language(club), recipients=to_list, config=config,
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
    from ..config import load_config

    config = load_config(config_path)
    if send:
        config.require_smtp()
    return config


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
