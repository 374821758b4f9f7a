"""How well lookup lands on the right page: ``make eval`` (``PYTHONPATH=tests python -m support.evaluate [--site] [--bench]``).

Reads the eval sets of ``tests/fixtures/eval/`` (see its README): the shared dev set of real
pasted errors and this project's own collection, split into a dev half and a held-out half
that is never tuned on and is reported apart.  Resolves each with the Python resolver, and
with ``--browser`` also with ``resolver.js`` in Chromium, and prints top-1 accuracy, per
class of paste where the set has classes, and every miss.  ``--bench`` adds speed and size.  The browser runs are the same
harness the twin test uses: a temporary folder with the script, the index and a
tiny page, served on a loopback port.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from support import sites
from support.chromium import CHROMIUM, chromium

from scraper.catalog import store
from scraper.catalog.inputs import Inputs
from scraper.ingest import vendored
from scraper.search import resolve, search_index

ROOT = store.ROOT
EVAL_FOLDER = ROOT / "tests" / "fixtures" / "eval"
EVAL_PATH = EVAL_FOLDER / "pasted-errors-dev.tsv"
# This project's own collection (tests/fixtures/eval/README.md), split once by class: the dev half
# may be tuned on, the held-out half never is, and make eval reports it apart.
COLLECTED_DEV_PATH = EVAL_FOLDER / "collected-dev.tsv"
HOLDOUT_PATH = EVAL_FOLDER / "collected-holdout.tsv"
HTTP_PATH = EVAL_FOLDER / "collected-http.tsv"  # HTTP status pastes, collected after the split: tuned on
# A second collection (2026-12-08), split the same way before anything was changed for it.
COLLECTED2_DEV_PATH = EVAL_FOLDER / "collected-2-dev.tsv"
COLLECTED2_HOLDOUT_PATH = EVAL_FOLDER / "collected-2-holdout.tsv"
EVAL_SETS = (
    ("dev, tuned on: shared pasted errors", EVAL_PATH),
    ("dev, tuned on: own collection", COLLECTED_DEV_PATH),
    ("dev, tuned on: own HTTP status pastes", HTTP_PATH),
    ("held out, never tuned on: own collection", HOLDOUT_PATH),
    ("dev, tuned on: second collection", COLLECTED2_DEV_PATH),
    ("held out, never tuned on: second collection", COLLECTED2_HOLDOUT_PATH),
)
DATA_PATH = ROOT / "data" / "errors.json"
SIZE_BUDGET = 150_000  # index + script, uncompressed, bytes


@dataclass(frozen=True)
class Case:
    input: str
    expected_code: int | None  # None: the reference does not have it (NONE, or other:<product>, in the file)
    expected_message: str | None  # when given, the page must be this message's page
    source_url: str
    expected_product: str | None = None  # other:<product>: another Binance API's code, named as that product's
    expected_path: str | None = None  # http:<page> or ws-streams:<code>: the page of a status or stream error
    kind: str = "pasted"  # the class of paste (exact, old-wording, typo, chinese, ...); the shared set has none
    origin: str = "real"  # real: pasted somewhere (source_url); constructed: written here from a source


def load_cases(path: Path = EVAL_PATH) -> list[Case]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    cases = []
    for row in rows:
        expected = row["expected_code"]
        product = expected.removeprefix("other:") if expected.startswith("other:") else None
        kind, _, page = expected.partition(":")
        path = f"{kind}/{page}/" if kind in ("http", "ws-streams") else None
        cases.append(
            Case(
                input=row["input"],
                expected_code=None if expected == "NONE" or product or path else int(expected),
                expected_message=row["expected_message"] or None,
                source_url=row["source_url"],
                expected_product=product,
                expected_path=path,
                kind=row.get("class") or "pasted",
                origin=row.get("origin") or "real",
            )
        )
    return cases


def _page_messages(data: dict, answer: dict) -> set[str]:
    """The messages a page stands for, as keys: a code page's messages and heading, or the row's text."""
    if answer["kind"] == "code":
        code = next(c for c in data["codes"] if c["code"] == answer["code"])
        return {search_index.message_key(m["plain"]) for m in code["messages"]} | {search_index.message_key(code["name"])}
    return {search_index.message_key(answer["message"])}


def judge(data: dict, case: Case, answer: dict | None) -> bool:
    """Right page?  A text the reference lacks must not land anywhere; one it has must land on its code's page,
    or on a row page that code (or, when the text names no code, any of the row's codes) carries; and an
    expected message must be on that page: a code page listing it, or the message's own row page."""
    if case.expected_product is not None:
        return answer is not None and answer["kind"] == "other-product" and case.expected_product in answer["products"]
    if case.expected_path is not None:
        return answer is not None and answer["path"] == case.expected_path
    if case.expected_code is None:  # no Spot page: another product's code, an HTTP status or stream error page
        return answer is None or answer["kind"] in ("not-found", "other-product", "http", "ws-stream")
    if answer is None or answer["kind"] == "not-found":
        return False
    code_ok = answer["code"] == case.expected_code or (answer["code"] is None and case.expected_code in answer["codes"])
    if not code_ok:
        return False
    return case.expected_message is None or search_index.message_key(case.expected_message) in _page_messages(data, answer)


@dataclass
class Report:
    label: str
    correct: int
    total: int
    misses: list[tuple[Case, dict | None]]

    cases: list[Case] = field(default_factory=list)

    def by_class(self) -> dict[str, tuple[int, int]]:
        """(correct, total) per class of paste, in the order classes first appear."""
        missed = {id(case) for case, _ in self.misses}
        counts: dict[str, list[int]] = {}
        for case in self.cases:
            tally = counts.setdefault(case.kind, [0, 0])
            tally[0] += id(case) not in missed
            tally[1] += 1
        return {kind: (right, total) for kind, (right, total) in counts.items()}

    def lines(self) -> list[str]:
        out = [f"{self.label}: {self.correct}/{self.total} top-1 correct ({100 * self.correct / self.total:.1f}%)"]
        classes = self.by_class()
        if len(classes) > 1:
            out.append("  by class: " + ", ".join(f"{kind} {right}/{total}" for kind, (right, total) in classes.items()))
        for case, answer in self.misses:
            expected = (
                f"other:{case.expected_product}" if case.expected_product
                else case.expected_path if case.expected_path
                else "NONE" if case.expected_code is None else str(case.expected_code)
            )
            if case.expected_message:
                expected += f" {case.expected_message!r}"
            got = "nothing" if answer is None else f"{answer['kind']} {answer['code']} {answer['path'] or ','.join(answer.get('products', []))}"
            made = "" if case.origin == "real" else ", constructed"
            out.append(f"  miss [{case.kind}{made}]: {case.input[:110]!r}\n        expected {expected}; got {got}  ({case.source_url})")
        return out


def report(label: str, data: dict, cases: list[Case], answers: list[dict | None]) -> Report:
    misses = [(case, answer) for case, answer in zip(cases, answers) if not judge(data, case, answer)]
    return Report(label, len(cases) - len(misses), len(cases), misses, list(cases))


def python_answers(index: dict, inputs: list[str]) -> list[dict | None]:
    answers = []
    for text in inputs:
        match = resolve.resolve(index, text)
        answers.append(match.to_dict() if match else None)
    return answers


# --- the browser twin ---------------------------------------------------------

_HARNESS_PAGE = """<!doctype html>
<meta charset="utf-8">
<title>resolver.js harness</title>
<script src="resolver.js"></script>
<script>
fetch("search-index.json")
  .then(function (response) { return response.json(); })
  .then(function (index) {
    var start = performance.now();
    ErrorResolver.load(index);
    window.harnessLoadMs = performance.now() - start;
    window.harnessReady = true;
  })
  .catch(function (error) { window.harnessError = String(error); });
</script>
"""


@contextmanager
def harness(index: dict) -> Iterator[str]:
    """A temporary folder with resolver.js, the index and a page that loads both, served on 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="resolver-harness-") as folder:
        root = Path(folder)
        shutil.copyfile(search_index.SCRIPT_SOURCE, root / "resolver.js")
        (root / "search-index.json").write_text(search_index.dumps_index(index), encoding="utf-8")
        (root / "index.html").write_text(_HARNESS_PAGE, encoding="utf-8")
        with sites.serve(root) as url:
            yield url + "index.html"


def open_harness(browser: Any, url: str) -> Any:
    """A page with ErrorResolver loaded; script errors fail loudly rather than read as misses."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("() => window.harnessReady === true || window.harnessError !== undefined")
    failure = page.evaluate("window.harnessError") or (errors[0] if errors else None)
    if failure:
        raise RuntimeError(f"resolver.js failed to load: {failure}")
    return page


def browser_answers(page: Any, inputs: list[str]) -> list[dict | None]:
    return page.evaluate("inputs => inputs.map(text => ErrorResolver.resolve(text))", inputs)


def browser_median_ms(page: Any, inputs: list[str], rounds: int = 31) -> float:
    """Median over rounds of (time to resolve every input) / inputs: browser timers are too coarse for one call."""
    per_round = page.evaluate(
        """([inputs, rounds]) => {
            const times = [];
            for (let r = 0; r < rounds; r++) {
                const start = performance.now();
                for (const text of inputs) ErrorResolver.resolve(text);
                times.push((performance.now() - start) / inputs.length);
            }
            return times;
        }""",
        [inputs, rounds],
    )
    return statistics.median(per_round)


# --- the site's own search box -------------------------------------------------------

_READ_BEST_MATCH = """() => {
    const box = document.querySelector("[data-errref-best]");
    if (!box || box.hidden) return null;
    const d = box.dataset;
    return {
        kind: d.kind,
        code: d.code === undefined ? null : Number(d.code),
        codes: d.codes ? d.codes.split(",").map(Number) : [],
        message: d.message === undefined ? null : d.message,
        path: d.path === undefined ? null : d.path,
        products: d.products ? d.products.split(",") : [],
    };
}"""


def inputs_of(data_path: Path) -> Inputs:
    """The inputs folder the data file sits in, around that data file, with the vendored upstream docs."""
    return Inputs.load(Path(data_path).parent, errors=Path(data_path), docs=vendored.docs_files(ROOT))


@contextmanager
def built_site(data_path: Path = DATA_PATH) -> Iterator[str]:
    """The real site of ``data_path``, built in a temporary folder and served on 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="eval-site-") as folder:
        with sites.serve(sites.build_in(Path(folder), inputs_of(data_path))) as url:
            yield url


def open_site_search(browser: Any, base_url: str) -> Any:
    """A site page with its header search box focused and the resolver loaded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url)
    page.locator(".md-search__input").click()  # the index loads when the box is used
    page.wait_for_selector("html[data-errref-ready]", state="attached", timeout=15000)
    if errors:
        raise RuntimeError(f"the site's scripts failed: {errors[0]}")
    return page


