"""`make serve`: the built site/ on a loopback port, as a static host serves it.

Both trees (site/zh/ too: the Chinese tree is its own build, which `mkdocs serve` never shows) and the
site's 404 page for a path that is not there, with status 404.  The tests and the benchmarks serve
their sites with the same handler."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's 404.html, with status 404, as static hosts answer."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def site_server(directory: Path, port: int, handler: type[SiteHandler] = SiteHandler) -> http.server.ThreadingHTTPServer:
    """A server of ``directory`` on 127.0.0.1:``port`` (0: any free port), not yet serving."""
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))
