"""The changelog (data/changes.json) as an Atom feed, for people who want to be told."""

from __future__ import annotations

import re

from scraper.site import templating


def atom_feed(history: dict, page_url: str = "./", locale: str = templating.DEFAULT_LOCALE) -> str:
    """The changelog as Atom.  Dates come from the entries, so the same history gives the same bytes.
    ``page_url``: the changes page, absolute when the site's URL is known."""
    entries = [entry | {"anchor": entry_anchor(entry)} for entry in history["entries"]]
    return templating.include("feed.xml.j2", locale).render(feed={"entries": entries, "page": page_url})


def entry_anchor(entry: dict) -> str:
    """The id MkDocs' toc gives the entry's heading ('2026-03-09 · version f88f5cc')."""
    return re.sub(r"[^\w\- ]", "", f"{entry['date']} version {entry['version']}".lower()).strip().replace(" ", "-")
