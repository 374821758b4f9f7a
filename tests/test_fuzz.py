"""Property-based tests: mutated upstream pages give valid data or the scraper's own one-line error.

`make test` tries a bounded number of inputs; `make check` sets FUZZ_EXAMPLES much higher.
"""

from __future__ import annotations

import os
import random
import time

import pytest
from conftest import HISTORY, HTML, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.catalog import store
from scraper.catalog.model import ScrapeError
from scraper.ingest import merge, parse
from scraper.ingest.parse import html as html_parser
from scraper.ingest.parse import read_source
from scraper.ingest.parse.html import MAX_NESTING

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SECONDS_PER_INPUT = 20.0
FIXTURES = {
    "html": (HTML / "testnet-errors.d6ab31a.en.html").read_bytes(),
    "html-zh": (HTML / "testnet-errors.f88f5cc.zh-CN.html").read_bytes(),
    "text": SEED.read_bytes(),
    "markdown": (HISTORY / "testnet_errors" / "2026-03-09_f88f5cc.md").read_bytes(),
    "markdown-cn": (HISTORY / "errors_CN" / "2023-12-08_128b94b.md").read_bytes(),
}
# A zh-CN copy is never merged alone (scraper.guards): a mutated one is merged beside the
# unmutated English copy of the same version.
ENGLISH_BESIDE = {"html-zh": (HTML / "testnet-errors.f88f5cc.en.html").read_bytes()}
TRIED = {"inputs": 0, "fuzzed": 0}


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    n = len(data)
    a, b = sorted(rng.randrange(n + 1) for _ in range(2))
    if kind == "truncate":
        return data[:a]
    if kind == "delete":
        return data[:a] + data[b:]
    if kind == "duplicate":
        return data[:b] + data[a:b] + data[b:]
    if kind == "random-bytes":
        return data[:a] + rng.randbytes(rng.randrange(1, 64)) + data[a:]
    if kind == "invalid-utf8":
        return data[:a] + b"\xff\xfe\xc3" + data[a:]
    if kind == "delete-tag":
        starts = [i for i in range(n) if data[i : i + 1] == b"<"][:5000] or [0]
        start = rng.choice(starts)
        end = data.find(b">", start)
        return data[:start] + data[end + 1 :] if end > 0 else data
    if kind == "duplicate-tag":
        start = data.find(b"<li", a)
        end = data.find(b"</li>", start)
        return data[:end] + data[start:end] + data[end:] if 0 <= start < end else data
    if kind == "shuffle-sections":
        marker = b"<h2" if data.lstrip().startswith(b"<") else b"\n## "
        parts = data.split(marker)
        head, sections = parts[0], parts[1:]
        rng.shuffle(sections)
        return marker.join([head, *sections])
    if kind == "nest":
        depth = rng.choice([100, 1000, 50000])
        return data[:a] + b"<div>" * depth + data[a:b] + b"</div>" * depth + data[b:]
    raise AssertionError(kind)


KINDS = ["truncate", "delete", "duplicate", "random-bytes", "invalid-utf8", "delete-tag", "duplicate-tag", "shuffle-sections", "nest"]


def check(origin: str, body: bytes, english: bytes | None = None) -> None:
    """The property: valid data, or ScrapeError naming the source in one line; within the time bound."""
    TRIED["inputs"] += 1
    started = time.monotonic()
    try:
        copies = read_source(origin, body)
        if english is not None:
            copies += read_source(f"{origin}-en", english)
        data = store.catalog_to_dict(merge.merge(copies))
        store.validate(data, origin)
        assert data["codes"]
    except ScrapeError as error:
        message = str(error)
        assert message.startswith(origin) and "\n" not in message, message
    assert time.monotonic() - started < SECONDS_PER_INPUT


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=EXAMPLES <= 40)
@given(fixture=st.sampled_from(sorted(FIXTURES)), kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3), seed=st.integers(0, 2**32))
def test_mutated_fixtures(fixture, kinds, seed):
    rng = random.Random(seed)
    body = FIXTURES[fixture]
    TRIED["fuzzed"] += 1
    for kind in kinds:
        body = mutate(body, kind, rng)
    check(f"fuzz-{fixture}-{'-'.join(kinds)}", body, ENGLISH_BESIDE.get(fixture))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 40)
