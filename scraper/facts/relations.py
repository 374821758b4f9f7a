"""Which codes, filter failures and rejection messages relate to each other, derived from the data.

No hand list: two entries relate when they share a distinctive subject word
(``lot`` + ``size``, ``iceberg``, ``notional``, ``trailing``…).  A word is
distinctive when few entries use it (inverse document frequency), so a new
upstream filter gets its links without code changes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from scraper.catalog.model import carrier_codes, plain_text
from scraper.search import words as search_words

# Words every entry of a kind uses; they say nothing about the subject.
STOPWORDS = frozenset(
    search_words.stem(word)
    for word in """a an and are as at be been by can cannot could does for from has have in is it may must no not of on or
    should than that the this to was were when which will with would your you
    filter failure failures exchange max min num order orders symbol supported account request requested
    action please invalid bad illegal unknown message messages""".split()
)


@dataclass(frozen=True)
class Entry:
    key: str  # "code:-1013", "filter:LOT_SIZE", "message:<text>"
    words: frozenset[str]


def words(text: str) -> frozenset[str]:
    """Subject words, by the search's own tokenizer: camelCase and snake_case split first (a
    filter's name is its subject words), no numbers, stopwords dropped."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", plain_text(text)).replace("_", " ")
    tokens = search_words.words(search_words.normalize(text))
    return frozenset(t for t in search_words.keywords(tokens) if len(t) > 2 and t not in STOPWORDS and t.isalpha())


def scope_base(filter_name: str) -> str:
    """EXCHANGE_MAX_NUM_ORDERS and MAX_NUM_ORDERS limit the same thing at two scopes."""
    return filter_name.removeprefix("EXCHANGE_")


def related(entries: list[Entry], limit: int = 6, min_score: float = 1.5) -> dict[str, list[str]]:
    """For each entry, the others ranked by the summed rarity of the words they share."""
    frequency = Counter(word for entry in entries for word in entry.words)
    total = len(entries)
    idf = {word: math.log(total / count) for word, count in frequency.items()}
    result: dict[str, list[str]] = {}
    for entry in entries:
        scored = []
        for other in entries:
            if other.key == entry.key:
                continue
            shared = entry.words & other.words
            score = sum(idf[w] for w in shared)
            if score >= min_score:
                scored.append((-score, other.key))
        result[entry.key] = [key for _, key in sorted(scored)[:limit]]
    return result


def table_relations(data: dict) -> dict[str, list[str]]:
    """Related filter failures and rejection messages, each keyed 'filter:NAME' or 'message:TEXT'."""
    entries = [Entry(f"filter:{row['filter']}", words(row["filter"])) for row in data["filter_failures"]]
    entries += [Entry(f"message:{row['text']}", words(row["text"])) for row in data["engine_messages"]]
    links = related(entries)
    by_base: dict[str, list[str]] = {}
    for row in data["filter_failures"]:
        by_base.setdefault(scope_base(row["filter"]), []).append(row["filter"])
    for group in by_base.values():
        for name in group:
            partners = [f"filter:{other}" for other in group if other != name]
            key = f"filter:{name}"
            links[key] = partners + [k for k in links[key] if k not in partners]
    return links


def code_relations(data: dict) -> dict[int, list[int]]:
    """Related codes: those that carry the same table's messages first, then shared subject words."""
    carriers: dict[int, set[int]] = {}
    for row in data["engine_messages"] + data["filter_failures"]:
        group = set(carrier_codes(row))
        for code in group:
            carriers.setdefault(code, set()).update(group - {code})
    # Names are the cleanest subject signal (DROP_COPY_*, *_OCO_*, SUBSCRIPTION_*);
    # message words add the rest but are noisier, so a match needs a rarer word.
    entries = [Entry(f"code:{code['code']}", words(code["name"])) for code in data["codes"]]
    by_words = {
        int(key.split(":", 1)[1]): [int(k.split(":", 1)[1]) for k in keys]
        for key, keys in related(entries, limit=5, min_score=2.0).items()
    }
    return {
        code: sorted(carriers.get(code, ()), key=abs) + [c for c in similar if c not in carriers.get(code, ())]
        for code, similar in by_words.items()
    }
