"""Read sources: files from disk, URLs over HTTP.  The only module that touches the network.

HTTP fetches carry an honest User-Agent, a timeout, a bounded number of retries
with backoff for failures that may pass (connection errors, timeouts, 5xx, 429),
and conditional headers, so an unchanged page costs one small 304 response.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .model import ScrapeError

USER_AGENT = "binance-spot-errors-reference/0.1 (static error reference; scrapes the public error page; python-httpx)"
RETRYABLE_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Fetched:
    origin: str
    body: bytes
    retrieved_at: str | None = None
    not_modified: bool = False  # 304: the body is empty, the copy we hold is current
    validators: dict[str, str] = field(default_factory=dict)  # etag / last_modified for the next request


@dataclass(frozen=True)
class HttpPolicy:
    timeout: float = 20.0
    attempts: int = 3
    backoff: float = 1.0  # seconds before the 2nd attempt; doubled for each further one


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_file(source: str) -> Fetched:
    path = Path(source)
    try:
        return Fetched(origin=source, body=path.read_bytes())
    except FileNotFoundError:
        raise ScrapeError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ScrapeError(f"{source}: is a directory, not a page") from None
    except OSError as error:
        raise ScrapeError(f"{source}: cannot read ({error.strerror})") from None


def _conditional_headers(validators: dict[str, str] | None) -> dict[str, str]:
    headers = {}
    if validators and validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators and validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def _describe(error: Exception) -> str:
    import httpx

    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect ({error})"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"connection broken mid-response, body truncated ({error})"
    return f"{type(error).__name__}: {error}"


def fetch_url(url: str, policy: HttpPolicy = HttpPolicy(), validators: dict[str, str] | None = None) -> Fetched:
    import httpx

    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"} | _conditional_headers(validators)
    problem = ""
    for attempt in range(policy.attempts):
        if attempt:
            time.sleep(policy.backoff * 2 ** (attempt - 1))
        try:
            response = httpx.get(url, timeout=policy.timeout, follow_redirects=True, headers=headers)
        except httpx.HTTPError as error:
            problem = _describe(error)
            continue
        if response.status_code in RETRYABLE_STATUS:
            problem = f"HTTP {response.status_code}"
            continue
        if response.status_code == 304:
            return Fetched(origin=url, body=b"", not_modified=True, validators=dict(validators or {}))
        if response.status_code >= 400:
            raise ScrapeError(f"{url}: HTTP {response.status_code}")
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) != len(response.content) and "content-encoding" not in response.headers:
            problem = f"body truncated ({len(response.content)} of {declared} bytes)"
            continue
        new_validators = {
            key: value
            for key, value in (("etag", response.headers.get("etag")), ("last_modified", response.headers.get("last-modified")))
            if value
        }
        stamp = response.headers.get("last-modified") or response.headers.get("date")
        return Fetched(origin=url, body=response.content, retrieved_at=stamp, validators=new_validators)
    raise ScrapeError(f"{url}: {problem} (after {policy.attempts} attempts)")


def read(source: str) -> Fetched:
    return fetch_url(source) if is_url(source) else read_file(source)
