"""Read sources: files from disk, URLs over HTTP.  The only module that touches the network."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import ScrapeError


@dataclass(frozen=True)
class Fetched:
    origin: str
    body: bytes
    retrieved_at: str | None = None


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


def fetch_url(url: str, timeout: float = 20.0) -> Fetched:
    import httpx

    try:
        response = httpx.get(
            url,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": "binance-spot-errors-reference (+https://github.com; scraper)"},
        )
    except httpx.HTTPError as error:
        raise ScrapeError(f"{url}: {type(error).__name__}: {error}") from None
    if response.status_code >= 400:
        raise ScrapeError(f"{url}: HTTP {response.status_code}")
    stamp = response.headers.get("last-modified") or response.headers.get("date")
    return Fetched(origin=url, body=response.content, retrieved_at=stamp)


def read(source: str) -> Fetched:
    return fetch_url(source) if is_url(source) else read_file(source)
