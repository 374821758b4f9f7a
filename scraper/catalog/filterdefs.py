"""The filters page as public JSON: serialise and validate against its schema.

The twin of ``scraper.store`` for ``data/filters.json``; writers spell it with
``store.dumps`` and publish it through ``scraper.transaction``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from scraper.catalog import store
from scraper.catalog.model import Message
from scraper.catalog.store import ROOT
from scraper.ingest.parse.filters import FiltersPage

SCHEMA_PATH = ROOT / "data" / "filters.schema.json"
SCHEMA_VERSION = 1


def page_to_dict(page: FiltersPage) -> dict:
    return {"schema_version": SCHEMA_VERSION, **asdict(page)}


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(data: dict, origin: str) -> None:
    store.validate(data, origin, load_schema())


def load(path: Path) -> dict:
    return store.load(path, load_schema())


def by_name(data: dict) -> dict[str, dict]:
    return {f["name"]: f for f in data["filters"]}


def defined_only_rows(data: dict, filters: dict | None) -> list[dict]:
    """Filters the filters page defines but the error page does not list (PERCENT_PRICE_BY_SIDE, MAX_ASSET…).

    Users meet "Filter failure: PERCENT_PRICE_BY_SIDE" all the same, so each gets a row
    shaped like the error page's filter failures: the message upstream's pattern gives it,
    the codes every listed filter failure comes with, and the filter's own summary.
    """

    if not filters:
        return []
    listed = {row["filter"] for row in data["filter_failures"]}
    carriers = list(dict.fromkeys(c for row in data["filter_failures"] for c in row["codes"]))
    referenced = list(dict.fromkeys(c for row in data["filter_failures"] for c in row["referenced_by"]))
    rows = []
    for definition in filters["filters"]:
        if definition["name"] in listed:
            continue
        message = Message.of(f"Filter failure: {definition['name']}")
        rows.append(
            {
                "text": message.text,
                "plain": message.plain,
                "placeholders": message.placeholders,
                "pattern": message.pattern,
                "description": definition["summary"],
                "codes": list(carriers),
                "anchors": {"en": definition["anchor"]},
                "locales": ["en"],
                "filter": definition["name"],
                "referenced_by": list(referenced),
                "translations": {},
                "on_error_page": False,
            }
        )
    return rows


def with_defined_filters(data: dict, filters: dict | None) -> dict:
    """The data as the site shows it: the error page's filter failures, then the defined-only ones."""
    extra = defined_only_rows(data, filters)
    return {**data, "filter_failures": data["filter_failures"] + extra} if extra else data
