"""Mail against a real SMTP server on 127.0.0.1: structure, exactly-once, retries, safety.

The server is aiosmtpd (tests/smtp_server.py), driven by the real smtplib; no
mocks.  Failures are scripted on the server: refused recipients, 451 answers,
connections dropped in the middle of a message.
"""

from __future__ import annotations

import base64
import email
import logging
import traceback
from dataclasses import dataclass, field
from email import policy

import pytest

from sheets_sync.config import load_config
from sheets_sync.errors import MailError
from sheets_sync.mail import (
    OutboxSender,
    SmtpSender,
    build_message,
    clean_header_text,
    deliver,
    parse_address,
    safe_filename,
)
from sheets_sync.state import State
from smtp_server import free_port

# A login without TLS is what the local-relay tests need; aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
SUBJECT = "Báo cáo tháng 10/2026 – CLB Liên thế hệ Tự giúp nhau xã An Bình"
CLUB = "CLB Liên thế hệ Tự giúp nhau xã An Bình"
FROM = "bao-cao@example.org"
CHAIR, TREASURER, SECRETARY = "chunhiem@example.org", "thuquy@example.org", "thuky@example.org"
PASSWORD = "pw-S3cret-xyz-9"


@dataclass(frozen=True)
class FakeSummary:
    """Stands in for summary.Summary: the same attributes."""

    subject: str = SUBJECT
    text: str = "Báo cáo tháng 10/2026\nSố trường hợp được giúp: 2\n"
    html: str = '<p>Báo cáo tháng 10/2026</p><img src="cid:chart-cases@sheets-sync" alt="Biểu đồ">'
    images: dict = field(default_factory=lambda: {"chart-cases@sheets-sync": PNG})
    lang: str = "vi"


@pytest.fixture
def state(tmp_path):
    with State(tmp_path / "state.sqlite") as opened:
        yield opened


@pytest.fixture
def sleeps() -> list[float]:
    return []


def send(server, state, recipients, *, sleeps=None, sender=None, summary=None, resend=False, **changes):
    """Deliver the monthly report for CLUB through ``server``."""
    sender = sender or SmtpSender(server.settings(**changes), sleep=(sleeps if sleeps is not None else []).append)
    return deliver(summary or FakeSummary(), club=CLUB, month="2026-10", kind="monthly", recipients=recipients, sender=sender, state=state, resend=resend, from_address=FROM, from_name="Báo cáo CLB")


def parts(message):
    return [(part.get_content_type(), part.get("Content-Disposition", "").split(";")[0] or None) for part in message.walk()]


# --- what arrives -------------------------------------------------------------


def test_message_arrives_with_text_html_and_inline_image(smtp_server, state):
    result = send(smtp_server, state, [CHAIR])
    assert [(o.recipient, o.status) for o in result.outcomes] == [(CHAIR, "sent")]
    [received] = smtp_server.received
    assert (received.mail_from, received.rcpt_tos) == (FROM, [CHAIR])
    message = received.message()
    assert parts(message) == [
        ("multipart/alternative", None),
        ("text/plain", None),
        ("multipart/related", None),
        ("text/html", None),
        ("image/png", "inline"),
    ]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Số trường hợp được giúp: 2" in text
    assert 'src="cid:chart-cases@sheets-sync"' in html
    image = next(p for p in message.walk() if p.get_content_type() == "image/png")
    # The Content-ID is what the HTML's cid: points at.
    assert image["Content-ID"] == "<chart-cases@sheets-sync>"
    assert image.get_content() == PNG
    assert message["Message-ID"] == result.sent[0].message_id and message["Message-ID"].endswith("@example.org>")
    assert message["Date"].datetime is not None
    assert (message["From"].addresses[0].display_name, message["From"].addresses[0].addr_spec) == ("Báo cáo CLB", FROM)
    assert message["Content-Language"] == "vi"
    assert message["Auto-Submitted"] == "auto-generated"


def test_vietnamese_subject_survives_encoding(smtp_server, state):
    send(smtp_server, state, [CHAIR])
    raw = smtp_server.received[0].data
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert header_block.isascii()  # RFC 2047 encoded words, readable by any server
    assert all(len(line) <= 78 for line in header_block.split(b"\r\n"))
    assert smtp_server.received[0].message()["Subject"] == SUBJECT
    assert email.message_from_bytes(raw, policy=policy.SMTP)["Subject"] == SUBJECT


def test_text_only_summary(smtp_server, state):
    send(smtp_server, state, [CHAIR], summary=FakeSummary(html="", images={}))
    assert parts(smtp_server.received[0].message()) == [("text/plain", None)]


# --- exactly once -----------------------------------------------------------------


