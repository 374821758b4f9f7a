"""Command line: ``python -m scraper COMMAND``.  Wires the pipeline stages; holds no logic of its own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import fetch, merge, store
from .model import ScrapeError
from .parse import read_source

ROOT = store.ROOT
DEFAULT_SNAPSHOT = "upstream/testnet-errors.snapshot.txt"
DEFAULT_DATA = "data/errors.json"


def scrape(sources: list[str]):
    copies = []
    for source in sources:
        fetched = fetch.read(source)
        copies.extend(read_source(fetched.origin, fetched.body, fetched.retrieved_at))
    return merge.merge(copies)


def cmd_scrape(args: argparse.Namespace) -> int:
    catalog = scrape(args.sources or [DEFAULT_SNAPSHOT])
    store.save(catalog, Path(args.output))
    for locale, consistency in catalog.consistency.items():
        print(consistency.summary(locale), file=sys.stderr)
    print(
        f"wrote {args.output}: {len(catalog.codes)} codes, {len(catalog.engine_messages)} rejection messages, "
        f"{len(catalog.filter_failures)} filter failures",
        file=sys.stderr,
    )
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from . import render

    count = render.render(Path(args.data), Path(args.out))
    print(f"rendered {count} pages into {args.out}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from . import site

    site.build(Path(args.data), ROOT, ROOT / args.site_dir)
    print(f"built {args.site_dir}/", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scraper", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    scrape_cmd = commands.add_parser("scrape", help="parse upstream copies into validated JSON")
    scrape_cmd.add_argument(
        "sources", nargs="*", metavar="SOURCE", help=f"file or URL; format detected (default {DEFAULT_SNAPSHOT})"
    )
    scrape_cmd.add_argument("-o", "--output", default=DEFAULT_DATA, help=f"output JSON (default {DEFAULT_DATA})")
    scrape_cmd.set_defaults(handler=cmd_scrape)

    render_cmd = commands.add_parser("render", help="render the JSON into the Markdown pages MkDocs builds")
    render_cmd.add_argument("--data", default=DEFAULT_DATA, help=f"input JSON (default {DEFAULT_DATA})")
    render_cmd.add_argument("--out", default="docs", help="generated docs folder, replaced whole (default docs)")
    render_cmd.set_defaults(handler=cmd_render)

    build_cmd = commands.add_parser("build", help="render, then build the static site with MkDocs (strict)")
    build_cmd.add_argument("--data", default=DEFAULT_DATA, help=f"input JSON (default {DEFAULT_DATA})")
    build_cmd.add_argument("--site-dir", default="site", help="output folder, replaced whole (default site)")
    build_cmd.set_defaults(handler=cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ScrapeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
