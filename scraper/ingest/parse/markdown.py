"""Reader for upstream's Markdown source (``errors.md``, ``errors_CN.md``, ``testnet/errors.md``).

It also tokenizes the text snapshot (``scraper.parse.text``), which is the rendered
page written back as Markdown-like text.  Every version since 2019 is read: ``###``
and ``####`` code headings (indented too), bullets with any indentation, prose
paragraphs, tables with or without outer pipes, ``<br>`` in cells and raw
``<a id=…>`` anchors.
"""

from __future__ import annotations

import re

from scraper.catalog.model import DEFAULT_PAGE_URLS, ParsedCopy, SourceInfo

from .blocks import Anchor, Block, Heading, HeadingCount, Item, Table, code_like_numbers, interpret

HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# The text snapshot ends each heading with its hash-link: '[](/docs/…#-1000-unknown "Direct link to …")'
HASH_LINK_RE = re.compile(r'\[\]\(([^)\s]*)(?:\s+"([^"]*)")?\)\s*$')
BULLET_RE = re.compile(r"^\s*[*+-]\s+(.*)$")
RAW_ANCHOR_RE = re.compile(r"""^\s*<a\s+(?:name|id)=["']?([^"'\s>]+)["']?\s*>\s*</a>\s*$""", re.I)
TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
BR_RE = re.compile(r"</?br\s*/?>", re.I)
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# What a level-3+ heading line opens with, read without the tokenizer (fences included):
# the independent count of code headings that an unclosed fence cannot hide.
RAW_HEADING_OPENING_RE = re.compile(r"^ {0,3}#{3,6}[ \t]+(.{0,32})", re.M)


def split_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [BR_RE.sub("\n", cell).strip() for cell in re.split(r"(?<!\\)\|", line)]


def tokenize(text: str, *, table_continuation: bool = False) -> list[Block]:
    """Markdown lines to blocks.

    ``table_continuation``: the text snapshot wraps a table cell that held ``<br>``
    over several lines, blank ones among them; a blank line then does not end the table.
    """
    blocks: list[Block] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraph: list[str] = []
    table: Table | None = None
    in_fence = False
    separator_row = -1

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(Item(" ".join(paragraph), is_bullet=False))
            paragraph.clear()

    for index, line in enumerate(lines):
        if index == separator_row:
            continue
        if FENCE_RE.match(line):
            flush_paragraph()
            table = None
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        stripped = line.strip()
        heading = HEADING_RE.match(line)
        if table is not None:
            ends_table = heading or RAW_ANCHOR_RE.match(line) or BULLET_RE.match(line) or stripped == "---"
            if "|" in stripped and not ends_table:
                table.rows.append(split_cells(line))
                continue
            # A line with no pipe continues the row above (GFM keeps it in the table);
            # the text snapshot also puts blank lines inside a wrapped cell.
            if stripped and not ends_table and table.rows:
                table.rows[-1][-1] += "\n" + BR_RE.sub("\n", stripped)
                continue
            if not stripped and table_continuation:
                continue
            table = None
        if not stripped:
            flush_paragraph()
            continue
        if heading:
            flush_paragraph()
            text, anchor = heading.group(2), None
            hash_link = HASH_LINK_RE.search(text)
            if hash_link:
                text = text[: hash_link.start()]
                anchor = hash_link.group(1).rpartition("#")[2] or None
            blocks.append(Heading(level=len(heading.group(1)), text=text.strip(), anchor=anchor))
            continue
        raw_anchor = RAW_ANCHOR_RE.match(line)
        if raw_anchor:
            flush_paragraph()
            blocks.append(Anchor(raw_anchor.group(1)))
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if "|" in stripped and TABLE_SEPARATOR_RE.match(next_line) and "-" in next_line:
            flush_paragraph()
            table = Table(header=split_cells(line))
            separator_row = index + 1
            blocks.append(table)
            continue
        bullet = BULLET_RE.match(line)
        if bullet and stripped != "---":
            flush_paragraph()
            blocks.append(Item(BR_RE.sub("\n", bullet.group(1))))
            continue
        if stripped == "---" or line.startswith("    ") and not paragraph:
            flush_paragraph()  # thematic break, or an indented code block
            continue
        if blocks and isinstance(blocks[-1], Item) and blocks[-1].is_bullet and not paragraph:
            # a wrapped bullet: the line continues the item above
            blocks[-1].text += " " + stripped
            continue
        paragraph.append(BR_RE.sub("\n", stripped))
    flush_paragraph()
    return blocks


def count_code_headings(text: str, where: str) -> HeadingCount:
    """Code headings in Markdown, counted line by line: distinct numbers that '###'…'######' lines open with."""
    return HeadingCount(len(code_like_numbers(RAW_HEADING_OPENING_RE.findall(text))), where, "an unclosed code fence")


def detect_locale(blocks: list[Block]) -> str:
    title = next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "")
    return "zh-CN" if CJK_RE.search(title) else "en"


def read_markdown(text: str, source: SourceInfo) -> list[ParsedCopy]:
    blocks = tokenize(text)
    locale = detect_locale(blocks)
    expected = count_code_headings(text, "Markdown source")
    return [interpret(blocks, locale=locale, page_url=DEFAULT_PAGE_URLS[locale], source=source, expected=expected)]
