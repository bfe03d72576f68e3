"""The one road from sheets-sync to Google: gspread's HTTP client with a base URL, timeout, retries and a rate limit.

Every Sheets and Drive request gspread makes goes through
:meth:`GoogleHTTPClient.request`, which

* rewrites ``https://sheets.googleapis.com`` and ``https://www.googleapis.com``
  to a base URL when one is given (``SHEETS_SYNC_GOOGLE_API_URL``, e.g. the
  local server of :mod:`sheets_sync.testing`), so the same code talks to
  Google or to the local server;
* waits its turn at a shared :class:`RateLimiter` (reads and writes counted
  apart, 60 a minute each by default: Google's per-user quota);
* always sends with a timeout (30 s by default; gspread's default is none);
* retries 408, 429, 500, 502, 503, 504, dropped connections and (for GET
  only, which is safe to repeat) read timeouts, with capped exponential
  backoff and full jitter, honouring Retry-After, within
  ``max_attempts`` and ``max_total_wait``; one log line per retry on the
  ``sheets_sync.google`` logger, never headers or tokens;
* then raises the last error (gspread's ``APIError`` keeps the response), with
  ``attempts`` set on it so :func:`describe_api_error` can say how hard it tried.

Use::

    client = gspread.Client(auth=creds, http_client=GoogleHTTPClient.factory(base_url=url))

A dropped connection during a write is retried too; values.append could then
append twice if Google had in fact received the first try.  sheets-sync only
writes notes and formats (updateCells), which are safe to repeat.
"""

from __future__ import annotations

import collections
import email.utils
import functools
import logging
import os
import random as _random
import threading
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import urlsplit

import gspread
import requests
from google.auth import credentials as google_credentials
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType

__all__ = [
    "BASE_URL_ENV",
    "RETRY_STATUSES",
    "AnonymousCredentials",
    "GoogleHTTPClient",
    "RateLimiter",
    "describe_api_error",
    "make_client",
]

LOGGER = logging.getLogger("sheets_sync.google")
BASE_URL_ENV = "SHEETS_SYNC_GOOGLE_API_URL"
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_RETRY_EXCEPTIONS = (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)


class AnonymousCredentials(google_credentials.AnonymousCredentials):
    """Credentials that add no Authorization header: for the local server, which needs none.

    ``gspread.Client(auth=AnonymousCredentials(), http_client=...)`` works as is:
    google-auth's ``AuthorizedSession`` asks them to decorate each request and
    they leave it alone.
    """


