"""`make rebuild`: follow upstream, all or nothing.

fetch both copies -> parse -> merge -> validate -> compare with the committed data
-> render and build the new site in the transaction's scratch folder -> stage every
output beside its target -> commit: the vendored copies, the manifest (validators),
data/, the changelog, docs/ and site/ are replaced as one transaction
(``scraper.transaction``).  A failure or a kill before the commit leaves the old tree;
after it, the next command completes the new one.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

from scraper import transaction
from scraper.catalog import changes, filterdefs, statusdefs, store
from scraper.catalog.chinese import TRANSLATION_DOC
from scraper.catalog.inputs import CURATED_FILES, Inputs, read_translation
from scraper.catalog.model import DEFAULT_DOC_URLS, DEFAULT_FILTERS_URL, DEFAULT_PAGE_URLS, ParsedCopy, ScrapeError
from scraper.ingest import fetch, guards, merge, vendored
from scraper.ingest.parse import decode_page, read_source
from scraper.ingest.parse.filters import FILTERS_PAGE_URLS, filters_page_kind, read_filters_source
from scraper.ingest.parse.statuses import read_statuses
from scraper.ingest.vendored import MANIFEST, load_manifest, read_vendored
from scraper.site import builder

DATA = Path("data") / "errors.json"
HISTORY = Path("data") / "changes.json"
VENDORED_NAMES = {"en": "testnet-errors.en.html", "zh-CN": "testnet-errors.zh-CN.html"}


# The vendored copy of the filters page's Markdown in upstream/
FILTERS_FILE = "testnet_filters.md"
FILTERS_DATA = Path("data") / "filters.json"
STATUSES_DATA = Path("data") / "statuses.json"


@dataclass(frozen=True)
class Options:
    en_url: str = DEFAULT_PAGE_URLS["en"]
    zh_url: str = DEFAULT_PAGE_URLS["zh-CN"]
    filters_url: str = DEFAULT_FILTERS_URL
    doc_urls: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_DOC_URLS))  # the statuses' pages
    policy: fetch.HttpPolicy = fetch.HttpPolicy()
    allow_english_only: bool = False
    allow_removal: bool = False
    site_url: str = ""  # the hosted root (SITE_URL), for the site's absolute links


@dataclass(frozen=True)
class Outcome:
    changed: bool
    message: str


# --- the vendored snapshot ----------------------------------------------------------


def scrape_vendored(root: Path) -> dict:
    copies = [c for f in read_vendored(root) for c in read_source(f.origin, f.body, f.retrieved_at)]
    return store.catalog_to_dict(merge.merge(copies))


# --- steps -----------------------------------------------------------------------------


def _sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _trusted_validators(root: Path, entry: dict, recorded_sha256: str | None) -> dict[str, str]:
    """A copy's validators, only while the vendored file is the one the data was made from.

    A 304 then means "the tree is current"; if anything put the tree out of step with the
    manifest, the fetch is unconditional and the full comparison decides.
    """
    if not entry.get("file") or _sha256_of(root / "upstream" / entry["file"]) != recorded_sha256:
        return {}
    return dict(entry.get("validators") or {})


def _fetch_copies(root: Path, options: Options, old: dict) -> dict[str, fetch.Fetched] | Outcome:
    manifest = load_manifest(root)
    vendored = {c["locale"]: c for c in manifest["copies"] if c.get("locale")}
    validators = {
        locale: _trusted_validators(root, entry, old["source"].get(locale, {}).get("sha256"))
        for locale, entry in vendored.items()
    }
    en = fetch.fetch_url(options.en_url, options.policy, validators.get("en"))
    try:
        zh = fetch.fetch_url(options.zh_url, options.policy, validators.get("zh-CN"))
    except ScrapeError as error:
        if not options.allow_english_only:
            raise ScrapeError(
                f"{error} — the English copy fetched fine; rerun with --allow-english-only to publish it alone"
            ) from None
        zh = None
    if en.not_modified and (zh is None or zh.not_modified):
        return Outcome(False, "upstream unchanged (HTTP 304 Not Modified): nothing to do")
    fetched = {"en": en} if zh is None else {"en": en, "zh-CN": zh}
    for locale, copy in list(fetched.items()):
        if copy.not_modified:  # the other copy changed: re-read this one from the vendored file
            body = fetch.read_file(str(root / "upstream" / vendored[locale]["file"])).body
            fetched[locale] = fetch.Fetched(copy.origin, body, vendored[locale].get("retrieved_at"), validators=copy.validators)
    return fetched


def _parse(fetched: dict[str, fetch.Fetched]) -> list[ParsedCopy]:
    copies = []
    for locale, item in fetched.items():
        parsed = read_source(item.origin, item.body, item.retrieved_at)
        if [c.locale for c in parsed] != [locale]:
            found = ", ".join(c.locale for c in parsed)
            raise ScrapeError(f"{item.origin}: expected the {locale} copy of the page, found {found}")
        copies.extend(parsed)
    return copies


def _entry_date(fetched: dict[str, fetch.Fetched], now: datetime) -> str:
    stamp = fetched["en"].retrieved_at
    if stamp:
        try:
            return parsedate_to_datetime(stamp).astimezone(timezone.utc).date().isoformat()
        except (TypeError, ValueError):
            pass
    return now.astimezone(timezone.utc).date().isoformat()


def _manifest_for(fetched: dict[str, fetch.Fetched]) -> dict:
    return {
        "copies": [
            {
                "locale": locale,
                "file": VENDORED_NAMES[locale],
                "origin": item.origin,
                "retrieved_at": item.retrieved_at,
                "validators": item.validators,
            }
            for locale, item in fetched.items()
        ]
    }


def load_history(root: Path) -> dict:
    return changes.load(root / HISTORY) or changes.empty_history()


def _fetch_filters(root: Path, options: Options, old_filters: dict) -> fetch.Fetched:
    """The filters page's Markdown; a 304 answer is served from the vendored copy."""
    entry = load_manifest(root).get("filters", {})
    validators = _trusted_validators(root, entry, old_filters.get("source", {}).get("sha256"))
    fetched = fetch.fetch_url(options.filters_url, options.policy, validators, accept=fetch.MARKDOWN_TYPES)
    if fetched.not_modified:
        body = fetch.read_file(str(root / "upstream" / FILTERS_FILE)).body
        return fetch.Fetched(fetched.origin, body, entry.get("retrieved_at"), True, fetched.validators)
    return fetched


