"""sheets-sync doctor: a healthy setup is all OK; each broken piece is named with its fix.

The Google clubs live on the local Sheets server and the service account's key
is real (an RSA key made in the test), so the real google-auth code signs a
token request; a tiny token endpoint on 127.0.0.1 answers it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from sheets_sync.cli import cli
from sheets_sync.doctor import diagnose

from conftest import clean_club, write_xlsx

SERVICE_ACCOUNT = "sheets-sync@club-project.iam.gserviceaccount.com"
# The test server logs in without TLS (a local relay's setup); aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class _TokenHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - stdlib naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"access_token": "test-token", "expires_in": 3600, "token_type": "Bearer"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def token_url():
    """Google's OAuth token endpoint, as far as a service account's signed request needs it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token"
    server.shutdown()


@pytest.fixture(scope="module")
def private_key() -> str:
    pytest.importorskip("cryptography")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


@pytest.fixture
def setup(tmp_path, fake_sheets, smtp_server_factory, token_url, private_key, monkeypatch):
    """A healthy setup: a Google club and an .xlsx club, a private key file, SMTP with a login."""
    monkeypatch.setenv("SHEETS_SYNC_GOOGLE_API_URL", fake_sheets.url)
    monkeypatch.setenv("SMTP_PASSWORD", "right-password")
    key = tmp_path / "google-key.json"
    key.write_text(json.dumps({"type": "service_account", "project_id": "club-project", "private_key_id": "1",
                               "private_key": private_key, "client_email": SERVICE_ACCOUNT, "client_id": "1", "token_uri": token_url}))
    key.chmod(0o600)
    write_xlsx(tmp_path / "dong.xlsx", clean_club())
    smtp = smtp_server_factory(auth=("bao-cao", "right-password"))
    values = {
        "sheet": fake_sheets.create_spreadsheet("CLB Tây", sheets=clean_club(), locale="vi_VN"),
        "port": smtp.port, "extra": "",
    }

    def write(**changes):
        v = {**values, **changes}
        text = (f'[google]\ncredentials_file = "google-key.json"\n\n'
                f'[smtp]\nhost = "127.0.0.1"\nport = {v["port"]}\nsecurity = "plain"\nusername = "bao-cao"\npassword_env = "SMTP_PASSWORD"\n'
                f'from_address = "bao-cao@example.org"\nmax_attempts = 1\n\n'
                f'[state]\npath = "state.sqlite"\n\n[coordinator]\nemails = ["dieuphoi@example.org"]\n\n'
                f'[[clubs]]\nsource = "{v["sheet"]}"\nname = "CLB Tây"\n\n[[clubs]]\nsource = "dong.xlsx"\n{v["extra"]}')
        path = tmp_path / "sheets-sync.toml"
        path.write_text(text, encoding="utf-8")
        return path

    write.key, write.server = key, fake_sheets
    return write


def doctor(path):
    return CliRunner().invoke(cli, ["doctor", "--config", str(path), "--lang", "en"])


def test_a_healthy_setup_is_all_ok(setup, fake_sheets):
    result = doctor(setup())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(line.startswith(("[OK]", "[NOTE]")) for line in lines[:-1]), result.output
    assert f"service account {SERVICE_ACCOUNT}" in result.output
    assert "CLB Tây (" in result.output and "opens; 0 errors, 0 warnings" in result.output
    assert "accepts the connection and the login (user: bao-cao)" in result.output
    assert lines[-1] == "Everything is ready."
    assert fake_sheets.count(kind="write") == 0  # a check writes nothing
    assert all(r.authorized for r in fake_sheets.requests)  # the key's token was used


def _unknown_key(setup, tmp_path, monkeypatch):
    return setup(extra="colour = \"blue\"\n"), ['unknown key "clubs[2].colour"']


def _key_missing(setup, tmp_path, monkeypatch):
    setup.key.unlink()
    return setup(), [f'The Google key file "{setup.key}" (google.credentials_file) does not exist', "CLB Tây ("]