def site_answers(page: Any, inputs: list[str]) -> list[dict | None]:
    """Type each input into the header search box, as a user pastes it, and read the best match shown."""
    answers = []
    for text in inputs:
        page.fill(".md-search__input", text)
        answers.append(page.evaluate(_READ_BEST_MATCH))
    return answers


def keystroke_to_results_ms(page: Any, inputs: list[str]) -> float:
    """Median time from the last key of an input to the best match painted, over the inputs."""
    page.evaluate(
        """() => {
            const input = document.querySelector(".md-search__input");
            input.addEventListener("keydown", () => { window.__keyAt = performance.now(); window.__shownAt = 0; }, true);
            const observer = new MutationObserver(() => {
                requestAnimationFrame(() => { if (!window.__shownAt) window.__shownAt = performance.now(); });
            });
            observer.observe(document.querySelector(".md-search-result"), {subtree: true, childList: true, attributes: true, characterData: true});
        }"""
    )
    times = []
    for text in inputs:
        if len(text) < 2:
            continue
        page.fill(".md-search__input", text[:-1])
        page.evaluate("() => { window.__shownAt = 0; }")
        page.keyboard.press(text[-1] if text[-1] != " " else "Space")
        # poll from outside: the site's CSP forbids the eval wait_for_function would use
        deadline = time.monotonic() + 5
        while not page.evaluate("window.__shownAt > 0") and time.monotonic() < deadline:
            time.sleep(0.002)
        times.append(page.evaluate("window.__shownAt - window.__keyAt"))
    return statistics.median(times)


