"""The site built by Zensical, Material's successor (make site BUILDER=zensical): the resolver's panel
works in its search dialog through the one theme adapter of search.js, in Chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import built_once, committed_inputs
from sitebuild import serve
from support.styles import style_differences
from test_accessibility import AXE

from scraper.site import builder

pytestmark = pytest.mark.browser
try:
    import zensical
except ImportError:  # zensical_site skips
    zensical = None

# Zensical's search is a dialog in a shadow root: the element that hosts it, and through it the panel,
# the input and the list.
SEARCH_DIALOG_HOST = '[...document.querySelectorAll("*")].find(e => e.shadowRoot && e.shadowRoot.querySelector("dialog"))'
PANEL = """() => {
    const host = {host};
    const panel = host && host.shadowRoot.querySelector("[data-errref-best]");
    if (!panel || panel.hidden) return null;
    const items = [...host.shadowRoot.querySelectorAll('[role="listbox"] > li')];
    const shown = items.filter(i => i.offsetParent !== null).map(i => new URL(i.querySelector("a").href).pathname);
    return {path: panel.dataset.path || null, kind: panel.dataset.kind, shown: shown, all: items.length,
            styled: !!host.shadowRoot.querySelector("link[data-errref-style]")};
}""".replace("{host}", SEARCH_DIALOG_HOST)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory, worker_id):
    if not (Path(sys.executable).parent / "zensical").exists():
        pytest.skip("Zensical is not installed (requirements-dev.txt pins it; `make install`)")
    site = built_once(tmp_path_factory, worker_id, "zensical-build", lambda folder: builder.build_into(committed_inputs(), folder, "zensical")[1])
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, zensical_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base_url = zensical_site
    yield page
    assert errors == []
    page.close()


def answer_for(page, typed: str, tree: str = "") -> dict:
    """Open the search dialog on a fresh page, type, and wait for our panel inside it."""
    page.goto(page.base_url + tree + "changes/")
    page.locator(".md-search__input").click()
    page.keyboard.type(typed)
    page.wait_for_function(f"() => ({PANEL})() !== null")
    return page.evaluate(PANEL)


@pytest.mark.parametrize(
    "typed, path",
    [
        ("binance.exceptions.BinanceAPIException: APIError(code=-1013): Filter failure: LOT_SIZE", "filters/lot-size/"),
        ('{"code":-2010,"msg":"Account has insufficient balance for requested action."}', "messages/account-has-insufficient-balance-for-requested-action/"),
        ("HTTP 429", "http/429/"),
    ],
)
def test_paste_best_match_enter(page, typed, path):
    shown = answer_for(page, typed)
    assert shown["path"] == path and shown["styled"]
    page.keyboard.press("Enter")
    page.wait_for_url(page.base_url + path)


def test_the_chinese_tree_in_chinese_with_its_own_answers(page):
    """Zensical builds the zh/ tree too: Chinese interface, and the resolver lands on Chinese pages."""
    shown = answer_for(page, "消息无效", "zh/")
    assert shown["path"] == "codes/-1013/"
    page.keyboard.press("Enter")
    page.wait_for_url(page.base_url + "zh/codes/-1013/")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert "消息无效" in page.locator("h1").inner_text()
    page.locator("nav.errref-language a[hreflang='en']").click()
    page.wait_for_url(page.base_url + "codes/-1013/")


def test_the_theme_list_under_an_answer_keeps_related_pages_only(page):
    answer_for(page, "-1013")
    # Zensical renders its own hits after ours; the panel then shortens the list
    page.wait_for_function(f"() => {{ const s = ({PANEL})(); return s.all > 0 && s.shown.length < s.all; }}")
    shown = page.evaluate(PANEL)
    assert shown["path"] == "codes/-1013/"
    # of Zensical's own hits only those on the answer's page stay
    assert shown["all"] > len(shown["shown"]) and all(path.endswith("/codes/-1013/") for path in shown["shown"]), shown


# Zensical's own status line in its dialog ("No results", "10 results"), and whether it shows.
THEME_STATUS = """() => {
    const host = {host};
    const status = host && host.shadowRoot.querySelector('[role="status"]:not(.errref-best)');
    return status ? {text: status.textContent.trim(), shown: status.checkVisibility()} : null;
}""".replace("{host}", SEARCH_DIALOG_HOST)


def test_under_an_answer_the_theme_never_says_nothing_matched(page):
    """Zensical finds nothing for a pasted JSON body: its "No results" does not sit under the answer."""
    shown = answer_for(page, '{"code":-2010,"msg":"Account has insufficient balance for requested action."}')
    assert shown["path"] == "messages/account-has-insufficient-balance-for-requested-action/"
    page.wait_for_function(f"() => {{ const s = ({THEME_STATUS})(); return s !== null && s.text === 'No results'; }}")
    assert page.evaluate(THEME_STATUS)["shown"] is False


def test_the_404_page_guesses_and_short_links_redirect(page):
    response = page.goto(page.base_url + "LOT_SZE/")
    assert response.status == 404
    page.wait_for_selector("[data-errref-guess]:not([hidden])")
    assert page.locator("[data-errref-guess]").inner_text() == "Did you mean LOT_SIZE?"
    page.goto(page.base_url + "1013/")
    page.wait_for_url(page.base_url + "codes/-1013/")


def test_csp_holds_and_nothing_complains(browser, zensical_site):
    fresh = browser.new_page()
    problems: list[str] = []
    fresh.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    fresh.on("pageerror", lambda error: problems.append(str(error)))
    fresh.goto(zensical_site + "codes/-1013/")
    assert fresh.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    fresh.locator(".md-search__input").click()
    fresh.keyboard.type("LOT_SIZE")
    fresh.wait_for_function(f"() => ({PANEL})() !== null")
    fresh.close()
    assert problems == []


def test_no_serious_accessibility_violations(browser, zensical_site):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make install` (npm ci --prefix tests/a11y)")
    fresh = browser.new_page()
    fresh.goto(zensical_site + "codes/-1013/")
    fresh.add_script_tag(path=str(AXE))
    result = fresh.evaluate("axe.run(document, {resultTypes: ['violations']})")
    fresh.close()
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_dark_mode_copy_buttons_and_the_channel_filter(browser, zensical_site):
    fresh = browser.new_page()
    fresh.goto(zensical_site + "codes/-1013/")
    assert fresh.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    fresh.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert fresh.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    blocks = fresh.locator("pre > code").count()
    assert blocks > 0 and fresh.locator("[data-clipboard-target]").count() >= blocks  # Zensical's copy buttons
    fresh.goto(zensical_site + "sections/10xx/")  # no 10xx code comes over SBE
    fresh.locator(".errref-channel-buttons button", has_text="SBE").first.click()
    assert fresh.locator(".errref-empty").first.inner_text() == "None of these come over SBE."
    fresh.close()


def test_the_keyboard_reaches_the_answer(browser, zensical_site):
    fresh = browser.new_page(viewport={"width": 1280, "height": 900})
    fresh.goto(zensical_site + "changes/")
    fresh.keyboard.press("/")  # the theme's shortcut opens its search
    fresh.keyboard.type("INVALID_MESSAGE")
    fresh.wait_for_function(f"() => ({PANEL})() !== null")
    fresh.keyboard.press("Enter")
    fresh.wait_for_url(zensical_site + "codes/-1013/")
    fresh.close()


@pytest.mark.parametrize("opened_by, typed_by", [("the / key", "typing"), ("the phone's search icon", "typing"), ("the / key", "a paste")])
def test_the_themes_index_waits_for_search_and_nothing_typed_meanwhile_is_lost(browser, zensical_site, opened_by, typed_by):
    """Zensical fetches search.json as each page loads and builds its dialog only once it is in;
    assets/javascripts/defer-theme-index.js holds the request until search is opened, and keeps what is typed until
    the dialog's box appears.  The index is held here at the network until the typing is done."""
    phone = opened_by != "the / key"
    fresh = browser.new_page(viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900})
    fetched: list[str] = []
    held: list = []
    fresh.on("request", lambda request: fetched.append(request.url))
    fresh.route("**/search.json", lambda route: held.append(route))
    fresh.goto(zensical_site + "changes/")
    fresh.wait_for_load_state("networkidle")
    assert not any(url.endswith("/search.json") for url in fetched)
    with fresh.expect_request(zensical_site + "search.json"):
        if phone:
            fresh.locator("label.md-header__button[for='__search']").click()
        else:
            fresh.keyboard.press("/")
    if typed_by == "a paste":  # what Ctrl+V on the page delivers
        fresh.evaluate("""() => { const data = new DataTransfer(); data.setData("text", "INVALID_MESSAGE");
                                  document.body.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true})); }""")
    else:
        fresh.keyboard.type("INVALID_MESSAGE")
    assert fresh.evaluate(f"() => ({PANEL})()") is None  # no dialog yet: the theme has no index
    waiting = "() => document.documentElement.hasAttribute('data-errref-search-waiting')"
    assert fresh.evaluate(waiting)  # the bar under the header says search is coming
    said = "() => document.querySelector('[role=status][data-errref-search-status]').textContent"
    assert fresh.evaluate(said) == "Initializing search"  # and so does a screen reader, in the theme's words
    for _ in range(100):  # the route's handler runs when Playwright next dispatches its events
        if held:
            break
        fresh.wait_for_timeout(20)
    assert len(held) == 1
    held[0].continue_()
    fresh.wait_for_function(f"() => ({PANEL})() !== null")
    assert fresh.evaluate(f"() => ({PANEL})()")["path"] == "codes/-1013/"
    assert not fresh.evaluate(waiting) and fresh.evaluate(said) == ""
    fresh.keyboard.press("Enter")
    fresh.wait_for_url(zensical_site + "codes/-1013/")
    fresh.close()


