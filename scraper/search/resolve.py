"""Land on the right page from whatever a user pastes: a code, a name, a message, a whole log line.

Two halves.  :func:`build_index` turns ``data/errors.json`` (and, optionally, the
upstream history) into a small JSON-serialisable index; :func:`resolve` reads a
pasted text against it.  ``templates/assets/javascripts/resolver.js`` is the
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
4. **Names.**  ``INVALID_MESSAGE``, ``LOT_SIZE``: that code or filter page.

Scores are reproducible across Python and JavaScript: word weights are integers
fixed at build time, so every score is the same IEEE quotient in both.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from scraper.catalog.model import PLACEHOLDER_RE, ParsedCopy, carrier_codes, plain_text
from scraper.site import paths

INDEX_FORMAT = 1

# The tuning travels inside the index, so the twin cannot drift from it.  Chosen on
# tests/fixtures/eval/pasted-errors-dev.tsv (all 135 right) and checked against ccxt's
# messages of other Binance APIs (tests/test_resolve.py: few may land here).
TUNING = {
    "recall": 0.7,  # share of a message's word weight the text must contain
    "share": 0.6,  # share of its words (unweighted): one rare word is not a message
    "near_words": 4,  # a message not found whole needs this many of its words ("Product does not exist" is no order)
    "typo_min_length": 5,  # shorter words are never compared with typo tolerance
    "partial_words": 4,  # a cut-short message must run this many words
    "partial_coverage": 0.8,  # and make up this share of the pasted text
    # A placeholder stands for at most this many words: a symbol, "1 MINUTE", a short list.  Unbounded,
    # a long paste holding a message's words out of order costs seconds of regex backtracking.
    "placeholder_words": 12,
}

# --- words (resolver.js: normalize, words, keywords, stem, deletions) ---------------

# Explicit classes instead of \s, \d, \w: Python's are Unicode-aware, JavaScript's
# are not, and the twin must see the same characters.
_WHITESPACE_RE = re.compile("[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_JSON_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
_QUOTES_RE = re.compile("[\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033]")
_WORD_RE = re.compile(r"[a-z0-9_]+")
_DIGITS_RE = re.compile(r"^[0-9]+$")
_CJK_RE = re.compile("[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def normalize(text: str) -> str:
    """One spelling for what varies between copies of a message: escapes, quotes, whitespace, case."""
    # JSON inside a string and Go's %q print \u003c for '<'; repr and JSON escape quotes.
    text = _JSON_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = unicodedata.normalize("NFKC", text)  # full-width "：" from CJK logs is ":"
    text = text.replace("\\'", "'").replace('\\"', '"')
    text = _QUOTES_RE.sub("'", text)
    text = _WHITESPACE_RE.sub(" ", text).strip(" ")
    return text.lower()


def stem(word: str) -> str:
    """Crude suffix stripping: 'supported' and 'support', 'requests' and 'request' are one word."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(normalized: str) -> list[str]:
    """The text as a word sequence; identifiers (lot_size) stay whole and unstemmed."""
    result = []
    for raw in _WORD_RE.findall(normalized):
        word = raw.strip("_")
        if word:
            result.append(word if "_" in word else stem(word))
    return result


def keywords(sequence: Iterable[str | None]) -> list[str]:
    """The distinct words that carry meaning: no numbers (placeholders fill them), no single letters."""
    seen: dict[str, None] = {}
    for word in sequence:
        if word and len(word) > 1 and not _DIGITS_RE.match(word):
            seen.setdefault(word, None)
    return list(seen)


def typo_eligible(word: str, min_length: int) -> bool:
    return len(word) >= min_length and re.search("[0-9_]", word) is None


def deletions(word: str) -> list[str]:
    """The word and each spelling with one letter dropped: two words one typo apart share one."""
    return [word] + [word[:i] + word[i + 1 :] for i in range(len(word))]


