"""What ``python -m scraper lookup`` prints when a paste has no page here: one line."""

from __future__ import annotations

from scraper.search import resolve
from scraper.site.templating import labels


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def other_product_line(index: dict, match: resolve.Match) -> str:
    """-4164 is a USDⓈ-M Futures error, not a Spot API one, and where that product's error page is."""
    products = {key: (name, url) for key, name, url in index["others"]["products"]}
    names = [products[key][0] for key in match.products]
    pages = " · ".join(products[key][1] for key in match.products)
    article = "an" if names[0][0] in "AEIO" else "a"  # "a USDⓈ-M", "an Options"
    spot_page = index["codes"].get(str(match.code))
    if spot_page is None:
        return f"{match.code} is {article} {_either(names)} error, not a Spot API one: {pages}"
    spot_name = index["pages"][spot_page]["name"]
    return f"{match.code} with this message is {article} {_either(names)} error, not a Spot API one (the Spot API's {match.code} is {spot_name}): {pages}"


def not_found_line(match: resolve.Match | None, text: str, as_of: str | None, index: dict | None = None) -> str:
    """The one line ``lookup`` prints when there is no page.  A code upstream added after the
    data was read is not in the reference, yet is a Spot API code: the date says which is known."""
    if match is not None and match.kind == "other-product" and index is not None:
        return other_product_line(index, match)
    if match is not None and match.kind == "not-found":
        return f"not found: code {match.code} is not in this reference (upstream's error page as of {as_of or labels().unknown_date})"
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"not found: no code, name or message of this reference in {shown!r}"
