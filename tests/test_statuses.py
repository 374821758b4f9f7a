"""The errors beyond the error page (issue 14): read from upstream's vendored docs, one page each, linked both ways."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from conftest import ROOT, committed_inputs

from scraper.catalog import statusdefs
from scraper.catalog.model import ScrapeError
from scraper.ingest import vendored
from scraper.ingest.parse.statuses import DOCS, read_statuses
from scraper.search import resolve, search_index
from scraper.site import render


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    files = vendored.docs_files(ROOT)
    return {doc: files[doc].read_text(encoding="utf-8") for doc in DOCS}


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render.build_pages(committed_inputs())


def test_the_committed_data_is_what_the_vendored_docs_say():
    assert committed_inputs().statuses == statusdefs.scrape(vendored.docs_files(ROOT))


def test_every_status_and_stream_code_upstream_lists_has_its_page(texts, pages):
    parsed = read_statuses(texts)
    documented = {s.status for s in parsed.http if any(line.doc == "testnet/rest-api.md" for line in s.said)}
    for status in parsed.http:
        assert f"http/{statusdefs.page_key(status.status, documented)}.md" in pages
    assert {"http/429.md", "http/418.md", "http/403.md", "http/409.md", "http/4xx.md", "http/5xx.md", "http/451.md"} <= set(pages)
    for error in parsed.stream_errors:
        page = pages[f"ws-streams/{error.code}.md"]
        assert all(message.description.split("`")[0][:20] in page for message in error.messages)
    assert [e.code for e in parsed.stream_errors] == [0, 1, 2, 3]
    reasons = pages["user-data-stream/order-reject-reasons.md"]
    assert all(f"<code>{r.reason.replace('_', '&#95;')}</code>" in reasons for r in parsed.reject_reasons), reasons
    assert "(../messages/account-has-insufficient-balance-for-requested-action.md)" in reasons
    assert all(f"<code>{r.reason.replace('_', '&#95;')}</code>" in reasons for r in parsed.expiry_reasons)
    session = pages["fix/session-reject-reasons.md"]
    assert all(f"<code>{r.name.replace('_', '&#95;')}</code>" in session for r in parsed.session_reject_reasons)


@pytest.mark.parametrize("status, code", [("429", -1003), ("418", -1003), ("5xx", -1006), ("5xx", -1007), ("409", -2021)])
def test_statuses_and_codes_link_both_ways(pages, status, code):
    assert f"(../codes/{code}.md)" in pages[f"http/{status}.md"]
    assert f"(../http/{status}.md)" in pages[f"codes/{code}.md"]


def test_the_site_publishes_the_statuses_with_their_schema(tmp_path):
    render.render(committed_inputs(), tmp_path / "docs")
    published = json.loads((tmp_path / "docs" / "statuses.json").read_text(encoding="utf-8"))
    statusdefs.validate(published, "statuses.json")
    assert published == committed_inputs().statuses
    assert json.loads((tmp_path / "docs" / "statuses.schema.json").read_text(encoding="utf-8"))["$id"] == "statuses.schema.json"


def test_a_reject_reason_leads_to_its_rejection_message():
    index = search_index.index_for(committed_inputs())
    match = resolve.resolve(index, 'executionReport {"X": "REJECTED", "r": "INSUFFICIENT_BALANCES"}')
    assert match is not None and match.path == "messages/account-has-insufficient-balance-for-requested-action/"


def test_5xx_warns_that_the_execution_status_is_unknown(pages):
    assert "Execution status unknown" in pages["http/5xx.md"]
    assert "Execution status unknown" not in pages["http/429.md"]


def test_451_says_upstream_does_not_document_it(pages):
    page = pages["http/451.md"]
    assert "Upstream's docs do not document this status" in page
    assert "users&#39; reports of the response" in page and "github.com/" in page  # the reports it rests on, named as such
    assert "Service unavailable from a restricted location" in page  # the body users pasted, as the example
    assert '"status": 451' not in page  # no WebSocket API example upstream never documented
    assert "Upstream sources" in pages["http/429.md"]


@pytest.mark.parametrize(
    "doc, old, new, says",
    [
        ("testnet/rest-api.md", "## HTTP Return Codes", "## HTTP status codes", "no section titled 'HTTP Return Codes'"),
        ("testnet/web-socket-streams.md", '{"code": 1, "msg"', '{"kode": 1, "msg"', "a row that is not an error message"),
        ("testnet/fix-api.md", "SessionRejectReason", "RejectReasonOfSession", "no SessionRejectReason (373) values"),
    ],
)
def test_a_section_gone_or_reshaped_is_refused_in_one_line(texts, doc, old, new, says):
    changed = dict(texts) | {doc: texts[doc].replace(old, new)}
    with pytest.raises(ScrapeError, match="^" + doc.replace(".", r"\.")) as raised:
        read_statuses(changed)
    assert says in str(raised.value) and "\n" not in str(raised.value)


def test_scrape_statuses_command_refuses_a_broken_doc_without_a_traceback(tmp_path):
    broken = tmp_path / "rest-api.md"
    broken.write_text("# REST API\n\nnothing about statuses\n", encoding="utf-8")
    output = tmp_path / "statuses.json"
    result = subprocess.run(
        [sys.executable, "-m", "scraper", "scrape-statuses", "--doc", f"testnet/rest-api.md={broken}", "-o", str(output)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 1 and not output.exists()
    assert result.stderr.strip().count("\n") == 0 and "HTTP Return Codes" in result.stderr and "Traceback" not in result.stderr


def test_hostile_text_in_the_status_docs_is_shown_literally(texts):
    """Upstream text is data here too: a tag, a template and a javascript: link in a status line or a
    stream error row are escaped on the page, never markup, never a template, never a link."""
    hostile = "<script>window.__pwned=1</script> {{ 7*7 }} [x](javascript:alert(1))"
    changed = dict(texts)
    changed["testnet/rest-api.md"] = texts["testnet/rest-api.md"].replace(
        "HTTP `429` return code is used when breaking a request rate limit.", f"HTTP `429` return code is used when {hostile}"
    )
    changed["testnet/web-socket-streams.md"] = texts["testnet/web-socket-streams.md"].replace(
        "Value should only be `true` or `false`", f"Value {hostile}"
    )
    statuses = statusdefs.to_dict(read_statuses(changed), changed)
    pages = render.build_pages(dataclasses.replace(committed_inputs(), statuses=statuses))
    escaped = "&lt;script&gt;window.&#95;&#95;pwned&#61;1&lt;/script&gt; &#123;&#123; 7&#42;7 &#125;&#125; &#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"
    for src in ("http/429.md", "ws-streams/1.md"):
        page = pages[src]
        assert escaped in page, src
        assert "<script>" not in page and "{{" not in page and "](javascript:" not in page


def test_status_changes_join_only_the_entry_of_the_same_run():
    from scraper.catalog import changes

    errors = committed_inputs().errors
    found = [{"page": "http:429", "what": "testnet/rest-api.md", "old": "a", "new": "b"}]
    history = {"entries": [{"version": "2026-12-05 abc1234", "date": "2026-12-05", "summary": "+1 code"}]}
    changes.record_statuses(history, errors, found, date="2026-12-05", with_latest=False)  # an earlier run's entry, same day
    assert len(history["entries"]) == 2 and history["entries"][0]["statuses"] == found
    assert "statuses" not in history["entries"][1]
    this_run = {"entries": [{"version": "2026-12-05 def5678", "date": "2026-12-05", "summary": "+1 code"}]}
    changes.record_statuses(this_run, errors, found, date="2026-12-05", with_latest=True)  # this run's error-page entry
    assert len(this_run["entries"]) == 1 and this_run["entries"][0]["statuses"] == found
    assert this_run["entries"][0]["summary"] == "+1 code; statuses and stream errors: 1 line changed"
