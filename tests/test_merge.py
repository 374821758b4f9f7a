"""The zh-CN copy: agreement gives one record, a difference is kept, nothing is dropped."""

from __future__ import annotations

from conftest import HISTORY

from scraper.ingest.merge import merge
from scraper.ingest.parse import read_source


def parse(path):
    return read_source(str(path), path.read_bytes())


def test_translated_copy_keeps_english_primary_and_chinese_translation():
    en = parse(HISTORY / "errors" / "2025-12-02_40b425f.md")
    zh = parse(HISTORY / "errors_CN" / "2025-12-02_40b425f.md")
    catalog = merge(zh + en)  # order of the sources does not matter
    assert catalog.primary_locale == "en"
    code = next(c for c in catalog.codes if c.code == -1000)
    assert code.name == "UNKNOWN"
    assert code.translations["zh-CN"]["name"] != "UNKNOWN"
    assert code.locales == ["en", "zh-CN"]
    summary = catalog.consistency["zh-CN"]
    assert summary.codes == len(zh[0].codes)
    assert summary.identical + summary.translated + summary.extra == summary.codes
    engine = {r.text: r for r in catalog.engine_messages}
    assert engine["Unknown order sent."].translations["zh-CN"]["description"] != engine["Unknown order sent."].description


def test_code_in_one_copy_only_is_kept_and_counted():
    en = parse(HISTORY / "testnet_errors" / "2026-03-09_f88f5cc.md")  # has -2043
    zh = parse(HISTORY / "testnet_errors" / "2025-12-15_d6ab31a.md")
    zh[0].locale = "zh-CN"  # the older version standing in for a lagging zh-CN copy
    catalog = merge(en + zh)
    assert catalog.consistency["zh-CN"].missing == 1
    assert next(c for c in catalog.codes if c.code == -2043).locales == ["en"]
    reverse = merge([parse(HISTORY / "testnet_errors" / "2025-12-15_d6ab31a.md")[0], _as_zh(en[0])])
    assert reverse.consistency["zh-CN"].extra == 1
    assert next(c for c in reverse.codes if c.code == -2043).locales == ["zh-CN"]


def _as_zh(copy):
    copy.locale = "zh-CN"
    return copy