def _fetch_docs(root: Path, options: Options, old_statuses: dict | None) -> dict[str, fetch.Fetched]:
    """Upstream's other doc pages (the statuses' sources), each conditional while its vendored copy is
    the one the committed statuses were read from; a 304 is served from that copy."""
    manifest_docs = load_manifest(root).get("docs", {})
    recorded = (old_statuses or {}).get("sources", {})
    fetched = {}
    for doc, url in options.doc_urls.items():
        copy = root / vendored.DOCS / doc
        entry = manifest_docs.get(doc, {})
        # a statuses doc is trusted while the committed statuses were read from its copy; another doc
        # (the Chinese error page) while its copy is the one the manifest recorded
        recorded_sha256 = recorded.get(doc, {}).get("sha256") if doc in statusdefs.DOCS else entry.get("sha256")
        trusted = recorded_sha256 is not None and _sha256_of(copy) == recorded_sha256
        item = fetch.fetch_url(url, options.policy, dict(entry.get("validators") or {}) if trusted else {}, accept=fetch.MARKDOWN_TYPES)
        if item.not_modified:
            item = fetch.Fetched(item.origin, copy.read_bytes(), entry.get("retrieved_at"), True, item.validators)
        fetched[doc] = item
    return fetched


def _statuses_of(docs: dict[str, fetch.Fetched]) -> dict:
    texts = {doc: decode_page(item.origin, item.body) for doc, item in docs.items() if doc in statusdefs.DOCS}
    data = statusdefs.to_dict(read_statuses(texts), texts)
    statusdefs.validate(data, next(iter(docs.values())).origin)
    return data


def _filters_content(page: dict) -> dict:
    """What the filters page says, without where and when it was read."""
    return {key: value for key, value in page.items() if key != "source"}


def rebuild(root: Path, options: Options = Options(), now: datetime | None = None) -> Outcome:
    """Under the tree's lock, after repairing whatever an interrupted run left."""
    with transaction.exclusive(Path(root), "rebuild") as txn:
        return _rebuild(txn, options, now or datetime.now(timezone.utc))


