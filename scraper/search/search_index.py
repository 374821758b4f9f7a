"""The lookup index as a file: what the site ships next to ``resolver.js``, and what ``lookup`` reads.

Render calls :func:`write_index`; the index is a pure function of the inputs (the error
data, the filters page and the past wordings), written byte-for-byte the same for the
same inputs.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Iterable

from scraper.catalog import store
from scraper.catalog.inputs import Inputs
from scraper.catalog.model import NAME_RE, CodeEntry, ParsedCopy, SourceInfo, TableRow, carrier_codes, plain_text
from scraper.ingest.parse import read_source
from scraper.search import evidence, resolve, status_index
from scraper.search import words as search_words
from scraper.search.scoring import INDEX_FORMAT, TUNING
from scraper.search.words import CJK_RE, IDEOGRAPH_RE, keywords, message_items, normalize
from scraper.site import paths
from scraper.site.templating import labels

# Every code, message and table row upstream's errors.md, errors_CN.md and
# testnet/errors.md have said since 2019 (data/past-wordings.json, an input): the old
# wordings users still paste.  Extracted from the history by `python -m scraper wordings
# DIR`; a test checks it equals a fresh extraction of tests/fixtures/upstream-history.
WORDINGS_ORIGIN = "past wordings"
# Where render writes the index, relative to the docs folder, and the script that reads it.
INDEX_PATH = "assets/search-index.json"
SCRIPT_PATH = "assets/javascripts/resolver.js"
SCRIPT_SOURCE = store.ROOT / "templates" / SCRIPT_PATH


def read_history(directory: Path) -> list[ParsedCopy]:
    """Every old copy of the page under ``directory`` (one folder per upstream file), oldest name first."""
    copies: list[ParsedCopy] = []
    for path in sorted(Path(directory).glob("*/*.md")):
        copies.extend(read_source(str(path.relative_to(directory)), path.read_bytes()))
    return copies


def extract_wordings(copies: list[ParsedCopy]) -> dict:
    """What the copies ever said, each distinct code and row once, in the order first seen."""
    codes: dict[tuple, None] = {}
    rows: dict[tuple, None] = {}
    for copy in copies:
        for entry in copy.codes:
            codes.setdefault((entry.code, entry.name, tuple(entry.messages)), None)
        for row in copy.engine_messages + copy.filter_failures:
            rows.setdefault((row.text, row.description, row.filter), None)
    return {
        "codes": [[code, name, list(messages)] for code, name, messages in codes],
        "rows": [list(row) for row in rows],
    }


def wordings_as_copy(wordings: dict) -> ParsedCopy:
    """The extracted wordings in the shape the index builder reads."""
    return ParsedCopy(
        locale="en",
        title="past wordings",
        page_url="",
        source=SourceInfo(origin=WORDINGS_ORIGIN, format="markdown", sha256=""),
        sections=[],
        codes=[CodeEntry(code=code, name=name, section="", anchor=None, messages=messages) for code, name, messages in wordings["codes"]],
        engine_messages=[TableRow(text=t, description=d, codes=[]) for t, d, f in wordings["rows"] if f is None],
        filter_failures=[TableRow(text=t, description=d, codes=[], filter=f) for t, d, f in wordings["rows"] if f is not None],
    )


def index_for(inputs: Inputs, locale: str = "en") -> dict:
    """The site's index: the error data, plus the past wordings (old messages, renamed
    filters), the filters only the filters page defines, upstream's Chinese translation, the
    wordings seen in the wild and the other Binance products' codes, all from the same inputs."""
    history = [wordings_as_copy(inputs.wordings)] if inputs.wordings else None
    index = build_index(
        inputs.shown, history, wild=inputs.wild, others=inputs.others, translation=inputs.translation, statuses=inputs.statuses
    )
    # the kinds of match and the panel's wording, as the tree's search box says them
    return index | {"labels": {"kinds": labels(locale).kinds, "panel": labels(locale).panel}}


