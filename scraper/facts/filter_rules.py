"""Each filter's rule as a small checker, to prove the worked examples in the guidance.

A checker takes the filter's parameters as ``/exchangeInfo`` gives them (decimal strings,
integers, booleans) and the inputs of one request: order fields (``price``, ``quantity``,
``side``, ``type``, ``icebergQty``, ``trailingDelta``, …) and the account state the filter
reads (``averagePrice``, ``openOrders``, ``position``, …).  It returns the rule lines the
inputs break, in upstream's wording where upstream writes the rule; an empty list passes.

Arithmetic is ``Decimal`` throughout: ``0.1 % 0.001`` is not 0 in binary floating point,
and a step-size check that is wrong for that reason would prove nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any

Values = Mapping[str, Any]
Checker = Callable[[Values, Values], list[str]]

# "Algo" orders, as the MAX_NUM_ALGO_ORDERS definition lists them.
ALGO_TYPES = frozenset({"STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"})
# TRAILING_DELTA: which order types use the "Above" bounds (the rest use "Below").
ABOVE_DELTA = frozenset({("STOP_LOSS", "BUY"), ("STOP_LOSS_LIMIT", "BUY"), ("TAKE_PROFIT", "SELL"), ("TAKE_PROFIT_LIMIT", "SELL")})


def dec(value: Any) -> Decimal:
    """A parameter or input as a Decimal; str() first so 0.1 stays 0.1."""
    if isinstance(value, bool):
        raise TypeError(f"boolean {value!r} where a number belongs")
    return Decimal(str(value))


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _range_and_step(value: Decimal, low: Decimal, high: Decimal, step: Decimal, name: str, bounds: tuple[str, str, str]) -> list[str]:
    """The three-part rule PRICE_FILTER and LOT_SIZE share; a zero bound or step is disabled."""
    low_name, high_name, step_name = bounds
    broken = []
    if low != 0 and value < low:
        broken.append(f"{name} >= {low_name}")
    if high != 0 and value > high:
        broken.append(f"{name} <= {high_name}")
    if step != 0 and value % step != 0:
        broken.append(f"{name} % {step_name} == 0")
    return broken


def price_filter(params: Values, inputs: Values) -> list[str]:
    broken = []
    for field in ("price", "stopPrice"):  # upstream: "for `price`/`stopPrice`"
        if field in inputs:
            broken += _range_and_step(
                dec(inputs[field]), dec(params["minPrice"]), dec(params["maxPrice"]), dec(params["tickSize"]),
                field, ("minPrice", "maxPrice", "tickSize"),
            )
    return broken


def _percent_band(price: Decimal, average: Decimal, up: Decimal, down: Decimal, up_name: str, down_name: str) -> list[str]:
    broken = []
    if price > average * up:
        broken.append(f"price <= average of previous trade prices * {up_name}")
    if price < average * down:
        broken.append(f"price >= average of previous trade prices * {down_name}")
    return broken


def percent_price(params: Values, inputs: Values) -> list[str]:
    return _percent_band(
        dec(inputs["price"]), dec(inputs["averagePrice"]), dec(params["multiplierUp"]), dec(params["multiplierDown"]),
        "multiplierUp", "multiplierDown",
    )


def percent_price_by_side(params: Values, inputs: Values) -> list[str]:
    prefix = "bid" if inputs["side"] == "BUY" else "ask"
    return _percent_band(
        dec(inputs["price"]), dec(inputs["averagePrice"]),
        dec(params[f"{prefix}MultiplierUp"]), dec(params[f"{prefix}MultiplierDown"]),
        f"{prefix}MultiplierUp", f"{prefix}MultiplierDown",
    )


def _lot(params: Values, inputs: Values, fields: tuple[str, ...]) -> list[str]:
    broken = []
    for field in fields:
        if field in inputs:
            broken += _range_and_step(
                dec(inputs[field]), dec(params["minQty"]), dec(params["maxQty"]), dec(params["stepSize"]),
                field, ("minQty", "maxQty", "stepSize"),
            )
    return broken


def lot_size(params: Values, inputs: Values) -> list[str]:
    return _lot(params, inputs, ("quantity", "icebergQty"))  # upstream: "for `quantity`/`icebergQty`"


def market_lot_size(params: Values, inputs: Values) -> list[str]:
    if inputs.get("type") != "MARKET":
        return []
    return _lot(params, inputs, ("quantity",))


def _notional_price(params: Values, inputs: Values, applies_to_market: bool) -> Decimal | None:
    """The price a notional check uses; None when the check does not apply to this order."""
    if inputs.get("type") == "MARKET":
        return dec(inputs["averagePrice"]) if applies_to_market else None
    return dec(inputs["price"])


def min_notional(params: Values, inputs: Values) -> list[str]:
    price = _notional_price(params, inputs, _flag(params["applyToMarket"]))
    if price is not None and price * dec(inputs["quantity"]) < dec(params["minNotional"]):
        return ["price * quantity >= minNotional"]
    return []


def notional(params: Values, inputs: Values) -> list[str]:
    broken = []
    low_price = _notional_price(params, inputs, _flag(params["applyMinToMarket"]))
    high_price = _notional_price(params, inputs, _flag(params["applyMaxToMarket"]))
    quantity = dec(inputs["quantity"])
    if high_price is not None and high_price * quantity > dec(params["maxNotional"]):
        broken.append("price * quantity <= maxNotional")
    if low_price is not None and low_price * quantity < dec(params["minNotional"]):
        broken.append("price * quantity >= minNotional")
    return broken


def iceberg_parts(params: Values, inputs: Values) -> list[str]:
    iceberg = dec(inputs.get("icebergQty", 0))
    if iceberg <= 0:
        return []
    parts = (dec(inputs["quantity"]) / iceberg).to_integral_value(rounding=ROUND_CEILING)
    return ["CEIL(qty / icebergQty) <= limit"] if parts > dec(params["limit"]) else []


def _one_more(count_name: str, limit_name: str) -> Checker:
    """Count filters: the new order (or list, or amendment) must still fit under the limit."""
    def check(params: Values, inputs: Values) -> list[str]:
        if dec(inputs[count_name]) + 1 > dec(params[limit_name]):
            return [f"{count_name} + 1 <= {limit_name}"]
        return []

    return check


def _only_if(applies: Callable[[Values], bool], checker: Checker) -> Checker:
    def check(params: Values, inputs: Values) -> list[str]:
        return checker(params, inputs) if applies(inputs) else []

    return check


def _is_algo(inputs: Values) -> bool:
    return inputs.get("type") in ALGO_TYPES


def _is_iceberg(inputs: Values) -> bool:
    return dec(inputs.get("icebergQty", 0)) > 0


def max_position(params: Values, inputs: Values) -> list[str]:
    """position = free + locked base asset + open BUY quantity; only BUY orders can break it."""
    if inputs.get("side") != "BUY":
        return []
    if dec(inputs["position"]) + dec(inputs["quantity"]) > dec(params["maxPosition"]):
        return ["position + quantity <= maxPosition"]
    return []


def trailing_delta(params: Values, inputs: Values) -> list[str]:
    if "trailingDelta" not in inputs:
        return []
    bound = "Above" if (inputs["type"], inputs["side"]) in ABOVE_DELTA else "Below"
    delta = dec(inputs["trailingDelta"])
    broken = []
    if delta < dec(params[f"minTrailing{bound}Delta"]):
        broken.append(f"trailingDelta >= minTrailing{bound}Delta")
    if delta > dec(params[f"maxTrailing{bound}Delta"]):
        broken.append(f"trailingDelta <= maxTrailing{bound}Delta")
    return broken


def max_asset(params: Values, inputs: Values) -> list[str]:
    """Base asset: the quantity is limited; quote asset: the notional value is."""
    broken = []
    limit = dec(params["limit"])
    if inputs["baseAsset"] == params["asset"] and dec(inputs["quantity"]) > limit:
        broken.append("quantity <= limit")
    if inputs["quoteAsset"] == params["asset"] and dec(inputs["price"]) * dec(inputs["quantity"]) > limit:
        broken.append("price * quantity <= limit")
    return broken


CHECKERS: dict[str, Checker] = {
    "PRICE_FILTER": price_filter,
    "PERCENT_PRICE": percent_price,
    "PERCENT_PRICE_BY_SIDE": percent_price_by_side,
    "LOT_SIZE": lot_size,
    "MIN_NOTIONAL": min_notional,
    "NOTIONAL": notional,
    "ICEBERG_PARTS": iceberg_parts,
    "MARKET_LOT_SIZE": market_lot_size,
    "MAX_NUM_ORDERS": _one_more("openOrders", "maxNumOrders"),
    "MAX_NUM_ALGO_ORDERS": _only_if(_is_algo, _one_more("openAlgoOrders", "maxNumAlgoOrders")),
    "MAX_NUM_ICEBERG_ORDERS": _only_if(_is_iceberg, _one_more("openIcebergOrders", "maxNumIcebergOrders")),
    "MAX_POSITION": max_position,
    "TRAILING_DELTA": trailing_delta,
    "MAX_NUM_ORDER_AMENDS": _one_more("amendments", "maxNumOrderAmends"),
    "MAX_NUM_ORDER_LISTS": _one_more("openOrderLists", "maxNumOrderLists"),
    # Exchange filters: the same rules, with counts taken over every symbol of the account.
    "EXCHANGE_MAX_NUM_ORDERS": _one_more("openOrders", "maxNumOrders"),
    "EXCHANGE_MAX_NUM_ALGO_ORDERS": _only_if(_is_algo, _one_more("openAlgoOrders", "maxNumAlgoOrders")),
    "EXCHANGE_MAX_NUM_ICEBERG_ORDERS": _only_if(_is_iceberg, _one_more("openIcebergOrders", "maxNumIcebergOrders")),
    "EXCHANGE_MAX_NUM_ORDER_LISTS": _one_more("openOrderLists", "maxNumOrderLists"),
    "MAX_ASSET": max_asset,
}


def check(filter_name: str, params: Values, inputs: Values) -> list[str]:
    """The rule lines ``inputs`` break under ``filter_name`` with ``params``; [] passes."""
    try:
        checker = CHECKERS[filter_name]
    except KeyError:
        raise KeyError(f"no rule checker for filter {filter_name}") from None
    return checker(params, inputs)
