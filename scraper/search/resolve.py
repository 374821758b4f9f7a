"""Land on the right page from whatever a user pastes: a code, a name, a message, a whole log line.

``scraper.search.search_index`` builds a small JSON-serialisable index from the
inputs; :func:`resolve` reads a pasted text against it, with the words of
``scraper.search.words`` and the scores of ``scraper.search.scoring``.  ``templates/assets/javascripts/resolver.js`` is the
browser twin: the same algorithm over the same index, function for function
under the same names.  Change both or neither; ``tests/test_resolver_twin.py``
compares their answers.

How a text is read, most specific evidence first:

1. **Code.**  A number in a code context (``code=-1013``, ``"code":-1121``,
   ``[code] => -1022``, ``Code - 2013``), else a free-standing negative number
   (``(400, -1125, …)``, ``ERROR: -1013,``), else a text that is only a number.
   Dates, times, decimals, epoch millis and HTTP statuses (unsigned 100-599) are
   never codes.  A code the reference does not have ends the lookup: "not-found"
   with that code, never a guess from the words around it.  A positive number
   whose negative is a known code is that code (``code=2010``).
2. **Filter failure.**  ``Filter failure: NAME`` is that filter's page, also
   under a name upstream has since changed.
3. **Message.**  Every upstream message (code messages, rejection and filter
   rows, and old wordings from the history) is compared with the text word by
   word.  *Exact*: the message's words appear in order, a placeholder standing
   for any words (its ``pattern`` read at word level, so case, quotes, spacing
   and punctuation do not matter).  *Near*: most of the message's words appear,
   weighted by rarity, with light stemming and one-typo tolerance.  *Partial*:
   the text is a long unbroken run of one message (a log that cut it short).
   With a code, a rejection or filter row beats the code page unless the code's
   own message fits at least as well.
   Upstream's Chinese names and descriptions (errors_CN.md) count as messages,
   Chinese read as overlapping character pairs.  Wordings seen in the wild
   (clients, old APIs) count only when whole and ending a phrase.
4. **Names.**  ``INVALID_MESSAGE``, ``LOT_SIZE``: that code or filter page.
5. **Other products.**  A code the Spot API does not use but another Binance API
   documents (``-4164``: USDⓈ-M Futures) is "other-product", never a Spot page;
   so is a Spot number sent with a message none of its Spot wordings has but
   another product's has (futures' ``-2021 Order would immediately trigger.``).

Scores are reproducible across Python and JavaScript: word weights are integers
fixed at build time, so every score is the same IEEE quotient in both.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from scraper.search.evidence import CodeEvidence, find_code, segments
from scraper.search.http_status import http_page, stream_page
from scraper.search.scoring import Compiled, best, best_partial, compiled, foreign_message, only_page_of_words, score_entries
from scraper.search.words import WORD_RE, deletions, normalize, words

# --- resolving ------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    code: int | None  # the code the text pins down; None when the page's message comes with several codes
    name: str | None  # the code's name, or the filter's
    kind: str  # code | filter | message | http | ws-stream | reasons | not-found | other-product
    message: str | None  # the upstream message text that matched (an old wording if that is what matched)
    path: str | None  # the site page, spelled by scraper.paths; None when not found or another product's
    codes: tuple[int, ...] = ()  # the codes the page is about (the candidates when ``code`` is None)
    products: tuple[str, ...] = ()  # other-product: the Binance products whose errors the code is

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["codes"] = list(self.codes)
        data["products"] = list(self.products)
        return data


FILTER_FAILURE_RE = re.compile(r"filter failure ?[:\-]? ?'?([a-z][a-z0-9_]*)")


def _match(index: dict, page_number: int, code: int | None, message: str | None) -> Match:
    page = index["pages"][page_number]
    codes = list(page["codes"])
    if code is None and len(codes) == 1:
        code = codes[0]
    if code is not None and code not in codes:
        codes = [code]  # "Market is closed." sent with a code the table does not list: the text says which
    if page["kind"] in STATUS_KINDS:
        return Match(code=None, name=page["name"], kind=page["kind"], message=page["text"], path=page["path"], codes=())
    if page["kind"] == "code":
        name = page["name"]
    elif page["kind"] == "filter":
        name, message = page["name"], page["text"]
    else:
        code_page = index["codes"].get(str(code)) if code is not None else None
        name = index["pages"][code_page]["name"] if code_page is not None else None
        message = page["text"]
    return Match(code=code, name=name, kind=page["kind"], message=message, path=page["path"], codes=tuple(codes))


def filter_page(index: dict, text: str) -> int | None:
    for m in FILTER_FAILURE_RE.finditer(text):
        page = index["names"].get(m.group(1).upper())
        if page is not None and index["pages"][page]["kind"] == "filter":
            return page
    return None


def word_runs(found: list[str]) -> list[str]:
    """Runs of four, three and two words, longest first, joined as a name is spelled ("Price Filter")."""
    return ["_".join(found[i : i + size]) for size in (4, 3, 2) for i in range(len(found) - size + 1)]


def name_page(index: dict, text: str, kinds: tuple[str, ...]) -> int | None:
    """A code or filter named by identifier: LOT_SIZE anywhere; TIMEOUT or "lot size" only on their own.

    Then a filter named in words anywhere ("Failure : Price Filter", "min notional"): a filter's name is
    its words joined, and filter names are not prose.  Failing that, a name with an underscore one typo
    away (LOT_SZE), when only one name is."""
    found = [word.strip("_") for word in WORD_RE.findall(text)]
    candidates = [word for word in found if "_" in word or len(found) == 1]
    if len(found) > 1:
        candidates.append("_".join(found))  # a name typed with spaces
    for word in candidates:
        page = index["names"].get(word.upper())
        if page is not None and index["pages"][page]["kind"] in kinds:
            return page
    if "filter" in kinds:
        for run in word_runs(found):
            page = index["names"].get(run.upper())
            if page is not None and index["pages"][page]["kind"] == "filter":
                return page
    c = compiled(index)
    for word in candidates:
        # a word longer than any name plus one letter is no name (a long paste joins to one huge "word")
        if "_" not in word or not c.tuning["typo_min_length"] <= len(word) <= c.longest_name + 1:
            continue
        near: dict[str, None] = {}
        for variant in deletions(word.upper()):
            for name in c.name_typos.get(variant, ()):
                near.setdefault(name, None)
        if len(near) == 1:
            page = index["names"][next(iter(near))]
            if index["pages"][page]["kind"] in kinds:
                return page
    return None


def _other_product(index: dict, code: int, products: list[int]) -> Match:
    names = tuple(index["others"]["products"][p][0] for p in products)
    return Match(code=code, name=None, kind="other-product", message=None, path=None, codes=(), products=names)


def other_product(index: dict, code: int) -> Match | None:
    """A code this reference lacks that another Binance product documents (-4164: USDⓈ-M Futures);
    a positive number is that product's negative code when only that is listed ("4061报错")."""
    products = index["others"]["codes"].get(str(code))
    if not products and code > 0:
        code, products = -code, index["others"]["codes"].get(str(-code))
    return _other_product(index, code, products) if products else None


