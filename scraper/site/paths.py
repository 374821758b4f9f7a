"""The site's URLs.  Tickets link to them for years: change nothing here lightly.

Every page path is relative to the site root and ends with '/', as MkDocs serves
``docs/codes/-1013.md`` at ``codes/-1013/``.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata

from markupsafe import Markup


def code_path(code: int) -> str:
    return f"codes/{code}/"


def filter_slug(filter_name: str) -> str:
    """LOT_SIZE -> lot-size"""
    return filter_name.lower().replace("_", "-")


def filter_path(filter_name: str) -> str:
    return f"filters/{filter_slug(filter_name)}/"


def _words_slug(text: str, limit: int = 80) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit and slug:
            break
        slug = candidate
    return slug or "message"


def message_slugs(texts: list[str]) -> dict[str, str]:
    """One stable slug per rejection message, in upstream order; a clash gets -2, -3, …"""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for text in texts:
        if text in slugs:
            continue
        base = _words_slug(text)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        slugs[text] = slug
        taken.add(slug)
    return slugs


def message_path(slug: str) -> str:
    return f"messages/{slug}/"


def section_slug(title: str, limit: int = 80) -> str:
    """'10xx - General Server or Network issues' -> '10xx'; other titles -> their words."""
    match = re.match(r"^(-?\d+xx)\b", title)
    return match.group(1).lstrip("-") if match else _words_slug(title, limit=limit)


# Section slugs were cut at 40 characters until 2026-11: those URLs stay, as redirects.
OLD_SECTION_SLUG_LIMIT = 40


def section_path(slug: str) -> str:
    return f"sections/{slug}/"


def http_path(key: str) -> str:
    """'429' -> 'http/429/'; a class: '4xx' -> 'http/4xx/'"""
    return f"http/{key}/"


def stream_error_path(code: int) -> str:
    return f"ws-streams/{code}/"


OTHER_ERRORS_PAGE = "other-errors/"
REJECT_REASONS_PAGE = "user-data-stream/order-reject-reasons/"
SESSION_REJECT_PAGE = "fix/session-reject-reasons/"
FILTERS_INDEX = "filters/"
MESSAGES_INDEX = "messages/"
CHANGES_PAGE = "changes/"
# The Chinese tree: every page again at the same path under zh/ (its own MkDocs build, its own config).
LOCALE_ROOTS = {"en": "", "zh-CN": "zh/"}


# --- page sources and links ---------------------------------------------------------------------


INDEX_URLS = ("", FILTERS_INDEX, MESSAGES_INDEX, CHANGES_PAGE)


def src_of(url_path: str) -> str:
    """'codes/-1013/' -> 'codes/-1013.md'; 'filters/' -> 'filters/index.md'."""
    return url_path + "index.md" if url_path in INDEX_URLS else url_path.rstrip("/") + ".md"


def url_of(src: str) -> str:
    """The inverse: 'codes/-1013.md' -> 'codes/-1013/'; 'index.md' -> ''."""
    return src[: -len("index.md")] if src.endswith("index.md") else src[: -len(".md")] + "/"


def md_href(from_src: str, to_src: str) -> Markup:
    """A Markdown link target from one page source to another; MkDocs checks it in strict mode."""
    return Markup(posixpath.relpath(to_src, posixpath.dirname(from_src) or "."))


def html_href(from_src: str, to_url: str) -> str:
    """A URL for raw HTML (MkDocs does not rewrite those): relative to the page's served URL."""
    relative = posixpath.relpath(to_url or ".", url_of(from_src) or ".")
    return "./" if relative == "." else relative + "/"
