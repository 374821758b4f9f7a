"""`make rebuild` against a loopback upstream: all or nothing, and honest about what changed."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HTML, ROOT
from support.small_upstream import KEPT_CODES, KEPT_FILTERS, cut_error_page, cut_filters_page, write_small_data
from upstream_server import Route, UpstreamServer, closed_port_url

from scraper import rebuild
from scraper.catalog.model import ScrapeError
from scraper.cli import DOC_OPTIONS
from scraper.ingest import fetch
from scraper.ingest.parse import read_source

EN_PATH, ZH_PATH = "/docs/binance-spot-api-docs/testnet/errors", "/docs/zh-CN/binance-spot-api-docs/testnet/errors"
FILTERS_PATH = "/binance/binance-spot-api-docs/master/testnet/filters.md"
FILTERS_MD = (ROOT / "upstream" / "testnet_filters.md").read_bytes()
MARKDOWN = "text/plain; charset=utf-8"  # what raw.githubusercontent.com sends for filters.md
# upstream's other doc pages (data/statuses.json), served where raw.githubusercontent.com has them
DOC_PATHS = {doc: f"/binance/binance-spot-api-docs/master/{doc}" for doc in DOC_OPTIONS}
DOCS_MD = {doc: (ROOT / "upstream" / "docs" / doc).read_bytes() for doc in DOC_OPTIONS}


def doc_args(base: str) -> list[str]:
    """rebuild's options for the doc pages, served at ``base`` (the loopback upstream)."""
    return [arg for doc, option in DOC_OPTIONS.items() for arg in (f"--{option.replace('_', '-')}", base + DOC_PATHS[doc])]


def serve_docs(server: UpstreamServer, headers: dict | None = None) -> None:
    for doc, path in DOC_PATHS.items():
        server.routes.setdefault(path, Route(DOCS_MD[doc], content_type=MARKDOWN, headers=dict(headers or {})))
FAST = ["--timeout", "0.5", "--attempts", "2", "--backoff", "0.01"]


def fixture(version: str, locale: str) -> bytes:
    return (HTML / f"testnet-errors.{version}.{locale}.html").read_bytes()


def make_workspace(root: Path, chinese: bool = False) -> Path:
    """What a rebuild reads and writes, copied; docs/ and site/ stand in as marked trees.
    Without ``chinese``, the data folder has no Chinese guidance, so the rebuild builds the English
    tree alone: one MkDocs build instead of two (the tests that need the zh/ tree ask for it)."""
    for name in ("data", "upstream"):
        shutil.copytree(ROOT / name, root / name)
    if not chinese:
        (root / "data" / "guidance.zh-CN.yaml").unlink()
    shutil.copyfile(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "templates" / "overrides", root / "templates" / "overrides")
    for name in ("docs", "site"):
        (root / name).mkdir()
        (root / name / "marker.txt").write_text(f"previous {name}\n", encoding="utf-8")
    return root


@pytest.fixture()
def workspace(tmp_path):
    return make_workspace(tmp_path)


# A small cut of the real upstream keeps each of the many rebuilds that build a site quick: the same
# markup, parser and templates, a tenth of the pages.  The old tree's data lacks -2043; upstream adds it.
NEW_VERSION = "f88f5cc"
OLD_CODES = tuple(code for code in KEPT_CODES if code != "-2043")


def codes_on(page: bytes) -> int:
    """How many codes the scraper finds on an error page."""
    [copy] = read_source("page.html", page)
    return len(copy.codes)


def small_page(locale: str, codes: tuple[str, ...] = KEPT_CODES) -> bytes:
    return cut_error_page(fixture(NEW_VERSION, locale).decode("utf-8"), codes).encode("utf-8")


SMALL_FILTERS_MD = cut_filters_page(FILTERS_MD.decode("utf-8")).encode("utf-8")


def make_small_workspace(root: Path, chinese: bool = False) -> Path:
    """A workspace whose data is a first scrape of the small upstream without -2043."""
    make_workspace(root, chinese)
    pages = {locale: (f"small.{locale}.html", small_page(locale, OLD_CODES)) for locale in ("en", "zh-CN")}
    write_small_data(root / "data", pages, ("small-filters.md", SMALL_FILTERS_MD))
    return root


