"""scraper.guards: the checks scrape and rebuild share, on real copies and the committed data."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DATA, HISTORY, HTML

from scraper.catalog.model import ScrapeError
from scraper.ingest import guards
from scraper.ingest.merge import merge
from scraper.ingest.parse import read_source


def parse(path: Path):
    return read_source(str(path), path.read_bytes())


def test_a_zh_cn_copy_alone_is_refused():
    [zh] = parse(HTML / "testnet-errors.f88f5cc.zh-CN.html")
    with pytest.raises(ScrapeError, match=r"testnet-errors\.f88f5cc\.zh-CN\.html: the zh-CN copy alone; the English copy is the primary one, give it too$"):
        merge([zh])


def test_a_copy_lacking_most_codes_is_refused_whichever_copy_it_is():
    [en] = parse(HTML / "testnet-errors.f88f5cc.en.html")
    [zh] = parse(HTML / "testnet-errors.f88f5cc.zh-CN.html")
    half = len(en.codes) // 2  # 53 of 106: more than half gone
    broken_en = replace(en, codes=en.codes[:half - 1])
    with pytest.raises(ScrapeError) as error:
        merge([zh, broken_en])
    assert str(error.value) == (
        f"{en.source.origin}: the en copy has 52 codes and lacks 54 of the 106 that the zh-CN copy "
        f"({zh.source.origin}) has: a broken page or parse"
    )
    broken_zh = replace(zh, codes=zh.codes[:half - 1])
    with pytest.raises(ScrapeError, match=r"the zh-CN copy has 52 codes and lacks 54 of the 106 that the en copy"):
        merge([en, broken_zh])


def test_a_copy_missing_half_of_the_codes_or_fewer_still_merges():
    """A lagging copy is kept and counted (test_merge.py); the line is at more than half."""
    [en] = parse(HTML / "testnet-errors.f88f5cc.en.html")
    [zh] = parse(HTML / "testnet-errors.f88f5cc.zh-CN.html")
    catalog = merge([en, replace(zh, codes=zh.codes[: len(zh.codes) // 2])])
    assert catalog.consistency["zh-CN"].missing == 53


def test_the_text_snapshots_two_copies_and_every_real_pair_pass(seed_copies):
    assert len(merge(seed_copies).codes) == 105
    en = parse(HISTORY / "errors" / "2025-04-01_46fa5e9.md")  # zh-CN lags one code here
    zh = parse(HISTORY / "errors_CN" / "2025-04-01_46fa5e9.md")
    assert merge(en + zh).consistency["zh-CN"].missing == 1


def _committed() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kept", [105, 95, 94, 0])
@pytest.mark.parametrize("allow_removal", [False, True])
def test_refuse_drop_allows_at_most_ten_percent_unless_told(seed_copies, kept, allow_removal):
    copies = [replace(seed_copies[0], codes=seed_copies[0].codes[:kept]), seed_copies[1]]
    try:
        guards.refuse_drop(_committed(), copies, allow_removal)
        refused = None
    except ScrapeError as error:
        refused = str(error)
    assert (refused is None) == (allow_removal or kept >= 95)
    if refused:
        assert f"codes dropped from 105 to {kept}" in refused and "--allow-removal" in refused


def test_refuse_drop_checks_each_copy_on_its_own(seed_copies):
    """The merge would keep zh-CN's codes; the English copy's drop is still refused."""
    en, zh = seed_copies
    with pytest.raises(ScrapeError, match=r"rejection messages dropped from 41 to 0"):
        guards.refuse_drop(_committed(), [replace(en, engine_messages=[]), zh], allow_removal=False)


def test_previous_data_is_only_valid_data_in_a_regular_file(tmp_path):
    assert guards.previous_data(DATA) == _committed()
    assert guards.previous_data(tmp_path / "missing.json") == {}
    scratch = tmp_path / "scratch.json"
    scratch.write_text('{"sentinel": true}\n', encoding="utf-8")
    assert guards.previous_data(scratch) == {}
    scratch.write_text("not json", encoding="utf-8")
    assert guards.previous_data(scratch) == {}
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert guards.previous_data(fifo) == {}  # never opened: reading it would block
