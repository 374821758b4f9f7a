"""The data-dependent part of the MkDocs config (docs/.generated.yml): navigation, short-link redirects, footer."""

from __future__ import annotations

import mergedeep
from markupsafe import escape

from scraper.catalog.model import NAME_RE
from scraper.site import paths
from scraper.site.chinese_views import section_title
from scraper.site.markup import md_text, safe_url
from scraper.site.model import Site
from scraper.site.paths import src_of
from scraper.site.templating import labels, tags
from scraper.site.views import data_date

GENERATED_CONFIG = ".generated.yml"  # MkDocs skips dot files: never published


def generated_config(site: Site) -> dict:
    """Navigation, short links and the footer: data-dependent parts of mkdocs.yml (INHERITed)."""
    said = labels(site.locale)
    nav: list = [{str(escape(said.nav["home"])): "index.md"}]
    for page in site.section_pages:
        # The two tables' sections get short labels (their upstream titles run to a paragraph);
        # the theme prints nav labels unescaped.
        label = said.sections.get(page["kind"], section_title(site, page["title"]))
        nav.append({str(escape(label)): page["src"]})
    if site.curated and site.curated.statuses:
        nav.append({str(escape(said.status_titles["other_errors"])): src_of(paths.OTHER_ERRORS_PAGE)})
    nav.append({str(escape(said.nav["changes"])): src_of(paths.CHANGES_PAGE)})
    redirects = short_links(site)
    sources = ", ".join(f"{said.locale(l)} {s['sha256'][:7]}" for l, s in site.data["source"].items())
    first_url = next(iter(site.data["codes"][0]["anchors"].values())).split("#")[0]
    hosted = {"site_url": site.site_url} if site.site_url else {}  # sitemap, canonical links, the 404 page's assets
    return {
        **hosted,
        "nav": nav,
        "plugins": {"redirects": {"redirect_maps": dict(sorted(redirects.items()))}},
        "copyright": str(tags(site.locale).copyright(safe_url(first_url), md_text(said.date(data_date(site.data, site.locale))), md_text(sources))),
        "extra": {"locale": site.locale, "languages": languages(site), "not_found": said.not_found},
    }


def languages(site: Site) -> list[dict]:
    """Each language's tree as seen from this one: its root, relative (or absolute when the site's URL is
    known), for the page's twin link (templates/overrides/main.html) and the sitemap's hreflang alternates
    (templates/overrides/sitemap.xml)."""
    here = paths.LOCALE_ROOTS[site.locale]
    hosted_root = site.site_url[: len(site.site_url) - len(here)] if site.site_url else ""
    trees = []
    for locale, root in paths.LOCALE_ROOTS.items():
        if hosted_root:
            href = hosted_root + root
        else:
            href = ("../" * here.count("/")) + root
        trees.append({"lang": locale, "name": labels(site.locale).locale(locale), "root": href})
    return trees


def locale_config_name(locale: str) -> str:
    """The config of a language's tree, beside the generated English part: docs/.generated.zh-CN.yml."""
    return f".generated.{locale}.yml"


def locale_config(site: Site) -> dict:
    """The config of the tree under zh/: mkdocs.yml (and so the English generated part) inherited,
    then its own folders, language, navigation and footer.  Paths are relative to docs/, where it lives."""
    english = generated_config(site)
    root = paths.LOCALE_ROOTS[site.locale].rstrip("/")
    return {
        "INHERIT": "../mkdocs.yml",
        "site_name": labels(site.locale).site["name"],
        "site_description": labels(site.locale).site["description"],
        "docs_dir": root,
        "site_dir": f"../site/{root}",
        **({"site_url": site.site_url} if site.site_url else {}),
        "theme": {"custom_dir": "../templates/overrides", "language": site.locale},
        "nav": english["nav"],
        # lunr's stemmer stays English (the English terms in Chinese pages); Material's zh separator and
        # jieba's segmentation split the Chinese.  The short links are the English tree's, at the same paths.
        "plugins": {"search": {"lang": "en"}, "redirects": english["plugins"]["redirects"]},
        "copyright": english["copyright"],
        "extra": english["extra"],
    }


def rebased_to_root(config: dict, mkdocs_yml: dict) -> dict:
    """The same language config, whole, as if it stood beside mkdocs.yml, for Zensical: it builds only
    into a folder under its config's own, and it joins an inherited list (the navigation) to the
    child's where MkDocs replaces it.  So its copy is mkdocs.yml with the language's keys laid over,
    no INHERIT left, at the build's top folder (a scratch folder)."""
    child = {key: value for key, value in config.items() if key != "INHERIT"} | {
        "docs_dir": f"docs/{config['docs_dir']}",
        "site_dir": config["site_dir"].removeprefix("../"),
        "theme": config["theme"] | {"custom_dir": "templates/overrides"},
    }
    parent = {key: value for key, value in mkdocs_yml.items() if key != "INHERIT"}
    return mergedeep.merge({}, parent, child)  # what MkDocs's own INHERIT does: mappings merged, the rest replaced


def short_links(site: Site) -> dict[str, str]:
    """Other URLs people type or guess for a page: the code without its minus, the code's and
    the filter's names (as upstream spells them and in lower case), a filter's underscore
    spelling, and section URLs from before their slugs stopped being cut."""
    pages = {src_of(page["url"]) for page in site.section_pages} | {src_of(paths.CHANGES_PAGE), "index.md"}
    redirects: dict[str, str] = {}

    def add(alias: str, target: str) -> None:
        if alias != target and alias not in pages:
            redirects.setdefault(alias, target)  # codes first: a name both use stays the code's

    for code in site.data["codes"] + site.removed_codes():
        target = site.code_src(code["code"])
        pages.add(target)
        for alias in (f"{code['code']}.md", f"{abs(code['code'])}.md", f"codes/{abs(code['code'])}.md"):
            add(alias, target)
        if NAME_RE.match(code["name"]):
            for name in (code["name"], code["name"].lower()):
                add(f"{name}.md", target)
                add(f"codes/{name}.md", target)
    for row in site.data["filter_failures"]:
        target = site.filter_src(row["filter"])
        pages.add(target)
        for name in (row["filter"], row["filter"].lower()):
            add(f"{name}.md", target)
            add(f"filters/{name}.md", target)
    for page in site.section_pages:
        if page["kind"] == "codes":
            old = paths.section_path(paths.section_slug(page["title"], limit=paths.OLD_SECTION_SLUG_LIMIT))
            add(src_of(old), page["src"])
    return redirects
