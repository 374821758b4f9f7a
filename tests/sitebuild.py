"""Build and serve sites for tests, outside the repository's docs/ and site/."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA, committed_inputs, inputs_with
from support.sites import (
    build_in,
    serve,  # noqa: F401 - tests import it from here
)


def build_site(data: dict | Path, workdir: Path) -> Path:
    """Render and build ``data`` (the committed inputs around it) in ``workdir``, a copy of the repository's layout; returns site/."""
    if isinstance(data, dict):
        inputs = inputs_with(data)
    else:
        inputs = committed_inputs() if Path(data) == DATA else inputs_with(json.loads(Path(data).read_text(encoding="utf-8")))
    return build_in(workdir, inputs)


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
