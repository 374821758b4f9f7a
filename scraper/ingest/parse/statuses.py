"""The errors a Spot API user meets beyond the error page, read from upstream's other doc pages.

- ``testnet/rest-api.md`` › HTTP Return Codes: what each HTTP status means for REST requests;
- ``testnet/web-socket-api.md`` › Status codes: the same for the ``status`` field of WebSocket API answers;
- ``testnet/web-socket-streams.md`` › Error Messages: the market-data streams' own codes 0-3;
- ``testnet/user-data-stream.md`` › Order Reject Reason and Order Expiry Reason: the ``r`` and ``eR``
  fields of execution reports;
- ``testnet/fix-api.md``: the values of a FIX Reject's ``SessionRejectReason (373)``.

Each section is found by its heading and read by its shape; a section that is gone or no
longer has that shape is refused in one line, as a broken error page is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scraper.catalog.model import Message, ScrapeError
from scraper.ingest.parse.filter_prose import LIST_ITEM_RE
from scraper.ingest.parse.markdown import split_cells
from scraper.ingest.parse.sections import Section, sections

REST_API = "testnet/rest-api.md"
WS_API = "testnet/web-socket-api.md"
WS_STREAMS = "testnet/web-socket-streams.md"
USER_DATA_STREAM = "testnet/user-data-stream.md"
FIX_API = "testnet/fix-api.md"
DOCS = (REST_API, WS_API, WS_STREAMS, USER_DATA_STREAM, FIX_API)

HTTP_SECTION = {REST_API: "HTTP Return Codes", WS_API: "Status codes"}
STREAMS_SECTION = "Error Messages"
REJECT_SECTION = "Order Reject Reason"
EXPIRY_SECTION = "Order Expiry Reason"

# "HTTP `429` return code is used when …" (REST API); "`429` – you have exceeded …" (WebSocket API)
_REST_STATUS = re.compile(r"^HTTP `([0-9]{3}|[0-9]XX)` return codes? (?:is|are) used")
_WS_STATUS = re.compile(r"^`([0-9]{3}|[0-9]XX)`(?: status codes)?\s*(?:[–-]|indicates?)\s*")
_STREAM_ERROR = re.compile(r'^\{\s*"code":\s*([0-9]+),\s*"msg":\s*"(.*?)"\s*(?:,\s*"id":\s*%s\s*)?\}$')
_SESSION_REASON = re.compile(r"`([0-9]+)`\s*-\s*([A-Z_]+)")


@dataclass
class StatusLine:
    """What one doc says one HTTP status means."""
    doc: str
    section: str
    anchor: str
    text: str  # Markdown, the bullet and its continuation lines joined


@dataclass
class HttpStatus:
    status: str  # "429", or a class: "4XX", "5XX"
    said: list[StatusLine] = field(default_factory=list)


@dataclass
class StreamMessage:
    text: str
    plain: str
    placeholders: list[str]
    pattern: str
    description: str


@dataclass
class StreamError:
    code: int
    messages: list[StreamMessage] = field(default_factory=list)


@dataclass
class RejectReason:
    reason: str  # NONE, INSUFFICIENT_BALANCES, …
    message: str  # the error message the reason stands for, as upstream writes it


@dataclass
class ExpiryReason:
    reason: str  # the eR field: INSUFFICIENT_LIQUIDITY, …
    explanation: str  # Markdown, as upstream writes it


@dataclass
class SessionRejectReason:
    value: int
    name: str


@dataclass
class Statuses:
    http: list[HttpStatus]
    stream_errors: list[StreamError]
    reject_reasons: list[RejectReason]
    expiry_reasons: list[ExpiryReason]
    session_reject_reasons: list[SessionRejectReason]
    anchors: dict[str, str]  # "doc › section" -> the section's anchor on its page


def _section(doc: str, found: list[Section], title: str) -> Section:
    section = next((s for s in found if s.title == title), None)
    if section is None:
        raise ScrapeError(f"{doc}: no section titled {title!r} (upstream moved or renamed it)")
    return section


def _bullets(text: str) -> list[str]:
    """Each bullet's Markdown, its continuation lines joined to it."""
    found: list[str] = []
    for line in text.splitlines():
        bullet = LIST_ITEM_RE.match(line)
        if bullet:
            found.append(bullet[3].strip())
        elif found and line.strip() and line.startswith(" "):
            found[-1] = f"{found[-1]} {line.strip()}"
    return found


