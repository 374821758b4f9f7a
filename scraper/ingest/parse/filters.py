"""Reader for upstream's filters page (``filters.md``, ``testnet/filters.md``), the second upstream source.

The error page only names a filter ("Filter failure: LOT_SIZE"); this page says what
the filter checks.  Each ``### NAME`` heading under a ``## … filters`` section is one
filter: its prose, the parameters it reads, the rule lines it enforces
(``quantity >= minQty``) and the JSON ``/exchangeInfo`` (or ``/myFilters``) shows for it.

The page is small and regular, so this is a line reader of its own: the error-page
tokenizer drops fenced code, and the example JSON lives in a fence.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from scraper.catalog.model import NAME_RE, UPSTREAM_SITE, ScrapeError, SourceInfo
from scraper.ingest.parse import decode_page

from .blocks import normalize_inline, slugify
from .filter_prose import (
    FENCE_RE,
    HEADING_RE,
    Code,
    Paragraph,
    Parameter,
    RuleGroup,
    body_blocks,
    markdown_of,
    parameters_of,
    rules_of,
    summary_of,
)

FILTERS_PAGE_URLS = {
    "main": f"{UPSTREAM_SITE}/docs/binance-spot-api-docs/filters",
    "testnet": f"{UPSTREAM_SITE}/docs/binance-spot-api-docs/testnet/filters",
}
KINDS = ("symbol", "exchange", "asset")
# The page this project follows (rebuild fetches testnet/filters.md): a copy whose content
# says neither main nor testnet is read as that one.
DEFAULT_FILTERS_PAGE = "testnet"
# Relative links to a sub-folder, by direction: "](../faqs/…" climbs out of testnet/;
# "](./faqs/…" and "](faqs/…" descend from the docs' root.  URLs ("https:") and
# site-absolute paths ("/docs/…") are neither.
CLIMBING_LINK_RE = re.compile(r"\]\(\.\./")
DESCENDING_LINK_RE = re.compile(r"\]\((?:\./)?[\w-]+/")
DOCTOC_CREDIT = "generated with [DocToc]"

TOC_START, TOC_END = "<!-- START doctoc", "<!-- END doctoc"
TOC_ENTRY_RE = re.compile(r"^(\s*)[-*]\s+\[([^\]]+)\]\(#([^)]+)\)\s*$")


@dataclass
class FilterDefinition:
    name: str
    kind: str  # symbol | exchange | asset
    anchor: str  # absolute upstream URL of the filter's heading
    summary: str  # the first paragraph, Markdown inline
    description: str  # every paragraph and list before the example, Markdown blocks
    parameters: list[Parameter]
    rules: list[RuleGroup]
    example_endpoint: str  # /exchangeInfo, or /myFilters for asset filters
    example: dict[str, Any]


@dataclass
class FiltersPage:
    title: str
    page_url: str
    source: SourceInfo
    intro: str
    filters: list[FilterDefinition] = field(default_factory=list)


def filters_page_kind(text: str) -> str:
    """Which copy of the filters page this is, "main" or "testnet", read from its content.

    A file name or URL says nothing reliable (a copy saved as ``filters.md`` or fetched
    from a mirror), so the page's own relative links decide: the testnet copy lives one
    folder deeper upstream and reaches the FAQ as ``../faqs/…``, the main copy as
    ``./faqs/…`` or ``faqs/…``; the larger count wins.  On a tie (no such links at all),
    doctoc's credit line, which only the main copy carries, says main.  A page with
    neither signal is read as DEFAULT_FILTERS_PAGE.
    """
    climbing = len(CLIMBING_LINK_RE.findall(text))
    descending = len(DESCENDING_LINK_RE.findall(text))
    if climbing != descending:
        return "testnet" if climbing > descending else "main"
    if DOCTOC_CREDIT in text:
        return "main"
    return DEFAULT_FILTERS_PAGE


def page_url_for(text: str) -> str:
    """The upstream URL a copy's anchors point into, from its content (:func:`filters_page_kind`)."""
    return FILTERS_PAGE_URLS[filters_page_kind(text)]


