"""The vendored snapshot: upstream's copies under upstream/, and the manifest that names them.

A plain ``scrape`` reads it, and ``rebuild`` reads and replaces it; both take it from here.
"""

from __future__ import annotations

import json
from pathlib import Path

from scraper.catalog.model import ScrapeError
from scraper.ingest import fetch

MANIFEST = Path("upstream") / "manifest.json"


def load_manifest(root: Path) -> dict:
    path = root / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScrapeError(f"{path}: no such file (the vendored snapshot's manifest)") from None
    except json.JSONDecodeError as error:
        raise ScrapeError(f"{path}: not valid JSON ({error})") from None


def read_vendored(root: Path) -> list[fetch.Fetched]:
    """The vendored copies, each under the origin (URL or path) it was taken from."""
    fetched = []
    for copy in load_manifest(root)["copies"]:
        body = fetch.read_file(str(root / "upstream" / copy["file"])).body
        fetched.append(fetch.Fetched(origin=copy["origin"], body=body, retrieved_at=copy.get("retrieved_at")))
    return fetched


DOCS = Path("upstream") / "docs"
# The testnet filters page is vendored once, as the copy `make rebuild` refreshes.
DOCS_ELSEWHERE = {"testnet/filters.md": Path("upstream") / "testnet_filters.md"}


def docs_files(root: Path) -> dict[str, Path]:
    """Upstream's documentation files by their upstream path (testnet/rest-api.md), for guidance sources."""
    folder = root / DOCS
    files = {str(path.relative_to(folder)): path for path in sorted(folder.rglob("*.md")) if path.name != "README.md"}
    return files | {doc: root / path for doc, path in DOCS_ELSEWHERE.items()}
