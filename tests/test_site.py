"""The built site: strict build, no broken links, one canonical page per thing, short links."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import DATA, ROOT, committed_inputs
from support.linkcheck import check_site, html_tree, redirect_target, resolve_redirect

from scraper.site import paths
from scraper.site.templating import labels


def with_class(name: str) -> str:
    return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


@pytest.fixture(scope="module")
def data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_no_broken_internal_links_or_anchors(built_site):
    broken = check_site(built_site)
    assert broken == [], broken[:10]
    assert len(list(built_site.rglob("*.html"))) > 160


def test_link_checker_finds_a_broken_link(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    page = copy / "codes" / "-1013" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("../../filters/lot-size/", "../../filters/lot-sise/", 1), encoding="utf-8")
    (copy / "index.html").write_text('<a href="codes/-1013/#no-such-anchor">x</a>', encoding="utf-8")
    found = check_site(copy)
    assert ("codes/-1013/index.html", "no") in {(b.page, b.problem.split(" ")[0]) for b in found}
    assert any(b.href == "codes/-1013/#no-such-anchor" for b in found)


def test_every_entry_has_exactly_one_canonical_page(built_site, data):
    urls = [paths.code_path(c["code"]) for c in data["codes"]]
    urls += [paths.filter_path(r["filter"]) for r in data["filter_failures"]]
    slugs = paths.message_slugs([r["text"] for r in data["engine_messages"]])
    urls += [paths.message_path(slugs[r["text"]]) for r in data["engine_messages"]]
    assert len(set(urls)) == len(urls)
    for url in urls:
        page = built_site / url / "index.html"
        assert page.is_file(), url
        assert redirect_target(page) is None, f"{url} is a redirect, not the page"


def test_short_links_land_on_the_canonical_page(built_site, data):
    for code in data["codes"]:
        canonical = (built_site / paths.code_path(code["code"]) / "index.html").resolve()
        for short in (f"{code['code']}/", f"{abs(code['code'])}/", f"codes/{abs(code['code'])}/"):
            assert resolve_redirect(built_site, built_site / short / "index.html").resolve() == canonical, short
    for row in data["filter_failures"]:
        landing = resolve_redirect(built_site, built_site / "filters" / row["filter"] / "index.html")
        assert landing.resolve() == (built_site / paths.filter_path(row["filter"]) / "index.html").resolve()


def test_machine_readable_files_are_published(built_site, data):
    from scraper.catalog import guidance, store

    published = json.loads((built_site / "errors.json").read_text(encoding="utf-8"))
    store.validate(published, "published errors.json")
    assert (built_site / "errors.schema.json").read_bytes() == (ROOT / "data" / "errors.schema.json").read_bytes()
    # the scraped data, plus the retry class and channels of every entry
    stripped = json.loads(json.dumps(published))
    for entry in stripped["codes"] + stripped["engine_messages"] + stripped["filter_failures"]:
        assert entry.pop("retry") in guidance.RETRY_CLASSES
        entry.pop("channels")
    assert stripped == data
    by_code = {c["code"]: c for c in published["codes"]}
    assert by_code[-1021]["retry"] == "fix-request" and by_code[-1003]["retry"] == "backoff"
    assert by_code[-1006]["retry"] == by_code[-1007]["retry"] == "check-status"
    assert "FIX" in by_code[-1178]["channels"] and "SBE" in by_code[-1152]["channels"]


def test_navigation_shows_sections_not_every_page(built_site):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((built_site / "sections" / "10xx" / "index.html").read_text(encoding="utf-8"), "lxml")
    nav = soup.select_one("nav.md-nav--primary")
    links = [a.get("href") for a in nav.find_all("a", href=True)]
    assert "10xx - General Server or Network issues" in nav.get_text()
    assert "Filter failures" in nav.get_text()
    assert not any("codes/" in href for href in links), links


def test_footer_states_the_date_of_the_data(built_site):
    """The theme's own features (toggle, copy button) are driven in Chromium: test_site_browser.py."""
    taken = json.loads(DATA.read_text(encoding="utf-8"))["source"]["en"]["retrieved_at"][:10]
    footer = BeautifulSoup((built_site / "codes" / "-1021" / "index.html").read_text(encoding="utf-8"), "html.parser").find("footer")
    assert taken in footer.get_text(" ")


