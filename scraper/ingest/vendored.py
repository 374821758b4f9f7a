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
