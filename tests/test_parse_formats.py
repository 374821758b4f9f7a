"""Every input form parses, and the forms of one upstream version agree."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import pytest
from conftest import HTML, LIVE_HTML, SEED, history_index

from scraper.catalog.model import ScrapeError
from scraper.ingest.parse import blocks as blocks_module
from scraper.ingest.parse import detect_format, read_source
from scraper.ingest.parse.blocks import MAX_NAME_CHARS, MAX_TEXT_CHARS, Table
from scraper.ingest.parse.markdown import tokenize


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
        (LIVE_HTML, "en", 103),
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
    [live] = parse(LIVE_HTML)
    [built] = parse(HTML / "testnet-errors.d6ab31a.en.html")
    assert [c.code for c in live.codes] == [c.code for c in built.codes]
    assert [c.anchor for c in live.codes] == [c.anchor for c in built.codes]


@pytest.mark.parametrize(
    "path, expected",
    [(SEED, "text"), (LIVE_HTML, "html")]
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


# --- nothing is lost silently: stray markup, code-like headings, absurd sizes ------------

LIVE = LIVE_HTML
STRAY_TAGS = ["<div>", "</div>", "<table>", "<p>", "</article>", "<textarea>", "<!--", "<select>", "<h1>x</h1>", "<pre>"]


def _stray_positions(page: str) -> dict[str, int]:
    """Where a stray tag goes, found in the real page: after the article's first list, inside
    the first code heading's text, in the first table cell, and before the article starts."""
    article = page.index("<article")
    first_heading = page.index('id="-1000-unknown">', article) + len('id="-1000-unknown">')
    return {
        "after the first list": page.index("</ul>", first_heading) + len("</ul>"),
        "inside a heading": first_heading,
        "in a table cell": page.index("<td>", article) + len("<td>"),
        "before the article": article,
    }


def _codes_or_error(origin: str, page: str) -> list[int] | str:
    try:
        [copy] = read_source(origin, page.encode("utf-8"))
    except ScrapeError as error:
        return str(error)
    return [c.code for c in copy.codes]


@pytest.mark.parametrize("where", ["after the first list", "inside a heading", "in a table cell", "before the article"])
def test_a_stray_tag_loses_no_code_silently(where):
    """Whatever one stray tag does to the tree, the result is every code or a one-line error."""
    page = LIVE.read_text(encoding="utf-8")
    every_code = [c.code for c in parse(LIVE)[0].codes]
    at = _stray_positions(page)[where]
    for stray in STRAY_TAGS:
        result = _codes_or_error("stray.html", page[:at] + stray + page[at:])
        if isinstance(result, str):
            assert result.startswith("stray.html: ") and "\n" not in result, (stray, result)
        else:
            assert result == every_code, stray


def test_a_stray_div_after_the_first_list_is_read_as_a_browser_reads_it():
    page = LIVE.read_text(encoding="utf-8")
    at = _stray_positions(page)["after the first list"]
    [copy] = read_source("stray.html", (page[:at] + "<div>" + page[at:]).encode("utf-8"))
    assert len(copy.codes) == 105
    assert copy.codes[1].messages == parse(LIVE)[0].codes[1].messages


@pytest.mark.parametrize("stray", ["<textarea>", "<!--", "<select>"])
def test_markup_that_swallows_the_page_is_refused_with_the_counts(stray):
    page = LIVE.read_text(encoding="utf-8")
    at = _stray_positions(page)["after the first list"]
    with pytest.raises(ScrapeError) as error:
        read_source("stray.html", (page[:at] + stray + page[at:]).encode("utf-8"))
    assert str(error.value).startswith("stray.html: 103 code headings in the markup but 1 parsed"), error.value


def test_a_stray_tag_that_pushes_the_text_out_of_a_heading_is_refused():
    """'<h3 id="-1000-unknown"><h1>x</h1>-1000 UNKNOWN': the heading's id still counts it."""
    page = LIVE.read_text(encoding="utf-8")
    at = _stray_positions(page)["inside a heading"]
    with pytest.raises(ScrapeError, match=r"^stray\.html: 103 code headings in the markup but 102 parsed"):
        read_source("stray.html", (page[:at] + "<h1>x</h1>" + page[at:]).encode("utf-8"))


