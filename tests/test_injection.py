"""Hostile upstream content through the whole pipeline: scrape -> render -> build -> Chromium.

The hostile page is the real upstream page with its texts replaced: no script may run,
no request may leave the page, and every text must show literally.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import HOSTILE, HTML, ROOT, built_once, inputs_with
from sitebuild import build_in, serve

from scraper.catalog import store
from scraper.catalog.inputs import read_translation
from scraper.catalog.model import Message
from scraper.ingest import merge
from scraper.ingest.parse import read_source
from scraper.ingest.parse.blocks import MAX_TEXT_CHARS
from scraper.site import paths

pytestmark = pytest.mark.browser

# The longest message the scraper accepts (a 100 kB one is refused: test_cli_scrape.py).
LONG_END = " end of the longest message allowed."
LONG = "A" * (MAX_TEXT_CHARS - len(LONG_END)) + LONG_END
# (code whose first message is replaced, the HTML put in its place, the message as the API
# would send it, the text the page must show).  A link with a scheme other than http(s)
# is not made a link: its Markdown source shows instead.
CORPUS = [
    (-1000, html_lib.escape("<script>window.__pwned=1</script>"), "<script>window.__pwned=1</script>", None),
    (-1001, 'image <img src="http://198.51.100.7/beacon.png" onerror="window.__pwned=2"> here', "image here", None),
    (-1002, '<a href="javascript:window.__pwned=3">click me</a>', "click me", "[click me](javascript:window.__pwned=3)"),
    (-1003, '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data link</a>', "data link", "[data link](data:text/html,%3Cscript%3Ealert%281%29%3C/script%3E)"),
    (-1006, "[md](https://evil.example/x) **bold** ![img](https://evil.example/i.png)", "[md](https://evil.example/x) **bold** ![img](https://evil.example/i.png)", None),
    (-1007, "{{ 7*7 }} {% raw %} {# comment #}", "{{ 7*7 }} {% raw %} {# comment #}", None),
    (-1008, "&amp;lt;b&amp;gt; &amp;amp; &amp;#x27;", "&lt;b&gt; &amp; &#x27;", None),
    (-1014, "RTL \u202eevil\u202c and zero\u200bwidth", "RTL \u202eevil\u202c and zero\u200bwidth", None),
    (-1015, LONG, LONG, None),
    (-1016, '<span onmouseover="window.__pwned=4" style="background:url(http://198.51.100.7/x)">styled</span>', "styled", None),
]

# Upstream's Chinese translation (errors_CN.md) is upstream text too, built into the same hostile site.
# (what errors_CN.md says, what it is replaced with, the page it shows on, the text that page must show).  errors_CN.md is
# Markdown source: markup in it is text, and shows as such.
CHINESE_CORPUS = [
    ("### -1013 消息无效", "### -1013 消息无效<script>window.__pwned=7</script>{{ 7*7 }}", "codes/-1013/", "消息无效<script>window.__pwned=7</script>{{ 7*7 }}"),
    ("| 账户金额不足。", '| 账户<img src=x onerror="window.__pwned=8">不足 [点](javascript:window.__pwned=9) {% raw %}',
     "messages/account-has-insufficient-balance-for-requested-action/",
     '账户<img src=x onerror="window.__pwned=8">不足 [点](javascript:window.__pwned=9) {% raw %}'),
]


def hostile_page() -> str:
    page = (HTML / "testnet-errors.d6ab31a.en.html").read_text(encoding="utf-8")
    for code, payload, _, _ in CORPUS:
        pattern = re.compile(rf'(id="{code}-[^"]*">.*?<li class="">)(.*?)(</li>)', re.S)
        page, count = pattern.subn(lambda m: m.group(1) + payload + m.group(3), page, count=1)
        assert count == 1, code
    # a hostile table cell and a hostile code name too
    page = page.replace("<td>The symbol is not trading.</td>", '<td><script>window.__pwned=5</script>&lt;img src=x onerror=alert(5)&gt;</td>', 1)
    return page.replace(">-1020 UNSUPPORTED_OPERATION<", ">-1020 UNSUPPORTED&lt;svg onload=alert(6)&gt;<", 1)


def hostile_translation() -> bytes:
    text = (ROOT / "upstream" / "docs" / "errors_CN.md").read_text(encoding="utf-8")
    for said, hostile, _, _ in CHINESE_CORPUS:
        assert text.count(said) == 1, said
        text = text.replace(said, hostile)
    return text.encode("utf-8")


# Texts put straight into the data the scraper wrote, past its cleaning (a hand-edited or damaged
# errors.json): the pages must still show them literally.  (code, what replaces its first message)
DATA_CORPUS = list(zip((-1100, -1101, -1102, -1103, -1104), HOSTILE))
HOSTILE_NAME = (-1105, "<b onmouseover=alert(2)>NAME</b>")
HOSTILE_FILTER_DESCRIPTION = HOSTILE[1] + " " + HOSTILE[2]


def poison_the_data(data: dict) -> None:
    codes = {code["code"]: code for code in data["codes"]}
    for code, text in DATA_CORPUS:
        codes[code]["messages"] = [Message.of(text).__dict__]
    codes[HOSTILE_NAME[0]]["name"] = HOSTILE_NAME[1]
    data["filter_failures"][0]["description"] = HOSTILE_FILTER_DESCRIPTION


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, worker_id):
    [copy] = read_source("hostile.html", hostile_page().encode("utf-8"))
    data = store.catalog_to_dict(merge.merge([copy]))
    store.validate(data, "hostile.html")
    poison_the_data(data)
    inputs = dataclasses.replace(inputs_with(data), translation=read_translation("errors_CN.md", hostile_translation()))
    return data, built_once(tmp_path_factory, worker_id, "hostile-build", lambda folder: build_in(folder, inputs))


def test_scraped_texts_are_literal(hostile_site):
    data, _ = hostile_site
    plain = {c["code"]: c["messages"][0]["plain"] for c in data["codes"] if c["messages"]}
    for code, _, expected, _ in CORPUS:
        assert " ".join(plain[code].split()) == " ".join(expected.split()), code
    assert len(next(c for c in data["codes"] if c["code"] == -1015)["messages"][0]["text"]) == MAX_TEXT_CHARS
    assert any(c["name"] == "UNSUPPORTED<svg onload=alert(6)>" for c in data["codes"])


def test_nothing_runs_and_nothing_leaves_the_page(browser, hostile_site):
    data, site = hostile_site
    context = browser.new_context()
    page = context.new_page()
    dialogs, outside = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve(site) as base:
        allowed = urlsplit(base).netloc
        page.on("request", lambda r: None if urlsplit(r.url).netloc == allowed or r.url.startswith("data:") else outside.append(r.url))
        for code, _, plain, shown in CORPUS:
            shown = shown or plain
            page.goto(f"{base}codes/{code}/")
            page.wait_for_load_state("networkidle")
            text = page.locator("article").inner_text()
            assert " ".join(shown.split()) in " ".join(text.split()), code
            assert page.locator("article script, article img, article [onerror], article [onmouseover], article a[href^='javascript'], article a[href^='data']").count() == 0
            for anchor in page.locator("article a").all():
                assert not (anchor.get_attribute("href") or "").startswith("https://evil.example")
        page.goto(f"{base}messages/market-is-closed/")
        # the real <script> element was upstream markup, not text: it is dropped, the escaped one shows
        assert "<img src=x onerror=alert(5)>" in page.locator("article").inner_text()
        page.goto(f"{base}codes/-1020/")
        assert "UNSUPPORTED<svg onload=alert(6)>" in page.locator("h1").inner_text()
        csp = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp
        assert page.evaluate("typeof window.__pwned") == "undefined"
        for _, _, path, _ in CHINESE_CORPUS:
            page.goto(f"{base}zh/{path}")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
    context.close()
    assert dialogs == [] and outside == []


def test_a_hostile_chinese_translation_shows_literally_and_runs_nothing(hostile_site):
    _, site = hostile_site
    for _, _, path, shown in CHINESE_CORPUS:
        article = BeautifulSoup((site / "zh" / path / "index.html").read_text(encoding="utf-8"), "html.parser").find("article")
        assert " ".join(shown.split()) in " ".join(article.get_text(" ").split()), path
        assert article.select("script, img, [onerror], a[href^='javascript']") == [], path


def test_hostile_text_in_the_data_itself_shows_literally_and_runs_nothing(browser, hostile_site):
    data, site = hostile_site
    targets = [(paths.code_path(code), text) for code, text in [*DATA_CORPUS, HOSTILE_NAME]]
    targets.append((paths.filter_path(data["filter_failures"][0]["filter"]), HOSTILE_FILTER_DESCRIPTION))
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(site) as url:
        for path, text in targets:
            page.goto(url + path)
            article = page.locator("article")
            assert text in article.inner_text(), (path, text)
            assert article.locator("script, img[onerror], a[href^='javascript'], [onmouseover]").count() == 0
            assert page.evaluate("typeof window.__pwned") == "undefined"
    page.close()
    assert dialogs == []
