"""Every page answers "why did I get this, and what do I do now?"."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from conftest import DATA, ROOT, committed_inputs, inputs_with

from scraper.catalog import upstream_docs
from scraper.catalog.inputs import Inputs
from scraper.ingest import vendored
from scraper.site import paths
from scraper.site.model import Curated
from scraper.site.render import build_pages
from scraper.site.templating import labels


@pytest.fixture(scope="module")
def data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def text_of(built_site, url: str) -> str:
    return BeautifulSoup((built_site / url / "index.html").read_text(encoding="utf-8"), "lxml").select_one("article").get_text(" ")


def test_every_page_has_the_guidance_sections(built_site, data):
    urls = [paths.code_path(c["code"]) for c in data["codes"]]
    urls += [paths.filter_path(r["filter"]) for r in data["filter_failures"]]
    slugs = paths.message_slugs([r["text"] for r in data["engine_messages"]])
    urls += [paths.message_path(slugs[r["text"]]) for r in data["engine_messages"]]
    for url in urls:
        text = text_of(built_site, url)
        assert "Why you got it" in text and "What to do" in text, url
        assert sum(label in text for label in labels().retry.values()) == 1, url


def test_unknown_execution_status_is_never_advertised_as_retry(built_site):
    """-1006 and -1007 may have executed: the badge, the 10xx table and the published JSON all say
    check the order status, and nothing on those pages or rows says retry with backoff."""
    check = labels().retry["check-status"]
    for code in (-1006, -1007):
        page = BeautifulSoup((built_site / paths.code_path(code) / "index.html").read_text(encoding="utf-8"), "lxml")
        badge = page.select_one(".errref-retry")
        assert badge.get_text(strip=True) == check and "errref-retry--check-status" in badge["class"]
        assert labels().retry["backoff"] not in page.select_one("article").get_text(" ")
    section = BeautifulSoup((built_site / "sections" / "10xx" / "index.html").read_text(encoding="utf-8"), "lxml")
    rows = {tr.select_one("td a").get_text(" ", strip=True).split()[0]: tr.get_text(" ", strip=True) for tr in section.select("tr") if tr.select_one("td a")}
    assert check in rows["-1006"] and check in rows["-1007"] and labels().retry["backoff"] not in rows["-1006"]


def test_badges_say_what_to_check(built_site):
    balance = text_of(built_site, paths.message_path("account-has-insufficient-balance-for-requested-action"))
    assert labels().retry["check-balance"] in balance
    assert labels().retry["check-open-orders"] in text_of(built_site, paths.filter_path("EXCHANGE_MAX_NUM_ORDERS"))
    assert labels().retry["reconnect"] in text_of(built_site, paths.code_path(-1035))
    assert labels().retry["check-account"] in text_of(built_site, paths.code_path(-2015))


def test_derived_facts_on_concrete_pages(built_site):
    assert "FIX" in text_of(built_site, "codes/-1178/")
    assert "SBE" in text_of(built_site, "codes/-1152/")
    timeout = text_of(built_site, "codes/-1007/")
    assert "Execution status unknown: do not resend blindly" in timeout
    assert "Fix the request" in text_of(built_site, "codes/-1021/")
    assert "X-MBX-TIME-UNIT` only" not in timeout and "only sets the unit of the response" in text_of(built_site, "codes/-1021/")
    assert "Retry with backoff" in text_of(built_site, "codes/-1003/")
    assert "ccxt.BadSymbol" in text_of(built_site, "codes/-1121/")
    assert "Execution status unknown" not in text_of(built_site, "codes/-1121/")


def test_filter_pages_explain_the_filter(built_site):
    lot = text_of(built_site, "filters/lot-size/")
    for expected in ("stepSize", "quantity % stepSize == 0", "Worked example", "0.12345", "0.123"):
        assert expected in lot
    # filters the error page does not list still get a page, and a short link
    side = text_of(built_site, "filters/percent-price-by-side/")
    assert "Not listed on the upstream error page" in side and "bidMultiplierUp" in side
    assert (built_site / "filters" / "PERCENT_PRICE_BY_SIDE" / "index.html").is_file()
    assert "MAX_ASSET" in text_of(built_site, "filters/")


def test_unknown_guidance_key_fails_the_build(data, tmp_path):
    import shutil

    from scraper.catalog.model import ScrapeError

    root = tmp_path
    shutil.copytree(DATA.parent, root / "data")
    guidance = (root / "data" / "guidance.yaml").read_text(encoding="utf-8")
    (root / "data" / "guidance.yaml").write_text(guidance.replace('"-1021":', '"-9999":', 1), encoding="utf-8")
    with pytest.raises(ScrapeError, match="-9999"):
        Curated.of(Inputs.load(root / "data"))


def test_guidance_of_a_removed_code_does_not_fail_the_build(data):
    without = {**data, "codes": [c for c in data["codes"] if c["code"] != -1021]}
    history = {"entries": [], "removed_codes": [], "seen": {"code:-1021": {"first_seen": "2024-03-12", "last_changed": "2024-03-12", "removed": "2026-01-01"}}}
    pages = build_pages(inputs_with(without, history))
    assert "codes/-1021.md" not in pages


def _section_after(soup: BeautifulSoup, heading: str) -> str:
    h2 = next(h for h in soup.select("article h2") if h.get_text(strip=True).startswith(heading))
    parts = []
    for sibling in h2.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(parts)


def test_what_upstream_says_is_never_empty(built_site, data):
    """-1010 and -2038 are named only in a section title: the page says so and quotes it."""
    for code in data["codes"]:
        soup = BeautifulSoup((built_site / paths.code_path(code["code"]) / "index.html").read_text(encoding="utf-8"), "lxml")
        assert _section_after(soup, "What upstream says").strip(), code["code"]
    soup = BeautifulSoup((built_site / paths.code_path(-2038) / "index.html").read_text(encoding="utf-8"), "lxml")
    said = _section_after(soup, "What upstream says")
    assert "no message of its own" in said and "-2038 ORDER_AMEND_REJECTED" in said


def test_a_long_list_of_messages_is_summed_up_and_folded(built_site):
    soup = BeautifulSoup((built_site / paths.code_path(-1013) / "index.html").read_text(encoding="utf-8"), "lxml")
    messages = _section_after(soup, "Rejection messages sent with this code")
    assert messages.startswith("41 rejection messages come with this code")
    folded = soup.select_one("article details")
    assert folded is not None and not folded.has_attr("open") and len(folded.select("tbody tr")) == 41
    # the 20 filter failures, the likely reason for a -1013, stay in view
    filters = next(h for h in soup.select("article h2") if h.get_text(strip=True).startswith("Filter failures sent"))
    table = filters.find_next("table")
    assert table.find_parent("details") is None and len(table.select("tbody tr")) == 20


def test_examples_show_what_a_client_most_likely_gets():
    """-2010's example is the message upstream's own error example shows; a FIX-only code shows
    a Reject <3>; a rejection message shows one payload and names the other codes it comes with."""
    pages = build_pages(committed_inputs())
    assert '{"code": -2010, "msg": "Account has insufficient balance for requested action."}' in pages["codes/-2010.md"]
    fix = pages["codes/-1033.md"]
    assert "|35=3|" in fix and "|25016=-1033|" in fix and '{"code": -1033' not in fix
    # FIX's connection limit: its text names no channel, the guidance's source (fix-api.md) does
    assert "|25016=-1034|" in pages["codes/-1034.md"]
    assert '{"code": -1021' in pages["codes/-1021.md"] and "35=3" not in pages["codes/-1021.md"]
    balance = next(text for src, text in pages.items() if src.startswith("messages/account-has-insufficient-balance"))
    assert balance.count('"msg": "Account has insufficient balance') == 1
    assert '{"code": -2010' in balance and "../codes/-2011.md" in balance.split("## Example response")[1]


def test_a_code_named_only_in_a_section_title_quotes_what_that_section_says():
    pages = build_pages(committed_inputs())
    for code in ("-1010", "-2038"):
        said = pages[f"codes/{code}.md"].split("## What upstream says")[1].split("##")[0]
        assert "> This code is sent when an error has been returned by the matching engine." in said


def test_upstream_example_responses_rank_whole_responses_first():
    examples = upstream_docs.error_examples(vendored.docs_files(ROOT))
    # rest-api.md shows "Order would immediately match and take." twice, inside cancelReplace's
    # newOrderResponse; web-socket-api.md's "Response format" shows a whole -2010 response once
    assert examples["-2010"] == ["Account has insufficient balance for requested action.", "Order would immediately match and take."]
