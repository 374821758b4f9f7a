"""Facts about each code, filter and rejection message, derived by rules from the data's text.

Nothing here is a hand list per code: a new upstream code gets its facts from its
messages.  Curated advice comes from ``data/guidance.yaml`` and wins where it exists
(``retry``); the rules are the fallback for what nobody has written up yet.

``enrich(data, guidance, filters, ccxt)`` returns, keyed like the guidance::

    {"codes": {"-1021": {...}}, "filters": {"LOT_SIZE": {...}}, "messages": {"Market is closed.": {...}}}

Every value is JSON (lists in a fixed order, no sets), so the output is deterministic.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from scraper.catalog import guidance as guidance_mod
from scraper.catalog import statusdefs
from scraper.catalog.model import ScrapeError, plain_text

FIX_CHANNEL = "FIX"
CHANNELS = ("REST", "WebSocket API", FIX_CHANNEL, "SBE")  # the order lists are given in
# Upstream: a filter failure arrives as -1013 (the code whose message points at the table).
FILTER_FAILURE_CODES = (-1013,)

# --- channels -----------------------------------------------------------------

# FIX: a tag written with its number ("SenderCompId(49)", "MDReqID (262)"), a message type
# written with its MsgType ("Logon<A>", "Logout<5>"), or words only FIX sessions use.
FIX_TAG_RE = re.compile(r"\b[A-Z][A-Za-z]*\s?\(\d+\)")
FIX_MSGTYPE_RE = re.compile(r"\b[A-Z][A-Za-z]+<[0-9A-Za-z]{1,2}>")
FIX_WORDS_RE = re.compile(
    r"\bFIX\b|NumInGroup|DropCopy|repeating group|\bsessions?\b|\btags?\b|sequence numbers?|\bSOH\b|SenderCompI[Dd]",
    re.I,
)
# SBE: the header that asks for it, or SBE named (schemas, SBE messages, "SBE is not enabled").
SBE_RE = re.compile(r"X-MBX-SBE|\bSBE\b")
# A message that names its API: "Rest API trading is not enabled." ("WebSocket Streams" is not the API.)
NAMED_API_RE = {"REST": re.compile(r"\bREST API\b", re.I), "WebSocket API": re.compile(r"\bWebSocket API\b")}


def message_channels(text: str) -> set[str]:
    """The channels one message text belongs to."""
    plain = plain_text(text)
    found = {name for name, pattern in NAMED_API_RE.items() if pattern.search(plain)}
    if FIX_TAG_RE.search(plain) or FIX_MSGTYPE_RE.search(plain) or FIX_WORDS_RE.search(plain):
        found.add(FIX_CHANNEL)
    if SBE_RE.search(plain):
        found.add("SBE")
    # Nothing channel-specific in it: the JSON APIs, which send most errors.
    return found or {"REST", "WebSocket API"}


def channels(texts: Iterable[str]) -> set[str]:
    """The union over a code's (or row's) messages; REST + WebSocket API when there are none."""
    found: set[str] = set()
    for text in texts:
        found |= message_channels(text)
    return found or {"REST", "WebSocket API"}


def ordered_channels(found: set[str]) -> list[str]:
    return [c for c in CHANNELS if c in found]


# --- execution status, rate limits, retry ----------------------------------------

EXECUTION_UNKNOWN_RE = re.compile(r"\b(execution|send) status (is )?unknown", re.I)
RATE_LIMIT_RE = re.compile(r"request weight|too many requests|too many new orders|\bIP banned\b", re.I)
SERVER_SIDE_RE = re.compile(
    r"status (is )?unknown|overloaded|try again|timeout|internal error|unknown error|unexpected response|server is busy",
    re.I,
)
# The market's state, which changes by itself: an empty or thin book, a closed market.
MARKET_STATE_RE = re.compile(r"liquidity|no orders on book|market is closed", re.I)
OVERLOAD_RE = re.compile(r"too many (requests|new orders|concurrent connections|connection attempts)|request weight|IP banned", re.I)
KEYS_RE = re.compile(
    r"API[- ]?key|signature|not authorized|permission|not permitted for this account|restricted for this account"
    r"|may not place or cancel|disabled on this account",
    re.I,
)
# The session is being closed (FIX maintenance: "send Logout<5> … to close the session"), or
# this server does not serve this kind of session: a new session, not the same request, helps.
# "Too many messages" is FIX's message limit, whose breach logs the session out and
# disconnects it (testnet/fix-api.md, Message Limits): waiting on the same session cannot help.
RECONNECT_RE = re.compile(r"\breconnect\b|message to close the session|too many messages", re.I)
# What the account holds: the free balance, or a position cap (MAX_POSITION counts open BUY orders too).
BALANCE_RE = re.compile(r"insufficient balance|\bmax position\b", re.I)
# A cap on how many orders are open at once (MAX_NUM_ORDERS, EXCHANGE_MAX_NUM_ICEBERG_ORDERS, …).
OPEN_ORDERS_RE = re.compile(r"\bmax num (algo |iceberg )?(orders|order lists)\b|too many open orders", re.I)


def _texts_of(texts: Iterable[str], name: str = "") -> list[str]:
    words = name.replace("_", " ") if name else ""
    return [plain_text(t) for t in texts] + ([words] if words else [])


def says_execution_unknown(texts: Iterable[str]) -> bool:
    return any(EXECUTION_UNKNOWN_RE.search(plain_text(t)) for t in texts)


def execution_unknown(code: Mapping) -> bool:
    """True when the code's own text says the request may or may not have executed (-1006, -1007)."""
    return says_execution_unknown(m["text"] for m in code.get("messages", []))


