"""``cellmap-kg neo4j install | start | stop | status``: the project's own Neo4j 5 server (``neo4j_server``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

EPILOG = """\
examples:
  cellmap-kg neo4j start                       install (Maven Central) if needed, start, wait for Bolt
  cellmap-kg build --store bolt://127.0.0.1:7687 --data ../shared/data
  cellmap-kg neo4j status                      pid, Bolt URI, Browser URL, password file
  cellmap-kg neo4j import --from falkordb:///abs/.cellmap-kg
                                               load a built graph with neo4j-admin (atomic swap)
  cellmap-kg neo4j stop
  cellmap-kg neo4j install                     jars (Maven Central), then a class-data-sharing archive of
                                               them (once, ~1 min): every later start ~30% faster
  cellmap-kg neo4j install --with-gds          also Neo4j Graph Data Science 2.13 (open-source modules, Maven
                                               Central) into <home>/plugins: the GDS baselines of `gnn evaluate --gds`

`cellmap-kg build --store <this server's bolt URI>` and `neo4j import` are atomic: the new graph is written into
a second instance in <home>/staging and swapped in by renaming folders; a failed or killed build leaves the
live graph as it was (see cellmap_kg/store/neo4j_rebuild.py).

The password of user neo4j is $NEO4J_PASSWORD at install time, else generated, printed once and stored in
<home>/password; --store bolt://127.0.0.1:<bolt port> finds it there. Needs java (17+) and mvn on PATH; without
them: docker compose -f docker/docker-compose.yml up neo4j.
"""


def cmd_neo4j(args) -> int:
    from .neo4j_server import Neo4jServer

    server = Neo4jServer(args.home, bolt_port=args.bolt_port, http_port=args.http_port, heap_max=args.heap,
                         pagecache=args.pagecache)
    if args.action == "install":
        server.install(force=args.force, with_gds=args.with_gds, cds=True)
        print(f"Neo4j installed in {server.home}" + (" with Graph Data Science" if server.gds_installed() else ""))
    elif args.action == "start":
        if args.with_gds:
            server.install(with_gds=True)
        server.start()
        print(f"Neo4j running (pid {server.pid()}): --store {server.uri}  Browser {server.browser_url}")
    elif args.action == "stop":
        from .neo4j_rebuild import discard_staging

        discard_staging(server)  # a staging instance left by an interrupted build, if any
        print("Neo4j stopped" if server.stop() else f"no Neo4j running in {server.home}")
    elif args.action == "import":
        return _cmd_import(server, args)
    else:
        print(json.dumps(server.status(), indent=2))
    return 0


def _cmd_import(server, args) -> int:
    from ..export.neo4j_admin import load_into_server
    from . import open_store
    from .base import StoreError

    if not args.source:
        raise StoreError("neo4j import needs --from URI: the store holding the graph to load "
                         "(e.g. --from falkordb:///abs/.cellmap-kg)")
    with open_store(args.source) as source:
        export, result = load_into_server(source, server, csv_dir=args.csv)
    primary = [label for label in result.counts["nodes"] if label in source.schema.nodes]
    nodes = sum(result.counts["nodes"][label] for label in primary)
    rels = sum(result.counts["relationships"].values())
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    print(f"imported {len(export.files)} CSV files from {args.source} into {server.home}: {nodes:,} nodes "
          f"and {rels:,} relationships ({timings})")
    print(f"Neo4j running (pid {server.pid()}): --store {server.uri}  Browser {server.browser_url}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``neo4j`` to the ``cellmap-kg`` sub-parsers ``sub``."""
    from .neo4j_server import default_home

    p = sub.add_parser("neo4j", help="the project's own Neo4j 5 server: install | start | stop | status | import",
                       description="Resolve Neo4j 5.26 LTS Community and Neo4j Browser from Maven Central into a "
                                   "home folder, configure it (127.0.0.1 only, authentication on, memory for a "
                                   "2-core 24 GiB machine, usage reporting off), and run it in the background.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("install", "start", "stop", "status", "import"))
    p.add_argument("--home", type=Path, default=default_home(),
                   help="the server's folder (default ./.cellmap-kg/neo4j or $CELLMAP_KG_NEO4J_HOME)")
    p.add_argument("--bolt-port", type=int, default=None,
                   help="Bolt port on 127.0.0.1 (default 7687, or as configured)")
    p.add_argument("--http-port", type=int, default=None, help="HTTP/Browser port on 127.0.0.1 (default 7474)")
    p.add_argument("--heap", default="2g", help="max JVM heap (default 2g)")
    p.add_argument("--pagecache", default="1g", help="page cache size (default 1g)")
    p.add_argument("--force", action="store_true", help="install: resolve the jars again")
    p.add_argument("--with-gds", action="store_true", dest="with_gds",
                   help="install, start: also install Neo4j Graph Data Science (OpenGDS 2.13 from Maven Central) "
                        "into <home>/plugins and allow its procedures (a running server needs a restart)")
    p.add_argument("--from", dest="source", metavar="URI",
                   help="import: the store whose graph to load (e.g. falkordb:///abs/.cellmap-kg)")
    p.add_argument("--csv", type=Path, metavar="DIR",
                   help="import: keep the neo4j-admin CSV files in DIR (default: a temporary folder, deleted)")
    p.set_defaults(func=cmd_neo4j)
