"""What the Chinese pages add to a view: upstream's Chinese names and descriptions, or the note that it has none.

On the English pages every function here returns None: the English views stay as they are.
The API's English message is never replaced: it is what a client receives and what a user pastes.
"""

from __future__ import annotations

from markupsafe import Markup

from scraper.catalog.chinese import TRANSLATION_DOC, row_key
from scraper.catalog.model import DEFAULT_PAGE_URLS, DOCS_SOURCE_URL
from scraper.site.markup import md_inline, md_text, safe_url
from scraper.site.model import Site


def _resolver(site: Site, src: str):
    # errors_CN.md links its own tables by bare fragment (#filter-failures): the error page's sections
    return lambda href: site.href_for(src, DEFAULT_PAGE_URLS["en"] + href if href.startswith("#") else href)


def code_chinese(site: Site, src: str, code: dict) -> dict | None:
    """A code's Chinese name and messages as upstream translates them; ``translated`` False where it does not."""
    if site.locale == "en":
        return None
    found = site.chinese.code(code["code"]) if site.chinese else None
    doc_url = safe_url(f"{DOCS_SOURCE_URL}{TRANSLATION_DOC}")
    if found is None:
        return {"translated": False, "name": None, "messages": [], "url": None, "counts_differ": False, "doc_url": doc_url}
    return {
        "translated": True,
        "doc_url": doc_url,
        "name": md_text(found.name),
        "plain_name": found.name,
        "messages": [md_inline(m, _resolver(site, src)) for m in found.messages],
        "url": safe_url(found.url),
        # a message changed or added in one copy only: say so rather than pair them up silently
        "counts_differ": len(found.messages) != len(code["messages"]),
        "english_count": len(code["messages"]),
    }


def shown_name(site: Site, code: dict) -> str:
    """The name a page and its links give a code: the Chinese name on the Chinese pages where upstream has one."""
    found = site.chinese.code(code["code"]) if site.locale != "en" and site.chinese else None
    return found.name if found else code["name"]


def row_description(site: Site, src: str, row: dict) -> Markup | None:
    """A table row's Chinese description; None on the English pages and where upstream gives none."""
    if site.locale == "en" or not site.chinese:
        return None
    found = site.chinese.row(row_key(row))
    return md_inline(found, _resolver(site, src)) if found else None


def description_text(site: Site, row: dict) -> str:
    """A row's description as upstream's Markdown: the Chinese one on the Chinese pages where it exists."""
    found = site.chinese.row(row_key(row)) if site.locale != "en" and site.chinese else None
    return found or row["description"]


def section_title(site: Site, title: str) -> str:
    """A section's title as the Chinese copy gives it, on the Chinese pages; the English title otherwise."""
    if site.locale == "en" or not site.chinese:
        return title
    return site.chinese.sections.get(title, title)


def translation_view(site: Site, src: str) -> dict | None:
    """For the Chinese home page: where the translation comes from and where the two copies differ."""
    if site.locale == "en":
        return None
    copy = site.chinese
    if copy is None:
        return {"available": False}
    return {
        "available": True,
        "doc": md_text(copy.doc),
        "url": safe_url(copy.url),
        "sha256": copy.sha256[:12],
        "codes": len(copy.codes),
        "rows": len(copy.rows),
        "untranslated_codes": [md_text(f"{c} {site.codes[c]['name']}") for c in copy.untranslated_codes],
        "untranslated_rows": [md_text(key.partition(":")[2]) for key in copy.untranslated_rows],
        "only_chinese_codes": [md_text(f"{e.code} {e.name}") for e in copy.only_chinese_codes],
        "only_chinese_rows": [md_text(key.partition(":")[2]) for key in copy.only_chinese_rows],
    }