def test_second_run_sends_nothing_and_resend_sends_again(smtp_server, state):
    first = send(smtp_server, state, [CHAIR, TREASURER])
    second = send(smtp_server, state, [CHAIR, TREASURER])
    assert [o.status for o in first.outcomes] == ["sent", "sent"]
    assert [o.status for o in second.outcomes] == ["skipped", "skipped"]
    assert len(smtp_server.received) == 2
    again = send(smtp_server, state, [CHAIR], resend=True)
    assert [o.status for o in again.outcomes] == ["sent"]
    assert len(smtp_server.received) == 3
    assert [r.message_id for r in state.sent() if r.recipient == CHAIR] == [again.sent[0].message_id]


def test_one_message_per_recipient_duplicates_once(smtp_server, state):
    result = send(smtp_server, state, [CHAIR, TREASURER, CHAIR.upper()])
    assert [o.recipient for o in result.sent] == [CHAIR, TREASURER]
    assert [r.rcpt_tos for r in smtp_server.received] == [[CHAIR], [TREASURER]]
    assert len({r.message()["Message-ID"] for r in smtp_server.received}) == 2


def test_crash_between_recipients_resumes_with_the_rest(smtp_server, state):
    class CrashAfterFirst:
        """Sends the first message for real, then the process "dies"."""

        records_sent = True

        def __init__(self, real):
            self.real, self.calls = real, 0

        def send(self, message, *, label=""):
            self.calls += 1
            if self.calls > 1:
                raise KeyboardInterrupt("killed between two recipients")
            self.real.send(message, label=label)

    crashing = CrashAfterFirst(SmtpSender(smtp_server.settings()))
    with pytest.raises(KeyboardInterrupt):
        send(smtp_server, state, [CHAIR, TREASURER, SECRETARY], sender=crashing)
    assert [r.recipient for r in state.sent()] == [CHAIR]  # recorded as soon as it was accepted

    rerun = send(smtp_server, state, [CHAIR, TREASURER, SECRETARY])
    assert [(o.recipient, o.status) for o in rerun.outcomes] == [(CHAIR, "skipped"), (TREASURER, "sent"), (SECRETARY, "sent")]
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted([CHAIR, TREASURER, SECRETARY])


# --- failures -------------------------------------------------------------------------


def test_refused_recipient_fails_alone(smtp_server, state, sleeps):
    smtp_server.handler.refuse.add("ghost@example.org")
    result = send(smtp_server, state, [CHAIR, "ghost@example.org", TREASURER], sleeps=sleeps)
    assert [(o.recipient, o.status) for o in result.outcomes] == [(CHAIR, "sent"), ("ghost@example.org", "failed"), (TREASURER, "sent")]
    error = result.failed[0].error
    assert error.code == "mail-recipient-refused"
    message = error.message("en")
    assert f"127.0.0.1:{smtp_server.port}" in message and '"ghost@example.org"' in message and "550 5.1.1" in message
    assert sleeps == []  # a 5xx is not tried again
    assert not result.ok
    assert [r.recipient for r in state.sent()] == [CHAIR, TREASURER]


def test_dropped_connection_is_retried_and_arrives_once(smtp_server, state, sleeps):
    smtp_server.handler.drop_connection = 1
    result = send(smtp_server, state, [CHAIR], sleeps=sleeps)
    assert [o.status for o in result.outcomes] == ["sent"]
    assert smtp_server.handler.data_attempts == 2
    assert len(smtp_server.received) == 1
    assert sleeps == [1.0]
    # The retry sends the very same message (same Message-ID), so a server that did keep the first can tell.
    assert smtp_server.received[0].message()["Message-ID"] == result.sent[0].message_id


def test_temporary_failures_are_retried_with_backoff(smtp_server, state, sleeps, caplog):
    smtp_server.handler.fail_temporarily = 2
    with caplog.at_level(logging.WARNING, logger="sheets_sync"):
        result = send(smtp_server, state, [CHAIR], sleeps=sleeps)
    assert result.ok and len(smtp_server.received) == 1
    assert sleeps == [1.0, 2.0]
    assert [r.getMessage().split(";")[0] for r in caplog.records if r.name == "sheets_sync.mail"] == [f"mail server 127.0.0.1:{smtp_server.port}: 451 4.3.0 Temporary local problem, try again later"] * 2


def test_gives_up_after_max_attempts(smtp_server, sleeps):
    smtp_server.handler.fail_temporarily = 99
    sender = SmtpSender(smtp_server.settings(max_attempts=3), sleep=sleeps.append)
    message = build_message(FakeSummary(), sender=FROM, to=[CHAIR], message_id_domain="example.org")
    with pytest.raises(MailError) as caught:
        sender.send(message)
    assert caught.value.code == "mail-gave-up"
    assert smtp_server.handler.data_attempts == 3 and sleeps == [1.0, 2.0]
    text = caught.value.message("en")
    assert f"127.0.0.1:{smtp_server.port}" in text and "after 3 attempts" in text and "451 4.3.0" in text


