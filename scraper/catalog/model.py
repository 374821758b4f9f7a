"""The shapes data takes between pipeline stages.

Readers in ``scraper.parse`` turn one upstream copy into a :class:`ParsedCopy`;
``scraper.merge`` joins the copies into a :class:`Catalog`; ``scraper.store``
serialises that to the public JSON.  Nothing here reads or writes files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LOCALES = ("en", "zh-CN")
# What upstream names codes and filters with, and so what one can type as a URL or a search: LOT_SIZE
NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
UPSTREAM_SITE = "https://developers.binance.com"
DEFAULT_PAGE_URLS = {
    "en": f"{UPSTREAM_SITE}/docs/binance-spot-api-docs/testnet/errors",
    "zh-CN": f"{UPSTREAM_SITE}/docs/zh-CN/binance-spot-api-docs/testnet/errors",
}
# The filters page's source: the live page is rendered HTML; its Markdown is upstream's own file.
DEFAULT_FILTERS_URL = "https://raw.githubusercontent.com/binance/binance-spot-api-docs/master/testnet/filters.md"
# upstream's other doc pages (data/statuses.json), by their upstream path
DEFAULT_DOC_URLS = {
    doc: f"https://raw.githubusercontent.com/binance/binance-spot-api-docs/master/{doc}"
    for doc in ("testnet/rest-api.md", "testnet/web-socket-api.md", "testnet/web-socket-streams.md",
                "testnet/user-data-stream.md", "testnet/fix-api.md", "errors_CN.md")
}
# Where "Report a problem with this page" opens a new issue, the page named in it.
ISSUE_TRACKER_URL = "https://github.com/binance-spot-errors-reference/binance-spot-errors-reference/issues/new"
# Where a guidance source links: upstream's Markdown on GitHub, whose heading ids are stable.
DOCS_SOURCE_URL = "https://github.com/binance/binance-spot-api-docs/blob/master/"


class ScrapeError(Exception):
    """Bad input: the message names the source and the problem in one line."""


@dataclass(frozen=True)
class SourceInfo:
    """Where one upstream copy came from."""
    origin: str  # file path as given, or URL
    format: str  # html | text | markdown
    sha256: str
    retrieved_at: str | None = None  # only when the source itself says when (HTTP header, front matter)


@dataclass
class Section:
    title: str
    anchor: str | None  # fragment id on the upstream page
    # other ids that land here: raw <a id=…> anchors before the heading, and same-page link
    # targets that name this section's table ("#other-errors", "#filter_failures")
    aliases: list[str] = field(default_factory=list)


@dataclass
class CodeEntry:
    code: int
    name: str
    section: str
    anchor: str | None
    messages: list[str] = field(default_factory=list)
    # "heading" for a code with its own heading; "section-title" for one only named
    # in a section title (-1010, -2038 in the seed).
    origin: str = "heading"


@dataclass
class TableRow:
    """A row of the rejection-message table or of the filter-failure table."""
    text: str
    description: str
    codes: list[int]
    filter: str | None = None  # set for filter failures only
    anchor: str | None = None  # the table's section on the upstream page
    # codes whose upstream text points readers to this table ("-1013: see Filter failures")
    referenced_by: list[int] = field(default_factory=list)


@dataclass
class ParsedCopy:
    """One locale's copy of the upstream page, as read from one source."""
    locale: str
    title: str
    page_url: str
    source: SourceInfo
    sections: list[Section]
    codes: list[CodeEntry]
    engine_messages: list[TableRow]
    filter_failures: list[TableRow]


# --- the merged catalog: what data/errors.json holds -------------------------


@dataclass
class Message:
    text: str  # as upstream shows it, Markdown inline
    plain: str  # as the API sends it
    placeholders: list[str]
    pattern: str

    @classmethod
    def of(cls, text: str) -> "Message":
        return cls(text=text, plain=plain_text(text), placeholders=placeholders(text), pattern=message_pattern(text))


@dataclass
class Code:
    code: int
    name: str
    section: str
    origin: str
    messages: list[Message]
    anchors: dict[str, str]  # locale -> upstream URL of the code's heading
    locales: list[str]  # the copies that list it
    translations: dict[str, dict] = field(default_factory=dict)  # locale -> {name, messages} where it differs


