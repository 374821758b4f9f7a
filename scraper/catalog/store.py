"""Serialise the catalog, validate it against the JSON Schema, and write it atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import jsonschema

from scraper.catalog.model import Catalog, ScrapeError

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA_PATH = ROOT / "data" / "errors.schema.json"
SCHEMA_VERSION = 1


def catalog_to_dict(catalog: Catalog) -> dict:
    data = asdict(catalog)
    return {"schema_version": SCHEMA_VERSION, **data}


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(data: dict, origin: str, schema: dict | None = None) -> None:
    """One line naming the source and the first problem, when ``data`` breaks the schema (errors.json's by default)."""
    validator = jsonschema.Draft202012Validator(schema or load_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ScrapeError(f"{origin}: schema violation at {where}: {error.message}")


def retrieved_on(data: dict) -> str | None:
    """The day upstream's error page was read for this data (YYYY-MM-DD); None when no source says."""
    stamps = [s["retrieved_at"] for s in data["source"].values() if s["retrieved_at"]]
    return stamps[0][:10] if stamps else None


def dumps(data: dict) -> str:
    """The one byte-exact spelling of the data: same input, same file."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace ``path`` whole or not at all: write beside it, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: Path, schema: dict | None = None) -> dict:
    """A JSON file, validated against ``schema`` (errors.json's by default); one-line errors."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScrapeError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ScrapeError(f"{path}: not valid JSON ({error})") from None
    validate(data, str(path), schema)
    return data
