"""View models of the facts and guidance a page shows, and the published errors.json that carries them."""

from __future__ import annotations

import json

from markupsafe import Markup

from scraper.catalog.model import DOCS_SOURCE_URL, UPSTREAM_SITE
from scraper.ingest.parse.blocks import slugify
from scraper.site.markup import code_fence, md_inline, md_text, safe_url
from scraper.site.model import Site
from scraper.site.templating import labels, tags

FILTER_DOCS_URL = f"{UPSTREAM_SITE}/docs/binance-spot-api-docs/testnet/filters"


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


def facts_view(site: Site, src: str, found: dict | None) -> dict | None:
    """Why it happened, what to do, and what is derived from the text, for one page."""
    if not found:
        return None
    inline = lambda text: md_inline(text, lambda h: site.href_for(src, h))  # noqa: E731
    return {
        "retry": found["retry"],
        "retry_label": md_text(labels(site.locale).retry.get(found["retry"], found["retry"])),
        "channels": [md_text(c) for c in found["channels"]],
        "execution_unknown": found["execution_unknown"],
        "check_status": inline(found["check_status"]) if found.get("check_status") else None,
        "causes": [inline(c) for c in found.get("causes", [])],
        "fix": [inline(f) for f in found.get("fix", [])],
        "ccxt": [{"exception": md_text(g["exception"]), "rule": md_text(_ccxt_rule(g, site.locale))} for g in found.get("ccxt", [])],
        "reports_only": bool(found.get("sources")) and all("url" in s for s in found["sources"]),
        # two quotes from one section are one link
        "sources": list({(s.get("doc"), s.get("section"), s.get("url")): _source_view(s) for s in found.get("sources", [])}.values()),
    }


def _source_view(source: dict) -> dict:
    """An upstream doc section the guidance rests on: its file's name, the heading, a link to it;
    or, where upstream says nothing, the public report it rests on."""
    if "url" in source:
        return {"doc": "report", "section": md_text(source["url"].split("://", 1)[1]), "url": safe_url(source["url"])}
    return {
        "doc": source["doc"],
        "section": md_text(source["section"]),
        "url": safe_url(f"{DOCS_SOURCE_URL}{source['doc']}#{slugify(source['section'])}"),
    }


def _ccxt_rule(group: dict, locale: str) -> str:
    return labels(locale).ccxt_rules.get(group["rule"], group["rule"])


def definition_view(site: Site, src: str, name: str, example: dict | None) -> dict | None:
    """The filter as upstream's filters page defines it, and one worked example."""
    definition = site.definition(name)
    if not definition:
        return None
    inline = lambda text: md_inline(text, lambda h: site.href_for(src, h))  # noqa: E731
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
        return tags().assignments([(md_text(k), md_text(v)) for k, v in values.items()])

    return {
        "params": pairs(example.get("params", {})),
        "fails": pairs(example.get("fails", {})),
        "passes": pairs(example.get("passes", {})),
        "why": md_inline(example.get("why", "")),
    }
