"""The Chinese tree in Chromium: its search box answers Chinese and English on Chinese pages,
the theme's own search finds Chinese prose (segmented by jieba), and the language switch lands on the twin."""

from __future__ import annotations

import pytest
from sitebuild import serve
from support import evaluate
from test_search_box import enter_best_match, type_in_search_box

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def search(built_site, browser):
    with serve(built_site) as url:
        page = evaluate.open_site_search(browser, url + "zh/")
        page.base_url = url
        yield page
        page.close()


@pytest.mark.parametrize(
    "typed, path",
    [
        ("消息无效", "zh/codes/-1013/"),  # upstream's Chinese name
        ("账户金额不足", "zh/messages/account-has-insufficient-balance-for-requested-action/"),  # a Chinese description
        ("binance.exceptions.BinanceAPIException: APIError(code=-1013): Filter failure: LOT_SIZE", "zh/filters/lot-size/"),
        ("-1021", "zh/codes/-1021/"),
    ],
)
def test_the_chinese_search_box_lands_on_chinese_pages(search, typed, path):
    type_in_search_box(search, "zh/changes/", typed)
    enter_best_match(search, path, says="最佳匹配")  # the panel in Chinese
    assert search.evaluate("document.documentElement.lang") == "zh-CN"


def test_the_themes_search_finds_chinese_prose_in_the_chinese_tree(search):
    """A word of the Chinese prose (no code, no name): the theme's full-text index, segmented into words
    by jieba at build time, finds it (the query is matched word by word: 撮合, not 撮合引擎 unspaced)."""
    type_in_search_box(search, "zh/", "撮合")
    # attached, not visible: under a best match the panel keeps only the answer's related pages in view
    search.wait_for_selector(".md-search-result__item a", state="attached", timeout=30000)
    hrefs = search.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    assert hrefs and all(href.startswith(search.base_url + "zh/") for href in hrefs), hrefs[:5]


def test_the_language_switch_opens_the_same_page_in_the_other_language(search):
    search.goto(search.base_url + "codes/-1013/")
    search.locator("nav.errref-language a[hreflang='zh-CN']").click()
    search.wait_for_url(search.base_url + "zh/codes/-1013/")
    assert "消息无效" in search.locator("h1").inner_text()
    search.locator("nav.errref-language a[hreflang='en']").click()
    search.wait_for_url(search.base_url + "codes/-1013/")
    assert search.evaluate("document.documentElement.lang") == "en"

