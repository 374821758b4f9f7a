"""Command line: ``python -m scraper COMMAND``.  Wires the pipeline stages; holds no logic of its own."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path

from scraper import rebuild, transaction
from scraper.catalog import changes, filterdefs, guidance, statusdefs, store, upstream_docs
from scraper.catalog.inputs import Inputs, checked_site_url
from scraper.catalog.model import DEFAULT_DOC_URLS, DEFAULT_FILTERS_URL, DEFAULT_PAGE_URLS, ParsedCopy, ScrapeError
from scraper.ingest import fetch, guards, merge, vendored
from scraper.ingest.parse import read_source
from scraper.ingest.parse.filters import read_filters_source
from scraper.search import lookup_lines, resolve, search_index
from scraper.site import builder, render
from scraper.site.serve import site_server

ROOT = store.ROOT
DEFAULT_DATA = "data/errors.json"
DEFAULT_INPUTS = "data"
DEFAULT_FILTERS_SOURCE = "upstream/testnet_filters.md"
DEFAULT_STATUSES = "data/statuses.json"
# rebuild's options for upstream's other doc pages (make: UPSTREAM_REST_API, UPSTREAM_WS_API, ...)
DOC_OPTIONS = {
    "testnet/rest-api.md": "rest_api",
    "testnet/web-socket-api.md": "ws_api",
    "testnet/web-socket-streams.md": "ws_streams",
    "testnet/user-data-stream.md": "user_data_stream",
    "testnet/fix-api.md": "fix_api",
    "errors_CN.md": "translation",
}
DEFAULT_FILTERS = "data/filters.json"
DEFAULT_GUIDANCE = "data/guidance.yaml"
DEFAULT_GUIDANCE_ZH = "data/guidance.zh-CN.yaml"


def write_output(path: Path, content: str, command: str) -> None:
    """One output file: inside the repository through its transaction (lock, repair, atomic
    publish); elsewhere (a scratch file) by a plain atomic rename."""
    if not path.resolve().is_relative_to(ROOT):
        store.write_atomic(path, content)
        return
    with transaction.exclusive(ROOT, command) as txn:
        txn.stage_file(path.resolve(), content)
        txn.commit()


def scrape_copies(sources: list[str]) -> list[ParsedCopy]:
    """The copies the sources hold: sources as given, or the vendored snapshot (under the origins its manifest records)."""
    items = [fetch.read(source) for source in sources] if sources else vendored.read_vendored(ROOT)
    copies = []
    for fetched in items:
        copies.extend(read_source(fetched.origin, fetched.body, fetched.retrieved_at))
    return copies


def cmd_scrape(args: argparse.Namespace) -> int:
    copies = scrape_copies(args.sources)
    catalog = merge.merge(copies)
    output = Path(args.output)
    # the same guard as rebuild: data already there is not replaced by a copy that lost codes or rows
    guards.refuse_drop(guards.previous_data(output), copies, args.allow_removal)
    data = store.catalog_to_dict(catalog)
    store.validate(data, str(output))
    write_output(output, store.dumps(data), "scrape")
    for locale, consistency in catalog.consistency.items():
        print(consistency.summary(locale), file=sys.stderr)
    print(
        f"wrote {args.output}: {len(catalog.codes)} codes, {len(catalog.engine_messages)} rejection messages, "
        f"{len(catalog.filter_failures)} filter failures",
        file=sys.stderr,
    )
    return 0


def load_inputs(args: argparse.Namespace) -> Inputs:
    return Inputs.load(Path(args.inputs), errors=Path(args.data), docs=vendored.docs_files(ROOT), site_url=getattr(args, "site_url", ""))


def cmd_render(args: argparse.Namespace) -> int:
    out = Path(args.out).resolve()
    checked_site_url(getattr(args, "site_url", ""))  # a bad argument is refused before the tree is locked
    with transaction.exclusive(ROOT, "render") as txn:
        render.render(load_inputs(args), txn.work / "docs")
        pages = sum(1 for _ in (txn.work / "docs").rglob("*.md"))
        txn.stage_tree(out, txn.work / "docs")
        txn.commit()
    print(f"rendered {pages} pages into {args.out}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    checked_site_url(getattr(args, "site_url", ""))  # a bad argument is refused before the tree is locked
    with transaction.exclusive(ROOT, "build") as txn:
        builder.build(load_inputs(args), txn, ROOT / args.site_dir, args.builder)
    print(f"built {args.site_dir}/", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    site = ROOT / args.site_dir
    if not (site / "index.html").is_file():
        raise ScrapeError(f"{args.site_dir}/: no built site here; `make site` builds it")
    try:
        server = site_server(site, args.port)
    except OSError as error:
        raise ScrapeError(f"127.0.0.1:{args.port}: {error.strerror or error}") from None
    # Python leaves Ctrl+C ignored where it started ignored (a job a shell put in the background, some
    # test runners' workers): the server would then never stop.  Ctrl+C stops it wherever it runs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with server:
        print(f"serving {args.site_dir}/ (both trees) on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def cmd_scrape_filters(args: argparse.Namespace) -> int:
    fetched = fetch.read(args.source)
    page = read_filters_source(fetched.origin, fetched.body, args.page_url, fetched.retrieved_at)
    data = filterdefs.page_to_dict(page)
    filterdefs.validate(data, args.output)
    write_output(Path(args.output), store.dumps(data), "scrape-filters")
    print(f"wrote {args.output}: {len(page.filters)} filters, anchors into {page.page_url}", file=sys.stderr)
    return 0


def cmd_scrape_statuses(args: argparse.Namespace) -> int:
    files = vendored.docs_files(ROOT) | {doc: Path(path) for doc, path in (item.split("=", 1) for item in args.doc)}
    data = statusdefs.scrape(files)
    statusdefs.validate(data, args.output)
    write_output(Path(args.output), store.dumps(data), "scrape-statuses")
    print(
        f"wrote {args.output}: {len(data['http'])} HTTP statuses, {len(data['stream_errors'])} stream error codes, "
        f"{len(data['reject_reasons'])} reject reasons, {len(data['session_reject_reasons'])} FIX session reject reasons",
        file=sys.stderr,
    )
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    data = store.load(Path(args.data))
    filters = filterdefs.load(Path(args.filters))
    statuses = statusdefs.load(Path(args.statuses))
    curated = guidance.load(Path(args.guidance))
    report = guidance.coverage(curated, data, filters, origin=args.guidance, statuses=statuses)
    print(report.report())
    guidance.require_known(curated, data, filters, origin=args.guidance)  # an unknown key fails the build
    guidance.require_known_statuses(curated, statuses, origin=args.guidance)
    unsourced = guidance.unsourced(curated)
    broken = guidance.source_problems(curated, upstream_docs.load(vendored.docs_files(ROOT)))
    entries = sum(len(curated.get(section) or {}) for section in guidance.ALL_SECTIONS)
    print(f"{'sourced':<16} {entries - len(unsourced):>4}/{entries}")
    for line in unsourced:
        print(f"no source: {line}")
    for line in broken:
        print(f"source does not hold: {line}")
    chinese = guidance.load_translation(Path(args.guidance_zh))
    translated = sum(key in (chinese or {}).get(section, {}) for section in guidance.ALL_SECTIONS for key in curated.get(section) or {})
    out_of_step = guidance.translation_problems(curated, chinese or {}, origin=args.guidance_zh)
    print(f"{'zh-CN':<16} {translated:>4}/{entries}" + (" complete" if translated == entries else ""))
    for line in out_of_step:
        print(f"zh-CN: {line}")
    return 1 if broken or (args.strict and (not report.complete or unsourced or out_of_step)) else 0


def cmd_wordings(args: argparse.Namespace) -> int:
    wordings = search_index.extract_wordings(search_index.read_history(Path(args.history)))
    write_output(Path(args.output), store.dumps(wordings), "wordings")
    print(f"wrote {args.output}: {len(wordings['codes'])} code wordings, {len(wordings['rows'])} rows", file=sys.stderr)
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    inputs = load_inputs(args)
    if args.wordings:
        inputs = replace(inputs, wordings=json.loads(Path(args.wordings).read_text(encoding="utf-8")))
    if args.no_history:
        inputs = replace(inputs, wordings=None)
    index = search_index.index_for(inputs)
    match = resolve.resolve(index, args.text)
    if match is None or match.kind in ("not-found", "other-product"):
        print(lookup_lines.not_found_line(match, args.text, index["as_of"], index))
        return 1
    print(json.dumps(match.to_dict(), ensure_ascii=False))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Replay upstream versions, oldest first, into a fresh changelog; then the committed data."""
    versions = []
    for source in args.versions:
        fetched = fetch.read(source)
        data = store.catalog_to_dict(merge.merge(read_source(fetched.origin, fetched.body)))
        versions.append((*changes.version_of_file_name(source), data))
    history = changes.replay(versions, store.load(Path(args.data)), origin=args.data)
    write_output(Path(args.output), store.dumps(history), "history")
    print(f"wrote {args.output}: {len(history['entries'])} entries", file=sys.stderr)
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    options = rebuild.Options(
        en_url=args.en,
        zh_url=args.zh,
        filters_url=args.filters,
        doc_urls={doc: getattr(args, option) for doc, option in DOC_OPTIONS.items()},
        policy=fetch.HttpPolicy(timeout=args.timeout, attempts=args.attempts, backoff=args.backoff),
        allow_english_only=args.allow_english_only,
        allow_removal=args.allow_removal,
        site_url=args.site_url,
    )
    outcome = rebuild.rebuild(Path(args.root), options)
    print(outcome.message)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scraper", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    scrape_cmd = commands.add_parser("scrape", help="parse upstream copies into validated JSON")
    scrape_cmd.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="file or URL; format detected (default: the vendored snapshot, upstream/manifest.json)"
    )
    scrape_cmd.add_argument("-o", "--output", default=DEFAULT_DATA, help=f"output JSON (default {DEFAULT_DATA})")
    scrape_cmd.add_argument(
        "--allow-removal", action="store_true",
        help="replace existing output even when more than 10%% of a copy's codes or rows are gone from it",
    )
    scrape_cmd.set_defaults(handler=cmd_scrape)

    filters_cmd = commands.add_parser("scrape-filters", help="parse upstream's filters page into validated JSON")
    filters_cmd.add_argument(
        "source", nargs="?", default=DEFAULT_FILTERS_SOURCE, metavar="SOURCE",
        help=f"filters.md file or URL (default {DEFAULT_FILTERS_SOURCE}); which upstream page it is, main or testnet, is read from its content",
    )
    filters_cmd.add_argument("-o", "--output", default=DEFAULT_FILTERS, help=f"output JSON (default {DEFAULT_FILTERS})")
    filters_cmd.add_argument("--page-url", help="the upstream page the anchors point into (default: detected from the content)")
    filters_cmd.set_defaults(handler=cmd_scrape_filters)

    statuses_cmd = commands.add_parser(
        "scrape-statuses", help="parse the HTTP statuses, stream errors and reject reasons of upstream's other doc pages"
    )
    statuses_cmd.add_argument(
        "--doc", action="append", default=[], metavar="UPSTREAM_PATH=FILE",
        help="read this upstream doc from FILE instead of its vendored copy (testnet/rest-api.md=rest-api.md)",
    )
    statuses_cmd.add_argument("-o", "--output", default=DEFAULT_STATUSES, help=f"output JSON (default {DEFAULT_STATUSES})")
    statuses_cmd.set_defaults(handler=cmd_scrape_statuses)

    coverage_cmd = commands.add_parser("coverage", help="which codes, filters and messages still lack guidance")
    coverage_cmd.add_argument("--guidance", default=DEFAULT_GUIDANCE, help=f"(default {DEFAULT_GUIDANCE})")
    coverage_cmd.add_argument("--data", default=DEFAULT_DATA, help=f"(default {DEFAULT_DATA})")
    coverage_cmd.add_argument("--filters", default=DEFAULT_FILTERS, help=f"(default {DEFAULT_FILTERS})")
    coverage_cmd.add_argument("--statuses", default=DEFAULT_STATUSES, help=f"(default {DEFAULT_STATUSES})")
    coverage_cmd.add_argument("--guidance-zh", default=DEFAULT_GUIDANCE_ZH, help=f"the Chinese guidance (default {DEFAULT_GUIDANCE_ZH})")
    coverage_cmd.add_argument("--strict", action="store_true", help="also fail while any entry is missing")
    coverage_cmd.set_defaults(handler=cmd_coverage)

    render_cmd = commands.add_parser("render", help="render the JSON into the Markdown pages MkDocs builds")
    render_cmd.add_argument("--data", default=DEFAULT_DATA, help=f"input JSON (default {DEFAULT_DATA})")
    render_cmd.add_argument("--inputs", default=DEFAULT_INPUTS, help=f"folder of the other inputs: filters, guidance, ccxt's table, past wordings, changelog (default {DEFAULT_INPUTS})")
    render_cmd.add_argument("--out", default="docs", help="generated docs folder, replaced whole (default docs)")
    render_cmd.add_argument("--site-url", default=os.environ.get("SITE_URL", ""), help="the hosted site's root URL (default $SITE_URL; none: relative links)")
    render_cmd.set_defaults(handler=cmd_render)

    build_cmd = commands.add_parser("build", help="render, then build the static site with MkDocs (strict)")
    build_cmd.add_argument("--data", default=DEFAULT_DATA, help=f"input JSON (default {DEFAULT_DATA})")
    build_cmd.add_argument("--inputs", default=DEFAULT_INPUTS, help=f"folder of the other inputs: filters, guidance, ccxt's table, past wordings, changelog (default {DEFAULT_INPUTS})")
    build_cmd.add_argument("--site-dir", default="site", help="output folder, replaced whole (default site)")
    build_cmd.add_argument("--builder", choices=builder.BUILDERS, default="mkdocs", help="mkdocs (Material, the default) or zensical")
    build_cmd.add_argument("--site-url", default=os.environ.get("SITE_URL", ""), help="the hosted site's root URL (default $SITE_URL; none: relative links)")
    build_cmd.set_defaults(handler=cmd_build)

    serve_cmd = commands.add_parser("serve", help="serve the built site on 127.0.0.1, as a static host does (make serve)")
    serve_cmd.add_argument("--site-dir", default="site", help="the built site (default site)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free one)")
    serve_cmd.set_defaults(handler=cmd_serve)

    history_cmd = commands.add_parser("history", help="replay upstream versions (oldest first) into a changelog")
    history_cmd.add_argument("versions", nargs="+", metavar="VERSION", help="files named DATE_VERSION.md, oldest first")
    history_cmd.add_argument("--data", default=DEFAULT_DATA, help="the data the replay must end on")
    history_cmd.add_argument("-o", "--output", default="data/changes.json")
    history_cmd.set_defaults(handler=cmd_history)

    rebuild_cmd = commands.add_parser("rebuild", help="fetch upstream, and replace data, snapshot and site all or nothing")
    rebuild_cmd.add_argument("--en", default=DEFAULT_PAGE_URLS["en"], help="URL of the English page")
    rebuild_cmd.add_argument("--zh", default=DEFAULT_PAGE_URLS["zh-CN"], help="URL of the zh-CN page")
    rebuild_cmd.add_argument("--filters", default=DEFAULT_FILTERS_URL, help="URL of the filters page's Markdown")
    for doc, option in DOC_OPTIONS.items():
        rebuild_cmd.add_argument(f"--{option.replace('_', '-')}", dest=option, default=DEFAULT_DOC_URLS[doc], help=f"URL of {doc}'s Markdown")
    rebuild_cmd.add_argument("--timeout", type=float, default=20.0, help="seconds per request (default 20)")
    rebuild_cmd.add_argument("--attempts", type=int, default=3, help="tries per page (default 3)")
    rebuild_cmd.add_argument("--backoff", type=float, default=1.0, help="seconds before the first retry, doubled after")
    rebuild_cmd.add_argument("--allow-english-only", action="store_true", help="publish the English copy when zh-CN fails")
    rebuild_cmd.add_argument("--allow-removal", action="store_true", help="accept a drop of more than 10%% of codes or rows")
    rebuild_cmd.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    rebuild_cmd.add_argument("--site-url", default=os.environ.get("SITE_URL", ""), help="the hosted site's root URL (default $SITE_URL; none: relative links)")
    rebuild_cmd.set_defaults(handler=cmd_rebuild)

    lookup_cmd = commands.add_parser("lookup", help="the page for a pasted error: code, name, message or log line")
    lookup_cmd.add_argument("text", metavar="TEXT", help="what the user pasted")
    lookup_cmd.add_argument("--data", default=DEFAULT_DATA, help=f"input JSON (default {DEFAULT_DATA})")
    lookup_cmd.add_argument("--inputs", default=DEFAULT_INPUTS, help=f"folder of the other inputs: filters, guidance, ccxt's table, past wordings, changelog (default {DEFAULT_INPUTS})")
    lookup_cmd.add_argument("--wordings", help="old wordings users still paste (default: the inputs folder's)")
    lookup_cmd.add_argument("--no-history", action="store_true", help="current wordings only")
    lookup_cmd.set_defaults(handler=cmd_lookup)

    wordings_cmd = commands.add_parser("wordings", help="extract every past wording from upstream's history")
    wordings_cmd.add_argument("history", metavar="DIR", help="folder of old copies: one subfolder per upstream file")
    wordings_cmd.add_argument("-o", "--output", default="data/past-wordings.json")
    wordings_cmd.set_defaults(handler=cmd_wordings)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ScrapeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a write outside a transaction: a plain scratch file, a pipe
        print(f"error: {error.filename or 'output'}: {error.strerror or error}", file=sys.stderr)
        return 1
