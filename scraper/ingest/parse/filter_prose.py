"""The prose of one filter on upstream's filters page: its blocks, parameters and rule lines.

``filters.py`` finds the filters; this reads what each one's section says: paragraphs,
list items and the example fence, what each parameter of the example means, and the
formulas the filter enforces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scraper.catalog.model import ScrapeError

from .blocks import normalize_inline

FENCE_RE = re.compile(r"^\s*(```|~~~)")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM_RE = re.compile(r"^(\s*)([*+-]|\d+[.)])\s+(.*)$")
# "**/exchangeInfo format:**" or "**/myFilters format:**": the label of the example fence.
EXAMPLE_LABEL_RE = re.compile(r"^\*\*(/\w+) format:\*\*$")
# A parameter bullet starts with the parameter in a code span: "`minQty` defines …".
PARAM_BULLET_RE = re.compile(r"^`([A-Za-z][A-Za-z0-9]*)`\s+(.*)$")
# A rule bullet is a formula and nothing else: "`price` * `quantity` >= `minNotional`".
# Prose with a comparison in it ("…; disabled on `minPrice` == 0.") is not a rule.
RULE_RE = re.compile(r"^[A-Za-z0-9_ .*/%()]+?\s(?:>=|<=|==|!=|>|<)\s[A-Za-z0-9_ .*/%()]+$")



@dataclass
class Parameter:
    name: str
    meaning: str | None  # Markdown inline, from the bullet that defines it; None when upstream only shows it
    example: Any  # the value upstream's example JSON gives


@dataclass
class RuleGroup:
    """Rule lines under one lead-in ("A `BUY` order will pass this filter evaluation if:")."""
    lead: str  # Markdown inline
    lines: list[str]  # plain formulas: "quantity % stepSize == 0"


@dataclass
class Paragraph:
    text: str


@dataclass
class ListItem:
    depth: int
    ordered: bool
    text: str


@dataclass
class Code:
    text: str
    label: str | None  # the endpoint named by the "**/x format:**" line before it


def body_blocks(lines: list[str]) -> list[Paragraph | ListItem | Code]:
    """One heading's lines as paragraphs, list items (with depth) and fenced code."""
    blocks: list[Paragraph | ListItem | Code] = []
    paragraph: list[str] = []
    fence: list[str] | None = None
    label: str | None = None

    def flush() -> None:
        nonlocal label
        if paragraph:
            text = " ".join(paragraph)
            match = EXAMPLE_LABEL_RE.match(text)
            if match:
                label = match.group(1)  # the label belongs to the fence, not to the prose
            else:
                blocks.append(Paragraph(text))
            paragraph.clear()

    for line in lines:
        if FENCE_RE.match(line):
            if fence is None:
                flush()
                fence = []
            else:
                blocks.append(Code("\n".join(fence), label))
                fence, label = None, None
            continue
        if fence is not None:
            fence.append(line)
            continue
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        item = LIST_ITEM_RE.match(line)
        if item:
            flush()
            depth = len(item.group(1).expandtabs()) // 2
            blocks.append(ListItem(depth, item.group(2)[0].isdigit(), item.group(3).strip()))
            continue
        if blocks and isinstance(blocks[-1], ListItem) and not paragraph and line.startswith(" "):
            blocks[-1].text += " " + stripped  # a wrapped list item
            continue
        paragraph.append(stripped)
    if fence is not None:
        raise ScrapeError("unclosed code fence")
    flush()
    return blocks


def markdown_of(blocks: list[Paragraph | ListItem], page_url: str) -> str:
    """Blocks back to Markdown that Python-Markdown (MkDocs) reads as upstream meant it.

    Upstream often starts a list right under a paragraph and nests with two spaces;
    Python-Markdown needs a blank line before a list and four spaces per level.
    """
    parts: list[str] = []
    previous_was_item = False
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(normalize_inline(block.text, page_url))
            previous_was_item = False
            continue
        marker = "1." if block.ordered else "*"
        line = "    " * block.depth + f"{marker} {normalize_inline(block.text, page_url)}"
        if previous_was_item:
            parts[-1] += "\n" + line  # the same list: no blank line between its items
        else:
            parts.append(line)
        previous_was_item = True
    return "\n\n".join(parts)


