"""The last stage: MkDocs turns the rendered docs/ into the static site, swapped in whole."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import yaml

from scraper import transaction
from scraper.catalog.inputs import Inputs
from scraper.catalog.model import ScrapeError
from scraper.catalog.store import ROOT
from scraper.site import paths, render, stylesheets
from scraper.site.config import locale_config_name, rebased_to_root
from scraper.site.templating import DEFAULT_LOCALE, LOCALES

QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def source_date_epoch(data: dict) -> int:
    """The data's own date as SOURCE_DATE_EPOCH, so a rebuild of the same data is byte-identical."""
    for source in data["source"].values():
        stamp = source.get("retrieved_at")
        if not stamp:
            continue
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            try:
                moment = parsedate_to_datetime(stamp)
            except (TypeError, ValueError):
                continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return int(moment.timestamp())
    return 0


@dataclass
class _Running:
    """A builder's process, started; ``finish`` waits for it and names its first complaint."""
    name: str
    process: subprocess.Popen

    def finish(self) -> None:
        out, err = self.process.communicate()
        if self.process.returncode == 0:
            return
        if self.name == "mkdocs":
            problems = [line for line in err.splitlines() if "WARNING" in line or "ERROR" in line]
            raise ScrapeError(f"mkdocs build: {problems[0] if problems else err.strip()[-300:]}")
        lines = [line for line in (out + err).splitlines() if line.strip()]
        raise ScrapeError(f"zensical build: {lines[-1] if lines else 'failed'}")


def _start(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> _Running:
    # dies with its parent: a killed rebuild leaves no builder writing on into its scratch folder
    return _Running(name, subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=transaction.die_with_parent
    ))


def start_mkdocs(config: Path, site_dir: Path, epoch: int = 0) -> _Running:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(site_dir)]
    return _start("mkdocs", command, config.parent, os.environ | QUIET_ENV | {"SOURCE_DATE_EPOCH": str(epoch)})


BUILDERS = ("mkdocs", "zensical")


def start_zensical(config: Path, epoch: int = 0) -> _Running:
    """Zensical, Material's successor, reads the same mkdocs.yml (and its INHERITed generated part)."""
    zensical = Path(sys.executable).parent / "zensical"
    if not zensical.exists():
        raise ScrapeError("zensical build: Zensical is not installed here (requirements-dev.txt pins it; make install)")
    return _start("zensical", [str(zensical), "build", "-f", str(config)], config.parent, os.environ | {"SOURCE_DATE_EPOCH": str(epoch)})


def _beside_mkdocs_yml(config: Path, work: Path, site_dir: Path) -> Path:
    """A language's config copied to the build's top folder, its paths rebased (see config.rebased_to_root),
    building into ``site_dir``."""
    rebased = work / f".zensical{config.name}"
    mkdocs_yml = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    language = json.loads(config.read_text(encoding="utf-8"))
    flat = rebased_to_root(language, mkdocs_yml) | {"site_dir": site_dir.name}
    rebased.write_text(json.dumps(flat, ensure_ascii=False), encoding="utf-8")
    return rebased


def prepare_workdir(workdir: Path) -> Path:
    """A folder laid out like the repository's top level, for builds outside it (tests, benchmarks)."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "mkdocs.yml", workdir / "mkdocs.yml")
    # the theme overrides mkdocs.yml names (custom_dir)
    shutil.copytree(ROOT / "templates" / "overrides", workdir / "templates" / "overrides", dirs_exist_ok=True)
    return workdir


def build_into(inputs: Inputs, work: Path, builder: str = "mkdocs") -> tuple[Path, Path]:
    """Render ``inputs`` into work/docs and build work/site from it, the theme's stylesheets cut to what
    the site uses: outputs nobody sees yet.

    Each language's tree is built as soon as it is rendered, the Chinese one first (the longest build:
    its search index segments the text with jieba) while the English pages are written; each tree is read
    for the stylesheet cut as soon as it is built, and the cut runs once all are (the trees' words pooled).
    The English config goes first: every config inherits it."""
    prepare_workdir(work)
    docs = work / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    epoch = source_date_epoch(inputs.errors)
    languages = render.locales(inputs)
    render.render_english_config(inputs, docs)
    running: list[tuple[_Running, Path]] = []
    try:
        for locale in reversed(languages):
            render.render_tree(inputs, docs, locale)
            running.append(_start_tree(work, builder, locale, epoch))
        built = []
        for build, tree in reversed(running):  # the last started ends first: read it while the others build
            build.finish()
            built.append(stylesheets.read_tree(tree))
        stylesheets.trim(built)
    finally:
        _stop(running)
    _move_into_site(work, languages[1:])
    return docs, work / "site"


def build_trees(work: Path, builder: str = "mkdocs", epoch: int = 0) -> None:
    """Build the rendered work/docs into work/site as it is (the bare builders, for `make bench`): the
    English tree and each language's tree, each with its own config, at once (separate processes)."""
    languages = [locale for locale in LOCALES[1:] if (work / "docs" / locale_config_name(locale)).exists()]
    running: list[tuple[_Running, Path]] = []
    try:
        for locale in [DEFAULT_LOCALE, *languages]:
            running.append(_start_tree(work, builder, locale, epoch))
        for build, _ in running:
            build.finish()
    finally:
        _stop(running)
    _move_into_site(work, languages)


def _start_tree(work: Path, builder: str, locale: str, epoch: int) -> tuple[_Running, Path]:
    """The build of one language's tree, started, and the folder it builds into.  A language's tree
    other than English is built beside site/ (a build empties its own site folder first)."""
    if locale == DEFAULT_LOCALE:
        config, tree = work / "mkdocs.yml", work / "site"
        return (start_zensical(config, epoch) if builder == "zensical" else start_mkdocs(config, tree, epoch)), tree
    config, tree = work / "docs" / locale_config_name(locale), work / f"site.{locale}"
    if builder == "zensical":
        return start_zensical(_beside_mkdocs_yml(config, work, tree), epoch), tree
    return start_mkdocs(config, tree, epoch), tree


def _stop(running: list[tuple[_Running, Path]]) -> None:
    for build, _ in running:
        if build.process.poll() is None:
            build.process.kill()
            build.process.wait()


def _move_into_site(work: Path, languages: list[str]) -> None:
    for locale in languages:
        target = work / "site" / paths.LOCALE_ROOTS[locale].rstrip("/")
        shutil.rmtree(target, ignore_errors=True)  # a builder that leaves its site folder as it was
        (work / f"site.{locale}").rename(target)


def build(inputs: Inputs, txn: transaction.Transaction, site_dir: Path | None = None, builder: str = "mkdocs") -> Path:
    """Render and build in the transaction's scratch folder, then publish docs/ and site/ (or site_dir).

    The caller holds the tree's lock and loads ``inputs`` under it, after the repair of
    an interrupted update, so the build reads the data that update completed.
    """
    site_dir = Path(site_dir) if site_dir else txn.root / "site"
    docs, built = build_into(inputs, txn.work, builder)
    txn.stage_tree(txn.root / "docs", docs)
    txn.stage_tree(site_dir, built)
    txn.commit()
    return site_dir
