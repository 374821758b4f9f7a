"""`make rebuild`: follow upstream, all or nothing.

fetch both copies -> parse -> merge -> validate -> compare with the committed data
-> render and build the new site in a staging folder -> only then replace the data,
the changelog, the vendored snapshot, docs/ and site/.  Any failure before the last
step leaves every one of them byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

from . import changes, fetch, merge, render, site, store
from .model import DEFAULT_PAGE_URLS, ParsedCopy, ScrapeError
from .parse import read_source

MANIFEST = Path("upstream") / "manifest.json"
DATA = Path("data") / "errors.json"
HISTORY = Path("data") / "changes.json"
VENDORED_NAMES = {"en": "testnet-errors.en.html", "zh-CN": "testnet-errors.zh-CN.html"}
MAX_DROP = 0.10


@dataclass(frozen=True)
class Options:
    en_url: str = DEFAULT_PAGE_URLS["en"]
    zh_url: str = DEFAULT_PAGE_URLS["zh-CN"]
    policy: fetch.HttpPolicy = fetch.HttpPolicy()
    allow_english_only: bool = False
    allow_removal: bool = False


@dataclass(frozen=True)
class Outcome:
    changed: bool
    message: str


# --- the vendored snapshot ----------------------------------------------------------


def load_manifest(root: Path) -> dict:
    path = root / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScrapeError(f"{path}: no such file (the vendored snapshot's manifest)") from None
    except json.JSONDecodeError as error:
        raise ScrapeError(f"{path}: not valid JSON ({error})") from None


def read_vendored(root: Path) -> list[fetch.Fetched]:
    """The vendored copies, each under the origin (URL or path) it was taken from."""
    fetched = []
    for copy in load_manifest(root)["copies"]:
        body = fetch.read_file(str(root / "upstream" / copy["file"])).body
        fetched.append(fetch.Fetched(origin=copy["origin"], body=body, retrieved_at=copy.get("retrieved_at")))
    return fetched


def scrape_vendored(root: Path) -> dict:
    copies = [c for f in read_vendored(root) for c in read_source(f.origin, f.body, f.retrieved_at)]
    return store.catalog_to_dict(merge.merge(copies))


# --- steps -----------------------------------------------------------------------------


def _fetch_copies(root: Path, options: Options) -> dict[str, fetch.Fetched] | Outcome:
    manifest = load_manifest(root)
    validators = {c.get("locale"): c.get("validators", {}) for c in manifest["copies"]}
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
            vendored = {c["locale"]: c for c in manifest["copies"] if c.get("locale")}.get(locale)
            if vendored is None:
                raise ScrapeError(f"{copy.origin}: HTTP 304 but no vendored {locale} copy to reuse")
            body = fetch.read_file(str(root / "upstream" / vendored["file"])).body
            fetched[locale] = fetch.Fetched(copy.origin, body, vendored.get("retrieved_at"), validators=copy.validators)
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


def _guard_drop(old: dict, copies: list[ParsedCopy], allow_removal: bool) -> None:
    """Each copy on its own: the merge keeps what one copy still lists, which would hide a drop in the other."""
    if allow_removal:
        return
    for copy in copies:
        for key, label, after in (
            ("codes", "codes", len(copy.codes)),
            ("engine_messages", "rejection messages", len(copy.engine_messages)),
            ("filter_failures", "filter failures", len(copy.filter_failures)),
        ):
            before = sum(1 for item in old.get(key, []) if copy.locale in item["locales"])
            if before and after < before * (1 - MAX_DROP):
                raise ScrapeError(
                    f"{copy.source.origin}: {label} dropped from {before} to {after} (more than {MAX_DROP:.0%}); "
                    "if upstream really removed them, rerun with --allow-removal"
                )


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
    path = root / HISTORY
    if not path.exists():
        return changes.empty_history()
    return json.loads(path.read_text(encoding="utf-8"))


def rebuild(root: Path, options: Options = Options(), now: datetime | None = None) -> Outcome:
    now = now or datetime.now(timezone.utc)
    fetched = _fetch_copies(root, options)
    if isinstance(fetched, Outcome):
        return fetched
    copies = _parse(fetched)
    new = store.catalog_to_dict(merge.merge(copies))
    store.validate(new, options.en_url)
    old = store.load(root / DATA)
    difference = changes.diff(old, new)
    if difference.is_empty():
        return Outcome(False, "upstream unchanged: the fetched pages say what the committed data says")
    _guard_drop(old, copies, options.allow_removal)

    history = load_history(root)
    sha = hashlib.sha256(fetched["en"].body).hexdigest()
    date = _entry_date(fetched, now)
    changes.record(history, old, new, version=f"{date} {sha[:7]}", date=date, sha256=sha)

    with tempfile.TemporaryDirectory(prefix=".rebuild-", dir=root) as tmp:
        staging = site.prepare_workdir(Path(tmp))
        (staging / "data").mkdir()
        store.write_atomic(staging / DATA, store.dumps(new))
        store.write_atomic(staging / HISTORY, store.dumps(history))
        built = site.build(staging / DATA, staging)  # fails here -> nothing replaced

        for locale, item in fetched.items():
            store.write_atomic(root / "upstream" / VENDORED_NAMES[locale], item.body)
        store.write_atomic(root / MANIFEST, store.dumps(_manifest_for(fetched)))
        store.write_atomic(root / HISTORY, store.dumps(history))
        store.write_atomic(root / DATA, store.dumps(new))
        render.swap(staging / "docs", root / "docs")
        render.swap(built, root / "site")
    return Outcome(True, difference.summary())
