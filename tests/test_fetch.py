"""`fetch_url` against a loopback upstream: every way a server can stretch a fetch ends in one line."""

from __future__ import annotations

import functools
import gzip
import json
import re
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from datetime import datetime, timezone

import pytest
from conftest import ROOT
from upstream_server import Route, UpstreamServer, closed_port_url

from scraper.catalog.model import ScrapeError
from scraper.ingest import deadline
from scraper.ingest.fetch import MARKDOWN_TYPES, PAGE_TYPES, HttpPolicy, fetch_url, redirect_refusal, retry_after_seconds
from scraper.ingest.parse import MAX_BYTES

ONCE = HttpPolicy(timeout=2.0, attempts=1, backoff=0.0)
PAGE = b"<!doctype html><html><body><h3 id='-1000'>-1000 UNKNOWN</h3><p>An unknown error occurred.</p></body></html>" * 20


@pytest.fixture()
def upstream():
    with UpstreamServer() as server:
        yield server


def serve(server: UpstreamServer, route: Route, path: str = "/page") -> str:
    server.routes[path] = route
    return server.url(path)


def failure(url: str, policy: HttpPolicy = ONCE, **kwargs) -> str:
    """The error a fetch fails with, checked to be one line that names the URL."""
    with pytest.raises(ScrapeError) as caught:
        fetch_url(url, policy, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{url}: "), message
    return message


@functools.cache
def gzip_of_zeros(mib: int) -> bytes:
    """A real single-member gzip of `mib` MiB of zeros (~1 kB per MiB), built in a blink.

    After a full flush the compressor has forgotten everything, so each further MiB of
    zeros compresses to the same bytes: compress one, repeat it, add the trailer.
    """
    zeros = bytes(2**20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * mib + deflate.flush() + struct.pack("<II", crc, (mib * 2**20) & 0xFFFFFFFF)


def test_gzip_of_zeros_is_what_it_says():
    assert gzip.decompress(gzip_of_zeros(3)) == bytes(3 * 2**20)


# --- the defaults and the plain fetch -------------------------------------------------------


def test_policy_defaults_bound_every_fetch():
    policy = HttpPolicy()
    assert (policy.timeout, policy.attempts, policy.backoff, policy.max_wait) == (20.0, 3, 1.0, 60.0)
    assert policy.max_bytes == MAX_BYTES == 16 * 2**20  # the parser's own limit: more would be thrown away
    assert HttpPolicy(0.5, 2, 0.01) == HttpPolicy(timeout=0.5, attempts=2, backoff=0.01)  # positional, as callers use it


def test_a_page_is_fetched_with_honest_headers(upstream):
    url = serve(upstream, Route(PAGE, headers={"Last-Modified": "Mon, 09 Mar 2026 10:00:00 GMT"}))
    fetched = fetch_url(url, ONCE)
    assert fetched.body == PAGE and fetched.origin == url and not fetched.not_modified
    assert fetched.retrieved_at == "Mon, 09 Mar 2026 10:00:00 GMT"
    assert set(fetched.validators) == {"etag", "last_modified"}
    sent = upstream.requests[0]["headers"]
    assert "binance-spot-errors-reference" in sent["User-Agent"]
    assert sent["Accept-Encoding"] == "gzip, deflate"
    assert sent["Accept"].startswith("text/html, application/xhtml+xml, ")  # HTML preferred while it is acceptable
    assert "If-None-Match" not in sent and "If-Modified-Since" not in sent


# --- time: one deadline for the whole response ----------------------------------------------


@pytest.mark.parametrize("drip", [0.1, 0.7], ids=["fast-drip", "slow-drip"])
def test_a_dripping_server_fails_at_the_deadline(upstream, drip):
    # Each byte comes well within any per-read timeout; only a deadline for the whole
    # response stops it.  At 0.7 s a byte, a check between chunks alone would notice only
    # at 1.4 s: failing near 1.0 s shows each read is given only the time left.
    url = serve(upstream, Route(b"x" * 40, drip=drip))
    started = time.monotonic()
    message = failure(url, HttpPolicy(timeout=1.0, attempts=1, backoff=0.0))
    elapsed = time.monotonic() - started
    assert message == f"{url}: timed out (no complete response within 1 s) (after 1 attempt)"
    assert 0.95 <= elapsed < 1.3, elapsed


def test_a_server_that_never_answers_times_out_on_every_attempt(upstream):
    url = serve(upstream, Route(PAGE, delay=1.0))
    message = failure(url, HttpPolicy(timeout=0.3, attempts=2, backoff=0.01))
    assert message.endswith("timed out (no complete response within 0.3 s) (after 2 attempts)")
    assert len(upstream.requests) == 2


# --- size: what is received and what decoding would produce --------------------------------


BOMB_PROBE = """
import json, resource, sys
from scraper.ingest import deadline, fetch
from scraper.catalog.model import ScrapeError
deadline.client(0.0, 1.0).close()  # httpx, httpcore and the CA bundle loaded before the baseline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    fetched = fetch.fetch_url(sys.argv[1], fetch.HttpPolicy(timeout=30.0, attempts=1))
    error = f"fetched {len(fetched.body)} bytes"
except ScrapeError as caught:
    error = str(caught)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"error": error, "extra_mb": (after - before) / 1024}))
"""


def test_a_gzip_bomb_is_refused_with_memory_bounded(upstream):
    bomb = gzip_of_zeros(1024)  # 1 GiB of zeros in about 1 MB
    assert len(bomb) < 2 * 2**20
    url = serve(upstream, Route(bomb, headers={"Content-Encoding": "gzip"}))
    probe = subprocess.run([sys.executable, "-c", BOMB_PROBE, url], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout)
    assert result["error"] == f"{url}: gzip body inflates past the 16 MiB limit; refused"
    assert result["extra_mb"] < 200, result  # inflated whole, it would be over 1000


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_an_inflating_body_stops_at_the_limit(upstream, coding):
    body = gzip_of_zeros(64) if coding == "gzip" else zlib.compress(bytes(64 * 2**20), 9)
    url = serve(upstream, Route(body, headers={"Content-Encoding": coding}))
    deadline.ssl_context()  # loaded once per process: not part of what a fetch holds
    tracemalloc.start()
    try:
        message = failure(url, HttpPolicy(timeout=5.0, attempts=1, max_bytes=2**20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == f"{url}: {coding} body inflates past the 1 MiB limit; refused"
    # one 64 kB chunk of this body inflates to 64 MiB: only inflating in bounded steps stays near the limit
    assert peak < 8 * 2**20, peak


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_a_body_over_the_limit_is_refused(upstream, declared):
    url = serve(upstream, Route(b"<p>" + b"x" * 5000, content_length=declared))
    message = failure(url, HttpPolicy(timeout=2.0, attempts=1, max_bytes=1000))
    if declared:  # refused before a byte of the body is read
        assert message == f"{url}: body larger than the 1000 bytes limit (Content-Length: 5003); refused"
    else:
        assert re.fullmatch(re.escape(url) + r": body larger than the 1000 bytes limit \(stopped receiving at \d+ bytes\); refused", message)


def test_a_body_at_the_limit_is_accepted(upstream):
    url = serve(upstream, Route(gzip.compress(b"y" * 1000), headers={"Content-Encoding": "gzip"}, content_type="text/plain"))
    assert fetch_url(url, HttpPolicy(timeout=2.0, attempts=1, max_bytes=1000)).body == b"y" * 1000


def _raw_deflate(data: bytes) -> bytes:
    squeeze = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return squeeze.compress(data) + squeeze.flush()


ENCODED = {
    "gzip": ("gzip", gzip.compress),
    "x-gzip": ("x-gzip", gzip.compress),
    "gzip in two members": ("gzip", lambda data: gzip.compress(data[:1000]) + gzip.compress(data[1000:])),
    "deflate": ("deflate", zlib.compress),
    "raw deflate": ("deflate", _raw_deflate),
    "identity": ("identity", lambda data: data),
}


@pytest.mark.parametrize("case", list(ENCODED))
def test_an_encoded_body_within_limits_decodes_to_the_same_bytes(upstream, case):
    coding, encode = ENCODED[case]
    url = serve(upstream, Route(encode(PAGE), headers={"Content-Encoding": coding}))
    assert fetch_url(url, ONCE).body == PAGE


@pytest.mark.parametrize("case", ["gzip in two members", "deflate", "raw deflate"])
def test_an_encoded_body_arriving_byte_by_byte_decodes(upstream, case):
    # a gzip member or a zlib header split across reads must not change what is decoded
    coding, encode = ENCODED[case]
    url = serve(upstream, Route(encode(PAGE), headers={"Content-Encoding": coding}, drip=0.002))
    assert fetch_url(url, ONCE).body == PAGE


@pytest.mark.parametrize("coding", ["br", "zstd", "gzip, br", "compress"])
def test_an_encoding_not_asked_for_is_refused(upstream, coding):
    url = serve(upstream, Route(gzip.compress(PAGE), headers={"Content-Encoding": coding}))
    message = failure(url)
    assert message == f"{url}: Content-Encoding {coding} was not asked for (the request accepts gzip, deflate)"


def test_a_corrupt_gzip_body_is_refused(upstream):
    url = serve(upstream, Route(b"\x1f\x8b\x08\x00" + b"not really gzip" * 10, headers={"Content-Encoding": "gzip"}))
    assert failure(url).startswith(f"{url}: gzip body is corrupt (")


def test_a_gzip_stream_cut_short_is_truncated(upstream):
    # Content-Length matches what is sent, so only the compressed stream shows the cut
    url = serve(upstream, Route(gzip.compress(PAGE)[:-20], headers={"Content-Encoding": "gzip"}))
    message = failure(url, HttpPolicy(timeout=2.0, attempts=2, backoff=0.01))
    assert message == f"{url}: gzip body truncated (the compressed stream does not end) (after 2 attempts)"


def test_a_connection_cut_mid_body_is_truncated_and_retried(upstream):
    url = serve(upstream, Route(PAGE, truncate_to=100))
    message = failure(url, HttpPolicy(timeout=2.0, attempts=2, backoff=0.01))
    assert "truncated" in message and message.endswith("(after 2 attempts)")
    assert len(upstream.requests) == 2


# --- place: redirects stay on the same host and port ---------------------------------------


@pytest.mark.parametrize("location", ["/new", "new", "{base}/new"])
def test_a_same_host_redirect_is_followed(upstream, location):
    serve(upstream, Route(PAGE), "/new")
    url = serve(upstream, Route(status=301, headers={"Location": location.format(base=upstream.base)}), "/old")
    fetched = fetch_url(url, ONCE)
    assert fetched.body == PAGE and fetched.origin == url
    assert [r["path"] for r in upstream.requests] == ["/old", "/new"]


def test_a_redirect_to_another_port_is_refused(upstream):
    with UpstreamServer() as elsewhere:
        target = serve(elsewhere, Route(PAGE))
        url = serve(upstream, Route(status=302, headers={"Location": target}))
        assert failure(url) == f"{url}: redirect to {target} refused (another port)"
        assert elsewhere.requests == []


def test_a_redirect_to_another_host_is_refused(upstream):
    port = upstream.httpd.server_address[1]
    target = f"http://localhost:{port}/page2"  # the same server under another name is still another host
    serve(upstream, Route(PAGE), "/page2")
    url = serve(upstream, Route(status=307, headers={"Location": target}))
    assert failure(url) == f"{url}: redirect to {target} refused (another host)"
    assert [r["path"] for r in upstream.requests] == ["/page"]


def test_a_redirect_loop_stops_after_five(upstream):
    url = serve(upstream, Route(status=302, headers={"Location": "/page"}))
    assert failure(url) == f"{url}: more than 5 redirects (the last to {url})"
    assert len(upstream.requests) == 6  # the request and five redirects followed


def test_a_redirect_without_location_is_refused(upstream):
    url = serve(upstream, Route(status=302))
    assert failure(url) == f"{url}: HTTP 302 redirect without a Location header"


@pytest.mark.parametrize(
    "source, target, reason",
    [
        ("https://example.com/a", "https://example.com/b", None),
        ("http://example.com/a", "https://example.com/a", None),  # upgrade on the same host
        ("http://example.com:80/a", "https://example.com/a", None),
        ("http://example.com:8080/a", "https://example.com:8080/a", None),
        ("https://example.com/a", "https://EXAMPLE.com:443/b", None),
        ("https://example.com/a", "http://example.com/a", "a downgrade from https to http"),
        ("https://example.com:8443/a", "http://example.com:8443/a", "a downgrade from https to http"),
        ("https://example.com/a", "https://example.org/a", "another host"),
        ("https://example.com/a", "https://sub.example.com/a", "another host"),
        ("http://example.com/a", "https://evil.example/a", "another host"),
        ("https://example.com/a", "https://example.com:8443/a", "another port"),
        ("http://example.com:8080/a", "https://example.com:8443/a", "another port"),
        ("https://example.com/a", "ftp://example.com/a", "not http(s): ftp"),
        ("https://example.com/a", "javascript:alert(1)", "not http(s): javascript"),
    ],
)
def test_the_redirect_decision(source, target, reason):
    assert redirect_refusal(source, target) == reason


# --- form: the Content-Type the source must have -------------------------------------------


PAGE_LIST = "application/xhtml+xml, text/html, text/markdown, text/plain, text/x-markdown"
MARKDOWN_LIST = "text/markdown, text/plain, text/x-markdown"


@pytest.mark.parametrize(
    "content_type, accept, expected",
    [
        (None, PAGE_TYPES, f"no Content-Type in the response (expected one of {PAGE_LIST})"),
        ("application/json", PAGE_TYPES, f"Content-Type application/json is not what this source must be (expected one of {PAGE_LIST})"),
        ("application/octet-stream", PAGE_TYPES, "Content-Type application/octet-stream is not"),
        ("text/html; charset=utf-8", MARKDOWN_TYPES, f"Content-Type text/html is not what this source must be (expected one of {MARKDOWN_LIST})"),
    ],
)
def test_a_content_type_the_source_cannot_be_is_refused(upstream, content_type, accept, expected):
    url = serve(upstream, Route(PAGE, content_type=content_type))
    assert failure(url, accept=accept).startswith(f"{url}: {expected}")


@pytest.mark.parametrize(
    "content_type, accept",
    [
        ("TEXT/HTML; charset=UTF-8", PAGE_TYPES),
        ("application/xhtml+xml", PAGE_TYPES),
        ("text/markdown; charset=utf-8", PAGE_TYPES),
        ("text/plain; charset=utf-8", MARKDOWN_TYPES),  # how raw file hosts label Markdown
        ("text/x-markdown", MARKDOWN_TYPES),
    ],
)
def test_a_content_type_the_source_may_be_is_accepted(upstream, content_type, accept):
    url = serve(upstream, Route(PAGE, content_type=content_type))
    assert fetch_url(url, ONCE, accept=accept).body == PAGE
    if accept == MARKDOWN_TYPES:
        assert "text/html" not in upstream.requests[0]["headers"]["Accept"]


# --- patience: retries, backoff and Retry-After --------------------------------------------


def test_retry_after_is_honoured(upstream):
    url = serve(upstream, Route(sequence=[Route(status=503, headers={"Retry-After": "1"}), Route(PAGE)]))
    fetched = fetch_url(url, HttpPolicy(timeout=2.0, attempts=2, backoff=0.0))
    assert fetched.body == PAGE
    first, second = upstream.requests
    assert second["time"] - first["time"] >= 1.0


def test_retry_after_longer_than_max_wait_fails_at_once(upstream):
    url = serve(upstream, Route(status=429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    message = failure(url, HttpPolicy(timeout=2.0, attempts=3, backoff=0.0))
    assert time.monotonic() - started < 1.0 and len(upstream.requests) == 1
    assert message == (
        f"{url}: HTTP 429 (Retry-After: 3600): the server asked to wait 3600 s before retrying, "
        "more than the 60 s this fetch may still wait"
    )


def test_retry_after_longer_than_what_is_left_fails_at_once(upstream):
    asks = Route(status=503, headers={"Retry-After": "1"})
    url = serve(upstream, Route(sequence=[asks, asks, Route(PAGE)]))
    message = failure(url, HttpPolicy(timeout=2.0, attempts=3, backoff=0.0, max_wait=1.5))
    assert message.endswith("the server asked to wait 1 s before retrying, more than the 0.5 s this fetch may still wait")
    assert len(upstream.requests) == 2


@pytest.mark.parametrize("status", [500, 503])
def test_other_retryable_failures_keep_the_backoff(upstream, status):
    url = serve(upstream, Route(b"busy", status=status))
    message = failure(url, HttpPolicy(timeout=2.0, attempts=3, backoff=0.1))
    assert message == f"{url}: HTTP {status} (after 3 attempts)"
    times = [r["time"] for r in upstream.requests]
    assert len(times) == 3 and times[1] - times[0] >= 0.1 and times[2] - times[1] >= 0.2


def test_a_client_error_is_not_retried(upstream):
    url = serve(upstream, Route(status=404))
    assert failure(url, HttpPolicy(timeout=2.0, attempts=3, backoff=0.01)) == f"{url}: HTTP 404 Not Found"
    assert len(upstream.requests) == 1


def test_nothing_listening_cannot_connect():
    url = closed_port_url()
    message = failure(url, HttpPolicy(timeout=1.0, attempts=2, backoff=0.01))
    assert "cannot connect" in message and message.endswith("(after 2 attempts)")


def test_retry_after_reads_seconds_and_dates():
    now = datetime(2026, 3, 9, 10, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds(" 0 ", now) == 0.0
    assert retry_after_seconds("Mon, 09 Mar 2026 10:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Mon, 09 Mar 2026 09:00:00 GMT", now) == 0.0  # already past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("-5", now) is None
    assert retry_after_seconds(None, now) is None


# --- 304: only an answer to a conditional request ------------------------------------------


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_a_304_to_a_conditional_request_is_not_modified(upstream, validator):
    url = serve(upstream, Route(PAGE))
    first = fetch_url(url, ONCE)
    sent = {validator: first.validators["etag"] if validator == "etag" else "Mon, 09 Mar 2026 10:00:00 GMT"}
    if validator == "last_modified":
        upstream.routes["/page"] = Route(status=304)  # the loopback server answers only If-None-Match itself
    again = fetch_url(url, ONCE, sent)
    assert again.not_modified and again.body == b"" and again.validators == sent
    header = "If-None-Match" if validator == "etag" else "If-Modified-Since"
    assert upstream.requests[-1]["headers"][header] == sent[validator]


def test_a_304_to_a_request_without_validators_is_an_error(upstream):
    url = serve(upstream, Route(status=304))
    assert failure(url) == f"{url}: HTTP 304 Not Modified to a request that sent no validators"
    assert failure(url, validators={}) == f"{url}: HTTP 304 Not Modified to a request that sent no validators"
