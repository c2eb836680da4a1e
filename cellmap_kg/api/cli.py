"""``cellmap-kg serve``: run the REST API with uvicorn (``register(sub)`` adds the command to the parser).

Example::

    cellmap-kg serve --store falkordb:///data/kg/.cellmap-kg --host 127.0.0.1 --port 8000
    cellmap-kg serve --store neo4j://localhost:7687 --cypher --cors-origin http://localhost:3000

``python -m cellmap_kg.api`` takes the same options.
"""

from __future__ import annotations

import argparse
import os

from ..cli.options import add_store_option

DEFAULT_WORKERS = 1
"""Worker processes of ``serve``: on the idle 2-core machine class one worker served as many requests as two at 8
connections (``benchmarks/api.py``: 4,965-5,561 vs 4,566-5,983 req/s on ``/proteins/{symbol}``, p99 <= 3 ms), with
one response cache and half the memory (docs/api.md); the event loop stays uvicorn's ``auto`` (uvloop, 15-45%
ahead of asyncio)."""


def settings_from_args(args):
    """``ApiSettings`` from the parsed ``serve`` options; options not given fall back to the environment
    variables of ``ApiSettings.from_env`` (as in Docker), then to the defaults."""
    from dataclasses import replace

    from .settings import ApiSettings

    given = {"store_uri": args.store, "cypher_timeout_ms": args.cypher_timeout_ms,
             "cypher_max_rows": args.cypher_max_rows, "query_timeout_ms": args.query_timeout_ms,
             "max_concurrency": args.max_concurrency, "cache_entries": args.cache_entries,
             "cors_origins": tuple(args.cors_origin) if args.cors_origin else None,
             "cypher_enabled": True if args.cypher else None,
             "map_writes_enabled": True if args.map_writes else None}
    return replace(ApiSettings.from_env(), **{k: v for k, v in given.items() if v is not None})


def cmd_serve(args) -> int:
    """Run uvicorn on ``args.host:args.port``; with ``--workers N`` > 1, N processes built by ``app_from_env``."""
    import uvicorn

    settings = settings_from_args(args)
    if args.workers > 1:
        os.environ.update(settings.to_env())
        uvicorn.run("cellmap_kg.api.app:app_from_env", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level=args.log_level, access_log=args.access_log, loop=args.loop,
                    http=args.http)
    else:
        from .app import create_app

        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level,
                    access_log=args.access_log, loop=args.loop, http=args.http)
    return 0


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``serve`` (shared by ``cellmap-kg serve`` and ``python -m cellmap_kg.api``)."""
    add_store_option(p)
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                   help=f"uvicorn worker processes (default {DEFAULT_WORKERS}, chosen by benchmarks/api.py on 2 cores; "
                        "see docs/api.md)")
    p.add_argument("--loop", default="auto", choices=("auto", "asyncio", "uvloop"),
                   help="event loop (default auto: uvloop when installed)")
    p.add_argument("--http", default="auto", choices=("auto", "h11", "httptools"),
                   help="HTTP/1.1 parser (default auto: httptools when installed)")
    p.add_argument("--cypher", action="store_true", help="enable POST /cypher (read-only Cypher)")
    p.add_argument("--map-writes", action="store_true",
                   help="enable POST /maps, DELETE /maps/{name} and POST /maps/{a}/compare/{b} (graph writes)")
    p.add_argument("--cypher-timeout-ms", type=int, default=None, metavar="MS",
                   help="timeout of one /cypher query (default 5000)")
    p.add_argument("--cypher-max-rows", type=int, default=None, metavar="N",
                   help="rows returned by /cypher at most (default 1000)")
    p.add_argument("--query-timeout-ms", type=int, default=None, metavar="MS",
                   help="timeout of library queries and endpoint reads (default 30000)")
    p.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                   help="allow this origin by CORS (repeatable; default: no CORS)")
    p.add_argument("--max-concurrency", type=int, default=None, metavar="N",
                   help="store queries in flight at most (default 16)")
    p.add_argument("--cache-entries", type=int, default=None, metavar="N",
                   help="answers kept by the exact response cache (default 4096; 0 disables it)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.add_argument("--no-access-log", dest="access_log", action="store_false", help="do not log each request")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``serve`` to the ``cellmap-kg`` sub-parsers ``sub``."""
    p = sub.add_parser("serve", help="run the REST API (FastAPI + uvicorn; docs at /docs)",
                       description="Serve the graph over HTTP: /health, /schema, /proteins, /assemblies, /queries "
                                   "and (with --cypher) read-only /cypher. OpenAPI docs at /docs.",
                       epilog="example: cellmap-kg serve --store falkordb:///data/kg/.cellmap-kg --port 8000")
    add_serve_arguments(p)
    p.set_defaults(func=cmd_serve)