def _key_world_readable(setup, tmp_path, monkeypatch):
    setup.key.chmod(0o644)
    return setup(), [f'"{setup.key}" can be read by other users of this machine (mode 0644). Run: chmod 600 {setup.key}']


def _sheet_not_shared(setup, tmp_path, monkeypatch):
    private = setup.server.create_spreadsheet("CLB Tây", sheets=clean_club(), shared=False)
    return setup(sheet=private), [f'click "Share" and add {SERVICE_ACCOUNT} as an Editor']


def _smtp_refuses_login(setup, tmp_path, monkeypatch):
    monkeypatch.setenv("SMTP_PASSWORD", "wrong-password")
    return setup(), ['refused the login of "bao-cao"', 'password_env = "SMTP_PASSWORD"']


@pytest.mark.parametrize(
    "breakage",
    [_unknown_key, _key_missing, _key_world_readable, _sheet_not_shared, _smtp_refuses_login],
    ids=["unknown-key", "key-file-missing", "key-file-world-readable", "sheet-not-shared", "smtp-refuses-login"],
)
def test_doctor_names_each_problem_and_its_fix(setup, tmp_path, monkeypatch, breakage):
    path, expected = breakage(setup, tmp_path, monkeypatch)
    result = doctor(path)
    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if line.startswith("[PROBLEM]")]
    for text in expected:
        assert any(text in line for line in problems), (text, result.output)
    assert "wrong-password" not in result.output and "PRIVATE KEY" not in result.output
    assert result.output.splitlines()[-1].startswith("Problems to fix: ")


@pytest.mark.parametrize("second_mode, level", [(0o600, "[OK]"), (0o644, "[PROBLEM]")], ids=["both-private", "second-readable-by-all"])
def test_every_service_account_key_is_checked(setup, second_mode, level):
    # Several accounts add up their quotas; doctor looks at each key, not only the first.
    second = setup.key.with_name("second-key.json")
    key = json.loads(setup.key.read_text())
    second.write_text(json.dumps({**key, "client_email": "sheets-sync-2@club-project.iam.gserviceaccount.com", "private_key_id": "2"}))
    second.chmod(second_mode)
    path = setup()
    path.write_text(path.read_text().replace('credentials_file = "google-key.json"', 'credentials_files = ["google-key.json", "second-key.json"]'))
    result = doctor(path)
    lines = result.output.splitlines()
    assert any(line.startswith("[OK]") and SERVICE_ACCOUNT in line for line in lines), result.output
    assert any(line.startswith(level) and str(second) in line for line in lines), result.output
    assert any(line.startswith("[OK]") and "CLB Tây (" in line for line in lines), result.output
    assert result.exit_code == (0 if level == "[OK]" else 1)


@pytest.mark.parametrize("locale, noted", [("vi_VN", False), ("en_US", True)])
def test_a_sheet_whose_locale_reads_dates_month_first_is_noted(setup, locale, noted):
    sheet = setup.server.create_spreadsheet("CLB Tây", sheets=clean_club(), locale=locale)
    result = doctor(setup(sheet=sheet))
    notes = [line for line in result.output.splitlines() if line.startswith("[NOTE]") and "locale" in line]
    assert bool(notes) == noted, result.output
    if noted:
        assert [n.split(None, 1)[1] for n in notes] == ['CLB Tây: the spreadsheet\'s locale is "en_US", so a date typed 05/10/2026 may be stored by Google as 10 May. '
                         "Open File → Settings → Locale and choose Vietnam."]
    assert result.exit_code == 0  # a note, not a problem: the sheet still works


def test_no_config_file_says_where_to_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checks = list(diagnose(lang="en", environ={}))
    assert [(c.topic, c.level) for c in checks] == [("config", "problem")]
    assert "jobs/sheets-sync.example.toml" in checks[0].message


def test_doctor_speaks_vietnamese(setup):
    result = CliRunner().invoke(cli, ["doctor", "--config", str(setup())])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "Mọi thứ đã sẵn sàng."
