"""Checks that stop a scrape from losing codes silently, shared by ``scrape`` and ``rebuild``.

A parse can fail quietly in ways no single copy shows: the merge keeps whatever either
copy lists, so a broken English copy would be papered over by the zh-CN one, and new data
with far fewer codes would simply replace the old.  Each check here refuses such a result
with one line that names the source and the numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

from scraper.catalog import store
from scraper.catalog.model import ParsedCopy, ScrapeError

PRIMARY_LOCALE = "en"
# More than this share of the last data's codes, rejection messages or filter failures gone
# from one copy is refused unless the caller allows removal (upstream removes a code or two).
MAX_DROP = 0.10
# A copy that lacks more than this share of the codes another copy lists is broken, not
# behind: the real zh-CN copy has lagged the English one by one code at most.
MAX_MISSING_FROM_OTHER_COPY = 0.5


def refuse_incomplete_copies(copies: list[ParsedCopy]) -> None:
    """The copies to merge: the English one among them, and none missing most of another's codes."""
    if copies and not any(copy.locale == PRIMARY_LOCALE for copy in copies):
        first = copies[0]
        raise ScrapeError(
            f"{first.source.origin}: the {first.locale} copy alone; the English copy is the primary one, give it too"
        )
    for copy in copies:
        for other in copies:
            if other is not copy:
                _refuse_lacking_most(copy, other)


def _refuse_lacking_most(copy: ParsedCopy, other: ParsedCopy) -> None:
    listed = {entry.code for entry in copy.codes}
    expected = {entry.code for entry in other.codes}
    missing = expected - listed
    if len(missing) > len(expected) * MAX_MISSING_FROM_OTHER_COPY:
        raise ScrapeError(
            f"{copy.source.origin}: the {copy.locale} copy has {len(listed)} codes and lacks {len(missing)} of the "
            f"{len(expected)} that the {other.locale} copy ({other.source.origin}) has: a broken page or parse"
        )


def refuse_drop(old: dict, copies: list[ParsedCopy], allow_removal: bool) -> None:
    """More than MAX_DROP of a copy's codes or rows gone since ``old`` (the data being replaced): refused.

    Each copy on its own: the merge keeps what one copy still lists, which would hide a
    drop in the other.
    """
    if allow_removal:
        return
    for copy in copies:
        for key, label, after in (
            ("codes", "codes", len(copy.codes)),
            ("engine_messages", "rejection messages", len(copy.engine_messages)),
            ("filter_failures", "filter failures", len(copy.filter_failures)),
        ):
            before = sum(1 for item in old.get(key, []) if copy.locale in item["locales"])
            if before and after < before * (1 - MAX_DROP):
                raise ScrapeError(
                    f"{copy.source.origin}: {label} dropped from {before} to {after} (more than {MAX_DROP:.0%}); "
                    "if upstream really removed them, rerun with --allow-removal"
                )


def previous_data(path: Path) -> dict:
    """The data a write to ``path`` would replace, for :func:`refuse_drop`; {} when there is none.

    Only a regular file holding valid data counts: nothing is read from a pipe or a device
    (``-o /dev/stdout``), and a file that is not the data (a scratch file, another
    format) holds no codes to lose.
    """

    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        store.validate(data, str(path))
    except (UnicodeDecodeError, json.JSONDecodeError, ScrapeError):
        return {}
    return data
