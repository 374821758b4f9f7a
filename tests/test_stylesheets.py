"""The theme's stylesheets cut to what the site can use (scraper/site/stylesheets.py): a lighter first
visit that looks exactly the same, element by element, in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import material
import pytest
from sitebuild import serve
from support.styles import CUT_STYLESHEET, LATE_STYLESHEET, style_differences

from scraper.site.stylesheets import THEME_STYLESHEETS, VARIABLE_USE, cut, shipped_words, used_rules, without_unused_properties

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def whole_material_stylesheet() -> str:
    [main] = (MATERIAL_TEMPLATES / "assets" / "stylesheets").glob("main.*.min.css")
    return main.read_text(encoding="utf-8")


def test_a_selector_stays_only_if_the_site_has_every_name_it_requires():
    css = ".md-typeset a,.md-annotation__index{color:red}.md-typeset .md-tooltip{top:0}#__search:not(.unused)~.md-header{x:1}[data-md-unused]{y:2}"
    words = frozenset({"md-typeset", "md-header", "__search"})
    assert used_rules(css, words) == ".md-typeset a{color:red}#__search:not(.unused)~.md-header{x:1}"


def test_a_custom_property_stays_only_if_something_refers_to_it():
    css = ":root{--md-used:1px;--md-unused:url(x);color:red}.a{width:var(--md-used)}"
    assert without_unused_properties(css, frozenset({"md-used"})) == ":root{--md-used:1px;color:red}.a{width:var(--md-used)}"


def test_a_cut_made_once_is_reused_only_for_the_same_names():
    """A cut asked for again is reused only for words that agree on the stylesheet's names."""
    css = ".a{color:red}.b{--x:1;--y:2;color:var(--x)}@media print{.c{top:0}}"
    assert used_rules(css, frozenset({"a", "elsewhere"})) == used_rules(css, frozenset({"a"})) == ".a{color:red}"
    assert used_rules(css, frozenset({"a", "c"})) == ".a{color:red}@media print{.c{top:0}}"
    assert without_unused_properties(css, frozenset({"x", "z"})) == ".a{color:red}.b{--x:1;color:var(--x)}@media print{.c{top:0}}"
    assert without_unused_properties(css, frozenset({"x", "y"})) == ".a{color:red}.b{--x:1;--y:2;color:var(--x)}@media print{.c{top:0}}"


def test_the_one_pass_cut_is_the_two_passes_it_stands_for(built_site):
    """``cut`` gives what cutting the selectors and then the properties gives, on the theme's whole stylesheet
    with the built site's words, and with fewer words and referred properties than the site has."""
    css = whole_material_stylesheet()
    site_words = shipped_words({suffix: sorted(built_site.rglob(f"*{suffix}")) for suffix in (".html", ".js")})
    fewer = frozenset(sorted(site_words)[::3])
    for words in (site_words, fewer):
        used = used_rules(css, words)
        for referred in (frozenset(VARIABLE_USE.findall(used)), frozenset(sorted(VARIABLE_USE.findall(used))[::2])):
            assert cut(css, words, referred) == without_unused_properties(used, referred)
    assert cut(css, fewer, frozenset()) != cut(css, site_words, frozenset())


def test_the_built_site_links_cut_stylesheets_much_lighter_than_the_themes(built_site):
    whole = len(whole_material_stylesheet().encode("utf-8"))
    for tree in (built_site, built_site / "zh"):
        [main] = [p for p in tree.glob(THEME_STYLESHEETS) if p.name.startswith("main.")]
        assert CUT_STYLESHEET.search("/" + str(main.relative_to(tree)))
        assert main.stat().st_size < 0.7 * whole
        assert not list(tree.glob("assets/stylesheets/*.min.css.map"))
    for page in (built_site / "codes" / "-1013" / "index.html", built_site / "zh" / "codes" / "-1013" / "index.html", built_site / "404.html"):
        hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(hrefs) == 4  # the theme's two, ours, and the late one after the content
        assert LATE_STYLESHEET.search(hrefs[-1])
        for href in hrefs:
            target = (built_site / href.lstrip("/")) if href.startswith("/") else (page.parent / href)
            assert target.resolve().is_file(), f"{page}: {href}"


@pytest.mark.browser
@pytest.mark.parametrize(
    "path, viewport, dark",
    [("codes/-1013/", PHONE, False), ("zh/filters/lot-size/", DESKTOP, True), ("404.html", PHONE, True)],
    ids=["code page, phone", "zh filter page, desktop, dark", "404 page, phone, dark"],
)
def test_the_first_paint_needs_nothing_of_the_late_stylesheet(browser, built_site, path, viewport, dark):
    """Before any script runs and before the late stylesheet is in (scraper/site/cascade.py), every element
    already looks as it does with the theme's whole stylesheets."""
    with serve(built_site) as url:
        assert style_differences(browser, url + path, viewport, dark, MATERIAL_TEMPLATES, first_paint=True)[:5] == []


def search_for(typed: str):
    def act(page) -> None:
        if page.viewport_size["width"] < 960:  # a phone: the header's search icon opens the box, focused
            page.locator('label.md-header__button[for="__search"]').click()
        else:
            page.locator(".md-search__input").first.click()
        page.keyboard.type(typed)
        page.wait_for_selector("[data-errref-best]:not([hidden])")
        page.wait_for_load_state("networkidle")

    return act


@pytest.mark.browser
@pytest.mark.parametrize(
    "path, viewport, dark, act",
    [  # a few states, chosen to differ: the suite's time is counted
        ("zh/filters/lot-size/", PHONE, True, None),
        ("changes/", DESKTOP, False, None),
        ("404.html", DESKTOP, False, None),
        ("codes/-2010/", PHONE, True, search_for("-2010")),
    ],
    ids=["zh filter page, phone, dark", "changes", "404 page", "search open, phone, dark"],
)
def test_every_element_looks_the_same_as_with_the_whole_theme_stylesheets(browser, built_site, path, viewport, dark, act):
    with serve(built_site) as url:
        assert style_differences(browser, url + path, viewport, dark, MATERIAL_TEMPLATES, act)[:5] == []


@pytest.mark.browser
@pytest.mark.parametrize("first_paint", [False, True], ids=["after the scripts", "first paint"])
def test_the_comparison_sees_a_rule_the_cut_lost(browser, built_site, tmp_path, first_paint):
    """A cut that dropped a rule the page uses: the comparison names the elements it changed.  The header's
    rule is in the first-paint stylesheet and repeated in the late one (a moved rule competes with it):
    lost from the first, the first paint shows it; lost from both, so does the page after its scripts."""
    site = shutil.copytree(built_site, tmp_path / "site")
    [main] = [p for p in site.glob(THEME_STYLESHEETS) if p.name.startswith("main.")]
    [late] = site.glob("assets/stylesheets/late.*.css")
    for sheet in [main] if first_paint else [main, late]:
        css = sheet.read_text(encoding="utf-8")
        sheet.write_text(re.sub(r"(?<=[}])\.md-header\{[^}]*\}", "", css, count=1), encoding="utf-8")
        assert sheet.read_text(encoding="utf-8") != css
    with serve(site) as url:
        found = style_differences(browser, url + "codes/-1013/", DESKTOP, False, MATERIAL_TEMPLATES, first_paint=first_paint)
    assert found and found[0].startswith("header.md-header"), found  # the header first, then what inherits from it
