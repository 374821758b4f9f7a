"""Whole sites for tests, the eval and the benchmarks: built in a scratch folder, served on loopback."""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import threading
from collections.abc import Iterator
from pathlib import Path

from scraper import transaction
from scraper.catalog.inputs import Inputs
from scraper.site import builder
from scraper.site.serve import SiteHandler, site_server


def build_in(workdir: Path, inputs: Inputs) -> Path:
    """A whole site in ``workdir``, a folder laid out like the repository (tests, eval, benchmarks); returns its site/."""
    builder.prepare_workdir(workdir)
    with transaction.exclusive(workdir, "build") as txn:
        return builder.build(inputs, txn)


class _QuietHandler(SiteHandler):
    """The site's handler, without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class _GzipHandler(_QuietHandler):
    """Text files gzip-compressed, as GitHub Pages and most static hosts send them (benchmarks)."""

    COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in self.COMPRESSED or not path.is_file():
            return super().do_GET()
        modified = int(path.stat().st_mtime)
        since = self.headers.get("If-Modified-Since")
        if since and (parsed := email.utils.parsedate_to_datetime(since)) and int(parsed.timestamp()) >= modified:
            self.send_response(304)
            self.end_headers()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(directory: Path, compressed: bool = False) -> Iterator[str]:
    """Serve a folder on a loopback port (tests, eval, benchmarks); yields the base URL.  Uncompressed,
    as `python -m http.server` serves it, unless ``compressed`` (gzip, as static hosts do)."""
    server = site_server(directory, 0, _GzipHandler if compressed else _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
