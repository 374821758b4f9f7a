"""The theme's stylesheets, cut to the rules the built site can use.

Material's and Zensical's main stylesheets style every feature the theme has (content tabs,
annotations, blog posts, versions, cookie consent, ...), and a first visit downloads the whole of
it before the first paint: on a slow phone most of that wait is stylesheet.  After the build, a
theme stylesheet keeps a selector only if every class, id and attribute it names at its top level
appears as a word in a page or a script the site ships: a page that uses a class says its name, and
so does a script that adds one.  A custom property stays if anything refers to it.  Names inside
``:not(...)``, ``:is(...)`` and the like are not required, so a selector is never dropped for them.

The cut file is named by its content's hash (a browser never mixes a cached old cut with new
pages) and every page's link is moved to it.  Our own stylesheets are not touched.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import tinycss2
from tinycss2.ast import Node, QualifiedRule

# Where both themes put their own minified stylesheets (Material: assets/stylesheets/main.<hash>.min.css,
# Zensical: assets/stylesheets/modern/main.<hash>.min.css); the site's own sheets are not minified.
THEME_STYLESHEETS = "assets/stylesheets/**/*.min.css"
SHIPPED_TEXT = {".html", ".js"}
WORD_BYTES = re.compile(rb"[A-Za-z0-9_-]+")
VARIABLE_USE = re.compile(r"var\(\s*--([A-Za-z0-9_-]+)")
NESTED_RULES = {"media", "supports", "container", "layer"}


def _files(site: Path) -> dict[str, list[Path]]:
    """The site's files by suffix, in one walk (a site has thousands: each redirect is a page)."""
    found: dict[str, list[Path]] = {}
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            found.setdefault(path.suffix, []).append(path)
    return {suffix: sorted(paths) for suffix, paths in found.items()}


def shipped_words(files: dict[str, list[Path]]) -> frozenset[str]:
    """Every word of every page and script in ``files`` (a tree's, or both trees').  Read as bytes, and
    each distinct file once (the trees share their scripts): the words are ASCII, and a site is megabytes."""
    words: set[bytes] = set()
    read: set[bytes] = set()
    for suffix in SHIPPED_TEXT:
        for path in files.get(suffix, []):
            content = path.read_bytes()
            if content not in read:
                read.add(content)
                words.update(WORD_BYTES.findall(content))
    return frozenset(word.decode("ascii") for word in words)


def _selectors(prelude: list[Node]) -> list[list[Node]]:
    selectors: list[list[Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _required_names(selector: list[Node]) -> Iterable[str]:
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


def _rewritten(rules: Iterable[Node], rewrite: Callable[[QualifiedRule], str | None]) -> list[str]:
    """Each style rule as ``rewrite`` makes it (None drops it), inside @media and the like too;
    other at-rules as they are, and what does not parse dropped, as a browser drops it."""
    kept: list[str] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            if (text := rewrite(rule)) is not None:
                kept.append(text)
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTED_RULES and rule.content is not None:
            inner = _rewritten(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), rewrite)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return kept


def _kept_selectors(rule: QualifiedRule, words: frozenset[str]) -> str | None:
    """The rule's selectors that name only words of the site; None when none does."""
    selectors = [s for s in _selectors(rule.prelude) if all(name in words for name in _required_names(s))]
    return ",".join(tinycss2.serialize(s).strip() for s in selectors) if selectors else None


def _kept_declarations(rule: QualifiedRule, referred: frozenset[str]) -> str | None:
    """The rule's declarations but the custom properties not in ``referred``; None when none is left."""
    declarations = [
        d for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
        if d.type == "declaration" and (not d.name.startswith("--") or d.name[2:] in referred)
    ]
    if not declarations:
        return None
    return ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}" for d in declarations)


@functools.lru_cache(maxsize=8)
def _parse(css: str) -> tuple[Node, ...]:
    """Parsed once per process: each language's tree carries the same theme stylesheets, cut one after the other."""
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def used_rules(css: str, words: frozenset[str]) -> str:
    """``css`` without the selectors that name a class, id or attribute no word of the site has."""
    return _used_rules(css, words & _selector_names(css))


def without_unused_properties(css: str, referred: frozenset[str]) -> str:
    """``css`` without the custom properties (``--name``) whose name is not in ``referred``."""
    return _without_unused_properties(css, referred & _declared_properties(css))


