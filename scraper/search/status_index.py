"""The part of the lookup index for the errors beyond the error page: HTTP status pages and
WebSocket Streams error pages, the phrases that name a status, and the stream messages."""

from __future__ import annotations

import re

from scraper.catalog import statusdefs
from scraper.search.words import normalize, words
from scraper.site import paths
from scraper.site.status_views import http_title, stream_title
from scraper.site.templating import labels

# A status number where clients print one (on the normalized text; tests/fixtures/eval/http-wrappers.md):
# "HTTP 429", "HTTP/1.1 429", "status code 429", "status: 451", "Response code 429", "<Response [451]>",
# "error #418"; "429 Client Error", "418 I'm a teapot", "429 (Too Many Requests)"; ccxt's "binance GET https://… 451".
HTTP_CONTEXT_RE = re.compile(
    r"(?:http(?:/[0-9.]+)?(?: (?:status|code|status code|error))?|status(?: ?code)?|status_code|response(?: code)?"
    r"|returned(?: code)?|error ?#|<(?:response \[|title>|h1>))"  # read in a pasted page, never written
    r"[ :=#(\[]{0,3}([45][0-9]{2})(?![0-9])"
)
# ... and where a page says it: CloudFront's "<H1>403 ERROR</H1>", nginx's "<title>502 Bad Gateway</title>"
HTTP_REASON_RE = re.compile(
    r"(?<![0-9.\-])([45][0-9]{2}) ?[:(\-]? ?(?:client error|server error|too many requests|i'm a teapot|forbidden"
    r"|conflict|unavailable for legal reasons|internal server error|bad gateway|service unavailable|gateway time-?out"
    r"|bad request|not found|gone|error(?![a-z]))"
)
HTTP_REQUEST_RE = re.compile(r"(?:get|post|put|delete) https?://[^ ]+ ([45][0-9]{2})(?![0-9])")
HTTP_ONLY_RE = re.compile(r"^(?:http )?([45][0-9]{2})$")
HTTP_PATTERNS = {
    "http_context": HTTP_CONTEXT_RE,
    "http_reason": HTTP_REASON_RE,
    "http_request": HTTP_REQUEST_RE,
    "http_only": HTTP_ONLY_RE,
}


def _opening_words(plain: str) -> list[str]:
    """The words a stream message starts with, before its colon: "Invalid request", "Invalid JSON"."""
    return words(normalize(plain.split(":")[0]))


def status_pages(statuses: dict | None) -> list[dict]:
    """The index pages of the status and stream error pages, in site order."""
    pages = []
    titles = labels().status_titles
    for page in statusdefs.http_pages(statuses):
        pages.append({"kind": "http", "name": page["key"], "text": http_title(page["key"]), "path": paths.http_path(page["key"]), "codes": []})
    for error in (statuses or {}).get("stream_errors", []):
        path = paths.stream_error_path(error["code"])
        pages.append({"kind": "ws-stream", "name": str(error["code"]), "text": stream_title(error["code"]), "path": path, "codes": []})
    if statuses:
        pages.append({"kind": "reasons", "name": "order-reject-reasons", "text": titles["reasons"], "path": paths.REJECT_REASONS_PAGE, "codes": []})
        pages.append({"kind": "reasons", "name": "session-reject-reasons", "text": titles["session"], "path": paths.SESSION_REJECT_PAGE, "codes": []})
    return pages


def status_texts(pages: list[dict], statuses: dict | None) -> list[tuple[int, str]]:
    """(page, message) for each WebSocket Streams message: a paste of one lands on its code's page;
    each expiry reason of execution reports, on the reasons page;
    and each order reject reason of execution reports ("r": "INSUFFICIENT_BALANCES"), which
    lands on the rejection message upstream gives it."""
    streams = {page["name"]: i for i, page in enumerate(pages) if page["kind"] == "ws-stream"}
    texts = [(streams[str(e["code"])], m["plain"]) for e in (statuses or {}).get("stream_errors", []) for m in e["messages"]]
    rows = {" ".join(words(normalize(page["text"]))): i for i, page in enumerate(pages) if page["kind"] == "message"}
    for reason in (statuses or {}).get("reject_reasons", []):
        page = rows.get(" ".join(words(normalize(reason["message"]))))
        if page is not None:
            texts.append((page, reason["reason"]))
    # expiry reasons ("eR": "INSUFFICIENT_LIQUIDITY") on the page that explains them; a one-word
    # reason (REJECTED) is too common a word to count
    reasons = {page["name"]: i for i, page in enumerate(pages) if page["kind"] == "reasons"}
    texts += [(reasons["order-reject-reasons"], r["reason"]) for r in (statuses or {}).get("expiry_reasons", []) if "_" in r["reason"]]
    # FIX's SessionRejectReason names (REQUIRED_TAG_MISSING) on the page that lists them
    texts += [(reasons["session-reject-reasons"], r["name"]) for r in (statuses or {}).get("session_reject_reasons", []) if "_" in r["name"]]
    return texts


def statuses_index(pages: list[dict], statuses: dict | None) -> dict:
    """Which page each status and stream code is on, and the words that name them."""
    http = {page["name"]: i for i, page in enumerate(pages) if page["kind"] == "http"}
    streams = {page["name"]: i for i, page in enumerate(pages) if page["kind"] == "ws-stream"}
    phrases = [
        [" ".join(words(normalize(phrase))), key]
        for key, found in statusdefs.HTTP_PHRASES.items() if key in http
        for phrase in found
    ]
    phrases.sort(key=lambda item: (-len(item[0]), item[0]))  # the longest first: "service unavailable from a restricted location"
    opening = {
        str(error["code"]): sorted({word for m in error["messages"] for word in _opening_words(m["plain"])})
        for error in (statuses or {}).get("stream_errors", [])
    }
    return {"http": http, "phrases": phrases, "streams": streams, "stream_words": opening}