@pytest.fixture()
def small_workspace(tmp_path):
    return make_small_workspace(tmp_path)


def serve_small(server: UpstreamServer, codes: tuple[str, ...] = KEPT_CODES, headers: dict | None = None) -> None:
    """The small upstream: its error pages with ``codes`` (all kept ones: the new version), its filters
    page, upstream's other doc pages; each answer with ``headers``."""
    server.routes[EN_PATH] = Route(small_page("en", codes), headers=dict(headers or {}))
    server.routes[ZH_PATH] = Route(small_page("zh-CN", codes), headers=dict(headers or {}))
    server.routes[FILTERS_PATH] = Route(SMALL_FILTERS_MD, content_type=MARKDOWN, headers=dict(headers or {}))
    serve_docs(server, headers)


def page_text(path: Path) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").get_text(" ")


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for name in ("data", "upstream", "docs", "site")
        for path in sorted((root / name).rglob("*"))
        if path.is_file()
    }


def run_rebuild(root: Path, en: str, zh: str, *extra: str) -> subprocess.CompletedProcess:
    """A rebuild against a loopback upstream; the filters page is served beside the error pages."""
    filters = en.split("/docs/")[0] + FILTERS_PATH
    command = [
        sys.executable, "-m", "scraper", "rebuild", "--root", str(root), "--en", en, "--zh", zh, "--filters", filters,
        *doc_args(en.split("/docs/")[0]), *FAST, *extra,
    ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def upstream():
    with UpstreamServer() as server:
        yield server


def serve_version(server: UpstreamServer, version: str) -> None:
    server.routes[EN_PATH] = Route(fixture(version, "en"))
    server.routes[ZH_PATH] = Route(fixture(version, "zh-CN"))
    server.routes.setdefault(FILTERS_PATH, Route(FILTERS_MD, content_type=MARKDOWN))
    serve_docs(server)


# --- failures: one line, non-zero exit, nothing touched -----------------------------------

d6ab31a_en = fixture("d6ab31a", "en").decode("utf-8")


def _without_codes(html: str, count: int) -> str:
    headings = [m.start() for m in re.finditer(r'<h3 class="anchor[^"]*" id="-1', html)]
    cut_from, cut_to = headings[10], headings[10 + count]
    return html[:cut_from] + html[cut_to:]


def _without_half_the_codes(html: str) -> str:
    return _without_codes(html, 60)


FAILURES = {
    "http 404": (Route(status=404), "HTTP 404"),
    "http 500": (Route(b"oops", status=500), "HTTP 500"),
    "empty 200": (Route(b""), "empty input"),
    "truncated body": (Route(fixture("d6ab31a", "en"), truncate_to=20000), "truncated"),
    "timeout": (Route(fixture("d6ab31a", "en"), delay=2.0), "timed out"),
    "login wall": (Route(b"<!doctype html><html><body><h1>Log in</h1><form></form></body></html>"), "no recognizable error-code headings"),
    "drop of codes": (Route(_without_codes(d6ab31a_en, 30).encode("utf-8")), "--allow-removal"),
    "copy lacking most codes": (Route(_without_half_the_codes(d6ab31a_en).encode("utf-8")), "lacks 61 of the 106"),
    "schema violation": (
        Route(d6ab31a_en.replace('content="https://developers.binance.com/docs/binance-spot-api-docs/testnet/errors"', 'content="javascript:alert(1)"').encode("utf-8")),
        "schema violation",
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_bad_upstream_changes_nothing(workspace, upstream, case):
    route, expected = FAILURES[case]
    serve_version(upstream, "f88f5cc")
    upstream.routes[EN_PATH] = route
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert tree_hashes(workspace) == before
    assert not list(workspace.glob(".rebuild-*"))


def test_connection_refused_changes_nothing(workspace):
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, closed_port_url(), closed_port_url())
    assert result.returncode != 0 and "cannot connect" in result.stderr
    assert tree_hashes(workspace) == before


def test_dns_failure_changes_nothing(workspace, monkeypatch):
    def no_such_host(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    before = tree_hashes(workspace)
    options = rebuild.Options(
        en_url="http://upstream.invalid/errors",
        zh_url="http://upstream.invalid/zh",
        filters_url="http://upstream.invalid/filters.md",
        policy=fetch.HttpPolicy(0.5, 2, 0.01),
    )
    with pytest.raises(ScrapeError, match="cannot connect"):
        rebuild.rebuild(workspace, options)
    assert tree_hashes(workspace) == before


def test_zh_copy_failing_is_named_and_needs_a_flag(small_workspace, upstream):
    workspace = small_workspace
    serve_small(upstream)
    del upstream.routes[ZH_PATH]
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode != 0
    assert "English copy fetched fine" in result.stderr and "--allow-english-only" in result.stderr and "zh-CN" in result.stderr
    assert tree_hashes(workspace) == before
    accepted = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH), "--allow-english-only")
    assert accepted.returncode == 0, accepted.stderr
    data = json.loads((workspace / "data" / "errors.json").read_text(encoding="utf-8"))
    assert list(data["source"]) == ["en"] and len(data["codes"]) == codes_on(small_page("en"))


# --- the happy paths -------------------------------------------------------------------


def test_unchanged_upstream_changes_no_file(workspace, upstream):
    serve_version(upstream, "d6ab31a")  # the version the committed data came from
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == ["upstream unchanged: the fetched pages say what the committed data says"]
    assert tree_hashes(workspace) == before
    agent = upstream.requests[0]["headers"]["User-Agent"]
    assert "binance-spot-errors-reference" in agent


def test_two_versions_give_one_entry_that_adds_2043(small_workspace, upstream):
    workspace = small_workspace
    serve_small(upstream, OLD_CODES)
    assert run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH)).returncode == 0
    entries_before = json.loads((workspace / "data" / "changes.json").read_text(encoding="utf-8"))["entries"]

    serve_small(upstream)
    upstream.routes[EN_PATH].headers["Last-Modified"] = "Mon, 09 Mar 2026 10:00:00 GMT"
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "+1 code (-2043 NO_REFERENCE_PRICE), 0 messages changed, 0 removed"

    history = json.loads((workspace / "data" / "changes.json").read_text(encoding="utf-8"))
    assert len(history["entries"]) == len(entries_before) + 1
    entry = history["entries"][0]
    assert entry["date"] == "2026-03-09"
    assert entry["added_codes"] == [{"code": -2043, "name": "NO_REFERENCE_PRICE"}]
    assert history["seen"]["code:-2043"]["first_seen"] == "2026-03-09"

    data = json.loads((workspace / "data" / "errors.json").read_text(encoding="utf-8"))
    assert len(data["codes"]) == codes_on(small_page("en")) and data["source"]["en"]["origin"] == upstream.url(EN_PATH)
    manifest = json.loads((workspace / "upstream" / "manifest.json").read_text(encoding="utf-8"))
    assert [c["file"] for c in manifest["copies"]] == ["testnet-errors.en.html", "testnet-errors.zh-CN.html"]
    assert (workspace / "upstream" / "testnet-errors.en.html").read_bytes() == small_page("en")
    # the site was regenerated: the new code has its page, the changes page names it
    assert (workspace / "site" / "codes" / "-2043" / "index.html").is_file()
    assert "-2043 NO_REFERENCE_PRICE" in page_text(workspace / "site" / "changes" / "index.html")
    assert not (workspace / "site" / "marker.txt").exists()
    # the vendored files reproduce the data exactly
    assert rebuild.scrape_vendored(workspace) == data

    # unchanged since: a conditional request, answered 304, and no file changes
    before = tree_hashes(workspace)
    again = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert again.returncode == 0 and "304" in again.stdout
    assert upstream.requests[-1]["headers"].get("If-None-Match")
    assert tree_hashes(workspace) == before


