"""Reader for the rendered upstream page (Docusaurus HTML), en or zh-CN.

Structure only: headings, their ids, lists, paragraphs and tables inside the
article.  Class names change with every Docusaurus release and are never used;
navigation, sidebars, the table of contents, buttons and scripts are skipped.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ..model import DEFAULT_PAGE_URLS, ParsedCopy, ScrapeError, SourceInfo, escape_markdown
from .blocks import Anchor, Block, Heading, Item, Table, interpret

SKIPPED_TAGS = {"script", "style", "noscript", "nav", "aside", "button", "footer", "svg", "pre", "template", "iframe"}
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
ZERO_WIDTH = "\u200b"


def looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or "<html" in head


def _is_hash_link(tag: Tag) -> bool:
    """Docusaurus' '#' permalink beside each heading: a link whose text is only a zero-width space."""
    return tag.name == "a" and not tag.get_text().replace(ZERO_WIDTH, "").strip() and tag.has_attr("href")


_UNSAFE_IN_LINK_TARGET = re.compile(r"[\s()<>\"`\[\]\\]")


def _link_target(href: str) -> str:
    """An href as a Markdown link target: the characters that would end or break it, percent-encoded."""
    return _UNSAFE_IN_LINK_TARGET.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), href.strip())


def inline_markdown(node: Tag) -> str:
    """A tag's content as Markdown inline text, the form the other readers produce."""
    out: list[str] = []
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            # zero-width characters stay: only the hash-links' own are dropped, with the links
            out.append(escape_markdown(re.sub(r"[ \t\r\n\f]+", " ", str(child))))
            continue
        if not isinstance(child, Tag) or child.name in SKIPPED_TAGS or child.name in ("ul", "ol"):
            continue
        if child.name == "br":
            out.append("\n")
        elif child.name == "code":
            code = child.get_text()
            fence = "`" * (max((len(r) for r in re.findall(r"`+", code)), default=0) + 1)
            out.append(f"{fence}{code}{fence}")
        elif child.name == "a":
            if _is_hash_link(child):
                continue
            inner = inline_markdown(child)
            out.append(f"[{inner}]({_link_target(child['href'])})" if child.get("href") else inner)
        elif child.name in ("strong", "b"):
            out.append(f"**{inline_markdown(child)}**")
        elif child.name in ("em", "i"):
            out.append(f"*{inline_markdown(child)}*")
        else:
            out.append(inline_markdown(child))
    return "".join(out)


def _lone_anchor_id(tag: Tag) -> str | None:
    """'<p><a id="filter_failures"></a></p>': a raw anchor, not a paragraph."""
    if tag.get_text(strip=True):
        return None
    anchors = [a for a in tag.find_all("a") if a.get("id")]
    return anchors[0]["id"] if len(anchors) == 1 else None


def _table(tag: Tag) -> Table:
    header = [inline_markdown(th).strip() for th in tag.find_all("th")]
    rows = [
        [inline_markdown(td).strip() for td in tr.find_all(["td"], recursive=False)]
        for tr in tag.find_all("tr")
        if tr.find("td", recursive=False)
    ]
    return Table(header=header, rows=rows)


def _walk(node: Tag, blocks: list[Block]) -> None:
    for child in node.children:
        if not isinstance(child, Tag) or child.name in SKIPPED_TAGS:
            continue
        name = child.name
        if name in HEADING_TAGS:
            blocks.append(Heading(HEADING_TAGS[name], inline_markdown(child).strip(), child.get("id")))
        elif name in ("ul", "ol"):
            for item in child.find_all("li", recursive=False):
                blocks.append(Item(inline_markdown(item).strip()))
                _walk(item, blocks)  # nested lists
        elif name == "p":
            anchor = _lone_anchor_id(child)
            if anchor:
                blocks.append(Anchor(anchor))
            elif child.get_text(strip=True):
                blocks.append(Item(inline_markdown(child).strip(), is_bullet=False))
        elif name == "table":
            blocks.append(_table(child))
        elif name == "a" and child.get("id") and not child.get("href"):
            blocks.append(Anchor(child["id"]))
        else:
            _walk(child, blocks)


def _content_root(soup: BeautifulSoup) -> Tag:
    h1 = soup.find("h1")
    for candidate in (h1.find_parent("article") if h1 else None, soup.find("article"), soup.find("main"), soup.body):
        if candidate is not None:
            return candidate
    return soup


def _locale_and_url(soup: BeautifulSoup, fallback_url: str | None) -> tuple[str, str]:
    html = soup.find("html")
    lang = (html.get("lang") if html else "") or ""
    locale = "zh-CN" if lang.lower().startswith("zh") else "en"
    og_url = soup.find("meta", attrs={"property": "og:url"})
    url = (og_url.get("content") if og_url else None) or fallback_url or DEFAULT_PAGE_URLS[locale]
    return locale, url.split("#")[0]


def read_html(text: str, source: SourceInfo) -> list[ParsedCopy]:
    if "</html>" not in text[-4096:].lower() and "</body>" not in text[-8192:].lower():
        raise ScrapeError(f"{source.origin}: truncated HTML (the document has no closing </html>)")
    soup = BeautifulSoup(text, "lxml")
    fallback = source.origin if source.origin.startswith(("http://", "https://")) else None
    locale, page_url = _locale_and_url(soup, fallback)
    blocks: list[Block] = []
    try:
        _walk(_content_root(soup), blocks)
    except RecursionError:
        raise ScrapeError(f"{source.origin}: HTML nested too deeply to be a documentation page") from None
    return [interpret(blocks, locale=locale, page_url=page_url, source=source)]
