"""The site as pages see it: everything a page may link to, and the guidance and facts held against the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scraper.catalog import filterdefs, guidance, upstream_docs
from scraper.catalog.chinese import ChineseCopy
from scraper.catalog.inputs import GUIDANCE_ZH_FILE, Inputs
from scraper.catalog.model import ScrapeError
from scraper.facts import enrich, relations
from scraper.site import paths
from scraper.site.paths import html_href, src_of

# --- the site model -----------------------------------------------------------


@dataclass
class Site:
    """Everything a page may link to, computed once from the data."""
    data: dict
    codes: dict[int, dict]
    filters: dict[str, dict]
    messages: dict[str, dict]  # text -> row
    message_slug: dict[str, str]
    table_links: dict[str, list[str]]
    code_links: dict[int, list[int]]
    history: dict = field(default_factory=dict)
    curated: "Curated | None" = None
    section_pages: list[dict] = field(default_factory=list)
    site_url: str = ""  # the hosted root, for absolute links; "" keeps them relative
    locale: str = "en"  # the language of the pages: "en", or "zh-CN" (the tree under zh/)
    chinese: ChineseCopy | None = None  # upstream's Chinese error page, for the zh-CN pages

    @classmethod
    def of(
        cls, data: dict, history: dict | None = None, curated: "Curated | None" = None, site_url: str = "",
        locale: str = "en", chinese: ChineseCopy | None = None,
    ) -> "Site":
        site = cls(
            data=data,
            codes={c["code"]: c for c in data["codes"]},
            filters={r["filter"]: r for r in data["filter_failures"]},
            messages={r["text"]: r for r in data["engine_messages"]},
            message_slug=paths.message_slugs([r["text"] for r in data["engine_messages"]]),
            table_links=relations.table_relations(data),
            code_links=relations.code_relations(data),
            history=history or {"entries": [], "seen": {}, "removed_codes": []},
            curated=curated,
            site_url=site_url,
            locale=locale,
            chinese=chinese if locale != "en" else None,
        )
        site.section_pages = _section_pages(site)
        return site

    def facts(self, section: str, key: str) -> dict | None:
        return self.curated.facts[section].get(key) if self.curated else None

    def definition(self, name: str) -> dict | None:
        return self.curated.definitions.get(name) if self.curated else None

    def seen(self, key: str) -> dict | None:
        return self.history["seen"].get(key)

    def removed_codes(self) -> list[dict]:
        present = set(self.codes)
        return [c for c in self.history["removed_codes"] if c["code"] not in present]

    def code_src(self, code: int) -> str:
        return src_of(paths.code_path(code))

    def filter_src(self, name: str) -> str:
        return src_of(paths.filter_path(name))

    def message_src(self, text: str) -> str:
        return src_of(paths.message_path(self.message_slug[text]))

    def key_src(self, key: str) -> str:
        kind, _, value = key.partition(":")
        return self.filter_src(value) if kind == "filter" else self.message_src(value)

    def section_src(self, title: str) -> str:
        for page in self.section_pages:
            if page["title"] == title:
                return page["src"]
        return "index.md"

    def href_for(self, from_src: str, href: str) -> str | None:
        """An upstream link that lands on one of this site's pages, as a link from ``from_src``; None otherwise."""
        target = self.resolve_upstream_link(href)
        return html_href(from_src, target) if target is not None else None

    def resolve_upstream_link(self, href: str) -> str | None:
        """A link to the upstream error page becomes this site's page for the same thing."""
        parts = urlsplit(href)
        if not parts.path.rstrip("/").endswith("/errors") or not parts.fragment:
            return None
        fragment = parts.fragment
        for code in self.data["codes"]:
            if code["anchors"].get("en", "").endswith("#" + fragment) and code["origin"] == "heading":
                return paths.code_path(code["code"])
        for page in self.section_pages:
            if fragment in page["aliases"] or any(url.endswith("#" + fragment) for url in page["anchors"].values()):
                return page["url"]
        return None


def _section_kind(site: Site, section: dict) -> str:
    en = section["anchors"].get("en")
    if any(r["anchors"].get("en") == en for r in site.data["filter_failures"]):
        return "filters"
    if any(r["anchors"].get("en") == en for r in site.data["engine_messages"]):
        return "messages"
    return "codes"


def _section_pages(site: Site) -> list[dict]:
    pages = []
    for section in site.data["sections"]:
        kind = _section_kind(site, section)
        if kind == "filters":
            url = paths.FILTERS_INDEX
        elif kind == "messages":
            url = paths.MESSAGES_INDEX
        else:
            url = paths.section_path(paths.section_slug(section["title"]))
        pages.append(
            {
                "title": section["title"],
                "kind": kind,
                "url": url,
                "src": src_of(url),
                "anchors": section["anchors"],
                "aliases": section["aliases"],
            }
        )
    return pages


# --- curated guidance and derived facts ------------------------------------------


@dataclass
class Curated:
    """What the project wrote beside the data (guidance) and what is derived from it (facts)."""
    facts: dict  # scraper.enrich.enrich(): {"codes": {"-1021": …}, "filters": {…}, "messages": {…}}
    filters: dict | None  # the upstream filters page (data/filters.json)
    definitions: dict[str, dict]
    reviewed: str = ""  # when the guidance was last checked against upstream's docs
    docs: upstream_docs.PageFacts = field(default_factory=upstream_docs.PageFacts)  # what upstream's docs add
    statuses: dict | None = None  # data/statuses.json: HTTP statuses, stream errors, reject reasons

    @classmethod
    def of(cls, inputs: Inputs, locale: str = "en") -> "Curated":
        """Guidance held against the data, with the facts derived from the text, the filters page and ccxt's table;
        for ``locale`` "zh-CN", the guidance's texts are the Chinese translation's."""
        guidance.require_translation(inputs.guidance, inputs.guidance_zh)  # a key the Chinese lacks fails the build
        written = inputs.guidance
        if locale != "en":
            if inputs.guidance_zh is None:
                raise ScrapeError(f"data/{GUIDANCE_ZH_FILE}: no {locale} guidance to build the {locale} pages from")
            written = guidance.localized(inputs.guidance, inputs.guidance_zh)
        # Guidance for a code or message upstream removed stays for its removed page;
        # any other key the data lacks fails the build (enrich raises).
        gone = _removed_keys(inputs.changes)
        curated = {
            section: {k: v for k, v in written.get(section, {}).items() if k not in gone[section]}
            for section in guidance.SECTIONS
        }
        facts = enrich.enrich(inputs.errors, curated, inputs.filters, inputs.ccxt)
        facts |= enrich.status_facts(written, inputs.statuses)
        return cls(
            facts=facts, filters=inputs.filters, definitions=filterdefs.by_name(inputs.filters),
            reviewed=written["reviewed"], docs=inputs.docs, statuses=inputs.statuses,
        )


def _removed_keys(history: dict | None) -> dict[str, set[str]]:
    gone: dict[str, set[str]] = {section: set() for section in guidance.SECTIONS}
    for key, seen in (history or {}).get("seen", {}).items():
        if seen.get("removed"):
            kind, _, value = key.partition(":")
            gone[{"code": "codes", "filter": "filters", "message": "messages"}[kind]].add(value)
    return gone
