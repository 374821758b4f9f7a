"""One view model per page: what a template lays out, computed from the site model."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from markupsafe import Markup

from scraper.catalog import store, upstream_docs
from scraper.catalog.model import DOCS_SOURCE_URL, ISSUE_TRACKER_URL, carrier_codes, plain_text
from scraper.facts.enrich import FIX_CHANNEL
from scraper.site import chinese_views as chinese
from scraper.site import feed, paths
from scraper.site.facts_views import FILTER_DOCS_URL, definition_view, facts_view
from scraper.site.markup import code_fence, front_matter_value, md_inline, md_text, placeholder_help, placeholder_mark, safe_url
from scraper.site.model import Site
from scraper.site.paths import html_href, md_href, src_of, url_of
from scraper.site.status_views import status_change_view, status_links_of_code
from scraper.site.templating import labels


def _link(from_src: str, to_src: str, label: str) -> dict:
    # labels are upstream Markdown (code spans in messages); links inside them are dropped
    return {"href": md_href(from_src, to_src), "label": md_inline(label, lambda _: None)}


def _code_link(site: Site, from_src: str, code: int) -> dict:
    return _link(from_src, site.code_src(code), f"{code} {chinese.shown_name(site, site.codes[code])}")


def _upstream_links(site: Site, anchors: dict[str, str]) -> list[dict]:
    return [{"href": safe_url(url), "label": labels(site.locale).locale(locale)} for locale, url in anchors.items()]


def _payload(code: int, message: str, fix_only: bool) -> Markup:
    """The response as the client gets it: JSON, or for a FIX-only code a Reject <3> whose
    ErrorCode (25016) and Text (58) carry it (testnet/fix-api.md, Reject <3>); … marks the
    header and trailer fields left out."""
    if fix_only:
        return code_fence(f"8=FIX.4.4|9=…|35=3|…|58={message}|25016={code}|10=…|", "text")
    return code_fence(json.dumps({"code": code, "msg": message}, ensure_ascii=False), "json")


def _section_lead(site: Site, code: dict) -> Markup | None:
    """For a code upstream names only in a section's title, what that section opens with."""
    if code["origin"] != "section-title" or not site.curated:
        return None
    lead = site.curated.docs.section_leads.get(code["section"])
    return md_inline(lead) if lead else None


def _example_message(site: Site, code: dict, carried: list[dict]) -> str:
    """The message a client most likely gets with this code.

    A code that carries a table's messages is sent with one of them, not with its own
    summary line; of those, the one upstream's docs show in an example response comes
    first (the WebSocket API's error example is -2010 with "Account has insufficient balance …")."""
    candidates = [row["plain"] for row in carried] or [m["plain"] for m in code["messages"]]
    shown = site.curated.docs.examples.get(str(code["code"]), []) if site.curated else []
    return next((m for m in shown if m in candidates), candidates[0] if candidates else code["name"])


def _carried_rows(site: Site, code: int) -> list[dict]:
    return [
        row
        for row in site.data["filter_failures"] + site.data["engine_messages"]
        if code in carrier_codes(row)
    ]


def _row_view(site: Site, from_src: str, row: dict) -> dict:
    src = site.filter_src(row["filter"]) if row.get("filter") else site.message_src(row["text"])
    found = site.facts("filters", row["filter"]) if row.get("filter") else site.facts("messages", row["text"])
    translated = chinese.row_description(site, from_src, row)
    return {
        "link": _link(from_src, src, row["text"]),
        "description": translated or md_inline(row["description"], lambda h: site.href_for(from_src, h)),
        "untranslated": site.locale != "en" and translated is None,
        "kind": labels(site.locale).row_kinds["filter" if row.get("filter") else "message"],
        "on_error_page": row.get("on_error_page", True),
        "retry": md_text(labels(site.locale).retry.get(found["retry"], "")) if found else "",
        "channels": md_text(" · ".join(found["channels"])) if found else "",
    }


def _messages_view(site: Site, src: str, messages: list[dict]) -> list[Markup]:
    return [md_inline(m["text"], lambda h: site.href_for(src, h), placeholders=True) for m in messages]


