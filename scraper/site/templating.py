"""Where the templates live, and the includes Python reads: the markup macros, the labels and the feed.

Python holds no HTML and no display wording: the inline converter asks ``_markup.html.j2``
for its tags, and views, the generated config and the search index take their labels
from ``_labels.md.j2``, the one place pages take them from too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scraper.catalog.store import ROOT

TEMPLATES = ROOT / "templates"
ASSETS = TEMPLATES / "assets"


@dataclass(frozen=True)
class Labels:
    retry: dict[str, str]  # retry class -> badge text
    kinds: dict[str, str]  # code / filter / message -> what the search box calls a match
    row_kinds: dict[str, str]  # the same, as a list item names it in running text
    sections: dict[str, str]  # the table index pages' navigation titles
    all_of: dict[str, str]  # a row page's link back to its table index
    locales: dict[str, str]  # upstream locale -> its name
    ccxt_rules: dict[str, str]  # how ccxt matched a response -> its wording
    removed_upstream: str
    unknown_date: str
    report_title: str  # a new issue's title; {page} is the page's path
    report_body: str
    docs: dict[str, str]  # upstream's doc files, as a source names them
    http_reasons: dict[str, str]  # the reason phrase of each HTTP status page
    status_titles: dict[str, str]  # the titles of the status, stream error and reasons pages

    def locale(self, locale: str) -> str:
        return self.locales.get(locale, locale)


@cache
def _includes() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def tags():
    """The macros that write HTML tags around text markup.py has already escaped."""
    return include("_markup.html.j2").module


def include(name: str):
    """A template outside the page set (the feed), rendered with autoescape and no Markdown escaping."""
    return _includes().get_template(name)


@cache
def labels() -> Labels:
    module = include("_labels.md.j2").module
    return Labels(
        retry=dict(module.retry),
        kinds=dict(module.kinds),
        row_kinds=dict(module.row_kinds),
        sections=dict(module.sections),
        all_of=dict(module.all_of),
        locales=dict(module.locales),
        ccxt_rules=dict(module.ccxt_rules),
        removed_upstream=module.removed_upstream,
        unknown_date=module.unknown_date,
        report_title=module.report_title,
        report_body=module.report_body,
        docs=dict(module.docs),
        http_reasons=dict(module.http_reasons),
        status_titles=dict(module.status_titles),
    )
