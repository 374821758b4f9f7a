"""What every element of a page looks like, to prove that cutting the theme's stylesheets
(scraper/site/stylesheets.py) changes nothing a visitor sees: the same page, in the same state, is
read once with the cut stylesheets and once with the theme's whole ones routed in their place."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

# a theme stylesheet as cut: its folder, the theme's name and hash, then the cut's hash (no named
# groups: Playwright hands the pattern to JavaScript)
CUT_STYLESHEET = re.compile(r"/assets/stylesheets/((?:[\w-]+/)?)([\w-]+\.[0-9a-f]{8})\.[0-9a-f]{8}\.min\.css$")
# the theme's rules only scripts use, moved after the page (scraper/site/cascade.py)
LATE_STYLESHEET = re.compile(r"/assets/stylesheets/late\.[0-9a-f]{8}\.css$")

# Each element's computed style (and its ::before and ::after), custom properties left out: a
# dropped unused property changes no real one.  Shadow roots (Zensical's search dialog) included.
STYLE_OF_EVERY_ELEMENT = """() => {
  const seen = [];
  window.__styleTexts = [];
  const names = [...getComputedStyle(document.documentElement)].filter(name => !name.startsWith("--"));
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      for (const pseudo of [null, "::before", "::after"]) {
        const style = getComputedStyle(el, pseudo);
        if (pseudo && (style.content === "none" || style.content === "normal")) continue;  // not generated
        const text = names.map(name => name + ":" + style.getPropertyValue(name)).join(";");
        let hash = 2166136261;  // FNV-1a: the page keeps the text, Python gets a number
        for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
        window.__styleTexts.push(text);
        seen.push([describe(el) + (pseudo || ""), hash]);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return seen;
}"""


def route_whole_theme_stylesheets(page, theme_templates: Path) -> list[str]:
    """Answer each cut theme stylesheet with the theme's whole one it was cut from, and the late
    stylesheet with nothing (the whole ones hold its rules); returns the list of the theme's files
    served, filled as the page loads."""
    served: list[str] = []
    page.route(LATE_STYLESHEET, lambda route: route.fulfill(body="", content_type="text/css"))

    def whole(route) -> None:
        found = CUT_STYLESHEET.search(route.request.url.split("?")[0])
        original = theme_templates / "assets" / "stylesheets" / found[1] / f"{found[2]}.min.css"
        route.fulfill(body=original.read_bytes(), content_type="text/css")
        served.append(original.name)

    page.route(CUT_STYLESHEET, whole)
    return served


def style_differences(
    browser, url: str, viewport: dict, dark: bool, theme_templates: Path, act: Callable | None = None, first_paint: bool = False
) -> list[str]:
    """The elements of ``url`` whose style differs between the cut and the whole stylesheets, after ``act``.
    ``first_paint``: as the page is before any script runs and before the late stylesheet is in (no
    JavaScript, and the late stylesheet never arrives)."""
    snapshots, pages, contexts = [], [], []
    for whole in (False, True):
        context = browser.new_context(
            viewport=viewport, color_scheme="dark" if dark else "light", reduced_motion="reduce", java_script_enabled=not first_paint
        )
        page = context.new_page()
        late: list[str] = []
        if first_paint and not whole:
            page.route(LATE_STYLESHEET, lambda route: (late.append(route.request.url), route.abort()))
        served = route_whole_theme_stylesheets(page, theme_templates) if whole else None
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if whole and not served:
            raise AssertionError(f"{url}: no cut theme stylesheet was asked for, so nothing was compared")
        if first_paint and not whole and not late:
            raise AssertionError(f"{url}: no late stylesheet was asked for, so its absence was not tried")
        if act:
            act(page)
        _settle(page)
        snapshots.append(page.evaluate(STYLE_OF_EVERY_ELEMENT))
        pages.append(page)
        contexts.append(context)
    try:
        cut, complete = snapshots
        if len(cut) != len(complete):
            return [f"{len(cut)} elements with the cut stylesheets, {len(complete)} with the whole ones"]
        differing = [i for i, (a, b) in enumerate(zip(cut, complete)) if a != b]
        return [f"{cut[i][0]}: {_first_difference(*(p.evaluate('i => window.__styleTexts[i]', i) for p in pages))}" for i in differing[:5]]
    finally:
        for context in contexts:
            context.close()


ELEMENT_COUNT = """() => { let count = 0; const walk = (root) => { for (const el of root.querySelectorAll("*")) {
    count++; if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document); return count; }"""


def _settle(page) -> None:
    """Wait until the page stops adding elements (a theme renders its search results in steps)."""
    count, steady = -1, 0
    for _ in range(100):
        now = page.evaluate(ELEMENT_COUNT)
        steady = steady + 1 if now == count else 0
        if steady == 5:
            return
        count = now
        page.wait_for_timeout(150)
    raise AssertionError(f"{page.url}: still adding elements after 15 s")


def _first_difference(cut: str, whole: str) -> str:
    for a, b in zip(cut.split(";"), whole.split(";")):
        if a != b:
            return f"{a} with the cut, {b} with the whole"
    return "a different number of properties"
