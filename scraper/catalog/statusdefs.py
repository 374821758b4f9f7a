"""HTTP statuses, WebSocket Streams errors and reject reasons as public JSON (``data/statuses.json``).

The twin of ``scraper.catalog.filterdefs`` for the errors upstream documents beyond its error
page (``scraper.ingest.parse.statuses`` reads them); writers spell it with ``store.dumps``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from scraper.catalog import store
from scraper.catalog.store import ROOT
from scraper.ingest.parse.statuses import DOCS, Statuses, read_statuses

SCHEMA_PATH = ROOT / "data" / "statuses.schema.json"
SCHEMA_VERSION = 1
# What users meet that upstream does not document: the page says so, and its guidance is sourced
# from what the response itself carries (data/guidance.yaml, statuses).
UNDOCUMENTED_HTTP = ("451",)
# ... and the body it comes with, as users pasted it (data/guidance.yaml, statuses/451, url sources)
UNDOCUMENTED_BODIES = {
    "451": {
        "code": 0,
        "msg": "Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms. "
        "Please contact customer service if you believe you received this message in error.",
    },
}


# Codes that come with a status, or that share its meaning, each resting on an upstream line:
# 429/418 and -1003 TOO_MANY_REQUESTS (rest-api.md › LIMITS: a 429 for breaking a limit, 418 for
# an IP banned after 429s; -1003's messages are those limits); 5XX and -1006/-1007 (both say the
# execution status is unknown); 409 and -2021 (cancelReplace partially succeeded / partially failed).
RELATED_CODES = {"429": (-1003,), "418": (-1003,), "5xx": (-1006, -1007), "409": (-2021,)}


# What a paste calls a status without its number: the reason phrases of RFC 9110 (429: RFC 6585,
# 451: RFC 7725, 418: RFC 2324) as HTTP stacks print them, .NET's HttpStatusCode names
# (Binance.Net prints "TooManyRequests"), and the 451 body's own words.  Sources, per client:
# tests/fixtures/eval/http-wrappers.md.  409's "Conflict" is left out: Spot's -1182 says "Conflicting fields".
HTTP_PHRASES = {
    "451": ("Service unavailable from a restricted location", "Unavailable For Legal Reasons", "UnavailableForLegalReasons"),
    "429": ("Too Many Requests", "TooManyRequests"),
    "418": ("I'm a teapot",),
    "403": ("Forbidden",),
    "5xx": (
        "Internal Server Error", "InternalServerError", "Bad Gateway", "BadGateway", "Service Unavailable",
        "ServiceUnavailable", "Gateway Timeout", "Gateway Time-out", "GatewayTimeout",
    ),
}


def to_dict(statuses: Statuses, texts: dict[str, str]) -> dict:
    """The parsed lists, and which copy of each doc they were read from."""
    sources = {doc: {"sha256": hashlib.sha256(texts[doc].encode("utf-8")).hexdigest()} for doc in DOCS}
    return {"schema_version": SCHEMA_VERSION, "sources": sources, **asdict(statuses)}


def scrape(files: dict[str, Path]) -> dict:
    """data/statuses.json from upstream's doc files (by upstream path, as ingest.vendored.docs_files gives them)."""
    texts = {doc: Path(files[doc]).read_text(encoding="utf-8") for doc in DOCS if doc in files}
    return to_dict(read_statuses(texts), texts)


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(data: dict, origin: str) -> None:
    store.validate(data, origin, load_schema())


def load(path: Path) -> dict | None:
    return store.load(path, load_schema()) if Path(path).exists() else None


def page_key(status: str, documented: set[str]) -> str:
    """The page a status is on: its own ("429"), or its class's when upstream lists it only
    there (the WebSocket API's "400" is on the 4XX page); classes in lower case ("4xx")."""
    if status in documented or status in UNDOCUMENTED_HTTP:
        return status.lower()
    return f"{status[0]}xx"


def http_pages(data: dict | None) -> list[dict]:
    """One entry per HTTP status page: its key, the statuses it covers, and what each doc says."""
    if not data:
        return []
    own = {s["status"] for s in data["http"] if any(line["doc"] == "testnet/rest-api.md" for line in s["said"])}
    pages: dict[str, dict] = {}
    for status in data["http"]:
        key = page_key(status["status"], own)
        page = pages.setdefault(key, {"key": key, "statuses": [], "said": []})
        page["statuses"].append(status["status"])
        page["said"].extend(status["said"])
    for status in UNDOCUMENTED_HTTP:
        pages.setdefault(status, {"key": status, "statuses": [status], "said": []})
    return [pages[key] for key in sorted(pages, key=lambda k: (k.replace("x", "0"), k))]


def guidance_keys(data: dict | None) -> dict[str, list[str]]:
    """The keys the guidance's ``statuses`` and ``stream_errors`` may use."""
    return {
        "statuses": [page["key"] for page in http_pages(data)],
        "stream_errors": [str(error["code"]) for error in (data or {}).get("stream_errors", [])],
    }
