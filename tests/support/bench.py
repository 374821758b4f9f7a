"""`make bench`: medians and ratios, all measured in this one run.  Not a test: nothing here asserts.

Run: make bench (PYTHONPATH=tests python -m support.bench [--repeat N])
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from support import docusaurus, evaluate, pageload, sites
from support.synthetic import scaled_page

from scraper import transaction
from scraper.catalog import store
from scraper.catalog.inputs import Inputs
from scraper.catalog.store import ROOT
from scraper.cli import DOC_OPTIONS, scrape_copies
from scraper.ingest import merge, vendored
from scraper.ingest.parse import read_source
from scraper.site import builder, render, stylesheets

HTML_COPIES = [
    ROOT / "tests" / "fixtures" / "html" / "testnet-errors.f88f5cc.en.html",
    ROOT / "tests" / "fixtures" / "html" / "testnet-errors.f88f5cc.zh-CN.html",
]
SNAPSHOT = ROOT / "upstream" / "testnet-errors.snapshot.txt"
LIVE_PAGE = ROOT / "upstream" / "testnet-errors.en.html"


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    action()  # warm-up: imports, caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def scrape_html_copies() -> None:
    for path in HTML_COPIES:
        read_source(str(path), path.read_bytes())


def page_weight(site_dir: Path, page: Path) -> int:
    """Bytes a first visit downloads for one page: its HTML and the CSS and JS it references."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    total = page.stat().st_size
    for tag in soup.find_all(["link", "script"]):
        ref = tag.get("href") if tag.name == "link" else tag.get("src")
        if not ref or "://" in ref or (tag.name == "link" and "stylesheet" not in (tag.get("rel") or [])):
            continue
        asset = (page.parent / ref.split("?")[0]).resolve()
        if asset.is_file() and site_dir.resolve() in asset.parents:
            total += asset.stat().st_size
    return total


# The pages compared: a code page on each builder, against upstream's error page built by Docusaurus.
CODE_PAGE, ANOTHER_CODE_PAGE, CHINESE_CODE_PAGE = "codes/-1013/", "codes/-1021/", "zh/codes/-1013/"


UPSTREAM = "upstream (Docusaurus 3.10.2)"


def _kib(count: int) -> str:
    return f"{count / 1024:.0f} KiB"


def _served(compressed: bool) -> str:
    return "gzip" if compressed else "uncompressed"


def _built_sites(inputs: Inputs, tmp: Path, repeat: int) -> tuple[dict[str, Path], dict[str, float]]:
    """The same rendered pages built by each builder, each in its own folder, as the pipeline publishes
    them; and the builders' median build times."""
    built: dict[str, Path] = {}
    times: dict[str, float] = {}
    for name in ("mkdocs", "zensical"):
        work = builder.prepare_workdir(tmp / name)
        render.render(inputs, work / "docs")
        times[name] = median_seconds(lambda work=work, name=name: builder.build_trees(work, name), repeat)
        stylesheets.trim_theme_stylesheets(work / "site")  # as the pipeline publishes it
        built[name] = work / "site"
    return built, times


