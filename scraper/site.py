"""The last stage: MkDocs turns the rendered docs/ into the static site, swapped in whole."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import render
from .model import ScrapeError
from .store import ROOT

QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def mkdocs_build(config: Path, site_dir: Path) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(site_dir)]
    result = subprocess.run(command, cwd=config.parent, env=os.environ | QUIET_ENV, capture_output=True, text=True)
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
        raise ScrapeError(f"mkdocs build: {problems[0] if problems else result.stderr.strip()[-300:]}")


def prepare_workdir(workdir: Path) -> Path:
    """A folder laid out like the repository's top level, for builds outside it (tests, benchmarks)."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "mkdocs.yml", workdir / "mkdocs.yml")
    return workdir


def build(data: Path, root: Path = ROOT, site_dir: Path | None = None) -> Path:
    """Render data into root/docs, then build root/site (or site_dir); each replaced whole."""
    site_dir = site_dir or root / "site"
    render.render(data, root / "docs")
    staging = site_dir.with_name(f".{site_dir.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        mkdocs_build(root / "mkdocs.yml", staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    render.swap(staging, site_dir)
    return site_dir
