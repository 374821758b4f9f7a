"""The Chinese tree (zh/): every page's twin, in Chinese, from upstream's own translation, linked both ways."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, committed_inputs
from support.catalog_check import kept_apart, missing_and_unused
from support.linkcheck import redirect_target, resolve_redirect

from scraper.catalog.model import ScrapeError
from scraper.site import render, templating


def soup_of(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")


def english_pages(site: Path) -> list[Path]:
    """The English tree's pages (not its redirect stubs): everything outside zh/, search/ and assets/."""
    return [
        page for page in sorted(site.rglob("index.html"))
        if page.relative_to(site).parts[0] not in ("zh", "search", "assets") and redirect_target(page) is None
    ]


def target_of(site: Path, page: Path, href: str) -> Path:
    url = urljoin("http://site/" + str(page.relative_to(site)), href)
    path = urlsplit(url).path.lstrip("/")
    return site / path / "index.html" if path.endswith("/") or not path else site / path


# --- the templates' wording ---------------------------------------------------------------


def test_the_catalog_translates_every_wording_and_nothing_else():
    catalog = templating.catalog("zh-CN")
    missing, unused = missing_and_unused(templating.TEMPLATES, catalog)
    assert missing == [] and unused == []
    assert kept_apart(catalog) == []  # placeholders, link targets, code spans and numbers survive translation
    assert len(catalog) > 100


def test_a_wording_the_catalog_lacks_fails_the_chinese_build_naming_it():
    env = render.environment("zh-CN")
    with pytest.raises(ScrapeError, match=r"zh-CN\.yaml: no translation of 'A wording nobody translated'"):
        env.from_string('{{ _("A wording nobody translated") }}').render()
    assert render.environment("en").from_string('{{ _("A wording nobody translated") }}').render() == "A wording nobody translated"


# --- every page has its twin, and the twins link each other ----------------------------------------


def test_every_english_page_has_a_chinese_twin_and_they_link_each_other(built_site):
    pages = english_pages(built_site)
    assert len(pages) > 160
    for page in pages:
        twin = built_site / "zh" / page.relative_to(built_site)
        assert twin.is_file(), f"no Chinese twin of {page.relative_to(built_site)}"
        for here, there, lang in ((page, twin, "zh-CN"), (twin, page, "en")):
            switch = soup_of(here).select_one("nav.errref-language a[hreflang]")
            assert switch["hreflang"] == lang and switch["lang"] == lang
            assert target_of(built_site, here, switch["href"]).resolve() == there.resolve(), (here, lang)
    # no <link rel=alternate> in <head>: both themes would fetch a sitemap.xml beside each (see main.html)
    assert soup_of(pages[0]).find("link", rel="alternate", hreflang=True) is None


def test_the_chinese_pages_are_in_chinese(built_site):
    page = soup_of(built_site / "zh" / "codes" / "-1013" / "index.html")
    assert page.html["lang"] == "zh-CN"
    assert page.h1.get_text().startswith("-1013 消息无效")
    text = page.get_text(" ")
    # upstream's Chinese description, and the English message the API sends, side by side
    assert "请求被 API 拒绝" in text
    assert "Filter failure" in text or "INVALID_MESSAGE" in text
    # the guidance, in the Chinese file's words
    chinese = yaml.safe_load((ROOT / "data" / "guidance.zh-CN.yaml").read_text(encoding="utf-8"))
    first_step = chinese["codes"]["-1013"]["fix"][0]
    assert re.sub(r"`", "", first_step)[:12] in page.get_text("")
    assert page.title.get_text().endswith("币安现货 API（测试网）错误代码参考")
    # the theme's own interface: Material's Chinese labels
    assert page.select_one("input.md-search__input")["placeholder"] == "搜索"
    english = soup_of(built_site / "codes" / "-1013" / "index.html")
    assert english.html["lang"] == "en"
    assert "消息无效" not in english.h1.get_text()


def test_the_chinese_tree_has_its_404_page_feed_and_short_links(built_site):
    zh = built_site / "zh"
    not_found = soup_of(zh / "404.html")
    assert not_found.html["lang"] == "zh-CN" and not_found.h1.get_text() == "页面不存在"
    # not-found.js fills the guess from these, in the tree's language
    assert not_found.select_one("[data-errref-not-found]")["data-said-guess"] == "您要找的是不是 {link}？"
    feed = (zh / "changes" / "feed.xml").read_text(encoding="utf-8")
    assert feed.startswith("<?xml") and "<feed" in feed
    for short in ("-1013", "1013", "LOT_SIZE"):
        landing = resolve_redirect(built_site, zh / short / "index.html")
        assert landing.resolve().is_relative_to(zh.resolve()), short
    assert resolve_redirect(built_site, zh / "-1013" / "index.html").resolve() == (zh / "codes" / "-1013" / "index.html").resolve()


# --- honest about what upstream has not translated ----------------------------------------------------


def chinese_pages(inputs) -> dict[str, str]:
    return render.build_pages(inputs, locale="zh-CN")


def test_a_code_upstream_has_not_translated_says_so_and_shows_the_english():
    inputs = committed_inputs()
    translation = inputs.translation
    without = dataclasses.replace(translation, codes=[c for c in translation.codes if c.code != -1021])
    inputs = dataclasses.replace(inputs, translation=without)
    pages = chinese_pages(inputs)
    page = pages["codes/-1021.md"]
    assert 'title: "-1021 INVALID_TIMESTAMP"' in page  # the English name, as upstream's English page gives it
    assert "Timestamp for this request" in page  # the English message, shown as it is
    translated = pages["codes/-1022.md"]
    assert "签名不正确" in translated
    untranslated_note = set(page.splitlines()) - set(translated.splitlines())
    assert any(re.search(r"[\u4e00-\u9fff]", line) and "errors_CN.md" in line for line in untranslated_note), untranslated_note


def test_codes_only_the_chinese_copy_lists_are_named_on_the_chinese_home_page():
    pages = chinese_pages(committed_inputs())
    home = pages["index.md"]
    assert "2043 无参考价格" in home  # errors_CN.md lists -2043; the vendored testnet page does not
    assert "errors_CN.md" in home


def test_search_says_it_is_coming_in_the_pages_language(built_site):
    """What the index-holding script announces while the theme's index loads: the theme's own words."""
    for page, says in ((built_site / "codes" / "-1013" / "index.html", "Initializing search"),
                       (built_site / "zh" / "codes" / "-1013" / "index.html", "正在初始化搜索引擎")):
        assert f'<meta name="errref-search-waiting" content="{says}">' in page.read_text(encoding="utf-8")
