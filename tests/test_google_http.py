"""sheets_sync.sources.google_http: the real gspread client, over HTTP, against the local server."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import gspread
import pytest
import requests
from gspread.exceptions import APIError

from sheets_sync.sources.google_http import (
    BASE_URL_ENV,
    AnonymousCredentials,
    GoogleHTTPClient,
    RateLimiter,
    describe_api_error,
    make_client,
)
from sheets_sync.testing import FakeSheetsServer

SERVICE_ACCOUNT = "sheets-sync@clb-hoa-sen.iam.gserviceaccount.com"


class FakeClock:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def connect(fake_sheets: FakeSheetsServer, sleeps: list[float]) -> Callable[..., gspread.Client]:
    """Build a real gspread Client through GoogleHTTPClient; sleeps are recorded, not slept."""

    def build(**options: Any) -> gspread.Client:
        options.setdefault("rate_limiter", RateLimiter(reads=10_000, writes=10_000))
        options.setdefault("random", lambda: 0.5)
        factory = GoogleHTTPClient.factory(base_url=fake_sheets.url, sleep=sleeps.append, **options)
        return gspread.Client(auth=AnonymousCredentials(), http_client=factory)  # type: ignore[arg-type]

    return build


@pytest.fixture
def club(fake_sheets: FakeSheetsServer) -> str:
    return fake_sheets.create_spreadsheet("CLB Hoa Sen", {"Thành viên": [["Mã TV", "Họ và tên"], ["TV01", "Nguyễn Thị An"]]})


# --- talking to the local server ---------------------------------------------------------


def test_open_by_key_and_read_values(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], club: str) -> None:
    client = connect()
    sheet = client.open_by_key(club)
    assert sheet.title == "CLB Hoa Sen"
    assert sheet.worksheet("Thành viên").get_all_values() == [["Mã TV", "Họ và tên"], ["TV01", "Nguyễn Thị An"]]
    assert fake_sheets.count("read") == 3  # metadata on open, again for worksheet(), then the values
    assert not any(record.authorized for record in fake_sheets.requests)  # no credentials needed or sent


def test_notes_written_through_gspread_land_on_the_server(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], club: str) -> None:
    worksheet = connect().open_by_key(club).worksheet("Thành viên")
    worksheet.update_notes({"B2": "[sheets-sync] Thiếu năm sinh"})
    assert fake_sheets.get_notes(club, "Thành viên") == {"B2": "[sheets-sync] Thiếu năm sinh"}
    assert worksheet.get_note("B2") == "[sheets-sync] Thiếu năm sinh"


@pytest.mark.parametrize(
    ("base_url", "endpoint", "expected"),
    [
        (None, "https://sheets.googleapis.com/v4/spreadsheets/x", "https://sheets.googleapis.com/v4/spreadsheets/x"),
        ("http://127.0.0.1:9", "https://sheets.googleapis.com/v4/spreadsheets/x", "http://127.0.0.1:9/v4/spreadsheets/x"),
        ("http://127.0.0.1:9/", "https://www.googleapis.com/drive/v3/files", "http://127.0.0.1:9/drive/v3/files"),
        ("http://127.0.0.1:9", "https://example.org/other", "https://example.org/other"),
    ],
    ids=["no-base-url", "sheets", "drive-trailing-slash", "other-host"],
)
def test_url_rewriting(base_url: str | None, endpoint: str, expected: str) -> None:
    client = GoogleHTTPClient(AnonymousCredentials(), base_url=base_url)
    assert client.url_for(endpoint) == expected


def test_make_client_reads_the_environment(fake_sheets: FakeSheetsServer, club: str) -> None:
    client = make_client(environ={BASE_URL_ENV: fake_sheets.url}, rate_limiter=RateLimiter(reads=100, writes=100))
    assert client.open_by_key(club).title == "CLB Hoa Sen"
    with pytest.raises(ValueError, match=BASE_URL_ENV):
        make_client(environ={})


def test_explicit_timeout(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    client = connect(timeout=0.2, max_attempts=2)
    http = client.http_client
    assert http.timeout == 0.2
    client.set_timeout(None)
    assert http.timeout == 0.2  # None means "this client's default", never "wait forever"
    assert GoogleHTTPClient(AnonymousCredentials()).timeout == 30.0
    fake_sheets.faults.latency_ms = 500
    with pytest.raises(requests.exceptions.ReadTimeout) as caught:
        client.open_by_key(club)  # a GET: retried once, then given up
    assert caught.value.attempts == 2  # type: ignore[attr-defined]
    assert len(sleeps) == 1
    assert "ReadTimeout" in describe_api_error(caught.value, "en")


def test_a_write_that_times_out_is_not_repeated(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    worksheet = connect(timeout=0.2).open_by_key(club).sheet1
    fake_sheets.faults.latency_ms = 500
    with pytest.raises(requests.exceptions.ReadTimeout):
        worksheet.update_notes({"A1": "x"})
    assert sleeps == []
    time.sleep(0.4)  # let the slow write finish on the server before the fixture stops it
    assert fake_sheets.count("write") == 1


# --- retries ----------------------------------------------------------------------------------


def test_429_burst_is_survived_honouring_retry_after(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    fake_sheets.faults.fail_next(status=429, times=3, retry_after=2)
    assert connect().open_by_key(club).title == "CLB Hoa Sen"
    assert sleeps == [2, 2, 2]
    assert fake_sheets.count(status=429) == 3


def test_retry_after_never_beyond_the_cap(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    fake_sheets.faults.fail_next(status=429, retry_after=600)
    connect(backoff_cap=32, max_total_wait=100).open_by_key(club)
    assert sleeps == [32]


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_server_errors_are_survived(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str, status: int) -> None:
    fake_sheets.faults.fail_next(status=status)
    assert connect().open_by_key(club).title == "CLB Hoa Sen"
    assert sleeps == [0.5]  # random() 0.5 x min(cap, base 1 s)


def test_dropped_connection_is_survived(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    fake_sheets.faults.drop_next(times=2)
    assert connect().open_by_key(club).title == "CLB Hoa Sen"
    assert sleeps == [0.5, 1.0]
    assert [r.status for r in fake_sheets.requests] == [None, None, 200]


def test_500_forever_gives_up_after_max_attempts(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    fake_sheets.faults.always(status=500, spreadsheet_id=club)
    with pytest.raises(APIError) as caught:
        connect(max_attempts=4).open_by_key(club)
    error = caught.value
    assert error.response.status_code == 500
    assert error.attempts == 4  # type: ignore[attr-defined]
    assert fake_sheets.count(status=500) == 4
    assert len(sleeps) == 3
    assert "3 lần thử lại" in describe_api_error(error, "vi")
    assert "3 retries" in describe_api_error(error, "en")


def test_gives_up_when_the_wait_budget_is_spent(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    fake_sheets.faults.fail_next(status=429, times=5, retry_after=10)
    with pytest.raises(APIError) as caught:
        connect(max_total_wait=25).open_by_key(club)
    assert sleeps == [10, 10]  # a third 10 s wait would pass 25 s
    assert caught.value.attempts == 3  # type: ignore[attr-defined]


def test_client_errors_are_not_retried(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float], club: str) -> None:
    worksheet = connect().open_by_key(club).sheet1
    with pytest.raises(APIError) as caught:
        worksheet.spreadsheet.values_get("Nope!A1")
    assert caught.value.code == 400
    assert "Unable to parse range: Nope!A1" in caught.value.error["message"]
    assert sleeps == []


@pytest.mark.parametrize(
    ("retry", "ceiling"),
    [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (7, 32), (12, 32)],
)
def test_backoff_is_capped_exponential_with_full_jitter(retry: int, ceiling: float) -> None:
    top = GoogleHTTPClient(AnonymousCredentials(), random=lambda: 1.0)
    bottom = GoogleHTTPClient(AnonymousCredentials(), random=lambda: 0.0)
    assert top.backoff(retry, None) == ceiling
    assert bottom.backoff(retry, None) == 0
    assert top.backoff(retry, retry_after=5) == 5
    assert top.backoff(retry, retry_after=99) == 32


def test_one_log_line_per_retry_and_no_secrets(fake_sheets: FakeSheetsServer, sleeps: list[float], club: str, caplog: pytest.LogCaptureFixture) -> None:
    session = requests.Session()
    session.headers["Authorization"] = "Bearer s3cret-token"
    http = GoogleHTTPClient(None, session, base_url=fake_sheets.url, sleep=sleeps.append, random=lambda: 0.5)
    fake_sheets.faults.fail_next(status=503, times=2)
    with caplog.at_level(logging.INFO, logger="sheets_sync.google"):
        answer = http.request("get", f"https://sheets.googleapis.com/v4/spreadsheets/{club}", params={"key": "API-KEY-123"})
    assert answer.status_code == 200
    retries = [r for r in caplog.records if r.name == "sheets_sync.google"]
    assert len(retries) == 2
    assert "HTTP 503; retry 1 of 4" in retries[0].getMessage()
    assert "s3cret" not in caplog.text and "API-KEY-123" not in caplog.text
    assert fake_sheets.requests[-1].authorized  # the header went to the server, not to the log


# --- errors for people --------------------------------------------------------------------------


def test_private_sheet_is_403_and_names_the_service_account(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], sleeps: list[float]) -> None:
    private = fake_sheets.create_spreadsheet("Riêng", shared=False)
    with pytest.raises(PermissionError) as caught:  # gspread wraps the APIError
        connect().open_by_key(private)
    cause = caught.value.__cause__
    assert isinstance(cause, APIError) and cause.code == 403
    assert cause.error["message"] == "The caller does not have permission"
    assert sleeps == []
    message = describe_api_error(caught.value, "vi", SERVICE_ACCOUNT)
    assert SERVICE_ACCOUNT in message and "Chia sẻ" in message
    assert SERVICE_ACCOUNT in describe_api_error(caught.value, "en", SERVICE_ACCOUNT)


def test_unknown_id_is_404_and_names_the_service_account(connect: Callable[..., gspread.Client]) -> None:
    with pytest.raises(gspread.SpreadsheetNotFound) as caught:
        connect().open_by_key("1NoSuchSpreadsheet")
    cause = caught.value.__cause__
    assert isinstance(cause, APIError) and cause.response.status_code == 404
    assert "Requested entity was not found." in describe_api_error(caught.value, "en", SERVICE_ACCOUNT)
    assert SERVICE_ACCOUNT in describe_api_error(caught.value, "en", SERVICE_ACCOUNT)


@pytest.mark.parametrize(
    ("status", "lang", "fragments"),
    [
        (403, "vi", ["mã 403", "Chia sẻ", SERVICE_ACCOUNT]),
        (404, "en", ["code 404", "Share", SERVICE_ACCOUNT]),
        (429, "vi", ["mã 429", "4 lần thử lại"]),
        (429, "en", ["busy", "4 retries"]),
        (500, "vi", ["Máy chủ Google đang gặp lỗi", "mã 500"]),
        (503, "en", ["failing", "code 503"]),
        (400, "en", ["refused", "code 400"]),
    ],
)
def test_describe_api_error_table(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], club: str, status: int, lang: str, fragments: list[str]) -> None:
    fake_sheets.faults.always(status=status)
    with pytest.raises(Exception) as caught:
        connect().open_by_key(club)
    message = describe_api_error(caught.value, lang, SERVICE_ACCOUNT)
    for fragment in fragments:
        assert fragment in message
    assert "{" not in message and "}" not in message


def test_describe_a_dropped_connection_and_a_bad_language(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], club: str) -> None:
    fake_sheets.faults.drop_next(times=5)
    with pytest.raises(requests.ConnectionError) as caught:
        connect().open_by_key(club)
    assert "4 retries" in describe_api_error(caught.value, "en")
    assert "Không kết nối được" in describe_api_error(caught.value, "vi")
    with pytest.raises(ValueError, match='"fr"'):
        describe_api_error(caught.value, "fr")


def test_describe_without_a_service_account_email(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client]) -> None:
    private = fake_sheets.create_spreadsheet("Riêng", shared=False)
    with pytest.raises(PermissionError) as caught:
        connect().open_by_key(private)
    assert "client_email" in describe_api_error(caught.value, "en")


# --- rate limiting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "window", "arrivals", "expected_starts"),
    [
        (3, 60.0, [0, 0, 0], [0, 0, 0]),
        (3, 60.0, [0, 0, 0, 0], [0, 0, 0, 60]),
        (2, 10.0, [0, 1, 2, 3, 4], [0, 1, 10, 11, 20]),
        (1, 1.0, [0, 0, 0], [0, 1, 2]),
        (60, 60.0, [0] * 61, [0] * 60 + [60]),
    ],
    ids=["under", "one-over", "steady", "one-per-second", "google-default"],
)
def test_rate_limiter_never_lets_more_than_n_start_in_a_window(limit: int, window: float, arrivals: list[float], expected_starts: list[float]) -> None:
    clock = FakeClock()
    limiter = RateLimiter(reads=limit, writes=limit, window=window, clock=clock, sleep=clock.sleep)
    starts = []
    for arrival in arrivals:
        clock.now = max(clock.now, arrival)
        limiter.acquire("GET")
        starts.append(clock.now)
    assert starts == expected_starts
    for start in starts:
        in_window = [s for s in starts if start <= s < start + window]
        assert len(in_window) <= limit, f"{len(in_window)} starts in the window from {start}"


def test_reads_and_writes_have_separate_buckets() -> None:
    clock = FakeClock()
    limiter = RateLimiter(reads=2, writes=1, window=60, clock=clock, sleep=clock.sleep)
    for method in ("GET", "GET", "POST"):
        assert limiter.acquire(method) == 0
    assert limiter.acquire("PUT") == 60
    assert limiter.acquire("get") == 0  # a minute has passed for the reads too
    assert clock.sleeps == [60]


def test_rate_limiter_is_shared_by_every_request(fake_sheets: FakeSheetsServer, connect: Callable[..., gspread.Client], club: str) -> None:
    clock = FakeClock()
    limiter = RateLimiter(reads=2, writes=2, window=60, clock=clock, sleep=clock.sleep)
    worksheet = connect(rate_limiter=limiter).open_by_key(club).sheet1  # GET metadata: 1 read
    worksheet.get_all_values()  # 2nd read
    worksheet.get_all_values()  # 3rd read waits a window
    assert clock.sleeps == [60]


def test_rate_limiter_is_thread_safe() -> None:
    limiter = RateLimiter(reads=5, writes=5, window=0.3)
    starts: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(3):
            limiter.acquire("GET")
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert len(starts) == 12
    for start in starts:
        assert len([s for s in starts if start <= s < start + 0.3 - 0.01]) <= 5


def test_rate_limiter_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="reads >= 1"):
        RateLimiter(reads=0)


def test_public_api() -> None:
    import sheets_sync.sources.google_http as google_http

    assert sorted(google_http.__all__) == sorted(
        ["BASE_URL_ENV", "RETRY_STATUSES", "AnonymousCredentials", "GoogleHTTPClient", "RateLimiter", "describe_api_error", "make_client"]
    )
    assert google_http.RETRY_STATUSES == {408, 429, 500, 502, 503, 504}


def test_describe_something_that_is_not_an_http_error() -> None:
    assert describe_api_error(RuntimeError("disk full"), "en") == "Calling Google failed: disk full"
    assert describe_api_error(RuntimeError("disk full"), "vi") == "Gọi Google không thành công: disk full"
