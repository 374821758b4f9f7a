"""Every guidance entry rests on upstream doc sections, and each source's words are still there.

The vendored docs (upstream/docs/, upstream/testnet_filters.md) are upstream's own Markdown;
a claim whose source section changes upstream fails here once the copies are refreshed.
"""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
from conftest import ROOT, committed_inputs

from scraper.catalog import guidance, upstream_docs
from scraper.ingest import vendored
from scraper.ingest.parse.blocks import slugify


@pytest.fixture(scope="module")
def docs():
    return upstream_docs.load(vendored.docs_files(ROOT))


@pytest.fixture(scope="module")
def curated():
    return committed_inputs().guidance


def test_every_entry_names_its_upstream_sources(curated):
    assert guidance.unsourced(curated) == []


def test_every_source_says_what_it_is_cited_for(curated, docs):
    assert guidance.source_problems(curated, docs) == []


def test_a_source_that_changed_upstream_shows_up(curated, docs):
    """A real source, its section's words changed as an upstream edit would change them."""
    key, entry = next((k, e) for k, e in curated["codes"].items() if e.get("sources"))
    source = entry["sources"][0]
    edited = {doc: list(sections) for doc, sections in docs.items()}
    edited[source["doc"]] = [
        upstream_docs.Section(s.doc, s.title, s.anchor, s.text.replace(source["quote"].split()[-1], "changed"))
        if s.title == source["section"] else s
        for s in docs[source["doc"]]
    ]
    assert guidance.source_problems(curated, edited)[0].startswith(f"codes/{key}: {source['doc']} › {source['section']}: does not say")
    renamed = copy.deepcopy(curated)
    renamed["codes"][key]["sources"][0]["section"] = source["section"] + " (old)"
    assert f"codes/{key}: {source['doc']}: no section titled" in guidance.source_problems(renamed, docs)[0]


def test_sections_follow_headings_not_code_comments(docs):
    """A '# Sign the request' line inside a code fence is code, not a section."""
    titles = [s.title for s in docs["testnet/rest-api.md"]]
    assert "Timing security" in titles and "Sign the request" not in titles
    timing = next(s for s in docs["testnet/rest-api.md"] if s.title == "Timing security")
    assert "recvWindow" in timing.text and "HMAC Keys" not in timing.text  # stops at the next heading of its level


@pytest.mark.parametrize(
    "title, anchor",
    [
        ("HTTP Return Codes", "http-return-codes"),
        ("SIGNED Endpoint security", "signed-endpoint-security"),
        ("Messages for -1010 ERROR_MSG_RECEIVED, -2010 NEW_ORDER_REJECTED, -2011 CANCEL_REJECTED, and -2038 ORDER_AMEND_REJECTED",
         "messages-for--1010-error_msg_received--2010-new_order_rejected--2011-cancel_rejected-and--2038-order_amend_rejected"),
        ("Query order (USER_DATA)", "query-order-user_data"),
    ],
)
def test_links_use_the_anchor_github_gives_a_heading(title, anchor):
    # the third is the id upstream's own pages give that heading (tests/fixtures/html)
    assert slugify(title) == anchor


def test_pages_link_each_source(curated, built_site):
    key, entry = next((k, e) for k, e in curated["codes"].items() if e.get("sources"))
    page = (built_site / "codes" / key / "index.html").read_text(encoding="utf-8")
    for source in entry["sources"]:
        assert f'{source["doc"]}#{slugify(source["section"])}"' in page


def test_coverage_names_a_source_that_does_not_hold(tmp_path):
    text = (ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8")
    quote = guidance.parse(text, "guidance.yaml")["codes"]["-1021"]["sources"][0]["quote"]
    (tmp_path / "guidance.yaml").write_text(text.replace(quote, quote + " in nanoseconds", 1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "scraper", "coverage", "--guidance", str(tmp_path / "guidance.yaml")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "source does not hold: codes/-1021: " in result.stdout and "nanoseconds" in result.stdout
