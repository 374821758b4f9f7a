"""Check a built site: every internal link and anchor resolves to a file and an id."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html


@dataclass(frozen=True)
class BrokenLink:
    page: str
    href: str
    problem: str


def _target_file(site: Path, page: Path, path: str) -> Path | None:
    # MkDocs writes root-relative links in 404.html, which any URL may serve
    base = site if path.startswith("/") else page.parent
    candidate = (base / unquote(path.lstrip("/"))).resolve() if path else page
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() and site in candidate.parents else None


def html_tree(page: Path) -> lxml.html.HtmlElement:
    # lxml's own tree, not BeautifulSoup's: the site has hundreds of pages, each with the whole navigation
    return lxml.html.fromstring(page.read_bytes())


def _ids(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        tree = html_tree(page)
        cache[page] = set(tree.xpath("//@id")) | set(tree.xpath("//a/@name"))
    return cache[page]


def check_site(site: Path) -> list[BrokenLink]:
    """All broken internal links and anchors of the HTML pages under ``site``."""
    site = site.resolve()
    broken: list[BrokenLink] = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        for tag in html_tree(page).iter("a", "link", "script", "img"):
            href = tag.get("href") or tag.get("src")
            if not href or href.startswith(("mailto:", "javascript:", "data:")):
                continue
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # external
            target = _target_file(site, page, parts.path)
            relative = str(page.relative_to(site))
            if target is None:
                broken.append(BrokenLink(relative, href, "no such file"))
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids(target, ids):
                broken.append(BrokenLink(relative, href, f"no id {parts.fragment!r} in {target.relative_to(site)}"))
    return broken


def redirect_target(page: Path) -> str | None:
    """Where a mkdocs-redirects stub page sends the browser (its meta refresh), if it is one."""
    refresh = html_tree(page).xpath('//meta[@http-equiv="refresh"]/@content')
    if not refresh:
        return None
    _, _, url = refresh[0].partition("url=")
    return url or None


def resolve_redirect(site: Path, page: Path) -> Path | None:
    target = redirect_target(page)
    if target is None:
        return None
    resolved = posixpath.normpath(posixpath.join(str(page.parent.relative_to(site)), urlsplit(target).path))
    candidate = site / resolved
    return candidate / "index.html" if candidate.is_dir() else candidate