def items_pattern(items: list[str | None], placeholder_words: int) -> str:
    """A message's pattern at word level: its words in order, a placeholder standing for a few words.

    Searched in ``" " + " ".join(words) + " "``; the spaces are the word boundaries.
    Words are [a-z0-9_] only, so nothing needs escaping in either regex dialect.
    """
    slot = f"(?: [^ ]+){{0,{placeholder_words}}}?"
    return "".join(" " + item if item else slot for item in items) + "(?= )"


# --- building the index -------------------------------------------------------

_TRAILING_PUNCT_RE = re.compile(r"[ .!;:,]+$")


def message_items(plain: str) -> list[str | None]:
    """The message as words, None where upstream's %s, %d or {param} stands."""
    items: list[str | None] = []
    for i, piece in enumerate(PLACEHOLDER_RE.split(plain)):
        if i:
            items.append(None)
        items.extend(words(normalize(piece)))
    return items


def message_key(plain: str) -> str:
    """Two texts with one key are one message: they differ only in case, quotes or the final dot."""
    return _TRAILING_PUNCT_RE.sub("", normalize(plain))


def _is_identifier(name: str) -> bool:
    return re.fullmatch(r"[A-Z][A-Z0-9_]*", name) is not None


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
        if not _is_identifier(code["name"]):
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
    texts = [value for key, value in old.items() if key not in current and not _CJK_RE.search(value[1])]
    return sorted(texts), dict(sorted(renamed.items()))


def _weights(entry_keywords: list[list[str]]) -> dict[str, int]:
    """Rarer words weigh more (inverse document frequency), as integers: sums are exact in both languages."""
    frequency: dict[str, int] = {}
    for found in entry_keywords:
        for word in found:
            frequency[word] = frequency.get(word, 0) + 1
    count = len(entry_keywords)
    return {word: round(100 * math.log(1 + count / n)) for word, n in sorted(frequency.items())}


def build_index(data: dict, history: Iterable[ParsedCopy] | None = None) -> dict:
    """The lookup index of one ``errors.json``: exactly what ``resolve`` and ``resolver.js`` read.

    ``history``: parsed old copies of the upstream page (see ``scraper.search_index.read_history``);
    without it, old wordings and renamed filters are not recognised.
    """
    pages = _pages(data)
    old_texts, renamed = history_texts(data, pages, history) if history is not None else ([], {})
    entries: list[list] = []
    seen: set[tuple[int, str]] = set()
    for page, text in current_texts(data, pages) + old_texts:
        items = message_items(text)
        key = (page, message_key(text))
        if key in seen or not keywords(items):
            continue
        seen.add(key)
        entries.append([page, text, items])
    names: dict[str, int] = {}
    for i, page in enumerate(pages):
        if page["kind"] in ("code", "filter") and _is_identifier(page["name"]):
            names.setdefault(page["name"], i)
    filter_pages = {page["name"]: i for i, page in enumerate(pages) if page["kind"] == "filter"}
    for old_name, new_name in renamed.items():
        names.setdefault(old_name, filter_pages[new_name])
    return {
        "format": INDEX_FORMAT,
        "tuning": dict(TUNING),
        "pages": pages,
        "codes": {str(code): i for code, i in _code_pages(pages).items()},
        "names": names,
        "entries": entries,
        "weights": _weights([keywords(entry[2]) for entry in entries]),
    }


# --- resolving ------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    code: int | None  # the code the text pins down; None when the page's message comes with several codes
    name: str | None  # the code's name, or the filter's
    kind: str  # code | filter | message | not-found
    message: str | None  # the upstream message text that matched (an old wording if that is what matched)
    path: str | None  # the site page, spelled by scraper.paths; None when not found
    codes: tuple[int, ...] = ()  # the codes the page is about (the candidates when ``code`` is None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["codes"] = list(self.codes)
        return data