def test_deliberate_removal_passes_with_the_flag(workspace, upstream):
    serve_version(upstream, "d6ab31a")
    upstream.routes[EN_PATH] = Route(_without_half_the_codes(d6ab31a_en).encode("utf-8"))
    upstream.routes[ZH_PATH] = Route(_without_half_the_codes(fixture("d6ab31a", "zh-CN").decode("utf-8")).encode("utf-8"))
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH), "--allow-removal")
    assert result.returncode == 0, result.stderr
    assert "-60 codes" in result.stdout
    history = json.loads((workspace / "data" / "changes.json").read_text(encoding="utf-8"))
    removed = {c["code"] for c in history["removed_codes"]}
    assert len(removed) >= 60
    some = sorted(removed, key=abs)[0]
    assert "Removed upstream on" in page_text(workspace / "site" / "codes" / str(some) / "index.html")


def test_filters_page_is_a_second_upstream_source(small_workspace, upstream):
    workspace = small_workspace
    serve_small(upstream, OLD_CODES)  # the error page as the data has it
    changed = SMALL_FILTERS_MD.replace(b"`stepSize` defines the intervals", b"`stepSize` defines the steps", 1)
    assert changed != SMALL_FILTERS_MD
    upstream.routes[FILTERS_PATH] = Route(changed, content_type=MARKDOWN)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"filters page changed ({len(KEPT_FILTERS)} filters)"
    filters = json.loads((workspace / "data" / "filters.json").read_text(encoding="utf-8"))
    lot = next(f for f in filters["filters"] if f["name"] == "LOT_SIZE")
    assert any("defines the steps" in p["meaning"] for p in lot["parameters"])
    assert "defines the steps" in page_text(workspace / "site" / "filters" / "lot-size" / "index.html")
    assert (workspace / "upstream" / "testnet_filters.md").read_bytes() == changed


