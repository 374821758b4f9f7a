"""Rendering errors.json into page sources: one page per thing, escaped, deterministic."""

from __future__ import annotations

import copy
import json
import re

import pytest
from conftest import DATA, HOSTILE, committed_inputs, inputs_with

from scraper.catalog.model import Message
from scraper.site.config import GENERATED_CONFIG
from scraper.site.markup import md_inline, md_text
from scraper.site.render import build_pages


@pytest.fixture(scope="module")
def data():
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(data):
    return build_pages(inputs_with(data))


def test_one_page_per_code_filter_and_message(data, pages):
    """Expected names written out from the data by hand, not by the code under test."""
    code_pages = {src for src in pages if re.fullmatch(r"codes/-\d+\.md", src)}
    assert code_pages == {f"codes/{c['code']}.md" for c in data["codes"]}
    filter_pages = {src for src in pages if re.fullmatch(r"filters/[a-z0-9-]+\.md", src) and src != "filters/index.md"}
    assert {f"filters/{r['filter'].lower().replace('_', '-')}.md" for r in data["filter_failures"]} <= filter_pages
    defined = {f["name"] for f in committed_inputs().filters["filters"]} | {r["filter"] for r in data["filter_failures"]}
    assert len(filter_pages) == len(defined)
    message_pages = {src for src in pages if src.startswith("messages/") and src != "messages/index.md"}
    assert len(message_pages) == len(data["engine_messages"]) == 41
    assert "codes/-1013.md" in pages and "filters/lot-size.md" in pages
    assert "messages/account-has-insufficient-balance-for-requested-action.md" in pages
    for index in ("index.md", "filters/index.md", "messages/index.md", "sections/10xx.md", "sections/11xx.md"):
        assert index in pages


def test_render_is_deterministic(data, pages):
    assert build_pages(inputs_with(copy.deepcopy(data))) == pages


def test_code_page_content(pages):
    page = pages["codes/-1013.md"]
    assert page.startswith('---\ntitle: "-1013 INVALID_MESSAGE"\n')
    assert "# &#45;1013 INVALID&#95;MESSAGE" in page
    assert '```json\n{"code": -1013, "msg": "Filter failure: PRICE_FILTER"}\n```' in page
    # every filter failure and the rejection messages, linked
    assert "(../filters/lot-size.md)" in page and "(../messages/market-is-closed.md)" in page
    # upstream-relative links become this site's pages
    assert '<a href="../../filters/">Filter Failures</a>' in page
    assert '<a href="../../messages/">Failures during order placement</a>' in page  # via the section's alias
    assert "https://developers.binance.com/docs/binance-spot-api-docs/testnet/errors#-1013-invalid_message" in page
    assert "https://developers.binance.com/docs/zh-CN/binance-spot-api-docs/testnet/errors#-1013-invalid_message" in page
    # previous / next in upstream order
    assert "[← &#45;1010 ERROR&#95;MSG&#95;RECEIVED](-1010.md)" in page
    assert "[&#45;1014 UNKNOWN&#95;ORDER&#95;COMPOSITION →](-1014.md)" in page
    assert 'data-path="-1013/"' in page


def test_fix_links_become_absolute_upstream_urls(pages):
    assert (
        '<a href="https&#58;//developers.binance.com/docs/binance-spot-api-docs/testnet/fix-api&#35;logout">'
        "Logout<code>&lt;5&gt;</code></a>"
        in pages["codes/-1035.md"]
    )


def test_placeholders_are_highlighted_and_explained(pages):
    page = pages["codes/-1003.md"]
    assert page.count('<mark class="placeholder"') >= 3
    assert "filled in by the server" in page


def test_filter_page_cross_links(pages):
    lot = pages["filters/lot-size.md"]
    assert "(market-lot-size.md)" in lot
    assert "(../messages/order-book-liquidity-is-less-than-lot-size-filter-minimum-quantity.md)" in lot
    assert "(../codes/-1013.md)" in lot
    assert "https://developers.binance.com/docs/binance-spot-api-docs/testnet/filters#lot_size" in lot
    assert "(notional.md)" in pages["filters/min-notional.md"]
    assert "(min-notional.md)" in pages["filters/notional.md"]
    assert "(exchange-max-num-orders.md)" in pages["filters/max-num-orders.md"]
    assert "(percent-price.md)" in pages["filters/price-filter.md"]
    iceberg = pages["filters/iceberg-parts.md"]
    assert "(max-num-iceberg-orders.md)" in iceberg and "(../messages/icebergqty-exceeds-qty.md)" in iceberg
    assert "(../messages/trailing-stop-orders-are-not-supported-for-this-symbol.md)" in pages["filters/trailing-delta.md"]


def test_generated_config_has_nav_and_short_links(data, pages):
    config = json.loads(pages[GENERATED_CONFIG])
    redirects = config["plugins"]["redirects"]["redirect_maps"]
    assert redirects["-1013.md"] == "codes/-1013.md"
    assert redirects["1013.md"] == "codes/-1013.md"
    assert redirects["codes/1013.md"] == "codes/-1013.md"
    assert redirects["filters/LOT_SIZE.md"] == "filters/lot-size.md"
    assert len(config["nav"]) == 3 + len(data["sections"])  # home, the sections, other errors, what changed
    assert config["nav"][-2] == {"HTTP statuses and other errors": "other-errors.md"}
    assert config["nav"][-1] == {"What changed upstream": "changes/index.md"}
    assert "2026-01-15" in config["copyright"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_inert_in_every_context(text):
    for rendered in (str(md_text(text)), str(md_inline(text, placeholders=True))):
        for dangerous in ("<script", "<img", "](javascript", "{{", "{%"):
            assert dangerous not in rendered


def test_poisoned_data_renders_without_live_markup(data):
    poisoned = copy.deepcopy(data)
    for code, text in zip(poisoned["codes"], HOSTILE):
        code["name"] = text
        code["messages"] = [Message.of(text).__dict__]
    poisoned["filter_failures"][0]["description"] = HOSTILE[0]
    pages = build_pages(inputs_with(poisoned))
    for content in pages.values():
        # fenced code blocks are shown as code (the browser test checks that too)
        body = re.sub(r"```json\n.*?\n```", "", content.split("---", 2)[-1], flags=re.S)
        assert "<script" not in body and "<img" not in body and "](javascript" not in body
        assert "{{" not in body and "{%" not in body