def test_no_server_stops_the_run(state, sleeps):
    from smtp_server import TestServer

    nobody = TestServer("127.0.0.1", free_port(), None, "plain", None)
    result = send(nobody, state, [CHAIR, TREASURER], sleeps=sleeps, max_attempts=2)
    assert [o.status for o in result.outcomes] == ["failed", "failed"]
    assert result.failed[0].error is result.failed[1].error  # the second was not tried
    assert sleeps == [1.0]
    assert "Connection refused" in result.failed[0].error.message("en")
    assert state.sent() == []


def test_bad_addresses_fail_alone(smtp_server, state):
    result = send(smtp_server, state, ["not an address", CHAIR, f"{TREASURER}, evil@example.org"])
    assert [o.status for o in result.outcomes] == ["failed", "sent", "failed"]
    assert {o.error.code for o in result.failed} == {"mail-bad-address"}
    assert [r.rcpt_tos for r in smtp_server.received] == [[CHAIR]]


# --- header safety -------------------------------------------------------------------


def test_sheet_text_cannot_inject_headers(smtp_server, state):
    evil = FakeSummary(subject="Báo cáo\r\nBcc: x@y.z\nX-Evil: 1")
    sender = SmtpSender(smtp_server.settings())
    deliver(evil, club=CLUB, month="2026-10", kind="monthly", recipients=[CHAIR], sender=sender, state=state, from_address=FROM, from_name="CLB\r\nBcc: x@y.z")
    [received] = smtp_server.received
    assert received.rcpt_tos == [CHAIR]
    message = received.message()
    assert message["Bcc"] is None and message["X-Evil"] is None
    header_lines = received.data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert not any(line.lower().startswith((b"bcc:", b"x-evil:")) for line in header_lines)
    assert message["Subject"] == "Báo cáo Bcc: x@y.z X-Evil: 1"
    assert message["From"].addresses[0].display_name == "CLB Bcc: x@y.z"


@pytest.mark.parametrize(
    "value",
    ["a@example.org, b@example.org", "a@example.org\r\nBcc: x@y.z", "Name <a@example.org>", "a@example.org;b@example.org", "a@@example.org", "@example.org", "a@", "a b@example.org", "hồng@example.org", "", "a@example.org\n"],
    ids=["comma", "crlf", "display-name", "semicolon", "two-ats", "no-local", "no-domain", "space", "non-ascii", "empty", "newline"],
)
def test_parse_address_refuses_more_than_one_plain_address(value):
    if value == "a@example.org\n":  # surrounding whitespace from a cell is trimmed, nothing more
        assert parse_address(value) == "a@example.org"
        return
    with pytest.raises(MailError) as caught:
        parse_address(value)
    assert "\n" not in caught.value.message("en") and "\r" not in caught.value.message("en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Báo cáo\r\nBcc: x", "Báo cáo Bcc: x"), ("a\x00b\tc", "a b c"), ("CLB \u202eevil", "CLB evil"), ("Ba\u0300", "Bà"), ("x" * 300, "x" * 249 + "…")],
    ids=["crlf", "controls", "bidi-override", "nfd-to-nfc", "long"],
)
def test_clean_header_text(text, expected):
    assert clean_header_text(text) == expected


# --- outbox ------------------------------------------------------------------------------


def test_outbox_writes_eml_files_and_records_nothing(tmp_path, state):
    outbox = OutboxSender(tmp_path / "outbox")
    for _ in range(2):  # a preview writes every time
        result = deliver(FakeSummary(), club="CLB Đông/Tây", month="2026-10", kind="monthly", recipients=[CHAIR, TREASURER], sender=outbox, state=state, from_address=FROM)
        assert [o.status for o in result.outcomes] == ["written", "written"]
    assert state.sent() == []
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert files == [f"CLB-Dong-Tay-2026-10-monthly-{CHAIR}.eml", f"CLB-Dong-Tay-2026-10-monthly-{TREASURER}.eml"]
    message = email.message_from_bytes((tmp_path / "outbox" / files[0]).read_bytes(), policy=policy.default)
    assert message["Subject"] == SUBJECT and message["To"] == CHAIR
    assert message.get_body(("html",)) is not None
    assert len(outbox.written) == 4


def test_outbox_folder_not_writable(tmp_path, state):
    (tmp_path / "file").write_text("x")
    result = deliver(FakeSummary(), club=CLUB, month="2026-10", kind="monthly", recipients=[CHAIR, TREASURER], sender=OutboxSender(tmp_path / "file"), state=state, from_address=FROM)
    assert [o.error.code for o in result.failed] == ["mail-outbox-failed", "mail-outbox-failed"]


