"""Upstream's Markdown docs as sections: a heading and what it holds, subsections included."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.ingest.parse.blocks import slugify
from scraper.ingest.parse.filter_prose import FENCE_RE, HEADING_RE


@dataclass(frozen=True)
class Section:
    doc: str  # upstream path: testnet/rest-api.md
    title: str  # the heading's text, as written
    anchor: str  # GitHub's id for the heading
    text: str  # heading to the next heading of the same or a higher level, subsections included


def sections(doc: str, markdown: str) -> list[Section]:
    """The sections of one Markdown file, in order; headings inside code fences are code."""
    headings: list[tuple[int, int, str]] = []  # line index, level, title
    lines = markdown.splitlines()
    fenced = False
    for index, line in enumerate(lines):
        if FENCE_RE.match(line):
            fenced = not fenced
        elif not fenced and (match := HEADING_RE.match(line)):
            headings.append((index, len(match[1]), match[2]))
    found, seen = [], {}
    for position, (start, level, title) in enumerate(headings):
        end = next((i for i, lvl, _ in headings[position + 1:] if lvl <= level), len(lines))
        slug = slugify(title)  # GitHub and Docusaurus give headings the same ids (github-slugger)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.append(Section(doc, title, f"{slug}-{count}" if count else slug, "\n".join(lines[start + 1:end])))
    return found