def _rebuild(txn: transaction.Transaction, options: Options, now: datetime) -> Outcome:
    root = txn.root
    old = store.load(root / DATA)
    old_filters = filterdefs.load(root / FILTERS_DATA)
    old_statuses = statusdefs.load(root / STATUSES_DATA)
    fetched = _fetch_copies(root, options, old)
    filters_fetched = _fetch_filters(root, options, old_filters)
    docs_fetched = _fetch_docs(root, options, old_statuses)
    docs_unchanged = all(item.not_modified for item in docs_fetched.values())
    if isinstance(fetched, Outcome) and filters_fetched.not_modified and docs_unchanged:
        return fetched
    if isinstance(fetched, Outcome):  # only the filters page changed
        copies, new, fetched = [], old, None
    else:
        copies = _parse(fetched)
        new = store.catalog_to_dict(merge.merge(copies))
        store.validate(new, options.en_url)
    kind = filters_page_kind(decode_page(filters_fetched.origin, filters_fetched.body))
    if kind != "testnet":  # by its content: a URL or a 304 says nothing about which page this is
        raise ScrapeError(f"{filters_fetched.origin}: this is the {kind} filters page, not testnet/filters.md")
    filters_page = read_filters_source(
        filters_fetched.origin, filters_fetched.body, FILTERS_PAGE_URLS["testnet"], filters_fetched.retrieved_at
    )
    new_filters = filterdefs.page_to_dict(filters_page)
    filterdefs.validate(new_filters, options.filters_url)
    filters_changed = _filters_content(new_filters) != _filters_content(old_filters)

    new_statuses = _statuses_of(docs_fetched)
    status_changes = changes.status_changes(old_statuses, new_statuses)
    translation = docs_fetched.get(TRANSLATION_DOC)
    if translation is not None:  # upstream's Chinese error page: the Chinese pages' names and descriptions
        read_translation(translation.origin, translation.body)
    translation_changed = translation is not None and _sha256_of(root / vendored.DOCS / TRANSLATION_DOC) != hashlib.sha256(translation.body).hexdigest()

    difference = changes.diff(old, new)
    if difference.is_empty() and not filters_changed and not status_changes and not translation_changed:
        return Outcome(False, "upstream unchanged: the fetched pages say what the committed data says")
    guards.refuse_drop(old, copies, options.allow_removal)

    history = load_history(root)
    if not difference.is_empty():
        sha = hashlib.sha256(fetched["en"].body).hexdigest()
        date = _entry_date(fetched, now)
        changes.record(history, old, new, version=f"{date} {sha[:7]}", date=date, sha256=sha)
    if status_changes:
        date = now.astimezone(timezone.utc).date().isoformat()
        changes.record_statuses(history, new, status_changes, date=date, with_latest=not difference.is_empty())

    # build from the new data in the scratch folder; a failure here publishes nothing
    work_data = txn.work / "data"
    work_data.mkdir()
    for name in CURATED_FILES:  # the inputs a rebuild does not replace, beside the ones it does
        if (root / "data" / name).exists():
            shutil.copyfile(root / "data" / name, work_data / name)
    (work_data / DATA.name).write_text(store.dumps(new), encoding="utf-8")
    (work_data / HISTORY.name).write_text(store.dumps(history), encoding="utf-8")
    (work_data / FILTERS_DATA.name).write_text(store.dumps(new_filters), encoding="utf-8")
    (work_data / STATUSES_DATA.name).write_text(store.dumps(new_statuses), encoding="utf-8")
    # the build reads the docs just fetched (the Chinese copy among them), not the vendored ones they replace
    work_docs = txn.work / "upstream-docs"
    fresh = {}
    for doc, item in docs_fetched.items():
        fresh[doc] = work_docs / doc
        fresh[doc].parent.mkdir(parents=True, exist_ok=True)
        fresh[doc].write_bytes(item.body)
    inputs = Inputs.load(work_data, docs=vendored.docs_files(root) | fresh, site_url=options.site_url)
    docs, built = builder.build_into(inputs, txn.work)

    manifest = load_manifest(root)
    if fetched is not None:
        for locale, item in fetched.items():
            txn.stage_file(root / "upstream" / VENDORED_NAMES[locale], item.body)
        manifest["copies"] = _manifest_for(fetched)["copies"]
    if filters_changed or not filters_fetched.not_modified:
        txn.stage_file(root / "upstream" / FILTERS_FILE, filters_fetched.body)
        manifest["filters"] = {
            "file": FILTERS_FILE,
            "origin": filters_fetched.origin,
            "retrieved_at": filters_fetched.retrieved_at,
            "validators": filters_fetched.validators,
        }
    manifest_docs = manifest.setdefault("docs", {})
    for doc, item in docs_fetched.items():
        if item.not_modified:
            continue
        if _sha256_of(root / vendored.DOCS / doc) != hashlib.sha256(item.body).hexdigest():
            txn.stage_file(root / vendored.DOCS / doc, item.body)
        manifest_docs[doc] = {
            "origin": item.origin, "retrieved_at": item.retrieved_at, "validators": item.validators,
            "sha256": hashlib.sha256(item.body).hexdigest(),
        }
    txn.stage_file(root / FILTERS_DATA, store.dumps(new_filters))
    txn.stage_file(root / STATUSES_DATA, store.dumps(new_statuses))
    txn.stage_file(root / HISTORY, store.dumps(history))
    txn.stage_file(root / DATA, store.dumps(new))
    txn.stage_file(root / MANIFEST, store.dumps(manifest))
    txn.stage_tree(root / "docs", docs)
    txn.stage_tree(root / "site", built)
    txn.commit()
    parts = [] if difference.is_empty() else [difference.summary()]
    if filters_changed:
        parts.append(f"filters page changed ({len(new_filters['filters'])} filters)")
    if status_changes:
        parts.append(f"statuses and stream errors: {len(status_changes)} changed")
    if translation_changed:
        parts.append(f"upstream's Chinese error page ({TRANSLATION_DOC}) changed")
    return Outcome(True, "; ".join(parts))