@given(st.binary(max_size=4096))
def test_random_bytes(body):
    TRIED["fuzzed"] += 1
    check("fuzz-random", body)


def _refuse(*args, **kwargs):
    raise AssertionError("the input reached a parser it must be refused before")


@pytest.fixture()
def no_html5lib(monkeypatch):
    monkeypatch.setattr(html_parser, "BeautifulSoup", _refuse)


@pytest.fixture()
def no_parsing(monkeypatch, no_html5lib):
    monkeypatch.setattr(parse, "detect_format", _refuse)


@pytest.mark.parametrize("fixture", ["html", "text", "markdown"])
def test_huge_input_of_50_megabytes(fixture, no_parsing):
    """The page's body repeated to 50 MB: refused by name and size, before any parsing."""
    data = FIXTURES[fixture]
    cut = data.find(b"<h2") if fixture == "html" else data.find(b"\n## ")
    end = data.rfind(b"</article>") if fixture == "html" else len(data)
    repeated = data[cut:end] * (50_000_000 // (end - cut) + 1)
    with pytest.raises(ScrapeError, match=rf"^huge-{fixture}: 5\d MB is too large for the error page \(limit 16 MiB\)$"):
        read_source(f"huge-{fixture}", data[:cut] + repeated + data[end:])


def test_deeply_nested_tags():
    html = b"<!doctype html><html><body><article><h1>x</h1>" + b"<div>" * 100_000 + b"<h3 id='a'>-1000 UNKNOWN</h3>" + b"</div>" * 100_000 + b"</article></body></html>"
    check("deep", html)


def test_nesting_past_the_limit_is_refused_before_html5lib_parses_it(no_html5lib):
    """html5lib spends time in proportion to the open elements on every tag: 50 000 nested
    <div>s took 8 minutes.  They are refused by a count of the tags, before html5lib sees them."""
    page = FIXTURES["html"]
    at = page.index(b"<h3")
    for depth in (MAX_NESTING + 1, 50_000):
        with pytest.raises(ScrapeError, match=rf"^deep: HTML nested more than {MAX_NESTING} levels deep"):
            read_source("deep", page[:at] + b"<div>" * depth + page[at:])


def test_nesting_deep_too_often_is_refused_before_html5lib_parses_it(no_html5lib):
    """A megabyte of <div>s nested 240 deep (each nest within the depth limit) took html5lib 7 seconds."""
    page = FIXTURES["html"]
    at = page.index(b"<h3")
    with pytest.raises(ScrapeError, match=r"^often: HTML nested deep too often .* pass 4,000,000\): not a documentation page$"):
        read_source("often", page[:at] + (b"<div>" * 240 + b"</div>" * 240) * 400 + page[at:])




def test_nesting_within_the_limit_parses():
    page = FIXTURES["html"]
    start, end = page.index(b"<h3"), page.index(b"</article>")
    [copy] = read_source("nested", page[:start] + b"<div>" * 200 + page[start:end] + b"</div>" * 200 + page[end:])
    assert len(copy.codes) == 105


def test_the_fuzzers_try_as_many_inputs_as_asked():
    """Hypothesis runs the whole budget (a filter or a health check could quietly cut it), and says how many."""
    if not TRIED["fuzzed"]:  # run alone (-k): fuzz here
        test_mutated_fixtures()
        test_random_bytes()
    print(f"\nfuzz: {TRIED['fuzzed']} inputs tried (FUZZ_EXAMPLES={EXAMPLES})")
    assert TRIED["fuzzed"] >= 2 * EXAMPLES
