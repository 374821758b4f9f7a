"""`python -m scraper scrape`: deterministic output, and bad input that loses nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HTML, ROOT, SEED


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper", *args], cwd=cwd, capture_output=True, text=True)


def test_default_scrape_is_deterministic_and_valid(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    result = run("scrape", "-o", str(first))
    assert result.returncode == 0, result.stderr
    assert "zh-CN: 105 codes, 105 identical, 0 translated, 0 missing" in result.stderr
    run("scrape", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert len(data["codes"]) == 105 and data["source"]["en"]["format"] == "text"


def test_committed_data_is_a_fresh_scrape_of_the_vendored_snapshot(tmp_path):
    out = tmp_path / "errors.json"
    assert run("scrape", "-o", str(out)).returncode == 0
    assert out.read_bytes() == (ROOT / "data" / "errors.json").read_bytes(), "run `make data`"


def test_html_copies_scrape_together(tmp_path):
    out = tmp_path / "errors.json"
    result = run("scrape", str(HTML / "testnet-errors.f88f5cc.en.html"), str(HTML / "testnet-errors.f88f5cc.zh-CN.html"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["codes"]) == 106
    assert {s["format"] for s in data["source"].values()} == {"html"}


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    html = (HTML / "testnet-errors.d6ab31a.en.html").read_text(encoding="utf-8")
    seed = SEED.read_text(encoding="utf-8")
    cases = {
        "redesigned page": ("<!doctype html><html><body><h1>Errors</h1><p>Moved.</p></body></html>", "no recognizable error-code headings"),
        "truncated html": (html[: len(html) // 2], "truncated HTML"),
        "empty file": ("", "empty input"),
        "non-numeric code": (seed.replace("### -1021 INVALID_TIMESTAMP", "### -10a1 INVALID_TIMESTAMP", 1), "non-numeric code"),
        "two names": (seed.replace("### -1022 INVALID_SIGNATURE", "### -1021 OTHER_NAME", 1), "has two names"),
        "binary": ("\x00\x01\x02 not a page", "binary data"),
    }
    files = {}
    for name, (text, expected) in cases.items():
        path = tmp / (name.replace(" ", "-") + ".in")
        path.write_text(text, encoding="utf-8")
        files[name] = (path, expected)
    files["missing file"] = (tmp / "does-not-exist.html", "no such file")
    return files


@pytest.mark.parametrize("case", ["redesigned page", "truncated html", "empty file", "non-numeric code", "two names", "binary", "missing file"])
def test_bad_input_fails_clearly_and_leaves_output_untouched(tmp_path, case):
    path, expected = _bad_inputs(tmp_path)[case]
    out = tmp_path / "errors.json"
    out.write_text('{"sentinel": true}\n', encoding="utf-8")
    before = out.read_bytes()
    result = run("scrape", str(path), "-o", str(out))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and expected in lines[0]
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".errors.json")) == []
