"""`make serve` (python -m scraper serve): the built site as a static host serves it, both trees and the
404 page; a missing site or a busy port is one line."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.error import HTTPError

import pytest
from conftest import ROOT


def serve(*args: str, started_ignoring_ctrl_c: bool = False) -> subprocess.Popen:
    command = [sys.executable, "-m", "scraper", "serve", *args]
    if started_ignoring_ctrl_c:  # as a shell starts a background job, and as a test worker once did
        command = ["sh", "-c", 'trap "" INT; exec "$0" "$@"', *command]
    return subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("started_ignoring_ctrl_c", [False, True], ids=["from a terminal", "with Ctrl+C ignored"])
def test_both_trees_and_the_404_page_are_served(built_site, started_ignoring_ctrl_c):
    server = serve("--site-dir", str(built_site), "--port", "0", started_ignoring_ctrl_c=started_ignoring_ctrl_c)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", server.stderr.readline()).group(0)
        for path in ("codes/-1013/", "zh/codes/-1013/", "assets/javascripts/resolver.js"):
            assert urllib.request.urlopen(url + path, timeout=10).status == 200, path
        with pytest.raises(HTTPError) as missing:
            urllib.request.urlopen(url + "codes/-9999/", timeout=10)
        assert missing.value.code == 404 and b"data-errref-not-found" in missing.value.read()
        # a connection that sends nothing, as a browser's preconnect: Ctrl+C must not wait for it
        idle = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1].strip("/"))), timeout=10)
        time.sleep(0.2)  # accepted, its thread waiting for a request line
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            returncode = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            pytest.fail(f"Ctrl+C did not stop the server in 30 s; it said: {server.communicate()[1][-2000:]}")
    idle.close()
    assert returncode == 0
    assert "Traceback" not in server.stderr.read()


def test_no_site_or_a_busy_port_is_one_line(built_site, tmp_path):
    nothing = serve("--site-dir", str(tmp_path), "--port", "0")
    _, said = nothing.communicate(timeout=30)
    assert nothing.returncode == 1 and said.count("\n") == 1 and "make site" in said
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = serve("--site-dir", str(built_site), "--port", str(busy.getsockname()[1]))
        _, said = taken.communicate(timeout=30)
    assert taken.returncode == 1 and said.count("\n") == 1 and "127.0.0.1:" in said
