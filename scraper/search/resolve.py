"""Land on the right page from whatever a user pastes: a code, a name, a message, a whole log line.

``scraper.search.search_index`` builds a small JSON-serialisable index from the
inputs; :func:`resolve` reads a pasted text against it, with the words of
``scraper.search.words``.  ``templates/assets/javascripts/resolver.js`` is the
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

import re
from dataclasses import asdict, dataclass
from typing import Any

INDEX_FORMAT = 3  # 2: the regular expressions travel in the index; 3: so do the labels

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

from scraper.search.evidence import CodeEvidence, find_code, segments
from scraper.search.words import WORD_RE, deletions, items_pattern, keywords, normalize, typo_eligible, words

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


FILTER_FAILURE_RE = re.compile(r"filter failure ?[:\-]? ?'?([a-z][a-z0-9_]*)")


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
        # Names one typo away (LOT_SZE, INVALID_MESAGE): the same spellings with one letter dropped.
        self.name_typos: dict[str, list[str]] = {}
        self.longest_name = max(map(len, index["names"]), default=0)
        for name in index["names"]:
            if len(name) >= self.tuning["typo_min_length"]:
                for variant in deletions(name):
                    self.name_typos.setdefault(variant, []).append(name)

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
    for m in FILTER_FAILURE_RE.finditer(text):
        page = index["names"].get(m.group(1).upper())
        if page is not None and index["pages"][page]["kind"] == "filter":
            return page
    return None


def name_page(index: dict, text: str, kinds: tuple[str, ...]) -> int | None:
    """A code or filter named by identifier: LOT_SIZE anywhere; TIMEOUT or "lot size" only on their own.

    Failing that, a name with an underscore one typo away (LOT_SZE), when only one name is."""
    found = [word.strip("_") for word in WORD_RE.findall(text)]
    candidates = [word for word in found if "_" in word or len(found) == 1]
    if len(found) > 1:
        candidates.append("_".join(found))  # a name typed with spaces
    for word in candidates:
        page = index["names"].get(word.upper())
        if page is not None and index["pages"][page]["kind"] in kinds:
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
