"""The theme's stylesheets, cut to the rules the built site can use.

Material's and Zensical's main stylesheets style every feature the theme has (content tabs,
annotations, blog posts, versions, cookie consent, ...), and a first visit downloads the whole of
it before the first paint: on a slow phone most of that wait is stylesheet.  After the build, a
theme stylesheet keeps a selector only if every class, id and attribute it names at its top level
appears as a word in a page or a script the site ships: a page that uses a class says its name, and
so does a script that adds one.  A custom property stays if anything refers to it.  Names inside
``:not(...)``, ``:is(...)`` and the like are not required, so a selector is never dropped for them.

What is left is split in two (``scraper.site.cascade``): the rules a page's own HTML can match stay
in ``<head>``; those only scripts can make match move to the late stylesheet, which the pages link
after their content, before the theme's scripts.

Each cut file is named by its content's hash (a browser never mixes a cached old cut with new
pages) and every page's link is moved to it.  Our own stylesheets are not touched.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from tinycss2.ast import QualifiedRule

from scraper.catalog.model import ScrapeError
from scraper.site import cascade
from scraper.site.css_rules import parsed, required_names, rewritten, selector_list

# Where both themes put their own minified stylesheets (Material: assets/stylesheets/main.<hash>.min.css,
# Zensical: assets/stylesheets/modern/main.<hash>.min.css); the site's own sheets are not minified.
THEME_STYLESHEETS = "assets/stylesheets/**/*.min.css"
SHIPPED_TEXT = {".html", ".js"}
# The late stylesheet's placeholder, in each tree (templates/overrides/main.html links it)
LATE_STYLESHEET = Path("assets/stylesheets/late.css")
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
WORD_BYTES = re.compile(rb"[A-Za-z0-9_-]+")
VARIABLE_USE = re.compile(r"var\(\s*--([A-Za-z0-9_-]+)")


def _files(site: Path) -> dict[str, list[Path]]:
    """The site's files by suffix, in one walk (a site has thousands: each redirect is a page)."""
    found: dict[str, list[Path]] = {}
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            found.setdefault(path.suffix, []).append(path)
    return {suffix: sorted(paths) for suffix, paths in found.items()}


def shipped_words(files: dict[str, list[Path]], suffixes: Iterable[str] = SHIPPED_TEXT) -> frozenset[str]:
    """Every word of every page and script in ``files`` (a tree's, or both trees').  Read as bytes, and
    each distinct file once (the trees share their scripts): the words are ASCII, and a site is megabytes."""
    words: set[bytes] = set()
    read: set[bytes] = set()
    for suffix in suffixes:
        for path in files.get(suffix, []):
            content = path.read_bytes()
            if content not in read:
                read.add(content)
                words.update(WORD_BYTES.findall(content))
    return frozenset(word.decode("ascii") for word in words)


def _kept_selectors(rule: QualifiedRule, words: frozenset[str]) -> str | None:
    """The rule's selectors that name only words of the site; None when none does."""
    selectors = [s for s in selector_list(rule.prelude) if all(name in words for name in required_names(s))]
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


# Each tree carries its own copy of a theme stylesheet, and the first paint's cut uses fewer words than the
# whole cut: each depends only on the names the stylesheet holds, so a cut asked for again is not made again.
@functools.lru_cache(maxsize=8)
def _used_rules(css: str, words: frozenset[str]) -> str:
    def rewrite(rule: QualifiedRule) -> str | None:
        selectors = _kept_selectors(rule, words)
        return None if selectors is None else f"{selectors}{{{tinycss2.serialize(rule.content)}}}"

    return "".join(rewritten(parsed(css), rewrite))


@functools.lru_cache(maxsize=8)
def _without_unused_properties(css: str, referred: frozenset[str]) -> str:
    def rewrite(rule: QualifiedRule) -> str | None:
        body = _kept_declarations(rule, referred)
        return None if body is None else f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}"

    return "".join(rewritten(parsed(css), rewrite))


@functools.lru_cache(maxsize=8)
def _cut(css: str, words: frozenset[str], referred: frozenset[str]) -> str:
    def rewrite(rule: QualifiedRule) -> str | None:
        selectors = _kept_selectors(rule, words)
        body = None if selectors is None else _kept_declarations(rule, referred)
        return None if body is None else f"{selectors}{{{body}}}"

    return "".join(rewritten(parsed(css), rewrite))


@functools.lru_cache(maxsize=8)
def _selector_names(css: str) -> frozenset[str]:
    """Every name a selector of ``css`` may require."""
    names: set[str] = set()

    def collect(rule: QualifiedRule) -> None:
        for selector in selector_list(rule.prelude):
            names.update(required_names(selector))

    rewritten(parsed(css), collect)
    return frozenset(names)


@functools.lru_cache(maxsize=8)
def _declared_properties(css: str) -> frozenset[str]:
    """The names (without their dashes) of the custom properties ``css`` declares."""
    names: set[str] = set()

    def collect(rule: QualifiedRule) -> None:
        for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if declaration.type == "declaration" and declaration.name.startswith("--"):
                names.add(declaration.name[2:])

    rewritten(parsed(css), collect)
    return frozenset(names)