def builder_results(repeat: int) -> list[tuple[str, str]]:
    """Both builders on the same rendered pages: build time; what a first and a repeat visit transfer,
    uncompressed (as `python -m http.server` serves it) and gzip-compressed (as GitHub Pages does);
    and the largest contentful paint on a slow phone.  Each against upstream's error page as a local
    Docusaurus 3.10.2 build of the vendored testnet/errors.md serves it."""
    inputs = Inputs.load(ROOT / "data", docs=vendored.docs_files(ROOT))
    results: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        built, times = _built_sites(inputs, Path(tmp), repeat)
        results.append(("build: Material (mkdocs) / Zensical (median)", f"{times['mkdocs'] * 1000:.0f} ms / {times['zensical'] * 1000:.0f} ms"))
        pages = {"Material": (built["mkdocs"], CODE_PAGE), "Zensical": (built["zensical"], CODE_PAGE)}
        try:
            upstream_site, upstream_page = docusaurus.build_upstream_error_page(Path(tmp) / "docusaurus")
            pages[UPSTREAM] = (upstream_site, upstream_page)
        except docusaurus.Unavailable as reason:
            results.append(("upstream's page built by Docusaurus 3.10.2", f"not measured: {reason}"))
        first: dict[str, dict[bool, pageload.Visit]] = {}
        lcp: dict[str, dict[bool, float]] = {}
        for label, (site, path) in pages.items():
            first[label], lcp[label] = {}, {}
            ours = label != UPSTREAM
            for compressed in (False, True):
                with sites.serve(site, compressed) as url:
                    visits = pageload.visits(url, [path, ANOTHER_CODE_PAGE] if ours else [path])
                    lcp[label][compressed] = pageload.mobile_lcp_ms(url + path, repeat)
                first[label][compressed] = visits[0]
                if ours:
                    again = visits[1]
                    results.append((f"then {ANOTHER_CODE_PAGE} (repeat visit), {label}, {_served(compressed)}",
                                    f"{_kib(again.bytes)} in {again.responses} responses with a body"))
        def versus(measured: dict[str, dict[bool, float]], label: str, compressed: bool) -> str:
            """", 0.44x upstream's", or nothing for upstream itself or without it."""
            if UPSTREAM not in measured or label == UPSTREAM:
                return ""
            return f", {measured[label][compressed] / measured[UPSTREAM][compressed]:.2f}x upstream's"

        first_bytes = {label: {compressed: visit.bytes for compressed, visit in by.items()} for label, by in first.items()}
        for label in pages:
            for compressed in (False, True):
                visit = first[label][compressed]
                results.append((f"first visit to {pages[label][1]}, {label}, {_served(compressed)}",
                                f"{_kib(visit.bytes)} in {visit.responses} responses{versus(first_bytes, label, compressed)}"))
        for label in pages:
            for compressed in (False, True):
                results.append((f"mobile LCP (slow 4G, 4x CPU; median), {label}, {_served(compressed)}",
                                f"{lcp[label][compressed]:.0f} ms{versus(lcp, label, compressed)}"))
        with sites.serve(built["mkdocs"]) as url:
            (chinese,) = pageload.visits(url, [CHINESE_CODE_PAGE])
        results.append((f"first visit to {CHINESE_CODE_PAGE}, Material, uncompressed", f"{_kib(chinese.bytes)} in {chinese.responses} responses"))
    return results