def test_safe_filename():
    assert safe_filename("CLB Đồng Tâm/../..-2026-10-monthly-a@b.org") == "CLB-Dong-Tam-..-..-2026-10-monthly-a@b.org"
    assert safe_filename("../../etc/passwd") == "etc-passwd"
    assert safe_filename("") == "message"


# --- login and the password ------------------------------------------------------------


def _not_server_log(record: logging.LogRecord) -> bool:
    # aiosmtpd ("mail.log") is the test server; it logs what it receives at DEBUG.
    return not record.name.startswith("mail.")


def _password_forms(username: str) -> list[str]:
    return [PASSWORD, base64.b64encode(PASSWORD.encode()).decode(), base64.b64encode(f"\0{username}\0{PASSWORD}".encode()).decode()]


@pytest.mark.parametrize("source", ["env", "file"])
def test_login_with_password_from_env_or_file(smtp_server_factory, tmp_path, monkeypatch, caplog, state, source):
    server = smtp_server_factory(auth=("bao-cao", PASSWORD))
    if source == "env":
        monkeypatch.setenv("SMTP_PASSWORD", PASSWORD)
        password_line = 'password_env = "SMTP_PASSWORD"'
    else:
        (tmp_path / "smtp-password").write_text(PASSWORD + "\n")
        password_line = 'password_file = "smtp-password"'
    config_file = tmp_path / "sheets-sync.toml"
    config_file.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "plain"\nusername = "bao-cao"\n{password_line}\nfrom_address = "{FROM}"\n')
    caplog.set_level(logging.DEBUG)
    result = send(server, state, [CHAIR], sender=SmtpSender(load_config(config_file).smtp))
    assert result.ok and len(server.received) == 1
    assert len(server.authenticator.connections) == 1
    for record in filter(_not_server_log, caplog.records):
        assert not any(form in record.getMessage() for form in _password_forms("bao-cao"))


def test_wrong_password_is_not_retried_and_not_shown(smtp_server_factory, caplog, sleeps):
    server = smtp_server_factory(auth=("bao-cao", "the-right-one"))
    settings = server.settings(username="bao-cao", password=PASSWORD, password_source='password_env = "SMTP_PASSWORD"')
    caplog.set_level(logging.DEBUG)
    with pytest.raises(MailError) as caught:
        SmtpSender(settings, sleep=sleeps.append).send(build_message(FakeSummary(), sender=FROM, to=[CHAIR], message_id_domain="example.org"))
    error = caught.value
    assert error.code == "mail-auth-failed" and len(server.authenticator.connections) == 1 and sleeps == []
    assert f"127.0.0.1:{server.port}" in error.message("en") and '"bao-cao"' in error.message("en") and "SMTP_PASSWORD" in error.message("en")
    shown = [error.message("vi"), error.message("en"), str(error), repr(error), repr(error.params), "".join(traceback.format_exception(error)), repr(settings)]
    shown += [r.getMessage() for r in filter(_not_server_log, caplog.records)]
    for text in shown:
        assert not any(form in text for form in _password_forms("bao-cao")), text


def test_server_without_auth(smtp_server, sleeps):
    sender = SmtpSender(smtp_server.settings(username="u", password="pw"), sleep=sleeps.append)
    with pytest.raises(MailError) as caught:
        sender.send(build_message(FakeSummary(), sender=FROM, to=[CHAIR], message_id_domain="example.org"))
    assert caught.value.code == "mail-no-auth" and sleeps == []


# --- TLS ----------------------------------------------------------------------------------


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_tls_with_login(smtp_server_factory, state, tls):
    server = smtp_server_factory(auth=("bao-cao", PASSWORD), tls=tls)
    sender = SmtpSender(server.settings(username="bao-cao", password=PASSWORD), ssl_context=server.client_context)
    assert send(server, state, [CHAIR], sender=sender).ok
    assert len(server.received) == 1


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_untrusted_certificate_fails_at_once(smtp_server_factory, sleeps, tls):
    server = smtp_server_factory(tls=tls)
    sender = SmtpSender(server.settings(), sleep=sleeps.append)  # the system's CAs: the test cert is not among them
    with pytest.raises(MailError) as caught:
        sender.send(build_message(FakeSummary(), sender=FROM, to=[CHAIR], message_id_domain="example.org"))
    assert caught.value.code == "mail-tls-failed" and sleeps == []
    assert "certificate" in caught.value.message("en")


def test_starttls_not_offered(smtp_server, sleeps):
    sender = SmtpSender(smtp_server.settings(security="starttls"), sleep=sleeps.append)
    with pytest.raises(MailError) as caught:
        sender.send(build_message(FakeSummary(), sender=FROM, to=[CHAIR], message_id_domain="example.org"))
    assert caught.value.code == "mail-no-starttls" and sleeps == []
