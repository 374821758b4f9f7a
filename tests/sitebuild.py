"""Build and serve sites for tests, outside the repository's docs/ and site/."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from pathlib import Path

from scraper import site as site_stage
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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a folder on a loopback port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
