from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "seeds" / "000_ec91a20ff880a23c.txt"
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
    from scraper.parse import read_source

    return read_source(str(SEED), SEED.read_bytes())


@pytest.fixture(scope="session")
def seed_catalog(seed_copies):
    from scraper.merge import merge

    return merge(seed_copies)
