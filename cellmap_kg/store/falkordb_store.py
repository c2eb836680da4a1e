"""``FalkorDBStore``: the graph in an embedded FalkorDB server (see ``falkordb_server``), URI
``falkordb:///abs/path/to/dir[?graph=NAME]`` (graph name default ``cellmap``).

Queries go over one thread-safe ``redis.ConnectionPool`` on the server's Unix socket, in FalkorDB's compact
result format. That format names labels, relationship types and property keys by number; the numbers are
resolved through a per-graph cache (``_GraphNames``) that sends the cached schema version with every query, so
the server answers "version mismatch" (and the cache refreshes) whenever the graph was replaced - e.g. by
``promote`` from another process - instead of silently mislabelling results. (The stock ``falkordb.Graph``
client never sends the version, so it would keep stale names after a graph swap.)

Backend notes, checked on FalkorDB 4.16:

- ``timeout_ms`` is honoured for read queries only; FalkorDB runs write queries to completion.
- Uniqueness: ``GRAPH.CONSTRAINT CREATE ... UNIQUE`` on every node key, on top of the exact-match (range)
  index it requires. Constraint creation is asynchronous; ``apply_schema`` waits until it is operational.
- Full-text: one RediSearch index per label (``db.idx.fulltext.createNodeIndex``), queried with
  ``db.idx.fulltext.queryNodes``. Vector: ``CREATE VECTOR INDEX ... similarityFunction:'cosine'`` on ``vecf32``
  properties; ``db.idx.vector.queryNodes`` returns the cosine *distance*, reported here as similarity
  ``1 - distance``.
- ``write_graph`` into a graph that does not exist yet (a build's staging graph) loads it with ``GRAPH.BULK``
  (``falkordb_bulk``), then creates the indexes and constraints on the loaded data; it is the same graph the
  ``UNWIND`` batches of ``write_nodes`` / ``write_relationships`` make (``bulk_load=False`` uses those).
- ``promote`` uses Redis ``RENAME <graph>__staging <graph>``: one atomic command that replaces the live graph
  (readers see the old or the new graph, never a mix) and keeps the staging graph's indexes and constraints.
  The snapshot is then saved (synchronous ``SAVE``), so a promoted build survives a crash.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import redis
from falkordb.exceptions import SchemaVersionMismatchException
from falkordb.query_result import QueryResult

from ..schema import Schema
from . import falkordb_server
from .base import BadParameter, GraphStore, NodeRows, QueryTimeout, RelationshipRows, StoreError, StoreUnavailable
from .falkordb_bulk import bulk_load
from .falkordb_values import params_header, to_plain
from .indexing import fulltext_properties, identifier, redisearch_query

DEFAULT_GRAPH = "cellmap"
STAGING_SUFFIX = "__staging"
BUILD_TIMEOUT_S = 600.0
"""How long ``apply_schema`` / ``set_vectors`` wait for FalkorDB to build indexes and validate constraints."""


def parse_falkordb_uri(uri: str) -> tuple[Path, str]:
    """``falkordb:///abs/dir?graph=NAME`` -> ``(Path('/abs/dir'), 'NAME')`` (graph default ``cellmap``).

    Raises:
        StoreError: not a ``falkordb:`` URI, a host is given, or the path is not absolute.
    """
    parts = urlparse(uri)
    if parts.scheme != "falkordb":
        raise StoreError(f"not a FalkorDB store URI: {uri!r} (expected falkordb:///absolute/dir)")
    if parts.netloc:
        raise StoreError(f"{uri!r}: the embedded FalkorDB store takes a local directory, not a host "
                         f"({parts.netloc!r}); write falkordb:///absolute/dir")
    if not parts.path.startswith("/"):
        raise StoreError(f"{uri!r}: the store directory must be an absolute path")
    graph = parse_qs(parts.query).get("graph", [DEFAULT_GRAPH])[0]
    if not graph:
        raise StoreError(f"{uri!r}: empty graph name")
    return Path(parts.path), graph


class _GraphNames:
    """Thread-safe cache of a graph's label, relationship-type and property-key names by id, with the schema
    version they belong to. Used by ``falkordb.query_result.QueryResult`` through ``get_label`` etc."""

    _PROCEDURES = {"labels": "db.labels()", "relationships": "db.relationshipTypes()",
                   "properties": "db.propertyKeys()"}

    def __init__(self, conn: redis.Redis, graph: str):
        self._conn, self._graph = conn, graph
        self._lock = threading.Lock()
        self.version = 0
        self._names: dict[str, list[str]] = {kind: [] for kind in self._PROCEDURES}

    @property
    def schema(self) -> _GraphNames:  # QueryResult reads ``graph.schema.get_label(...)``
        return self

    def _fetch(self, kind: str) -> list[str]:
        try:
            response = self._conn.execute_command("GRAPH.RO_QUERY", self._graph,
                                                  f"CALL {self._PROCEDURES[kind]}", "--compact")
        except redis.ResponseError as exc:
            if "empty key" in str(exc):
                return []
            raise
        return [row[0][1] for row in response[1]]

    def refresh(self, version: int) -> None:
        """Reload every name list; record the server's schema ``version`` they belong to."""
        with self._lock:
            self._names = {kind: self._fetch(kind) for kind in self._PROCEDURES}
            self.version = version

    def _get(self, kind: str, idx: int) -> str:
        names = self._names[kind]
        if idx >= len(names):  # created since the last refresh (ids only grow within one graph)
            with self._lock:
                if idx >= len(self._names[kind]):
                    self._names[kind] = self._fetch(kind)
                names = self._names[kind]
            if idx >= len(names):
                raise StoreError(f"FalkorDB returned unknown {kind} id {idx} for graph {self._graph!r}")
        return names[idx]

    def get_label(self, idx: int) -> str:
        return self._get("labels", idx)

    def get_relation(self, idx: int) -> str:
        return self._get("relationships", idx)

    def get_property(self, idx: int) -> str:
        return self._get("properties", idx)


