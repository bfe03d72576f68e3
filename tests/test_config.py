"""sheets-sync.toml: a good file loads; every mistake is a ConfigError naming the key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sheets_sync import i18n
from sheets_sync.config import Config, Secret, SmtpSettings, load_config
from sheets_sync.errors import ConfigError

GOOD = """\
[smtp]
host = "smtp.example.org"
port = 587
security = "starttls"
username = "bao-cao@example.org"
password_env = "SMTP_PASSWORD"
from_address = "bao-cao@example.org"
from_name = "Báo cáo CLB"
timeout = 20
max_attempts = 4

[state]
path = "data/state.sqlite"
"""


def write(tmp_path: Path, text: str, name: str = "sheets-sync.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_file_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret-pw")
    config = load_config(write(tmp_path, GOOD))
    smtp = config.smtp
    assert (smtp.host, smtp.port, smtp.security, smtp.username) == ("smtp.example.org", 587, "starttls", "bao-cao@example.org")
    assert (smtp.from_address, smtp.from_name, smtp.timeout, smtp.max_attempts) == ("bao-cao@example.org", "Báo cáo CLB", 20.0, 4)
    assert smtp.password.reveal() == "s3cret-pw"
    assert smtp.server == "smtp.example.org:587"
    # Relative paths are relative to the config file, not to where the command runs.
    assert config.state.path == tmp_path / "data" / "state.sqlite"


def test_password_never_in_repr(tmp_path, monkeypatch):
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret-pw")
    config = load_config(write(tmp_path, GOOD))
    for text in (repr(config), str(config), repr(config.smtp), repr(config.smtp.password), str(config.smtp.password), f"{config.smtp.password}"):
        assert "s3cret-pw" not in text
    assert 'password_env = "SMTP_PASSWORD"' in repr(config.smtp)  # where it comes from is fine to show


def test_password_from_file(tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("from-a-file\n", encoding="utf-8")
    text = GOOD.replace('password_env = "SMTP_PASSWORD"', f'password_file = "{secret.name}"')
    smtp = load_config(write(tmp_path, text)).require_smtp()
    assert smtp.password.reveal() == "from-a-file"  # the trailing newline an editor adds is not part of it


@pytest.mark.parametrize(
    ("security", "port"),
    [("starttls", 587), ("ssl", 465), ("plain", 25)],
    ids=["starttls", "ssl", "plain"],
)
def test_defaults_follow_security(tmp_path, security, port):
    config = load_config(write(tmp_path, f'[smtp]\nhost = "localhost"\nsecurity = "{security}"\nfrom_address = "a@example.org"\n'))
    assert config.smtp == SmtpSettings(host="localhost", port=port, security=security, from_address="a@example.org")
    assert config.state.path == tmp_path / "sheets-sync.sqlite"


def test_no_file_no_smtp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config == Config()
    with pytest.raises(ConfigError) as caught:
        config.require_smtp()
    assert "[smtp]" in caught.value.message("en") and "--outbox" in caught.value.message("en")


def test_default_file_and_env_var(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '[state]\npath = "here.sqlite"\n')
    assert load_config().state.path == Path("here.sqlite")
    other = write(tmp_path, '[state]\npath = "/tmp/elsewhere.sqlite"\n', name="other.toml")
    monkeypatch.setenv("SHEETS_SYNC_CONFIG", str(other))
    assert load_config().state.path == Path("/tmp/elsewhere.sqlite")


SMTP_BASE = '[smtp]\nhost = "smtp.example.org"\nfrom_address = "a@example.org"\n'

BAD = [
    # (id, file text, key named, a word the English message must contain)
    ("unknown-key", SMTP_BASE + 'hots = "x"\n', "smtp.hots", "unknown key"),
    ("unknown-section", '[smpt]\nhost = "x"\n', "smpt", "unknown key"),
    ("bad-security", SMTP_BASE + 'security = "tls"\n', "smtp.security", '"starttls", "ssl", "plain"'),
    ("password-in-file", SMTP_BASE + 'username = "u"\npassword = "hunter2"\n', "smtp.password", "password_env"),
    ("missing-env-var", SMTP_BASE + 'username = "u"\npassword_env = "SMTP_PASSWORD_UNSET"\n', "smtp.password_env", "SMTP_PASSWORD_UNSET"),
    ("password-file-missing", SMTP_BASE + 'username = "u"\npassword_file = "nope.txt"\n', "smtp.password_file", "nope.txt"),
    ("both-password-sources", SMTP_BASE + 'username = "u"\npassword_env = "A"\npassword_file = "b"\n', "smtp.password_env", "keep one"),
    ("username-without-password", SMTP_BASE + 'username = "u"\n', "smtp.username", "password_env"),
    ("password-without-username", SMTP_BASE + 'password_env = "SMTP_PASSWORD"\n', "smtp.password_env", "smtp.username"),
    ("env-name-is-a-password", SMTP_BASE + 'username = "u"\npassword_env = "my pass!"\n', "smtp.password_env", "environment variable name"),
    ("port-text", SMTP_BASE + 'port = "587"\n', "smtp.port", "from 1 to 65535"),
    ("port-range", SMTP_BASE + "port = 70000\n", "smtp.port", "from 1 to 65535"),
    ("port-bool", SMTP_BASE + "port = true\n", "smtp.port", "number"),
    ("timeout-zero", SMTP_BASE + "timeout = 0\n", "smtp.timeout", "from 1 to 600"),
    ("attempts-float", SMTP_BASE + "max_attempts = 2.5\n", "smtp.max_attempts", "from 1 to 10"),
    ("host-missing", '[smtp]\nfrom_address = "a@example.org"\n', "smtp.host", "missing"),
    ("host-empty", '[smtp]\nhost = " "\nfrom_address = "a@example.org"\n', "smtp.host", "non-empty"),
    ("from-missing", '[smtp]\nhost = "smtp.example.org"\n', "smtp.from_address", "missing"),
    ("from-two-addresses", '[smtp]\nhost = "h"\nfrom_address = "a@example.org, b@example.org"\n', "smtp.from_address", "not an email address"),
    ("from-name-newline", SMTP_BASE + 'from_name = "CLB\\r\\nBcc: x@y.z"\n', "smtp.from_name", "one-line"),
    ("plain-login-remote", SMTP_BASE + 'security = "plain"\nusername = "u"\npassword_env = "SMTP_PASSWORD"\n', "smtp.security", "unencrypted"),
    ("section-not-table", 'smtp = "smtp.example.org"\n', "smtp", "section"),
    ("state-path-number", "[state]\npath = 3\n", "state.path", "text"),
    ("state-unknown-key", '[state]\nfile = "x.sqlite"\n', "state.file", "path"),
]


@pytest.mark.parametrize(("text", "key", "word"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_file_names_the_key(tmp_path, monkeypatch, text, key, word):
    monkeypatch.setenv("SMTP_PASSWORD", "pw")  # set: only "missing-env-var" names one that is not
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    for lang in i18n.LANGUAGES:
        message = caught.value.message(lang)
        assert f'"{key}"' in message, message
        assert str(path) in message
    assert word in caught.value.message("en")
    assert "hunter2" not in caught.value.message("en") and "my pass!" not in caught.value.message("en")
    assert "\n" not in caught.value.message("en")  # one line on the terminal, whatever was typed


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.toml")
    assert caught.value.code == "config-not-found"
    assert "nope.toml" in str(caught.value)


def test_toml_syntax_error_says_where(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[smtp]\nhost = "unterminated\n'))
    assert caught.value.code == "config-unreadable"
    assert "line 2" in caught.value.message("en")


def test_plain_login_to_local_relay_is_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("RELAY_PW", "pw")
    text = '[smtp]\nhost = "127.0.0.1"\nsecurity = "plain"\nport = 2525\nusername = "u"\npassword_env = "RELAY_PW"\nfrom_address = "a@example.org"\n'
    assert load_config(write(tmp_path, text)).smtp.password == Secret("pw")


# --- the unattended jobs' sections (#6) -------------------------------------------------------

JOBS_GOOD = """\
[run]
timezone = "Asia/Bangkok"
language = "en"

