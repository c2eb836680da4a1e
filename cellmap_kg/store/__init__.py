"""The only package that talks to a graph database.

``open_store(uri)`` picks the backend from the URI scheme:

- ``falkordb:///abs/dir[?graph=NAME]``: embedded FalkorDB server for that directory (started on demand, kept
  running for later processes; ``stop_embedded(uri)`` saves and stops it).
- ``neo4j://``, ``neo4j+s://``, ``neo4j+ssc://``, ``bolt://``, ``bolt+s://``, ``bolt+ssc://`` ``host:port
  [?database=NAME]``: a Neo4j 5 server (credentials from ``NEO4J_USER`` / ``NEO4J_PASSWORD``). When it is the
  project's own server (``cellmap-kg neo4j start``), builds are atomic by a staging instance and a folder swap
  (``neo4j_rebuild``); on any other Community server a failure while writing leaves the database partial.

Without a URI: ``$CELLMAP_KG_STORE``, else ``falkordb:///<current directory>/.cellmap-kg``.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from ..paths import state_dir
from .base import GraphStore, QueryTimeout, StoreError

STORE_ENV = "CELLMAP_KG_STORE"


def default_uri() -> str:
    """``$CELLMAP_KG_STORE`` if set, else ``falkordb:///<cwd>/.cellmap-kg``."""
    return os.environ.get(STORE_ENV) or f"falkordb://{state_dir()}"


def open_store(uri: str | None = None) -> GraphStore:
    """Open the graph store at ``uri`` (default ``default_uri()``).

    Raises:
        StoreError: unknown URI scheme, malformed URI, or the backend cannot be reached/started.
    """
    uri = uri or default_uri()
    scheme = urlparse(uri).scheme
    if scheme == "falkordb":
        from .falkordb_store import FalkorDBStore

        return FalkorDBStore.from_uri(uri)
    if scheme in ("neo4j", "bolt") or scheme.startswith(("neo4j+", "bolt+")):
        from .neo4j_store import Neo4jStore

        return Neo4jStore.from_uri(uri)
    raise StoreError(f"unknown store URI scheme {scheme!r} in {uri!r}: use falkordb:///abs/dir, "
                     "neo4j://host:port or bolt://host:port (+s / +ssc variants for TLS)")


def stop_embedded(uri: str | None = None) -> bool:
    """Save and stop the embedded FalkorDB server of ``uri`` (default ``default_uri()``); False if none ran.

    Raises:
        StoreError: ``uri`` is not a ``falkordb:`` URI, or the server did not shut down.
    """
    from .falkordb_server import stop
    from .falkordb_store import parse_falkordb_uri

    store_dir, _ = parse_falkordb_uri(uri or default_uri())
    return stop(store_dir)


__all__ = ["GraphStore", "StoreError", "QueryTimeout", "open_store", "stop_embedded", "default_uri"]
