"""axe-core in Chromium: no serious or critical accessibility violations on the main page kinds."""

from __future__ import annotations

import pytest
from conftest import ROOT
from sitebuild import serve

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "codes/-1013/", "filters/lot-size/", "messages/market-is-closed/", "changes/", "sections/11xx/", "http/5xx/",
         "user-data-stream/order-reject-reasons/", "zh/", "zh/codes/-1013/"]


@pytest.fixture(scope="module")
def base_url(built_site):
    with serve(built_site) as url:
        yield url


def _serious_violations(page) -> list:
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations(browser, base_url, path):
    """Each page in both colour schemes, switched by the site's own toggle."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make install` (npm ci --prefix tests/a11y)")
    page = browser.new_page()
    page.goto(base_url + path)
    page.add_script_tag(path=str(AXE))
    found = {}
    for scheme in ("default", "slate"):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
            page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        found[scheme] = _serious_violations(page)
    page.close()
    assert found == {"default": [], "slate": []}, found