def test_an_unclosed_code_fence_in_markdown_is_refused_with_the_counts():
    path = HTML.parent / "upstream-history" / "testnet_errors" / "2026-03-09_f88f5cc.md"
    text = path.read_text(encoding="utf-8")
    first_list_end = text.index("\n\n", text.index("\n* ", text.index("### -1000")))
    broken = text[:first_list_end] + "\n\n```\n" + text[first_list_end:]
    with pytest.raises(ScrapeError, match=r"^fence\.md: 104 code headings in the Markdown source but \d+ parsed \(an unclosed code fence"):
        read_source("fence.md", broken.encode("utf-8"))


# (fixture, the heading as the form writes it, how to write another heading in its place)
CODE_HEADING_IN = {
    "html": (HTML / "testnet-errors.d6ab31a.en.html", ">-1021 INVALID_TIMESTAMP<", ">{} INVALID_TIMESTAMP<"),
    "text": (SEED, "### -1021 INVALID_TIMESTAMP", "### {} INVALID_TIMESTAMP"),
    "markdown": (HTML.parent / "upstream-history" / "testnet_errors" / "2026-03-09_f88f5cc.md", "### -1021 INVALID_TIMESTAMP", "### {} INVALID_TIMESTAMP"),
}


@pytest.mark.parametrize("form", sorted(CODE_HEADING_IN))
@pytest.mark.parametrize("number", ["-100000", "0", "1021", "-0", "-01021", "\u22121021"])
def test_a_heading_that_looks_like_a_code_but_is_none_is_refused_by_name(form, number):
    path, heading, replacement = CODE_HEADING_IN[form]
    text = path.read_text(encoding="utf-8")
    assert heading in text
    with pytest.raises(ScrapeError) as error:
        read_source("page", text.replace(heading, replacement.format(number), 1).encode("utf-8"))
    message = str(error.value)
    assert message.startswith(f"page: heading '{number} INVALID_TIMESTAMP' starts with {number}, which is not an error code")
    assert "\n" not in message


def test_a_code_heading_without_a_name_is_refused():
    path, heading, _ = CODE_HEADING_IN["markdown"]
    text = path.read_text(encoding="utf-8").replace(heading, "### -1021", 1)
    with pytest.raises(ScrapeError, match=r"^page: code heading '-1021' has no name$"):
        read_source("page", text.encode("utf-8"))


def _with_message(text: str) -> bytes:
    """The real Markdown page with -1015's message replaced."""
    path = HTML.parent / "upstream-history" / "testnet_errors" / "2026-03-09_f88f5cc.md"
    page = path.read_text(encoding="utf-8")
    old = "* Too many new orders."
    assert old in page
    return page.replace(old, f"* {text}", 1).encode("utf-8")


def test_a_message_of_the_largest_allowed_size_is_kept():
    [copy] = read_source("page", _with_message("A" * MAX_TEXT_CHARS))
    assert next(c for c in copy.codes if c.code == -1015).messages[0] == "A" * MAX_TEXT_CHARS


def test_a_100_kB_message_is_refused_by_name():
    with pytest.raises(ScrapeError, match=r"^page: code -1015's message is 100,000 characters \(limit 4,096\)"):
        read_source("page", _with_message("A" * 100_000))


def test_a_long_code_name_is_refused_by_name():
    path, heading, _ = CODE_HEADING_IN["markdown"]
    text = path.read_text(encoding="utf-8").replace(heading, "### -1021 " + "N" * (MAX_NAME_CHARS + 1), 1)
    with pytest.raises(ScrapeError, match=r"^page: code -1021's name is 257 characters \(limit 256\)"):
        read_source("page", text.encode("utf-8"))


def test_a_copy_with_more_text_than_a_page_holds_is_refused(monkeypatch):
    """The real page under a limit lowered below its 17 kB of text: the total is checked, by name."""
    monkeypatch.setattr(blocks_module, "MAX_COPY_TEXT_CHARS", 10_000)
    with pytest.raises(ScrapeError, match=r"^page: the en copy holds 1\d,\d{3} characters of text \(limit 10,000\)"):
        read_source("page", _with_message("Too many new orders."))


def test_the_limits_leave_wide_margins_over_every_real_version():
    longest = {"text": 0, "name": 0}
    for row in history_index():
        [copy] = parse(Path(row["file"]))
        texts = [m for c in copy.codes for m in c.messages] + [t for r in copy.engine_messages + copy.filter_failures for t in (r.text, r.description)]
        longest["text"] = max(longest["text"], *map(len, texts))
        longest["name"] = max(longest["name"], *(len(c.name) for c in copy.codes))
    assert longest == {"text": 365, "name": 46}
    assert MAX_TEXT_CHARS >= 10 * longest["text"] and MAX_NAME_CHARS >= 5 * longest["name"]
