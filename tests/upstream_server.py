"""A loopback stand-in for the upstream site: each path answers as a test tells it to."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0  # seconds before answering: a timeout
    truncate_to: int | None = None  # send only this many bytes of a longer declared body
    headers: dict[str, str] = field(default_factory=dict)  # sent as given: a pre-encoded body names its Content-Encoding here
    etag: bool = True  # answer If-None-Match with 304 when the body is unchanged
    content_type: str | None = "text/html; charset=utf-8"  # None: no Content-Type header at all
    drip: float = 0.0  # seconds between the body's bytes, sent one at a time: a slow server
    content_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    sequence: list[Route] = field(default_factory=list)  # successive requests get these in turn, the last repeats


class UpstreamServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[dict] = []
        server = self
        lock = threading.Lock()  # concurrent requests each see their own place in a sequence

        def record(path: str, headers: dict) -> Route | None:
            with lock:
                server.requests.append({"path": path, "headers": headers, "time": time.monotonic()})
                route = server.routes.get(path)
                if route is None or not route.sequence:
                    return route
                seen = sum(1 for r in server.requests if r["path"] == path)
                return route.sequence[min(seen, len(route.sequence)) - 1]

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002
                pass

            def do_GET(self):  # noqa: N802 - the stdlib's name
                route = record(self.path, dict(self.headers))
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    time.sleep(route.delay)
                tag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                if route.etag and route.status == 200 and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.content_type is not None:
                    self.send_header("Content-Type", route.content_type)
                if route.content_length:
                    self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", tag)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                body = route.body if route.truncate_to is None else route.body[: route.truncate_to]
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if route.drip:
                        for index in range(len(body)):
                            self.wfile.write(body[index : index + 1])
                            time.sleep(route.drip)
                    else:
                        self.wfile.write(body)
                if route.truncate_to is not None or not route.content_length:
                    self.close_connection = True

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # polled often, so each test's shutdown waits 50 ms rather than half a second
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> "UpstreamServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url() -> str:
    """A loopback URL where nothing listens: connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/errors"