def rate_limited(texts: Iterable[str]) -> bool:
    """Rate-limit rejections arrive with HTTP 429 (418 once the IP is banned), not 400."""
    return any(RATE_LIMIT_RE.search(plain_text(t)) for t in texts)


def default_retry(texts: Iterable[str], name: str = "") -> str:
    """The retry class the text suggests, for entries without curated guidance.

    A request whose execution status is unknown may have gone through: look before
    resending (check-status).  A closing session needs a new one (reconnect).  Server-side
    trouble, overload and the market's state pass with time (backoff).  The balance, the
    open orders, and keys, permissions or the account's state need a look outside the
    request (check-balance, check-open-orders, check-account).  Anything else is a request
    the sender has to change (fix-request).  "do-not-retry" needs judgement and only comes
    from the guidance.
    """
    words = _texts_of(texts, name)
    if any(EXECUTION_UNKNOWN_RE.search(t) for t in words):
        return "check-status"
    if any(RECONNECT_RE.search(t) for t in words):
        return "reconnect"
    if any(SERVER_SIDE_RE.search(t) or OVERLOAD_RE.search(t) or MARKET_STATE_RE.search(t) for t in words):
        return "backoff"
    if any(BALANCE_RE.search(t) for t in words):
        return "check-balance"
    if any(OPEN_ORDERS_RE.search(t) for t in words):
        return "check-open-orders"
    if any(KEYS_RE.search(t) for t in words):
        return "check-account"
    return "fix-request"


def retry_class(texts: Iterable[str], entry: Mapping | None = None, name: str = "") -> str:
    """Curated retry advice where given, else the rule's.

    Except one way: when the rule says check-status (upstream's own text says the
    execution status is unknown), that stands whatever the guidance says, so a stale or
    careless entry can never tell a bot to resend an order that may already have executed.
    """
    rule = default_retry(texts, name)
    if rule == "check-status" or not (entry and entry.get("retry")):
        return rule
    return entry["retry"]


# --- ccxt ---------------------------------------------------------------------


@dataclass(frozen=True)
class CcxtRow:
    key: str
    exception: str
    kind: str  # exact | broad | body-substring | http-status
    scope: str  # spot | common | handle_errors | linear | …


