"""`python -m scraper scrape`: deterministic output, and bad input that loses nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HISTORY, HTML, LIVE_HTML, ROOT, SEED


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


def _after_first_list(html: str, stray: str) -> str:
    """The page with ``stray`` right after the first list of its article (-1000's message)."""
    at = html.index("</ul>", html.index('id="-1000-unknown"')) + len("</ul>")
    return html[:at] + stray + html[at:]


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    html = (HTML / "testnet-errors.d6ab31a.en.html").read_text(encoding="utf-8")
    seed = SEED.read_text(encoding="utf-8")
    cases = {
        "redesigned page": ("<!doctype html><html><body><h1>Errors</h1><p>Moved.</p></body></html>", "no recognizable error-code headings"),
        "truncated html": (html[: len(html) // 2], "truncated HTML"),
        "empty file": ("", "empty input"),
        "non-numeric code": (seed.replace("### -1021 INVALID_TIMESTAMP", "### -10a1 INVALID_TIMESTAMP", 1), "non-numeric code"),
        "six-digit code": (seed.replace("### -1021 INVALID_TIMESTAMP", "### -100000 INVALID_TIMESTAMP", 1), "starts with -100000, which is not an error code"),
        "two names": (seed.replace("### -1022 INVALID_SIGNATURE", "### -1021 OTHER_NAME", 1), "has two names"),
        "binary": ("\x00\x01\x02 not a page", "binary data"),
        "stray textarea": (_after_first_list(html, "<textarea>"), "103 code headings in the markup but 1 parsed"),
        "100 kB message": (
            html.replace('<li class="">Too many new orders.</li>', f'<li class="">{"A" * 100_000}</li>', 1),
            "code -1015's message is 100,000 characters (limit 4,096)",
        ),
        "zh-CN copy alone": (
            (HTML / "testnet-errors.d6ab31a.zh-CN.html").read_text(encoding="utf-8"),
            "the zh-CN copy alone; the English copy is the primary one",
        ),
    }
    files = {}
    for name, (text, expected) in cases.items():
        path = tmp / (name.replace(" ", "-") + ".in")
        path.write_text(text, encoding="utf-8")
        files[name] = (path, expected)
    files["missing file"] = (tmp / "does-not-exist.html", "no such file")
    return files


BAD_INPUTS = [
    "redesigned page", "truncated html", "empty file", "non-numeric code", "six-digit code", "two names", "binary",
    "stray textarea", "100 kB message", "zh-CN copy alone", "missing file",
]


@pytest.mark.parametrize("case", BAD_INPUTS)
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


def test_a_stray_div_after_the_first_list_scrapes_every_code(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(_after_first_list(LIVE_HTML.read_text(encoding="utf-8"), "<div>"), encoding="utf-8")
    out = tmp_path / "errors.json"
    result = run("scrape", str(page), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["codes"]) == 105


# --- two copies: neither may hide that the other lost most of its codes ---------------------


@pytest.mark.parametrize(
    "broken, whole, expected",
    [
        # an English copy with 40 codes beside the zh-CN copy's 105: not 65 "extra" codes
        (HISTORY / "errors" / "2020-11-30_e7d0cc7.md", HTML / "testnet-errors.d6ab31a.zh-CN.html", "the en copy has 40 codes and lacks 65 of the 105"),
        (HISTORY / "errors_CN" / "2020-11-30_e7d0cc7.md", HTML / "testnet-errors.f88f5cc.en.html", "the zh-CN copy has 40 codes and lacks 66 of the 106"),
    ],
    ids=["english-lacks-most", "zh-CN-lacks-most"],
)
def test_a_copy_lacking_most_of_the_other_copys_codes_is_refused(tmp_path, broken, whole, expected):
    out = tmp_path / "errors.json"
    result = run("scrape", str(broken), str(whole), "-o", str(out))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {broken}: {expected}") and str(whole) in line, line
    assert not out.exists()


# --- the drop guard over existing data (the same as rebuild's) ------------------------------


def _data_copy(tmp_path: Path) -> Path:
    out = tmp_path / "errors.json"
    shutil.copyfile(ROOT / "data" / "errors.json", out)
    return out


def test_scrape_over_existing_data_refuses_a_drop_of_codes(tmp_path):
    out = _data_copy(tmp_path)
    before = out.read_bytes()
    older = HISTORY / "testnet_errors" / "2024-09-19_7b47b08.md"  # 76 codes where the data has 105
    result = run("scrape", str(older), "-o", str(out))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line == f"error: {older}: codes dropped from 105 to 76 (more than 10%); if upstream really removed them, rerun with --allow-removal"
    assert out.read_bytes() == before


def test_allow_removal_writes_the_smaller_data(tmp_path):
    out = _data_copy(tmp_path)
    older = HISTORY / "testnet_errors" / "2024-09-19_7b47b08.md"
    result = run("scrape", str(older), "-o", str(out), "--allow-removal")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["codes"]) == 76


def test_a_removal_within_10_percent_passes_the_guard(tmp_path):
    out = _data_copy(tmp_path)
    older = HISTORY / "testnet_errors" / "2025-10-28_662fbd7.md"  # 100 codes where the data has 105
    result = run("scrape", str(older), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["codes"]) == 100
