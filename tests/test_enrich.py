"""Facts derived by rules from the data's text, and ccxt's exception for each code and message."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import ROOT, committed_inputs

from scraper.catalog.model import ScrapeError
from scraper.facts import enrich


@pytest.fixture(scope="module")
def inputs():
    loaded = committed_inputs()
    return loaded.errors, loaded.guidance, loaded.filters, loaded.ccxt


@pytest.fixture(scope="module")
def facts(inputs) -> dict:
    return enrich.enrich(*inputs)


@pytest.fixture(scope="module")
def codes(inputs) -> dict[int, dict]:
    return {c["code"]: c for c in inputs[0]["codes"]}


@pytest.fixture(scope="module")
def ccxt(inputs):
    return inputs[3]


def texts(code: dict) -> list[str]:
    return [m["text"] for m in code["messages"]]


# --- channels -----------------------------------------------------------------


def test_fix_codes_are_recognised_by_their_tags_and_message_types(codes):
    assert enrich.channels(texts(codes[-1178])) == {"FIX"}  # SenderCompId(49)
    assert enrich.channels(texts(codes[-1179])) == {"FIX"}  # MsgSeqNum(34)
    assert enrich.channels(texts(codes[-1035])) == {"FIX"}  # Logout<5>
    assert enrich.channels(texts(codes[-1180])) == {"FIX"}  # Logon<A>
    assert enrich.channels(texts(codes[-1188])) == {"FIX"}  # NumInGroup
    assert enrich.channels(texts(codes[-1184])) == {"FIX"}  # DropCopy sessions
    assert enrich.channels(texts(codes[-1190])) == {"FIX"}  # MDReqID (262)


def test_sbe_codes_are_recognised(codes):
    assert enrich.channels(texts(codes[-1152])) == {"SBE"}  # X-MBX-SBE
    assert enrich.channels(texts(codes[-1155])) == {"SBE"}  # "SBE is not enabled."
    assert enrich.channels(texts(codes[-1161])) == {"SBE"}  # SBE schema


def test_codes_with_json_and_fix_messages_get_both(codes):
    # "`strategyType` was less than 1000000." / "`TargetStrategy (847)` was less than 1000000."
    assert enrich.channels(texts(codes[-1134])) == {"REST", "WebSocket API", "FIX"}
    assert enrich.channels(texts(codes[-1102])) == {"REST", "WebSocket API", "FIX"}  # "Required tag '%s' missing."


def test_named_apis_and_plain_messages():
    assert enrich.channels(["Rest API trading is not enabled."]) == {"REST"}
    assert enrich.channels(["WebSocket API trading is not enabled."]) == {"WebSocket API"}
    assert enrich.channels(["FIX API trading is not enabled."]) == {"FIX"}
    assert enrich.channels(["Invalid symbol."]) == {"REST", "WebSocket API"}
    # -1003 recommends "WebSocket Streams": that is advice, not the API that sent it.
    assert enrich.channels(["Way too much request weight used; IP banned until %s. Please use WebSocket Streams for live updates to avoid bans."]) == {"REST", "WebSocket API"}


def test_channels_in_enrich_output_are_ordered(facts):
    assert facts["codes"]["-1178"]["channels"] == ["FIX"]
    assert facts["codes"]["-1152"]["channels"] == ["SBE"]
    assert facts["codes"]["-1134"]["channels"] == ["REST", "WebSocket API", "FIX"]
    assert facts["messages"]["FIX API trading is not enabled."]["channels"] == ["FIX"]


# --- execution status, retry ------------------------------------------------------


def test_execution_unknown_comes_from_the_text(codes, facts):
    assert enrich.execution_unknown(codes[-1007]) and enrich.execution_unknown(codes[-1006])
    assert not enrich.execution_unknown(codes[-1000])  # "An unknown error occurred" is not an unknown status
    assert sorted(k for k, v in facts["codes"].items() if v["execution_unknown"]) == ["-1006", "-1007"]
    assert "GET /api/v3/order" in facts["codes"]["-1007"]["check_status"]


def test_enrich_takes_curated_retry_and_falls_back_to_the_rule(inputs, codes):
    """Through enrich(): the guidance's class wins where it names one; without it, the text's rule decides."""
    data, curated, filters, ccxt = inputs
    edited = copy.deepcopy(curated)
    edited["codes"]["-1021"]["retry"] = "do-not-retry"  # a class the rule never gives
    del edited["codes"]["-1003"]["retry"]
    del edited["codes"]["-2015"]["retry"]
    facts = enrich.enrich(data, edited, filters, ccxt)["codes"]
    assert (facts["-1021"]["retry"], facts["-1021"]["retry_source"]) == ("do-not-retry", "guidance")
    assert (facts["-1003"]["retry"], facts["-1003"]["retry_source"]) == ("backoff", "rule")  # "Too many requests"
    assert (facts["-2015"]["retry"], facts["-2015"]["retry_source"]) == ("check-account", "rule")  # API key, IP


def test_rule_default_without_guidance(codes):
    rule = lambda code: enrich.default_retry(texts(codes[code]), codes[code]["name"])  # noqa: E731
    assert rule(-1003) == "backoff"  # rate limit
    assert rule(-1008) == "backoff"  # overloaded
    assert rule(-1007) == "check-status"  # timeout, send status unknown
    assert rule(-1006) == "check-status"  # execution status unknown
    assert rule(-1035) == "reconnect"  # "send Logout<5> message to close the session"
    assert rule(-2015) == "check-account"  # API key, IP, permissions
    assert rule(-1022) == "check-account"  # signature
    assert rule(-1021) == "fix-request"
    assert rule(-1102) == "fix-request"
    assert enrich.default_retry(["Market is closed."]) == "backoff"
    assert enrich.default_retry(["Account has insufficient balance for requested action."]) == "check-balance"
    assert enrich.default_retry(["Filter failure: EXCHANGE_MAX_NUM_ICEBERG_ORDERS"], "EXCHANGE_MAX_NUM_ICEBERG_ORDERS") == "check-open-orders"
    assert enrich.default_retry(["Filter failure: MAX_NUM_ORDER_LISTS"], "MAX_NUM_ORDER_LISTS") == "check-open-orders"
    assert enrich.default_retry(["Filter failure: MAX_POSITION"], "MAX_POSITION") == "check-balance"
    assert enrich.retry_class(texts(codes[-1021]), None, "INVALID_TIMESTAMP") == "fix-request"
    assert enrich.retry_class(texts(codes[-1021]), {"retry": "backoff"}) == "backoff"


def test_rule_never_advises_waiting_or_key_checks_where_the_curators_disagree(inputs):
    """The fallback may be less precise than a person, but it must not send a broken request again."""
    data, curated, _, _ = inputs
    disagreements = []
    for code in data["codes"]:
        rule = enrich.default_retry(texts(code), code["name"])
        if rule != "fix-request" and rule != curated["codes"][str(code["code"])]["retry"]:
            disagreements.append(code["code"])
    for row in data["engine_messages"]:
        rule = enrich.default_retry([row["text"]])
        if rule != "fix-request" and rule != curated["messages"][row["text"]]["retry"]:
            disagreements.append(row["text"])
    assert disagreements == []


def test_unknown_execution_status_always_means_check_the_order_first(inputs, codes):
    """A bot that resends after -1006 or -1007 may place the order twice: whatever the guidance
    says, upstream's "status unknown" gives check-status, in the facts and so on every page."""
    data, curated, filters, ccxt = inputs
    unknown = sorted(c["code"] for c in data["codes"] if enrich.execution_unknown(c))
    assert unknown == [-1007, -1006]
    edited = copy.deepcopy(curated)
    edited["codes"]["-1006"]["retry"] = "backoff"  # a careless edit
    facts = enrich.enrich(data, edited, filters, ccxt)["codes"]
    assert (facts["-1006"]["retry"], facts["-1006"]["retry_source"]) == ("check-status", "rule")
    assert (facts["-1007"]["retry"], facts["-1007"]["retry_source"]) == ("check-status", "guidance")
    # a new code whose text says so gets the same class, with no guidance at all
    assert enrich.retry_class(["Execution status unknown; please check."], None, "NEW_CODE") == "check-status"
    assert enrich.retry_class(["Request accepted; send status is unknown."], {"retry": "do-not-retry"}) == "check-status"