def toc_entries(text: str) -> list[tuple[int, str, str]]:
    """The doctoc table of contents as (depth, title, anchor); empty when the copy has none."""
    entries: list[tuple[int, str, str]] = []
    inside = False
    for line in text.splitlines():
        if line.startswith(TOC_START):
            inside = True
        elif line.startswith(TOC_END):
            break
        elif inside and (match := TOC_ENTRY_RE.match(line)):
            entries.append((len(match.group(1).expandtabs()) // 2, match.group(2), match.group(3)))
    return entries


def toc_filter_names(text: str) -> list[str]:
    return [title for _, title, _ in toc_entries(text) if NAME_RE.match(title)]


def _strip_toc(lines: list[str]) -> list[str]:
    if not any(line.startswith(TOC_START) for line in lines):
        return lines
    start = next(i for i, line in enumerate(lines) if line.startswith(TOC_START))
    end = next((i for i, line in enumerate(lines) if line.startswith(TOC_END)), None)
    if end is None:
        return lines[:start]  # a cut-off TOC: what follows it is the TOC, not the page
    return lines[:start] + lines[end + 1 :]


def _filter(name: str, kind: str, lines: list[str], page_url: str, origin: str) -> FilterDefinition:
    try:
        blocks = body_blocks(lines)
    except ScrapeError as error:
        raise ScrapeError(f"{origin}: filter {name}: {error}") from None
    codes = [b for b in blocks if isinstance(b, Code)]
    if not codes:
        raise ScrapeError(f"{origin}: filter {name} has no example JSON")
    example_block = codes[0]
    try:
        example = json.loads(example_block.text)
    except json.JSONDecodeError as error:
        raise ScrapeError(f"{origin}: filter {name}: example JSON does not parse ({error.msg}, line {error.lineno})") from None
    if not isinstance(example, dict) or example.get("filterType") != name:
        raise ScrapeError(f"{origin}: filter {name}: example's filterType is {example.get('filterType')!r}, not {name!r}")
    prose = [b for b in blocks[: blocks.index(example_block)] if not isinstance(b, Code)]
    paragraphs = [b for b in prose if isinstance(b, Paragraph)]
    if not paragraphs:
        raise ScrapeError(f"{origin}: filter {name} has no description")
    summary = summary_of(normalize_inline(paragraphs[0].text, page_url))
    return FilterDefinition(
        name=name,
        kind=kind,
        anchor=f"{page_url}#{slugify(name)}",
        summary=summary,
        description=markdown_of(prose, page_url),
        parameters=parameters_of(prose, example, summary, page_url),
        rules=rules_of(prose, page_url),
        example_endpoint=example_block.label or "/exchangeInfo",
        example=example,
    )


def _kind_of(section_title: str, origin: str) -> str:
    """'Symbol filters' -> symbol; the section title is the only place the kind is stated."""
    word = section_title.split()[0].lower() if section_title.split() else ""
    if word not in KINDS:
        raise ScrapeError(f"{origin}: unknown filter section {section_title!r}")
    return word


def read_filters(text: str, source: SourceInfo, page_url: str | None = None) -> FiltersPage:
    page_url = page_url or page_url_for(text)
    lines = _strip_toc(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    title, intro_lines = "", []
    kind: str | None = None
    current: tuple[str, str] | None = None  # (name, kind)
    body: list[str] = []
    filters: list[FilterDefinition] = []
    in_fence = False

    def close() -> None:
        if current is not None:
            filters.append(_filter(current[0], current[1], body, page_url, source.origin))

    for line in lines:
        if FENCE_RE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING_RE.match(line)
        if heading is None:
            if current is not None:
                body.append(line)
            elif title and kind is None:
                intro_lines.append(line)
            continue
        level, text_ = len(heading.group(1)), heading.group(2)
        if level == 1:
            title = title or text_
            continue
        close()
        current, body = None, []
        if level == 2:
            kind = _kind_of(text_, source.origin)
        elif level == 3:
            if kind is None:
                raise ScrapeError(f"{source.origin}: filter heading {text_!r} outside a filters section")
            if not NAME_RE.match(text_):
                raise ScrapeError(f"{source.origin}: filter heading {text_!r} is not a filter name")
            current = (text_, kind)
    close()
    if not filters:
        raise ScrapeError(f"{source.origin}: no filter headings (wrong page or redesign?)")
    names = [f.name for f in filters]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ScrapeError(f"{source.origin}: filter defined twice: {', '.join(duplicates)}")
    try:
        intro_blocks = body_blocks(intro_lines)
    except ScrapeError as error:
        raise ScrapeError(f"{source.origin}: page intro: {error}") from None
    intro = markdown_of([b for b in intro_blocks if not isinstance(b, Code)], page_url)
    return FiltersPage(title=title, page_url=page_url, source=source, intro=intro, filters=filters)


def read_filters_source(origin: str, data: bytes, page_url: str | None = None, retrieved_at: str | None = None) -> FiltersPage:
    """Parse the filters page from a file's bytes or an HTTP body."""
    text = decode_page(origin, data)
    if re.match(r"\s*<(!doctype|html)\b", text, re.I):
        raise ScrapeError(f"{origin}: HTML; the filters reader reads upstream's Markdown (filters.md)")
    source = SourceInfo(
        origin=origin, format="markdown", sha256=hashlib.sha256(data).hexdigest(), retrieved_at=retrieved_at
    )
    return read_filters(text, source, page_url)