[google]
credentials_file = "keys/google.json"

[schedule]
nightly = "1:30"
monthly = "06:45"
monthly_day = 3
club_time_limit = 60

[[clubs]]
source = "https://docs.google.com/spreadsheets/d/1AbC_dEf-123456789012345678901234/edit"
name = "CLB An Bình"
chair_email = "chair@example.org"
language = "en"

[[clubs]]
source = "clubs/dong.xlsx"
active = false

[registry]
source = "registry.xlsx"

[coordinator]
emails = ["coord@example.org", "boss@example.org"]
language = "vi"
"""


def test_jobs_sections_load(tmp_path):
    from sheets_sync.config import ClubSettings, CoordinatorSettings, ScheduleSettings

    config = load_config(write(tmp_path, JOBS_GOOD))
    assert (config.timezone, config.language, str(config.tz)) == ("Asia/Bangkok", "en", "Asia/Bangkok")
    assert config.credentials == tmp_path / "keys" / "google.json"
    assert config.schedule == ScheduleSettings(nightly="01:30", monthly="06:45", monthly_day=3, club_time_limit=60)
    assert config.clubs == (
        ClubSettings(source="https://docs.google.com/spreadsheets/d/1AbC_dEf-123456789012345678901234/edit", name="CLB An Bình",
                     chair_email="chair@example.org", language="en", origin="clubs[1]"),
        ClubSettings(source=str(tmp_path / "clubs" / "dong.xlsx"), active=False, origin="clubs[2]"),
    )
    assert config.registry.source == str(tmp_path / "registry.xlsx")
    assert config.coordinator == CoordinatorSettings(emails=("coord@example.org", "boss@example.org"), language="vi")


def test_jobs_defaults_come_from_the_job_definitions(tmp_path):
    from sheets_sync.jobs import load_job

    config = load_config(write(tmp_path, '[[clubs]]\nsource = "a.xlsx"\n'))
    assert (config.timezone, config.language, config.credentials) == ("Asia/Ho_Chi_Minh", "vi", None)
    assert (config.schedule.nightly, config.schedule.monthly, config.schedule.monthly_day) == (load_job("nightly").time, load_job("monthly").time, load_job("monthly").day)
    assert config.schedule.club_time_limit == 300
    assert config.coordinator.emails == () and config.registry is None


def test_the_example_in_jobs_loads():
    example = Path(__file__).parents[1] / "jobs" / "sheets-sync.example.toml"
    config = load_config(example, environ={"SMTP_PASSWORD": "pw"})
    assert len(config.clubs) == 2 and config.registry is not None and config.coordinator.emails
    assert config.timezone == "Asia/Ho_Chi_Minh" and config.smtp.password.reveal() == "pw"


JOBS_BAD = [
    ("club-unknown-key", '[[clubs]]\nsorce = "a.xlsx"\n', "clubs[1].sorce", "unknown key"),
    ("club-source-missing", '[[clubs]]\nname = "CLB"\n', "clubs[1].source", "missing"),
    ("club-bad-email", '[[clubs]]\nsource = "a.xlsx"\n[[clubs]]\nsource = "b.xlsx"\nchair_email = "chu nhiem"\n', "clubs[2].chair_email", "not an email address"),
    ("club-bad-language", '[[clubs]]\nsource = "a.xlsx"\nlanguage = "fr"\n', "clubs[1].language", '"vi", "en"'),
    ("club-active-text", '[[clubs]]\nsource = "a.xlsx"\nactive = "yes"\n', "clubs[1].active", "true or false"),
    ("clubs-not-array", '[clubs]\nsource = "a.xlsx"\n', "clubs", "[[clubs]]"),
    ("club-twice", '[[clubs]]\nsource = "a.xlsx"\n[[clubs]]\nsource = "./a.xlsx"\n', "clubs[2].source", "same workbook"),
    ("bad-timezone", '[run]\ntimezone = "Mars/Olympus"\n', "run.timezone", "time zone"),
    ("bad-run-language", '[run]\nlanguage = "fr"\n', "run.language", '"vi", "en"'),
    ("run-unknown-key", '[run]\ntz = "Asia/Ho_Chi_Minh"\n', "run.tz", "unknown key"),
    ("bad-time", '[schedule]\nnightly = "25:00"\n', "schedule.nightly", "HH:MM"),
    ("time-number", "[schedule]\nmonthly = 7\n", "schedule.monthly", "HH:MM"),
    ("bad-day", "[schedule]\nmonthly_day = 31\n", "schedule.monthly_day", "from 1 to 28"),
    ("bad-limit", "[schedule]\nclub_time_limit = 0\n", "schedule.club_time_limit", "from 1 to 86400"),
    ("registry-no-source", '[registry]\nsheet = "x"\n', "registry.sheet", "unknown key"),
    ("coordinator-bad-email", '[coordinator]\nemails = ["a@example.org", "not-an-address"]\n', "coordinator.emails", "not an email address"),
    ("google-key-number", "[google]\ncredentials_file = 3\n", "google.credentials_file", "text"),
]


@pytest.mark.parametrize(("text", "key", "word"), [b[1:] for b in JOBS_BAD], ids=[b[0] for b in JOBS_BAD])
def test_bad_jobs_sections_name_the_key(tmp_path, text, key, word):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    for lang in i18n.LANGUAGES:
        message = caught.value.message(lang)
        assert f'"{key}"' in message, message
        assert str(path) in message
    assert word in caught.value.message("en")
