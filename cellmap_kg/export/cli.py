"""``cellmap-kg export rdf|hcx|neo4j-admin``: write the graph in another format (see ``cellmap_kg.export``).

``register(sub)`` adds the ``export`` command with one sub-command per format to the ``cellmap-kg`` parser.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli.options import add_store_option
from ..sources import DEFAULT_MAP


def cmd_export_rdf(args) -> int:
    from ..store import open_store
    from .rdf import export_rdf

    with open_store(args.store) as store:
        triples = export_rdf(store, args.file, maps=args.map or None, annotations=not args.no_annotations,
                             fmt=args.format)
    print(f"wrote {triples:,} triples to {args.file}")
    return 0


def cmd_export_hcx(args) -> int:
    from ..store import open_store
    from .hcx import export_hcx

    interactions = tuple(t for t in args.interactions.split(",") if t and t != "none")
    with open_store(args.store) as store:
        result = export_hcx(store, args.file, map_id=args.map, interactions=interactions)
    print(f"wrote {result.assemblies} assemblies to {result.hierarchy} and {result.proteins} proteins with "
          f"{result.interactions:,} interactions to {result.interactome}")
    return 0


def cmd_export_neo4j_admin(args) -> int:
    from ..store import open_store
    from .neo4j_admin import IMPORT_SCRIPT, SCHEMA_SCRIPT, export_neo4j_admin

    with open_store(args.store) as store:
        result = export_neo4j_admin(store, args.dir, database=args.database, include=args.only or None)
    total = sum(result.counts.values())
    print(f"wrote {len(result.files)} CSV files ({total:,} rows) to {args.dir}")
    print(f"import (database stopped), then create the constraints with cypher-shell -f {SCHEMA_SCRIPT}:")
    print("  " + result.command(import_dir=args.import_dir))
    print(f"(the same command is in {Path(args.dir) / IMPORT_SCRIPT})")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export rdf``, ``export hcx`` and ``export neo4j-admin`` to the ``cellmap-kg`` sub-parsers ``sub``."""
    export = sub.add_parser("export", help="write the graph as RDF, HCX (Cytoscape) or neo4j-admin CSVs",
                            description="Export the graph for other tools. Formats: rdf, hcx, neo4j-admin.")
    formats = export.add_subparsers(dest="format_command", metavar="FORMAT", required=True)

    p = formats.add_parser("rdf", help="cell maps as RDF (Turtle, N-Triples, RDF/XML, JSON-LD)",
                           description="Assemblies, their hierarchy and members, the members' GO annotations and "
                                       "the vocabulary (docs/rdf.md). Proteins are identifiers.org HGNC IRIs, GO "
                                       "terms OBO PURLs.",
                           epilog="example: cellmap-kg export rdf cellmap.ttl --map U2OS-2023-05")
    p.add_argument("file", type=Path, help="output file; the suffix picks the format (.ttl, .nt, .rdf, .jsonld)")
    p.add_argument("--map", action="append", metavar="MAP", help="only this cell map (repeatable; default all)")
    p.add_argument("--no-annotations", action="store_true", help="leave out the members' GO annotations")
    p.add_argument("--format", default=None, help="rdflib format name, overriding the suffix")
    add_store_option(p)
    p.set_defaults(func=cmd_export_rdf)

    p = formats.add_parser("hcx", help="one cell map as an HCX hierarchy for Cytoscape / the Cell Mapping Toolkit",
                           description="Writes FILE (the hierarchy) and FILE's stem + _interactome.cx2 (the member "
                                       "proteins and their interactions), linked by HCX::interactionNetworkName.",
                           epilog="example: cellmap-kg export hcx u2os.cx2 --map U2OS-2023-05")
    p.add_argument("file", type=Path, help="output .cx2 file of the hierarchy")
    p.add_argument("--map", default=DEFAULT_MAP, help=f"the cell map (Assembly.map; default {DEFAULT_MAP})")
    p.add_argument("--interactions", default="PROXIMAL_TO", metavar="TYPES",
                   help="comma-separated protein-protein relationship types for the interactome "
                        "(PROXIMAL_TO, PULLED_DOWN) or 'none' (default PROXIMAL_TO)")
    add_store_option(p)
    p.set_defaults(func=cmd_export_hcx)

    p = formats.add_parser("neo4j-admin", help="node/relationship CSVs for neo4j-admin database import full",
                           description="Write one CSV per label and relationship type with neo4j-admin headers, "
                                       "the import command (neo4j-admin-import.sh) and the constraints "
                                       "(schema.cypher). The fastest way to load the graph into an empty Neo4j.",
                           epilog="example: cellmap-kg export neo4j-admin ./import --import-dir /import")
    p.add_argument("dir", type=Path, help="output directory (created; must hold no other CSV files)")
    p.add_argument("--database", default="neo4j", help="target database name (default neo4j)")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="only this label or relationship type (repeatable; default everything)")
    p.add_argument("--import-dir", default=None, metavar="PATH",
                   help="directory where neo4j-admin will see the files (e.g. /import in a container); "
                        "default: DIR")
    add_store_option(p)
    p.set_defaults(func=cmd_export_neo4j_admin)