# The regular expressions resolver.js compiles from the index instead of spelling them again:
# written in the subset both dialects read alike (explicit classes, no \s \d \w, lookbehind).
SHARED_PATTERNS = {
    "whitespace": search_words.WHITESPACE_RE,
    "json_escape": search_words.JSON_ESCAPE_RE,
    "quotes": search_words.QUOTES_RE,
    "word": search_words.WORD_RE,
    "placeholder": search_words.PLACEHOLDER_RE,
    "token": search_words.TOKEN_RE,
    "phrase_token": search_words.PHRASE_TOKEN_RE,
    "digits": search_words.DIGITS_RE,
    "code_context": evidence.CODE_CONTEXT_RE,
    "cjk_code_before": evidence.CJK_CODE_BEFORE_RE,
    "cjk_code_after": evidence.CJK_CODE_AFTER_RE,
    "signed": evidence.SIGNED_RE,
    "only_number": evidence.ONLY_NUMBER_RE,
    "message_field": evidence.MESSAGE_FIELD_RE,
    "field_end": evidence.FIELD_END_RE,
    "leading_noise": evidence.LEADING_NOISE_RE,
    "filter_failure": resolve.FILTER_FAILURE_RE,
    **status_index.HTTP_PATTERNS,
}


# --- building the index (resolve.py reads it; resolver.js too) -------------------------------------------------------

_TRAILING_PUNCT_RE = re.compile(r"[ .!;:,]+$")


def word_key(plain: str) -> str:
    """Two texts with one key have the same words: quotes and punctuation aside ("'recvWindow' must" is "recvWindow must")."""
    return " ".join(item or "%s" for item in message_items(plain))


def message_key(plain: str) -> str:
    """Two texts with one key are one message: they differ only in case, quotes or the final dot."""
    return _TRAILING_PUNCT_RE.sub("", normalize(plain))


def _pages(data: dict) -> list[dict]:
    pages: list[dict] = []
    for code in data["codes"]:
        number, name = code["code"], code["name"]
        pages.append({"kind": "code", "code": number, "name": name, "path": paths.code_path(number), "codes": [number]})
    for row in data["filter_failures"]:
        name, path = row["filter"], paths.filter_path(row["filter"])
        pages.append({"kind": "filter", "name": name, "text": row["plain"], "path": path, "codes": carrier_codes(row)})
    slugs = paths.message_slugs([row["text"] for row in data["engine_messages"]])
    for row in data["engine_messages"]:
        path = paths.message_path(slugs[row["text"]])
        pages.append({"kind": "message", "text": row["plain"], "path": path, "codes": carrier_codes(row)})
    return pages


def _row_pages(pages: list[dict]) -> dict[str, int]:
    """Each rejection or filter row's page, by its message's key."""
    return {message_key(page["text"]): i for i, page in enumerate(pages) if page["kind"] in resolve.ROWS}


def _code_pages(pages: list[dict]) -> dict[int, int]:
    return {page["code"]: i for i, page in enumerate(pages) if page["kind"] == "code"}


def current_texts(data: dict, pages: list[dict]) -> list[tuple[int, str]]:
    """(page, message) for every message upstream shows now; rows first, they are the more specific pages."""
    texts = [(i, page["text"]) for i, page in enumerate(pages) if page["kind"] in ("message", "filter")]
    code_pages = _code_pages(pages)
    for code in data["codes"]:
        page = code_pages[code["code"]]
        for message in code["messages"]:
            if message["plain"] != code["name"]:  # -2010 NEW_ORDER_REJECTED repeats its name as its message
                texts.append((page, message["plain"]))
        if not NAME_RE.match(code["name"]):
            # -2021 "Order cancel-replace partially failed": this heading is what the API sends
            texts.append((page, code["name"]))
    return texts


def _page_by_description(data: dict, pages: list[dict]) -> dict[str, int]:
    row_pages = {(p["kind"], p["text"]): i for i, p in enumerate(pages) if p["kind"] in ("filter", "message")}
    found: dict[str, int] = {}
    for kind, table in (("filter", data["filter_failures"]), ("message", data["engine_messages"])):
        for row in table:
            page = row_pages[(kind, row["plain"])]
            found.setdefault(message_key(plain_text(row["description"])), page)
    return found