def test_retry_classes_are_one_list_everywhere():
    """The guidance schema, the published schema and the labels name the same classes in the same order."""
    from scraper.catalog import guidance
    from scraper.site.templating import labels

    guidance_enum = json.loads((ROOT / "data" / "guidance.schema.json").read_text())["$defs"]["fields"]["properties"]["retry"]["enum"]
    published = json.loads((ROOT / "data" / "errors.schema.json").read_text())
    enums = []

    def walk(node):
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict) and "retry" in properties:
                enums.append(properties["retry"]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(published)
    assert guidance_enum == list(guidance.RETRY_CLASSES) == list(labels().retry)
    assert len(enums) == 2 and all(enum == [*guidance.RETRY_CLASSES, None] for enum in enums)


def test_rate_limited_codes_are_the_429_ones(facts):
    assert sorted(k for k, v in facts["codes"].items() if v["rate_limit"]) == ["-1003", "-1015"]


# --- ccxt ---------------------------------------------------------------------


def test_ccxt_copy_keeps_its_source_comments():
    lines = (ROOT / "data" / "ccxt-binance-exceptions.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# copied from")
    assert lines[1].startswith("# source: PyPI wheel ccxt==4.5.90")


def test_ccxt_class_for_a_code(ccxt, facts):
    assert enrich.ccxt_exception(ccxt, -1121, "Invalid symbol.").exception == "BadSymbol"
    assert [g["exception"] for g in facts["codes"]["-1121"]["ccxt"]] == ["BadSymbol"]
    assert facts["codes"]["-1021"]["ccxt"][0]["exception"] == "InvalidNonce"


def test_spot_scope_wins_over_common(ccxt):
    # -1108: spot.exact says BadRequest, the common exact table BadSymbol.
    match = enrich.ccxt_exception(ccxt, -1108, "Parameter 'quantity' overflowed.")
    assert (match.exception, match.scope) == ("BadRequest", "spot")


def test_message_is_looked_up_before_the_code(ccxt, facts):
    # ccxt's handleErrors tries msg (exact, then broad) before the code: every code
    # carrying "Market is closed." raises MarketClosed.
    groups = facts["messages"]["Market is closed."]["ccxt"]
    assert [(g["exception"], g["rule"], g["codes"]) for g in groups] == [
        ("MarketClosed", "message-exact", [-1010, -2010, -2011, -2038])
    ]
    unknown = {tuple(g["codes"]): g["exception"] for g in facts["messages"]["Unknown order sent."]["ccxt"]}
    assert unknown == {(-1010,): "OperationFailed", (-2010,): "InvalidOrder", (-2011,): "OrderNotFound", (-2038,): "ExchangeError"}


def test_hard_coded_checks_and_fallback(ccxt, facts):
    assert enrich.ccxt_exception(ccxt, -1013, "Filter failure: LOT_SIZE").rule == "body-substring"
    assert facts["filters"]["MARKET_LOT_SIZE"]["ccxt"][0]["exception"] == "InvalidOrder"  # 'LOT_SIZE' is in the body
    assert facts["filters"]["MAX_POSITION"]["ccxt"][0]["rule"] == "message-broad"
    assert facts["filters"]["NOTIONAL"]["ccxt"][0]["exception"] == "BadRequest"  # -1013, common exact
    assert facts["codes"]["-1003"]["ccxt"][0]["exception"] == "DDoSProtection"  # sent with HTTP 429
    assert enrich.ccxt_exception(ccxt, -1003, "Too many requests queued.", http_status=400).exception == "RateLimitExceeded"
    fallback = enrich.ccxt_exception(ccxt, -1178, "`SenderCompId(49)` contains an incorrect value.")
    assert (fallback.exception, fallback.rule) == ("ExchangeError", "fallback")
    assert enrich.ccxt_exception(ccxt, None, "nothing known") is None


# --- enrich as a whole --------------------------------------------------------


def test_enrich_is_keyed_like_the_guidance_and_covers_the_data(inputs, facts):
    data, curated, filters, _ = inputs
    assert set(facts) == {"codes", "filters", "messages"}
    assert list(facts["codes"]) == [str(c["code"]) for c in data["codes"]]
    assert set(facts["filters"]) == {f["name"] for f in filters["filters"]} == set(curated["filters"])
    assert set(facts["messages"]) == {row["text"] for row in data["engine_messages"]} == set(curated["messages"])


def test_filter_entries_join_both_sources(facts):
    lot = facts["filters"]["LOT_SIZE"]
    assert lot["on_error_page"] and lot["codes"] == [-1013] and lot["message"] == "Filter failure: LOT_SIZE"
    assert lot["anchor"] == "https://developers.binance.com/docs/binance-spot-api-docs/testnet/filters#lot_size"  # the testnet copy
    assert lot["example"]["fails"] == {"quantity": "0.12345"} and lot["retry"] == "fix-request"
    by_side = facts["filters"]["PERCENT_PRICE_BY_SIDE"]
    assert not by_side["on_error_page"] and by_side["kind"] == "symbol" and by_side["codes"] == [-1013]


def test_enrich_output_is_json_and_deterministic(inputs, facts):
    again = enrich.enrich(*copy.deepcopy(inputs[:3]), inputs[3])
    assert json.dumps(facts, sort_keys=False) == json.dumps(again, sort_keys=False)
    entry = facts["codes"]["-1021"]
    assert set(entry) == {"channels", "execution_unknown", "rate_limit", "retry", "retry_source", "causes", "fix", "check_status", "sources", "ccxt"}


def test_enrich_fails_on_guidance_for_something_the_data_lacks(inputs):
    data, curated, filters, ccxt = inputs
    bad = copy.deepcopy(curated)
    bad["messages"]["No such message."] = bad["messages"]["Market is closed."]
    with pytest.raises(ScrapeError, match=r"^data/guidance.yaml: messages: unknown rejection message 'No such message.'"):
        enrich.enrich(data, bad, filters, ccxt)


def test_curated_channels_stand_where_the_text_names_none(inputs):
    data, curated, filters, table = inputs
    assert enrich.channels(texts(next(c for c in data["codes"] if c["code"] == -1034))) == {"REST", "WebSocket API"}
    facts = enrich.enrich(data, curated, filters, table)
    assert facts["codes"]["-1034"]["channels"] == ["FIX"] and facts["codes"]["-1181"]["channels"] == ["FIX"]
    assert facts["codes"]["-1021"]["channels"] == ["REST", "WebSocket API"]  # no curated list: the text's