# --- benchmarks -----------------------------------------------------------------


def bench_lookup(data_path: Path = DATA_PATH, seconds: float = 1.0) -> dict[str, float | int]:
    """Python lookups per second over every eval set's inputs in one process, and what the browser downloads."""
    index = search_index.index_for(inputs_of(data_path))
    inputs = [case.input for _, path in EVAL_SETS for case in load_cases(path)]
    for text in inputs:  # compile the index and warm the caches outside the clock
        resolve.resolve(index, text)
    done = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        for text in inputs:
            resolve.resolve(index, text)
        done += len(inputs)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    index_bytes = len(search_index.dumps_index(index).encode("utf-8"))
    script_bytes = search_index.SCRIPT_SOURCE.stat().st_size
    return {
        "lookups_per_second": done / elapsed,
        "lookups_per_cpu_second": done / cpu,  # steadier than wall time on a busy machine
        "index_bytes": index_bytes,
        "script_bytes": script_bytes,
        "total_bytes": index_bytes + script_bytes,
    }


def bench_browser(data_path: Path = DATA_PATH) -> dict[str, float]:
    """Chromium: median milliseconds per resolve over the eval inputs, and the time ErrorResolver.load took."""
    index = search_index.index_for(inputs_of(data_path))
    inputs = [case.input for case in load_cases()]
    with harness(index) as url, chromium() as browser:
        page = open_harness(browser, url)
        browser_answers(page, inputs)  # warm up the JIT
        median = browser_median_ms(page, inputs)
        return {"median_ms_per_resolve": median, "load_ms": page.evaluate("window.harnessLoadMs")}