def history_texts(
    data: dict, pages: list[dict], history: Iterable[ParsedCopy]
) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """Old wordings users still paste, each led to today's page; and renamed filters (old name -> new).

    A code's old message belongs to the code while the code exists.  A table row
    that disappeared is the current row with the same description: upstream fixed
    "This action disabled is on this account." and renamed MAX_ALGO_ORDERS to
    MAX_NUM_ALGO_ORDERS without touching the explanation.  Chinese copies only
    add translated descriptions, never what the API sends, and are left out.
    """
    code_pages = _code_pages(pages)
    by_description = _page_by_description(data, pages)
    current_filters = {row["filter"] for row in data["filter_failures"]}
    old: dict[str, tuple[int, str]] = {}
    renamed: dict[str, str] = {}
    for copy in history:
        for entry in copy.codes:
            if entry.code not in code_pages:
                continue  # a code upstream dropped: its old text has no page here
            for message in entry.messages:
                plain = plain_text(message)
                if plain != entry.name:
                    old.setdefault(message_key(plain), (code_pages[entry.code], plain))
        for row in copy.engine_messages + copy.filter_failures:
            page = by_description.get(message_key(plain_text(row.description)))
            if page is None:
                continue
            plain = plain_text(row.text)
            old.setdefault(message_key(plain), (page, plain))
            if row.filter and row.filter not in current_filters and pages[page]["kind"] == "filter":
                renamed.setdefault(row.filter, pages[page]["name"])
    current = {message_key(text) for _, text in current_texts(data, pages)}
    texts = [value for key, value in old.items() if key not in current and not CJK_RE.search(value[1])]
    return sorted(texts), dict(sorted(renamed.items()))


def translated_texts(data: dict, pages: list[dict], translation: ParsedCopy | None) -> list[tuple[int, str]]:
    """Upstream's Chinese names, messages and descriptions (errors_CN.md), each led to the page of
    what it translates: a code's to its code, a table row's to the row with the same English text."""
    if translation is None:
        return []
    code_pages = _code_pages(pages)
    row_pages = _row_pages(pages)
    found: list[tuple[int, str]] = []
    for entry in translation.codes:
        page = code_pages.get(entry.code)
        if page is None:
            continue  # a code the testnet page lacks: no page here to lead to
        found += [(page, plain_text(text)) for text in [entry.name, *entry.messages] if IDEOGRAPH_RE.search(text)]
    for row in translation.engine_messages + translation.filter_failures:
        page = row_pages.get(message_key(plain_text(row.text)))
        if page is not None and IDEOGRAPH_RE.search(row.description):
            found.append((page, plain_text(" ".join(row.description.split("\n")))))
    return found


def wild_texts(pages: list[dict], names: dict[str, int], wild: dict | None) -> list[tuple[int, str]]:
    """Wordings clients and earlier APIs print (data/wild-wordings.json), each led to the page of
    the message it stands for today (a rejection or filter row), else its filter's, else its code's;
    a wording whose message, filter and code this reference lacks has no page here."""
    code_pages = _code_pages(pages)
    row_pages = _row_pages(pages)
    found: list[tuple[int, str]] = []
    for wording in (wild or {}).get("wordings", []):
        text = wording["text"]
        if NAME_RE.match(text) and text in names:
            continue  # a code's or filter's name (LOT_SIZE): the names already lead there
        page = row_pages.get(message_key(wording["today"])) if wording.get("today") else None
        if page is None and wording["filter"]:
            page = names.get(wording["filter"])
            page = page if page is not None and pages[page]["kind"] == "filter" else None
        if page is None:
            page = code_pages.get(wording["code"])
        if page is not None:
            found.append((page, text))
    return found


def others_index(others: dict | None, spot_codes: set[int], spot_said: set[str] = frozenset()) -> dict:
    """Other Binance products' codes (data/other-products.json), as the resolvers read them: the
    products in their order, each code's products, their messages (a paste of one without its code
    is that product's error, unless the Spot API says or said it too: ``spot_said``, word keys),
    and the messages another product sends under a Spot number."""
    if not others:
        return {"products": [], "codes": {}, "messages": [], "reused": {}}
    order = others["product_order"]
    products = [[key, others["products"][key]["name"], others["products"][key]["errors_url"]] for key in order]
    codes: dict[str, list[int]] = {}
    messages: dict[str, tuple[int, str]] = {}
    for entry in sorted(others["codes"], key=lambda entry: entry["code"]):
        if entry["code"] in spot_codes:
            continue  # a Spot number: only its messages (reused_spot_numbers) may say another product
        known = codes.setdefault(str(entry["code"]), [])
        known.extend(order.index(p) for p in entry["products"] if order.index(p) not in known)
        known.sort()
        for message in entry["messages"]:
            if len(keywords(message_items(message))) >= 2 and word_key(message) not in spot_said:  # one word is no message
                messages.setdefault(message_key(message), (entry["code"], message))
    reused: dict[str, list] = {}
    for entry in others["reused_spot_numbers"]:
        for message in entry["messages"]:
            variants = reused.setdefault(str(entry["code"]), [])
            same = next((v for v in variants if message_key(v[1]) == message_key(message)), None)
            if same is None:
                variants.append([[order.index(entry["product"])], message])
            elif order.index(entry["product"]) not in same[0]:
                same[0].append(order.index(entry["product"]))
                same[0].sort()
    return {
        "products": products,
        "codes": dict(sorted(codes.items())),
        "messages": sorted([code, text] for code, text in messages.values()),
        "reused": dict(sorted(reused.items())),
    }


