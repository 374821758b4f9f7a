"""Read sources: files from disk, URLs over HTTP.  The only module that touches the network.

An HTTP fetch is bounded in every direction a hostile or broken server could stretch it:

- time: one deadline per attempt, from connect to the last byte (redirects included);
  every socket read and write gets only the time left, so a server sending one byte a
  second fails at the deadline rather than never;
- size: at most ``max_bytes`` received and at most ``max_bytes`` after undoing the
  Content-Encoding, which this module does itself in bounded steps, so a gzip bomb is
  refused after inflating ``max_bytes``, not a gigabyte;
- place: redirects stay on the same host and port (http→https allowed, never back);
- form: the Content-Type must be one the caller can parse;
- patience: retries with backoff for failures that may pass (connection errors,
  timeouts, 5xx, 429), a server's Retry-After honoured only up to ``max_wait``.

Requests carry an honest User-Agent and conditional headers, so an unchanged page costs
one small 304 response.  Every failure is a :class:`ScrapeError` of one line naming the
URL and the problem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from scraper.catalog.model import ScrapeError
from scraper.ingest import decode
from scraper.ingest.deadline import client as _client
from scraper.ingest.parse import MAX_BYTES

USER_AGENT = "binance-spot-errors-reference/0.1 (static error reference; scrapes the public error page; python-httpx)"
RETRYABLE_STATUS = {429, 500, 502, 503, 504}
RETRY_AFTER_STATUS = {429, 503}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
DEFAULT_PORTS = {"http": 80, "https": 443}

# The error page may be fetched rendered (HTML) or as upstream's Markdown source; the
# filters page only as Markdown, which raw file hosts label text/plain.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"})
MARKDOWN_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Fetched:
    origin: str
    body: bytes
    retrieved_at: str | None = None
    not_modified: bool = False  # 304: the body is empty, the copy we hold is current
    validators: dict[str, str] = field(default_factory=dict)  # etag / last_modified for the next request


@dataclass(frozen=True)
class HttpPolicy:
    timeout: float = 20.0  # seconds for one whole response, connect to last byte, per attempt
    attempts: int = 3
    backoff: float = 1.0  # seconds before the 2nd attempt; doubled for each further one
    # Fetching more than the parser accepts would only be thrown away (or be an attack).
    max_bytes: int = MAX_BYTES  # received, and again after undoing the Content-Encoding
    max_wait: float = 60.0  # seconds all of a server's Retry-After answers may make one fetch wait


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_file(source: str) -> Fetched:
    path = Path(source)
    try:
        with open(path, "rb") as handle:
            body = handle.read(MAX_BYTES + 1)  # a device or a huge file costs no more than the limit
        if len(body) > MAX_BYTES:
            raise ScrapeError(f"{source}: larger than the {MAX_BYTES // 2**20} MiB a page may be")
        return Fetched(origin=source, body=body)
    except FileNotFoundError:
        raise ScrapeError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ScrapeError(f"{source}: is a directory, not a page") from None
    except OSError as error:
        raise ScrapeError(f"{source}: cannot read ({error.strerror})") from None


# --- what to ask for ------------------------------------------------------------------------


def _conditional_headers(validators: dict[str, str] | None) -> dict[str, str]:
    headers = {}
    if validators and validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators and validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def _accept_header(accept: frozenset[str]) -> str:
    # Some CDNs turn a page into Markdown for whoever asks for it: while HTML is acceptable
    # it is preferred, so the form the committed data was made from keeps coming back.
    preferred = [t for t in HTML_TYPES if t in accept]
    rest = sorted(accept - set(preferred))
    if not preferred:
        return ", ".join(rest)
    return ", ".join(preferred + [f"{t};q=0.9" for t in rest])


def _request_headers(validators: dict[str, str] | None, accept: frozenset[str]) -> dict[str, str]:
    return {
        "User-Agent": USER_AGENT,
        "Accept": _accept_header(accept),
        "Accept-Encoding": decode.ACCEPT_ENCODING,
    } | _conditional_headers(validators)


def _timed_out(policy: HttpPolicy) -> str:
    return f"timed out (no complete response within {policy.timeout:g} s)"


def _describe(error: Exception, policy: HttpPolicy) -> str:
    if isinstance(error, httpx.TimeoutException):
        return _timed_out(policy)
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect ({error})"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"connection broken mid-response, body truncated ({error})"
    return f"{type(error).__name__}: {error}"


# --- redirects -----------------------------------------------------------------------------


def _port(parts) -> int:
    return parts.port or DEFAULT_PORTS[parts.scheme]


def redirect_refusal(source: str, target: str) -> str | None:
    """Why a redirect from `source` to the absolute URL `target` is not followed, or None.

    Only the same host and port: a page that moves elsewhere is a change a person should
    look at, not something to scrape from wherever it points.  https→http would hand the
    rest of the exchange to anyone on the path; http→https on the same host is the one
    change of port allowed.
    """
    src, dst = urlsplit(source), urlsplit(target)
    if dst.scheme not in DEFAULT_PORTS:
        return f"not http(s): {dst.scheme or 'no scheme'}"
    if src.scheme == "https" and dst.scheme == "http":
        return "a downgrade from https to http"
    if (dst.hostname or "") != (src.hostname or ""):
        return "another host"
    try:
        ports = (_port(src), _port(dst))
    except ValueError:
        return "an invalid port"
    upgrade = (src.scheme, dst.scheme) == ("http", "https")
    if ports[0] != ports[1] and not (upgrade and ports == (80, 443)):
        return "another port"
    return None


def _redirect_target(url: str, current: str, response: httpx.Response) -> str:
    location = response.headers.get("location")
    if not location:
        raise ScrapeError(f"{url}: HTTP {response.status_code} redirect without a Location header")
    target = urljoin(current, location.strip())
    reason = redirect_refusal(current, target)
    if reason:
        raise ScrapeError(f"{url}: redirect to {target} refused ({reason})")
    return target


# --- Retry-After ---------------------------------------------------------------------------


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header (delay-seconds or HTTP-date) asks for; None if unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class _Retry(Exception):
    """A failure that may pass: try again, after `asked` seconds if the server said so."""
    def __init__(self, problem: str, asked: float | None = None) -> None:
        super().__init__(problem)
        self.problem, self.asked = problem, asked


def _retry_for_status(response: httpx.Response) -> _Retry:
    problem = f"HTTP {response.status_code}"
    header = response.headers.get("retry-after") if response.status_code in RETRY_AFTER_STATUS else None
    asked = retry_after_seconds(header)
    if asked is None:
        return _Retry(problem)
    return _Retry(f"{problem} (Retry-After: {header.strip()})", asked)


def _pause(url: str, retry: _Retry, policy: HttpPolicy, attempt: int, waited: float) -> float:
    """Seconds to sleep before the next attempt; a wait longer than allowed fails now."""
    if retry.asked is None:
        return policy.backoff * 2**attempt
    left = max(0.0, policy.max_wait - waited)
    if retry.asked > left:
        raise ScrapeError(
            f"{url}: {retry.problem}: the server asked to wait {retry.asked:g} s before retrying, "
            f"more than the {left:g} s this fetch may still wait"
        )
    return retry.asked


# --- the body: bounded, decoded by scraper.ingest.decode ---------------------------------------


def _declared_length(response: httpx.Response) -> int | None:
    declared = response.headers.get("content-length", "").strip()
    return int(declared) if declared.isdigit() else None


def _too_large(url: str, limit: int, what: str) -> ScrapeError:
    return ScrapeError(f"{url}: body larger than the {decode.size(limit)} limit ({what}); refused")


def _read_body(url: str, response: httpx.Response, policy: HttpPolicy, deadline: float) -> bytes:
    declared = _declared_length(response)
    if declared is not None and declared > policy.max_bytes:
        raise _too_large(url, policy.max_bytes, f"Content-Length: {declared}")
    decoder = decode.Decoder(url, decode.codings(url, response.headers.get("content-encoding")), policy.max_bytes)
    body = bytearray()
    received = 0
    for chunk in response.iter_raw():
        received += len(chunk)
        if received > policy.max_bytes:
            raise _too_large(url, policy.max_bytes, f"stopped receiving at {received} bytes")
        for piece in decoder.feed(chunk):
            body += piece
        if time.monotonic() > deadline:  # the socket reads are bounded too; this also covers decoding
            raise _Retry(_timed_out(policy))
    if declared is not None and received != declared:
        raise _Retry(f"body truncated ({received} of {declared} bytes)")
    if received:  # an empty body is the parser's to name
        try:
            decoder.check_complete()
        except decode.Truncated as error:
            raise _Retry(str(error)) from None
    return bytes(body)


# --- one attempt ---------------------------------------------------------------------------


def _check_type(url: str, response: httpx.Response, accept: frozenset[str]) -> None:
    header = response.headers.get("content-type", "")
    media = header.split(";")[0].strip().lower()
    expected = ", ".join(sorted(accept))
    if not media:
        raise ScrapeError(f"{url}: no Content-Type in the response (expected one of {expected})")
    if media not in accept:
        raise ScrapeError(f"{url}: Content-Type {media} is not what this source must be (expected one of {expected})")


def _validators(response: httpx.Response) -> dict[str, str]:
    pairs = (("etag", response.headers.get("etag")), ("last_modified", response.headers.get("last-modified")))
    return {key: value for key, value in pairs if value}


def _final(url: str, response: httpx.Response, request: _Request, deadline: float) -> Fetched:
    status = response.status_code
    if status in RETRYABLE_STATUS:
        raise _retry_for_status(response)
    if status == 304:
        if not request.conditional:
            raise ScrapeError(f"{url}: HTTP 304 Not Modified to a request that sent no validators")
        return Fetched(origin=url, body=b"", not_modified=True, validators=dict(request.validators or {}))
    if status != 200:
        raise ScrapeError(f"{url}: HTTP {status} {response.reason_phrase}".rstrip())
    _check_type(url, response, request.accept)
    body = _read_body(url, response, request.policy, deadline)
    stamp = response.headers.get("last-modified") or response.headers.get("date")
    return Fetched(origin=url, body=body, retrieved_at=stamp, validators=_validators(response))


@dataclass(frozen=True)
class _Request:
    policy: HttpPolicy
    accept: frozenset[str]
    validators: dict[str, str] | None

    @property
    def headers(self) -> dict[str, str]:
        return _request_headers(self.validators, self.accept)

    @property
    def conditional(self) -> bool:
        return bool(_conditional_headers(self.validators))


def _attempt(url: str, request: _Request) -> Fetched:
    deadline = time.monotonic() + request.policy.timeout
    current = url
    try:
        with _client(deadline, request.policy.timeout) as client:
            for _ in range(MAX_REDIRECTS + 1):
                with client.stream("GET", current, headers=request.headers) as response:
                    if response.status_code not in REDIRECT_STATUS:
                        return _final(url, response, request, deadline)
                    current = _redirect_target(url, current, response)
    except httpx.HTTPError as error:
        raise _Retry(_describe(error, request.policy)) from None
    except httpx.InvalidURL as error:
        raise ScrapeError(f"{url}: invalid URL ({error})") from None
    raise ScrapeError(f"{url}: more than {MAX_REDIRECTS} redirects (the last to {current})")


def fetch_url(
    url: str,
    policy: HttpPolicy = HttpPolicy(),
    validators: dict[str, str] | None = None,
    *,
    accept: frozenset[str] = PAGE_TYPES,
) -> Fetched:
    request = _Request(policy, accept, validators)
    problem, waited = "", 0.0
    for attempt in range(policy.attempts):
        try:
            return _attempt(url, request)
        except _Retry as retry:
            problem = retry.problem
            if attempt + 1 == policy.attempts:
                break
            pause = _pause(url, retry, policy, attempt, waited)
            if retry.asked is not None:
                waited += pause
            time.sleep(pause)
    tries = "1 attempt" if policy.attempts == 1 else f"{policy.attempts} attempts"
    raise ScrapeError(f"{url}: {problem} (after {tries})")


def read(source: str) -> Fetched:
    return fetch_url(source) if is_url(source) else read_file(source)