def _open_search_and_type(typed: str):
    def act(page) -> None:
        page.keyboard.press("/")
        page.keyboard.type(typed)
        page.wait_for_function(f"() => ({PANEL})() !== null")
        page.wait_for_load_state("networkidle")

    return act


@pytest.mark.parametrize(
    "path, viewport, dark, act",
    [
        ("zh/codes/-1013/", {"width": 390, "height": 844}, True, None),
        ("changes/", {"width": 1280, "height": 900}, True, _open_search_and_type("Filter failure: LOT_SIZE")),
    ],
    ids=["zh code page, phone, dark", "search open, dark"],
)
def test_every_element_looks_the_same_as_with_the_whole_theme_stylesheets(browser, zensical_site, path, viewport, dark, act):
    """Zensical's stylesheets are cut to what the site uses (scraper/site/stylesheets.py), as Material's are."""
    templates = Path(zensical.__file__).parent / "templates"
    assert style_differences(browser, zensical_site + path, viewport, dark, templates, act)[:5] == []


def test_the_first_paint_needs_nothing_of_the_late_stylesheet(browser, zensical_site):
    """Zensical's pages, too, look whole before any script runs and before the late stylesheet is in."""
    templates = Path(zensical.__file__).parent / "templates"
    phone = {"width": 390, "height": 844}
    assert style_differences(browser, zensical_site + "codes/-1013/", phone, True, templates, first_paint=True)[:5] == []