def _weights(entry_keywords: list[list[str]]) -> dict[str, int]:
    """Rarer words weigh more (inverse document frequency), as integers: sums are exact in both languages."""
    frequency: dict[str, int] = {}
    for found in entry_keywords:
        for word in found:
            frequency[word] = frequency.get(word, 0) + 1
    count = len(entry_keywords)
    return {word: round(100 * math.log(1 + count / n)) for word, n in sorted(frequency.items())}


def build_index(
    data: dict,
    history: Iterable[ParsedCopy] | None = None,
    wild: dict | None = None,
    others: dict | None = None,
    translation: ParsedCopy | None = None,
    statuses: dict | None = None,
) -> dict:
    """The lookup index of one ``errors.json``: exactly what ``resolve`` and ``resolver.js`` read.

    ``history``: parsed old copies of the upstream page (see ``scraper.search_index.read_history``);
    without it, old wordings and renamed filters are not recognised.  ``wild``: wordings seen
    in the wild; ``others``: other Binance products' codes (see :func:`others_index`);
    ``translation``: upstream's Chinese copy, whose names and descriptions lead to the pages they translate;
    ``statuses``: data/statuses.json, whose HTTP status and stream error pages follow the error page's.
    """
    pages = _pages(data)
    pages += status_index.status_pages(statuses)
    old_texts, renamed = history_texts(data, pages, history) if history is not None else ([], {})
    names: dict[str, int] = {}
    for i, page in enumerate(pages):
        if page["kind"] in ("code", "filter") and NAME_RE.match(page["name"]):
            names.setdefault(page["name"], i)
    filter_pages = {page["name"]: i for i, page in enumerate(pages) if page["kind"] == "filter"}
    for old_name, new_name in renamed.items():
        names.setdefault(old_name, filter_pages[new_name])
    texts = current_texts(data, pages) + old_texts + translated_texts(data, pages, translation)
    texts += status_index.status_texts(pages, statuses)
    said = {message_key(text) for _, text in texts}
    # a wording upstream says now or said once already leads where upstream puts it
    wild_said = {word_key(wording["text"]) for wording in (wild or {}).get("wordings", [])}
    wild_from = len(texts)
    texts += [(page, text) for page, text in wild_texts(pages, names, wild) if message_key(text) not in said]
    entries: list[list] = []
    seen: set[tuple[int, str]] = set()
    for n, (page, text) in enumerate(texts):
        if n == wild_from:
            wild_from = len(entries)
        items = message_items(text)
        key = (page, message_key(text))
        if key in seen or not keywords(items):
            continue
        seen.add(key)
        entries.append([page, text])  # the resolvers read its words from the text (message_items)
    return {
        "format": INDEX_FORMAT,
        "tuning": dict(TUNING),
        "pages": pages,
        "codes": {str(code): i for code, i in _code_pages(pages).items()},
        "names": names,
        "entries": entries,
        "whole_only_from": min(wild_from, len(entries)),  # entries from here on (the wild wordings) count only when whole
        "weights": _weights([keywords(message_items(entry[1])) for entry in entries]),
        "patterns": {name: pattern.pattern for name, pattern in SHARED_PATTERNS.items()},
        "labels": {"kinds": labels().kinds, "panel": labels().panel},
        "as_of": store.retrieved_on(data),
        "others": others_index(others, {code["code"] for code in data["codes"]}, {word_key(text) for _, text in texts} | wild_said),
        "statuses": status_index.statuses_index(pages, statuses),
    }



def dumps_index(index: dict) -> str:
    """One spelling per index: sorted keys, no spaces (the browser downloads it)."""
    return json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_index(inputs: Inputs, path: Path, locale: str = "en") -> int:
    """Write the index to ``path`` (render: docs/assets/search-index.json); returns its size in bytes."""
    text = dumps_index(index_for(inputs, locale))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    store.write_atomic(path, text)
    return len(text.encode("utf-8"))
