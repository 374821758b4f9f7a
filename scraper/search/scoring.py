"""Scoring a pasted text against the index's messages: what ``resolve`` decides with (resolver.js mirrors it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# 2: the regular expressions travel in the index; 3: so do the labels; 4: other products' codes;
# 5: entries without their words (each resolver reads them from the text), other products' messages
# 6: HTTP status and WebSocket Streams error pages; 7: the stream codes' opening words as words
INDEX_FORMAT = 7

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

from scraper.search.words import (
    deletions,
    items_pattern,
    keywords,
    message_items,
    phrase_words,
    typo_eligible,
    whole_phrase_pattern,
    words,
)


class Compiled:
    """What resolving derives from an index once: patterns, keyword postings, the typo table."""
    def __init__(self, index: dict):
        if index.get("format") != INDEX_FORMAT:
            raise ValueError(f"search index format {index.get('format')!r}, expected {INDEX_FORMAT}")
        self.index = index
        self.tuning: dict = index["tuning"]
        self.weights: dict[str, int] = index["weights"]
        self.entries: list[list] = index["entries"]  # [page, text]
        self.items = [message_items(entry[1]) for entry in self.entries]
        slot_words = self.tuning["placeholder_words"]
        self.patterns = [re.compile(items_pattern(items, slot_words)) for items in self.items]
        # A client's or an old API's wording is evidence only when found whole and ending a phrase:
        # most of its words are also most of some other product's message ("Invalid price match").
        self.whole_only_from: int = index["whole_only_from"]
        self.whole_patterns = {
            i: re.compile(whole_phrase_pattern(self.items[i], slot_words))
            for i in range(self.whole_only_from, len(self.entries))
        }
        self.keywords = [keywords(items) for items in self.items]
        self.sizes = [len(found) for found in self.keywords]
        self.totals = [sum(self.weights[word] for word in found) for found in self.keywords]
        self.postings: dict[str, list[int]] = {}
        for i, found in enumerate(self.keywords):
            for word in found:
                self.postings.setdefault(word, []).append(i)
        self.typos: dict[str, list[str]] = {}
        self.typo_answers: dict[str, tuple[str, ...]] = {}
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
        # Messages other products send under a Spot number (futures' -2021 "Order would immediately trigger.").
        others = index["others"]
        self.reused = {
            code: [(products, re.compile(items_pattern(message_items(text), slot_words))) for products, text in variants]
            for code, variants in others["reused"].items()
        }
        # Their own codes' messages, whole and ending a phrase, found through their first keyword.
        self.foreign: dict[str, list[tuple[int, list[str], re.Pattern]]] = {}
        for code, text in others["messages"]:
            items = message_items(text)
            found = keywords(items)
            self.foreign.setdefault(found[0], []).append((code, found, re.compile(whole_phrase_pattern(items, slot_words))))

    def vocabulary_of(self, word: str) -> list[str]:
        """The index words a pasted word stands for: itself, or those one typo away."""
        if word in self.weights:
            return [word]
        if not typo_eligible(word, self.tuning["typo_min_length"]):
            return []
        known_typo = self.typo_answers.get(word)
        if known_typo is None:
            found: dict[str, None] = {}
            for variant in deletions(word):
                for known in self.typos.get(variant, ()):
                    found.setdefault(known, None)
            known_typo = tuple(found)
            if len(self.typo_answers) < 50_000:  # respelling and scoring both ask; bounded, pastes are not
                self.typo_answers[word] = known_typo
        return list(known_typo)


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


def respelled(c: Compiled, sequence: list[str]) -> list[str]:
    """The words as the index spells them: one typo from exactly one index word is that word
    ("unkown" -> "unknown"), and two words that are one index word joined are it ("listen key")."""
    out: list[str] = []
    i = 0
    while i < len(sequence):
        word = sequence[i]
        if i + 1 < len(sequence) and word not in c.weights and sequence[i] + sequence[i + 1] in c.weights:
            out.append(sequence[i] + sequence[i + 1])
            i += 2
            continue
        options = c.vocabulary_of(word)
        out.append(options[0] if len(options) == 1 else word)
        i += 1
    return out


def score_entries(c: Compiled, text: str, everything: bool = False) -> Scores:
    """Score every message sharing a word with the text; keep those found, and the partial candidates."""
    sequence = words(text)
    fixed = respelled(c, sequence)
    present: dict[str, None] = {}
    for word in keywords(sequence + fixed):
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
    fixed_spaced = " " + " ".join(fixed) + " " if fixed != sequence else None
    recall_min, share_min, near_words = c.tuning["recall"], c.tuning["share"], c.tuning["near_words"]
    partial_words = c.tuning["partial_words"]
    phrased: str | None = None
    accepted: list[Scored] = []
    touched: list[int] = []
    for i, n in enumerate(count):
        if not n:
            continue
        whole_only = i >= c.whole_only_from
        if n * 2 >= partial_words and not whole_only:
            touched.append(i)
        size = c.sizes[i]
        if n < near_words and n != size and not everything:
            continue  # neither exact nor near: skip the arithmetic
        recall = weight[i] / c.totals[i]
        share = n / size
        exact = n == size and c.patterns[i].search(spaced) is not None
        if exact and whole_only:
            if phrased is None:
                phrased = " " + " ".join(phrase_words(text)) + " "
            exact = c.whole_patterns[i].search(phrased) is not None
        # whole once respelled: found, but ranked below what is whole as typed
        respelled_whole = (
            not exact and not whole_only and n == size and fixed_spaced is not None
            and c.patterns[i].search(fixed_spaced) is not None
        )
        near = recall >= recall_min and share >= share_min and n >= near_words and not whole_only
        found = exact or respelled_whole or near
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


def foreign_message(c: Compiled, text: str) -> int | None:
    """The code of another product whose message the text holds whole, ending a phrase."""
    sequence = words(text)
    present = set(sequence)
    phrased: str | None = None
    for word in keywords(sequence):
        for code, found, pattern in c.foreign.get(word, ()):
            if all(item in present for item in found):
                if phrased is None:
                    phrased = " " + " ".join(phrase_words(text)) + " "
                if pattern.search(phrased):
                    return code
    return None


def only_page_of_words(c: Compiled, text: str) -> int | None:
    """A short text (fewer words than a near match needs) whose every word, respelled, is in the
    messages of one page only: "insuficient balance" is the insufficient-balance row."""
    found = keywords(respelled(c, words(text)))
    if not 2 <= len(found) < c.tuning["near_words"] or any(word not in c.postings for word in found):
        return None
    entries = set(c.postings[found[0]])
    for word in found[1:]:
        entries &= set(c.postings[word])
    entries = {i for i in entries if i < c.whole_only_from}
    pages = {c.entries[i][0] for i in entries}
    return min(entries) if len(pages) == 1 else None


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
            items = c.items[i]
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