def reused_product(c: Compiled, text: str, code: int) -> Match | None:
    """A Spot number sent with a message no Spot wording of it has, but another product's has."""
    spaced = " " + " ".join(words(text)) + " "
    for products, pattern in c.reused.get(str(code), ()):
        if pattern.search(spaced):
            return _other_product(c.index, code, products)
    return None


ROWS = ("message", "filter")
STATUS_KINDS = ("http", "ws-stream", "reasons")


def _resolve_with_code(c: Compiled, text: str, code: CodeEvidence) -> Match:
    index = c.index
    scores = score_entries(c, text)
    own_page = index["codes"][str(code.value)]
    own = best(c, scores.accepted, pages={own_page})
    row = best(c, scores.accepted, kinds=ROWS)
    if row is not None and own is not None and row.strength() <= own.strength():
        row = None  # the code's own message fits as well: its page
    if own is None or not own.exact:
        # no Spot wording of this code is in the text whole, and a row only nearly or under other codes
        row_fits = row is not None and row.exact and code.value in index["pages"][c.entries[row.entry][0]]["codes"]
        other = None if row_fits else reused_product(c, text, code.value)
        if other is not None:
            return other
    strongest = row or own
    if strongest is None or not strongest.exact:
        # a long unbroken run of one message is better evidence than most of its words somewhere
        entry = best_partial(c, segments(text, code), scores.touched, pages={own_page}, kinds=ROWS)
        if entry is not None:
            message = c.entries[entry][1] if c.entries[entry][0] == own_page else None
            return _match(index, c.entries[entry][0], code.value, message)
    if row is not None:
        return _match(index, c.entries[row.entry][0], code.value, None)
    page = name_page(index, text, ("filter",))
    if page is not None:
        return _match(index, page, code.value, None)
    return _match(index, own_page, code.value, c.entries[own.entry][1] if own else None)


def _resolve_without_code(c: Compiled, text: str) -> Match | None:
    index = c.index
    scores = score_entries(c, text)
    found = best(c, scores.accepted)
    if found is None or not found.exact:
        foreign = foreign_message(c, text)  # another product's message, whole: better than most of a Spot one
        if foreign is not None:
            return other_product(index, foreign)
    entry = None
    if found is None or not found.exact:
        entry = best_partial(c, segments(text, None), scores.touched)  # as with a code: a run beats a near match
    if entry is None and found is not None:
        entry = found.entry
    if entry is None:
        entry = only_page_of_words(c, text)
    if entry is not None:
        return _match(index, c.entries[entry][0], None, c.entries[entry][1])
    page = name_page(index, text, ("code", "filter"))
    return _match(index, page, None, None) if page is not None else None


def resolve(index: dict, text: str) -> Match | None:
    """The page for a pasted text; kind "not-found" for a code this reference lacks; None when nothing is recognised."""
    c = compiled(index)
    text = normalize(text)
    if not text:
        return None
    code = find_code(index, text)
    if code is not None and not code.known:
        stream = stream_page(index, text, code)  # {"code": 2, "msg": "Invalid request: …"}: the streams' own codes
        if stream is not None:
            return _match(index, stream, None, None)
        other = other_product(index, code.value)
        if other is not None:
            return other
        status = http_page(index, text)  # the 451 body's "code": 0
        if status is not None:
            return _match(index, status, None, None)
        return Match(code=code.value, name=None, kind="not-found", message=None, path=None, codes=())
    page = filter_page(index, text)
    if page is not None:
        return _match(index, page, code.value if code else None, None)
    if code is not None:
        return _resolve_with_code(c, text, code)
    found = _resolve_without_code(c, text)
    if found is None:  # no Spot message or name: an HTTP status, if the text names one
        status = http_page(index, text)
        return _match(index, status, None, None) if status is not None else None
    return found
