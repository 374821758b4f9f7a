"""A small upstream cut from the real fixtures, for the tests that run many whole rebuilds.

The kill -9 matrix proves what the transaction does at each step, and that does not depend
on how many pages the site has; a whole upstream only makes each MkDocs build slower.  The
cut keeps the real markup: every section heading, a few codes in each section, the first
rows of each table, and a few filters, so the same parser, guards and templates run.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scraper.catalog import changes, filterdefs, guidance, store
from scraper.ingest import merge
from scraper.ingest.parse import read_source
from scraper.ingest.parse.filters import read_filters_source

KEPT_CODES = ("-1000", "-1003", "-1006", "-1013", "-1021", "-1100", "-1121", "-2010", "-2011", "-2015", "-2021", "-2043")
KEPT_FILTERS = ("PRICE_FILTER", "LOT_SIZE", "NOTIONAL", "EXCHANGE_MAX_NUM_ORDERS", "MAX_ASSET")
KEPT_ROWS = 4

_HEADING = re.compile(r'<h([23]) class="anchor[^"]*" id="([^"]*)"')
_CODE_ID = re.compile(r"(-\d+)-")
_TABLE_BODY = re.compile(r"(<tbody>)(.*?)(</tbody>)", re.S)
_ROW = re.compile(r"<tr>.*?</tr>", re.S)


def cut_error_page(html: str, codes: tuple[str, ...] = KEPT_CODES, rows: int = KEPT_ROWS) -> str:
    """The error page with only ``codes`` under their section headings, and each table's first ``rows``."""
    headings = list(_HEADING.finditer(html))
    if not headings:
        raise ValueError("no section or code headings: not an error page build")
    pieces, start = [], 0
    for heading, following in zip(headings, [*headings[1:], None]):
        code = _CODE_ID.match(heading.group(2))
        if heading.group(1) == "3" and code and code.group(1) not in codes:
            if following is None:
                raise ValueError(f"{heading.group(2)} is the last heading: nothing marks where it ends")
            pieces.append(html[start:heading.start()])
            start = following.start()
    pieces.append(html[start:])
    return _TABLE_BODY.sub(lambda body: body[1] + "".join(_ROW.findall(body[2])[:rows]) + body[3], "".join(pieces))


def cut_filters_page(markdown: str, filters: tuple[str, ...] = KEPT_FILTERS) -> str:
    """The filters page with only the ``### NAME`` sections in ``filters``; every other heading stays."""
    kept, keeping = [], True
    for line in markdown.splitlines(keepends=True):
        if line.startswith("### "):
            keeping = line[4:].strip() in filters
        elif line.startswith(("# ", "## ")):
            keeping = True
        if keeping:
            kept.append(line)
    return "".join(kept)


def cut_guidance(text: str, data: dict, filters: dict) -> str:
    """The guidance with only the keys the cut data has (the build refuses guidance for unknown keys)."""
    curated = guidance.parse(text, "guidance.yaml")
    known = guidance.data_keys(data, filters)
    for section, keys in known.items():
        curated[section] = {key: value for key, value in (curated.get(section) or {}).items() if key in keys}
    return yaml.safe_dump(curated, sort_keys=False, allow_unicode=True, width=1000)


def write_small_data(data_dir: Path, pages: dict[str, tuple[str, bytes]], filters_page: tuple[str, bytes]) -> None:
    """data/ as a first scrape of the cut pages leaves it: errors, filters, the guidance they
    allow, and no history yet.  ``pages`` maps a locale to (origin, HTML)."""
    copies = [copy for origin, body in pages.values() for copy in read_source(origin, body)]
    data = store.catalog_to_dict(merge.merge(copies))
    origin, body = filters_page
    filters = filterdefs.page_to_dict(read_filters_source(origin, body, None))
    store.write_atomic(data_dir / "errors.json", store.dumps(data))
    store.write_atomic(data_dir / "filters.json", store.dumps(filters))
    store.write_atomic(data_dir / "changes.json", store.dumps(changes.empty_history()))
    for name in ("guidance.yaml", "guidance.zh-CN.yaml"):  # the translation keeps the English keys
        if not (data_dir / name).exists():  # a workspace without the Chinese tree
            continue
        text = (data_dir / name).read_text(encoding="utf-8")
        store.write_atomic(data_dir / name, cut_guidance(text, data, filters))
