"""The data-dependent part of the MkDocs config (docs/.generated.yml): navigation, short-link redirects, footer."""

from __future__ import annotations

from markupsafe import escape

from scraper.catalog.model import NAME_RE
from scraper.site import paths
from scraper.site.markup import md_text, safe_url
from scraper.site.model import Site
from scraper.site.paths import src_of
from scraper.site.templating import labels, tags
from scraper.site.views import data_date

GENERATED_CONFIG = ".generated.yml"  # MkDocs skips dot files: never published


def generated_config(site: Site) -> dict:
    """Navigation, short links and the footer: data-dependent parts of mkdocs.yml (INHERITed)."""
    nav: list = [{"Home": "index.md"}]
    for page in site.section_pages:
        # The two tables' sections get short labels (their upstream titles run to a paragraph);
        # the theme prints nav labels unescaped.
        label = labels().sections.get(page["kind"], page["title"])
        nav.append({str(escape(label)): page["src"]})
    if site.curated and site.curated.statuses:
        nav.append({str(escape(labels().status_titles["other_errors"])): src_of(paths.OTHER_ERRORS_PAGE)})
    nav.append({"What changed upstream": src_of(paths.CHANGES_PAGE)})
    redirects = short_links(site)
    sources = ", ".join(f"{labels().locale(l)} {s['sha256'][:7]}" for l, s in site.data["source"].items())
    first_url = next(iter(site.data["codes"][0]["anchors"].values())).split("#")[0]
    hosted = {"site_url": site.site_url} if site.site_url else {}  # sitemap, canonical links, the 404 page's assets
    return {
        **hosted,
        "nav": nav,
        "plugins": {"redirects": {"redirect_maps": dict(sorted(redirects.items()))}},
        "copyright": str(tags().copyright(safe_url(first_url), md_text(data_date(site.data)), md_text(sources))),
    }


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
