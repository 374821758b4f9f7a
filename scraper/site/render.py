"""errors.json -> the Markdown pages, assets and generated config MkDocs builds.

The generated ``docs/`` is an output, written whole into a scratch folder that
``scraper.transaction`` publishes, so a failed render leaves the previous one in place.  Pages are
built from view models made here; templates only lay them out.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from scraper.catalog import statusdefs, store
from scraper.catalog.inputs import Inputs
from scraper.catalog.store import dumps
from scraper.search import search_index
from scraper.site import feed, paths, status_views
from scraper.site.config import GENERATED_CONFIG, generated_config, locale_config, locale_config_name
from scraper.site.facts_views import published_data
from scraper.site.markup import md_text
from scraper.site.model import Curated, Site
from scraper.site.templating import ASSETS, DEFAULT_LOCALE, TEMPLATES, install_locale
from scraper.site.views import (
    changes_page,
    code_page,
    footer_view,
    home_page,
    removed_code_page,
    row_page,
    section_page,
    table_index_page,
)


def environment(locale: str = DEFAULT_LOCALE) -> Environment:
    def finalize(value):
        # Anything not already made safe by a filter is upstream text: escape it for Markdown.
        return value if isinstance(value, Markup) or isinstance(value, (int, float)) else md_text(value)

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # a translated wording is the project's own text (Markup); `| text` escapes it for Markdown
    # where the English once went through finalize as a plain string
    env.filters["text"] = lambda value: md_text(str(value))
    return install_locale(env, locale)


def _site(inputs: Inputs, curated: "Curated", locale: str) -> Site:
    site_url = f"{inputs.site_url}{paths.LOCALE_ROOTS[locale]}" if inputs.site_url else ""
    return Site.of(inputs.shown, inputs.changes, curated, site_url, locale, inputs.chinese)


def build_pages(inputs: Inputs, curated: "Curated | None" = None, locale: str = DEFAULT_LOCALE) -> dict[str, str]:
    """Page source path -> content, for every page of the site in ``locale`` (paths relative to its tree)."""
    curated = curated or Curated.of(inputs, locale)
    site = _site(inputs, curated, locale)
    data = site.data
    env = environment(locale)
    pages: dict[str, str] = {}

    def put(template: str, view: dict) -> None:
        if view["src"] in pages:
            raise ValueError(f"two pages claim {view['src']}")
        pages[view["src"]] = env.get_template(template).render(page=view, footer=footer_view(site, view["src"]))

    put("home.md.j2", home_page(site))
    for page in site.section_pages:
        if page["kind"] == "codes":
            put("section.md.j2", section_page(site, page))
    for kind in ("filters", "messages"):
        put("table_index.md.j2", table_index_page(site, kind))
    for code in data["codes"]:
        put("code.md.j2", code_page(site, code))
    for row in data["filter_failures"] + data["engine_messages"]:
        put("row.md.j2", row_page(site, row))
    for code in site.removed_codes():
        put("removed_code.md.j2", removed_code_page(site, code))
    put("changes.md.j2", changes_page(site))
    statuses = curated.statuses
    if statuses:
        put("other_errors.md.j2", status_views.other_errors_page(site, statuses))
        for page in statusdefs.http_pages(statuses):
            put("http_status.md.j2", status_views.http_page(site, page))
        anchor = statuses["anchors"]["testnet/web-socket-streams.md › Error Messages"]
        for error in statuses["stream_errors"]:
            put("stream_error.md.j2", status_views.stream_error_page(site, error, anchor))
        put("reasons.md.j2", status_views.reject_reasons_page(site, statuses))
        put("reasons.md.j2", status_views.session_reject_page(site, statuses))
    pages["changes/feed.xml"] = feed.atom_feed(site.history, f"{site.site_url}{paths.CHANGES_PAGE}" if site.site_url else "./", locale)
    pages.update(_config_files(site, locale))
    return pages


def _config_files(site: Site, locale: str) -> dict[str, str]:
    if locale == DEFAULT_LOCALE:
        return {GENERATED_CONFIG: json.dumps(generated_config(site), ensure_ascii=False, indent=2) + "\n"}
    return {f"../{locale_config_name(locale)}": json.dumps(locale_config(site), ensure_ascii=False, indent=2) + "\n"}


def locales(inputs: Inputs) -> list[str]:
    """The languages the site is rendered in: English, and Chinese when its guidance is given."""
    return [DEFAULT_LOCALE] + (["zh-CN"] if inputs.guidance_zh is not None else [])


def render(inputs: Inputs, out_dir: Path) -> None:
    """Write the whole generated docs tree at out_dir (replacing what is there): the English pages,
    and under zh/ the same pages in Chinese, each tree with its assets, data files and search index.

    Publishing it is the caller's job (``transaction``): out_dir is a scratch folder.
    """
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    for locale in locales(inputs):
        render_tree(inputs, out_dir, locale)


def render_english_config(inputs: Inputs, out_dir: Path) -> None:
    """out_dir/.generated.yml alone, before any page: every language's config inherits it (through
    mkdocs.yml), so another language's tree can be built while the English pages are written."""
    site = _site(inputs, Curated.of(inputs, DEFAULT_LOCALE), DEFAULT_LOCALE)
    for src, content in _config_files(site, DEFAULT_LOCALE).items():
        (out_dir / src).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / src).write_text(content, encoding="utf-8")


def render_tree(inputs: Inputs, out_dir: Path, locale: str) -> None:
    """One language's tree of out_dir: its pages and config, assets, data files and search index.
    The English config, written first (render_english_config), is not written again: a build may be reading it."""
    curated = Curated.of(inputs, locale)
    tree = out_dir / paths.LOCALE_ROOTS[locale]
    shutil.copytree(ASSETS, tree / "assets")
    for src, content in build_pages(inputs, curated, locale).items():
        path = tree / src
        if path.is_file():
            if path.read_text(encoding="utf-8") != content:
                raise ValueError(f"{path}: rendered twice, differently")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    # errors.json and statuses.json hold the English guidance's retry classes: the same in both trees
    (tree / "errors.json").write_text(dumps(published_data(inputs.errors, curated.facts)), encoding="utf-8")
    if inputs.statuses:  # the statuses and stream errors, for tools, beside errors.json
        (tree / "statuses.json").write_text(dumps(inputs.statuses), encoding="utf-8")
        shutil.copyfile(statusdefs.SCHEMA_PATH, tree / "statuses.schema.json")
    search_index.write_index(inputs, tree / search_index.INDEX_PATH, locale)
    shutil.copyfile(store.SCHEMA_PATH, tree / "errors.schema.json")
