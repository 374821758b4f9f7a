"""The numbers and texts the seed must give (the issue pins them)."""

from __future__ import annotations

import re

from scraper.catalog.model import message_pattern


def by_code(catalog, code):
    return next(c for c in catalog.codes if c.code == code)


def test_counts(seed_catalog):
    assert len(seed_catalog.codes) == 105
    assert sum(c.origin == "heading" for c in seed_catalog.codes) == 103
    assert [c.code for c in seed_catalog.codes if c.origin == "section-title"] == [-1010, -2038]
    assert len(seed_catalog.engine_messages) == 41
    assert len(seed_catalog.filter_failures) == 18
    # sorted by code as upstream lists them: -1000 first, -2043 last
    assert [c.code for c in seed_catalog.codes] == sorted((c.code for c in seed_catalog.codes), key=abs)


def test_spot_checks(seed_catalog):
    assert len(by_code(seed_catalog, -1003).messages) == 3
    assert len(by_code(seed_catalog, -1102).messages) == 6
    assert by_code(seed_catalog, -1013).name == "INVALID_MESSAGE"
    assert by_code(seed_catalog, -2021).name == "Order cancel-replace partially failed"
    assert by_code(seed_catalog, -1010).name == "ERROR_MSG_RECEIVED"
    assert by_code(seed_catalog, -2038).name == "ORDER_AMEND_REJECTED"
    assert by_code(seed_catalog, -1121).messages[0].text == "Invalid symbol."
    assert by_code(seed_catalog, -1035).messages[0].text == (
        "Please send [Logout`<5>`](/docs/binance-spot-api-docs/testnet/fix-api#logout) message to close the session."
    )
    assert by_code(seed_catalog, -1035).messages[0].plain == "Please send Logout<5> message to close the session."
    assert by_code(seed_catalog, -1000).anchors == {
        "en": "https://developers.binance.com/docs/binance-spot-api-docs/testnet/errors#-1000-unknown",
        "zh-CN": "https://developers.binance.com/docs/zh-CN/binance-spot-api-docs/testnet/errors#-1000-unknown",
    }


def test_tables(seed_catalog):
    engine = {r.text: r for r in seed_catalog.engine_messages}
    assert engine["Account has insufficient balance for requested action."].codes == [-1010, -2010, -2011, -2038]
    # the ' / ' cell gives two entries with one description
    assert engine["Rest API trading is not enabled."].description == engine["WebSocket API trading is not enabled."].description
    # half-quoted, unquoted and quote-then-full-stop cells lose only their quotes
    assert "FIX API trading is not enabled." in engine
    assert "OPO orders are not supported for this symbol." in engine
    assert "The requested action would change no state; rejecting" in engine
    assert engine["Order was not canceled due to cancel restrictions."].description.count("\n") == 2
    filters = {r.filter: r for r in seed_catalog.filter_failures}
    assert list(filters)[:3] == ["PRICE_FILTER", "PERCENT_PRICE", "LOT_SIZE"]
    assert filters["LOT_SIZE"].text == "Filter failure: LOT_SIZE"
    assert filters["LOT_SIZE"].codes == [-1013]
    # -1013's text sends readers to both tables; the text snapshot lost the '#other-errors'
    # anchor, and the reference is still found
    assert all(r.referenced_by == [-1013] for r in seed_catalog.engine_messages + seed_catalog.filter_failures)
    assert filters["MAX_POSITION"].description.startswith("The account's position has reached the maximum defined limit.\n")


def test_placeholders_and_patterns_match_real_messages(seed_catalog):
    weight = by_code(seed_catalog, -1003).messages[1]
    assert weight.placeholders == ["%s", "%s"]
    assert re.match(weight.pattern, weight.plain.replace("%s", "6000", 1).replace("%s", "1m", 1))
    sequence = by_code(seed_catalog, -1179).messages[0]
    assert sequence.placeholders == ["%d"]
    assert re.match(sequence.pattern, "MsgSeqNum(34) contains an unexpected value. Expected: '12'.")
    assert not re.match(sequence.pattern, "MsgSeqNum(34) contains an unexpected value. Expected: 'x'.")
    param = by_code(seed_catalog, -1224).messages[0]
    assert param.placeholders == ["{param}"]
    assert re.match(param.pattern, "Working order must include the 'quantity' tag.")
    mandatory = by_code(seed_catalog, -1102).messages[1]
    assert re.match(mandatory.pattern, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.")
    # anchored: a prefix or suffix of a message does not match
    assert not re.match(mandatory.pattern, "Mandatory parameter 'quantity' was not sent")
    assert message_pattern("Price * QTY is zero or less.") == r"^Price\ \*\ QTY\ is\ zero\ or\ less\.$"


def test_locales_merge(seed_catalog):
    assert seed_catalog.consistency["zh-CN"].summary("zh-CN").startswith(
        "zh-CN: 105 codes, 105 identical, 0 translated, 0 missing"
    )
    assert all(c.locales == ["en", "zh-CN"] for c in seed_catalog.codes)
    assert all(set(r.anchors) == {"en", "zh-CN"} for r in seed_catalog.engine_messages)
