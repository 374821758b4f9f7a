"""One reader per input form; the form is detected from the content, never named by the user."""

from __future__ import annotations

import hashlib

from scraper.catalog.model import ParsedCopy, ScrapeError, SourceInfo

from .html import looks_like_html, read_html
from .markdown import read_markdown
from .text import looks_like_text_snapshot, read_text


def detect_format(text: str) -> str:
    if looks_like_html(text):
        return "html"
    if looks_like_text_snapshot(text):
        return "text"
    return "markdown"


# The real page is about 100 kB; a hundred times that still parses in seconds.  Larger
# input is not the error page (or is an attack), and parsing it would take minutes.
MAX_BYTES = 16 * 1024 * 1024


def decode_page(origin: str, data: bytes) -> str:
    """The bytes of a page as text, or the one-line error that says why they are not one."""
    if len(data) > MAX_BYTES:
        raise ScrapeError(f"{origin}: {len(data) / 1e6:.0f} MB is too large for the error page (limit {MAX_BYTES // 2**20} MiB)")
    if not data.strip():
        raise ScrapeError(f"{origin}: empty input")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScrapeError(f"{origin}: not UTF-8 text (byte {error.start})") from None
    if "\x00" in text:
        raise ScrapeError(f"{origin}: binary data, not a page")
    return text


def read_source(origin: str, data: bytes, retrieved_at: str | None = None) -> list[ParsedCopy]:
    """Parse one source (file content or HTTP body) into the copies it holds."""
    text = decode_page(origin, data)
    form = detect_format(text)
    source = SourceInfo(
        origin=origin, format=form, sha256=hashlib.sha256(data).hexdigest(), retrieved_at=retrieved_at
    )
    reader = {"html": read_html, "text": read_text, "markdown": read_markdown}[form]
    return reader(text, source)
