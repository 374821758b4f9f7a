"""Same input, same bytes: data, generated pages and the built site."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import DATA
from sitebuild import build_site, load_json

from scraper.site.builder import source_date_epoch


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(built_site, tmp_path):
    """The run's shared build (nothing writes into it) against a second one, both trees."""
    second = build_site(DATA, tmp_path / "two")
    assert tree(built_site.parent / "docs") == tree(tmp_path / "two" / "docs")
    assert tree(built_site) == tree(second)
    assert (second / "sitemap.xml.gz").is_file() and (second / "zh" / "sitemap.xml.gz").is_file()


def test_source_date_epoch_comes_from_the_data():
    data = load_json(DATA)
    assert source_date_epoch(data) == 1768520184  # 2026-01-15T23:36:24 UTC, the snapshot's own date
    data["source"] = {"en": {**data["source"]["en"], "retrieved_at": "Mon, 09 Mar 2026 10:00:00 GMT"}}
    assert source_date_epoch(data) == 1773050400