def _placeholders_view(messages: list[dict]) -> list[dict]:
    tokens = dict.fromkeys(p for m in messages for p in m["placeholders"])
    return [{"token": placeholder_mark(p, titled=False), "help": md_text(placeholder_help(p))} for p in tokens]


def code_page(site: Site, code: dict) -> dict:
    src = site.code_src(code["code"])
    ordered = [c["code"] for c in site.data["codes"]]
    index = ordered.index(code["code"])
    carried = _carried_rows(site, code["code"])
    facts = site.facts("codes", str(code["code"])) or {}
    fix_only = facts.get("channels") == [FIX_CHANNEL]
    translated = chinese.code_chinese(site, src, code)
    return {
        "src": src,
        # a Chinese name may hold code spans (-1196 买方 `OCO` 单…): code in the heading, plain in the title
        "title": front_matter_value(plain_text(f"{code['code']} {chinese.shown_name(site, code)}")),
        "heading": md_inline(f"{code['code']} {chinese.shown_name(site, code)}", lambda _: None),
        "name": md_text(code["name"]),
        "chinese": translated,
        "code": code["code"],
        "description": front_matter_value(
            translated["messages"][0].striptags() if translated and translated["messages"] else
            code["messages"][0]["plain"] if code["messages"] else code["name"]
        ),
        "section": _link(src, site.section_src(code["section"]), chinese.section_title(site, code["section"])) if code["section"] else None,
        "origin_note": code["origin"] == "section-title",
        "section_lead": _section_lead(site, code),
        "messages": _messages_view(site, src, code["messages"]),
        "placeholders": _placeholders_view(code["messages"]),
        "translations": [
            {"locale": labels(site.locale).locale(locale), "name": md_text(t["name"]), "messages": [md_inline(m) for m in t["messages"]]}
            for locale, t in code["translations"].items()
        ],
        "payload": _payload(code["code"], _example_message(site, code, carried), fix_only),
        "fix_only": fix_only,
        "upstream": _upstream_links(site, code["anchors"]),
        "carried_filters": [_row_view(site, src, r) for r in carried if r.get("filter")],
        "carried_messages": [_row_view(site, src, r) for r in carried if not r.get("filter")],
        "carried_count": len(carried),
        "filters_index": md_href(src, src_of(paths.FILTERS_INDEX)),
        "messages_index": md_href(src, src_of(paths.MESSAGES_INDEX)),
        "related": [_code_link(site, src, c) for c in site.code_links.get(code["code"], []) if c in site.codes],
        "http_statuses": status_links_of_code(site, src, code["code"]),
        "seen": _seen_view(site, site.seen(f"code:{code['code']}")),
        "changes": md_href(src, src_of(paths.CHANGES_PAGE)),
        "facts": facts_view(site, src, site.facts("codes", str(code["code"]))),
        "previous": _code_link(site, src, ordered[index - 1]) if index > 0 else None,
        "next": _code_link(site, src, ordered[index + 1]) if index + 1 < len(ordered) else None,
        "short_link": Markup(f"{code['code']}/"),
        "site_root": Markup(html_href(src, "")),
    }


def _seen_view(site: Site, seen: dict | None) -> dict | None:
    if not seen:
        return None
    said = labels(site.locale)
    return {
        "first_seen": md_text(said.date(seen["first_seen"])),
        "since_history_start": bool(seen.get("baseline")),
        "last_changed": md_text(said.date(seen["last_changed"])),
    }


def _carriers(site: Site, src: str, row: dict) -> list[dict]:
    return [_code_link(site, src, c) for c in carrier_codes(row) if c in site.codes]


def _related_rows(site: Site, src: str, key: str) -> list[dict]:
    views = []
    for other in site.table_links.get(key, []):
        kind, _, value = other.partition(":")
        label = site.filters[value]["text"] if kind == "filter" else value
        views.append({"link": _link(src, site.key_src(other), label), "kind": labels(site.locale).row_kinds[kind]})
    return views