def cut(css: str, words: frozenset[str], referred: frozenset[str]) -> str:
    """``without_unused_properties(used_rules(css, words), referred)``, from the one parse of ``css``:
    parsing the theme's stylesheet is most of a cut's time, and the used rules need no second parse."""
    return _cut(css, words & _selector_names(css), referred & _declared_properties(css))


# Each language's tree is cut on its own, and the trees usually agree on every name the stylesheet
# holds: the cut depends only on those, so the second tree's cut is the first's, not made again.
@functools.lru_cache(maxsize=8)
def _used_rules(css: str, words: frozenset[str]) -> str:
    def rewrite(rule: QualifiedRule) -> str | None:
        selectors = _kept_selectors(rule, words)
        return None if selectors is None else f"{selectors}{{{tinycss2.serialize(rule.content)}}}"

    return "".join(_rewritten(_parse(css), rewrite))


@functools.lru_cache(maxsize=8)
def _without_unused_properties(css: str, referred: frozenset[str]) -> str:
    def rewrite(rule: QualifiedRule) -> str | None:
        body = _kept_declarations(rule, referred)
        return None if body is None else f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}"

    return "".join(_rewritten(_parse(css), rewrite))


@functools.lru_cache(maxsize=8)
def _cut(css: str, words: frozenset[str], referred: frozenset[str]) -> str:
    def rewrite(rule: QualifiedRule) -> str | None:
        selectors = _kept_selectors(rule, words)
        body = None if selectors is None else _kept_declarations(rule, referred)
        return None if body is None else f"{selectors}{{{body}}}"

    return "".join(_rewritten(_parse(css), rewrite))


@functools.lru_cache(maxsize=8)
def _selector_names(css: str) -> frozenset[str]:
    """Every name a selector of ``css`` may require."""
    names: set[str] = set()

    def collect(rule: QualifiedRule) -> None:
        for selector in _selectors(rule.prelude):
            names.update(_required_names(selector))

    _rewritten(_parse(css), collect)
    return frozenset(names)


@functools.lru_cache(maxsize=8)
def _declared_properties(css: str) -> frozenset[str]:
    """The names (without their dashes) of the custom properties ``css`` declares."""
    names: set[str] = set()

    def collect(rule: QualifiedRule) -> None:
        for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if declaration.type == "declaration" and declaration.name.startswith("--"):
                names.add(declaration.name[2:])

    _rewritten(_parse(css), collect)
    return frozenset(names)


def _cut_name(path: Path, css: str) -> str:
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:8]
    return path.name.removesuffix(".min.css") + f".{digest}.min.css"


def trim_theme_stylesheets(site: Path) -> None:
    """Cut each theme stylesheet of a built site to what the site can use, and link the pages to the cut."""
    files = _files(site)
    words = shipped_words(files)
    sheets = sorted(site.glob(f"**/{THEME_STYLESHEETS}"))  # each tree's own copy
    themes = {path: path.read_text(encoding="utf-8") for path in sheets}
    used = [used_rules(css, words) for css in themes.values()]  # a copy per tree: cut once (cached)
    ours = [path.read_text(encoding="utf-8") for path in files.get(".css", []) if path not in themes]
    # a property named in a script (the CSS Zensical's search dialog carries into its shadow root, a
    # setProperty) counts as referred to, as does one a stylesheet's var() reads
    referred = frozenset({word.lstrip("-") for word in words} | {name for css in [*used, *ours] for name in VARIABLE_USE.findall(css)})
    renamed: dict[str, str] = {}
    for path, whole in themes.items():
        trimmed = cut(whole, words, referred)
        target = path.with_name(_cut_name(path, trimmed))
        target.write_text(trimmed, encoding="utf-8")
        if renamed.setdefault(path.name, target.name) != target.name:
            raise ValueError(f"{path}: cut differently from the other tree's {path.name}")
        path.unlink()
        path.with_name(path.name + ".map").unlink(missing_ok=True)  # the theme's source map no longer matches
    _relink(files.get(".html", []), renamed)


def _relink(pages: list[Path], renamed: dict[str, str]) -> None:
    links = {f'/{old}"'.encode(): f'/{new}"'.encode() for old, new in renamed.items()}
    for page in pages:
        html = page.read_bytes()
        moved = html
        for old, new in links.items():
            moved = moved.replace(old, new)
        if moved != html:
            page.write_bytes(moved)
