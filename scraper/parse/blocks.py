"""The document structure every reader produces, and the one interpreter of it.

Each reader (html, text, markdown) only turns its input form into a flat list of
blocks.  What a code heading is, which table holds which messages, and which codes
a section title names is decided here, once, for every form.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..model import (
    UPSTREAM_SITE,
    CodeEntry,
    ParsedCopy,
    ScrapeError,
    Section,
    SourceInfo,
    TableRow,
)


@dataclass
class Heading:
    level: int
    text: str  # Markdown inline
    anchor: str | None = None  # fragment id, when the source gives one


@dataclass
class Item:
    """A list item or a paragraph: upstream has written messages as both."""

    text: str
    is_bullet: bool = True


@dataclass
class Anchor:
    """A raw ``<a id=…>`` target; it names the heading that follows."""

    id: str


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


Block = Heading | Item | Anchor | Table

# "-1013 INVALID_MESSAGE", "-2021 Order cancel-replace partially failed", "  ### -1152 …"
CODE_HEADING_RE = re.compile(r"^(-?\d{3,5})\s+(\S.*?)\s*$")
# A heading that starts like a code but whose number is not one: "-1O13 FOO", "-10x3 BAR".
# Sections such as "-9xxx Filter failures" are level 2 and never codes.
NOT_A_NUMBER_RE = re.compile(r"^(-[0-9]*[A-Za-z][0-9A-Za-z]*|-\d+[.,]\d+)\s+\S")
# Codes a section title names, each with the words up to the next comma or "and":
# "Messages for -1010 ERROR_MSG_RECEIVED, -2010 …, and -2038 …", "消息 -1010 收到了错误消息， -2010 …"
TITLE_CODE_RE = re.compile(r"(-\d{3,5})\s+([^,，、]+?)(?=\s*(?:[,，、]|\s+and\s|$))")
FILTER_TEXT_RE = re.compile(r"^Filter failure:\s*([A-Z][A-Z0-9_]*)$")
# Two quoted messages in one cell: "Rest API trading is not enabled." / "WebSocket API …"
JOINED_MESSAGES_RE = re.compile(r'(?<=")\s*/\s*(?=")')
# Upstream documents that filter failures arrive under -1013; used only when no code
# links to the filter table (versions before -1013's message pointed there).
FILTER_FAILURE_CARRIER = -1013


def slugify(text: str) -> str:
    """Docusaurus heading ids (github-slugger): lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", text)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def normalize_link(href: str, page_url: str) -> str:
    """A link target as an upstream-site-absolute path of the English page, without '.md'.

    The copies write the same link as ``fix-api.md#logout``, ``/docs/zh-CN/…/fix-api#logout``
    or ``#filter-failures``; one spelling lets copies and versions compare equal.
    """
    absolute = urljoin(page_url, href.strip())
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != UPSTREAM_SITE:
        return href.strip()
    path = parts.path.replace("/docs/zh-CN/", "/docs/", 1)
    if path.endswith(".md"):
        path = path[: -len(".md")]
    path = posixpath.normpath(path) if path else path
    return path + (f"#{parts.fragment}" if parts.fragment else "")


_LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")