@dataclass(frozen=True)
class CcxtTable:
    rows: tuple[CcxtRow, ...]

    # Looked up for every code and message: the per-scope tables are built once (the table is immutable).
    @functools.cached_property
    def _exact(self) -> dict[str, dict[str, str]]:
        tables: dict[str, dict[str, str]] = {}
        for r in self.rows:
            if r.kind == "exact":
                tables.setdefault(r.scope, {})[r.key] = r.exception
        return tables

    def exact(self, scope: str) -> dict[str, str]:
        return self._exact.get(scope, {})

    def broad(self, scope: str) -> list[tuple[str, str]]:
        return [(r.key, r.exception) for r in self.rows if r.kind == "broad" and r.scope == scope]

    def of_kind(self, kind: str) -> list[CcxtRow]:
        return [r for r in self.rows if r.kind == kind]


@dataclass(frozen=True)
class CcxtMatch:
    exception: str
    rule: str  # http-status | body-substring | message-exact | message-broad | code-exact | fallback
    key: str | None  # the table key that matched
    scope: str | None


def load_ccxt(path: Path) -> CcxtTable:
    """ccxt's Binance exception table; '#' lines are provenance comments."""
    try:
        lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    except FileNotFoundError:
        raise ScrapeError(f"{path}: no such file") from None
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    required = {"key", "exception_class", "kind", "scope"}
    if not required <= set(reader.fieldnames or ()):
        raise ScrapeError(f"{path}: header must name {', '.join(sorted(required))}")
    return CcxtTable(tuple(CcxtRow(r["key"], r["exception_class"], r["kind"], r["scope"]) for r in reader))


