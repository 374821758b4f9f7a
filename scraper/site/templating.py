"""Where the templates live, and the includes Python reads: the markup macros, the labels and the feed.

Python holds no HTML and no display wording: the inline converter asks ``_markup.html.j2``
for its tags, and views, the generated config and the search index take their labels
from ``_labels.md.j2``, the one place pages take them from too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Callable

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scraper.catalog.model import ScrapeError
from scraper.catalog.store import ROOT

TEMPLATES = ROOT / "templates"
ASSETS = TEMPLATES / "assets"
# The site's languages: English, the templates' own wording, and the translations in templates/locale/.
LOCALES = ("en", "zh-CN")
DEFAULT_LOCALE = "en"
CATALOGS = TEMPLATES / "locale"


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
    nav: dict[str, str]  # the navigation's home and changes entries
    date_format: str  # a day as the pages write it: {year}, {month}, {day}
    not_found: dict[str, str]  # the 404 page's wording
    site: dict[str, str]  # the site's name and description
    panel: dict[str, str]  # the search box's answer panel

    def locale(self, locale: str) -> str:
        return self.locales.get(locale, locale)

    def date(self, text: str) -> str:
        """A day of the data (2026-03-09) as the language writes it; any other text as it is."""
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text or "")
        if not match:
            return text
        year, month, day = (int(part) for part in match.groups())
        return self.date_format.format(year=year, month=month, day=day)


@cache
def catalog(locale: str) -> dict[str, str]:
    """The templates' English wording -> the locale's ({} for English, the templates' own)."""
    if locale == DEFAULT_LOCALE:
        return {}
    path = CATALOGS / f"{locale}.yaml"
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScrapeError(f"{path}: {str(error).splitlines()[0]}") from None
    if not isinstance(entries, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in entries.items()):
        raise ScrapeError(f"{path}: expected a mapping of English wording to its translation")
    return entries


def gettext(locale: str) -> Callable[[str], str]:
    """The locale's translation of a template's wording; a wording the catalog lacks fails the build."""
    entries = catalog(locale)
    if locale == DEFAULT_LOCALE:
        return lambda message: message

    def translate(message: str) -> str:
        if message not in entries:
            raise ScrapeError(f"{CATALOGS / (locale + '.yaml')}: no translation of {message!r}")
        return entries[message]

    return translate


def install_locale(env: Environment, locale: str) -> Environment:
    """Make ``_("...")`` and ``{% trans %}`` in ``env``'s templates speak ``locale``."""
    translate = gettext(locale)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translate, lambda one, many, n: translate(one if n == 1 else many), newstyle=True
    )
    env.globals["locale"] = locale
    return env


@cache
def _includes(locale: str = DEFAULT_LOCALE) -> Environment:
    return install_locale(
        Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            extensions=["jinja2.ext.do"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        ),
        locale,
    )


@cache
def tags(locale: str = DEFAULT_LOCALE):
    """The macros that write HTML tags around text markup.py has already escaped."""
    return include("_markup.html.j2", locale).module


def include(name: str, locale: str = DEFAULT_LOCALE):
    """A template outside the page set (the feed), rendered with autoescape and no Markdown escaping."""
    return _includes(locale).get_template(name)


def _plain(mapping) -> dict[str, str]:
    return {str(key): str(value) for key, value in mapping.items()}


@cache
def labels(locale: str = DEFAULT_LOCALE) -> Labels:
    # _("...") gives Markup under autoescape; Python gets plain text and escapes it where it lands
    # (Markup would escape what it is joined with or formatted with, and pass md_text's escaping by)
    module = include("_labels.md.j2", locale).module
    return Labels(
        retry=_plain(module.retry),
        kinds=_plain(module.kinds),
        row_kinds=_plain(module.row_kinds),
        sections=_plain(module.sections),
        all_of=_plain(module.all_of),
        locales=_plain(module.locales),
        ccxt_rules=_plain(module.ccxt_rules),
        removed_upstream=str(module.removed_upstream),
        unknown_date=str(module.unknown_date),
        report_title=str(module.report_title),
        report_body=str(module.report_body),
        docs=_plain(module.docs),
        http_reasons=_plain(module.http_reasons),
        status_titles=_plain(module.status_titles),
        nav=_plain(module.nav),
        date_format=str(module.date_format),
        not_found=_plain(module.not_found),
        site=_plain(module.site),
        panel=_plain(module.panel),
    )