class RateLimiter:
    """Lets at most ``limit`` requests of a kind start in any ``window`` seconds.

    Reads (GET) and writes (everything else) are counted apart, as Google's
    quotas are.  A plain token bucket lets up to twice the limit through
    around a window boundary, so this keeps the start times of the last window
    (a sliding log) and waits until the oldest falls out.  Thread-safe; one
    limiter is shared by every client of a run.  ``clock`` and ``sleep`` are
    injectable for tests.
    """

    def __init__(
        self,
        reads: int = 60,
        writes: int = 60,
        window: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if reads < 1 or writes < 1 or window <= 0:
            raise ValueError(f"RateLimiter needs reads >= 1, writes >= 1 and window > 0, not {reads}, {writes}, {window}")
        self.window = window
        self.limits = {"read": reads, "write": writes}
        self._starts: dict[str, collections.deque[float]] = {"read": collections.deque(), "write": collections.deque()}
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()

    @staticmethod
    def bucket(method: str) -> str:
        """``"read"`` for GET/HEAD, ``"write"`` for the rest."""
        return "read" if method.upper() in ("GET", "HEAD") else "write"

    def acquire(self, method: str) -> float:
        """Wait until a request of this method may start; returns the seconds waited."""
        bucket = self.bucket(method)
        limit, starts = self.limits[bucket], self._starts[bucket]
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while starts and starts[0] <= now - self.window:
                    starts.popleft()
                if len(starts) < limit:
                    starts.append(now)
                    return waited
                delay = starts[0] + self.window - now
            self._sleep(delay)  # outside the lock: other buckets keep moving
            waited += delay


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds (delta or HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


class GoogleHTTPClient(HTTPClient):
    """gspread's HTTPClient with base-URL rewriting, a timeout, retries and a rate limit.

    :param auth: google-auth credentials (``AnonymousCredentials()`` for the local server).
    :param session: an optional ready ``requests.Session`` (gspread's own parameter).
    :param base_url: replaces ``https://sheets.googleapis.com`` and
        ``https://www.googleapis.com``; ``None`` leaves URLs alone.
    :param timeout: seconds per request (connect and read); gspread's
        ``set_timeout(None)`` brings back this default, never "wait forever".
    :param max_attempts: tries in all, the first included.
    :param max_total_wait: seconds of backoff sleep allowed in all; a retry
        that would go past it is not made.
    :param backoff_base, backoff_cap: full jitter: before retry *n* sleep
        ``random() * min(cap, base * 2**(n-1))``; a Retry-After header is used
        instead, but never above ``backoff_cap``.
    :param rate_limiter: shared :class:`RateLimiter`; a private default one if omitted.
    :param sleep, random: injectable for tests.
    """

    def __init__(
        self,
        auth: google_credentials.Credentials | None,
        session: requests.Session | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_attempts: int = 5,
        max_total_wait: float = 120.0,
        backoff_base: float = 1.0,
        backoff_cap: float = 32.0,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
        super().__init__(auth, session)  # type: ignore[arg-type]
        self.base_url = base_url.rstrip("/") if base_url else None
        self.default_timeout = timeout
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.max_total_wait = max_total_wait
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.rate_limiter = rate_limiter or RateLimiter()
        self._sleep = sleep
        self._random = random

    @classmethod
    def factory(cls, **options: Any) -> Callable[..., GoogleHTTPClient]:
        """What ``gspread.Client(http_client=...)`` wants: it calls it with ``(auth, session)``."""
        return functools.partial(cls, **options)

    def set_timeout(self, timeout: float | tuple[float, float] | None) -> None:
        """As gspread's, except ``None`` restores this client's default instead of no timeout."""
        self.timeout = self.default_timeout if timeout is None else timeout

    def url_for(self, endpoint: str) -> str:
        """The URL actually requested: Google's hosts swapped for ``base_url`` when set."""
        if self.base_url:
            for host in GOOGLE_HOSTS:
                if endpoint.startswith(host):
                    return self.base_url + endpoint[len(host) :]
        return endpoint

    def backoff(self, retry: int, retry_after: float | None) -> float:
        """Seconds to sleep before retry number ``retry`` (1 for the first retry)."""
        if retry_after is not None:
            return min(retry_after, self.backoff_cap)
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (retry - 1))
        return self._random() * ceiling

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one API request, retrying transient failures; raise the last error when out of tries."""
        url = self.url_for(endpoint)
        path = urlsplit(url).path  # logged without the query string: it may carry an API key
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            self.rate_limiter.acquire(method)
            try:
                response = self.session.request(
                    method=method,
                    url=url,
                    json=json,
                    params=params,
                    data=data,
                    files=files,
                    headers=headers,
                    timeout=self.timeout,
                )
            except _RETRY_EXCEPTIONS as exc:
                error: Exception = exc
                reason = f"connection failed ({type(exc).__name__})"
                retry_after = None
            except requests.exceptions.Timeout as exc:
                exc.attempts = attempt  # type: ignore[attr-defined]
                if method.upper() != "GET":
                    raise  # a write may have landed; repeating it is the caller's call
                error = exc
                reason = f"no answer within {self.timeout} s"
                retry_after = None
            else:
                if response.ok:
                    return response
                error = APIError(response)
                if response.status_code not in RETRY_STATUSES:
                    error.attempts = attempt  # type: ignore[attr-defined]
                    raise error
                reason = f"HTTP {response.status_code}"
                retry_after = _retry_after(response)
            error.attempts = attempt  # type: ignore[attr-defined]
            delay = self.backoff(attempt, retry_after)
            if attempt >= self.max_attempts or waited + delay > self.max_total_wait:
                LOGGER.error(
                    "Google %s %s: %s; giving up after %d attempt(s), %.1f s waited",
                    method.upper(), path, reason, attempt, waited,
                )
                raise error
            LOGGER.warning(
                "Google %s %s: %s; retry %d of %d in %.1f s",
                method.upper(), path, reason, attempt, self.max_attempts - 1, delay,
            )
            self._sleep(delay)
            waited += delay


def make_client(
    credentials: google_credentials.Credentials | None = None,
    *,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    **options: Any,
) -> gspread.Client:
    """A gspread Client going through :class:`GoogleHTTPClient`.

    ``base_url`` defaults to ``$SHEETS_SYNC_GOOGLE_API_URL``; with a base URL
    and no credentials the client sends no Authorization header at all.
    Raises ValueError when there is neither a base URL nor credentials.
    """
    env = os.environ if environ is None else environ
    base_url = base_url or env.get(BASE_URL_ENV) or None
    if credentials is None:
        if base_url is None:
            raise ValueError(
                f"No Google credentials given and {BASE_URL_ENV} is not set; pass the service account's "
                f"credentials, or set {BASE_URL_ENV}=http://127.0.0.1:PORT to use the local server."
            )
        credentials = AnonymousCredentials()
    return gspread.Client(auth=credentials, http_client=GoogleHTTPClient.factory(base_url=base_url, **options))  # type: ignore[arg-type]


# --- telling people what went wrong ------------------------------------------------------

_TEXTS: dict[str, dict[str, str]] = {
    "share": {
        "vi": 'Google không cho mở bảng tính (mã {code}: {message}). Hãy mở bảng tính, bấm "Chia sẻ" và thêm '
        "{email} với quyền Người chỉnh sửa; kiểm tra cả mã bảng tính trong cấu hình.",
        "en": 'Google would not open the spreadsheet (code {code}: {message}). Open it, click "Share" and add '
        "{email} as an Editor; also check the spreadsheet ID in the configuration.",
    },
    "busy": {
        "vi": "Google đang nhận quá nhiều yêu cầu (mã {code}) và vẫn từ chối sau {retries} lần thử lại. "
        "Hãy chạy lại sau vài phút.",
        "en": "Google is busy and rate-limiting requests (code {code}); it still refused after {retries}. "
        "Run again in a few minutes.",
    },
    "failing": {
        "vi": "Máy chủ Google đang gặp lỗi (mã {code}) và vẫn lỗi sau {retries} lần thử lại. Hãy chạy lại sau.",
        "en": "Google's servers are failing (code {code}); it still failed after {retries}. Try again later.",
    },
    "unreachable": {
        "vi": "Không kết nối được tới Google ({detail}), kể cả sau {retries} lần thử lại. Hãy kiểm tra mạng.",
        "en": "Could not reach Google ({detail}), even after {retries}. Check the network connection.",
    },
    "unknown": {
        "vi": "Gọi Google không thành công: {detail}",
        "en": "Calling Google failed: {detail}",
    },
    "rejected": {
        "vi": "Google từ chối yêu cầu (mã {code}): {message}",
        "en": "Google refused the request (code {code}): {message}",
    },
}
_NO_EMAIL = {
    "vi": "email của tài khoản dịch vụ (client_email trong tệp khoá JSON)",
    "en": "the service account's email (client_email in its JSON key file)",
}


def _find_cause(err: BaseException) -> BaseException:
    """gspread wraps the APIError (SpreadsheetNotFound, PermissionError): dig it out."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, (APIError, requests.exceptions.RequestException)):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return err


def describe_api_error(err: BaseException, lang: str = "vi", service_account_email: str | None = None) -> str:
    """A message for the club's staff about a failed Google call, in Vietnamese or English.

    403/404 ask them to share the sheet with the service account's e-mail;
    429 and 5xx say Google is busy or failing and how many retries were made;
    a dropped connection says Google could not be reached.  Raises ValueError
    for a language other than "vi" or "en".
    """
    if lang not in ("vi", "en"):
        raise ValueError(f'Language "{lang}" is not supported; use "vi" or "en".')
    cause = _find_cause(err)
    attempts = getattr(cause, "attempts", None) or getattr(err, "attempts", None) or 1
    retries_number = max(0, int(attempts) - 1)
    retries = str(retries_number) if lang == "vi" else f"{retries_number} {'retry' if retries_number == 1 else 'retries'}"
    if isinstance(cause, requests.exceptions.RequestException) and not isinstance(cause, APIError):
        return _TEXTS["unreachable"][lang].format(detail=type(cause).__name__, retries=retries)
    if not isinstance(cause, APIError):
        return _TEXTS["unknown"][lang].format(detail=str(err) or type(err).__name__)
    code = cause.response.status_code if cause.response is not None else cause.code
    message = str(cause.error.get("message", "")).strip() or str(code)
    if code in (403, 404):
        email = service_account_email or _NO_EMAIL[lang]
        return _TEXTS["share"][lang].format(code=code, message=message, email=email)
    if code == 429:
        return _TEXTS["busy"][lang].format(code=code, retries=retries)
    if code in RETRY_STATUSES:
        return _TEXTS["failing"][lang].format(code=code, retries=retries)
    return _TEXTS["rejected"][lang].format(code=code, message=message)