# "code=-1013", "'code': -1121", "[code] => -1022", "errorCode: -1021", "Code - 2013", "['code']=> int(-1013)".
# Not "httpCode" or "statusCode": a letter before "code" makes it another word.
_CODE_CONTEXT_RE = re.compile(
    r"(?<![a-z0-9])(?:error_?|err_?|api_?)?code(?![a-z0-9])"
    r"[ '\])]*(?:=>|[:=])? ?(?:int\()?(- ?)?([0-9]{1,6})(?![0-9]|\.[0-9])"
)
# A negative number on its own: "(-1000)", "ERROR: -1013,", "(400, -1125, …)".  Not "2018-09-28" (a digit
# before), not "x-1013" (a letter before), not "-1013.5" (a decimal), not a 13-digit epoch.
_SIGNED_RE = re.compile(r"(?<![a-z0-9_.\-/])-([0-9]{4,5})(?![0-9]|\.[0-9])")
_ONLY_NUMBER_RE = re.compile(r"^(- ?)?([0-9]{1,6})[.!]?$")
_FILTER_FAILURE_RE = re.compile(r"filter failure ?[:\-]? ?'?([a-z][a-z0-9_]*)")
# Where a client prints the message field: "msg":"…", 'msg': '…', msg=…, [msg] => …, Message: …
_MESSAGE_FIELD_RE = re.compile(r"(?<![a-z0-9_])(?:msg|message|error_?message)'?\]? ?(?:=>|[:=]) ?(.+)$")
_FIELD_END_RE = re.compile(r"' ?[,}\]]")
_LEADING_NOISE_RE = re.compile(r"^[ :,)\]'=>\-]+")


@dataclass(frozen=True)
class CodeEvidence:
    value: int
    known: bool
    end: int  # where the number ends in the text: the message usually follows it


def _code_evidence(index: dict, sign: str | None, digits: str, end: int) -> CodeEvidence | None:
    number = int(digits)
    if not sign and 100 <= number <= 599:
        return None  # an HTTP status ("binance 429", "[_httpcode] => 400"), never an API code
    value = -number if sign else number
    if str(value) in index["codes"]:
        return CodeEvidence(value, True, end)
    if value > 0 and str(-value) in index["codes"]:
        return CodeEvidence(-value, True, end)  # "code=2010": the minus got lost
    return CodeEvidence(value, False, end)


def find_code(index: dict, text: str) -> CodeEvidence | None:
    """The strongest code evidence: classes in order, a known code first within a class."""
    contextual = [_code_evidence(index, m.group(1), m.group(2), m.end()) for m in _CODE_CONTEXT_RE.finditer(text)]
    signed = [_code_evidence(index, "-", m.group(1), m.end()) for m in _SIGNED_RE.finditer(text)]
    only = _ONLY_NUMBER_RE.match(text)
    alone = [_code_evidence(index, only.group(1), only.group(2), only.end())] if only else []
    for group in (contextual, signed, alone):
        found = [evidence for evidence in group if evidence is not None]
        if found:
            return next((evidence for evidence in found if evidence.known), found[0])
    return None


def segments(text: str, code: CodeEvidence | None) -> list[str]:
    """The whole text, and the parts a client wrapper marks as the message (a msg field, what follows the code)."""
    found = [text]
    field = _MESSAGE_FIELD_RE.search(text)
    if field:
        found.append(field.group(1))
    if code is not None:
        found.append(text[code.end :])
    result: list[str] = []
    for segment in found:
        segment = _LEADING_NOISE_RE.sub("", segment)
        end = _FIELD_END_RE.search(segment, 1)
        if end:
            segment = segment[: end.start()]
        if segment and segment not in result:
            result.append(segment)
    return result


