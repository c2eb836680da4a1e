"""cellmap-kg: build, query, analyse, learn on and serve the cell-map knowledge graph.

Every sub-command is thin: it parses arguments, calls one function of the package, and formats the answer.
Run ``cellmap-kg COMMAND --help`` for each command's options and examples.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import __version__
from .options import add_cache_option, add_data_option, add_store_option, cache_dir, positive_int

EPILOG = """\
quick start (embedded FalkorDB store in ./.cellmap-kg, nothing to install by hand):
  cellmap-kg build --data ../shared/data        build the graph from real data, print the flagship answer
  cellmap-kg query --list                        the query library
  cellmap-kg query protein --param symbol=DPP9   everything about one protein
  cellmap-kg stats                               node and relationship counts

store: --store falkordb:///path/to/dir (default ./.cellmap-kg, or $CELLMAP_KG_STORE)
       --store neo4j://localhost:7687  (credentials from $NEO4J_USER / $NEO4J_PASSWORD)
data:  --data DIR (default $CELLMAP_KG_DATA, else ./data); `cellmap-kg fetch` downloads it
"""

FLAGSHIP = "uncharacterized-in-mutated-assemblies"


def _data_dir(args) -> Path:
    from ..sources import default_data_dir
    return args.data if args.data is not None else default_data_dir()


def _open(args):
    from ..store import open_store
    return open_store(args.store)


# --------------------------------------------------------------------------------------------------- commands
def cmd_build(args) -> int:
    from ..build import build
    from ..ui import BuildUI, console, counts_table, skip_table

    data_dir = _data_dir(args)
    store = _open(args)
    console.print(f"building into [bold]{store.uri}[/] from [bold]{data_dir}[/] ({store.backend})")
    with BuildUI(enabled=not args.quiet) as ui:
        result = build(store, data_dir, only=args.source or None, analyses=not args.no_analyses, ui=ui,
                       cache_dir=cache_dir(args), jobs=args.jobs)
    console.print(counts_table(result.counts, title=f"graph built in {result.seconds:.1f} s "
                                                   f"({result.elements:,} elements written)"))
    console.print(skip_table(result.reports))
    if result.analyses:
        from ..analyses.cli import format_summary

        for name, summary in result.analyses.items():
            console.print(f"[bold]{name}[/]")
            console.print("\n".join(format_summary(summary)), markup=False, highlight=False)
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    console.print(f"timings: {timings}")
    if not args.no_answer and not args.source:
        flagship_answer(store)
    store.close()
    return 0


def flagship_answer(store) -> None:
    """Print the answer to the flagship question (query ``FLAGSHIP`` with its declared defaults). If it has no row,
    say which assemblies the default rule found recurrently mutated (query ``mutated-assemblies`` with the same
    thresholds) and print the answer under the flagship's other rule (``frequency``). Every threshold shown is the
    query header's default."""
    from ..queries.registry import get_query
    from ..ui import console, render_rows

    spec = get_query(FLAGSHIP)
    defaults = spec.defaults()
    rows = spec.run(store)
    console.print(f"\n[bold]{spec.question}[/]  (cellmap-kg query {FLAGSHIP})")
    render_rows(rows, "table")
    if rows:
        return
    mutated = get_query("mutated-assemblies").run(store, {"maxQ": defaults["maxQ"], "tumourType":
                                                          defaults["tumourType"], "map": defaults["map"]})
    names = "; ".join(f"{r['assembly']} ({r['name']}, {r['size']} proteins)" for r in mutated) or "none"
    console.print(f"No poorly characterized protein (<= {defaults['maxPublications']} PubMed articles) sits in an "
                  f"assembly of <= {defaults['maxSize']} proteins that HiSig finds recurrently mutated in "
                  f"{defaults['tumourType']} (q <= {defaults['maxQ']}; recurrently mutated: {names}). The same "
                  f"question under the frequency rule (>= {defaults['minFrequency']:.0%} of tumours with a mutated "
                  "member):")
    render_rows(spec.run(store, {"rule": "frequency"}), "table")


def cmd_fetch(args) -> int:
    from ..sources.fetch import fetch
    from ..ui import console

    report = fetch(_data_dir(args), sources=args.source or None, mirror=args.mirror, force=args.force)
    console.print(report.summary() if hasattr(report, "summary") else report)
    return 0 if not getattr(report, "failed", None) else 1


