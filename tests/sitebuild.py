"""Build and serve sites for tests, outside the repository's docs/ and site/."""

from __future__ import annotations

import json
from pathlib import Path

from scraper import site as site_stage
from scraper.site import serve  # noqa: F401 - tests import it from here
from scraper.store import dumps


def build_site(data: dict | Path, workdir: Path) -> Path:
    """Render and build ``data`` in ``workdir`` (a copy of the repository's layout); returns site/."""
    site_stage.prepare_workdir(workdir)
    if isinstance(data, dict):
        data_path = workdir / "errors.json"
        data_path.write_text(dumps(data), encoding="utf-8")
    else:
        data_path = data
    return site_stage.build(data_path, workdir)


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
