from __future__ import annotations

import copy
import csv
import fcntl
import functools
import os
import shutil
from pathlib import Path

import pytest
from support.chromium import CHROMIUM, MISSING, chromium

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The vendored snapshot the project was specified from, and the live page as saved: upstream/ holds them.
SEED = ROOT / "upstream" / "testnet-errors.snapshot.txt"
LIVE_HTML = ROOT / "upstream" / "testnet-errors.en.html"
HTML = FIXTURES / "html"
HISTORY = FIXTURES / "upstream-history"


def history_index() -> list[dict[str, str]]:
    lines = [line for line in (HISTORY / "INDEX.tsv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    stems = {"errors.md": "errors", "errors_CN.md": "errors_CN", "testnet/errors.md": "testnet_errors"}
    for row in rows:
        row["file"] = str(HISTORY / stems[row["path"]] / f"{row['date']}_{row['commit'][:7]}.md")
    return rows


@pytest.fixture(scope="session")
def seed_copies():
    from scraper.ingest.parse import read_source

    return read_source(str(SEED), SEED.read_bytes())


@pytest.fixture(scope="session")
def seed_catalog(seed_copies):
    from scraper.ingest.merge import merge

    return merge(seed_copies)


DATA = ROOT / "data" / "errors.json"

# `make test` runs a representative part of the longest matrices; `make check` (EXHAUSTIVE=1) runs all of them.
EXHAUSTIVE = bool(os.environ.get("EXHAUSTIVE"))
exhaustive_only = pytest.mark.skipif(not EXHAUSTIVE, reason="`make check` runs the whole matrix")


@functools.cache
def _committed_inputs():
    from scraper.catalog.inputs import Inputs
    from scraper.ingest import vendored

    return Inputs.load(ROOT / "data", docs=vendored.docs_files(ROOT))


def committed_inputs():
    """The repository's own inputs (data/), loaded once per test session; each caller gets its own copy to change."""
    return copy.deepcopy(_committed_inputs())


def inputs_with(errors: dict, changes: dict | None = None):
    """The committed inputs around other error data (a poisoned, synthetic or edited copy)."""
    return committed_inputs().with_errors(errors, changes)
# Upstream text that must show literally and never run or be interpreted.
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% raw %}",
]
ARTIFACTS = ROOT / "tests" / "artifacts"


def built_once(tmp_path_factory, worker_id: str, name: str, build) -> Path:
    """What ``build(folder)`` returns (a built site), built once per test run.

    The workers of one run (pytest-xdist) share it: the first to take the lock builds it while
    the others wait, as a module's tests may be spread over the workers; tests copy it before
    changing anything in it."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent  # one per run, the same for all its workers
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / name / "built"
        if not done.exists():
            shutil.rmtree(shared / name, ignore_errors=True)  # a build a dead worker left half done
            site = build(shared / name)
            done.write_text(str(site), encoding="utf-8")
        return Path(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id):
    """The site of the committed data, built once per test run in a temporary folder."""
    from sitebuild import build_site

    return built_once(tmp_path_factory, worker_id, "site-build", lambda folder: build_site(DATA, folder))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    with chromium() as instance:
        yield instance
