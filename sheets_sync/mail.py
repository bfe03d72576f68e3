"""Build the report e-mails and deliver each exactly once, through an injected sender.

:func:`build_message` makes one ``EmailMessage``: text and HTML alternatives,
the HTML ``related`` with its inline PNG charts.  Subjects and names come from
sheets, so they are stripped of line breaks and control characters before they
reach a header (no "Bcc:" smuggled in a club name), and every address is
checked to be one plain address.

Senders: :class:`SmtpSender` talks to a real server (STARTTLS, SSL or plain,
bounded retries on temporary failures); :class:`OutboxSender` writes ``.eml``
files instead, a preview that records nothing.  :func:`deliver` sends one
message per recipient and records each in the state file the moment the server
accepted it, so a run that stops half-way resumes with the recipients left.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import logging
import os
import re
import smtplib
import ssl
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import clock
from .errors import MailError
from .state import KINDS

if TYPE_CHECKING:
    from .config import Config, SmtpSettings
    from .state import State

__all__ = ["SummaryLike", "Sender", "SmtpSender", "OutboxSender", "Outcome", "DeliveryResult", "build_message", "deliver",
           "mail_summary", "clean_header_text", "parse_address", "safe_filename", "SERVER_WIDE"]

log = logging.getLogger(__name__)

#: Errors that say the server (or the outbox) cannot be used at all: the
#: recipients after the one that met it are not tried.
SERVER_WIDE = frozenset({"mail-gave-up", "mail-auth-failed", "mail-sender-refused", "mail-tls-failed", "mail-no-starttls", "mail-no-auth", "mail-outbox-failed"})

_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_CID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,100}")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


class SummaryLike(Protocol):
    """What a message is made from (``summary.Summary`` has these)."""

    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...
    @property
    def images(self) -> Mapping[str, bytes]: ...  # Content-ID without <> -> PNG bytes
    @property
    def lang(self) -> str: ...


class Sender(Protocol):
    """Something that takes a message away; ``records_sent`` False for a preview."""

    records_sent: bool

    def send(self, message: EmailMessage, *, label: str = "") -> None: ...


# --- headers and addresses ---------------------------------------------------


def clean_header_text(text: object, limit: int = 250) -> str:
    """Sheet text made safe for a header: one line, no control characters, NFC, at most ``limit`` characters."""
    value = unicodedata.normalize("NFC", str(text))
    # Cc: controls incl. CR/LF/NUL; Cf: invisible format marks (bidi overrides spoof names); Zl/Zp: line breaks.
    value = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c for c in value)
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def parse_address(text: object) -> str:
    """One plain ASCII address ("name@example.org"), or a MailError naming the value.

    No display name, no list, no comments: a value from a sheet cannot add a
    second recipient or a header.
    """
    value = str(text).strip() if text is not None else ""
    local, _, domain = value.rpartition("@")
    valid = value.isascii() and len(value) <= 254 and bool(_LOCAL.fullmatch(local)) and bool(_DOMAIN.fullmatch(domain))
    if valid:
        try:  # the email package must read exactly the same address back
            valid = Address(addr_spec=value).addr_spec == value
        except (ValueError, IndexError, HeaderParseError):
            valid = False
    if not valid:
        raise MailError("mail-bad-address", address=clean_header_text(value, 80))
    return value


def safe_filename(text: str, limit: int = 150) -> str:
    """ "CLB Đông-2026-10-monthly-a@b.org" → "CLB-Dong-2026-10-monthly-a@b.org": ASCII letters, digits, . _ - @."""
    value = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = re.sub(r"[^A-Za-z0-9._@-]+", "-", value).strip("-.")
    return value[:limit].rstrip("-.") or "message"


def build_message(summary: SummaryLike, *, sender: str | Address, to: Iterable[str], message_id_domain: str, date: dt.datetime | None = None) -> EmailMessage:
    """One message: text + HTML alternatives, the HTML's charts inline; UTF-8, safe headers.

    Structure: multipart/alternative(text/plain, multipart/related(text/html,
    image/png...)).  Raises :class:`MailError` for an address that is not one
    plain address.
    """
    if isinstance(sender, str):
        sender = _parse_sender(sender)
    recipients = [Address(addr_spec=parse_address(a)) for a in to]
    if not recipients:
        raise MailError("mail-bad-address", address="")
    if not _DOMAIN.fullmatch(message_id_domain):
        raise ValueError(f"message_id_domain must be a domain name, not {message_id_domain!r}")

    message = EmailMessage(policy=policy.default)
    message["From"] = sender
    message["To"] = recipients
    message["Subject"] = clean_header_text(summary.subject)
    message["Date"] = format_datetime(date or clock.now())  # Vietnam time
    message["Message-ID"] = make_msgid(domain=message_id_domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies

    # quoted-printable keeps every line 7-bit and short, whatever the server supports.
    message.set_content(summary.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if summary.html:
        message.add_alternative(summary.html, subtype="html", charset="utf-8", cte="quoted-printable")
        html_part = message.get_payload()[1]
        for cid, data in summary.images.items():
            if not _CID.fullmatch(cid):
                raise ValueError(f"image Content-ID must be letters, digits, . _ @ -: {cid!r}")
            html_part.add_related(data, maintype="image", subtype="png", cid=f"<{cid}>", disposition="inline", filename=f"{cid}.png")
    # Optional on a summary: (file name, MIME type, bytes), e.g. the roll-up's CSV.
    for name, mime, data in getattr(summary, "attachments", ()):
        maintype, _, subtype = mime.partition("/")
        params = {"charset": "utf-8"} if maintype == "text" else None
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=safe_filename(name), params=params)
    if _LANG.fullmatch(str(summary.lang or "")):
        message["Content-Language"] = summary.lang  # after the body: set_content clears Content-* headers
    return message


def _parse_sender(text: str) -> Address:
    """ "Name <a@b.org>" or "a@b.org" → Address, the name cleaned like any header text."""
    text = clean_header_text(text, 300)
    found = re.fullmatch(r"(.*?)\s*<([^<>]*)>", text)
    name, address = (found[1].strip().strip('"'), found[2]) if found else ("", text)
    return Address(display_name=clean_header_text(name, 100), addr_spec=parse_address(address))


# --- senders -----------------------------------------------------------------


@functools.cache
def _system_ssl_context() -> ssl.SSLContext:
    """The default TLS settings and the system's certificates, loaded once (it takes ~20 ms)."""
    return ssl.create_default_context()


