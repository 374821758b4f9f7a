"""Property-based tests: mutated upstream pages give valid data or the scraper's own one-line error.

`make test` tries a bounded number of inputs; `make check` sets FUZZ_EXAMPLES much higher.
"""

from __future__ import annotations

import os
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper import merge, store
from scraper.model import ScrapeError
from scraper.parse import read_source

from conftest import HISTORY, HTML, SEED

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SECONDS_PER_INPUT = 20.0
FIXTURES = {
    "html": (HTML / "testnet-errors.d6ab31a.en.html").read_bytes(),
    "html-zh": (HTML / "testnet-errors.f88f5cc.zh-CN.html").read_bytes(),
    "text": SEED.read_bytes(),
    "markdown": (HISTORY / "testnet_errors" / "2026-03-09_f88f5cc.md").read_bytes(),
    "markdown-cn": (HISTORY / "errors_CN" / "2023-12-08_128b94b.md").read_bytes(),
}
TRIED = {"inputs": 0}


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


def check(origin: str, body: bytes) -> None:
    """The property: valid data, or ScrapeError naming the source in one line; within the time bound."""
    TRIED["inputs"] += 1
    started = time.monotonic()
    try:
        data = store.catalog_to_dict(merge.merge(read_source(origin, body)))
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
    for kind in kinds:
        body = mutate(body, kind, rng)
    check(f"fuzz-{fixture}-{'-'.join(kinds)}", body)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 40)
@given(st.binary(max_size=4096))
def test_random_bytes(body):
    check("fuzz-random", body)


@pytest.mark.parametrize("fixture", ["html", "text", "markdown"])
def test_huge_input_of_50_megabytes(fixture):
    """The page's body repeated to 50 MB: refused at once, by name and size."""
    data = FIXTURES[fixture]
    cut = data.find(b"<h2") if fixture == "html" else data.find(b"\n## ")
    end = data.rfind(b"</article>") if fixture == "html" else len(data)
    repeated = data[cut:end] * (50_000_000 // (end - cut) + 1)
    check(f"huge-{fixture}", data[:cut] + repeated + data[end:])


def test_deeply_nested_tags():
    html = b"<!doctype html><html><body><article><h1>x</h1>" + b"<div>" * 100_000 + b"<h3 id='a'>-1000 UNKNOWN</h3>" + b"</div>" * 100_000 + b"</article></body></html>"
    check("deep", html)


def test_report_inputs_tried():
    print(f"\nfuzz: {TRIED['inputs']} inputs tried (FUZZ_EXAMPLES={EXAMPLES})")
    assert TRIED["inputs"] > 0
