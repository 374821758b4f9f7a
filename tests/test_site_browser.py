"""The site in a real Chromium: pages, cross-links, short links, copy buttons, and hostile upstream text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ARTIFACTS, DATA, EXHAUSTIVE
from lxml import html as lxml_html
from sitebuild import serve

from scraper.site import paths

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def base_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture()
def page(browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    assert dialogs == [], f"a dialog opened: {dialogs}"
    context.close()


def heading(page) -> str:
    return page.locator("h1").inner_text().removesuffix("¶").strip()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_code_page_and_payload_copy(page, base_url):
    page.goto(base_url + "codes/-1021/")
    assert heading(page) == "-1021 INVALID_TIMESTAMP"
    assert page.locator("article li").get_by_text("Timestamp for this request is outside of the recvWindow.").is_visible()
    block = page.locator("#example-response + div.highlight, #example-response ~ div.highlight").first
    block.hover()
    block.locator("button[title='Copy to clipboard']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert json.loads(copied) == {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}
    short = page.locator(".short-link code").inner_text()
    assert short == base_url + "-1021/"
    shot(page, "code-page")


def test_filter_page_cross_link(page, base_url):
    page.goto(base_url + "filters/lot-size/")
    assert heading(page) == "Filter failure: LOT_SIZE"
    page.locator("article").get_by_role("link", name="Filter failure: MARKET_LOT_SIZE").first.click()
    page.wait_for_url("**/filters/market-lot-size/")
    assert heading(page) == "Filter failure: MARKET_LOT_SIZE"
    shot(page, "filter-page")


def test_rejection_message_page_links_to_its_codes(page, base_url, built_site):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    slug = paths.message_slugs([r["text"] for r in data["engine_messages"]])["Account has insufficient balance for requested action."]
    page.goto(base_url + paths.message_path(slug))
    assert heading(page) == "Account has insufficient balance for requested action."
    page.locator("article").get_by_role("link", name="-2010 NEW_ORDER_REJECTED", exact=True).click()
    page.wait_for_url("**/codes/-2010/")
    shot(page, "message-page")


@pytest.mark.parametrize(
    "short, canonical",
    [
        ("1013/", "codes/-1013/"), ("-1013/", "codes/-1013/"), ("codes/1013/", "codes/-1013/"),
        ("INVALID_MESSAGE/", "codes/-1013/"), ("invalid_message/", "codes/-1013/"), ("codes/INVALID_MESSAGE/", "codes/-1013/"),
        ("filters/LOT_SIZE/", "filters/lot-size/"), ("LOT_SIZE/", "filters/lot-size/"), ("filters/lot_size/", "filters/lot-size/"),
        ("sections/errors-regarding-placing-orders-via/", "sections/errors-regarding-placing-orders-via-cancelreplace/"),
    ],
)
def test_short_link_lands_on_canonical_page(page, base_url, short, canonical):
    page.goto(base_url + short)
    page.wait_for_url(base_url + canonical)
    assert page.locator("h1").count() == 1


def test_light_dark_toggle(page, base_url):
    page.goto(base_url)
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


def test_index_pages_filter_by_channel(page, base_url):
    page.goto(base_url + "sections/11xx/")
    rows = page.locator(".errref-filterable tbody tr")
    total = rows.count()
    page.locator(".errref-channel-buttons button", has_text="FIX").first.click()
    visible = [rows.nth(i) for i in range(total) if rows.nth(i).is_visible()]
    assert 0 < len(visible) < total
    assert all("FIX" in row.locator("td").last.inner_text() for row in visible)
    assert page.locator("[data-errref-count]").inner_text() == f"{len(visible)} of {total}"
    page.locator(".errref-channel-buttons button", has_text="All").first.click()
    assert sum(rows.nth(i).is_visible() for i in range(total)) == total
    assert page.locator("[data-errref-count]").inner_text() == str(total)


def test_a_channel_no_row_comes_over_says_so(page, base_url):
    page.goto(base_url + "sections/10xx/")  # no 10xx code comes over SBE
    page.locator(".errref-channel-buttons button", has_text="SBE").first.click()
    assert page.locator(".errref-filterable table").first.is_hidden()
    assert page.locator(".errref-empty").first.inner_text() == "None of these come over SBE."
    assert page.locator("[data-errref-count]").inner_text().startswith("0 of ")


@pytest.mark.parametrize(
    "asked, guess, target",
    [
        ("LOT_SZE/", "Did you mean LOT_SIZE?", "filters/lot-size/"),  # a typo: the nearest name
        ("codes/INVALID_MESAGE/", "Did you mean -1013 INVALID_MESSAGE?", "codes/-1013/"),
        ("Filter%20failure:%20LOT_SIZE/", "Did you mean LOT_SIZE?", "filters/lot-size/"),  # what the resolver reads
        ("codes/-1021/oops/", None, None),  # below a real page: nothing to guess from "oops"
        ("zh/LOT_SZE/", "Did you mean LOT_SIZE?", "zh/filters/lot-size/"),  # the host's one 404 page guesses in the Chinese tree
    ],
)
def test_the_404_page_guesses_from_the_url_or_focuses_the_search_box(page, base_url, asked, guess, target):
    """A guess is focused, so Enter follows it; without one the search box is."""
    response = page.goto(base_url + asked)
    assert response.status == 404
    assert heading(page) == "Page not found"
    shown = page.locator("[data-errref-guess]")
    if guess is None:
        page.wait_for_function("() => document.activeElement && document.activeElement.matches('.md-search__input')")
        assert shown.is_hidden()
        return
    page.wait_for_selector("[data-errref-guess]:not([hidden])")
    assert shown.inner_text() == guess
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('[data-errref-guess] a')")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + target)


def test_the_404_page_says_a_missing_code_is_not_in_this_reference_as_of_its_date(page, base_url):
    as_of = json.loads(DATA.read_text(encoding="utf-8"))["source"]["en"]["retrieved_at"][:10]
    assert page.goto(base_url + "codes/-2043/").status == 404  # newer upstream than the committed data
    page.wait_for_selector("[data-errref-guess]:not([hidden])")
    text = page.locator("[data-errref-guess]").inner_text()
    assert text.startswith(f"Code -2043 is not in this reference: upstream's error page as of {as_of} does not list it.")


def _live_pages(kind: str) -> list[str]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if kind == "codes":
        return [paths.code_path(c["code"]) for c in data["codes"]]
    slugs = paths.message_slugs([r["text"] for r in data["engine_messages"]])
    return [paths.filter_path(r["filter"]) for r in data["filter_failures"]] + [paths.message_path(slugs[r["text"]]) for r in data["engine_messages"]]


def _text_before_the_steps(site: Path, url: str) -> int:
    """How many characters of the article come before its "What to do" heading (all of it when there is none)."""
    article = lxml_html.fromstring((site / url / "index.html").read_bytes()).find(".//article")
    seen = 0
    for element in article.iter():
        if element.tag == "h2" and (element.text_content() or "").startswith("What to do"):
            return seen
        seen += len(element.text or "") + len(element.tail or "")
    return seen


PHONE_SAMPLE = 12  # per half, in `make test`: the pages with the most text above their steps


@pytest.mark.parametrize("kind", ["codes", "rows"])  # two halves, for two test workers
def test_what_to_do_starts_on_a_phones_first_screen_on_every_page(browser, built_site, base_url, kind):
    """Live code, filter and message pages at 390x844: the steps' heading starts on the first screen.

    `make check` loads every page; `make test` the ones with the most text above the steps,
    which are the first a longer summary or a taller header pushes off the screen."""
    urls = _live_pages(kind)
    if not EXHAUSTIVE:
        urls = sorted(urls, key=lambda url: -_text_before_the_steps(built_site, url))[:PHONE_SAMPLE]
    # the content's layout is the stylesheets' alone: without scripts each page loads in a fraction of the time
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    phone = context.new_page()
    late = {}
    for url in urls:
        phone.goto(base_url + url, wait_until="load")
        top = phone.evaluate(
            "() => { const h = [...document.querySelectorAll('article h2')].find(e => e.textContent.startsWith('What to do'));"
            " return h ? h.getBoundingClientRect().top : null; }"
        )
        if top is None or top >= 844:
            late[url] = top
    context.close()
    assert len(urls) >= (50 if EXHAUSTIVE else PHONE_SAMPLE) and late == {}


def test_home_quotes_upstream_and_long_lines_wrap_clear_of_the_copy_button(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(base_url)
    intro = phone.locator(".errref-upstream-intro")
    assert intro.inner_text().startswith("Upstream's error page begins: Errors consist of two parts: an error code and a message.")
    assert '"msg": "Invalid symbol."' in intro.locator("code").inner_text()
    pasted = phone.locator("pre code", has_text="APIError(code=-1013)").first
    assert "Filter failure: LOT_SIZE" in pasted.inner_text()
    # the whole line shows: no scrolling sideways, and the copy button covers none of it
    assert pasted.evaluate("e => e.scrollWidth <= e.clientWidth")
    button = pasted.locator("xpath=..").locator("button").first
    text_right = pasted.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); return Math.max(...[...r.getClientRects()].map(x => x.right)); }")
    assert text_right <= button.bounding_box()["x"] + 1
    context.close()
