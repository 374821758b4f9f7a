"""errors.json -> the Markdown pages, assets and generated config MkDocs builds.

The generated ``docs/`` is an output, written whole into a scratch folder that
``scraper.transaction`` publishes, so a failed render leaves the previous one in place.  Pages are
built from view models made here; templates only lay them out.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from scraper.facts import enrich
from scraper.site import feed
from scraper.catalog import filterdefs
from scraper.catalog import guidance
from scraper.site import paths
from scraper.facts import relations
from scraper.search import search_index
from scraper.catalog import store
from scraper.site.markup import code_fence, md_inline, md_text, placeholder_help, safe_url, front_matter_value
from scraper.catalog.model import UPSTREAM_SITE, carrier_codes
from scraper.catalog.inputs import Inputs
from scraper.catalog.store import ROOT, dumps

TEMPLATES = ROOT / "templates"
ASSETS = TEMPLATES / "assets"
GENERATED_CONFIG = ".generated.yml"  # MkDocs skips dot files: never published
LOCALE_LABELS = {"en": "English", "zh-CN": "简体中文"}
FILTER_DOCS_URL = f"{UPSTREAM_SITE}/docs/binance-spot-api-docs/testnet/filters"


# --- URLs ---------------------------------------------------------------------


INDEX_URLS = ("", paths.FILTERS_INDEX, paths.MESSAGES_INDEX, paths.CHANGES_PAGE)


def src_of(url_path: str) -> str:
    """'codes/-1013/' -> 'codes/-1013.md'; 'filters/' -> 'filters/index.md'."""
    return url_path + "index.md" if url_path in INDEX_URLS else url_path.rstrip("/") + ".md"


def url_of(src: str) -> str:
    """The inverse: 'codes/-1013.md' -> 'codes/-1013/'; 'index.md' -> ''."""
    return src[: -len("index.md")] if src.endswith("index.md") else src[: -len(".md")] + "/"


def md_href(from_src: str, to_src: str) -> Markup:
    """A Markdown link target from one page source to another; MkDocs checks it in strict mode."""
    return Markup(posixpath.relpath(to_src, posixpath.dirname(from_src) or "."))


def html_href(from_src: str, to_url: str) -> str:
    """A URL for raw HTML (MkDocs does not rewrite those): relative to the page's served URL."""
    relative = posixpath.relpath(to_url or ".", url_of(from_src) or ".")
    return "./" if relative == "." else relative + "/"


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

    @classmethod
    def of(cls, data: dict, history: dict | None = None, curated: "Curated | None" = None) -> "Site":
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

    @classmethod
    def of(cls, inputs: Inputs) -> "Curated":
        """Guidance held against the data, with the facts derived from the text, the filters page and ccxt's table."""
        # Guidance for a code or message upstream removed stays for its removed page;
        # any other key the data lacks fails the build (enrich raises).
        gone = _removed_keys(inputs.changes)
        curated = {
            section: {k: v for k, v in inputs.guidance.get(section, {}).items() if k not in gone[section]}
            for section in guidance.SECTIONS
        }
        facts = enrich.enrich(inputs.errors, curated, inputs.filters, inputs.ccxt)
        return cls(facts=facts, filters=inputs.filters, definitions=filterdefs.by_name(inputs.filters))


def _removed_keys(history: dict | None) -> dict[str, set[str]]:
    gone: dict[str, set[str]] = {section: set() for section in guidance.SECTIONS}
    for key, seen in (history or {}).get("seen", {}).items():
        if seen.get("removed"):
            kind, _, value = key.partition(":")
            gone[{"code": "codes", "filter": "filters", "message": "messages"}[kind]].add(value)
    return gone


def published_data(data: dict, facts: dict) -> dict:
    """errors.json as the site publishes it: the scraped data plus each entry's retry class and channels."""
    published = json.loads(json.dumps(data))
    for code in published["codes"]:
        found = facts["codes"].get(str(code["code"]), {})
        code["retry"], code["channels"] = found.get("retry"), found.get("channels", [])
    for section, rows, key in (("messages", published["engine_messages"], "text"), ("filters", published["filter_failures"], "filter")):
        for row in rows:
            found = facts[section].get(row[key], {})
            row["retry"], row["channels"] = found.get("retry"), found.get("channels", [])
    return published


