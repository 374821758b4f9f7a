"""The data-dependent part of the MkDocs config (docs/.generated.yml): navigation, short-link redirects, footer."""

from __future__ import annotations

from markupsafe import escape

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
    nav.append({"What changed upstream": src_of(paths.CHANGES_PAGE)})
    redirects: dict[str, str] = {}
    for code in site.data["codes"] + site.removed_codes():
        target = site.code_src(code["code"])
        for alias in (f"{code['code']}.md", f"{abs(code['code'])}.md", f"codes/{abs(code['code'])}.md"):
            if alias != target:
                redirects[alias] = target
    for row in site.data["filter_failures"]:
        redirects[f"filters/{row['filter']}.md"] = site.filter_src(row["filter"])
    sources = ", ".join(f"{labels().locale(l)} {s['sha256'][:7]}" for l, s in site.data["source"].items())
    first_url = next(iter(site.data["codes"][0]["anchors"].values())).split("#")[0]
    return {
        "nav": nav,
        "plugins": {"redirects": {"redirect_maps": dict(sorted(redirects.items()))}},
        "copyright": str(tags().copyright(safe_url(first_url), md_text(data_date(site.data)), md_text(sources))),
    }
