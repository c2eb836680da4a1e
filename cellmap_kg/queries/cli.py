"""Sub-commands of the query library beyond ``cellmap-kg query``: ``export-queries`` writes every query as a Neo4j
Browser script, ``docs-queries`` writes docs/queries.md with example output from a built graph.

``register(sub)`` adds them to the ``cellmap-kg`` sub-parsers; like every command they only parse arguments and
call one function (:func:`cellmap_kg.queries.publish.export_for_browser`, :func:`.publish.queries_markdown`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli.options import add_store_option

DOCS_FILE = Path("docs") / "queries.md"


def cmd_export_queries(args) -> int:
    """Write ``<DIR>/<name>.cypher`` Browser scripts for the whole library; print how many and where."""
    from .publish import export_for_browser
    from .registry import load_queries

    written = export_for_browser(load_queries(), args.out_dir)
    print(f"wrote {len(written)} Neo4j Browser scripts to {args.out_dir} (drag one into Browser, or paste it with "
          "multi-statement mode on)")
    return 0


def cmd_docs_queries(args) -> int:
    """Write the Markdown reference of the library, with example output from ``--store`` unless ``--no-examples``."""
    from .publish import example_outputs, queries_markdown
    from .registry import load_queries

    specs = load_queries()
    examples = None
    if not args.no_examples:
        from ..store import open_store

        with open_store(args.store) as store:
            examples = example_outputs(store, specs, timeout_ms=args.timeout_ms)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(queries_markdown(specs, examples, max_rows=args.max_rows), encoding="utf-8")
    shown = f", example output of {len(examples)}" if examples is not None else ""
    print(f"wrote {args.out} ({len(specs)} queries{shown})", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export-queries`` and ``docs-queries`` to the ``cellmap-kg`` sub-parser collection ``sub``."""
    p = sub.add_parser("export-queries", help="write every library query as a Neo4j Browser script",
                       description="Write DIR/<name>.cypher for every query of the library: the question and "
                                   "parameters as comments, one ':param name => value;' line per parameter, then "
                                   "the query. Drag a file into Neo4j Browser, or paste it with multi-statement "
                                   "mode on.",
                       epilog="example: cellmap-kg export-queries browser-queries/")
    p.add_argument("out_dir", type=Path, metavar="DIR", help="output directory (created if needed)")
    p.set_defaults(func=cmd_export_queries)

    p = sub.add_parser("docs-queries", help="write docs/queries.md from the query headers, with example output",
                       description="Generate the Markdown reference of the query library from the .cypher headers "
                                   "(question, description, parameters with types, defaults and units, columns, "
                                   "the Cypher) with each query's output for its header 'example' parameters, run "
                                   "on the graph in --store.",
                       epilog="example: cellmap-kg docs-queries --store falkordb:///path/to/store")
    p.add_argument("--out", type=Path, default=DOCS_FILE, metavar="FILE", help=f"output file (default {DOCS_FILE})")
    add_store_option(p, "graph to run the examples on")
    p.add_argument("--no-examples", action="store_true", help="headers only; do not run the queries")
    p.add_argument("--max-rows", type=int, default=10, metavar="N", help="example rows shown per query (default 10)")
    p.add_argument("--timeout-ms", type=int, default=60000, metavar="MS",
                   help="time limit of each example query (default 60000)")
    p.set_defaults(func=cmd_docs_queries)
