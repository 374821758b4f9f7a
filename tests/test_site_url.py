"""SITE_URL, the one place the hosted address is set: sitemap, canonical links, feed and 404 page carry it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from conftest import ROOT, built_once, committed_inputs
from support import sites

from scraper.catalog.inputs import checked_site_url
from scraper.catalog.model import ScrapeError

SITE_URL = "https://example.org/errors/"


@pytest.fixture(scope="module")
def hosted(tmp_path_factory, worker_id):
    inputs = dataclasses.replace(committed_inputs(), site_url=SITE_URL)
    return built_once(tmp_path_factory, worker_id, "hosted-build", lambda folder: sites.build_in(folder, inputs))


def test_absolute_urls_where_a_host_needs_them(hosted):
    assert f"<loc>{SITE_URL}codes/-1013/</loc>" in (hosted / "sitemap.xml").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}codes/-1013/">' in (hosted / "codes" / "-1013" / "index.html").read_text(encoding="utf-8")
    feed = (hosted / "changes" / "feed.xml").read_text(encoding="utf-8")
    assert f'<link href="{SITE_URL}changes/" rel="alternate" />' in feed and f'href="{SITE_URL}changes/#' in feed
    # served from any depth, the 404 page finds its assets under the site's path
    assert 'href="/errors/assets/stylesheets/extra.css"' in (hosted / "404.html").read_text(encoding="utf-8")


def test_the_sitemaps_give_each_page_its_twin_both_ways(hosted):
    """hreflang alternates, in both trees' sitemaps: each page names itself and its twin, absolute."""
    for sitemap, own in ((hosted / "sitemap.xml", SITE_URL), (hosted / "zh" / "sitemap.xml", f"{SITE_URL}zh/")):
        text = sitemap.read_text(encoding="utf-8")
        entry = text[text.index(f"<loc>{own}codes/-1013/</loc>"):].split("</url>")[0]
        assert f'<xhtml:link rel="alternate" hreflang="en" href="{SITE_URL}codes/-1013/"/>' in entry
        assert f'<xhtml:link rel="alternate" hreflang="zh-CN" href="{SITE_URL}zh/codes/-1013/"/>' in entry
    zh_page = (hosted / "zh" / "codes" / "-1013" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}zh/codes/-1013/">' in zh_page
    assert f'href="{SITE_URL}codes/-1013/" hreflang="en"' in zh_page  # the language switch, absolute too


def test_without_it_links_stay_relative(built_site):
    assert '<link href="./" rel="alternate" />' in (built_site / "changes" / "feed.xml").read_text(encoding="utf-8")
    assert "example.org" not in (built_site / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("url, expected", [("https://example.org/errors", SITE_URL), ("http://localhost:8000/", "http://localhost:8000/"), ("", "")])
def test_site_url_is_read_as_the_root(url, expected):
    assert checked_site_url(url) == expected


@pytest.mark.parametrize("url", ["example.org", "ftp://example.org/", "https://example.org/?q=1", "https://exa mple.org/"])
def test_a_bad_site_url_is_one_line(url):
    with pytest.raises(ScrapeError, match="^SITE_URL: "):
        checked_site_url(url)
    result = subprocess.run([sys.executable, "-m", "scraper", "render", "--site-url", url, "--out", "/nonexistent/never"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.startswith("error: SITE_URL: ") and result.stderr.count("\n") == 1
