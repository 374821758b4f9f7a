"""Upstream's error page as upstream's site builds it, for `make bench` to compare against: a local
Docusaurus 3.10.2 build of the vendored upstream/docs/testnet/errors.md.

Docusaurus comes from the npm registry, pinned by tests/docusaurus/package.json and package-lock.json
(installed with `npm ci`, as tests/a11y/ installs axe-core); the config is tests/docusaurus/docusaurus.config.js.
Every file the build writes (its .docusaurus cache included) stays under the caller's workdir.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "tests" / "docusaurus"
SOURCE = ROOT / "upstream" / "docs" / "testnet" / "errors.md"
CLI = PROJECT / "node_modules" / "@docusaurus" / "core" / "bin" / "docusaurus.mjs"
PAGE = "errors/"  # where errors.md lands, with `routeBasePath: '/'`


class Unavailable(RuntimeError):
    """Docusaurus could not be installed or run here; the message is one line saying why."""


def _run(command: list[str], what: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    try:
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, text=True, timeout=900)
    except FileNotFoundError:
        raise Unavailable(f"{command[0]} is needed for {what}: apt-get install -y npm") from None
    except subprocess.TimeoutExpired:
        raise Unavailable(f"{what} took longer than 15 minutes") from None
    except subprocess.CalledProcessError as failed:
        raise Unavailable(f"{what} failed: {_reason(failed.stdout + failed.stderr) or f'exit {failed.returncode}'}") from None


def _reason(output: str) -> str:
    """The most telling line of a failure: the innermost cause Docusaurus logs, else the first error line."""
    lines = [line.strip() for line in output.splitlines()]
    causes = [line.split("[cause]:", 1)[1].strip() for line in lines if "[cause]:" in line]
    errors = [line for line in lines if "error" in line.lower()]
    return causes[-1] if causes else errors[0] if errors else ""


def _install() -> None:
    """`npm ci` when node_modules is missing or older than package-lock.json."""
    installed = PROJECT / "node_modules" / ".package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= (PROJECT / "package-lock.json").stat().st_mtime:
        return
    if shutil.which("npm") is None:
        raise Unavailable("npm is needed to install Docusaurus: apt-get install -y npm")
    command = ["npm", "ci", "--prefix", str(PROJECT), "--no-audit", "--no-fund", "--loglevel=error"]
    _run(command, "npm ci of tests/docusaurus (is the npm registry reachable?)")


def build_upstream_error_page(workdir: Path) -> tuple[Path, str]:
    """Build upstream's error page with Docusaurus under ``workdir``; return the built site's folder
    and the page's path within it (served as a URL path, its file is ``<folder>/errors/index.html``)."""
    _install()
    workdir = workdir.resolve()
    docs, site, build = workdir / "docs", workdir / "site", workdir / "build"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, docs / SOURCE.name)
    # The site folder holds the generated .docusaurus files; Docusaurus resolves React from its node_modules.
    site.mkdir(exist_ok=True)
    if not (site / "node_modules").is_symlink():
        (site / "node_modules").symlink_to(PROJECT / "node_modules", target_is_directory=True)
    env = {**os.environ, "DOCS_DIR": str(docs), "NO_UPDATE_NOTIFIER": "1", "BROWSERSLIST_IGNORE_OLD_DATA": "1"}
    command = ["node", str(CLI), "build", str(site), "--config", str(PROJECT / "docusaurus.config.js"), "--out-dir", str(build)]
    _run(command, "the Docusaurus build", cwd=site, env=env)
    if not (build / PAGE / "index.html").is_file():
        raise Unavailable(f"the Docusaurus build wrote no {PAGE}index.html")
    return build, PAGE