class Compiled:
    """What resolving derives from an index once: patterns, keyword postings, the typo table."""
    def __init__(self, index: dict):
        if index.get("format") != INDEX_FORMAT:
            raise ValueError(f"search index format {index.get('format')!r}, expected {INDEX_FORMAT}")
        self.index = index
        self.tuning: dict = index["tuning"]
        self.weights: dict[str, int] = index["weights"]
        self.entries: list[list] = index["entries"]
        slot_words = self.tuning["placeholder_words"]
        self.patterns = [re.compile(items_pattern(entry[2], slot_words)) for entry in self.entries]
        self.keywords = [keywords(entry[2]) for entry in self.entries]
        self.sizes = [len(found) for found in self.keywords]
        self.totals = [sum(self.weights[word] for word in found) for found in self.keywords]
        self.postings: dict[str, list[int]] = {}
        for i, found in enumerate(self.keywords):
            for word in found:
                self.postings.setdefault(word, []).append(i)
        self.typos: dict[str, list[str]] = {}
        for word in self.weights:
            if typo_eligible(word, self.tuning["typo_min_length"]):
                for variant in deletions(word):
                    self.typos.setdefault(variant, []).append(word)

    def vocabulary_of(self, word: str) -> list[str]:
        """The index words a pasted word stands for: itself, or those one typo away."""
        if word in self.weights:
            return [word]
        if not typo_eligible(word, self.tuning["typo_min_length"]):
            return []
        found: dict[str, None] = {}
        for variant in deletions(word):
            for known in self.typos.get(variant, ()):
                found.setdefault(known, None)
        return list(found)


_COMPILED: list[Compiled] = []


def compiled(index: dict) -> Compiled:
    """The compiled form of an index, kept for the last few index objects seen."""
    for item in _COMPILED:
        if item.index is index:
            return item
    item = Compiled(index)
    _COMPILED[:] = [item] + _COMPILED[:3]
    return item


@dataclass(frozen=True)
class Scored:
    entry: int
    recall: float  # share of the message's word weight found in the text
    share: float  # share of its words found, unweighted
    matched: int  # the word weight found
    count: int  # the words found
    exact: bool  # all its words, in order
    found: bool  # exact, or near enough: the message is in the text

    def strength(self) -> tuple[bool, float, float]:
        # Exact first; then the most explained weight: "Quote order qty market orders are not supported"
        # holds "Market orders are not supported" whole, and the longer message is the answer.
        return (self.exact, self.recall * self.matched, self.recall)

    def key(self) -> tuple[bool, float, float, int]:
        return self.strength() + (-self.entry,)  # equal strength: the earlier entry


@dataclass(frozen=True)
class Scores:
    accepted: list[Scored]  # the messages found (all scored ones if asked for), in entry order
    touched: list[int]  # entries sharing enough words to be the start of a cut-short text


def score_entries(c: Compiled, text: str, everything: bool = False) -> Scores:
    """Score every message sharing a word with the text; keep those found, and the partial candidates."""
    sequence = words(text)
    present: dict[str, None] = {}
    for word in keywords(sequence):
        for known in c.vocabulary_of(word):
            present.setdefault(known, None)
    # Lists indexed by entry, not dicts: this loop is most of a lookup's time.
    weight = [0] * len(c.entries)
    count = [0] * len(c.entries)
    for word in present:
        w = c.weights[word]
        for i in c.postings[word]:
            weight[i] += w
            count[i] += 1
    spaced = " " + " ".join(sequence) + " "
    recall_min, share_min, near_words = c.tuning["recall"], c.tuning["share"], c.tuning["near_words"]
    partial_words = c.tuning["partial_words"]
    accepted: list[Scored] = []
    touched: list[int] = []
    for i, n in enumerate(count):
        if not n:
            continue
        if n * 2 >= partial_words:
            touched.append(i)
        size = c.sizes[i]
        if n < near_words and n != size and not everything:
            continue  # neither exact nor near: skip the arithmetic
        recall = weight[i] / c.totals[i]
        share = n / size
        exact = n == size and c.patterns[i].search(spaced) is not None
        found = exact or (recall >= recall_min and share >= share_min and n >= near_words)
        if found or everything:
            accepted.append(Scored(i, recall, share, weight[i], n, exact, found))
    return Scores(accepted, touched)


def best(
    c: Compiled, scored: list[Scored], pages: set[int] | None = None, kinds: tuple[str, ...] = ()
) -> Scored | None:
    """The best of the messages found, optionally only those on some pages or kinds of page."""
    found = None
    for s in scored:
        page = c.entries[s.entry][0]
        if not s.found or (pages is not None and page not in pages):
            continue
        if kinds and c.index["pages"][page]["kind"] not in kinds:
            continue
        if found is None or s.key() > found.key():
            found = s
    return found


