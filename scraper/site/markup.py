"""Upstream text into page source, escaped for the context it lands in.

Pages are Markdown that MkDocs turns into HTML, so upstream text passes two
interpreters.  Everything upstream wrote is data: ``md_text`` HTML-escapes it and
then hides every character Markdown would act on behind a numeric entity, so
``<script>``, ``[x](javascript:…)``, ``{{ 7*7 }}`` and ``{% raw %}`` show as
written.  ``md_inline`` does the same but keeps the three things upstream means as
markup: code spans, bold, and links to http(s) or to this site's own pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote

from markupsafe import Markup, escape

from scraper.catalog.model import ESCAPABLE, PLACEHOLDER_RE, UPSTREAM_SITE, protect_escapes
from scraper.site.templating import tags

# HTML's specials, then every character Python-Markdown, its extensions, Jinja or
# Material could read as syntax, each as an entity, in one pass.
_ENTITIES = (
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
    | {c: f"&#{ord(c)};" for c in "\\`*_[]{}()|~#!^:=$%+"}
    # a backslash-escaped character of the data, shown as itself
    | {protect_escapes("\\" + c): f"&#{ord(c)};" for c in ESCAPABLE}
)
_LINE_START_RE = re.compile(r"^(\s*)(-|\d+\.)", re.M)
_INLINE_RE = re.compile(
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|\[(?P<link_text>[^\]]*)\]\((?P<href>[^)\s]*(?:\([^)\s]*\))?[^)\s]*)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
)
SAFE_SCHEMES = ("https://", "http://")

PLACEHOLDER_HELP = {
    "%s": "filled in by the server: a value such as a number, a parameter name or a time unit",
    "%d": "filled in by the server: a whole number",
}


def placeholder_help(placeholder: str) -> str:
    return PLACEHOLDER_HELP.get(placeholder, "filled in by the server: the name of the parameter or tag")


def _entities(text: str) -> str:
    escaped = "".join(_ENTITIES.get(c, c) for c in text)
    # '-' or '1.' at a line start would open a list
    return _LINE_START_RE.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), escaped)


def placeholder_mark(token: str, titled: bool = True) -> Markup:
    """A placeholder of a message (%s, {symbol}) marked as one: the one spelling pages and messages share."""
    title = Markup(_entities(placeholder_help(token))) if titled else ""
    return tags().placeholder(Markup(_entities(token)), title)


def md_text(text: object, placeholders: bool = False) -> Markup:
    """Plain upstream text, shown literally in Markdown body, list or table context."""
    text = "" if text is None else str(text)
    lines = []
    for line in text.split("\n"):
        if placeholders:
            parts, last = [], 0
            for match in PLACEHOLDER_RE.finditer(line):
                parts.append(_entities(line[last : match.start()]))
                token = match.group()
                parts.append(placeholder_mark(token))
                last = match.end()
            parts.append(_entities(line[last:]))
            lines.append("".join(parts))
        else:
            lines.append(_entities(line))
    return Markup(str(tags().line_break()).join(lines))


def md_inline(
    text: str, resolve_link: Callable[[str], str | None] = lambda href: None, placeholders: bool = False
) -> Markup:
    """Upstream inline Markdown as safe HTML: code spans, bold and vetted links kept, the rest literal.

    ``resolve_link`` maps an upstream href to this site's page URL (relative) or
    returns None; then an upstream-site path becomes an absolute upstream URL, and any
    other scheme (``javascript:``, ``data:``) is not a link: its source shows as text.
    """
    text = protect_escapes(text)
    out: list[str] = []
    last = 0
    for match in _INLINE_RE.finditer(text):
        out.append(md_text(text[last : match.start()], placeholders))
        last = match.end()
        if match.group("code"):
            out.append(tags().code(Markup(_entities(match.group("code_text")))))
        elif match.group("bold") is not None:
            out.append(tags().strong(md_inline(match.group("bold"), resolve_link, placeholders)))
        else:
            href = match.group("href")
            target = resolve_link(href)
            if target is None and href.startswith("/") and not href.startswith("//"):
                target = str(safe_url(UPSTREAM_SITE + href))
            elif target is None and href.startswith(SAFE_SCHEMES):
                target = str(safe_url(href))
            if target is None:
                out.append(md_text(match.group(0), placeholders))
                continue
            inner = md_inline(match.group("link_text"), lambda _: None, placeholders)
            out.append(tags().link(Markup(_entities(target)), inner))
    out.append(md_text(text[last:], placeholders))
    return Markup("".join(out))


def safe_url(url: str) -> Markup:
    """An http(s) URL fit for a Markdown link or an HTML attribute; anything else is refused."""
    if not url.startswith(SAFE_SCHEMES):
        raise ValueError(f"not an http(s) URL: {url!r}")
    return Markup(quote(url, safe=":/?#&=%-._~+@!$,;"))


def front_matter_value(text: str) -> Markup:
    """A front-matter value, e.g. the page title.

    The theme prints these into <title>, the header and attributes without escaping,
    so the text is HTML-escaped here; as a JSON string it is a YAML scalar YAML never
    interprets.
    """
    return Markup(json.dumps(str(escape(text)), ensure_ascii=False))


def code_fence(content: str, language: str = "") -> Markup:
    """A fenced code block that upstream text cannot close early."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{language}\n{content}\n{fence}")
