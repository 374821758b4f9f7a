"""Every input form parses, and the forms of one upstream version agree."""

from __future__ import annotations

import re
from dataclasses import asdict

import pytest

from scraper.parse import detect_format, read_source
from scraper.parse.markdown import tokenize
from scraper.parse.blocks import Table

from conftest import HTML, SEED, history_index


def parse(path):
    return read_source(str(path), path.read_bytes())


def content(copy):
    """What a copy says, without where it came from."""
    return (
        [(c.code, c.name, c.section, c.origin, c.messages, c.anchor) for c in copy.codes],
        [asdict(r) for r in copy.engine_messages],
        [asdict(r) for r in copy.filter_failures],
        # aliases differ by form: the text snapshot lost the raw <a id=…> anchors (tested below)
        [(s.title, s.anchor) for s in copy.sections],
    )


@pytest.mark.parametrize(
    "name, locale, headed",
    [
        ("testnet-errors.en.html", "en", 103),
        ("testnet-errors.d6ab31a.en.html", "en", 103),
        ("testnet-errors.d6ab31a.zh-CN.html", "zh-CN", 103),
        ("testnet-errors.f88f5cc.en.html", "en", 104),
        ("testnet-errors.f88f5cc.zh-CN.html", "zh-CN", 104),
    ],
)
def test_every_html_fixture_parses(name, locale, headed):
    [copy] = parse(HTML / name)
    assert copy.source.format == "html"
    assert copy.locale == locale
    assert sum(c.origin == "heading" for c in copy.codes) == headed
    assert {c.code for c in copy.codes if c.origin == "section-title"} == {-1010, -2038}
    assert len(copy.engine_messages) == 41 and len(copy.filter_failures) == 18
    # navigation, sidebar and table of contents never leak in as messages
    messages = [m for c in copy.codes for m in c.messages]
    assert not any("On this page" in m or "Direct link" in m or "\u200b" in m for m in messages)
    lot_size = next(r for r in copy.filter_failures if r.filter == "LOT_SIZE")
    assert lot_size.codes == [-1013]


def test_f88f5cc_adds_2043():
    [old] = parse(HTML / "testnet-errors.d6ab31a.en.html")
    [new] = parse(HTML / "testnet-errors.f88f5cc.en.html")
    assert {c.code for c in new.codes} - {c.code for c in old.codes} == {-2043}
    assert next(c for c in new.codes if c.code == -2043).name == "NO_REFERENCE_PRICE"


def test_text_snapshot_and_html_of_the_same_version_agree(seed_copies):
    en_text, zh_text = seed_copies
    [en_html] = parse(HTML / "testnet-errors.d6ab31a.en.html")
    [zh_html] = parse(HTML / "testnet-errors.d6ab31a.zh-CN.html")
    assert content(en_text) == content(en_html)
    assert content(zh_text) == content(zh_html)


def test_section_aliases_from_raw_anchors_and_from_links_that_name_a_table(seed_copies):
    [html] = parse(HTML / "testnet-errors.d6ab31a.en.html")
    aliases = {s.title: s.aliases for s in html.sections}
    assert aliases["Filter failures"] == ["filter_failures"]  # <a id="filter_failures"> before the heading
    assert "other-errors" in aliases[next(t for t in aliases if t.startswith("Messages for"))]
    # the text snapshot has no raw anchors, yet -1013's link to #other-errors still names the table
    text_aliases = {s.title: s.aliases for s in seed_copies[0].sections}
    assert text_aliases[next(t for t in text_aliases if t.startswith("Messages for"))] == ["other-errors"]


def test_markdown_source_of_the_same_version_agrees_with_html():
    [markdown] = parse(HTML.parent / "upstream-history" / "testnet_errors" / "2025-12-15_d6ab31a.md")
    [html] = parse(HTML / "testnet-errors.d6ab31a.en.html")
    assert markdown.source.format == "markdown"
    assert content(markdown) == content(html)


def test_live_docusaurus_34_page_parses_like_the_310_build():
    """Absolute-path hash-links and other class names (3.4) change nothing."""
    [live] = parse(HTML / "testnet-errors.en.html")
    [built] = parse(HTML / "testnet-errors.d6ab31a.en.html")
    assert [c.code for c in live.codes] == [c.code for c in built.codes]
    assert [c.anchor for c in live.codes] == [c.anchor for c in built.codes]


@pytest.mark.parametrize(
    "path, expected",
    [(SEED, "text"), (HTML / "testnet-errors.en.html", "html")]
    + [(row["file"], "markdown") for row in history_index()[::20]],
)
def test_format_is_detected_from_content(path, expected):
    from pathlib import Path

    assert detect_format(Path(path).read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("row", history_index(), ids=lambda r: f"{r['path']}@{r['date']}_{r['commit'][:7]}")
def test_every_upstream_markdown_version_parses(row):
    from pathlib import Path

    path = Path(row["file"])
    [copy] = parse(path)
    headed = [c for c in copy.codes if c.origin == "heading"]
    assert len(headed) == int(row["unique_codes"])
    tables = [b for b in tokenize(path.read_text(encoding="utf-8")) if isinstance(b, Table)]
    assert sum(len(t.rows) for t in tables) == int(row["table_rows"])
    assert copy.locale == ("zh-CN" if row["path"] == "errors_CN.md" else "en")
    assert all(c.messages for c in headed), [c.code for c in headed if not c.messages]
    assert copy.filter_failures and copy.engine_messages
    assert all(re.fullmatch(r"Filter failure: [A-Z_]+", r.text) for r in copy.filter_failures)
    assert all(-1010 in r.codes for r in copy.engine_messages)


def test_format_drift_cases():
    history = HTML.parent / "upstream-history"
    # prose paragraph instead of a bullet (2022-06..2025-04) still gives -2021 its message
    [old] = parse(history / "errors" / "2022-06-15_d5cee3d.md")
    assert next(c for c in old.codes if c.code == -2021).messages == [
        "This code is sent when either the cancellation of the order failed or the new order placement failed but not both."
    ]
    # headings repeated in two sections: one record, messages not doubled
    [dup] = parse(history / "testnet_errors" / "2025-01-15_021246e.md")
    assert next(c for c in dup.codes if c.code == -1188).messages == [
        "Incorrect NumInGroup count for repeating group '%s'."
    ]
    # Chinese copy: Chinese names, the indented heading, the '## -1010 …' section names a code
    [cn] = parse(history / "errors_CN" / "2023-12-08_128b94b.md")
    assert any(c.code == -1152 for c in cn.codes)
    assert next(c for c in cn.codes if c.code == -2026).name == "交易被归档"
    assert next(c for c in cn.codes if c.code == -1010).origin == "section-title"
    # a pipe-less line inside a table continues the row above (GFM), it is not lost
    [broken] = parse(history / "errors" / "2024-04-02_d6a0c2a.md")
    relationship = next(r for r in broken.engine_messages if r.text.startswith("The relationship"))
    assert "Last Traded Price > `stopPrice`" in relationship.description
    # one cell, two messages
    texts = [r.text for r in broken.engine_messages]
    assert "Rest API trading is not enabled." in texts and "WebSocket API trading is not enabled." in texts