def test_a_changed_line_of_the_rest_api_page_reaches_its_status_page(small_workspace, upstream):
    """Upstream's other doc pages are sources too: a rebuild refreshes data/statuses.json, the
    vendored copy, the changelog and its feed, and the status page, in the same transaction."""
    workspace = small_workspace
    serve_small(upstream, OLD_CODES)  # the error page as the data has it
    old_line = b"HTTP `429` return code is used when breaking a request rate limit."
    new_line = b"HTTP `429` return code is used when breaking a request rate limit or an order rate limit."
    changed = DOCS_MD["testnet/rest-api.md"].replace(old_line, new_line)
    assert changed != DOCS_MD["testnet/rest-api.md"]
    upstream.routes[DOC_PATHS["testnet/rest-api.md"]] = Route(changed, content_type=MARKDOWN)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "statuses and stream errors: 1 changed"
    assert "or an order rate limit" in page_text(workspace / "site" / "http" / "429" / "index.html")
    assert (workspace / "upstream" / "docs" / "testnet" / "rest-api.md").read_bytes() == changed
    statuses = json.loads((workspace / "data" / "statuses.json").read_text(encoding="utf-8"))
    assert any("order rate limit" in line["text"] for s in statuses["http"] for line in s["said"])
    entry = json.loads((workspace / "data" / "changes.json").read_text(encoding="utf-8"))["entries"][0]
    assert entry["statuses"] == [{"page": "http:429", "what": "testnet/rest-api.md", "old": old_line.decode(), "new": new_line.decode()}]
    assert "http:429" in page_text(workspace / "site" / "changes" / "index.html")
    assert "http:429" in (workspace / "site" / "changes" / "feed.xml").read_text(encoding="utf-8")
    # the next run finds nothing new
    again = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert again.returncode == 0 and "unchanged" in again.stdout


