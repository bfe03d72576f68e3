"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), with scripted failures.

``smtp_server`` is a plain server that keeps every message it accepts;
``smtp_server_factory(auth=(user, password), tls="starttls" | "ssl")`` starts
others (login required, STARTTLS, implicit TLS with a certificate made at test
time).  Each server's ``handler`` can refuse a recipient (550 at RCPT), answer
451 to the next N messages, or drop the connection in the middle of the next N
messages (after the data, before any answer: the client cannot know whether it
arrived).  Import in a test module with::

    from smtp_server import smtp_server, smtp_server_factory  # noqa: F401
"""

from __future__ import annotations

import datetime as dt
import email
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sheets_sync.config import Secret, SmtpSettings

__all__ = ["Received", "RecordingHandler", "TestServer", "smtp_server", "smtp_server_factory", "tls_files", "free_port"]

FROM = "bao-cao@example.org"


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)


@dataclass
class RecordingHandler:
    """aiosmtpd handler: stores accepted messages; refuses, delays or drops on request."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # lower-case addresses answered 550 at RCPT
    fail_temporarily: int = 0  # the next N messages are answered 451 after DATA
    drop_connection: int = 0  # the next N messages: connection closed after DATA, no answer
    data_attempts: int = 0  # messages whose data arrived, whatever the answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_attempts += 1
            if self.drop_connection > 0:
                self.drop_connection -= 1
                server.transport.close()  # the client is left waiting for an answer that never comes
                return "421 4.3.0 closing"
            if self.fail_temporarily > 0:
                self.fail_temporarily -= 1
                return "451 4.3.0 Temporary local problem, try again later"
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        return "250 2.0.0 OK: queued"


class _Authenticator:
    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username.encode(), password.encode()
        self.attempts = 0  # AUTH commands (smtplib tries PLAIN, then LOGIN, on one connection)
        self.connections: set = set()  # client (host, port) pairs that tried to log in

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.attempts += 1
        self.connections.add(session.peer)
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.username and auth_data.password == self.password
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@dataclass
class TestServer:
    """A running server: where it listens, its handler, and settings to reach it."""

    __test__ = False  # not a test class, whatever its name

    host: str
    port: int
    handler: RecordingHandler
    security: str
    controller: Controller
    client_context: ssl.SSLContext | None = None
    authenticator: _Authenticator | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def settings(self, **changes) -> SmtpSettings:
        """SmtpSettings for this server (plain unless it speaks TLS), short timeout."""
        values = dict(host=self.host, port=self.port, security=self.security, from_address=FROM, from_name="Báo cáo CLB", timeout=5.0, max_attempts=3)
        values.update(changes)
        if isinstance(values.get("password"), str):
            values["password"] = Secret(values["password"])
        return SmtpSettings(**values)


def free_port() -> int:
    """A port nobody listens on now (Controller(port=0) does not pick one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost / 127.0.0.1 and its key, made once per session."""
    pytest.importorskip("cryptography", reason="the TLS tests make their certificate with cryptography")
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def smtp_server_factory(request):
    """Start servers: ``factory(auth=("user", "pw"), tls=None | "starttls" | "ssl")``; all stopped after the test."""
    started: list[Controller] = []

    def start(*, auth: tuple[str, str] | None = None, tls: str | None = None) -> TestServer:
        handler = RecordingHandler()
        kwargs: dict = {"server_hostname": "localhost", "ready_timeout": 5.0}
        client_context = None
        if tls:
            cert_path, key_path = request.getfixturevalue("tls_files")
            server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            server_context.load_cert_chain(cert_path, key_path)
            client_context = ssl.create_default_context(cafile=str(cert_path))
            if tls == "starttls":
                kwargs.update(tls_context=server_context, require_starttls=True)
            else:
                kwargs.update(ssl_context=server_context)
        authenticator = None
        if auth:
            authenticator = _Authenticator(*auth)
            # Login over plain is what a local relay does; the tests need it without TLS.
            kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=tls == "starttls")
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        security = {"starttls": "starttls", "ssl": "ssl"}.get(tls or "", "plain")
        return TestServer("127.0.0.1", port, handler, security, controller, client_context, authenticator)

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def smtp_server(smtp_server_factory) -> TestServer:
    """A plain SMTP server on 127.0.0.1 that keeps what it accepts."""
    return smtp_server_factory()