RETRY_LABELS = {
    "backoff": "Retry with backoff",
    "fix-request": "Fix the request",
    "check-account": "Check the account or API keys",
    "do-not-retry": "Do not retry",
}


def facts_view(site: Site, src: str, found: dict | None) -> dict | None:
    """Why it happened, what to do, and what is derived from the text, for one page."""
    if not found:
        return None
    inline = lambda text: md_inline(text, lambda h: _site_href(site, src, h))  # noqa: E731
    return {
        "retry": found["retry"],
        "retry_label": md_text(RETRY_LABELS.get(found["retry"], found["retry"])),
        "channels": [md_text(c) for c in found["channels"]],
        "execution_unknown": found["execution_unknown"],
        "check_status": inline(found["check_status"]) if found.get("check_status") else None,
        "causes": [inline(c) for c in found.get("causes", [])],
        "fix": [inline(f) for f in found.get("fix", [])],
        "ccxt": [{"exception": md_text(g["exception"]), "rule": md_text(_ccxt_rule(g))} for g in found.get("ccxt", [])],
    }


def _ccxt_rule(group: dict) -> str:
    rule = {
        "code-exact": "matched on the code",
        "message-exact": "matched on the message",
        "message-broad": "matched on part of the message",
        "body-substring": "matched on part of the response body",
        "http-status": "matched on the HTTP status",
        "default": "ccxt's default",
    }.get(group["rule"], group["rule"])
    return rule


def definition_view(site: Site, src: str, name: str, example: dict | None) -> dict | None:
    """The filter as upstream's filters page defines it, and one worked example."""
    definition = site.definition(name)
    if not definition:
        return None
    inline = lambda text: md_inline(text, lambda h: _site_href(site, src, h))  # noqa: E731
    return {
        "summary": inline(definition["summary"]),
        "kind": md_text(definition["kind"]),
        "parameters": [
            {"name": md_text(p["name"]), "meaning": inline(p["meaning"]) if p.get("meaning") else md_text("—"), "example": md_text(p.get("example") or "")}
            for p in definition["parameters"]
        ],
        "rules": [{"lead": inline(r["lead"]) if r.get("lead") else "", "lines": code_fence("\n".join(r["lines"]), "text")} for r in definition["rules"] if r["lines"]],
        "exchange_info": code_fence(json.dumps(definition["example"], indent=2, ensure_ascii=False), "json") if definition.get("example") else None,
        "anchor": safe_url(definition["anchor"]),
        "worked": _worked_example(example),
    }


def _worked_example(example: dict | None) -> dict | None:
    if not example:
        return None

    def pairs(values: dict) -> Markup:
        return Markup(", ".join(f"<code>{md_text(k)}</code> = <code>{md_text(v)}</code>" for k, v in values.items()))

    return {
        "params": pairs(example.get("params", {})),
        "fails": pairs(example.get("fails", {})),
        "passes": pairs(example.get("passes", {})),
        "why": md_inline(example.get("why", "")),
    }


# --- view models ----------------------------------------------------------------


def _link(from_src: str, to_src: str, label: str) -> dict:
    # labels are upstream Markdown (code spans in messages); links inside them are dropped
    return {"href": md_href(from_src, to_src), "label": md_inline(label, lambda _: None)}


def _code_link(site: Site, from_src: str, code: int) -> dict:
    entry = site.codes[code]
    return _link(from_src, site.code_src(code), f"{code} {entry['name']}")


def _upstream_links(anchors: dict[str, str]) -> list[dict]:
    return [{"href": safe_url(url), "label": LOCALE_LABELS.get(locale, locale)} for locale, url in anchors.items()]


def _payload(code: int, message: str) -> Markup:
    return code_fence(json.dumps({"code": code, "msg": message}, ensure_ascii=False), "json")


def _carried_rows(site: Site, code: int) -> list[dict]:
    return [
        row
        for row in site.data["filter_failures"] + site.data["engine_messages"]
        if code in carrier_codes(row)
    ]


