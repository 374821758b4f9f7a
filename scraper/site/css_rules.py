"""A stylesheet's rules as the cut (stylesheets.py) and the split (cascade.py) read them, with tinycss2."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import tinycss2
from tinycss2.ast import Node, QualifiedRule

NESTED_RULES = {"media", "supports", "container", "layer"}


@functools.lru_cache(maxsize=8)
def parsed(css: str) -> tuple[Node, ...]:
    """Parsed once per process: each tree carries the same theme stylesheets, and the cut and the split read each more than once."""
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def selector_list(prelude: list[Node]) -> list[list[Node]]:
    selectors: list[list[Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def required_names(selector: list[Node]) -> Iterable[str]:
    """The classes, ids and attribute names a selector names outside any pseudo-class's brackets."""
    for before, token in zip([None, *selector], selector):
        if token.type == "ident" and before is not None and before.type == "literal" and before.value == ".":
            yield token.value
        elif token.type == "hash":
            yield token.value
        elif token.type == "[] block":
            names = [part.value for part in token.content if part.type == "ident"]
            if names:
                yield names[0]


def rewritten(rules: Iterable[Node], rewrite: Callable[[QualifiedRule], str | None]) -> list[str]:
    """Each style rule as ``rewrite`` makes it (None drops it), inside @media and the like too;
    other at-rules as they are, and what does not parse dropped, as a browser drops it."""
    kept: list[str] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            if (text := rewrite(rule)) is not None:
                kept.append(text)
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTED_RULES and rule.content is not None:
            inner = rewritten(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), rewrite)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return kept