def cmd_query(args) -> int:
    from ..queries.registry import load_queries, run_query
    from ..ui import render_rows

    specs = load_queries()
    if args.list or not args.name:
        rows = [{"name": s.name, "question": s.question,
                 "parameters": ", ".join(f"{p}={v.default!r}" if v.default is not None else f"{p} (required)"
                                         for p, v in s.parameters.items())}
                for s in specs.values()]
        render_rows(rows, args.format)
        return 0
    if args.name not in specs:
        print(f"error: unknown query {args.name!r}; `cellmap-kg query --list` shows the library", file=sys.stderr)
        return 2
    params = specs[args.name].bind(args.param or [])
    with _open(args) as store:
        rows = run_query(store, args.name, **params)
    render_rows(rows, args.format, title=specs[args.name].question)
    return 0


def cmd_stats(args) -> int:
    from ..ui import counts_table

    with _open(args) as store:
        counts = store.counts()
    if args.format == "json":
        print(json.dumps(counts, indent=2))
    else:
        from rich.console import Console
        Console().print(counts_table(counts, title=f"{store.uri}"))
    return 0


def cmd_schema(args) -> int:
    from ..schema.docs import schema_markdown

    sys.stdout.write(schema_markdown())
    return 0


def cmd_store(args) -> int:
    from ..store import open_store, stop_embedded

    if args.action == "stop":
        stop_embedded(args.store)
        print("embedded store stopped")
    else:
        with open_store(args.store) as store:
            counts = store.counts()
        print(json.dumps({"uri": store.uri, "backend": store.backend, "counts": counts}, indent=2))
    return 0


# --------------------------------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of ``cellmap-kg`` with every sub-command."""
    parser = argparse.ArgumentParser(prog="cellmap-kg", description=__doc__.splitlines()[0], epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cellmap-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="build the knowledge graph from the data directory (atomic)",
                       description="Parse every declared source, validate it against the schema, write it into a "
                                   "staging graph, run the graph analyses, then replace the live graph. A failed "
                                   "build leaves the previous graph intact. Prints counts, skipped input and the "
                                   "answer to the flagship question.",
                       epilog="example: cellmap-kg build --data ../shared/data")
    add_data_option(p)
    add_store_option(p)
    p.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable; see sources.yaml)")
    p.add_argument("--no-analyses", action="store_true", help="skip the graph analyses of the default build")
    add_cache_option(p)
    p.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                   help="processes parsing the files and threads of HiSig's permutations (default 2; the graph's "
                        "data is the same for any N; 1 parses in this process only)")
    p.add_argument("--no-answer", action="store_true", help="do not print the flagship answer")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("fetch", help="download the public data files into the data directory",
                       description="Download every declared file from its canonical URL (or from --mirror, a base "
                                   "URL serving the data-directory layout), verifying SHA-256 checksums.",
                       epilog="example: cellmap-kg fetch --data ./data")
    add_data_option(p)
    p.add_argument("--mirror", metavar="URL", help="base URL of a mirror of the data directory")
    p.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    p.add_argument("--force", action="store_true", help="replace files whose checksum is wrong (default: report them)")
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("query", help="run a named query of the library",
                       description="Run a named, parameterised Cypher query from cellmap_kg/queries/.",
                       epilog="examples:\n  cellmap-kg query --list\n"
                              "  cellmap-kg query uncharacterized-in-mutated-assemblies --param maxSize=30\n"
                              "  cellmap-kg query protein --param symbol=DPP9 --format json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", nargs="?", help="query name (see --list)")
    p.add_argument("--list", action="store_true", help="list the queries with their questions and parameters")
    p.add_argument("--param", "-p", action="append", metavar="K=V", help="a query parameter (repeatable)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    add_store_option(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("stats", help="node counts per label and relationship counts per type")
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_store_option(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("schema", help="print the graph schema as Markdown (docs/schema.md)")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("store", help="embedded store: status, or stop the background FalkorDB server")
    p.add_argument("action", choices=("status", "stop"))
    add_store_option(p)
    p.set_defaults(func=cmd_store)

    from .commands import register  # analyses, exports, API and GNN commands

    register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cellmap-kg`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from ..errors import UserError

    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if os.environ.get("CELLMAP_KG_DEBUG"):
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