def _row_view(site: Site, from_src: str, row: dict) -> dict:
    src = site.filter_src(row["filter"]) if row.get("filter") else site.message_src(row["text"])
    found = site.facts("filters", row["filter"]) if row.get("filter") else site.facts("messages", row["text"])
    return {
        "link": _link(from_src, src, row["text"]),
        "description": md_inline(row["description"], lambda h: _site_href(site, from_src, h)),
        "kind": "filter failure" if row.get("filter") else "rejection message",
        "on_error_page": row.get("on_error_page", True),
        "retry": md_text(RETRY_LABELS.get(found["retry"], "")) if found else "",
        "channels": md_text(" · ".join(found["channels"])) if found else "",
    }


def _site_href(site: Site, from_src: str, href: str) -> str | None:
    target = site.resolve_upstream_link(href)
    return html_href(from_src, target) if target is not None else None


def _messages_view(site: Site, src: str, messages: list[dict]) -> list[Markup]:
    return [md_inline(m["text"], lambda h: _site_href(site, src, h), placeholders=True) for m in messages]


def _placeholders_view(messages: list[dict]) -> list[dict]:
    tokens = dict.fromkeys(p for m in messages for p in m["placeholders"])
    return [{"token": md_text(p), "help": md_text(placeholder_help(p))} for p in tokens]


def code_page(site: Site, code: dict) -> dict:
    src = site.code_src(code["code"])
    ordered = [c["code"] for c in site.data["codes"]]
    index = ordered.index(code["code"])
    carried = _carried_rows(site, code["code"])
    # A code that carries a table's messages is sent with one of them, not with its own summary line.
    if carried:
        example_text = carried[0]["plain"]
    else:
        example_text = code["messages"][0]["plain"] if code["messages"] else code["name"]
    return {
        "src": src,
        "title": front_matter_value(f"{code['code']} {code['name']}"),
        "heading": md_text(f"{code['code']} {code['name']}"),
        "code": code["code"],
        "description": front_matter_value(code["messages"][0]["plain"] if code["messages"] else code["name"]),
        "section": _link(src, site.section_src(code["section"]), code["section"]) if code["section"] else None,
        "origin_note": code["origin"] == "section-title",
        "messages": _messages_view(site, src, code["messages"]),
        "placeholders": _placeholders_view(code["messages"]),
        "translations": [
            {"locale": LOCALE_LABELS.get(locale, locale), "name": md_text(t["name"]), "messages": [md_inline(m) for m in t["messages"]]}
            for locale, t in code["translations"].items()
        ],
        "payload": _payload(code["code"], example_text),
        "upstream": _upstream_links(code["anchors"]),
        "carried_filters": [_row_view(site, src, r) for r in carried if r.get("filter")],
        "carried_messages": [_row_view(site, src, r) for r in carried if not r.get("filter")],
        "related": [_code_link(site, src, c) for c in site.code_links.get(code["code"], []) if c in site.codes],
        "seen": _seen_view(site.seen(f"code:{code['code']}")),
        "changes": md_href(src, src_of(paths.CHANGES_PAGE)),
        "facts": facts_view(site, src, site.facts("codes", str(code["code"]))),
        "previous": _code_link(site, src, ordered[index - 1]) if index > 0 else None,
        "next": _code_link(site, src, ordered[index + 1]) if index + 1 < len(ordered) else None,
        "short_link": Markup(f"{code['code']}/"),
        "site_root": Markup(html_href(src, "")),
    }


def _seen_view(seen: dict | None) -> dict | None:
    if not seen:
        return None
    return {
        "first_seen": md_text(seen["first_seen"]),
        "since_history_start": bool(seen.get("baseline")),
        "last_changed": md_text(seen["last_changed"]),
    }


def _carriers(site: Site, src: str, row: dict) -> list[dict]:
    return [_code_link(site, src, c) for c in carrier_codes(row) if c in site.codes]


def _related_rows(site: Site, src: str, key: str) -> list[dict]:
    views = []
    for other in site.table_links.get(key, []):
        kind, _, value = other.partition(":")
        label = site.filters[value]["text"] if kind == "filter" else value
        views.append({"link": _link(src, site.key_src(other), label), "kind": "filter failure" if kind == "filter" else "rejection message"})
    return views


