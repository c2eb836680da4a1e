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
  cellmap-kg neo4j stop

The password of user neo4j is $NEO4J_PASSWORD at install time, else generated, printed once and stored in
<home>/password; --store bolt://127.0.0.1:<bolt port> finds it there. Needs java (17+) and mvn on PATH; without
them: docker compose -f docker/docker-compose.yml up neo4j.
"""


def cmd_neo4j(args) -> int:
    from .neo4j_server import Neo4jServer

    server = Neo4jServer(args.home, bolt_port=args.bolt_port, http_port=args.http_port, heap_max=args.heap,
                         pagecache=args.pagecache)
    if args.action == "install":
        server.install(force=args.force)
        print(f"Neo4j installed in {server.home}")
    elif args.action == "start":
        server.start()
        print(f"Neo4j running (pid {server.pid()}): --store {server.uri}  Browser {server.browser_url}")
    elif args.action == "stop":
        print("Neo4j stopped" if server.stop() else f"no Neo4j running in {server.home}")
    else:
        print(json.dumps(server.status(), indent=2))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``neo4j`` to the ``cellmap-kg`` sub-parsers ``sub``."""
    from .neo4j_server import default_home

    p = sub.add_parser("neo4j", help="the project's own Neo4j 5 server: install | start | stop | status",
                       description="Resolve Neo4j 5.26 LTS Community and Neo4j Browser from Maven Central into a "
                                   "home folder, configure it (127.0.0.1 only, authentication on, memory for a "
                                   "2-core 24 GiB machine, usage reporting off), and run it in the background.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("install", "start", "stop", "status"))
    p.add_argument("--home", type=Path, default=default_home(),
                   help="the server's folder (default ./.cellmap-kg/neo4j or $CELLMAP_KG_NEO4J_HOME)")
    p.add_argument("--bolt-port", type=int, default=None,
                   help="Bolt port on 127.0.0.1 (default 7687, or as configured)")
    p.add_argument("--http-port", type=int, default=None, help="HTTP/Browser port on 127.0.0.1 (default 7474)")
    p.add_argument("--heap", default="2g", help="max JVM heap (default 2g)")
    p.add_argument("--pagecache", default="1g", help="page cache size (default 1g)")
    p.add_argument("--force", action="store_true", help="install: resolve the jars again")
    p.set_defaults(func=cmd_neo4j)