def row_page(site: Site, row: dict) -> dict:
    is_filter = bool(row.get("filter"))
    src = site.filter_src(row["filter"]) if is_filter else site.message_src(row["text"])
    carriers = carrier_codes(row)
    key = f"filter:{row['filter']}" if is_filter else f"message:{row['text']}"
    translated = chinese.row_description(site, src, row)
    # the code upstream's docs show this message with, if any: the WebSocket API's error example is -2010's
    shown = [c for c in carriers if row["plain"] in (site.curated.docs.examples.get(str(c), []) if site.curated else [])]
    example_code = (shown or carriers or [None])[0]
    return {
        "src": src,
        "is_filter": is_filter,
        # upstream's Markdown (`LOT_SIZE`) is code in the heading and plain text in the title
        "title": front_matter_value(row["plain"]),
        "heading": md_inline(row["text"], lambda _: None),
        "filter": md_text(row.get("filter") or ""),
        "description_meta": front_matter_value(chinese.description_text(site, row).replace("\n", " ")),
        "message": md_inline(row["text"], placeholders=True),
        "description": translated or md_inline(row["description"], lambda h: site.href_for(src, h)),
        "english_description": md_inline(row["description"], lambda h: site.href_for(src, h)) if site.locale != "en" else None,
        "untranslated": site.locale != "en" and translated is None,
        "carriers": _carriers(site, src, row),
        # one example: the same msg comes with each code, which one depends on the request (new order, cancel, amend…)
        "payload": _payload(example_code, row["plain"], False) if carriers else None,
        "other_codes": [_code_link(site, src, c) for c in carriers if c != example_code and c in site.codes],
        "upstream": _upstream_links(site, row["anchors"]),
        "filter_docs": safe_url(f"{FILTER_DOCS_URL}#{row['filter'].lower()}") if is_filter else None,
        "related": _related_rows(site, src, key),
        "seen": _seen_view(site, site.seen(key)),
        "changes": md_href(src, src_of(paths.CHANGES_PAGE)),
        "facts": facts_view(site, src, site.facts("filters" if is_filter else "messages", row["filter"] if is_filter else row["text"])),
        "definition": definition_view(site, src, row["filter"], (site.facts("filters", row["filter"]) or {}).get("example")) if is_filter else None,
        "on_error_page": row.get("on_error_page", True),
        "index": _link(src, src_of(paths.FILTERS_INDEX if is_filter else paths.MESSAGES_INDEX), labels(site.locale).all_of["filters" if is_filter else "messages"]),
        "translations": [
            {"locale": labels(site.locale).locale(locale), "text": md_inline(t["text"]), "description": md_inline(t["description"])}
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
                "retry": md_text(labels(site.locale).retry.get(found["retry"], "")) if found else "",
                "channels": md_text(" · ".join(found["channels"])) if found else "",
                "message": _first_message(site, src, code),
            }
        )
    return {
        "src": src,
        "title": front_matter_value(chinese.section_title(site, page["title"])),
        "heading": md_text(chinese.section_title(site, page["title"])),
        "families": [{"name": name, "rows": rows} for name, rows in families.items()],
        "split": len(families) > 1,
        "upstream": _upstream_links(site, page["anchors"]),
        "count": len(codes),
    }


def _first_message(site: Site, src: str, code: dict) -> Markup | str:
    translated = chinese.code_chinese(site, src, code)
    if translated and translated["messages"]:
        return translated["messages"][0]
    return md_inline(code["messages"][0]["text"], lambda h: site.href_for(src, h)) if code["messages"] else ""


def table_index_page(site: Site, kind: str) -> dict:
    src = src_of(paths.FILTERS_INDEX if kind == "filters" else paths.MESSAGES_INDEX)
    rows = site.data["filter_failures"] if kind == "filters" else site.data["engine_messages"]
    section = next((p for p in site.section_pages if p["kind"] == kind), None)
    carriers = list(dict.fromkeys(c for r in rows for c in carrier_codes(r)))
    return {
        "src": src,
        "kind": kind,
        "title": front_matter_value(chinese.section_title(site, section["title"]) if section else labels(site.locale).sections[kind]),
        "heading": md_text(chinese.section_title(site, section["title"]) if section else labels(site.locale).sections[kind]),
        "rows": [_row_view(site, src, r) for r in rows],
        "carriers": [_code_link(site, src, c) for c in carriers if c in site.codes],
        "upstream": _upstream_links(site, section["anchors"]) if section else [],
    }


