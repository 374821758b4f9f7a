"""Reading a paste for an HTTP status or a WebSocket Streams error (resolver.js: httpKey, streamPage).

A status is a number where clients print one ("HTTP 429", "429 Client Error", "status code: 451"),
else a phrase that names it ("Too Many Requests", "TooManyRequests", the 451 body's "Service
unavailable from a restricted location").  A stream error is a stream code ("code": 2) with a
word its messages start with ("Invalid request"): never a Spot code page.
"""

from __future__ import annotations

from scraper.search.evidence import CodeEvidence
from scraper.search.status_index import HTTP_PATTERNS
from scraper.search.words import words

_NUMBER_PATTERNS = [HTTP_PATTERNS[name] for name in ("http_context", "http_reason", "http_request", "http_only")]


def _page_key(http: dict[str, int], number: str) -> str | None:
    if number in http:
        return number
    family = f"{number[0]}xx"
    return family if family in http else None


def http_page(index: dict, text: str) -> int | None:
    """The status page a normalized text names, or None."""
    http = index["statuses"]["http"]
    if not http:
        return None
    for pattern in _NUMBER_PATTERNS:
        for found in pattern.finditer(text):
            key = _page_key(http, found.group(1))
            if key is not None:
                return http[key]
    spaced = " " + " ".join(words(text)) + " "
    for phrase, key in index["statuses"]["phrases"]:
        if f" {phrase} " in spaced:
            return http[key]
    return None


def stream_page(index: dict, text: str, code: CodeEvidence) -> int | None:
    """The stream error page of a code the Spot API does not have, when the message fits it."""
    statuses = index["statuses"]
    page = statuses["streams"].get(str(code.value))
    if page is None:
        return None
    found = set(words(text))
    # one word of what its messages start with ("Error code 3 … JSON"), not the whole phrase
    return page if any(word in found for word in statuses["stream_words"].get(str(code.value), [])) else None