class SmtpSender:
    """Send through the SMTP server in ``settings``, one connection per message.

    Retries (``max_attempts`` in all, waiting ``backoff`` × 1, 2, 4... seconds
    through ``sleep``) when the connection fails or drops or the server answers
    4xx; a refused recipient (5xx), a refused login or a certificate that does
    not verify fails at once.  Messages name the server and what it said, never
    the password.
    """

    records_sent = True

    def __init__(self, settings: SmtpSettings, *, sleep: Callable[[float], None] = time.sleep, backoff: float = 1.0, ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._sleep = sleep
        self._backoff = backoff
        self._ssl_context = ssl_context

    def __repr__(self) -> str:
        return f"SmtpSender({self.settings.server!r}, security={self.settings.security!r})"

    def send(self, message: EmailMessage, *, label: str = "") -> None:
        """Send ``message`` to its To/Cc addresses; raises MailError when it was not accepted."""
        data = message.as_bytes(policy=policy.SMTP)  # CRLF, headers RFC 2047-encoded
        recipients = [a.addr_spec for name in ("To", "Cc") for a in (message[name].addresses if message[name] else ())]
        server, attempts = self.settings.server, self.settings.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                self._send_once(data, recipients)
            except (smtplib.SMTPException, OSError, _NotOffered) as err:
                error = self._permanent(err)
                if error is not None:
                    raise error from None
                detail = self._scrub(_describe(err))
                if attempt == attempts:
                    raise MailError("mail-gave-up", server=server, attempts=attempts, detail=detail) from None
                delay = min(self._backoff * 2 ** (attempt - 1), 30.0)
                log.warning("mail server %s: %s; trying again in %.0f s (attempt %d of %d)", server, detail, delay, attempt + 1, attempts)
                self._sleep(delay)
            else:
                log.info("mail server %s accepted %s (%s)", server, message["Message-ID"], label or ", ".join(recipients))
                return

    def verify(self) -> None:
        """Connect, secure and log in as a send would, then quit; MailError saying what failed.

        ``sheets-sync doctor`` uses it: nothing is sent, nothing retried.
        """
        try:
            smtp = self._connect()
        except (smtplib.SMTPException, OSError, _NotOffered) as err:
            raise self._permanent(err) or MailError("mail-gave-up", server=self.settings.server, attempts=1, detail=self._scrub(_describe(err))) from None
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connect(self) -> smtplib.SMTP:
        """A connection ready to send: EHLO, STARTTLS when asked, logged in when a username is set."""
        s = self.settings
        context = self._ssl_context or (_system_ssl_context() if s.security in ("ssl", "starttls") else None)
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise _NotOffered("mail-no-starttls")
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.username:
                try:
                    smtp.login(s.username, s.password.reveal() if s.password else "")
                except smtplib.SMTPNotSupportedError:  # no AUTH, or none of the mechanisms we speak
                    raise _NotOffered("mail-no-auth") from None
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _send_once(self, data: bytes, recipients: list[str]) -> None:
        s = self.settings
        smtp = self._connect()
        try:
            refused = smtp.sendmail(s.from_address, recipients, data)
        except BaseException:
            smtp.close()
            raise
        # Accepted: whatever QUIT does now must not make us send it again.
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
        if refused:  # some of several recipients refused; the others have it
            address, (code, reply) = next(iter(refused.items()))
            raise MailError("mail-recipient-refused", server=self.settings.server, address=address, reply=self._scrub(_reply(code, reply)))

    def _permanent(self, err: BaseException) -> MailError | None:
        """The MailError for a failure trying again will not mend; None when it may (4xx, network)."""
        server = self.settings.server
        if isinstance(err, _NotOffered):
            return MailError(err.code, server=server)
        if isinstance(err, smtplib.SMTPAuthenticationError):
            return MailError("mail-auth-failed", server=server, user=self.settings.username, source=self.settings.password_source, reply=self._scrub(_reply(err.smtp_code, err.smtp_error)))
        if isinstance(err, smtplib.SMTPRecipientsRefused):
            if all(400 <= code < 500 for code, _ in err.recipients.values()):
                return None
            address, (code, reply) = next((a, r) for a, r in err.recipients.items() if r[0] >= 500)
            return MailError("mail-recipient-refused", server=server, address=address, reply=self._scrub(_reply(code, reply)))
        if isinstance(err, smtplib.SMTPResponseException):
            if 400 <= err.smtp_code < 500:
                return None
            reply = self._scrub(_reply(err.smtp_code, err.smtp_error))
            if isinstance(err, smtplib.SMTPSenderRefused):
                return MailError("mail-sender-refused", server=server, address=self.settings.from_address, reply=reply)
            return MailError("mail-rejected", server=server, reply=reply)
        if isinstance(err, ssl.SSLCertVerificationError):
            return MailError("mail-tls-failed", server=server, detail=self._scrub(err.verify_message or str(err)))
        if isinstance(err, ssl.SSLError) and not isinstance(err, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
            # e.g. WRONG_VERSION_NUMBER: security = "ssl" on a STARTTLS port; no retry mends that
            return MailError("mail-tls-failed", server=server, detail=self._scrub(err.reason or str(err)))
        return None  # refused, reset, timed out, dropped mid-message, TLS cut off: try again

    def _scrub(self, text: str) -> str:
        """``text`` with the password, and the forms AUTH PLAIN/LOGIN send it in, replaced by stars."""
        s = self.settings
        if not s.password:
            return text
        secret = s.password.reveal()
        forms = {secret, base64.b64encode(secret.encode()).decode(), base64.b64encode(f"\0{s.username}\0{secret}".encode()).decode()}
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, "********")
        return text


class _NotOffered(Exception):
    """The server lacks what the settings need (STARTTLS, AUTH); ``code`` is the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _reply(code: int, text: bytes | str) -> str:
    """A server answer as one line: "550 5.1.1 no such user"."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text).split())}".strip()


def _describe(err: BaseException) -> str:
    """What went wrong, for a message: the server's reply, or the network error."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return "; ".join(_reply(c, r) for c, r in err.recipients.values())
    if isinstance(err, smtplib.SMTPResponseException):
        return _reply(err.smtp_code, err.smtp_error)
    if isinstance(err, TimeoutError):
        return "timed out"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


class OutboxSender:
    """Write each message to ``directory`` as an ``.eml`` file instead of sending it.

    A preview: it writes every time (replacing the file of the same name) and
    ``deliver`` records nothing for it.
    """

    records_sent = False

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.written: list[Path] = []

    def __repr__(self) -> str:
        return f"OutboxSender({str(self.directory)!r})"

    def send(self, message: EmailMessage, *, label: str = "") -> None:
        """Write ``message`` to ``<label>.eml`` (label sanitized); MailError when the folder is not writable."""
        name = safe_filename(label or str(message["Message-ID"]).strip("<>")) + ".eml"
        path = self.directory / name
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # A temp file moved into place: a reader never sees half a message.
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".eml.tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(message.as_bytes(policy=policy.SMTP))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            raise MailError("mail-outbox-failed", path=path, detail=err.strerror or str(err)) from None
        self.written.append(path)
        log.info("wrote %s", path)


# --- exactly once ------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What happened for one recipient: "sent", "written" (outbox), "skipped" (sent before) or "failed"."""

    recipient: str
    status: str
    message_id: str | None = None
    error: MailError | None = None
    path: Path | None = None  # the .eml file, for "written"


@dataclass(frozen=True)
class DeliveryResult:
    """Every recipient's outcome, in the order given."""

    outcomes: tuple[Outcome, ...]

    def _with(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    sent = property(lambda self: self._with("sent"), doc="Recipients the server accepted it for.")
    written = property(lambda self: self._with("written"), doc="Messages written to the outbox.")
    skipped = property(lambda self: self._with("skipped"), doc="Recipients recorded as sent before.")
    failed = property(lambda self: self._with("failed"), doc="Recipients not reached, each with its error.")

    @property
    def ok(self) -> bool:
        return not self.failed


def deliver(
    summary: SummaryLike,
    *,
    club: str,
    month: str,
    kind: str,
    recipients: Iterable[str],
    sender: Sender,
    state: State | None,
    resend: bool = False,
    from_address: str,
    from_name: str = "sheets-sync",
    message_id_domain: str | None = None,
    date: dt.datetime | None = None,
) -> DeliveryResult:
    """Send ``summary`` to each recipient once: skip those recorded as sent, record each send at once.

    One message per recipient (duplicates, ignoring case, get one).  With
    ``resend`` the record is ignored (and renewed).  A sender with
    ``records_sent = False`` (the outbox) writes every message and nothing is
    read from or recorded in ``state``.  A recipient refused or an address that
    is not valid is a failed outcome and the others still get theirs; when the
    server cannot be used at all (see ``SERVER_WIDE``) the rest are not tried.
    Errors of the state file (:class:`StateError`) stop the run: without the
    record, exactly-once cannot be kept.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    month = str(month)
    from_addr = Address(display_name=clean_header_text(from_name, 100), addr_spec=parse_address(from_address))
    domain = message_id_domain or from_addr.domain
    recording = state is not None and sender.records_sent
    outcomes: list[Outcome] = []
    seen: set[str] = set()
    stop: MailError | None = None
    for given in recipients:
        try:
            address = parse_address(given)
        except MailError as err:
            outcomes.append(Outcome(clean_header_text(given, 80), "failed", error=err))
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        if stop is not None:
            outcomes.append(Outcome(address, "failed", error=stop))
            continue
        if recording and not resend and state.was_sent(club, month, kind, address):
            log.info("%s %s %s already sent to %s; skipped", club, month, kind, address)
            outcomes.append(Outcome(address, "skipped"))
            continue
        message = build_message(summary, sender=from_addr, to=[address], message_id_domain=domain, date=date)
        message_id = str(message["Message-ID"])
        try:
            sender.send(message, label=f"{club}-{month}-{kind}-{address}")
        except MailError as err:
            log.warning("%s %s %s to %s failed: %s", club, month, kind, address, err.message("en"))
            outcomes.append(Outcome(address, "failed", message_id=message_id, error=err))
            if err.code in SERVER_WIDE:
                stop = err
            continue
        if recording:
            state.record_sent(club, month, kind, address, message_id)  # before the next recipient: resumable
        path = sender.written[-1] if getattr(sender, "written", None) else None
        outcomes.append(Outcome(address, "sent" if sender.records_sent else "written", message_id=message_id, path=path))
    return DeliveryResult(tuple(outcomes))


def mail_summary(summary: SummaryLike, *, config: Config, club: str, month: str, kind: str, recipients: Iterable[str],
                 outbox: str | Path | None = None, state: State | None = None, resend: bool = False) -> DeliveryResult:
    """Send ``summary`` through the config's [smtp], each recipient once; or, with ``outbox``, write .eml files.

    Sending records every message in ``state`` (the config's state file when
    None); the outbox is a preview that reads and records nothing.  Raises
    ConfigError when sending and the config has no [smtp].
    """
    smtp = config.smtp
    common = dict(club=club, month=month, kind=kind, recipients=list(recipients),
                  from_address=smtp.from_address if smtp else "sheets-sync@localhost", from_name=smtp.from_name if smtp else "sheets-sync")
    if outbox is not None:
        return deliver(summary, sender=OutboxSender(outbox), state=None, **common)
    sender = SmtpSender(config.require_smtp())
    if state is not None:
        return deliver(summary, sender=sender, state=state, resend=resend, **common)
    from .state import State

    with State(config.state.path) as own:
        return deliver(summary, sender=sender, state=own, resend=resend, **common)
