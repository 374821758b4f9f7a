"""Words: the one tokenizer of the search (and of the cross-links), mirrored by resolver.js."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable

from scraper.catalog.model import PLACEHOLDER_RE

# --- words (resolver.js: normalize, words, keywords, stem, deletions) ---------------

# Explicit classes instead of \s, \d, \w: Python's are Unicode-aware, JavaScript's
# are not, and the twin must see the same characters.
WHITESPACE_RE = re.compile("[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
JSON_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
QUOTES_RE = re.compile("[\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033]")
WORD_RE = re.compile(r"[a-z0-9_]+")
# Chinese has no spaces: a run of ideographs is read as its overlapping character pairs
# ("消息无效" is 消息 息无 无效), so upstream's Chinese names and descriptions match inside a log line.
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(f"[a-z0-9_]+|[{IDEOGRAPHS}]+")
IDEOGRAPH_RE = re.compile(f"[{IDEOGRAPHS}]")
# A word, or a mark that ends a phrase: what a client prints after a message ("Invalid price." or
# "…price'}") tells a whole message from the start of a longer one ("Invalid price match").
PHRASE_TOKEN_RE = re.compile(f"[a-z0-9_]+|[{IDEOGRAPHS}]+|[.,;:!?)\\]}}'|\u3001\u3002]")
PHRASE_BREAK = "|"
DIGITS_RE = re.compile(r"^[0-9]+$")
CJK_RE = re.compile("[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def normalize(text: str) -> str:
    """One spelling for what varies between copies of a message: escapes, quotes, whitespace, case."""
    # JSON inside a string and Go's %q print \u003c for '<'; repr and JSON escape quotes.
    text = JSON_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = unicodedata.normalize("NFKC", text)  # full-width "：" from CJK logs is ":"
    text = text.replace("\\'", "'").replace('\\"', '"')
    text = QUOTES_RE.sub("'", text)
    text = WHITESPACE_RE.sub(" ", text).strip(" ")
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


def _word_tokens(raw: str) -> list[str]:
    if raw[0] > "z":  # ideographs
        return [raw] if len(raw) == 1 else [raw[i : i + 2] for i in range(len(raw) - 1)]
    word = raw.strip("_")
    if not word:
        return []
    return [word if "_" in word else stem(word)]


def words(normalized: str) -> list[str]:
    """The text as a word sequence; identifiers (lot_size) stay whole and unstemmed."""
    return list(_words(normalized))


@functools.lru_cache(maxsize=64)  # a lookup reads one text's words several times (scores, respelling, statuses)
def _words(normalized: str) -> tuple[str, ...]:
    result: list[str] = []
    for raw in TOKEN_RE.findall(normalized):
        result.extend(_word_tokens(raw))
    return tuple(result)


def phrase_words(normalized: str) -> list[str]:
    """The word sequence of ``words``, with one ``|`` wherever punctuation ends a phrase."""
    result: list[str] = []
    for raw in PHRASE_TOKEN_RE.findall(normalized):
        if not TOKEN_RE.match(raw):
            if result and result[-1] != PHRASE_BREAK:
                result.append(PHRASE_BREAK)
            continue
        result.extend(_word_tokens(raw))
    return result


def message_items(plain: str) -> list[str | None]:
    """A message as words, None where upstream's %s, %d or {param} stands: what its patterns match."""
    items: list[str | None] = []
    for i, piece in enumerate(PLACEHOLDER_RE.split(plain)):
        if i:
            items.append(None)
        items.extend(words(normalize(piece)))
    return items


def keywords(sequence: Iterable[str | None]) -> list[str]:
    """The distinct words that carry meaning: no numbers (placeholders fill them), no single letters."""
    seen: dict[str, None] = {}
    for word in sequence:
        if word and len(word) > 1 and not DIGITS_RE.match(word):
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


def whole_phrase_pattern(items: list[str | None], placeholder_words: int) -> str:
    """A message's pattern in ``phrase_words``: its own punctuation may come between its words,
    and its end is the end of a phrase.  Searched in ``" " + " ".join(phrase_words) + " "``."""
    slot = f"(?: [^ ]+){{0,{placeholder_words}}}?"
    gap = r"(?: \|)*"
    parts = [" " + item if item else slot for item in items]
    return gap.join(parts) + r"(?= \| | $)"
