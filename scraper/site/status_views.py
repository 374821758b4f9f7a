"""View models of the pages beyond the error page: HTTP statuses, WebSocket Streams errors,
the user data stream's order reject reasons and FIX's SessionRejectReason values."""

from __future__ import annotations

import json

from markupsafe import Markup

from scraper.catalog import statusdefs
from scraper.catalog.model import UPSTREAM_SITE
from scraper.ingest.parse.blocks import slugify
from scraper.site import paths
from scraper.site.facts_views import facts_view
from scraper.site.markup import code_fence, front_matter_value, md_inline, md_text, safe_url
from scraper.site.model import Site
from scraper.site.paths import html_href, md_href, src_of
from scraper.site.templating import labels

DOCS_PAGE = f"{UPSTREAM_SITE}/docs/binance-spot-api-docs/"


def upstream_url(doc: str, anchor: str) -> str:
    """Where upstream's site shows a doc section: testnet/rest-api.md › http-return-codes."""
    return safe_url(f"{DOCS_PAGE}{doc.removesuffix('.md')}#{anchor}")


def _code_links(site: Site, src: str, codes: tuple[int, ...]) -> list[dict]:
    return [
        {"href": md_href(src, site.code_src(code)), "label": md_text(f"{code} {site.codes[code]['name']}")}
        for code in codes
        if code in site.codes
    ]


def http_title(key: str, locale: str = "en") -> str:
    """'429' -> 'HTTP 429 Too Many Requests'; '5xx' -> 'HTTP 5XX server errors'."""
    said = labels(locale)
    title = said.status_titles["http"].format(key=key.upper())
    return f"{title} {said.http_reasons[key]}" if key in said.http_reasons else title


def stream_title(code: int, locale: str = "en") -> str:
    return labels(locale).status_titles["stream"].format(code=code)


def http_page(site: Site, page: dict) -> dict:
    src = src_of(paths.http_path(page["key"]))
    facts = site.facts("statuses", page["key"])
    example = page["key"].upper().replace("XX", "00") if "xx" in page["key"] else page["key"]
    return {
        "src": src,
        "key": page["key"],
        "title": front_matter_value(http_title(page["key"], site.locale)),
        "heading": md_text(http_title(page["key"], site.locale)),
        "documented": bool(page["said"]),
        "said": [
            {"doc": md_text(labels(site.locale).docs.get(line["doc"], line["doc"])), "text": md_inline(line["text"], lambda _: None),
             "href": upstream_url(line["doc"], line["anchor"])}
            for line in page["said"]
        ],
        "statuses": [md_text(status) for status in page["statuses"]],
        "facts": facts_view(site, src, facts),
        # a class's example is its first status, without a phrase: "server errors" is no reason phrase
        "rest_example": code_fence(f"HTTP/1.1 {example} {'' if 'xx' in page['key'] else labels().http_reasons.get(page['key'], '')}".rstrip(), "text"),
        "ws_example": code_fence(json.dumps({"id": "…", "status": int(example), "error": {"code": "…", "msg": "…"}}, ensure_ascii=False), "json")
        if page["said"] else None,  # where upstream documents the status (WebSocket API › Status codes)
        "body": code_fence(json.dumps(statusdefs.UNDOCUMENTED_BODIES[page["key"]], ensure_ascii=False, indent=2), "json")
        if page["key"] in statusdefs.UNDOCUMENTED_BODIES else None,
        "related": _code_links(site, src, statusdefs.RELATED_CODES.get(page["key"], ())),
        "index": md_href(src, src_of(paths.OTHER_ERRORS_PAGE)),
        "short_link": Markup(paths.http_path(page["key"])),
        "site_root": Markup(html_href(src, "")),
    }


def stream_error_page(site: Site, error: dict, anchor: str) -> dict:
    src = src_of(paths.stream_error_path(error["code"]))
    first = error["messages"][0]
    return {
        "src": src,
        "code": error["code"],
        "title": front_matter_value(stream_title(error["code"], site.locale)),
        "heading": md_text(stream_title(error["code"], site.locale)),
        "description": front_matter_value(first["plain"]),
        "messages": [{"text": md_inline(m["text"], lambda _: None), "description": md_inline(m["description"], lambda _: None)} for m in error["messages"]],
        "facts": facts_view(site, src, site.facts("stream_errors", str(error["code"]))),
        "payload": code_fence(json.dumps({"code": error["code"], "msg": first["plain"].replace("%s", "…"), "id": 1}, ensure_ascii=False), "json"),
        "upstream": upstream_url("testnet/web-socket-streams.md", anchor),
        "index": md_href(src, src_of(paths.OTHER_ERRORS_PAGE)),
        "short_link": Markup(paths.stream_error_path(error["code"])),
        "site_root": Markup(html_href(src, "")),
    }


