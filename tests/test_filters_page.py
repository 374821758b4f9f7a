"""The filters page (upstream/filters.md) as the second upstream source: data/filters.json."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from conftest import ROOT, committed_inputs

from scraper.catalog import filterdefs
from scraper.catalog.model import ScrapeError
from scraper.ingest.parse.filters import (
    DEFAULT_FILTERS_PAGE,
    DOCTOC_CREDIT,
    FILTERS_PAGE_URLS,
    filters_page_kind,
    read_filters_source,
    toc_entries,
    toc_filter_names,
)

MAIN = ROOT / "upstream" / "filters.md"
TESTNET = ROOT / "upstream" / "testnet_filters.md"


def parse(path: Path):
    return read_filters_source(str(path.relative_to(ROOT)), path.read_bytes())


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("path", [MAIN, TESTNET], ids=["main", "testnet"])
def test_every_filter_in_the_toc_is_parsed_in_order(path):
    page = parse(path)
    toc = toc_filter_names(path.read_text(encoding="utf-8"))
    assert len(toc) == 20
    assert [f.name for f in page.filters] == toc


def test_anchors_are_the_headings_slugs_as_the_toc_writes_them():
    page = parse(MAIN)
    toc_anchor = {title: anchor for _, title, anchor in toc_entries(MAIN.read_text(encoding="utf-8"))}
    for definition in page.filters:
        assert definition.anchor == f"https://developers.binance.com/docs/binance-spot-api-docs/filters#{toc_anchor[definition.name]}"
    assert page.filters[3].anchor.endswith("/filters#lot_size")


def test_testnet_copy_anchors_into_the_testnet_page_with_the_same_filters():
    main, testnet = parse(MAIN), parse(TESTNET)
    assert testnet.page_url == "https://developers.binance.com/docs/binance-spot-api-docs/testnet/filters"
    assert {f.name: f.anchor.replace("/testnet/", "/") for f in testnet.filters} == {f.name: f.anchor for f in main.filters}
    # The copies link the FAQ as ./faqs/… and ../faqs/…: both resolve to the one page.
    link = "[reference price](/docs/binance-spot-api-docs/faqs/price_range_execution_rules)"
    assert link in main.filters[1].description and link in testnet.filters[1].description


def test_kinds_come_from_the_section_titles():
    kinds = [f.kind for f in parse(MAIN).filters]
    assert kinds == ["symbol"] * 15 + ["exchange"] * 4 + ["asset"]


def test_lot_size_parameters_rules_and_example():
    lot = next(f for f in parse(MAIN).filters if f.name == "LOT_SIZE")
    assert [(p.name, p.example) for p in lot.parameters] == [
        ("minQty", "0.00100000"), ("maxQty", "100000.00000000"), ("stepSize", "0.00100000"),
    ]
    assert lot.parameters[2].meaning == "`stepSize` defines the intervals that a `quantity`/`icebergQty` can be increased/decreased by."
    assert [group.lines for group in lot.rules] == [["quantity >= minQty", "quantity <= maxQty", "quantity % stepSize == 0"]]
    assert lot.example == {"filterType": "LOT_SIZE", "minQty": "0.00100000", "maxQty": "100000.00000000", "stepSize": "0.00100000"}
    assert lot.example_endpoint == "/exchangeInfo"
    assert lot.summary == 'The `LOT_SIZE` filter defines the `quantity` (aka "lots" in auction terms) rules for a symbol.'


def test_rule_groups_keep_their_condition_and_prose_comparisons_are_not_rules():
    filters = {f.name: f for f in parse(MAIN).filters}
    by_side = filters["PERCENT_PRICE_BY_SIDE"].rules
    assert [g.lead for g in by_side] == ["A `BUY` order will pass this filter evaluation if:", "A `SELL` order will pass this filter evaluation if:"]
    assert by_side[1].lines == [
        "price <= average of previous trade prices * askMultiplierUp",
        "price >= average of previous trade prices * askMultiplierDown",
    ]
    # "`minPrice` defines …; disabled on `minPrice` == 0." has a comparison but is a definition.
    assert filters["PRICE_FILTER"].rules[0].lines == ["price >= minPrice", "price <= maxPrice", "price % tickSize == 0"]
    assert filters["MAX_NUM_ORDERS"].rules == []


def test_single_parameter_filters_take_their_meaning_from_the_summary():
    filters = {f.name: f for f in parse(MAIN).filters}
    assert filters["MAX_NUM_ORDERS"].parameters[0].meaning == (
        "The `MAX_NUM_ORDERS` filter defines the maximum number of orders an account is allowed to have open on a symbol."
    )
    assert filters["MAX_ASSET"].example_endpoint == "/myFilters"


def test_every_parameter_takes_its_meaning_from_the_page():
    """Prose and rule lines say what a parameter does when no bullet defines it."""
    filters = {f.name: f for f in parse(MAIN).filters}
    assert [(f.name, p.name) for f in filters.values() for p in f.parameters if not p.meaning] == []
    by_side = {p.name: p.meaning for p in filters["PERCENT_PRICE_BY_SIDE"].parameters}
    # a rule line comes with the sentence that leads into it: which side it is for
    assert by_side["bidMultiplierUp"] == "A `BUY` order will pass this filter evaluation if: `price` <= `average of previous trade prices` * `bidMultiplierUp`"
    assert by_side["askMultiplierDown"].startswith("A `SELL` order will pass")
    notional = {p.name: p.meaning for p in filters["NOTIONAL"].parameters}
    assert notional["minNotional"].endswith("`price` * `quantity` >= `minNotional`")  # not the applyMinToMarket bullet
    assert notional["applyMinToMarket"].startswith("`applyMinToMarket` determines")
    asset = {p.name: p.meaning for p in filters["MAX_ASSET"].parameters}  # plain words: "the asset", "the limit"
    assert asset["asset"].startswith("The `MAX_ASSET` filter defines the maximum quantity of an asset")
    assert asset["limit"] == (
        "When the asset is a symbol's base asset, the limit applies to the order's quantity. "
        "When the asset is a symbol's quote asset, the limit applies to the order's notional value."
    )


def test_description_markdown_renders_nested_lists_in_python_markdown():
    """MkDocs reads Python-Markdown, which needs a blank line before a list and 4-space nesting."""
    percent = next(f for f in parse(MAIN).filters if f.name == "PERCENT_PRICE")
    html = markdown.markdown(percent.description)
    assert html.count("<ul>") == 3  # the reference-price list, its nested item, and the rule list
    assert "<li>If <code>avgPriceMins</code> is 0" in html
    assert "<li><code>price</code> &lt;= <code>average of previous trade prices</code>" in html


def test_committed_filters_json_is_a_fresh_deterministic_scrape(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    result = run("scrape-filters", "-o", str(first))
    assert result.returncode == 0, result.stderr
    assert run("scrape-filters", "-o", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == (ROOT / "data" / "filters.json").read_bytes(), "run `python -m scraper scrape-filters`"


def test_every_filter_failure_of_the_error_page_is_defined_on_the_filters_page():
    errors = json.loads((ROOT / "data" / "errors.json").read_text(encoding="utf-8"))
    defined = set(filterdefs.by_name(committed_inputs().filters))
    failing = {row["filter"] for row in errors["filter_failures"]}
    assert failing <= defined
    assert defined - failing == {"PERCENT_PRICE_BY_SIDE", "MAX_ASSET"}


def test_schema_rejects_a_filter_without_kind():
    data = committed_inputs().filters
    del data["filters"][0]["kind"]
    with pytest.raises(ScrapeError, match=r"schema violation at filters/0: 'kind' is a required property"):
        filterdefs.validate(data, "x.json")


def _broken_copies(text: str) -> dict[str, tuple[str, str]]:
    return {
        "html": ("<!doctype html><html><body>Filters</body></html>", "HTML"),
        "no filters": ("# Filters\n\nNothing here.\n", "no filter headings"),
        "bad json": (text.replace('"minQty": "0.00100000",', '"minQty": 0.001,,', 1), "example JSON does not parse"),
        "wrong filterType": (text.replace('"filterType": "LOT_SIZE"', '"filterType": "LOT"', 1), "filterType is 'LOT', not 'LOT_SIZE'"),
        "unknown section": (text.replace("## Asset Filters", "## Margin Filters", 1), "unknown filter section 'Margin Filters'"),
        "empty": ("", "empty input"),
    }


@pytest.mark.parametrize("case", ["html", "no filters", "bad json", "wrong filterType", "unknown section", "empty"])
def test_bad_input_fails_in_one_line_and_leaves_the_output_untouched(tmp_path, case):
    text, expected = _broken_copies(MAIN.read_text(encoding="utf-8"))[case]
    source = tmp_path / "filters.md"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "filters.json"
    out.write_text('{"sentinel": true}\n', encoding="utf-8")
    result = run("scrape-filters", str(source), "-o", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(source) in lines[0] and expected in lines[0], result.stderr
    assert out.read_text(encoding="utf-8") == '{"sentinel": true}\n'


# --- which page a copy is: read from its content, never from its name -----------------------


@pytest.mark.parametrize("path, kind", [(MAIN, "main"), (TESTNET, "testnet")], ids=["main", "testnet"])
def test_the_page_is_recognised_by_its_content_under_a_neutral_name(tmp_path, path, kind):
    neutral = tmp_path / "page.md"
    neutral.write_bytes(path.read_bytes())
    page = read_filters_source(str(neutral), neutral.read_bytes())
    assert page.page_url == FILTERS_PAGE_URLS[kind]
    assert page.filters[3].anchor == f"{FILTERS_PAGE_URLS[kind]}#lot_size"


def test_a_name_saying_testnet_does_not_make_the_main_page_testnet(tmp_path):
    misnamed = tmp_path / "testnet_filters.md"
    misnamed.write_bytes(MAIN.read_bytes())
    assert read_filters_source(str(misnamed), misnamed.read_bytes()).page_url == FILTERS_PAGE_URLS["main"]


def test_the_signals_in_order_links_then_doctoc_then_the_default():
    testnet = TESTNET.read_text(encoding="utf-8")
    main = MAIN.read_text(encoding="utf-8")
    # the testnet copy's relative links climb out of testnet/; the main copy's descend into faqs/
    assert filters_page_kind(testnet) == "testnet" and filters_page_kind(main) == "main"
    without_links = re.sub(r"\]\((?:\.\./|\./)?faqs/[^)]*\)", "](https://example.com/faq)", main)
    assert filters_page_kind(without_links) == "main"  # doctoc's credit line: only the main copy has it
    without_either = without_links.replace(DOCTOC_CREDIT, "")
    assert filters_page_kind(without_either) == DEFAULT_FILTERS_PAGE == "testnet"


def test_an_explicit_page_url_still_wins(tmp_path):
    neutral = tmp_path / "page.md"
    neutral.write_bytes(TESTNET.read_bytes())
    result = run("scrape-filters", str(neutral), "--page-url", FILTERS_PAGE_URLS["main"], "-o", str(tmp_path / "f.json"))
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert data["page_url"] == FILTERS_PAGE_URLS["main"]


def test_the_testnet_copy_under_a_neutral_name_scrapes_to_the_committed_data(tmp_path):
    neutral = tmp_path / "page.md"
    neutral.write_bytes(TESTNET.read_bytes())
    out = tmp_path / "filters.json"
    assert run("scrape-filters", str(neutral), "-o", str(out)).returncode == 0
    scraped = json.loads(out.read_text(encoding="utf-8"))
    committed = json.loads((ROOT / "data" / "filters.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in scraped.items() if k != "source"} == {k: v for k, v in committed.items() if k != "source"}
