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

from scraper.catalog.model import (
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


@dataclass(frozen=True)
class HeadingCount:
    """How many code headings the raw source holds, counted by a plain pattern, not by the reader.

    A stray or unclosed tag, or an unclosed code fence, makes a parser swallow the rest of
    the page; comparing with this count is what stops that from losing codes silently.
    """

    count: int
    where: str  # "markup", "Markdown source", …
    suspect: str  # what hides headings in that form: "a stray or unclosed tag"

# "-1013 INVALID_MESSAGE", "-2021 Order cancel-replace partially failed", "  ### -1152 …".
# Every code upstream ever used is negative with four digits; three to five digits leave
# room for new ranges and for the 100x synthetic page (-10000 … -20299).
CODE_HEADING_RE = re.compile(r"^(-[1-9]\d{2,4})\s+(\S.*?)\s*$")
# A heading that starts with a number as a whole word looks like a code to a reader, whether
# or not the number is one ("-100000 X", "0 X", "1013 X", "-0 X", "−1013 X" with a minus
# sign): such a heading is never skipped silently.
CODE_LIKE_RE = re.compile(r"^[-+\u2212\u2013]?\d+(?=\s|$)")
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


def interpret(
    blocks: list[Block], *, locale: str, page_url: str, source: SourceInfo, expected: HeadingCount
) -> ParsedCopy:
    """Turn one copy's blocks into codes, sections and table rows; ``expected`` is the raw source's count of code headings."""
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
            match = _code_heading(text, origin) if block.level >= 3 else None
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

    _refuse_hidden_headings(len(codes), expected, origin)
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

    copy = ParsedCopy(
        locale=locale,
        title=title,
        page_url=page_url,
        source=source,
        sections=[s for s in sections if s.title],
        codes=sorted(codes.values(), key=lambda c: (abs(c.code), c.code)),
        engine_messages=engine_messages,
        filter_failures=filter_failures,
    )
    refuse_oversized_text(copy)
    return copy


def _code_heading(text: str, origin: str) -> re.Match | None:
    """A level-3+ heading as (code, name), None for a heading that is no code; an error for one that looks like a code but is not."""
    if NOT_A_NUMBER_RE.match(text):
        raise ScrapeError(f"{origin}: non-numeric code in heading {text!r}")
    match = CODE_HEADING_RE.match(text)
    if match or not CODE_LIKE_RE.match(text):
        return match
    number = CODE_LIKE_RE.match(text).group()
    if text == number:
        raise ScrapeError(f"{origin}: code heading {text!r} has no name")
    raise ScrapeError(
        f"{origin}: heading {_preview(text)!r} starts with {number}, which is not an error code "
        "(a minus sign and 3 to 5 digits, no leading zero)"
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


# --- checks: what an error page can hold, and that nothing was hidden from the reader ----
#
# Measured over every fixture (110 upstream versions 2019-2026, the HTML builds, the text
# snapshot): the longest message is 213 characters (-1013's, 2024-11-27), the longest table
# cell 365 (the OCO price-relationship description), the longest code name 46 (a zh-CN
# name), and one copy holds at most 17 kB of text (2026-03-09).  Text beyond these limits
# is not an error message: each page of the site repeats it, so a page of 100 kB messages
# published a 169 MB site.
MAX_TEXT_CHARS = 4096  # one message, table cell or section title: 11x the longest real one
MAX_NAME_CHARS = 256  # one code name: 5x the longest real one
# All the text of one copy: 230x the largest real copy.  The 100x synthetic page (10 302
# codes, tests/test_scale.py) holds 1.0 M characters, and 100x the largest real copy 1.7 M.
MAX_COPY_TEXT_CHARS = 4_000_000


def _preview(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[:length] + "…"


def _texts_of(copy: ParsedCopy):
    """Every text of a copy as (what it is, the text, its limit)."""
    for section in copy.sections:
        yield f"section title {_preview(section.title)!r}", section.title, MAX_TEXT_CHARS
    for entry in copy.codes:
        yield f"code {entry.code}'s name", entry.name, MAX_NAME_CHARS
        for message in entry.messages:
            yield f"code {entry.code}'s message", message, MAX_TEXT_CHARS
    for row in [*copy.engine_messages, *copy.filter_failures]:
        yield f"table row {_preview(row.text)!r}", row.text, MAX_TEXT_CHARS
        yield f"the description of table row {_preview(row.text)!r}", row.description, MAX_TEXT_CHARS


def refuse_oversized_text(copy: ParsedCopy) -> None:
    """One text or the whole copy larger than an error page holds: a wrong page or an attack, refused by name."""
    total = 0
    for what, text, limit in _texts_of(copy):
        if len(text) > limit:
            raise ScrapeError(
                f"{copy.source.origin}: {what} is {len(text):,} characters (limit {limit:,}): not an error page's text"
            )
        total += len(text)
    if total > MAX_COPY_TEXT_CHARS:
        raise ScrapeError(
            f"{copy.source.origin}: the {copy.locale} copy holds {total:,} characters of text "
            f"(limit {MAX_COPY_TEXT_CHARS:,}): not an error page"
        )


def code_like_numbers(headings: list[str]) -> set[str]:
    """The distinct numbers that code-like headings open with ('-1000' twice is one code:
    upstream has repeated some headings); a minus sign and an en dash count as '-'."""
    numbers = set()
    for heading in headings:
        match = CODE_LIKE_RE.match(heading.strip())
        if match:
            numbers.add(match.group().replace("\u2212", "-").replace("\u2013", "-").lstrip("+"))
    return numbers


def _refuse_hidden_headings(parsed: int, expected: HeadingCount, origin: str) -> None:
    """The codes headed in the parse against the raw count: any difference means the reader did not see the page the source holds."""
    if parsed != expected.count:
        hint = f" ({expected.suspect} hides some?)" if parsed < expected.count else ""
        raise ScrapeError(f"{origin}: {expected.count} code headings in the {expected.where} but {parsed} parsed{hint}")