def run(repeat: int) -> list[tuple[str, str]]:
    results: list[tuple[str, str]] = []
    scrape = median_seconds(scrape_html_copies, repeat * 5)
    results.append(("scrape both HTML copies (median)", f"{scrape * 1000:.1f} ms (target < 100 ms)"))

    inputs = Inputs.load(ROOT / "data", docs=vendored.docs_files(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        work = builder.prepare_workdir(Path(tmp))
        render_time = median_seconds(lambda: render.render(inputs, work / "docs"), repeat)
        results.append(("render pages (median)", f"{render_time * 1000:.0f} ms"))
        # both trees (English, and the Chinese one under zh/), each a bare `mkdocs build` of its config
        bare = median_seconds(lambda: builder.build_trees(work, "mkdocs"), repeat)
        results.append(("mkdocs build of rendered pages, both trees (median)", f"{bare * 1000:.0f} ms"))

        def pipeline() -> None:
            scraped = store.catalog_to_dict(merge.merge(scrape_copies([str(SNAPSHOT)])))
            sites.build_in(work, inputs.with_errors(scraped, inputs.changes))

        whole = median_seconds(pipeline, repeat)
        results.append(("snapshot -> built site (median)", f"{whole * 1000:.0f} ms"))
        results.append(("ratio pipeline / bare mkdocs build", f"{whole / bare:.2f} (target <= 1.3)"))
        weight = page_weight(work / "site", work / "site" / "codes" / "-1013" / "index.html")
        upstream = LIVE_PAGE.stat().st_size
        results.append(
            ("one code page: HTML + CSS + JS", f"{weight / 1024:.0f} KiB vs upstream page HTML alone {upstream / 1024:.0f} KiB")
        )
    results.extend(builder_results(repeat))
    results.extend(evaluate.bench_results())  # lookup speed, size, keystroke to result
    results.extend(rebuild_results(max(1, repeat // 2)))
    results.extend(scale_results(repeat))
    return results


def _rebuild_workspace(folder: Path) -> Path:
    """A copy of what a rebuild reads and writes, as committed."""
    import shutil

    for name in ("data", "upstream"):
        shutil.copytree(ROOT / name, folder / name)
    builder.prepare_workdir(folder)
    return folder


def rebuild_results(repeat: int) -> list[tuple[str, str]]:
    """A rebuild that finds one new code, against a loopback upstream; and how long site/ is in transition."""
    import shutil
    import subprocess
    import sys

    fixtures = ROOT / "tests" / "fixtures" / "html"
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        served = Path(tmp) / "upstream"
        served.mkdir()
        shutil.copyfile(fixtures / "testnet-errors.f88f5cc.en.html", served / "en.html")
        shutil.copyfile(fixtures / "testnet-errors.f88f5cc.zh-CN.html", served / "zh-CN.html")
        shutil.copyfile(ROOT / "upstream" / "testnet_filters.md", served / "filters.md")
        shutil.copytree(ROOT / "upstream" / "docs" / "testnet", served / "testnet")
        shutil.copyfile(ROOT / "upstream" / "docs" / "errors_CN.md", served / "errors_CN.md")  # every doc DOC_OPTIONS names
        with sites.serve(served) as base:
            for attempt in range(repeat):
                tree = _rebuild_workspace(Path(tmp) / f"tree-{attempt}")
                command = [sys.executable, "-m", "scraper", "rebuild", "--root", str(tree),
                           "--en", base + "en.html", "--zh", base + "zh-CN.html", "--filters", base + "filters.md",
                           *[arg for doc, option in DOC_OPTIONS.items() for arg in (f"--{option.replace('_', '-')}", base + doc)]]
                start = time.perf_counter()
                subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
                samples.append(time.perf_counter() - start)
        # the published site's one transition: two real site trees exchanged by one renameat2
        first, second = Path(tmp) / "tree-0" / "site", Path(tmp) / "swap"
        shutil.copytree(first, second)

        def swap() -> None:
            transaction.exchange(first, second)

        swap_seconds = median_seconds(swap, 201)
    return [
        ("rebuild: one new code, loopback upstream (median)", f"{statistics.median(samples):.1f} s"),
        ("rebuild: site/ in transition (one renameat2 exchange, median)", f"{swap_seconds * 1e6:.0f} µs; site/ is never missing"),
    ]


def _peak_rss_mib(code: str) -> float:
    """Peak resident memory of a fresh interpreter running ``code`` (its children included)."""
    import subprocess
    import sys

    probe = (
        code
        + "\nimport resource\n"
        + "print(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def scale_results(repeat: int) -> list[tuple[str, str]]:
    """How scrape and build grow with the number of codes (expected: linearly)."""
    real = (ROOT / "tests" / "fixtures" / "html" / "testnet-errors.d6ab31a.en.html").read_text(encoding="utf-8")
    results = []
    base_scrape = base_build = 0.0
    for factor in (1, 10, 100):
        page = scaled_page(real, factor).encode("utf-8")
        seconds = median_seconds(lambda: read_source("synthetic", page), max(1, repeat // factor))
        base_scrape = base_scrape or seconds
        results.append((f"scale {factor}x: scrape ({len(page) / 1e6:.1f} MB)", f"{seconds * 1000:.0f} ms ({seconds / base_scrape:.1f}x the 1x time)"))
    for factor in (1, 10):
        data = store.catalog_to_dict(merge.merge(read_source("synthetic", scaled_page(real, factor).encode("utf-8"))))
        synthetic = Inputs.load(ROOT / "data", docs=vendored.docs_files(ROOT)).with_errors(data)
        with tempfile.TemporaryDirectory() as tmp:
            seconds = median_seconds(lambda: sites.build_in(Path(tmp), synthetic), 1 if factor > 1 else repeat)
        base_build = base_build or seconds
        results.append((f"scale {factor}x: render + build ({len(data['codes'])} codes)", f"{seconds:.1f} s ({seconds / base_build:.1f}x the 1x time)"))
    scrape_100 = (
        "import sys\nsys.path.insert(0, 'tests')\nfrom scraper.ingest.parse import read_source\nfrom support.synthetic import scaled_page\n"
        "page = scaled_page(open('tests/fixtures/html/testnet-errors.d6ab31a.en.html').read(), 100)\n"
        "read_source('synthetic', page.encode())"
    )
    results.append(("scale 100x: peak memory of the scrape", f"{_peak_rss_mib(scrape_100):.0f} MiB"))
    build_1 = (
        "import sys, tempfile, pathlib\nsys.path.insert(0, 'tests')\nfrom support import sites\nfrom scraper.catalog.inputs import Inputs\n"
        "sites.build_in(pathlib.Path(tempfile.mkdtemp()), Inputs.load(pathlib.Path('data')))"
    )
    results.append(("scale 1x: peak memory of render + build", f"{_peak_rss_mib(build_1):.0f} MiB"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="samples per median (default 5)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    results = run(args.repeat)
    if args.json:
        print(json.dumps(dict(results), indent=2))
    else:
        width = max(len(name) for name, _ in results)
        for name, value in results:
            print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