def normalize_inline(text: str, page_url: str) -> str:
    """One Markdown spelling for inline text: links normalised, whitespace collapsed per line."""
    text = _LINK_RE.sub(lambda m: f"[{m.group(1)}]({normalize_link(m.group(2), page_url)})", text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _unquote_message(cell: str) -> str:
    """A table message without its quotes; upstream quotes fully, half or not at all."""
    text = cell.strip()
    if text.startswith('"'):
        text = text[1:]
    # '"… rejecting".' puts the sentence's full stop outside the quotes.
    if text.endswith('".'):
        text = text[:-2]
    elif text.endswith('"'):
        text = text[:-1]
    return text.strip()


def _split_message_cell(cell: str) -> list[str]:
    return [_unquote_message(part) for part in JOINED_MESSAGES_RE.split(cell.strip())]


def _fragment_of(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.fragment and (not parts.path or parts.path.rstrip("/").endswith("/errors")):
        return parts.fragment
    return None


def interpret(blocks: list[Block], *, locale: str, page_url: str, source: SourceInfo) -> ParsedCopy:
    """Turn one copy's blocks into codes, sections and table rows."""
    origin = source.origin
    title = ""
    sections: list[Section] = []
    codes: dict[int, CodeEntry] = {}
    title_codes: list[CodeEntry] = []
    tables: list[tuple[Section | None, list[str], Table]] = []
    section: Section | None = None
    section_aliases: list[str] = []
    pending_aliases: list[str] = []
    current: CodeEntry | None = None
    page_anchors: set[str] = set()

    for block in blocks:
        if isinstance(block, Anchor):
            pending_aliases.append(block.id)
            page_anchors.add(block.id)
            continue
        if isinstance(block, Heading):
            text = normalize_inline(block.text, page_url).replace("\n", " ")
            anchor = block.anchor or slugify(text)
            page_anchors.add(anchor)
            aliases, pending_aliases = [anchor, *pending_aliases], []
            if block.level == 1:
                title = title or text
                current = None
                continue
            if block.level >= 3 and NOT_A_NUMBER_RE.match(text):
                raise ScrapeError(f"{origin}: non-numeric code in heading {text!r}")
            match = CODE_HEADING_RE.match(text) if block.level >= 3 else None
            if match:
                code, name = int(match.group(1)), match.group(2)
                if section is None:
                    section = Section(title="", anchor=None)
                    sections.append(section)
                    section_aliases = []
                known = codes.get(code)
                if known and known.name != name:
                    raise ScrapeError(
                        f"{origin}: code {code} has two names in one copy: {known.name!r} and {name!r}"
                    )
                current = known or CodeEntry(code=code, name=name, section=section.title, anchor=anchor)
                codes[code] = current
                continue
            current = None
            if block.level == 2:
                section = Section(title=text, anchor=anchor, aliases=aliases[1:])
                section_aliases = aliases
                sections.append(section)
                title_codes.extend(_codes_named_in_title(text, section, anchor))
            continue
        if isinstance(block, Item):
            text = normalize_inline(block.text, page_url)
            if current is not None and text and text not in current.messages:
                current.messages.append(text)
            continue
        if isinstance(block, Table):
            tables.append((section, list(section_aliases), block))

    if not codes:
        raise ScrapeError(f"{origin}: no recognizable error-code headings (wrong page, redesign or login wall?)")

    for entry in title_codes:
        codes.setdefault(entry.code, entry)

    engine_messages: list[TableRow] = []
    filter_failures: list[TableRow] = []
    references, named = _table_references(codes.values(), [aliases for _, aliases, _ in tables], page_anchors)
    for (table_section, aliases, table), referenced_by, fragments in zip(tables, references, named):
        if table_section is not None:
            table_section.aliases = sorted(set(table_section.aliases) | fragments)
        rows = [row for row in table.rows if row and row[0].strip()]
        if not rows:
            continue
        first_cells = [_unquote_message(row[0]) for row in rows]
        is_filter_table = sum(bool(FILTER_TEXT_RE.match(c)) for c in first_cells) * 2 > len(rows)
        if is_filter_table:
            carriers = list(referenced_by)
            if not carriers and FILTER_FAILURE_CARRIER in codes:
                carriers = [FILTER_FAILURE_CARRIER]
            for row, text in zip(rows, first_cells):
                match = FILTER_TEXT_RE.match(text)
                if not match:
                    raise ScrapeError(f"{origin}: filter-failure row without a filter name: {text!r}")
                filter_failures.append(
                    TableRow(
                        text=text,
                        description=_cell(row, 1, page_url),
                        codes=carriers,
                        filter=match.group(1),
                        anchor=table_section.anchor if table_section else None,
                        referenced_by=list(referenced_by),
                    )
                )
        else:
            named = [c.code for c in title_codes if table_section and c.section == table_section.title]
            for row in rows:
                for text in _split_message_cell(normalize_inline(row[0], page_url)):
                    engine_messages.append(
                        TableRow(
                            text=text,
                            description=_cell(row, 1, page_url),
                            codes=list(named),
                            anchor=table_section.anchor if table_section else None,
                            referenced_by=list(referenced_by),
                        )
                    )

    return ParsedCopy(
        locale=locale,
        title=title,
        page_url=page_url,
        source=source,
        sections=[s for s in sections if s.title],
        codes=sorted(codes.values(), key=lambda c: (abs(c.code), c.code)),
        engine_messages=engine_messages,
        filter_failures=filter_failures,
    )


def _cell(row: list[str], index: int, page_url: str) -> str:
    return normalize_inline(row[index], page_url) if index < len(row) else ""


def _codes_named_in_title(text: str, section: Section, anchor: str) -> list[CodeEntry]:
    """Codes a section title names: 'Messages for -1010 ERROR_MSG_RECEIVED, …' or '-1010 收到了错误消息'."""
    found = [(int(m.group(1)), m.group(2)) for m in TITLE_CODE_RE.finditer(text)]
    return [
        CodeEntry(code=code, name=name, section=section.title, anchor=anchor, origin="section-title")
        for code, name in found
    ]


def _table_references(
    entries, table_aliases: list[list[str]], page_anchors: set[str]
) -> tuple[list[list[int]], list[set[str]]]:
    """For each table, the codes whose messages link to it, and the link targets that point nowhere but mean it.

    The text snapshot loses raw ``<a id=…>`` anchors, so a same-page link can point
    nowhere ("-1013: see Filter failures or Failures during order placement", the
    latter to ``#other-errors``).  Each link of a message names a different table:
    links that point nowhere take the tables the message does not already link to,
    in page order.
    """
    referenced: list[list[int]] = [[] for _ in table_aliases]
    named: list[set[str]] = [set() for _ in table_aliases]
    for entry in entries:
        fragments = [
            fragment
            for message in entry.messages
            for fragment in (_fragment_of(m.group(2)) for m in _LINK_RE.finditer(message))
            if fragment
        ]
        linked = [i for i, aliases in enumerate(table_aliases) if set(aliases) & set(fragments)]
        dangling = [f for f in fragments if f not in page_anchors]
        unlinked = [i for i in range(len(table_aliases)) if i not in linked]
        for index in sorted(linked + unlinked[: len(dangling)]):
            referenced[index].append(entry.code)
        for index, fragment in zip(unlinked, dangling):
            named[index].add(fragment)
    return [sorted(codes) for codes in referenced], named
