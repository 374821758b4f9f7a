"""Reader for the text snapshot: the rendered page as text, both copies in one file.

The file starts with a front-matter block (``source_url``, ``updated_at``), then the
English copy; a line ``---`` followed by a new ``# `` title starts the zh-CN copy.
Headings end with their hash-link ``[](/docs/…#anchor "Direct link to …")``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from scraper.catalog.model import DEFAULT_PAGE_URLS, UPSTREAM_SITE, ParsedCopy, SourceInfo

from .blocks import interpret
from .markdown import count_code_headings, tokenize

FRONT_MATTER_RE = re.compile(r"\A\ufeff?---\n(.*?)\n---\n", re.S)
COPY_SEPARATOR_RE = re.compile(r"^---[ \t]*\n(?=(?:[ \t]*\n)*# )", re.M)
HASH_LINK_PATH_RE = re.compile(r'\[\]\((/[^)\s#]*)#[^)\s]*(?:\s+"([^"]*)")?\)')


def looks_like_text_snapshot(text: str) -> bool:
    return bool(HASH_LINK_PATH_RE.search(text))


def front_matter(text: str) -> dict[str, str]:
    match = FRONT_MATTER_RE.match(text.replace("\r\n", "\n"))
    if not match:
        return {}
    fields = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def _copy_locale_and_url(copy: str) -> tuple[str, str]:
    link = HASH_LINK_PATH_RE.search(copy)
    if link:
        path, title = link.group(1), link.group(2) or ""
        locale = "zh-CN" if "/zh-CN/" in path or title.endswith("的直接链接") else "en"
        return locale, UPSTREAM_SITE + path
    return "en", DEFAULT_PAGE_URLS["en"]


def read_text(text: str, source: SourceInfo) -> list[ParsedCopy]:
    text = text.replace("\r\n", "\n")
    meta = front_matter(text)
    if meta.get("updated_at"):
        source = replace(source, retrieved_at=meta["updated_at"])
    body = FRONT_MATTER_RE.sub("", text, count=1)
    copies = []
    for part in COPY_SEPARATOR_RE.split(body):
        if not part.strip():
            continue
        locale, page_url = _copy_locale_and_url(part)
        blocks = tokenize(part, table_continuation=True)
        expected = count_code_headings(part, f"{locale} copy of the text snapshot")
        copies.append(interpret(blocks, locale=locale, page_url=page_url, source=source, expected=expected))
    return copies