def _http_lines(doc: str, section: Section) -> list[tuple[str, StatusLine]]:
    pattern = _REST_STATUS if doc == REST_API else _WS_STATUS
    lines = []
    for bullet in _bullets(section.text):
        match = pattern.match(bullet)
        if match and match[1] != "200":  # 200 is success, no error
            lines.append((match[1], StatusLine(doc, section.title, section.anchor, bullet)))
    if len(lines) < 4:
        raise ScrapeError(f"{doc} › {section.title}: {len(lines)} status lines, expected the list of HTTP statuses")
    return lines


def _stream_errors(section: Section) -> list[StreamError]:
    by_code: dict[int, StreamError] = {}
    rows = [split_cells(line) for line in section.text.splitlines() if line.strip().startswith("{")]
    for cells in rows:
        match = _STREAM_ERROR.match(cells[0].strip()) if len(cells) == 2 else None
        if match is None:
            raise ScrapeError(f"{WS_STREAMS} › {STREAMS_SECTION}: a row that is not an error message: {cells[0][:80]!r}")
        message = Message.of(match[2])
        error = by_code.setdefault(int(match[1]), StreamError(int(match[1])))
        error.messages.append(StreamMessage(message.text, message.plain, message.placeholders, message.pattern, cells[1]))
    if not by_code:
        raise ScrapeError(f"{WS_STREAMS} › {STREAMS_SECTION}: no error messages in the table")
    return [by_code[code] for code in sorted(by_code)]


def _reason_table(section: Section, what: str) -> list[tuple[str, str]]:
    """(NAME, text) of each row of a two-column table whose first cell is a `NAME` code span."""
    rows = []
    for line in section.text.splitlines():
        cells = split_cells(line) if line.strip().startswith("|") else []
        if len(cells) == 2 and re.fullmatch(r"`[A-Z_]+`", cells[0]):
            rows.append((cells[0].strip("`"), cells[1].strip()))
    if not rows:
        raise ScrapeError(f"{section.doc} › {section.title}: no {what} in the table")
    return rows


def _session_reject_reasons(text: str) -> list[SessionRejectReason]:
    row = next((line for line in text.splitlines() if "| SessionRejectReason" in line or "|SessionRejectReason" in line), None)
    found = [SessionRejectReason(int(value), name) for value, name in _SESSION_REASON.findall(row or "")]
    if not found:
        raise ScrapeError(f"{FIX_API}: no SessionRejectReason (373) values")
    return list({reason.value: reason for reason in found}.values())


def read_statuses(texts: dict[str, str]) -> Statuses:
    """The five docs' error lists; ``texts``: each doc's Markdown by its upstream path."""
    missing = [doc for doc in DOCS if doc not in texts]
    if missing:
        raise ScrapeError(f"{missing[0]}: missing (upstream's doc with the statuses and stream errors)")
    parsed = {doc: sections(doc, texts[doc]) for doc in DOCS}
    statuses: dict[str, HttpStatus] = {}
    anchors: dict[str, str] = {}
    for doc, title in HTTP_SECTION.items():
        section = _section(doc, parsed[doc], title)
        anchors[f"{doc} › {title}"] = section.anchor
        for status, line in _http_lines(doc, section):
            statuses.setdefault(status, HttpStatus(status)).said.append(line)
    streams = _section(WS_STREAMS, parsed[WS_STREAMS], STREAMS_SECTION)
    rejects = _section(USER_DATA_STREAM, parsed[USER_DATA_STREAM], REJECT_SECTION)
    expiries = _section(USER_DATA_STREAM, parsed[USER_DATA_STREAM], EXPIRY_SECTION)
    anchors[f"{WS_STREAMS} › {STREAMS_SECTION}"] = streams.anchor
    anchors[f"{USER_DATA_STREAM} › {REJECT_SECTION}"] = rejects.anchor
    anchors[f"{USER_DATA_STREAM} › {EXPIRY_SECTION}"] = expiries.anchor
    return Statuses(
        http=sorted(statuses.values(), key=lambda s: s.status),
        stream_errors=_stream_errors(streams),
        reject_reasons=[RejectReason(name, text.strip('"')) for name, text in _reason_table(rejects, "reject reasons")],
        expiry_reasons=[ExpiryReason(name, text) for name, text in _reason_table(expiries, "expiry reasons")],
        session_reject_reasons=_session_reject_reasons(texts[FIX_API]),
        anchors=anchors,
    )