def home_page(site: Site) -> dict:
    data = site.data
    src = "index.md"
    primary = data["source"][data["primary_locale"]]
    return {
        "src": src,
        "title": front_matter_value(data["title"] if data["title"] and site.locale == "en" else labels(site.locale).site["name"]),
        "upstream_title": md_text(data["title"]),
        "counts": {
            "codes": len(data["codes"]),
            "filters": len(data["filter_failures"]),
            "filters_page_only": sum(not row.get("on_error_page", True) for row in data["filter_failures"]),
            "messages": len(data["engine_messages"]),
        },
        "sections": [_link(src, p["src"], chinese.section_title(site, p["title"])) | {"kind": p["kind"]} for p in site.section_pages],
        "translation": chinese.translation_view(site, src),
        "tree_root": Markup(paths.LOCALE_ROOTS[site.locale]),  # the short links' prefix: "", or "zh/"
        "sources": [
            {
                "locale": labels(site.locale).locale(locale),
                "origin": md_text(source["origin"]),
                "format": source["format"],
                "retrieved_at": md_text(source["retrieved_at"] or "not stated by the source"),
                "sha256": source["sha256"][:12],
            }
            for locale, source in data["source"].items()
        ],
        "data_date": md_text(labels(site.locale).date(data_date(data, site.locale))),
        "example_code": _code_link(site, src, -1013) if -1013 in site.codes else None,
        "example_filter": _link(src, site.filter_src("LOT_SIZE"), "Filter failure: LOT_SIZE") if "LOT_SIZE" in site.filters else None,
        "primary_origin": md_text(primary["origin"]),
        "changes": md_href(src, src_of(paths.CHANGES_PAGE)),
        "intro": _intro_view(site.curated.docs.intro if site.curated else None),
        "other_errors": md_href(src, src_of(paths.OTHER_ERRORS_PAGE)) if site.curated and site.curated.statuses else None,
    }


def _intro_view(intro: upstream_docs.Intro | None) -> dict | None:
    """Upstream's own opening of the error page, quoted, with the file it comes from."""
    if intro is None:
        return None
    return {
        "paragraph": md_inline(intro.paragraph),
        "example": code_fence(intro.example, "json") if intro.example else None,
        "doc": intro.doc,
        "url": safe_url(f"{DOCS_SOURCE_URL}{intro.doc}"),
    }


def data_date(data: dict, locale: str = "en") -> str:
    return store.retrieved_on(data) or labels(locale).unknown_date


# --- what changed upstream ---------------------------------------------------------------


def removed_code_page(site: Site, code: dict) -> dict:
    src = site.code_src(code["code"])
    return {
        "src": src,
        "title": front_matter_value(f"{code['code']} {code['name']} ({labels(site.locale).removed_upstream})"),
        "heading": md_text(f"{code['code']} {code['name']}"),
        "removed": md_text(labels(site.locale).date(code["removed"])),
        "messages": [md_inline(m, lambda h: site.href_for(src, h)) for m in code["messages"]],
        "section": md_text(code["section"]),
        "changes": _link(src, src_of(paths.CHANGES_PAGE), labels(site.locale).nav["changes"]),
        # its heading is gone: link the page itself, never an anchor that no longer exists
        "upstream": _upstream_links(site, {locale: url.split("#")[0] for locale, url in code["anchors"].items()}),
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
                "kind": labels(site.locale).row_kinds[item["kind"]],
            }
            return view

        entries.append(
            {
                "date": md_text(labels(site.locale).date(entry["date"])),
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
                "statuses": [status_change_view(site, src, i) for i in entry.get("statuses", [])],
            }
        )
    return {"src": src, "entries": entries, "feed": Markup("feed.xml")}


def footer_view(site: Site, src: str) -> dict:
    """What every page ends with: when its guidance was reviewed, and a way to report a problem with it."""
    page = "/" + paths.LOCALE_ROOTS[site.locale] + url_of(src)
    report = {"title": labels(site.locale).report_title.format(page=page), "body": labels(site.locale).report_body.format(page=page)}
    return {
        "reviewed": md_text(labels(site.locale).date(site.curated.reviewed)) if site.curated else None,
        "report_url": safe_url(f"{ISSUE_TRACKER_URL}?{urlencode(report)}"),
    }
