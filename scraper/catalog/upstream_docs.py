"""Upstream's own documentation, vendored under ``upstream/docs/``: the sections guidance rests on.

Each guidance entry names its sources: an upstream file, a section of it (a heading's text)
and a quote that section holds.  ``problems`` checks every quote against the vendored
copies, so a claim whose source changes or goes away upstream shows up instead of standing
on text that no longer says it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scraper.catalog.model import ScrapeError
from scraper.ingest.parse.filter_prose import FENCE_RE, HEADING_RE
from scraper.ingest.parse.sections import Section, sections

# Markup that renders as nothing: a quote is compared as the reader sees the text.
_MARKUP = re.compile(r"[`*_|>]|\\(?=[^\s])")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain(text: str) -> str:
    """Text as a reader sees it: links as their words, no inline markup, whitespace collapsed."""
    return " ".join(_MARKUP.sub("", _LINK.sub(r"\1", text)).split())


def load(files: dict[str, Path]) -> dict[str, list[Section]]:
    """The sections of each upstream file, by its upstream path."""
    loaded = {}
    for doc, path in files.items():
        try:
            loaded[doc] = sections(doc, Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ScrapeError(f"{path}: no such file (upstream's {doc})") from None
    return loaded


def find(docs: dict[str, list[Section]], source: dict) -> Section | None:
    """The section a source names, when it holds the quote.  The first heading of that title:
    the one a link to the title's anchor opens."""
    titled = next((s for s in docs.get(source["doc"], []) if s.title == source["section"]), None)
    return titled if titled and plain(source["quote"]) in plain(titled.text) else None


def problem(docs: dict[str, list[Section]], source: dict) -> str | None:
    """Why a source does not hold, in one line; None when it does."""
    if source["doc"] not in docs:
        return f"{source['doc']}: not a vendored upstream file"
    if not any(s.title == source["section"] for s in docs[source["doc"]]):
        return f"{source['doc']}: no section titled {source['section']!r}"
    if find(docs, source) is None:
        return f"{source['doc']} › {source['section']}: does not say {source['quote']!r}"
    return None


_ERROR_EXAMPLE = re.compile(r'"code":\s*(-\d+),\s*"msg":\s*"((?:[^"\\]|\\.)*)"')
_KEY_BEFORE = re.compile(r'"(\w+)"\s*:\s*$')


def error_examples(files: dict[str, Path]) -> dict[str, list[str]]:
    """The error responses upstream's docs show as examples: code -> messages, best evidence first.

    What upstream picks to illustrate a code is the best evidence of what users get.  A whole
    error response (the WebSocket API's "Response format": -2010, "Account has insufficient
    balance …") weighs more than the part of a compound one (cancelReplace's
    ``newOrderResponse``); then the number of times a message is shown."""
    weights: dict[str, dict[str, tuple[int, int]]] = {}
    for path in files.values():
        text = Path(path).read_text(encoding="utf-8")
        for match in _ERROR_EXAMPLE.finditer(text):
            brace = text.rfind("{", 0, match.start())
            key = _KEY_BEFORE.search(text[max(0, brace - 80):brace])
            whole = key is None or key[1] == "error"
            shown = weights.setdefault(match[1], {})
            was_whole, count = shown.get(match[2], (0, 0))
            shown[match[2]] = (max(was_whole, int(whole)), count + 1)
    return {code: sorted(shown, key=lambda m: (-shown[m][0], -shown[m][1])) for code, shown in sorted(weights.items())}


@dataclass(frozen=True)
class Intro:
    doc: str
    paragraph: str  # upstream's Markdown inline
    example: str | None  # the fenced example below it, as written


def intro(files: dict[str, Path], doc: str) -> Intro | None:
    """What a page says before its first section: the error page's "Errors consist of two parts …"
    and its payload example.  None when the file is not there or says nothing first."""
    if doc not in files:
        return None
    paragraph, example = _opening(Path(files[doc]).read_text(encoding="utf-8").splitlines()[1:])
    return Intro(doc, paragraph, example) if paragraph else None


def section_leads(files: dict[str, Path], doc: str) -> dict[str, str]:
    """Each section's opening paragraph, by the section's title: what upstream says of codes it
    names only in a section's title ("This code is sent when an error has been returned by the
    matching engine.")."""
    if doc not in files:
        return {}
    leads = {}
    for section in sections(doc, Path(files[doc]).read_text(encoding="utf-8")):
        paragraph, _ = _opening(section.text.splitlines())
        if paragraph:
            leads.setdefault(section.title, paragraph)
    return leads


def _opening(lines: list[str]) -> tuple[str, str | None]:
    """The first paragraph (up to a blank line, heading, table or list) and a fenced block right after it."""
    paragraph: list[str] = []
    example: list[str] = []
    fenced = False
    for line in lines:
        if FENCE_RE.match(line):
            if fenced:
                break
            fenced = True
        elif fenced:
            example.append(line)
        elif not line.strip():
            if paragraph:
                break
        elif HEADING_RE.match(line) or "|" in line or line.lstrip().startswith(("* ", "- ")):
            break
        else:
            paragraph.append(line.strip())
    return " ".join(paragraph), "\n".join(example) if example else None


@dataclass(frozen=True)
class PageFacts:
    """What upstream's docs add to the error page's own text, read once for every stage after it."""
    examples: dict[str, list[str]] = field(default_factory=dict)  # code -> messages shown for it, best first
    intro: Intro | None = None  # what the error page says before its first section
    section_leads: dict[str, str] = field(default_factory=dict)  # section title -> its opening paragraph


def page_facts(files: dict[str, Path], error_page: str) -> PageFacts:
    return PageFacts(error_examples(files), intro(files, error_page), section_leads(files, error_page))