def bench_results() -> list[tuple[str, str]]:
    """(name, value) rows for ``make bench`` (support.bench calls this)."""
    python = bench_lookup()
    speed = f"{python['lookups_per_second']:,.0f} lookups/s, {python['lookups_per_cpu_second']:,.0f} per CPU second"
    size = f"{python['total_bytes'] / 1024:.0f} KiB ({python['index_bytes']:,} + {python['script_bytes']:,} B)"
    rows = [
        ("lookup: python resolver, eval inputs", f"{speed} (target >= 10,000)"),
        ("lookup: index + resolver.js, uncompressed", f"{size} (budget {SIZE_BUDGET // 1000} KB)"),
    ]
    if CHROMIUM.exists():
        browser = bench_browser()
        per_resolve = f"{browser['median_ms_per_resolve'] * 1000:.0f} us per resolve"
        rows.append(("lookup: resolver.js in Chromium (median)", per_resolve))
        rows.append(("lookup: ErrorResolver.load in Chromium", f"{browser['load_ms']:.1f} ms"))
        inputs = [case.input for case in load_cases()]
        with built_site() as url, chromium() as chrome:
            page = open_site_search(chrome, url)
            shown = keystroke_to_results_ms(page, inputs)
        rows.append(("search box: last keystroke to best match painted (median)", f"{shown:.1f} ms (target <= 50 ms)"))
    return rows


# --- command line -----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--browser", action="store_true", help="also run resolver.js in Chromium")
    parser.add_argument("--site", action="store_true", help="also type every input into the built site's search box")
    parser.add_argument("--bench", action="store_true", help="also print speed and size")
    parser.add_argument("--data", default=str(DATA_PATH), help="errors.json (default data/errors.json)")
    args = parser.parse_args(argv)

    loaded = inputs_of(Path(args.data))
    data, index = loaded.errors, search_index.index_for(loaded)
    sets = [(label, load_cases(path)) for label, path in EVAL_SETS]
    reports: list[Report] = []
    for label, cases in sets:
        reports.append(report(f"{label} · command line (python resolver, as `lookup`)", data, cases, python_answers(index, [c.input for c in cases])))
    browser_ms: float | None = None
    if args.browser or args.bench:
        with harness(index) as url, chromium() as browser:
            page = open_harness(browser, url)
            for label, cases in sets:
                answers = browser_answers(page, [c.input for c in cases])
                if args.browser:
                    reports.append(report(f"{label} · browser (resolver.js in Chromium)", data, cases, answers))
            if args.bench:
                browser_ms = browser_median_ms(page, [c.input for c in sets[0][1]])
    if args.site:
        with built_site(Path(args.data)) as url, chromium() as chrome:
            page = open_site_search(chrome, url)
            for label, cases in sets:
                reports.append(report(f"{label} · site search box (Chromium)", data, cases, site_answers(page, [c.input for c in cases])))
    for item in reports:
        print("\n".join(item.lines()))
    if args.bench:
        bench = bench_lookup(Path(args.data))
        speed = f"{bench['lookups_per_second']:,.0f} lookups/s, {bench['lookups_per_cpu_second']:,.0f} per CPU second"
        print(f"python: {speed} (one process, eval inputs)")
        print(
            f"size: index {bench['index_bytes']:,} B + script {bench['script_bytes']:,} B = {bench['total_bytes']:,} B "
            f"(budget {SIZE_BUDGET:,} B)"
        )
        print(f"browser: {browser_ms:.4f} ms per resolve (median of rounds over the eval inputs)")
    return 0  # a report, not a gate: tests/test_resolve.py holds the dev sets' floors


if __name__ == "__main__":
    sys.exit(main())
