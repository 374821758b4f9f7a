"""The last stage: MkDocs turns the rendered docs/ into the static site, swapped in whole."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import yaml

from scraper import transaction
from scraper.catalog.inputs import Inputs
from scraper.catalog.model import ScrapeError
from scraper.catalog.store import ROOT
from scraper.site import paths, render
from scraper.site.config import locale_config_name, rebased_to_root
from scraper.site.templating import LOCALES

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


def mkdocs_build(config: Path, site_dir: Path, epoch: int = 0) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(site_dir)]
    env = os.environ | QUIET_ENV | {"SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        command, cwd=config.parent, env=env, capture_output=True, text=True, preexec_fn=transaction.die_with_parent
    )
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
        raise ScrapeError(f"mkdocs build: {problems[0] if problems else result.stderr.strip()[-300:]}")


BUILDERS = ("mkdocs", "zensical")


def zensical_build(config: Path, epoch: int = 0) -> None:
    """Zensical, Material's successor, reads the same mkdocs.yml (and its INHERITed generated part)."""
    zensical = Path(sys.executable).parent / "zensical"
    if not zensical.exists():
        raise ScrapeError("zensical build: Zensical is not installed here (requirements-dev.txt pins it; make install)")
    env = os.environ | {"SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [str(zensical), "build", "-f", str(config)], cwd=config.parent, env=env, capture_output=True, text=True, preexec_fn=transaction.die_with_parent
    )
    if result.returncode != 0:
        lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
        raise ScrapeError(f"zensical build: {lines[-1] if lines else 'failed'}")


def _beside_mkdocs_yml(config: Path, work: Path) -> Path:
    """A language's config copied to the build's top folder, its paths rebased (see config.rebased_to_root)."""
    rebased = work / f".zensical{config.name}"
    mkdocs_yml = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    language = json.loads(config.read_text(encoding="utf-8"))
    rebased.write_text(json.dumps(rebased_to_root(language, mkdocs_yml), ensure_ascii=False), encoding="utf-8")
    return rebased


def prepare_workdir(workdir: Path) -> Path:
    """A folder laid out like the repository's top level, for builds outside it (tests, benchmarks)."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "mkdocs.yml", workdir / "mkdocs.yml")
    # the theme overrides mkdocs.yml names (custom_dir)
    shutil.copytree(ROOT / "templates" / "overrides", workdir / "templates" / "overrides", dirs_exist_ok=True)
    return workdir


def build_into(inputs: Inputs, work: Path, builder: str = "mkdocs") -> tuple[Path, Path]:
    """Render ``inputs`` into work/docs and build work/site from it: outputs nobody sees yet."""
    prepare_workdir(work)
    render.render(inputs, work / "docs")
    build_trees(work, builder, source_date_epoch(inputs.errors))
    return work / "docs", work / "site"


def build_trees(work: Path, builder: str = "mkdocs", epoch: int = 0) -> None:
    """Build the rendered work/docs into work/site: the English tree first (a build empties its site
    folder), then each language's tree into its folder, with its own config."""
    trees = [(work / "mkdocs.yml", work / "site")] + [
        (work / "docs" / config_name, work / "site" / paths.LOCALE_ROOTS[locale])
        for locale, config_name in ((locale, locale_config_name(locale)) for locale in LOCALES[1:])
        if (work / "docs" / config_name).exists()
    ]
    for config, site_dir in trees:
        if builder == "zensical":
            if config.parent != work:
                config = _beside_mkdocs_yml(config, work)
            zensical_build(config, epoch)  # the config's site_dir
        else:
            mkdocs_build(config, site_dir, epoch)


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