def test_upstreams_chinese_page_is_part_of_the_transaction(tmp_path, upstream):
    """errors_CN.md is fetched with the other docs: a new Chinese name reaches the vendored copy and
    the zh/ tree in the same rebuild; the English tree is untouched by it."""
    workspace = make_small_workspace(tmp_path, chinese=True)
    serve_small(upstream, OLD_CODES)  # the error page as the data has it
    changed = DOCS_MD["errors_CN.md"].replace("### -1013 消息无效".encode(), "### -1013 无效消息".encode())
    assert changed != DOCS_MD["errors_CN.md"]
    upstream.routes[DOC_PATHS["errors_CN.md"]] = Route(changed, content_type=MARKDOWN)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "upstream's Chinese error page (errors_CN.md) changed"
    assert (workspace / "upstream" / "docs" / "errors_CN.md").read_bytes() == changed
    assert "-1013 无效消息" in page_text(workspace / "site" / "zh" / "codes" / "-1013" / "index.html")
    assert "无效消息" not in page_text(workspace / "site" / "codes" / "-1013" / "index.html")


def test_a_chinese_page_that_is_not_one_changes_nothing(tmp_path, upstream):
    workspace = make_workspace(tmp_path, chinese=True)
    serve_version(upstream, "d6ab31a")
    upstream.routes[DOC_PATHS["errors_CN.md"]] = Route(b"# Not the error page\n\nNothing here.\n", content_type=MARKDOWN)
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "errors_CN.md: " in result.stderr
    assert tree_hashes(workspace) == before


def test_a_status_section_gone_upstream_changes_nothing(workspace, upstream):
    serve_version(upstream, "d6ab31a")
    upstream.routes[DOC_PATHS["testnet/web-socket-api.md"]] = Route(
        DOCS_MD["testnet/web-socket-api.md"].replace(b"### Status codes", b"### Statuses"), content_type=MARKDOWN
    )
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "no section titled 'Status codes'" in result.stderr
    assert tree_hashes(workspace) == before


def test_broken_filters_page_changes_nothing(workspace, upstream):
    serve_version(upstream, "f88f5cc")
    upstream.routes[FILTERS_PATH] = Route(b"<!doctype html><html><body>moved</body></html>")
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert tree_hashes(workspace) == before


def test_the_production_filters_page_is_refused_by_its_content(workspace, upstream):
    """The URL says testnet; the content (links into ./faqs/, the DocToc line) says production."""
    serve_version(upstream, "f88f5cc")
    upstream.routes[FILTERS_PATH] = Route((ROOT / "upstream" / "filters.md").read_bytes(), content_type=MARKDOWN)
    before = tree_hashes(workspace)
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "main filters page, not testnet/filters.md" in line
    assert tree_hashes(workspace) == before


def test_a_304_is_trusted_only_while_the_tree_matches_the_validators(small_workspace, upstream, tmp_path_factory):
    """Data put back by hand behind a newer manifest: the fetch goes out unconditional and the change is found again."""
    workspace = small_workspace
    old_data = tmp_path_factory.mktemp("old") / "errors.json"
    shutil.copyfile(workspace / "data" / "errors.json", old_data)
    serve_small(upstream)
    assert run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH)).returncode == 0
    shutil.copyfile(old_data, workspace / "data" / "errors.json")  # the old data, new manifest
    sent = len(upstream.requests)
    again = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("+1 code (-2043 NO_REFERENCE_PRICE)")
    page_requests = [r for r in upstream.requests[sent:] if r["path"] in (EN_PATH, ZH_PATH)]
    assert page_requests and not any("If-None-Match" in r["headers"] for r in page_requests)


def test_a_stray_div_after_the_first_list_loses_no_code(small_workspace, upstream):
    """Parsed as a browser parses it (html5lib): the stray tag moves nothing, and every code arrives."""
    workspace = small_workspace
    serve_small(upstream)
    stray = small_page("en").decode("utf-8").replace("</ul>", "</ul><div>", 1)
    upstream.routes[EN_PATH] = Route(stray.encode("utf-8"))
    result = run_rebuild(workspace, upstream.url(EN_PATH), upstream.url(ZH_PATH))
    assert result.returncode == 0, result.stderr
    data = json.loads((workspace / "data" / "errors.json").read_text(encoding="utf-8"))
    assert sum(1 for c in data["codes"] if "en" in c["locales"]) == codes_on(small_page("en"))