def row_page(site: Site, row: dict) -> dict:
    is_filter = bool(row.get("filter"))
    src = site.filter_src(row["filter"]) if is_filter else site.message_src(row["text"])
    carriers = carrier_codes(row)
    key = f"filter:{row['filter']}" if is_filter else f"message:{row['text']}"
    return {
        "src": src,
        "is_filter": is_filter,
        "title": front_matter_value(row["text"]),
        "heading": md_text(row["text"]),
        "filter": md_text(row.get("filter") or ""),
        "description_meta": front_matter_value(row["description"].replace("\n", " ")),
        "message": md_inline(row["text"], placeholders=True),
        "description": md_inline(row["description"], lambda h: _site_href(site, src, h)),
        "carriers": _carriers(site, src, row),
        # one per code it comes with: which one a request gets depends on the request (new order, cancel, amend…)
        "payloads": [_payload(c, row["plain"]) for c in carriers],
        "upstream": _upstream_links(row["anchors"]),
        "filter_docs": safe_url(f"{FILTER_DOCS_URL}#{row['filter'].lower()}") if is_filter else None,
        "related": _related_rows(site, src, key),
        "seen": _seen_view(site.seen(key)),
        "changes": md_href(src, src_of(paths.CHANGES_PAGE)),
        "facts": facts_view(site, src, site.facts("filters" if is_filter else "messages", row["filter"] if is_filter else row["text"])),
        "definition": definition_view(site, src, row["filter"], (site.facts("filters", row["filter"]) or {}).get("example")) if is_filter else None,
        "on_error_page": row.get("on_error_page", True),
        "index": _link(src, src_of(paths.FILTERS_INDEX if is_filter else paths.MESSAGES_INDEX), "All filter failures" if is_filter else "All rejection messages"),
        "translations": [
            {"locale": LOCALE_LABELS.get(locale, locale), "text": md_inline(t["text"]), "description": md_inline(t["description"])}
            for locale, t in row["translations"].items()
        ],
    }


def _family(code: int) -> str:
    return f"{str(abs(code))[:2]}xx"


def section_page(site: Site, page: dict) -> dict:
    src = page["src"]
    codes = [c for c in site.data["codes"] if c["section"] == page["title"]]
    families: dict[str, list[dict]] = {}
    for code in codes:
        found = site.facts("codes", str(code["code"]))
        families.setdefault(_family(code["code"]), []).append(
            {
                "link": _code_link(site, src, code["code"]),
                "retry": md_text(RETRY_LABELS.get(found["retry"], "")) if found else "",
                "channels": md_text(" · ".join(found["channels"])) if found else "",
                "message": md_inline(code["messages"][0]["text"], lambda h: _site_href(site, src, h)) if code["messages"] else "",
            }
        )
    return {
        "src": src,
        "title": front_matter_value(page["title"]),
        "heading": md_text(page["title"]),
        "families": [{"name": name, "rows": rows} for name, rows in families.items()],
        "split": len(families) > 1,
        "upstream": _upstream_links(page["anchors"]),
        "count": len(codes),
    }


def table_index_page(site: Site, kind: str) -> dict:
    src = src_of(paths.FILTERS_INDEX if kind == "filters" else paths.MESSAGES_INDEX)
    rows = site.data["filter_failures"] if kind == "filters" else site.data["engine_messages"]
    section = next((p for p in site.section_pages if p["kind"] == kind), None)
    carriers = list(dict.fromkeys(c for r in rows for c in carrier_codes(r)))
    return {
        "src": src,
        "kind": kind,
        "title": front_matter_value(section["title"] if section else ("Filter failures" if kind == "filters" else "Rejection messages")),
        "heading": md_text(section["title"] if section else ("Filter failures" if kind == "filters" else "Rejection messages")),
        "rows": [_row_view(site, src, r) for r in rows],
        "carriers": [_code_link(site, src, c) for c in carriers if c in site.codes],
        "upstream": _upstream_links(section["anchors"]) if section else [],
    }


