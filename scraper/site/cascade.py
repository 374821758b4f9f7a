"""The theme's stylesheets in two parts: what a page's first paint needs, and what only scripts use.

On a slow phone the first paint waits for every stylesheet in ``<head>``.  Many of the theme's
rules style what only its scripts create or mark (search results, tooltips, the copy button, an
open drawer): a selector that needs a class, id or attribute no page's HTML has cannot match
before a script runs.  Those rules move to one late stylesheet, linked after the page content and
before the theme's scripts (``templates/overrides/main.html``): it does not hold up the first
paint, and the scripts, which wait for it, never run without it.

Moving a rule later can change which of two rules wins: with equal specificity, the later one
does.  So the late stylesheet also repeats each first-paint rule that sets a property (or one of
its shorthand family) that a moved rule before it sets, at the same specificity and on the same
pseudo-element, and then each rule that conflicts with a repeated one in turn.  Every rule of the
late stylesheet is in the cascade's order, after all first-paint rules: each pair that could
compete is in its original order, and the rest do not compete.  Our own stylesheets take part
(a moved theme rule may have been overridden by ``extra.css``) but stay whole in ``<head>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import tinycss2
from tinycss2.ast import Node, QualifiedRule

from scraper.catalog.model import ScrapeError
from scraper.site.css_rules import NESTED_RULES, parsed, required_names, selector_list

LEGACY_PSEUDO_ELEMENTS = {"before", "after", "first-line", "first-letter"}
SELECTOR_LISTS = {"not", "is", "has", "matches", "-webkit-any", "-moz-any"}  # the most specific argument counts
VENDOR = re.compile(r"^-(?:webkit|moz|ms|o)-")
INSET = {"top", "right", "bottom", "left"}

Specificity = tuple[int, int, int, str]  # ids, classes/attributes/pseudo-classes, types, pseudo-element ("" for none)


def specificity(selector: list[Node]) -> Specificity:
    """One complex selector's specificity, with the pseudo-element it styles (a different box)."""
    ids = classes = types = 0
    pseudo = ""
    tokens = [t for t in selector if t.type not in ("whitespace", "comment")]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "hash":
            ids += 1
        elif token.type == "[] block":
            classes += 1
        elif token.type == "literal" and token.value == "." and i + 1 < len(tokens):
            classes += 1
            i += 1
        elif token.type == "literal" and token.value == ":" and i + 1 < len(tokens):
            double = tokens[i + 1].type == "literal" and tokens[i + 1].value == ":"
            i += 2 if double else 1
            if i >= len(tokens):
                break
            name_token = tokens[i]
            name = name_token.lower_value if name_token.type == "ident" else getattr(name_token, "lower_name", "")
            if double or name in LEGACY_PSEUDO_ELEMENTS:
                types += 1
                pseudo = name
            elif name_token.type == "function" and name in SELECTOR_LISTS:
                inner = max((specificity(s)[:3] for s in selector_list(name_token.arguments)), default=(0, 0, 0))
                ids, classes, types = ids + inner[0], classes + inner[1], types + inner[2]
            elif name != "where":
                classes += 1
        elif token.type == "ident":
            types += 1
        i += 1
    return ids, classes, types, pseudo


def property_family(name: str) -> str:
    """What a declaration can override: a custom property itself; else the shorthand family
    (``margin-top`` and ``margin``; ``top`` and ``inset``), vendor prefix aside."""
    if name.startswith("--"):
        return name
    name = VENDOR.sub("", name.lower())
    return "inset" if name in INSET else name.split("-")[0]


@dataclass
class _Rule:
    context: tuple[str, ...]  # the enclosing at-rules, outermost first, as "@media screen"
    rule: QualifiedRule
    early: list[list[Node]]  # the selectors a page's own HTML can match
    late: list[list[Node]]  # the selectors only a script can make match
    families: frozenset[str]
    repeated: bool = False  # a first-paint rule the late stylesheet repeats, to keep its place in the cascade

    def keys(self, selectors: list[list[Node]]) -> set[tuple[str, Specificity]]:
        return {(family, specificity(s)) for s in selectors for family in self.families}


UNMODELLED = {"layer", "import", "scope"}  # they order the cascade by more than a rule's place: not split


def _flattened(rules: Iterable[Node], context: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], QualifiedRule]]:
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in UNMODELLED:
            raise ScrapeError(f"a stylesheet has @{rule.at_keyword}, which the split of the cascade does not model")
        if isinstance(rule, QualifiedRule):
            yield context, rule
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTED_RULES and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            yield from _flattened(inner, (*context, f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"))


def _rules(sheets: list[tuple[str, bool]], page_words: frozenset[str]) -> list[_Rule]:
    found: list[_Rule] = []
    for css, theme in sheets:
        for context, rule in _flattened(parsed(css)):
            selectors = selector_list(rule.prelude)
            early = [s for s in selectors if not theme or all(name in page_words for name in required_names(s))]
            declarations = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            families = frozenset(property_family(d.name) for d in declarations if d.type == "declaration")
            found.append(_Rule(context, rule, early, [s for s in selectors if s not in early], families))
    return found


def _mark_repeated(rules: list[_Rule]) -> None:
    """Repeat each first-paint rule a moved or repeated rule before it could compete with."""
    moved: set[tuple[str, Specificity]] = set()
    everything = False  # a moved `all: ...` competes with every property
    for rule in rules:
        # its own moved selectors are at its place in the cascade: they do not count against it
        if rule.early and (moved or everything):
            keys = rule.keys(rule.early)
            if everything or keys & moved or ("all" in rule.families and moved):
                rule.repeated = True
                moved |= keys
        if rule.late:
            moved |= rule.keys(rule.late)
            everything = everything or "all" in rule.families


def _late_text(rules: list[_Rule]) -> str:
    """The moved and repeated rules in cascade order, consecutive rules of one context grouped."""
    out: list[str] = []
    open_context: tuple[str, ...] = ()
    for rule in rules:
        selectors = rule.late + (rule.early if rule.repeated else [])
        if not selectors:
            continue
        if rule.context != open_context:
            out.append("}" * len(open_context) + "".join(f"{at}{{" for at in rule.context))
            open_context = rule.context
        ordered = [s for s in selector_list(rule.rule.prelude) if s in selectors]
        out.append(f"{','.join(tinycss2.serialize(s).strip() for s in ordered)}{{{tinycss2.serialize(rule.rule.content)}}}")
    out.append("}" * len(open_context))
    return "".join(out)


def late_rules(sheets: list[tuple[str, bool]], page_words: frozenset[str]) -> str:
    """The late stylesheet of ``sheets`` (each stylesheet's text, and whether it is the theme's, in the
    order a page links them), when the theme's sheets keep only the selectors ``page_words`` can match."""
    rules = _rules(sheets, page_words)
    _mark_repeated(rules)
    return _late_text(rules)
