"""`make serve` (python -m scraper serve): the built site as a static host serves it, both trees and the
404 page; a missing site or a busy port is one line."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.request
from urllib.error import HTTPError

import pytest
from conftest import ROOT


def serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scraper", "serve", *args], cwd=ROOT, stderr=subprocess.PIPE, text=True)


def test_both_trees_and_the_404_page_are_served(built_site):
    server = serve("--site-dir", str(built_site), "--port", "0")
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", server.stderr.readline()).group(0)
        for path in ("codes/-1013/", "zh/codes/-1013/", "assets/javascripts/resolver.js"):
            assert urllib.request.urlopen(url + path, timeout=10).status == 200, path
        with pytest.raises(HTTPError) as missing:
            urllib.request.urlopen(url + "codes/-9999/", timeout=10)
        assert missing.value.code == 404 and b"data-errref-not-found" in missing.value.read()
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C
        returncode = server.wait(timeout=10)
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