def plain_formula(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("`", "")).strip()


def first_sentence(text: str) -> str:
    return re.split(r"(?<=\.)\s+", text, maxsplit=1)[0]


def summary_of(paragraph: str) -> str:
    """The first paragraph without a closing lead-in ("… There are 3 parts:")."""
    sentences = re.split(r"(?<=[.:])\s+", paragraph)
    if len(sentences) > 1 and sentences[-1].endswith(":"):
        sentences = sentences[:-1]
    return " ".join(sentences)


def parameters_of(prose: list[Paragraph | ListItem], example: dict[str, Any], summary: str, page_url: str) -> list[Parameter]:
    """Every field of the example JSON but filterType, with what upstream says it means.

    The meaning is, in order: the bullet that starts with the parameter ("`minQty` defines …");
    for a filter with a single parameter, the summary's first sentence (it defines that one
    number: "… defines the maximum number of orders …"); a bullet that names it in code and
    does not define another of the filter's parameters (a rule line comes with the sentence
    that leads into it: "A `BUY` order will pass … if: `price` <= … * `bidMultiplierUp`");
    else the summary or the bullets that use it as a plain word (MAX_ASSET's asset and limit).
    None when upstream only shows the field.
    """
    items = [b for b in prose if isinstance(b, ListItem)]
    names = [name for name in example if name != "filterType"]
    meanings: dict[str, str] = {}
    for item in items:
        match = PARAM_BULLET_RE.match(item.text)
        if match and match.group(1) in names:
            meanings.setdefault(match.group(1), normalize_inline(item.text, page_url))
    if len(names) == 1 and names[0] not in meanings:
        meanings[names[0]] = first_sentence(summary)
    for name in names:
        if name not in meanings:
            meaning = _mention(prose, names, name, page_url) or _plain_mention(items, summary, name, page_url)
            if meaning:
                meanings[name] = meaning
    return [Parameter(name=name, meaning=meanings.get(name), example=example[name]) for name in names]


def _mention(prose: list[Paragraph | ListItem], names: list[str], name: str, page_url: str) -> str | None:
    """The first bullet naming ``name`` in code that does not define another of ``names``."""
    lead = ""
    for block in prose:
        if isinstance(block, Paragraph):
            lead = normalize_inline(block.text, page_url)
            continue
        defines = PARAM_BULLET_RE.match(block.text)
        if f"`{name}`" not in block.text or (defines and defines.group(1) in names):
            continue
        text = normalize_inline(block.text, page_url)
        is_rule = RULE_RE.match(plain_formula(block.text)) and lead.endswith(":")
        return f"{lead} {text}" if is_rule else text
    return None


def _plain_mention(items: list[ListItem], summary: str, name: str, page_url: str) -> str | None:
    """The summary when it uses ``name`` as a plain word, else every bullet that does."""
    word = re.compile(rf"(?<![`\w]){re.escape(name)}(?![`\w])")
    if word.search(summary):
        return first_sentence(summary)
    found = [normalize_inline(item.text, page_url) for item in items if word.search(item.text)]
    return " ".join(found) or None


def rules_of(blocks: list[Paragraph | ListItem], page_url: str) -> list[RuleGroup]:
    groups: list[RuleGroup] = []
    lead = ""
    for block in blocks:
        if isinstance(block, Paragraph):
            lead = normalize_inline(block.text, page_url)
            continue
        formula = plain_formula(block.text)
        if not RULE_RE.match(formula):
            continue
        if groups and groups[-1].lead == lead:
            groups[-1].lines.append(formula)
        else:
            groups.append(RuleGroup(lead=lead, lines=[formula]))
    return groups


