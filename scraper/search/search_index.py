"""The lookup index as a file: what the site ships next to ``resolver.js``, and what ``lookup`` reads.

Render calls :func:`write_index`; the index is a pure function of the inputs (the error
data, the filters page and the past wordings), written byte-for-byte the same for the
same inputs.
"""

from __future__ import annotations

import json
from pathlib import Path

from scraper.catalog import filterdefs, store
from scraper.catalog.inputs import Inputs
from scraper.catalog.model import CodeEntry, ParsedCopy, SourceInfo, TableRow
from scraper.ingest.parse import read_source  # Every code, message and table row upstream's errors.md, errors_CN.md and
from scraper.search import resolve

# testnet/errors.md have said since 2019 (data/past-wordings.json, an input): the old
# wordings users still paste.  Extracted from the history by `python -m scraper wordings
# DIR`; a test checks it equals a fresh extraction of tests/fixtures/upstream-history.
WORDINGS_ORIGIN = "past wordings"
# Where render writes the index, relative to the docs folder, and the script that reads it.
INDEX_PATH = "assets/search-index.json"
SCRIPT_PATH = "assets/javascripts/resolver.js"
SCRIPT_SOURCE = store.ROOT / "templates" / SCRIPT_PATH


def read_history(directory: Path) -> list[ParsedCopy]:
    """Every old copy of the page under ``directory`` (one folder per upstream file), oldest name first."""
    copies: list[ParsedCopy] = []
    for path in sorted(Path(directory).glob("*/*.md")):
        copies.extend(read_source(str(path.relative_to(directory)), path.read_bytes()))
    return copies


def extract_wordings(copies: list[ParsedCopy]) -> dict:
    """What the copies ever said, each distinct code and row once, in the order first seen."""
    codes: dict[tuple, None] = {}
    rows: dict[tuple, None] = {}
    for copy in copies:
        for entry in copy.codes:
            codes.setdefault((entry.code, entry.name, tuple(entry.messages)), None)
        for row in copy.engine_messages + copy.filter_failures:
            rows.setdefault((row.text, row.description, row.filter), None)
    return {
        "codes": [[code, name, list(messages)] for code, name, messages in codes],
        "rows": [list(row) for row in rows],
    }


def wordings_as_copy(wordings: dict) -> ParsedCopy:
    """The extracted wordings in the shape the index builder reads."""
    return ParsedCopy(
        locale="en",
        title="past wordings",
        page_url="",
        source=SourceInfo(origin=WORDINGS_ORIGIN, format="markdown", sha256=""),
        sections=[],
        codes=[CodeEntry(code=code, name=name, section="", anchor=None, messages=messages) for code, name, messages in wordings["codes"]],
        engine_messages=[TableRow(text=t, description=d, codes=[]) for t, d, f in wordings["rows"] if f is None],
        filter_failures=[TableRow(text=t, description=d, codes=[], filter=f) for t, d, f in wordings["rows"] if f is not None],
    )


def index_for(inputs: Inputs) -> dict:
    """The site's index: the error data, plus the past wordings (old messages, renamed
    filters) and the filters only the filters page defines, all from the same inputs."""
    site_data = filterdefs.with_defined_filters(inputs.errors, inputs.filters)
    return resolve.build_index(site_data, [wordings_as_copy(inputs.wordings)] if inputs.wordings else None)


def dumps_index(index: dict) -> str:
    """One spelling per index: sorted keys, no spaces (the browser downloads it)."""
    return json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_index(inputs: Inputs, path: Path) -> int:
    """Write the index to ``path`` (render: docs/assets/search-index.json); returns its size in bytes."""
    text = dumps_index(index_for(inputs))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    store.write_atomic(path, text)
    return len(text.encode("utf-8"))


def not_found_line(match: resolve.Match | None, text: str) -> str:
    """The one line ``lookup`` prints when there is no page."""
    if match is not None and match.kind == "not-found":
        return f"not found: code {match.code} is not in this reference (Binance Spot API, testnet)"
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"not found: no code, name or message of this reference in {shown!r}"
