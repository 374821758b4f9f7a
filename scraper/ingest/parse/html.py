"""Reader for the rendered upstream page (Docusaurus HTML), en or zh-CN.

Structure only: headings, their ids, lists, paragraphs and tables inside the
article.  Class names change with every Docusaurus release and are never used;
navigation, sidebars, the table of contents, buttons and scripts are skipped.

The markup is parsed by html5lib, which builds the tree the WHATWG algorithm (every
browser) builds, so a stray tag moves what a browser moves and nothing else.  Then the
code headings parsed are checked against a count taken from the raw text: markup a
browser would also swallow (an unclosed ``<table>``, ``<textarea>`` or comment) is an
error, never a page with fewer codes.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from scraper.catalog.model import DEFAULT_PAGE_URLS, ParsedCopy, ScrapeError, SourceInfo, escape_markdown

from .blocks import Anchor, Block, Heading, HeadingCount, Item, Table, code_like_numbers, interpret

SKIPPED_TAGS = {"script", "style", "noscript", "nav", "aside", "button", "footer", "svg", "pre", "template", "iframe"}
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
ZERO_WIDTH = "\u200b"


# The start of each h3-h6 and the text it opens with, past any tags ('<h3 id=…><p>-1000 …').
RAW_HEADING_START_RE = re.compile(r"<h[3-6]\b[^<>]*>(?:\s|<[^<>]*>)*([^<]{0,32})", re.I)
# The id of each h3-h6 that starts with a number: Docusaurus slugs '-1000 UNKNOWN' as '-1000-unknown'.
RAW_HEADING_ID_RE = re.compile(r"""<h[3-6]\b[^<>]*?(?<![\w-])id=["']?(-?\d+)(?=[-"'\s>])""", re.I)

# html5lib's tree construction costs time in proportion to the open elements for every
# tag (a scope check walks them), so deep nesting is quadratic: 50 000 nested <div>s took
# 8 minutes, and a megabyte of <div>s nested 240 deep 7 seconds.  Both the depth and that
# work, the open elements summed over the start tags, are counted from the tags first.
# The real page nests 18 deep for 7 700 of work; the 100x synthetic page needs 400 000.
MAX_NESTING = 256
MAX_NESTING_WORK = 4_000_000  # 10x the 100x page; a page at the limit parses in about 2 s
# "[^<>]" rather than "[^>]": a "<" never ends, so a run of "<a<a<a" is scanned once, not once per "<".
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
# Void elements have no content; the others here close without an end tag, implicitly, so
# they never nest far by themselves (a <li> ends the <li> before it).
NO_NESTING = frozenset(
    "area base br col embed hr img input link meta source track wbr param keygen "
    "p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rb rt rtc rp html head body".split()
)


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


def refuse_deep_nesting(text: str, origin: str) -> None:
    """Markup that nests deeper, or deep more often, than html5lib parses in seconds: refused before parsing.

    Counted from the tags alone.  An end tag closes only an element open under its name,
    as in a browser, so stray end tags cannot hide depth.  Implicitly closed elements are
    not counted: a real tree can be a few times deeper than this count (<ul><li><ul>…),
    never thousands.
    """
    stack: list[str] = []
    open_names: Counter[str] = Counter()
    work = 0
    for match in TAG_RE.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in NO_NESTING or self_closing:
            continue
        if closing:
            if open_names[name]:
                while (popped := stack.pop()) != name:
                    open_names[popped] -= 1
                open_names[name] -= 1
            continue
        work += len(stack)
        stack.append(name)
        open_names[name] += 1
        if len(stack) > MAX_NESTING:
            raise ScrapeError(f"{origin}: HTML nested more than {MAX_NESTING} levels deep: not a documentation page")
        if work > MAX_NESTING_WORK:
            raise ScrapeError(
                f"{origin}: HTML nested deep too often (open elements summed over its tags pass "
                f"{MAX_NESTING_WORK:,}): not a documentation page"
            )


def count_code_headings(text: str) -> int:
    """Code headings in the raw markup, counted without parsing it: the distinct numbers that
    h3-h6 open their text with or carry in their id.

    The id counts too because a stray tag inside a heading ('<h3 id="-1001-…"><h1>…') can
    push the heading's text out of it, in a browser as in html5lib.  Nothing is stripped
    first (not comments, not scripts): a stray ``<!--`` or ``<script>`` must not hide
    headings from this count as it hides them from the parser.
    """
    openings = [unescape(match.group(1)) for match in RAW_HEADING_START_RE.finditer(text)]
    return len(code_like_numbers(openings) | set(RAW_HEADING_ID_RE.findall(text)))


def read_html(text: str, source: SourceInfo) -> list[ParsedCopy]:
    if "</html>" not in text[-4096:].lower() and "</body>" not in text[-8192:].lower():
        raise ScrapeError(f"{source.origin}: truncated HTML (the document has no closing </html>)")
    refuse_deep_nesting(text, source.origin)
    soup = BeautifulSoup(text, "html5lib")
    fallback = source.origin if source.origin.startswith(("http://", "https://")) else None
    locale, page_url = _locale_and_url(soup, fallback)
    blocks: list[Block] = []
    try:
        _walk(_content_root(soup), blocks)
    except RecursionError:
        raise ScrapeError(f"{source.origin}: HTML nested too deeply to be a documentation page") from None
    expected = HeadingCount(count_code_headings(text), "markup", "a stray or unclosed tag")
    return [interpret(blocks, locale=locale, page_url=page_url, source=source, expected=expected)]