def longest_run(sequence: list[str], items: list[str | None]) -> tuple[int, int]:
    """(words, length) of the longest stretch where the text follows the message; a placeholder takes one word."""
    best_run = (0, 0)
    previous = [(0, 0)] * (len(items) + 1)
    for word in sequence:
        current = [(0, 0)] * (len(items) + 1)
        for j, item in enumerate(items):
            before = previous[j]
            if item is None:
                run = (before[0], before[1] + 1)
            elif item == word:
                run = (before[0] + 1, before[1] + 1)
            else:
                continue
            current[j + 1] = run
            if run > best_run:
                best_run = run
        previous = current
    return best_run


def best_partial(
    c: Compiled, parts: list[str], touched: list[int], pages: set[int] | None = None, kinds: tuple[str, ...] = ()
) -> int | None:
    """The message a cut-short text is the start (or a long stretch) of; if given, only on ``pages`` or of ``kinds``."""
    found: tuple[int, float, int] | None = None
    for part in parts:
        sequence = words(part)
        if not sequence:
            continue
        present = set(sequence)
        for i in touched:
            page = c.entries[i][0]
            wanted = (pages is not None and page in pages) or c.index["pages"][page]["kind"] in kinds
            if (pages is not None or kinds) and not wanted:
                continue
            items = c.entries[i][2]
            # Bounds before the quadratic run: a run is no longer than the message, and matches only its words present.
            if len(items) / len(sequence) < c.tuning["partial_coverage"]:
                continue
            if sum(1 for item in items if item in present) < c.tuning["partial_words"]:
                continue
            matched_words, length = longest_run(sequence, items)
            coverage = length / len(sequence)
            if matched_words < c.tuning["partial_words"] or coverage < c.tuning["partial_coverage"]:
                continue
            candidate = (matched_words, coverage, -i)
            if found is None or candidate > found:
                found = candidate
    return -found[2] if found else None


def _match(index: dict, page_number: int, code: int | None, message: str | None) -> Match:
    page = index["pages"][page_number]
    codes = list(page["codes"])
    if code is None and len(codes) == 1:
        code = codes[0]
    if code is not None and code not in codes:
        codes = [code]  # "Market is closed." sent with a code the table does not list: the text says which
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
    for m in _FILTER_FAILURE_RE.finditer(text):
        page = index["names"].get(m.group(1).upper())
        if page is not None and index["pages"][page]["kind"] == "filter":
            return page
    return None


def name_page(index: dict, text: str, kinds: tuple[str, ...]) -> int | None:
    """A code or filter named by identifier: LOT_SIZE anywhere; TIMEOUT or "lot size" only on their own."""
    found = [word.strip("_") for word in _WORD_RE.findall(text)]
    candidates = [word for word in found if "_" in word or len(found) == 1]
    if len(found) > 1:
        candidates.append("_".join(found))  # a name typed with spaces
    for word in candidates:
        page = index["names"].get(word.upper())
        if page is not None and index["pages"][page]["kind"] in kinds:
            return page
    return None


ROWS = ("message", "filter")


def _resolve_with_code(c: Compiled, text: str, code: CodeEvidence) -> Match:
    index = c.index
    scores = score_entries(c, text)
    own_page = index["codes"][str(code.value)]
    own = best(c, scores.accepted, pages={own_page})
    row = best(c, scores.accepted, kinds=ROWS)
    if row is not None and own is not None and row.strength() <= own.strength():
        row = None  # the code's own message fits as well: its page
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
    entry = None
    if found is None or not found.exact:
        entry = best_partial(c, segments(text, None), scores.touched)  # as with a code: a run beats a near match
    if entry is None and found is not None:
        entry = found.entry
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
        return Match(code=code.value, name=None, kind="not-found", message=None, path=None, codes=())
    page = filter_page(index, text)
    if page is not None:
        return _match(index, page, code.value if code else None, None)
    return _resolve_with_code(c, text, code) if code is not None else _resolve_without_code(c, text)
