"""One inputs value, loaded once from a data folder: every stage sees the same data.

The bug this guards against: render read filters.json beside the data it rendered while
the search index read the repository's own copy, so during a rebuild a filter new
upstream got a page that the search box could not find.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from scraper.catalog import store
from scraper.catalog.inputs import Inputs
from scraper.catalog.model import ScrapeError
from scraper.search import resolve, search_index
from scraper.site.render import build_pages

NEW_FILTER = "MAX_NUM_WIDGETS"


@pytest.fixture(scope="module")
def folder_with_a_new_filter(tmp_path_factory):
    """A copy of data/ whose filters page defines one more filter than the repository's."""
    folder = tmp_path_factory.mktemp("inputs") / "data"
    shutil.copytree(ROOT / "data", folder)
    filters = json.loads((folder / "filters.json").read_text(encoding="utf-8"))
    added = copy.deepcopy(next(f for f in filters["filters"] if f["name"] == "MAX_ASSET"))
    added["name"] = NEW_FILTER
    added["anchor"] = added["anchor"].replace("#max_asset", "#max_num_widgets")
    added["summary"] = added["summary"].replace("MAX_ASSET", NEW_FILTER)
    added["description"] = added["description"].replace("MAX_ASSET", NEW_FILTER)
    filters["filters"].append(added)
    (folder / "filters.json").write_text(store.dumps(filters), encoding="utf-8")
    return folder


def test_render_and_search_index_see_the_same_new_filter(folder_with_a_new_filter):
    inputs = Inputs.load(folder_with_a_new_filter)
    assert NEW_FILTER in {f["name"] for f in inputs.filters["filters"]}
    pages = build_pages(inputs)
    assert "filters/max-num-widgets.md" in pages
    index = search_index.index_for(inputs)
    assert "filters/max-num-widgets/" in {page["path"] for page in index["pages"]}
    match = resolve.resolve(index, f"Filter failure: {NEW_FILTER}")
    assert match is not None and match.path == "filters/max-num-widgets/"
    # and the repository's own inputs know nothing of it: nothing was read from there
    assert "filters/max-num-widgets/" not in {p["path"] for p in search_index.index_for(Inputs.load(ROOT / "data"))["pages"]}


def test_lookup_reads_the_inputs_folder_it_is_given(folder_with_a_new_filter):
    command = [sys.executable, "-m", "scraper", "lookup", NEW_FILTER,
               "--inputs", str(folder_with_a_new_filter), "--data", str(folder_with_a_new_filter / "errors.json")]
    found = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["path"] == "filters/max-num-widgets/"
    default = subprocess.run(command[:5], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert default.returncode == 1 and default.stdout.startswith("not found")


def test_a_missing_input_is_named_in_one_line(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "guidance.yaml").unlink()
    with pytest.raises(ScrapeError, match=r"guidance\.yaml: no such file"):
        Inputs.load(tmp_path / "data")


@pytest.mark.parametrize(
    "content, problem",
    [
        ('{"schema_version": 1, "entries": []}', "'seen' is a required property"),
        ('{"schema_version": 1, "entries": [], "seen": {"code:-1": {"first_seen": "yesterday"}}, "removed_codes": []}', "seen/code:-1"),
        ("{", "not valid JSON"),
    ],
)
def test_a_damaged_changelog_is_named_in_one_line(tmp_path, content, problem):
    """Read by render, lookup and rebuild alike: validated on load, never a KeyError later."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "changes.json").write_text(content, encoding="utf-8")
    with pytest.raises(ScrapeError, match=r"changes\.json: .*" + re.escape(problem)):
        Inputs.load(tmp_path / "data")
    command = [sys.executable, "-m", "scraper", "render", "--inputs", str(tmp_path / "data"),
               "--data", str(tmp_path / "data" / "errors.json"), "--out", str(tmp_path / "docs")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1 and "changes.json" in result.stderr
    assert not (tmp_path / "docs").exists()