def home_page(site: Site) -> dict:
    data = site.data
    src = "index.md"
    primary = data["source"][data["primary_locale"]]
    return {
        "src": src,
        "title": front_matter_value(data["title"] or "Binance Spot API error reference"),
        "upstream_title": md_text(data["title"]),
        "counts": {
            "codes": len(data["codes"]),
            "filters": len(data["filter_failures"]),
            "filters_page_only": sum(not row.get("on_error_page", True) for row in data["filter_failures"]),
            "messages": len(data["engine_messages"]),
        },
        "sections": [_link(src, p["src"], p["title"]) | {"kind": p["kind"]} for p in site.section_pages],
        "sources": [
            {
                "locale": LOCALE_LABELS.get(locale, locale),
                "origin": md_text(source["origin"]),
                "format": source["format"],
                "retrieved_at": md_text(source["retrieved_at"] or "not stated by the source"),
                "sha256": source["sha256"][:12],
            }
            for locale, source in data["source"].items()
        ],
        "data_date": md_text(_data_date(data)),
        "example_code": _link(src, site.code_src(-1013), "-1013 INVALID_MESSAGE") if -1013 in site.codes else None,
        "example_filter": _link(src, site.filter_src("LOT_SIZE"), "Filter failure: LOT_SIZE") if "LOT_SIZE" in site.filters else None,
        "primary_origin": md_text(primary["origin"]),
        "changes": md_href(src, src_of(paths.CHANGES_PAGE)),
    }


def _data_date(data: dict) -> str:
    stamps = [s["retrieved_at"] for s in data["source"].values() if s["retrieved_at"]]
    return stamps[0][:10] if stamps else "unknown date"


# --- config the pages need --------------------------------------------------------


def generated_config(site: Site) -> dict:
    """Navigation, short links and the footer: data-dependent parts of mkdocs.yml (INHERITed)."""
    nav: list = [{"Home": "index.md"}]
    for page in site.section_pages:
        # The two tables' sections get short labels (their upstream titles run to a paragraph);
        # the theme prints nav labels unescaped.
        label = {"messages": "Rejection messages", "filters": "Filter failures"}.get(page["kind"], page["title"])
        nav.append({str(escape(label)): page["src"]})
    nav.append({"What changed upstream": src_of(paths.CHANGES_PAGE)})
    redirects: dict[str, str] = {}
    for code in site.data["codes"] + site.removed_codes():
        target = site.code_src(code["code"])
        for alias in (f"{code['code']}.md", f"{abs(code['code'])}.md", f"codes/{abs(code['code'])}.md"):
            if alias != target:
                redirects[alias] = target
    for row in site.data["filter_failures"]:
        redirects[f"filters/{row['filter']}.md"] = site.filter_src(row["filter"])
    sources = ", ".join(f"{LOCALE_LABELS.get(l, l)} {s['sha256'][:7]}" for l, s in site.data["source"].items())
    first_url = next(iter(site.data["codes"][0]["anchors"].values())).split("#")[0]
    return {
        "nav": nav,
        "plugins": {"redirects": {"redirect_maps": dict(sorted(redirects.items()))}},
        "copyright": (
            f'Data: <a href="{safe_url(first_url)}">upstream error page</a> as of {md_text(_data_date(site.data))} '
            f"({md_text(sources)}). Not affiliated with Binance."
        ),
    }


# --- rendering ---------------------------------------------------------------------


def environment() -> Environment:
    def finalize(value):
        # Anything not already made safe by a filter is upstream text: escape it for Markdown.
        return value if isinstance(value, Markup) or isinstance(value, (int, float)) else md_text(value)

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def build_pages(inputs: Inputs, curated: "Curated | None" = None) -> dict[str, str]:
    """Page source path -> content, for every page of the site."""
    curated = curated or Curated.of(inputs)
    site = Site.of(filterdefs.with_defined_filters(inputs.errors, curated.filters), inputs.changes, curated)
    data = site.data
    env = environment()
    pages: dict[str, str] = {}

    def put(template: str, view: dict) -> None:
        if view["src"] in pages:
            raise ValueError(f"two pages claim {view['src']}")
        pages[view["src"]] = env.get_template(template).render(page=view)

    put("home.md.j2", home_page(site))
    for page in site.section_pages:
        if page["kind"] == "codes":
            put("section.md.j2", section_page(site, page))
    for kind in ("filters", "messages"):
        put("table_index.md.j2", table_index_page(site, kind))
    for code in data["codes"]:
        put("code.md.j2", code_page(site, code))
    for row in data["filter_failures"] + data["engine_messages"]:
        put("row.md.j2", row_page(site, row))
    for code in site.removed_codes():
        put("removed_code.md.j2", removed_code_page(site, code))
    put("changes.md.j2", changes_page(site))
    pages["changes/feed.xml"] = feed.atom_feed(site.history)
    pages[GENERATED_CONFIG] = json.dumps(generated_config(site), ensure_ascii=False, indent=2) + "\n"
    return pages