def reject_reasons_page(site: Site, data: dict) -> dict:
    src = src_of(paths.REJECT_REASONS_PAGE)
    rows = []
    for reason in data["reject_reasons"]:
        row = site.messages.get(reason["message"])
        link = {"href": md_href(src, site.message_src(row["text"])), "label": md_text(reason["message"])} if row else None
        rows.append({"reason": md_inline(f"`{reason['reason']}`", lambda _: None), "message": md_text(reason["message"]), "link": link})
    return {
        "src": src,
        "title": front_matter_value(labels(site.locale).status_titles["reasons"]),
        "heading": md_text(labels(site.locale).status_titles["reasons"]),
        "rows": rows,
        "expiry": [
            {"reason": md_inline(f"`{reason['reason']}`", lambda _: None), "explanation": md_inline(reason["explanation"], lambda _: None)}
            for reason in data["expiry_reasons"]
        ],
        "expiry_upstream": upstream_url("testnet/user-data-stream.md", data["anchors"]["testnet/user-data-stream.md › Order Expiry Reason"]),
        "upstream": upstream_url("testnet/user-data-stream.md", data["anchors"]["testnet/user-data-stream.md › Order Reject Reason"]),
        "index": md_href(src, src_of(paths.OTHER_ERRORS_PAGE)),
    }


def session_reject_page(site: Site, data: dict) -> dict:
    src = src_of(paths.SESSION_REJECT_PAGE)
    return {
        "src": src,
        "expiry": [],
        "title": front_matter_value(labels(site.locale).status_titles["session"]),
        "heading": md_text(labels(site.locale).status_titles["session"]),
        "rows": [
            {"value": md_inline(f"`{reason['value']}`", lambda _: None), "name": md_inline(f"`{reason['name']}`", lambda _: None)}
            for reason in data["session_reject_reasons"]
        ],
        "upstream": upstream_url("testnet/fix-api.md", slugify("Reject `<3>`")),
        "index": md_href(src, src_of(paths.OTHER_ERRORS_PAGE)),
    }


def other_errors_page(site: Site, data: dict) -> dict:
    src = src_of(paths.OTHER_ERRORS_PAGE)
    return {
        "src": src,
        "title": front_matter_value(labels(site.locale).status_titles["other_errors"]),
        "heading": md_text(labels(site.locale).status_titles["other_errors"]),
        "http": [
            {"href": md_href(src, src_of(paths.http_path(page["key"]))), "label": md_text(http_title(page["key"], site.locale)), "documented": bool(page["said"])}
            for page in statusdefs.http_pages(data)
        ],
        "streams": [
            {"href": md_href(src, src_of(paths.stream_error_path(error["code"]))), "label": md_text(f"{error['code']}: {_stream_label(error)}")}
            for error in data["stream_errors"]
        ],
        "reject_reasons": md_href(src, src_of(paths.REJECT_REASONS_PAGE)),
        "session_reject": md_href(src, src_of(paths.SESSION_REJECT_PAGE)),
    }


def _stream_label(error: dict) -> str:
    """A stream code's messages in a few words: the one message, or what they all start with ("Invalid request: …")."""
    texts = [m["plain"] for m in error["messages"]]
    if len(texts) == 1:
        return texts[0]
    start = texts[0].split(":")[0]
    return f"{start}: …" if all(text.startswith(start + ":") for text in texts) else f"{texts[0]} (and {len(texts) - 1} more)"


def status_links_of_code(site: Site, src: str, code: int) -> list[dict]:
    """The status pages a code page links back to (-1003: HTTP 429 and 418)."""
    data = site.curated.statuses if site.curated else None
    if not data:
        return []
    keys = [key for key, codes in statusdefs.RELATED_CODES.items() if code in codes]
    titles = {page["key"]: http_title(page["key"], site.locale) for page in statusdefs.http_pages(data)}
    return [{"href": md_href(src, src_of(paths.http_path(key))), "label": md_text(titles[key])} for key in keys if key in titles]


def status_change_view(site: Site, src: str, item: dict) -> dict:
    """One changed line of the statuses on the changes page, linked to its page."""
    kind, _, key = item["page"].partition(":")
    on_page = {status: page["key"] for page in statusdefs.http_pages(site.curated.statuses if site.curated else None) for status in page["statuses"]}
    if kind == "http":
        target = paths.http_path(on_page.get(key, f"{key[0]}xx"))
    elif kind == "ws-stream":
        target = paths.stream_error_path(int(key))
    elif kind in ("reject-reason", "expiry-reason"):
        target = paths.REJECT_REASONS_PAGE
    else:
        target = paths.SESSION_REJECT_PAGE
    return {
        "page": {"href": md_href(src, src_of(target)), "label": md_text(item["page"])},
        "what": md_text(labels(site.locale).docs.get(item["what"], item["what"])),
        "old": md_inline(item["old"], lambda _: None),
        "new": md_inline(item["new"], lambda _: None),
    }
