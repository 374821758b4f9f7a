"""The site's own header search box, driven in Chromium like a user: the first result is the right page."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, ROOT
from sitebuild import serve
from support import evaluate

from scraper.catalog import store

pytestmark = pytest.mark.browser

# The eval set's size: every pasted error lands on its page.  Raise it with the resolver; never lower it.
SITE_EVAL_CORRECT = 135
SITE_HTTP_CORRECT = 32  # of the 35 HTTP status pastes, as on the command line


@pytest.fixture(scope="module")
def search(built_site, browser):
    with serve(built_site) as url:
        page = evaluate.open_site_search(browser, url)
        page.base_url = url
        yield page
        page.close()


@pytest.mark.parametrize(
    "path, floor", [(evaluate.EVAL_PATH, SITE_EVAL_CORRECT), (evaluate.HTTP_PATH, SITE_HTTP_CORRECT)], ids=["shared", "http"]
)
def test_eval_accuracy_in_the_search_box(search, path, floor):
    data = store.load(DATA)
    cases = evaluate.load_cases(path)
    result = evaluate.report("site", data, cases, evaluate.site_answers(search, [c.input for c in cases]))
    assert result.correct >= floor, "\n".join(result.lines())


def type_in_search_box(search, path: str, text: str) -> None:
    """Open a page, use its search box (the resolver's index loads then), and type."""
    search.goto(search.base_url + path)
    search.locator(".md-search__input").click()
    search.wait_for_selector("html[data-errref-ready]", state="attached")
    search.keyboard.type(text)


@pytest.mark.parametrize(
    "typed, path",
    [
        ("-1013", "codes/-1013/"),
        ("1013", "codes/-1013/"),
        ("INVALID_MESSAGE", "codes/-1013/"),
        ("LOT_SIZE", "filters/lot-size/"),
        ("Invalid symbol", "codes/-1121/"),
        ("binance.exceptions.BinanceAPIException: APIError(code=-1013): Filter failure: LOT_SIZE", "filters/lot-size/"),
        ('{"code":-2010,"msg":"Account has insufficient balance for requested action."}', "messages/account-has-insufficient-balance-for-requested-action/"),
        ("消息无效", "codes/-1013/"),  # upstream's Chinese name, typed through an input method
        ("下单失败：账户金额不足", "messages/account-has-insufficient-balance-for-requested-action/"),
        ("requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://api.binance.com/api/v3/order", "http/429/"),
        ('{"code": 2, "msg": "Invalid request: property name must be a string"}', "ws-streams/2/"),
    ],
)
def test_first_result_and_enter(search, typed, path):
    type_in_search_box(search, "changes/", typed)
    enter_best_match(search, path)


def enter_best_match(search, path: str, says: str = "") -> None:
    """The panel's best match links ``path`` (its wording holding ``says``); Enter opens it."""
    best = search.locator(".md-search-result [data-errref-best] a").first
    assert best.is_visible()
    assert best.get_attribute("href") == search.base_url + path
    assert says in search.locator(".md-search-result [data-errref-best]").inner_text()
    search.keyboard.press("Enter")
    search.wait_for_url(search.base_url + path)


def visit_recording_requests(search, path: str) -> list[str]:
    """Open ``path`` until the network is idle; the URLs requested, then and afterwards."""
    fetched: list[str] = []
    search.on("request", lambda request: fetched.append(request.url))
    search.goto(search.base_url + path)
    search.wait_for_load_state("networkidle")
    return fetched


def test_a_visit_that_never_searches_never_downloads_the_resolver_or_its_index(search):
    fetched = visit_recording_requests(search, "codes/-1021/")
    lazy = ("/assets/search-index.json", "/assets/javascripts/resolver.js")
    assert not any(url.endswith(lazy) for url in fetched)
    search.locator(".md-search__input").click()
    search.wait_for_selector("html[data-errref-ready]", state="attached")
    assert all(any(url.endswith(name) for url in fetched) for name in lazy)


def test_the_themes_own_index_also_waits_for_the_search_box(search):
    """Material fetches its full-text index as each page loads; assets/javascripts/defer-theme-index.js holds that request
    until the box is used, and the theme's search then works as before."""
    fetched = visit_recording_requests(search, "zh/codes/-1021/")
    assert not any(url.endswith("/search/search_index.json") for url in fetched)
    search.locator(".md-search__input").click()
    search.keyboard.type("recvWindow")
    search.wait_for_selector(".md-search-result__item a", state="attached")
    assert search.base_url + "zh/search/search_index.json" in fetched


def test_code_not_in_the_reference_says_so(search):
    type_in_search_box(search, "", "binance {\"code\":-1018,\"msg\":\"Unknown error\"}")
    box = search.locator("[data-errref-best]")
    assert box.get_attribute("data-kind") == "not-found"
    assert "Code -1018 is not in this reference" in box.inner_text()
    as_of = json.loads(DATA.read_text(encoding="utf-8"))["source"]["en"]["retrieved_at"][:10]
    assert f"Upstream's error page as of {as_of} does not list it" in box.inner_text()
    assert box.locator("a").first.get_attribute("href") == search.base_url


def test_code_of_another_binance_product_names_it(search):
    """-4164 is a futures code: the answer names the product and links its error page, never a Spot page."""
    others = json.loads((ROOT / "data" / "other-products.json").read_text(encoding="utf-8"))
    type_in_search_box(search, "", "binance {\"code\":-4164,\"msg\":\"Order's notional must be no smaller than 5.0\"}")
    box = search.locator("[data-errref-best]")
    assert box.get_attribute("data-kind") == "other-product"
    assert box.get_attribute("data-products").split(",")[0] == "usdm-futures"
    assert "-4164 is a USDⓈ-M Futures" in box.inner_text()
    assert "not a Spot API one" in box.inner_text()
    assert box.locator("a").first.get_attribute("href") == others["products"]["usdm-futures"]["errors_url"]
    # lunr's "NOT 4164" list of Spot pages is put away
    search.fill(".md-search__input", "")
    search.keyboard.type("-4164")  # Material searches on keystrokes
    search.wait_for_selector(".md-search-result__item", state="attached")
    assert search.locator("[data-errref-best]").get_attribute("data-kind") == "other-product"
    assert not any(item.is_visible() for item in search.locator(".md-search-result__item").all())


def test_with_a_best_match_the_theme_list_keeps_only_related_pages(search):
    """Material's lunr reads "-1013" as "NOT 1013" and lists every other page; under our answer the list
    keeps only pages about it, and one click shows the rest."""
    type_in_search_box(search, "", "-1013")
    search.wait_for_selector(".md-search-result__item", state="attached")
    items = search.locator(".md-search-result__item")
    assert items.count() >= 10  # what lunr found (nearly every page), rendered ten at a time
    visible = [items.nth(i).locator("a").first.get_attribute("href") for i in range(items.count()) if items.nth(i).is_visible()]
    assert all("codes/-1013/" in href for href in visible), visible
    toggle = search.locator("[data-errref-best] .errref-best__all")
    assert len(visible) < items.count() and "other results" in toggle.inner_text()
    toggle.click()
    assert sum(items.nth(i).is_visible() for i in range(items.count())) == items.count()
    # a paste without an answer filters nothing
    search.fill(".md-search__input", "api key")
    search.wait_for_timeout(300)
    assert search.locator(".md-search-result__item[data-errref-unrelated]").count() == 0


def test_enter_without_a_best_match_opens_nothing(search):
    """Material would open its first hit; without an answer of ours the list stays on screen."""
    type_in_search_box(search, "changes/", "api key")
    search.wait_for_selector(".md-search-result__item")
    assert search.locator("[data-errref-best]").is_hidden()
    search.keyboard.press("Enter")
    search.wait_for_timeout(500)
    assert search.url == search.base_url + "changes/"
    assert search.locator(".md-search-result__item").first.is_visible()
    # the list is still one arrow key away
    search.keyboard.press("ArrowDown")
    search.keyboard.press("Enter")
    search.wait_for_function("() => location.pathname !== '/changes/'")


def test_under_an_answer_the_theme_never_says_nothing_matched(search):
    """A pasted line the theme's full-text search finds nothing for: the answer shows, and the theme's
    "No matching documents" does not sit under it as if there were no answer.  Without an answer it stays."""
    meta = search.locator(".md-search-result__meta")
    type_in_search_box(search, "", "APIError(code=-1013): Filter failure: LOT_SIZE")
    search.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent === 'No matching documents'")
    assert search.locator(".md-search-result__item").count() == 0
    assert search.locator("[data-errref-best]").is_visible() and meta.is_hidden()
    search.fill(".md-search__input", "qqqq zzzz")
    search.wait_for_selector("[data-errref-best]", state="hidden")
    assert meta.is_visible() and meta.inner_text() == "No matching documents"
