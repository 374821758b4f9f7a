"""A synthetic upstream page with 10x and 100x the codes, made from the real page's structure."""

from __future__ import annotations

import pytest
from conftest import HTML, exhaustive_only
from sitebuild import build_site
from support.synthetic import scaled_page

from scraper.catalog import store
from scraper.ingest import merge
from scraper.ingest.parse import read_source

REAL = (HTML / "testnet-errors.d6ab31a.en.html").read_text(encoding="utf-8")


# The largest pages take minutes: `make check` runs them, `make test` the 10x scrape.
LARGE = exhaustive_only


@pytest.mark.parametrize("factor", [10, pytest.param(100, marks=LARGE)])
def test_scaled_page_scrapes(factor):
    [copy] = read_source(f"synthetic-{factor}x", scaled_page(REAL, factor).encode("utf-8"))
    assert len(copy.codes) == 105 + 103 * (factor - 1)
    store.validate(store.catalog_to_dict(merge.merge([copy])), "synthetic")


@pytest.mark.parametrize("factor", [pytest.param(10, marks=LARGE), pytest.param(100, marks=LARGE)])
def test_scaled_page_builds(factor, tmp_path):
    data = store.catalog_to_dict(merge.merge(read_source(f"synthetic-{factor}x", scaled_page(REAL, factor).encode("utf-8"))))
    site = build_site(data, tmp_path)
    pages = [p for p in (site / "codes").iterdir() if p.name.startswith("-")]  # the rest are short links
    assert len(pages) == len(data["codes"])
    assert (site / "codes" / "-10000" / "index.html").is_file()
