"""The changelog, proven on upstream's real history."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import DATA, ROOT, history_index, inputs_with

from scraper.catalog import changes, store
from scraper.ingest import merge
from scraper.ingest.parse import read_source
from scraper.site.render import build_pages

TESTNET = [row for row in history_index() if row["path"] == "testnet/errors.md"]  # INDEX order is commit order


def as_data(path: str) -> dict:
    return store.catalog_to_dict(merge.merge(read_source(path, Path(path).read_bytes())))


def codes_in_file(path: str) -> set[int]:
    """Counted independently of the parser: heading lines and the table section's title."""
    text = Path(path).read_text(encoding="utf-8")
    headed = {int(m.group(1)) for m in re.finditer(r"(?m)^ {0,3}#{3,4} +(-\d{3,5})\s", text)}
    titled = {int(m.group(1)) for line in re.findall(r"(?m)^## .*", text) for m in re.finditer(r"(-\d{4}) [A-Z_]{3,}", line)}
    return headed | titled


@pytest.fixture(scope="module")
def replay():
    history, previous, diffs = changes.empty_history(), None, []
    for row in TESTNET:
        data = as_data(row["file"])
        diffs.append((row, changes.record(history, previous, data, version=row["commit"][:7], date=row["date"])))
        previous = data
    return history, diffs


def test_each_version_adds_and_removes_what_its_file_says(replay):
    history, diffs = replay
    previous: set[int] = set()
    for row, change in diffs:
        current = codes_in_file(row["file"])
        if previous:
            assert {c["code"] for c in change.added_codes} == current - previous, row["date"]
            assert {c["code"] for c in change.removed_codes} == previous - current, row["date"]
        previous = current


def test_known_facts_of_the_history(replay):
    history, diffs = replay
    by_version = {row["commit"][:7]: change for row, change in diffs}
    assert by_version["f88f5cc"].added_codes == [{"code": -2043, "name": "NO_REFERENCE_PRICE"}]
    assert [c["code"] for c in by_version["021246e"].removed_codes] == [-1167]
    assert [c["code"] for c in by_version["7b47b08"].added_codes] == [-1013]
    assert by_version["fc1adea"].is_empty()  # a typo fix in prose: no entry
    entry_versions = [e["version"] for e in history["entries"]]
    assert "fc1adea" not in entry_versions
    assert entry_versions[0] == "f88f5cc" and history["entries"][-1]["baseline"]
    assert history["seen"]["code:-2043"]["first_seen"] == "2026-03-09"
    assert history["seen"]["code:-1167"]["removed"] == "2025-01-15"
    removed = {c["code"]: c for c in history["removed_codes"]}
    assert removed[-1167]["messages"] == ["Both OCO orders cannot be contingent."]


def test_reworded_messages_are_paired_old_with_new():
    old = {"codes": [{"code": -1, "name": "X", "messages": [{"text": "Too much request weight used; please use the websocket for live updates."}]}], "engine_messages": [], "filter_failures": []}
    new = {"codes": [{"code": -1, "name": "X", "messages": [{"text": "Too much request weight used; please use WebSocket Streams for live updates."}]}], "engine_messages": [], "filter_failures": []}
    change = changes.diff(old, new)
    assert [(m.old, m.new) for m in change.reworded_messages] == [(old["codes"][0]["messages"][0]["text"], new["codes"][0]["messages"][0]["text"])]
    assert change.summary() == "1 message changed, 0 removed"


def test_committed_changelog_is_a_fresh_replay(tmp_path):
    files = [row["file"] for row in TESTNET if row["date"] <= "2025-12-15"]
    out = tmp_path / "changes.json"
    result = subprocess.run([sys.executable, "-m", "scraper", "history", *files, "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (ROOT / "data" / "changes.json").read_bytes()


def test_changes_page_and_feed(replay):
    history, _ = replay
    data = json.loads(DATA.read_text(encoding="utf-8"))
    pages = build_pages(inputs_with(data, history))
    page = pages["changes/index.md"]
    assert page.index("2026-03-09") < page.index("2025-12-15") < page.index("2024-03-12")  # newest first
    assert "(../codes/-1167.md)" in page  # removed codes keep a page
    assert "Removed upstream on 2025-01-15" in pages["codes/-1167.md"]
    assert "| Before | After |" in page  # reworded messages side by side
    feed = ElementTree.fromstring(pages["changes/feed.xml"].split("\n", 1)[1])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert len(titles) == len(history["entries"]) and titles[0].startswith("2026-03-09: +1 code (-2043 NO_REFERENCE_PRICE)")
    assert build_pages(inputs_with(data, history))["changes/feed.xml"] == pages["changes/feed.xml"]