def _cut_name(path: Path, css: str) -> str:
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:8]
    suffix = ".min.css" if path.name.endswith(".min.css") else ".css"
    return path.name.removesuffix(suffix) + f".{digest}{suffix}"


@dataclass(frozen=True)
class BuiltTree:
    """What the cut reads of a built folder (a tree, or both): its pages' and scripts' words, and stylesheets."""

    pages: list[Path]
    page_words: frozenset[str]  # what a first paint can match
    words: frozenset[str]  # what a page or a script can name
    themes: dict[Path, str]  # each theme stylesheet, whole
    ours: list[str]  # our own stylesheets


def trim_theme_stylesheets(site: Path) -> None:
    """Cut each theme stylesheet of a built site to what the site can use, move what only scripts use
    to the late stylesheet, and link the pages to the results."""
    trim([read_tree(site)])


def read_tree(site: Path) -> BuiltTree:
    """Read a built folder for the cut (and parse its theme stylesheets, while another tree may still build)."""
    files = _files(site)
    page_words = shipped_words(files, [".html"])
    themes = {path: path.read_text(encoding="utf-8") for path in sorted(site.glob(f"**/{THEME_STYLESHEETS}"))}
    for css in themes.values():
        parsed(css)
    ours = [path.read_text(encoding="utf-8") for path in files.get(".css", []) if path not in themes]
    return BuiltTree(files.get(".html", []), page_words, page_words | shipped_words(files, [".js"]), themes, ours)


def trim(trees: list[BuiltTree]) -> None:
    """Cut the theme stylesheets of every tree, split them for the first paint, and link every page to them.

    The trees' words are pooled, so each tree's stylesheets come out the same: a Chinese tree's 404
    page links the site root's (its links are absolute, and without a site URL they name the root)."""
    words = frozenset().union(*(tree.words for tree in trees))
    page_words = frozenset().union(*(tree.page_words for tree in trees))
    used = [used_rules(css, words) for tree in trees for css in tree.themes.values()]  # each tree's copy: cut once (cached)
    # a property named in a script (the CSS Zensical's search dialog carries into its shadow root, a
    # setProperty) counts as referred to, as does one a stylesheet's var() reads
    own = [css for tree in trees for css in tree.ours]
    referred = frozenset({word.lstrip("-") for word in words} | {name for css in [*used, *own] for name in VARIABLE_USE.findall(css)})
    renamed: dict[str, str] = {}
    for tree in trees:
        trimmed = {path: cut(whole, words, referred) for path, whole in tree.themes.items()}
        for root in _trees(list(trimmed)):
            linked = _cascade(root, trimmed)
            late = cascade.late_rules([(css, path in trimmed) for path, css in linked], page_words)
            for path, css in linked:
                if path in trimmed:
                    _publish(path, used_rules(css, page_words), renamed)
                    path.with_name(path.name + ".map").unlink(missing_ok=True)  # the theme's source map no longer matches
            _publish(root / LATE_STYLESHEET, late, renamed)
    for tree in trees:
        _relink(tree.pages, renamed)


def _trees(sheets: list[Path]) -> list[Path]:
    """The trees the theme stylesheets are in: the folder holding their ``assets``."""
    return sorted({next(folder.parent for folder in path.parents if folder.name == "assets") for path in sheets})


def _cascade(tree: Path, trimmed: dict[Path, str]) -> list[tuple[Path, str]]:
    """The stylesheets a page of ``tree`` links in ``<head>``, in order, theme sheets as cut."""
    page = tree / "index.html"
    late = tree / LATE_STYLESHEET
    cut_sheets = {path.resolve(): path for path in trimmed}
    if not late.is_file():
        raise ScrapeError(f"{late}: missing; the pages must link it (templates/overrides/main.html)")
    html = page.read_text(encoding="utf-8")
    linked: list[tuple[Path, str]] = []
    for href in STYLESHEET_LINK.findall(html):
        found = (page.parent / href).resolve()
        if found == late.resolve():
            continue
        path = cut_sheets.get(found, found)
        linked.append((path, trimmed[path] if path in trimmed else path.read_text(encoding="utf-8")))
    if late.name not in html or not any(path in trimmed for path, _ in linked):
        raise ScrapeError(f"{page}: links no theme stylesheet or not the late one; its stylesheets cannot be split")
    return linked


def _publish(path: Path, css: str, renamed: dict[str, str]) -> None:
    """``css`` under a name that carries its hash, in place of ``path``."""
    target = path.with_name(_cut_name(path, css))
    target.write_text(css, encoding="utf-8")
    if renamed.setdefault(path.name, target.name) != target.name:
        raise ScrapeError(f"{path}: cut differently from the other tree's {path.name}")
    if target != path:
        path.unlink()


def _relink(pages: list[Path], renamed: dict[str, str]) -> None:
    links = {f'/{old}"'.encode(): f'/{new}"'.encode() for old, new in renamed.items()}
    for page in pages:
        html = page.read_bytes()
        moved = html
        for old, new in links.items():
            moved = moved.replace(old, new)
        if moved != html:
            page.write_bytes(moved)
