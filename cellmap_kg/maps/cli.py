"""``cellmap-kg map add | list | remove | compare``: your own cell maps in the graph (``cellmap_kg.maps``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..cli.options import add_data_option, add_store_option

EPILOG = """\
examples:
  cellmap-kg map add hierarchy.cx2 --map CM4AI-2024                      HCX; HCX::members via the parent
                                                                       interactome next to it, or a member list
  cellmap-kg map add run.nodes --map my-hidef --names names.tsv          HiDeF (.edges next to .nodes)
  cellmap-kg map add hierarchy.ont --map my-ddot                         DDOT
  cellmap-kg map list
  cellmap-kg map compare U2OS-2023-05 OpenCell-HEK293T
  cellmap-kg query map-specific-assemblies --param otherMap=OpenCell-HEK293T
  cellmap-kg map remove CM4AI-2024
"""


def _print(summary: dict, as_json: bool) -> None:
    from ..analyses.cli import format_summary

    if as_json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        print("\n".join(format_summary(summary, indent="")), flush=True)


def cmd_map(args) -> int:
    from ..store import open_store
    from . import add_map, compare_maps, list_maps, remove_map

    with open_store(args.store) as store:
        if args.action == "list":
            from ..ui import render_rows

            render_rows(list_maps(store), "json" if args.json else "table", title="cell maps")
            return 0
        if args.action == "add":
            from ..analyses.registry import AnalysisOptions
            from ..sources import default_data_dir

            data_dir = args.data if args.data is not None else default_data_dir()
            result = add_map(store, args.file, args.map, fmt=args.format_in, edges=args.edges, parent=args.parent,
                             names=args.names, data_dir=data_dir, analyses=not args.no_analyses,
                             options=AnalysisOptions(data_dir=data_dir, permutations=args.permutations,
                                                     seed=args.seed, jobs=max(1, args.jobs)))
            summary = result.summary()
            if not args.json:
                print(result.report.summary())
            _print(summary, args.json)
            return 0
        if args.action == "remove":
            _print(remove_map(store, args.map), args.json)
            return 0
        _print(compare_maps(store, args.map_a, args.map_b, shared_proteins=args.shared_proteins), args.json)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``map`` (``add``, ``list``, ``remove``, ``compare``) to the ``cellmap-kg`` sub-parsers ``sub``."""
    from .files import FORMATS

    p = sub.add_parser("map", help="your own cell maps: add, list, remove, compare",
                       description="Add a cell map (HCX/CX2, HiDeF .nodes/.edges, DDOT .ont) to the graph "
                                   "atomically, list or remove maps, or compare two maps (best match of every "
                                   "assembly by Jaccard index, written as MATCHES).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("add", help="add a map file as a new map (atomic)",
                           description="Read the map (format from the content, or --format), resolve member names "
                                       "to HGNC symbols (unresolved ones are reported), stage and verify it, run the "
                                       "map-level analyses (annotation, size, multi-localization, "
                                       "mutation-frequency, hisig) and commit it in one statement.")
    a.add_argument("file", type=Path, metavar="FILE", help="hierarchy file (.cx2, .nodes or .ont)")
    a.add_argument("--map", required=True, metavar="NAME", help="name of the new map, e.g. HEK293-2024")
    a.add_argument("--format", dest="format_in", choices=FORMATS, default=None,
                   help="file format (default: detected from the content)")
    a.add_argument("--edges", type=Path, default=None, metavar="FILE",
                   help="HiDeF .edges file (default: FILE with suffix .edges)")
    a.add_argument("--parent", type=Path, default=None, metavar="FILE",
                   help="HCX parent interactome .cx2 that HCX::members index (default: the file named by "
                        "HCX::interactionNetworkName next to FILE, if present)")
    a.add_argument("--names", type=Path, default=None, metavar="FILE",
                   help="LLM-name table: cluster_id, size, persistence, llm_name (tab-separated)")
    a.add_argument("--no-analyses", action="store_true", help="do not run the map-level analyses")
    a.add_argument("--permutations", type=int, default=1000, help="HiSig permutations (default 1000)")
    a.add_argument("--seed", type=int, default=0, help="seed of the HiSig permutations (default 0)")
    a.add_argument("--jobs", type=int, default=2, help="HiSig worker processes / threads (default 2)")
    add_data_option(a)

    actions.add_parser("list", help="the maps in the graph (library query `maps`)")
    r = actions.add_parser("remove", help="remove a map added with `map add` (atomic)")
    r.add_argument("map", metavar="NAME")
    c = actions.add_parser("compare", help="best match of every assembly of A in B and of B in A (MATCHES)")
    c.add_argument("map_a", metavar="A")
    c.add_argument("map_b", metavar="B")
    c.add_argument("--shared-proteins", action="store_true",
                   help="compare member sets restricted to the proteins both maps hold")
    for q in (a, actions.choices["list"], r, c):
        q.add_argument("--json", action="store_true", help="print JSON instead of text")
        add_store_option(q)
    p.set_defaults(func=cmd_map)
