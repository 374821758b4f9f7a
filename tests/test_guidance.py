"""Curated guidance (data/guidance.yaml): complete, keyed to real data, examples proven by the rules."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml
from conftest import ROOT, committed_inputs

from scraper.catalog import filterdefs, guidance
from scraper.catalog.model import ScrapeError
from scraper.facts import enrich, filter_rules

GUIDANCE = ROOT / "data" / "guidance.yaml"


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads((ROOT / "data" / "errors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def filters() -> dict:
    return committed_inputs().filters


@pytest.fixture(scope="module")
def curated() -> dict:
    return committed_inputs().guidance


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper", *args], cwd=ROOT, capture_output=True, text=True)


def write(tmp_path, doc: dict):
    path = tmp_path / "guidance.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- complete and known -------------------------------------------------------


def test_every_code_filter_and_message_has_guidance(curated, data, filters):
    report = guidance.coverage(curated, data, filters)
    assert report.missing == {"codes": [], "filters": [], "messages": []}, report.report()
    assert report.complete and report.unknown == ()
    assert [len(g.expected) for g in report.groups] == [105, 18, 2, 41]


def test_every_guidance_key_names_something_in_the_data(curated, data, filters):
    assert guidance.check(curated, data, filters) == []


def test_an_unknown_key_is_reported_with_file_and_key(curated, data, filters):
    bad = copy.deepcopy(curated)
    bad["codes"]["-9999"] = bad["codes"]["-1021"]
    bad["filters"]["LOT_SIZ"] = bad["filters"]["LOT_SIZE"]
    bad["messages"]["Market is open."] = bad["messages"]["Market is closed."]
    problems = guidance.check(bad, data, filters)
    assert problems == [
        "data/guidance.yaml: codes: unknown code '-9999' (not in errors.json or filters.json)",
        "data/guidance.yaml: filters: unknown filter 'LOT_SIZ' (not in errors.json or filters.json)",
        "data/guidance.yaml: messages: unknown rejection message 'Market is open.' (not in errors.json or filters.json)",
    ]
    with pytest.raises(ScrapeError) as raised:
        guidance.require_known(bad, data, filters)
    assert str(raised.value) == problems[0] + " (and 2 more unknown keys)"


def test_filters_page_only_filters_are_known_only_with_the_filters_page(curated, data, filters):
    assert guidance.check(curated, data, filters) == []
    assert guidance.check(curated, data) == [
        "data/guidance.yaml: filters: unknown filter 'PERCENT_PRICE_BY_SIDE' (not in errors.json)",
        "data/guidance.yaml: filters: unknown filter 'MAX_ASSET' (not in errors.json)",
    ]


def test_coverage_command_fails_the_build_on_an_unknown_key(tmp_path, curated):
    bad = copy.deepcopy(curated)
    bad["codes"]["-9999"] = bad["codes"]["-1021"]
    path = write(tmp_path, bad)
    result = run("coverage", "--guidance", str(path))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: codes: unknown code '-9999' (not in errors.json or filters.json)"
    ]
    assert "unknown keys: 1" in result.stdout


def test_coverage_command_lists_missing_entries_and_strict_fails_on_them(tmp_path, curated):
    partial = copy.deepcopy(curated)
    del partial["codes"]["-1021"], partial["messages"]["Market is closed."]
    path = write(tmp_path, partial)
    lenient = run("coverage", "--guidance", str(path))
    assert lenient.returncode == 0, lenient.stderr
    assert "codes             104/105" in lenient.stdout
    assert "missing codes: -1021" in lenient.stdout and "missing messages: Market is closed." in lenient.stdout
    assert run("coverage", "--guidance", str(path), "--strict").returncode == 1


def test_coverage_command_on_the_committed_guidance_is_complete():
    result = run("coverage", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("complete") == 7  # codes, filter failures, filters page, messages, HTTP statuses, stream errors, zh-CN
    assert "HTTP statuses       7/7" in result.stdout and "stream errors       4/4" in result.stdout


# --- the file itself ----------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda t: t.replace('  "-1021":', "  -1021:", 1), 'codes: key -1021 is not a string; quote it ("-1021")'),
        (lambda t: t.replace('  "-1001":', '  "-1000":', 1), "duplicate key '-1000'"),
        (lambda t: t.replace("retry: fix-request", "retry: later", 1), "schema violation at codes/-1010/retry: 'later' is not one of"),
        (lambda t: t.replace("    example:\n      params:\n        minPrice", "    sample:\n      params:\n        minPrice", 1), "schema violation at filters/PRICE_FILTER"),
        (lambda t: t.replace("schema_version: 1\n", "schema_version: 1\n  bad: [\n", 1), "not valid YAML (line"),
    ],
    ids=["unquoted code", "duplicate key", "bad retry class", "filter without example", "broken yaml"],
)
def test_malformed_guidance_fails_with_one_clear_line(tmp_path, mutate, expected):
    text = GUIDANCE.read_text(encoding="utf-8")
    changed = mutate(text)
    assert changed != text, "the mutation must apply"
    path = tmp_path / "guidance.yaml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(ScrapeError) as raised:
        guidance.load(path)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(str(path)) and expected in message, message


def test_codes_whose_text_says_execution_is_unknown_say_how_to_check(curated, data):
    unknown = [c for c in data["codes"] if enrich.execution_unknown(c)]
    assert {c["code"] for c in unknown} == {-1006, -1007}
    for code in unknown:
        assert "check_status" in curated["codes"][str(code["code"])]


# --- worked examples, proven by the rule checkers -----------------------------


def test_every_defined_filter_has_a_checker_and_a_worked_example(curated, filters):
    names = [f["name"] for f in filters["filters"]]
    assert sorted(filter_rules.CHECKERS) == sorted(names)
    assert all("example" in curated["filters"][name] for name in names)


@pytest.mark.parametrize("name", sorted(filter_rules.CHECKERS))
def test_worked_example_fails_then_passes(curated, filters, name):
    example = curated["filters"][name]["example"]
    definition = filterdefs.by_name(filters)[name]
    # The example uses exactly the fields upstream's /exchangeInfo example shows.
    assert set(example["params"]) == set(definition["example"]) - {"filterType"}
    broken = filter_rules.check(name, example["params"], example["fails"])
    assert broken, f"{name}: the failing example passes"
    assert filter_rules.check(name, example["params"], example["passes"]) == []
    # Where upstream writes the rule, the broken rule is one of upstream's lines.
    upstream_lines = {line for group in definition["rules"] for line in group["lines"]}
    if upstream_lines:
        assert set(broken) <= upstream_lines, broken


def test_step_checks_use_exact_decimals():
    # In binary floating point 0.3 % 0.1 is 0.09999999999999998, which would reject a valid quantity.
    params = {"minQty": "0.1", "maxQty": "100", "stepSize": "0.1"}
    assert filter_rules.check("LOT_SIZE", params, {"quantity": "0.3"}) == []
    assert filter_rules.check("LOT_SIZE", params, {"quantity": "0.35"}) == ["quantity % stepSize == 0"]
    assert filter_rules.dec(0.1) == Decimal("0.1")


def test_price_filter_zero_disables_a_rule_and_stop_price_is_checked():
    params = {"minPrice": "0", "maxPrice": "0", "tickSize": "0.01"}
    assert filter_rules.check("PRICE_FILTER", params, {"price": "0.0001"}) == ["price % tickSize == 0"]
    assert filter_rules.check("PRICE_FILTER", params, {"price": "123456789.01"}) == []
    assert filter_rules.check("PRICE_FILTER", params, {"price": "1.00", "stopPrice": "0.999"}) == ["stopPrice % tickSize == 0"]


def test_trailing_delta_picks_above_or_below_bounds_by_type_and_side():
    params = {"minTrailingAboveDelta": 10, "maxTrailingAboveDelta": 100, "minTrailingBelowDelta": 50, "maxTrailingBelowDelta": 500}
    assert filter_rules.check("TRAILING_DELTA", params, {"type": "STOP_LOSS", "side": "BUY", "trailingDelta": 200}) == [
        "trailingDelta <= maxTrailingAboveDelta"
    ]
    assert filter_rules.check("TRAILING_DELTA", params, {"type": "STOP_LOSS", "side": "SELL", "trailingDelta": 200}) == []
    assert filter_rules.check("TRAILING_DELTA", params, {"type": "TAKE_PROFIT", "side": "BUY", "trailingDelta": 20}) == [
        "trailingDelta >= minTrailingBelowDelta"
    ]


def test_count_filters_apply_only_to_their_kind_of_order():
    assert filter_rules.check("MAX_NUM_ALGO_ORDERS", {"maxNumAlgoOrders": 5}, {"type": "LIMIT", "openAlgoOrders": 5}) == []
    assert filter_rules.check("MAX_NUM_ICEBERG_ORDERS", {"maxNumIcebergOrders": 5}, {"openIcebergOrders": 9}) == []
    assert filter_rules.check("MARKET_LOT_SIZE", {"minQty": "1", "maxQty": "2", "stepSize": "1"}, {"type": "LIMIT", "quantity": "9"}) == []
    assert filter_rules.check("MAX_POSITION", {"maxPosition": "1"}, {"side": "SELL", "quantity": "5", "position": "5"}) == []


def test_max_asset_limits_quantity_for_the_base_asset_and_notional_for_the_quote():
    params = {"asset": "USDC", "limit": "42"}
    assert filter_rules.check("MAX_ASSET", params, {"baseAsset": "USDC", "quoteAsset": "BNB", "price": "0.002", "quantity": "50"}) == ["quantity <= limit"]
    assert filter_rules.check("MAX_ASSET", params, {"baseAsset": "BNB", "quoteAsset": "USDC", "price": "600", "quantity": "0.05"}) == []


def test_market_orders_use_the_average_price_only_where_the_filter_says_so():
    params = {"minNotional": "10", "applyToMarket": False, "avgPriceMins": 5}
    tiny_market = {"type": "MARKET", "quantity": "0.0001", "averagePrice": "100"}
    assert filter_rules.check("MIN_NOTIONAL", params, tiny_market) == []
    assert filter_rules.check("MIN_NOTIONAL", {**params, "applyToMarket": True}, tiny_market) == ["price * quantity >= minNotional"]