def test_every_upstream_error_page_anchor_exists_upstream(built_site):
    """Links into the upstream page name ids that the page (same version, as served) really has."""
    from conftest import HTML

    upstream_ids = {locale: set(html_tree(HTML / f"testnet-errors.d6ab31a.{locale}.html").xpath("//@id")) for locale in ("en", "zh-CN")}
    checked = 0
    for html_page in built_site.rglob("*.html"):
        for href in html_tree(html_page).xpath("//a/@href"):
            if href.startswith("https://developers.binance.com/docs/") and "/testnet/errors#" in href:
                locale = "zh-CN" if "/docs/zh-CN/" in href else "en"
                assert href.split("#", 1)[1] in upstream_ids[locale], (html_page, href)
                checked += 1
    assert checked > 300


def test_no_page_shows_markdown_source_in_its_title_or_heading(built_site):
    """"Order book liquidity is less than `LOT_SIZE` …": code in the h1, plain in <title> and search."""
    pages = [p for p in built_site.rglob("index.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(pages) > 150  # every code, filter, message, section and index page
    for page in pages:
        tree = html_tree(page)
        shown = [tree.findtext(".//title")] + [e.text_content() for e in tree.xpath(f"//h1 | {with_class('md-nav__link')} | {with_class('md-header__topic')}")]
        assert not [text for text in shown if "`" in text], page
    lot = html_tree(built_site / "messages" / "order-book-liquidity-is-less-than-lot-size-filter-minimum-quantity" / "index.html")
    assert [code.text_content() for code in lot.xpath("//h1/code")] == ["LOT_SIZE"]
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["title"] for d in index["docs"] if "`" in d["title"]]


def test_every_page_ends_with_its_review_date_and_a_report_link(built_site):
    """The link opens a new issue on the tracker set in one place, the page named in it."""
    from urllib.parse import parse_qs, urlsplit

    from scraper.catalog.model import ISSUE_TRACKER_URL

    reviewed = committed_inputs().guidance["reviewed"]
    pages = [p for p in built_site.rglob("index.html") if redirect_target(p) is None and p.parent.name != "404"]
    assert len(pages) > 160
    for page in pages:
        footers = html_tree(page).xpath(with_class("errref-page-footer"))
        locale = "zh-CN" if page.relative_to(built_site).parts[0] == "zh" else "en"
        assert len(footers) == 1 and labels(locale).date(reviewed) in footers[0].text_content(), page
        [link] = footers[0].xpath(".//a[starts-with(@href, $tracker)]/@href", tracker=ISSUE_TRACKER_URL + "?")
        path = "/" + str(page.parent.relative_to(built_site)).removeprefix(".") + "/"
        assert parse_qs(urlsplit(link).query)["title"] == [labels(locale).report_title.format(page=path.replace("//", "/"))], page


def test_the_english_full_text_index_holds_no_links_into_upstream_or_language_names(built_site):
    """The "Upstream: English · 简体中文" links are on almost every page and would find them all; left
    out of the theme's index, the English tree's index holds no Chinese at all (so its build never
    loads jieba's dictionary, a second and a half of every build)."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if re.search(r"[\u4e00-\u9fff]", d["title"] + d["text"])]
    page = (built_site / "codes" / "-1013" / "index.html").read_text(encoding="utf-8")
    assert '<span data-search-exclude><a href="https://developers.binance.com/docs/binance-spot-api-docs/testnet/errors#-1013-invalid_message">English</a>' in page
