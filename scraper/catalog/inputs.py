"""What every stage after the scrape reads, loaded once from one data folder and passed down.

Render, the search index and the lookup all take an :class:`Inputs`; none of them
opens a file of its own, so a rebuild that stages new data beside new filters gets
pages *and* a search index of that same data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from scraper.catalog import changes, chinese, filterdefs, guidance, statusdefs, store, upstream_docs
from scraper.catalog.chinese import TRANSLATION_DOC
from scraper.catalog.model import ParsedCopy, ScrapeError
from scraper.facts import enrich
from scraper.ingest.parse import read_source

ERRORS_FILE = "errors.json"
ERROR_PAGE_DOC = "testnet/errors.md"  # the error page's Markdown among upstream's docs
FILTERS_FILE = "filters.json"
GUIDANCE_FILE = "guidance.yaml"
GUIDANCE_ZH_FILE = "guidance.zh-CN.yaml"
CCXT_FILE = "ccxt-binance-exceptions.tsv"
WORDINGS_FILE = "past-wordings.json"
WILD_FILE = "wild-wordings.json"
OTHERS_FILE = "other-products.json"
CHANGES_FILE = "changes.json"
STATUSES_FILE = "statuses.json"
# Everything a build reads from the folder besides what a rebuild writes anew.
CURATED_FILES = (
    GUIDANCE_FILE, "guidance.schema.json", GUIDANCE_ZH_FILE, "guidance.zh-CN.schema.json", CCXT_FILE, WORDINGS_FILE,
    WILD_FILE, "wild-wordings.schema.json", OTHERS_FILE, "other-products.schema.json",
)


@dataclass(frozen=True)
class Inputs:
    errors: dict  # data/errors.json, the scraped error page
    filters: dict  # data/filters.json, the scraped filters page
    guidance: dict  # data/guidance.yaml, written by this project
    ccxt: enrich.CcxtTable  # data/ccxt-binance-exceptions.tsv
    wordings: dict | None  # data/past-wordings.json: what upstream ever said (None: current wordings only)
    changes: dict | None  # data/changes.json: the changelog (None: no history)
    wild: dict | None = None  # data/wild-wordings.json: wordings clients and old APIs print (None: none)
    others: dict | None = None  # data/other-products.json: other Binance APIs' codes (None: none)
    docs: upstream_docs.PageFacts = field(default_factory=upstream_docs.PageFacts)  # example responses, intro, section leads
    translation: ParsedCopy | None = None  # upstream's errors_CN.md: Chinese names and descriptions (None: none)
    statuses: dict | None = None  # data/statuses.json: HTTP statuses, stream errors, reject reasons (None: none)
    guidance_zh: dict | None = None  # data/guidance.zh-CN.yaml: the guidance in Chinese (None: none)
    site_url: str = ""  # where the site is hosted ("https://host/path/"); "": links stay relative

    @classmethod
    def load(cls, folder: Path, errors: Path | None = None, docs: dict[str, Path] | None = None, site_url: str = "") -> "Inputs":
        """The inputs in ``folder``; ``errors`` names another errors.json to read instead of the folder's;
        ``docs`` are upstream's doc files (ingest.vendored.docs_files), read for their example responses."""
        folder = Path(folder)
        return cls(
            errors=store.load(errors or folder / ERRORS_FILE),
            filters=filterdefs.load(folder / FILTERS_FILE),
            guidance=guidance.load(folder / GUIDANCE_FILE),
            ccxt=enrich.load_ccxt(folder / CCXT_FILE),
            wordings=_optional_json(folder / WORDINGS_FILE),
            changes=changes.load(folder / CHANGES_FILE),
            wild=_optional_json(folder / WILD_FILE, folder / "wild-wordings.schema.json"),
            others=_optional_json(folder / OTHERS_FILE, folder / "other-products.schema.json"),
            docs=upstream_docs.page_facts(docs or {}, ERROR_PAGE_DOC),
            translation=_translation((docs or {}).get(TRANSLATION_DOC)),
            statuses=statusdefs.load(folder / STATUSES_FILE),
            guidance_zh=guidance.load_translation(folder / GUIDANCE_ZH_FILE),
            site_url=checked_site_url(site_url),
        )

    @cached_property
    def shown(self) -> dict:
        """The error data as the site shows it: the error page's filter failures, then the
        ones only the filters page defines.  Pages and the search index both read this one value."""
        return filterdefs.with_defined_filters(self.errors, self.filters)

    @cached_property
    def chinese(self) -> chinese.ChineseCopy | None:
        """Upstream's Chinese error page merged by code and by row with the data shown (None: no translation)."""
        return chinese.held_against(self.translation, self.shown)

    def with_errors(self, errors: dict, changes: dict | None = None) -> "Inputs":
        """The same inputs around other error data (tests, synthetic pages); its changelog, if any, given with it."""
        return replace(self, errors=errors, changes=changes)


def checked_site_url(url: str) -> str:
    """The hosted site's root URL, ending in "/"; one line when it is no http(s) URL."""
    if not url:
        return ""
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise ScrapeError(f"SITE_URL: {url!r} is not an http(s) URL of the site's root")
    return url if url.endswith("/") else url + "/"


def _translation(path: Path | None) -> ParsedCopy | None:
    """Upstream's Chinese copy of the error page, read by the scraper's own Markdown reader."""
    return read_translation(str(path), path.read_bytes()) if path is not None else None


def read_translation(origin: str, body: bytes) -> ParsedCopy:
    """errors_CN.md's Chinese copy; one line naming ``origin`` when it is not upstream's Chinese error page."""
    copies = read_source(origin, body)
    chinese = [copy for copy in copies if copy.locale == "zh-CN"]
    if len(chinese) != 1 or not chinese[0].codes:
        raise ScrapeError(f"{origin}: expected upstream's Chinese error page, found {len(chinese)} Chinese copies")
    return chinese[0]


def _optional_json(path: Path, schema: Path | None = None) -> dict | None:
    """The file's JSON, checked against ``schema`` when given; None when the folder has no such file."""
    if not path.exists():
        return None
    any_object = {"type": "object"}
    return store.load(path, store.load(schema, any_object) if schema else any_object)