def render(inputs: Inputs, out_dir: Path) -> None:
    """Write the whole generated docs tree at out_dir (replacing what is there).

    Publishing it is the caller's job (``transaction``): out_dir is a scratch folder.
    """
    curated = Curated.of(inputs)
    pages = build_pages(inputs, curated)
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.copytree(ASSETS, out_dir / "assets")
    for src, content in pages.items():
        path = out_dir / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    (out_dir / "errors.json").write_text(dumps(published_data(inputs.errors, curated.facts)), encoding="utf-8")
    search_index.write_index(inputs, out_dir / search_index.INDEX_PATH)
    shutil.copyfile(store.SCHEMA_PATH, out_dir / "errors.schema.json")


# --- what changed upstream ---------------------------------------------------------------


def removed_code_page(site: Site, code: dict) -> dict:
    src = site.code_src(code["code"])
    return {
        "src": src,
        "title": front_matter_value(f"{code['code']} {code['name']} (removed upstream)"),
        "heading": md_text(f"{code['code']} {code['name']}"),
        "removed": md_text(code["removed"]),
        "messages": [md_inline(m, lambda h: _site_href(site, src, h)) for m in code["messages"]],
        "section": md_text(code["section"]),
        "changes": _link(src, src_of(paths.CHANGES_PAGE), "What changed upstream"),
        # its heading is gone: link the page itself, never an anchor that no longer exists
        "upstream": _upstream_links({locale: url.split("#")[0] for locale, url in code["anchors"].items()}),
    }


def _change_link(site: Site, src: str, kind: str, key: str, label: str) -> dict:
    """A link to the page a change belongs to; removed rows have none."""
    if kind == "code" and (int(key) in site.codes or any(c["code"] == int(key) for c in site.removed_codes())):
        target = site.code_src(int(key))
    elif kind == "filter" and key in site.filters:
        target = site.filter_src(key)
    elif kind == "message" and key in site.messages:
        target = site.message_src(key)
    else:
        return {"href": None, "label": md_inline(label, lambda _: None)}
    return _link(src, target, label)


def changes_page(site: Site) -> dict:
    src = src_of(paths.CHANGES_PAGE)
    entries = []
    for entry in site.history["entries"]:
        def code_item(item: dict) -> dict:
            return _change_link(site, src, "code", str(item["code"]), f"{item['code']} {item.get('name') or item.get('new')}")

        def message_item(item: dict) -> dict:
            if item["kind"] == "code":
                code = item["code"]
                name = site.codes[code]["name"] if code in site.codes else ""
                label = f"{code} {name}".strip()
            else:
                label = site.filters[item["key"]]["text"] if item["key"] in site.filters else item["key"]
            view = {
                "page": _change_link(site, src, item["kind"], item["key"], label),
                "show_text": item["kind"] == "code",
                "text": md_inline(item.get("text", ""), lambda _: None),
                "old": md_inline(item.get("old", ""), lambda _: None),
                "new": md_inline(item.get("new", ""), lambda _: None),
                "kind": {"code": "message", "message": "rejection message", "filter": "filter failure"}[item["kind"]],
            }
            return view

        entries.append(
            {
                "date": md_text(entry["date"]),
                "version": md_text(entry["version"]),
                "anchor": Markup(feed.entry_anchor(entry)),
                "baseline": entry.get("baseline", False),
                "summary": md_text(entry["summary"]),
                "counts": entry["counts"],
                "added_codes": [code_item(i) for i in entry.get("added_codes", [])],
                "removed_codes": [code_item(i) for i in entry.get("removed_codes", [])],
                "renamed_codes": [
                    {"link": code_item(i), "old": md_text(i["old"]), "new": md_text(i["new"])} for i in entry.get("renamed_codes", [])
                ],
                "added_messages": [message_item(i) for i in entry.get("added_messages", [])],
                "removed_messages": [message_item(i) for i in entry.get("removed_messages", [])],
                "reworded_messages": [message_item(i) for i in entry.get("reworded_messages", [])],
            }
        )
    return {"src": src, "entries": entries, "feed": Markup("feed.xml")}