class FalkorDBStore(GraphStore):
    """The graph ``graph`` in the embedded FalkorDB server of ``store_dir`` (started if not running).

    Args:
        store_dir: directory holding the server's snapshot, log and (usually) socket.
        graph: graph (Redis key) name.
        schema: the schema declaration (default: ``cellmap_kg/schema/schema.yaml``).
        bulk_load: ``write_graph`` into a new graph uses ``GRAPH.BULK`` (default); ``False``: ``UNWIND`` batches
            (the generic ``GraphStore.write_graph``; the build benchmark's baseline).

    Raises:
        StoreError: the server cannot be started (message quotes its log).
    """

    backend = "falkordb"

    def __init__(self, store_dir: Path | str, graph: str = DEFAULT_GRAPH, schema: Schema | None = None,
                 *, bulk_load: bool = True, _conn: redis.Redis | None = None):
        self.store_dir = Path(store_dir).absolute()
        self.graph = graph
        self.bulk_load = bulk_load
        if schema is not None:
            self.schema = schema
        self._owns_conn = _conn is None
        if _conn is None:
            sock = falkordb_server.ensure_running(self.store_dir)
            # no socket timeout (redis-py's default is 5 s): queries may run long; timeouts are FalkorDB's job
            pool = redis.ConnectionPool(connection_class=redis.UnixDomainSocketConnection, path=str(sock),
                                        decode_responses=True, socket_timeout=None, socket_connect_timeout=10)
            _conn = redis.Redis(connection_pool=pool)
        self._conn = _conn
        self._names = _GraphNames(self._conn, graph)

    @classmethod
    def from_uri(cls, uri: str) -> FalkorDBStore:
        """Open ``falkordb:///abs/dir[?graph=NAME]`` (see ``parse_falkordb_uri``)."""
        store_dir, graph = parse_falkordb_uri(uri)
        return cls(store_dir, graph)

    @property
    def uri(self) -> str:
        return f"falkordb://{self.store_dir}?graph={self.graph}"

    def __repr__(self) -> str:
        return f"FalkorDBStore({self.uri!r})"

    # ---------------------------------------------------------------------------------------------- reading
    def query(self, cypher: str, params: dict | None = None, *, timeout_ms: int | None = None,
              read_only: bool = False) -> list[dict]:
        """See ``GraphStore.query``. ``timeout_ms`` applies to read queries only (FalkorDB finishes writes).

        Raises:
            QueryTimeout: a read query ran past ``timeout_ms``.
            StoreError: syntax/runtime error (FalkorDB's message), a write in a ``read_only`` query, a read-only
                query on a graph that does not exist, or the server is unreachable.
        """
        try:
            text = params_header(params) + cypher
        except (TypeError, ValueError) as exc:
            raise BadParameter(f"bad query parameter: {exc}") from exc
        if timeout_ms is not None and (not isinstance(timeout_ms, int) or timeout_ms <= 0):
            raise ValueError(f"timeout_ms must be a positive int, got {timeout_ms!r}")
        with self._errors(cypher):
            for _ in range(3):
                cmd = ["GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY", self.graph, text,
                       "--compact", "version", self._names.version]
                if timeout_ms is not None:
                    cmd += ["timeout", timeout_ms]
                try:
                    result = QueryResult(self._names, self._conn.execute_command(*cmd))
                except SchemaVersionMismatchException as exc:
                    self._names.refresh(exc.version)
                    continue
                columns = [column[1] for column in result.header]
                return [dict(zip(columns, map(to_plain, row), strict=True)) for row in result.result_set]
        raise StoreError(f"graph {self.graph!r} kept changing its schema while being queried")

    @contextmanager
    def _errors(self, what: str):
        """Turn ``redis`` errors into store errors: FalkorDB's error answers via ``_error`` (``what`` is the query
        or command), a lost, refused or loading server into ``StoreUnavailable``, anything else into
        ``StoreError``."""
        try:
            yield
        except redis.ResponseError as exc:
            raise self._error(exc, what) from exc
        except (redis.ConnectionError, redis.TimeoutError) as exc:  # BusyLoadingError is a ConnectionError
            raise StoreUnavailable(f"FalkorDB server of {self.store_dir} is unreachable ({exc}); opening the "
                                   "store again (the next command, or the API by itself) restarts it from its last "
                                   "snapshot") from exc
        except redis.RedisError as exc:
            raise StoreError(f"FalkorDB server of {self.store_dir} failed: {exc}") from exc

    def _error(self, exc: redis.ResponseError, cypher: str) -> StoreError:
        message = str(exc)
        if "timed out" in message:
            return QueryTimeout(f"query timed out on FalkorDB: {_abbreviate(cypher)}")
        if "empty key" in message:
            return StoreError(f"graph {self.graph!r} does not exist in {self.store_dir} (build it first)")
        if "RO_QUERY" in message:
            message = "read-only query attempted to write (" + message + ")"
        return StoreError(f"FalkorDB error: {message}\n  in query: {_abbreviate(cypher)}")

    def memory_peak_mb(self) -> float:
        """Peak memory of the embedded server since it started, in MiB (Redis ``INFO memory`` used_memory_peak)."""
        return self._conn.info("memory")["used_memory_peak"] / 1024**2

    def explain(self, cypher: str, params: dict | None = None) -> list[str]:
        """``GRAPH.EXPLAIN`` plan lines (operators indented by depth). Raises ``StoreError`` on a bad query."""
        try:
            header = params_header(params)
        except (ValueError, TypeError) as exc:  # a parameter with no Cypher literal (NaN, an object ...)
            raise BadParameter(f"bad query parameter: {exc}") from exc
        with self._errors(cypher):
            return list(self._conn.execute_command("GRAPH.EXPLAIN", self.graph, header + cypher))

    # ---------------------------------------------------------------------------------------------- writing
    def _write(self, cypher: str, rows: list[dict]) -> int:
        return self.query(cypher, {"rows": rows})[0]["n"]

    def write_graph(self, nodes: Sequence[NodeRows], relationships: Sequence[RelationshipRows],
                    progress: Callable[[str, int], None] | None = None) -> list[int]:
        """See ``GraphStore.write_graph`` (same result and errors). A graph that does not exist yet is loaded with
        ``GRAPH.BULK`` (``falkordb_bulk.bulk_load``), then ``apply_schema`` indexes it and checks key uniqueness;
        an existing (empty) graph, or ``bulk_load=False``, gets the generic ``UNWIND`` batches.

        Raises:
            StoreError: the server refused a bulk call (the graph is then left for the caller to drop).
        """
        if not self.bulk_load or self._exists():
            return super().write_graph(nodes, relationships, progress)
        written = bulk_load(self._command, self.graph, self.schema, nodes, relationships, progress)
        self.apply_schema()
        return written

    # ---------------------------------------------------------------------------------------------- schema
    def _index_rows(self) -> list[dict]:
        if not self._exists():
            return []
        return self.query("CALL db.indexes() YIELD label, types, entitytype, status "
                          "RETURN label, types, entitytype, status", read_only=True)

    def indexes(self) -> dict[tuple[str, str], set[str]]:
        """Node indexes of the graph: ``{(label, property): {"RANGE" | "FULLTEXT" | "VECTOR", ...}}``."""
        return {(r["label"], prop): set(kinds) for r in self._index_rows() if r["entitytype"] == "NODE"
                for prop, kinds in r["types"].items()}

    def constraints(self) -> list[dict]:
        """Constraints of the graph: ``[{"type", "label", "properties", "entitytype", "status"}]``."""
        if not self._exists():
            return []
        return self.query("CALL db.constraints() YIELD type, label, properties, entitytype, status "
                          "RETURN type, label, properties, entitytype, status", read_only=True)

    def apply_schema(self, schema: Schema | None = None) -> None:
        """Range index + unique constraint on every node key, a range index on every ``indexed`` property,
        full-text index per ``FULLTEXT_PROPERTIES``.

        Idempotent (existing indexes/constraints are kept). Waits until FalkorDB has built the indexes and
        validated the constraints on the data already in the graph.

        Raises:
            StoreError: a constraint failed (duplicate keys in the graph) or indexes were not ready in time.
        """
        schema = schema or self.schema
        existing = self.indexes()
        for node in schema.nodes.values():
            for prop in (node.key, *node.indexed):
                if "RANGE" not in existing.get((node.label, prop), set()):
                    self.query(f"CREATE INDEX FOR (n:{node.label}) ON (n.{prop})")
        present = {(c["label"], tuple(c["properties"])) for c in self.constraints() if c["type"] == "UNIQUE"}
        for node in schema.nodes.values():
            if (node.label, (node.key,)) not in present:
                self._command("GRAPH.CONSTRAINT", "CREATE", self.graph, "UNIQUE", "NODE", node.label,
                              "PROPERTIES", 1, node.key)
        for label, props in fulltext_properties(schema).items():
            missing = [p for p in props if "FULLTEXT" not in existing.get((label, p), set())]
            if missing:
                self.query("CALL db.idx.fulltext.createNodeIndex($label, " +
                           ", ".join(f"$p{i}" for i in range(len(missing))) + ")",
                           {"label": label, **{f"p{i}": p for i, p in enumerate(missing)}})
        self._wait_until_operational()

    def _wait_until_operational(self, timeout_s: float = BUILD_TIMEOUT_S) -> None:
        """Wait until FalkorDB has built every index and validated every constraint (both run asynchronously
        on existing data: a full-text index "UNDER CONSTRUCTION" finds nothing yet)."""
        deadline = time.monotonic() + timeout_s
        while True:
            constraints = self.constraints()
            failed = [c for c in constraints if c["status"] == "FAILED"]
            if failed:
                raise StoreError("FalkorDB could not enforce uniqueness (duplicate keys in the graph?): " +
                                 "; ".join(f"{c['label']}{c['properties']}" for c in failed))
            pending = [f"constraint {c['label']}{c['properties']}: {c['status']}" for c in constraints
                       if c["status"] != "OPERATIONAL"]
            pending += [f"index {r['label']}: {r['status']}" for r in self._index_rows()
                        if r["status"] != "OPERATIONAL"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise StoreError(f"FalkorDB indexes/constraints not ready after {timeout_s} s: {pending}")
            time.sleep(0.05)

    # ---------------------------------------------------------------------------------------------- lifecycle
    def _exists(self) -> bool:
        with self._errors("EXISTS"):
            return bool(self._conn.exists(self.graph))

    def _command(self, *args):
        with self._errors(" ".join(map(str, args[:2]))):
            return self._conn.execute_command(*args)

    def _drop(self) -> None:
        if self._exists():
            self._command("GRAPH.DELETE", self.graph)

    def clear(self) -> None:
        """Delete the graph (nodes, relationships, indexes); re-create the schema indexes if it had any."""
        had_indexes = bool(self.indexes())
        self._drop()
        if had_indexes:
            self.apply_schema()

    def staging(self) -> FalkorDBStore:
        """A store on the empty graph ``<graph>__staging`` of the same server (an old one is deleted)."""
        stage = FalkorDBStore(self.store_dir, self.graph + STAGING_SUFFIX, self.schema, bulk_load=self.bulk_load,
                              _conn=self._conn)
        stage._drop()
        return stage

    def promote(self, staging: GraphStore) -> None:
        """Atomically replace this graph by ``staging``'s (Redis ``RENAME``, see module docstring), then save.

        Raises:
            StoreError: ``staging`` is not a graph of the same server, or it does not exist (nothing written).
        """
        if not isinstance(staging, FalkorDBStore) or staging.store_dir != self.store_dir:
            raise StoreError(f"cannot promote {staging!r} into {self!r}: not a graph of the same server")
        if staging.graph == self.graph:
            raise StoreError(f"cannot promote graph {self.graph!r} onto itself")
        if not staging._exists():
            raise StoreError(f"staging graph {staging.graph!r} does not exist: nothing was written to it")
        self._command("RENAME", staging.graph, self.graph)
        self.flush()

    def flush(self) -> None:
        """Write the snapshot now (the server persists by RDB snapshots only, see ``falkordb_server``), so every
        write acknowledged so far survives a crash of the server, even ``SIGKILL``.

        A background save (``BGSAVE``: a forked child writes ``dump.rdb`` while the server keeps answering) is
        started and waited for; a save already running is waited for first, since it may predate the writes. If
        the fork or the background save fails, a synchronous ``SAVE`` (which blocks other clients while it
        writes: ~1.5 s for the full graph) is the fallback.

        Raises:
            StoreUnavailable: the server is down (writes since its last snapshot are lost).
            StoreError: the snapshot could not be written (e.g. the disk is full; the server log says why).
        """
        with self._errors("BGSAVE"):
            self._wait_for_background_save()
            try:
                self._conn.bgsave()
            except redis.ResponseError as exc:
                if "in progress" not in str(exc):  # the fork failed: save in the foreground
                    self._conn.save()
                    return
                # another save started after this check, hence after the writes: waiting for it is enough
            if self._wait_for_background_save()["rdb_last_bgsave_status"] != "ok":
                self._conn.save()

    def _wait_for_background_save(self) -> dict:
        """Poll ``INFO persistence`` until no background save runs; return the last answer."""
        while True:
            info = self._conn.info("persistence")
            if not info["rdb_bgsave_in_progress"]:
                return info
            time.sleep(0.02)

    def reconnect(self) -> None:
        """Restart the embedded server if it is gone (``falkordb_server.ensure_running``: it reloads its last
        snapshot) and drop this store's dead connections; the next query opens new ones.

        Raises:
            StoreUnavailable: the server could not be started within ``falkordb_server.START_TIMEOUT_S``.
        """
        try:
            falkordb_server.ensure_running(self.store_dir)
        except StoreError as exc:
            raise StoreUnavailable(str(exc)) from exc
        self._conn.connection_pool.disconnect()

    def close(self) -> None:
        """Close this store's connections (the server keeps running; ``falkordb_server.stop`` ends it)."""
        if self._owns_conn:
            self._conn.close()
            self._conn.connection_pool.disconnect()

    # ---------------------------------------------------------------------------------------------- search
    def _fulltext_call(self, label: str, terms: list[str]) -> tuple[str, dict] | None:
        """See ``GraphStore._fulltext_call``; RediSearch query from ``indexing.redisearch_query``, score = TF-IDF."""
        if not any("FULLTEXT" in kinds for (lbl, _), kinds in self.indexes().items() if lbl == label):
            return None
        return "CALL db.idx.fulltext.queryNodes($label, $query)", {"label": label, "query": redisearch_query(terms)}

    def set_vectors(self, label: str, prop: str, vectors: dict[str, list[float]]) -> None:
        """See ``GraphStore.set_vectors`` (same errors); values are stored as ``vecf32``, the vector index rebuilt."""
        prop = identifier(prop)
        dims = self._write_vectors(label, prop, vectors, "vecf32(row.v)")
        if "VECTOR" in self.indexes().get((label, prop), set()):
            self.query(f"DROP VECTOR INDEX FOR (n:{label}) ON (n.{prop})")
        self.query(f"CREATE VECTOR INDEX FOR (n:{label}) ON (n.{prop}) "
                   f"OPTIONS {{dimension: {dims}, similarityFunction: 'cosine'}}")
        self._wait_until_operational()

    def vector_search(self, label: str, prop: str, vector: list[float], k: int = 10) -> list[dict]:
        """See ``GraphStore.vector_search`` (score = cosine similarity = 1 - FalkorDB's cosine distance).

        Raises:
            StoreError: no vector index on ``label.prop`` (call ``set_vectors``) or a vector of the wrong length.
        """
        key, prop = self.schema.key_of(label), identifier(prop)
        if "VECTOR" not in self.indexes().get((label, prop), set()):
            raise StoreError(f"no vector index on {label}.{prop}: store vectors with set_vectors first")
        return self.query("CALL db.idx.vector.queryNodes($label, $prop, $k, vecf32($vector)) YIELD node, score "
                          f"RETURN node.{key} AS key, 1.0 - score AS score ORDER BY score DESC",
                          {"label": label, "prop": prop, "k": k, "vector": [float(x) for x in vector]},
                          read_only=True)


def _abbreviate(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + " ..."