@dataclass
class Row:
    """An entry of the rejection-message or the filter-failure table."""
    text: str
    plain: str
    placeholders: list[str]
    pattern: str
    description: str
    codes: list[int]
    anchors: dict[str, str]
    locales: list[str]
    filter: str | None = None
    referenced_by: list[int] = field(default_factory=list)
    translations: dict[str, dict] = field(default_factory=dict)


@dataclass
class CatalogSection:
    title: str
    anchors: dict[str, str]
    aliases: list[str] = field(default_factory=list)
    translations: dict[str, dict] = field(default_factory=dict)


@dataclass
class LocaleConsistency:
    codes: int
    identical: int
    translated: int
    missing: int  # in the primary copy only
    extra: int  # in this copy only
    rows: int
    rows_identical: int
    rows_translated: int
    rows_missing: int
    rows_extra: int

    def summary(self, locale: str) -> str:
        return (
            f"{locale}: {self.codes} codes, {self.identical} identical, {self.translated} translated, "
            f"{self.missing} missing, {self.extra} extra; {self.rows} table rows, {self.rows_identical} identical, "
            f"{self.rows_translated} translated, {self.rows_missing} missing, {self.rows_extra} extra"
        )


@dataclass
class Catalog:
    title: str
    primary_locale: str
    source: dict[str, SourceInfo]
    consistency: dict[str, LocaleConsistency]
    sections: list[CatalogSection]
    codes: list[Code]
    engine_messages: list[Row]
    filter_failures: list[Row]


def carrier_codes(row: dict) -> list[int]:
    """The codes a table row's message arrives with: its own, then those whose text points to its table."""
    return list(dict.fromkeys([*row["codes"], *row.get("referenced_by", [])]))


# --- placeholders -----------------------------------------------------------

# %s, %d and '{param}' are how upstream writes the parts a real message fills in.
PLACEHOLDER_RE = re.compile(r"%[sd]|\{[A-Za-z_][A-Za-z0-9_]*\}")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1")


# Text that only looks like Markdown (upstream wrote "[x](y)" or "**" as words) is kept
# literal with a backslash; while the Markdown is read, each escape stands in as a
# private-use character, so no pattern can match across it.
ESCAPABLE = "\\`*[]"
_ESCAPE_RE = re.compile(r"\\([\\`*\[\]])")
_STAND_INS = {c: chr(0xE000 + i) for i, c in enumerate(ESCAPABLE)}
_LITERALS = {v: k for k, v in _STAND_INS.items()}


def escape_markdown(text: str) -> str:
    """Plain text made safe to embed in the Markdown inline form the data keeps.

    Only what would otherwise read as markup is escaped (code spans, '**', '[…](…)'),
    so ordinary messages ("Price * QTY is zero or less.") keep their exact text.
    """
    text = re.sub(r"\\(?=[\\`*\[\]])", r"\\\\", text)
    text = text.replace("`", "\\`").replace("**", "\\*\\*")
    if "](" in text:
        text = text.replace("[", "\\[").replace("]", "\\]")
    return text


def protect_escapes(markdown_inline: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _STAND_INS[m.group(1)], markdown_inline)


def restore_escapes(text: str) -> str:
    return "".join(_LITERALS.get(c, c) for c in text)


def plain_text(markdown_inline: str) -> str:
    """The message as the API sends it: Markdown links, code spans and bold removed."""
    text = _MD_LINK_RE.sub(r"\1", protect_escapes(markdown_inline))
    text = _MD_EMPHASIS_RE.sub(r"\2", text)
    return restore_escapes(text.replace("`", ""))


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER_RE.findall(plain_text(text))


def message_pattern(text: str) -> str:
    """An anchored regular expression that matches the message with placeholders filled in."""
    plain = plain_text(text)
    parts: list[str] = []
    last = 0
    for match in PLACEHOLDER_RE.finditer(plain):
        parts.append(re.escape(plain[last : match.start()]))
        parts.append(r"(-?\d+)" if match.group() == "%d" else r"(.+?)")
        last = match.end()
    parts.append(re.escape(plain[last:]))
    return "^" + "".join(parts) + "$"