def _http_statuses(key: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d{3}", key)}


# Binance Spot endpoints are "spot" in ccxt (its spot.exact overrides common exact).
CCXT_SCOPES = ("spot", "common")


def ccxt_exception(table: CcxtTable, code: int | None, message: str | None, http_status: int = 400) -> CcxtMatch | None:
    """The exception ccxt's binance.handleErrors raises for ``{"code": code, "msg": message}``.

    The order is ccxt's code (ts/src/binance.ts, handleErrors), which differs from the
    table's header comment: HTTP 418/429 first; for HTTP >= 400 three hard-coded body
    substrings; then the message, exact then broad; then the code, exact; else ExchangeError.
    Spot-scope tables come before common ones, as getExceptionsByUrl puts them for spot URLs.
    """
    for row in table.of_kind("http-status"):
        if http_status in _http_statuses(row.key):
            return CcxtMatch(row.exception, "http-status", row.key, row.scope)
    body = message or ""
    if http_status >= 400:
        for row in table.of_kind("body-substring"):
            if row.key in body:
                return CcxtMatch(row.exception, "body-substring", row.key, row.scope)
    if message:
        for scope in CCXT_SCOPES:
            if message in table.exact(scope):
                return CcxtMatch(table.exact(scope)[message], "message-exact", message, scope)
        for scope in CCXT_SCOPES:
            for key, exception in table.broad(scope):
                if key in message:
                    return CcxtMatch(exception, "message-broad", key, scope)
    if code is not None:
        for scope in CCXT_SCOPES:
            exception = table.exact(scope).get(str(code))
            if exception:
                return CcxtMatch(exception, "code-exact", str(code), scope)
        return CcxtMatch("ExchangeError", "fallback", None, None)
    return None


def ccxt_groups(table: CcxtTable, pairs: Iterable[tuple[int | None, str | None]], http_status: int = 400) -> list[dict]:
    """ccxt's exception for each (code, message) pair an entry can arrive as, equal ones merged."""
    groups: dict[CcxtMatch, dict] = {}
    for code, message in pairs:
        match = ccxt_exception(table, code, message, http_status)
        if match is None:
            continue
        group = groups.setdefault(match, {**asdict(match), "codes": [], "messages": []})
        if code is not None and code not in group["codes"]:
            group["codes"].append(code)
        if message and message not in group["messages"]:
            group["messages"].append(message)
    return list(groups.values())


# --- enrich -------------------------------------------------------------------


def _facts(texts: list[str], entry: Mapping | None, name: str, ccxt: list[dict]) -> dict:
    retry = retry_class(texts, entry, name)
    return {
        # a curated list stands where the text names no channel but upstream's docs do (sourced in the guidance)
        "channels": ordered_channels(set(entry["channels"]) if entry and entry.get("channels") else channels(texts)),
        "execution_unknown": says_execution_unknown(texts),
        "rate_limit": rate_limited(texts),
        "retry": retry,
        "retry_source": "guidance" if entry and entry.get("retry") == retry else "rule",
        "causes": list(entry["causes"]) if entry else [],
        "fix": list(entry["fix"]) if entry else [],
        "check_status": entry.get("check_status") if entry else None,
        "sources": [dict(source) for source in entry.get("sources", [])] if entry else [],
        "ccxt": ccxt,
    }


def _status(texts: list[str]) -> int:
    return 429 if rate_limited(texts) else 400


def _code_facts(code: Mapping, entry: Mapping | None, table: CcxtTable) -> dict:
    texts = [m["text"] for m in code["messages"]]
    messages = [m["plain"] for m in code["messages"]] or [None]
    pairs = [(code["code"], message) for message in messages]
    return _facts(texts, entry, code["name"], ccxt_groups(table, pairs, _status(texts)))


def _message_facts(row: Mapping, entry: Mapping | None, table: CcxtTable) -> dict:
    texts = [row["text"]]
    pairs = [(code, row["plain"]) for code in row["codes"]] or [(None, row["plain"])]
    return {**_facts(texts, entry, "", ccxt_groups(table, pairs, _status(texts))), "codes": list(row["codes"])}


def _filter_facts(name: str, row: Mapping | None, definition: Mapping | None, entry: Mapping | None, table: CcxtTable) -> dict:
    text = row["text"] if row else f"Filter failure: {name}"
    codes = list(row["codes"]) if row else list(FILTER_FAILURE_CODES)
    pairs = [(code, plain_text(text)) for code in codes]
    return {
        **_facts([text], entry, "", ccxt_groups(table, pairs)),
        "codes": codes,
        "message": text,
        "on_error_page": row is not None,
        "kind": definition["kind"] if definition else None,
        "anchor": definition["anchor"] if definition else None,
        "example": entry.get("example") if entry else None,
    }


def enrich(data: dict, guidance: dict, filters: dict | None, ccxt: CcxtTable) -> dict:
    """All facts per code, filter and rejection message, keyed like the guidance.

    Raises ScrapeError when the guidance names something the data does not have.
    """
    guidance_mod.require_known(guidance, data, filters)
    codes_g, filters_g, messages_g = (guidance.get(s, {}) for s in guidance_mod.SECTIONS)
    rows = {row["filter"]: row for row in data["filter_failures"]}
    definitions = {f["name"]: f for f in (filters or {}).get("filters", [])}
    names = list(dict.fromkeys([*rows, *definitions]))
    return {
        "codes": {str(c["code"]): _code_facts(c, codes_g.get(str(c["code"])), ccxt) for c in data["codes"]},
        "filters": {n: _filter_facts(n, rows.get(n), definitions.get(n), filters_g.get(n), ccxt) for n in names},
        "messages": {
            row["text"]: _message_facts(row, messages_g.get(row["text"]), ccxt)
            for row in data["engine_messages"]
        },
    }


def status_facts(guidance: dict, statuses: dict | None) -> dict:
    """Facts of the HTTP status and stream error pages, keyed like the guidance's ``statuses`` and
    ``stream_errors``: the retry class, causes and steps, and where each status is sent."""
    guidance_mod.require_known_statuses(guidance, statuses)
    channel_of = {"testnet/rest-api.md": "REST", "testnet/web-socket-api.md": "WebSocket API"}
    http = {}
    for page in statusdefs.http_pages(statuses):
        texts = [line["text"] for line in page["said"]]
        facts = _facts(texts, guidance.get("statuses", {}).get(page["key"]), "", [])
        facts["channels"] = list(dict.fromkeys(channel_of[line["doc"]] for line in page["said"] if line["doc"] in channel_of))
        http[page["key"]] = facts
    streams = {}
    for error in (statuses or {}).get("stream_errors", []):
        texts = [m["text"] for m in error["messages"]]
        facts = _facts(texts, guidance.get("stream_errors", {}).get(str(error["code"])), "", [])
        facts["channels"] = ["WebSocket Streams"]
        streams[str(error["code"])] = facts
    return {"statuses": http, "stream_errors": streams}
