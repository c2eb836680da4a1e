"""``Neo4jStore``: the graph in a Neo4j 5 server through the official ``neo4j`` driver.

URI ``neo4j://host:7687`` or ``bolt://host:7687`` (``+s`` / ``+ssc`` for TLS), optional ``?database=NAME``
(default: the server's default database). Credentials: ``NEO4J_USER`` (default ``neo4j``) and
``NEO4J_PASSWORD``, else the stored password of the project's own server when the URI is its Bolt address
(``neo4j_server.local_password``), else no authentication. DDL, full-text and vector statements: ``neo4j_ddl``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, unit_of_work
from neo4j.exceptions import DriverError, Neo4jError

from ..schema import Schema
from .base import (
    DEFAULT_BATCH_SIZE,
    GraphStore,
    MergedNodes,
    NodeRows,
    QueryTimeout,
    RelationshipRows,
    StoreError,
    StoreUnavailable,
    batched,
    check_parameters,
    endpoint_labels,
    relationship_row,
    resolved_ends,
)
from .indexing import identifier, lucene_query, search_terms
from .neo4j_ddl import (
    collected_rows_statement,
    constraint_statements,
    cosine_from_score,
    database_name,
    fulltext_index_name,
    fulltext_index_statements,
    parse_neo4j_uri,
    plan_lines,
    range_index_statements,
    to_plain,
    vector_index_name,
    vector_index_statements,
)
from .neo4j_server import Neo4jServer

INDEX_WAIT_S = 600
"""Seconds ``apply_schema`` / ``set_vectors`` wait for new indexes to come online (``db.awaitIndexes``)."""
CLEAR_BATCH = 10_000
FULLTEXT_ALL_LABELS = """
UNWIND $searches AS search
CALL {
  WITH search
  CALL db.index.fulltext.queryNodes(search.index, $query) YIELD node, score
  RETURN node[search.key] AS key, score
  ORDER BY score DESC, key
  LIMIT $limit
}
RETURN search.label AS label, key, score
"""
"""Each of ``$searches`` (``{label, index, key}``): its full-text index's best ``$limit`` hits for ``$query``, the
rows of ``fulltext_search`` for that label (a ``CALL {}`` subquery per label: Neo4j only)."""
COLUMNS_CACHE_SIZE = 1024
"""Read queries whose result columns ``Neo4jStore`` remembers (their rows are fetched as one record,
``collected_rows_statement``); the memory is emptied when full."""
COMPILE_ERRORS = ("Neo.ClientError.Statement.SyntaxError", "Neo.ClientError.Statement.SemanticError")
"""Neo4j error codes for a statement that does not compile (a query that cannot be wrapped in a subquery). A
collected answer over the server's memory cap (``...TransactionOutOfMemoryError``, ``...MemoryPoolOutOfMemoryError``:
``db.memory.transaction.max``, ``dbms.memory.transaction.total.max``) is streamed as well."""
TRANSACTION_RETRY_S = 5.0
"""How long a managed transaction is retried after a transient failure or a lost server (the driver's
``max_transaction_retry_time``; its default, 30 s, would hold every API request to a stopped server for 30 s
before the 503)."""


LOGGED_LIST_ITEMS = 100
"""List parameters longer than this go to the driver as ``_LoggedByLength`` (shown by their length in its debug
log)."""


class _LoggedByLength(list):
    """A list parameter that the driver's debug log shows by its length (``<list of 5000 items>``).

    The driver formats each RUN message for its debug log whether the log is on or not (neo4j 6.4,
    ``neo4j/_sync/io/_bolt/_bolt5.py``: ``log.debug("... C: RUN %s", ..., " ".join(map(repr, fields)))``, the
    join evaluated before the call): the reprs of a Cypher build's 174 write batches (774,039 rows) took 1.9-2.3 s
    of the write phase. The driver packs a list subclass as a list (its Python and Rust packers check
    ``isinstance``)."""

    def __repr__(self) -> str:
        return f"<list of {len(self)} items>"


class _TooLargeToCollect(Exception):
    """A collected answer ran over the server's transaction memory cap (raised inside the transaction function,
    so that the driver does not retry it as the transient error Neo4j reports)."""


class Neo4jStore(GraphStore):
    """A Neo4j 5 database as a ``GraphStore``.

    Args:
        uri: driver URI without query string (``bolt://host:7687``).
        database: database name, ``None`` for the server default.
        user, password: credentials (default ``$NEO4J_USER`` or ``neo4j``, ``$NEO4J_PASSWORD``).
        schema: the schema declaration (default: ``cellmap_kg/schema/schema.yaml``).
        server: the project's ``Neo4jServer`` serving ``uri`` (atomic rebuilds by folder swap), or None.

    Atomic rebuilds (``staging`` / ``promote``) depend on the server edition:

    - **Enterprise** (several databases): ``staging()`` creates the database ``<db>-build-<UTC timestamp>``
      and the live name ``<db>`` is a database *alias*; ``promote()`` re-points the alias with ``ALTER ALIAS``
      (one atomic step for new sessions) and drops the previous target database. On the first promote ``<db>``
      is still a real database: it is dropped and the alias created, so ``<db>`` is briefly absent.
    - **The project's own server** (``server`` given, or found by ``from_uri`` with
      ``neo4j_server.managed_server``: the Bolt address of ``cellmap-kg neo4j start``'s home): ``staging()``
      starts a second, empty instance of the same installation (``neo4j_rebuild.prepare_staging``) and returns a
      store on it; ``promote()`` stops both and swaps the data folders with one atomic rename
      (``neo4j_rebuild.swap_in``), then starts the live server again (downtime: one stop and start). A build
      that fails or is killed at any point before the swap leaves the live graph untouched and queryable; the
      next build removes the leftovers.
    - **Community, any other server** (one database, not managed here): ``staging()`` returns a store on the
      live database flagged ``in_place=True``. It empties the database just before its first write, so the
      live graph is replaced by clear + write and is *not* protected against a failure (or a kill) during
      writing: the database is then left partial or empty until the next build succeeds. The build layer
      therefore parses and validates every input before it writes anything. ``promote()`` of an in-place
      staging store only checks that it is this database. ``clear()`` on an in-place staging store that has not
      written yet does nothing (its graph is, by definition, still empty), so discarding a failed build before
      writing keeps the live graph.

    Raises:
        StoreError: the server is unreachable or rejects the credentials.
    """

    backend = "neo4j"

    def __init__(self, uri: str, database: str | None = None, *, user: str | None = None,
                 password: str | None = None, schema: Schema | None = None, in_place: bool = False,
                 server: Neo4jServer | None = None, _driver: Driver | None = None):
        self.driver_uri = uri
        self.server = server
        self._staging_of: tuple[Neo4jServer, Neo4jServer] | None = None  # (live, staging) of a staging instance
        self.database = database_name(database) if database else None
        if schema is not None:
            self.schema = schema
        self.in_place = in_place
        self._clear_pending = in_place
        self._columns: dict[str, tuple[str, ...]] = {}  # read query -> its columns (() when it cannot be collected)
        self._owns_driver = _driver is None
        if _driver is None:
            user = user or os.environ.get("NEO4J_USER", "neo4j")
            password = password if password is not None else os.environ.get("NEO4J_PASSWORD")
            if password is None:
                from .neo4j_server import local_password

                password = local_password(uri)
            # Notifications off: the server's per-query hints (e.g. "property key does not exist" for a property
            # no node has yet) would be logged as warnings with the whole query text on every call; the query
            # files are checked by the project's linter instead.
            _driver = GraphDatabase.driver(uri, auth=(user, password) if password is not None else None,
                                           max_transaction_retry_time=TRANSACTION_RETRY_S,
                                           notifications_min_severity="OFF")
            try:
                _driver.verify_connectivity()
            except (Neo4jError, DriverError) as exc:
                _driver.close()
                hint = ("" if password is not None else
                        " (no password: set NEO4J_PASSWORD, or start the server with `cellmap-kg neo4j start`, "
                        "whose password file is found for its own Bolt address)")
                raise StoreError(f"cannot connect to Neo4j at {uri} as {user!r}{hint}: {exc}") from exc
        self._driver = _driver

    @classmethod
    def from_uri(cls, uri: str) -> Neo4jStore:
        """Open ``bolt://host:port[?database=NAME]`` / ``neo4j://...`` (see ``parse_neo4j_uri``)."""
        from .neo4j_server import managed_server

        driver_uri, database = parse_neo4j_uri(uri)
        server = managed_server(driver_uri) if database in (None, "neo4j") else None
        return cls(driver_uri, database, server=server)

    @property
    def uri(self) -> str:
        return self.driver_uri + (f"?database={self.database}" if self.database else "")

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}{', in_place=True' if self.in_place else ''})"

    # ---------------------------------------------------------------------------------------------- reading
    def query(self, cypher: str, params: dict | None = None, *, timeout_ms: int | None = None,
              read_only: bool = False) -> list[dict]:
        """See ``GraphStore.query``: a managed read (``execute_read``) or write transaction with the
        transaction timeout ``timeout_ms``. A read query's rows come as one record (``collected_rows_statement``:
        the driver's own cost per record, about 40 us, dominated answers of a few hundred rows), its columns known
        from ``EXPLAIN`` on its first run; a query that cannot be a subquery, or whose collected answer exceeds
        the server's transaction memory cap, streams its records.

        Raises:
            QueryTimeout: the transaction ran past ``timeout_ms``.
            StoreError: Cypher error (Neo4j's code and message), a write in a ``read_only`` query, or the server
                is unreachable.
        """
        if timeout_ms is not None and (not isinstance(timeout_ms, int) or timeout_ms <= 0):
            raise ValueError(f"timeout_ms must be a positive int, got {timeout_ms!r}")
        check_parameters(params)
        if params and any(type(v) is list and len(v) > LOGGED_LIST_ITEMS for v in params.values()):
            params = {k: _LoggedByLength(v) if type(v) is list and len(v) > LOGGED_LIST_ITEMS else v
                      for k, v in params.items()}
        if not read_only:
            self._clear_if_pending()
        primary = frozenset(self.schema.nodes)
        columns = self._read_columns(cypher, params) if read_only else ()

        @unit_of_work(timeout=timeout_ms / 1000 if timeout_ms else None)
        def records(tx):
            result = tx.run(cypher, params or {})
            keys = result.keys()
            return [dict(zip(keys, [to_plain(v, primary) for v in record], strict=True)) for record in result]

        @unit_of_work(timeout=timeout_ms / 1000 if timeout_ms else None)
        def collected(tx):
            try:
                (values,) = tx.run(collected_rows_statement(cypher, columns), params or {}).single(strict=True)
            except Neo4jError as exc:
                if "OutOfMemory" in (exc.code or ""):  # transient to the driver: it would retry for seconds
                    raise _TooLargeToCollect from exc
                raise
            return [dict(zip(columns, [to_plain(v, primary) for v in row], strict=True)) for row in values]

        try:
            with self._session(self.database, read_only) as session:
                if not read_only:
                    return session.execute_write(records)
                if columns:
                    try:
                        return session.execute_read(collected)
                    except _TooLargeToCollect:
                        self._columns[cypher] = ()  # over the memory cap: streamed from now on
                    except Neo4jError as exc:
                        if not (exc.code or "").startswith(COMPILE_ERRORS):
                            raise
                        self._columns[cypher] = ()  # not a subquery: streamed from now on
                return session.execute_read(records)
        except Neo4jError as exc:
            raise self._error(exc, cypher) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"Neo4j at {self.driver_uri} is unreachable: {exc}") from exc

    def _read_columns(self, cypher: str, params: dict | None) -> tuple[str, ...]:
        """The result columns of the read query ``cypher``, from ``EXPLAIN`` (compiled, nothing read) on its first
        run and remembered (at most ``COLUMNS_CACHE_SIZE`` queries); ``()`` when it does not compile (remembered;
        its own run then reports the error), when the server cannot be reached (not remembered), or when it cannot
        be fetched collected."""
        known = self._columns.get(cypher)  # get, not `in` then []: another thread may empty the memory between
        if known is not None:
            return known
        try:
            with self._session(self.database, read_only=True) as session:
                columns = tuple(session.run("EXPLAIN " + cypher, params or {}).keys())
        except Neo4jError:
            columns = ()  # does not compile: streamed (its own run reports the error)
        except DriverError:
            return ()
        if len(self._columns) >= COLUMNS_CACHE_SIZE:
            self._columns.clear()
        self._columns[cypher] = columns
        return columns

    def _session(self, database: str | None, read_only: bool = False):
        return self._driver.session(database=database, default_access_mode=READ_ACCESS if read_only else WRITE_ACCESS)

    def _run(self, cypher: str, params: dict | None = None, database: str | None = None) -> list[dict]:
        """Auto-commit statement (DDL and administration commands; ``database="system"`` for the latter)."""
        try:
            with self._session(database or self.database) as session:
                return [dict(r) for r in session.run(cypher, params or {})]
        except Neo4jError as exc:
            raise self._error(exc, cypher) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"Neo4j at {self.driver_uri} is unreachable: {exc}") from exc

    def _error(self, exc: Neo4jError, cypher: str) -> StoreError:
        code = exc.code or ""
        if "TransactionTimedOut" in code:
            return QueryTimeout(f"query timed out on Neo4j: {' '.join(cypher.split())[:300]}")
        if "DatabaseUnavailable" in code:
            return StoreUnavailable(f"Neo4j database unavailable ({code}: {exc.message})")
        if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
            return StoreError(f"read-only query attempted to write ({code}: {exc.message})")
        return StoreError(f"Neo4j error {code}: {exc.message}\n  in query: {' '.join(cypher.split())[:300]}")

    def explain(self, cypher: str, params: dict | None = None) -> list[str]:
        """Plan of ``EXPLAIN <cypher>`` from the result summary, as ``plan_lines``. Raises ``StoreError``
        (``BadParameter`` for a value ``check_parameters`` refuses)."""
        check_parameters(params)
        try:
            with self._session(self.database, read_only=True) as session:
                summary = session.run("EXPLAIN " + cypher, params or {}).consume()
        except Neo4jError as exc:
            raise self._error(exc, cypher) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"Neo4j at {self.driver_uri} is unreachable: {exc}") from exc
        return plan_lines(summary.plan)

    # ---------------------------------------------------------------------------------------------- writing
    def _write(self, cypher: str, rows: list[dict]) -> int:
        return self.query(cypher, {"rows": rows})[0]["n"]

    # ---------------------------------------------------------------------------------------------- schema
    def apply_schema(self, schema: Schema | None = None) -> None:
        """Unique constraint on every node key, a range index on every ``indexed`` property and the full-text
        indexes (``neo4j_ddl``); waits until online.

        Raises:
            StoreError: a constraint cannot be created (e.g. duplicate keys already in the database).
        """
        schema = schema or self.schema
        for statement in (constraint_statements(schema) + range_index_statements(schema)
                          + fulltext_index_statements(schema)):
            self._run(statement)
        self._run(f"CALL db.awaitIndexes({INDEX_WAIT_S})")

    def write_graph(self, nodes: Sequence[NodeRows], relationships: Sequence[RelationshipRows],
                    progress: Callable[[str, int], None] | None = None) -> list[int]:
        """``GraphStore.write_graph`` (same result and errors), faster into the empty graph:

        - nodes merged on their keys in Python first (``MergedNodes``, as the ``MERGE`` of ``write_nodes`` would
          merge them) and written with ``CREATE``, one row per node: the 73,331 ``Protein`` rows of the real
          build are 22,667 proteins, and ``CREATE`` skips ``MERGE``'s lookup and lock per row (the ``Protein``
          statements of a full Cypher build, ``benchmarks/backends.py``: 7.3 s -> 5.0 s, 849,595 -> 804,184 rows
          sent in all);
        - the schema (``apply_schema``: key constraints, range and full-text indexes) created after the rows.
          Lucene populates a new index in one pass faster than it updates it batch by batch: 73,000 ``Protein``
          rows took 9.3 s with the full-text index in place against 4.0 s plus 1.0 s of population after
          (synthetic rows, one sample each on a loaded 2-core machine). The key constraints' indexes are not used
          while writing (next point); with them created first, full Cypher builds wrote in 51.4 / 57.9 s against
          50.5 / 57.6 s (alternating, 2026-12-07). The queries need the schema only once the build is promoted;
        - relationships matched on their end nodes' element ids, returned by the nodes' ``CREATE`` with their
          keys (a ``NodeByElementIdSeek`` for each end, its label checked, instead of a seek in the key's index):
          a row's ends are the nodes of the end labels with its ``source`` / ``target`` keys, as the GRAPH.BULK
          path resolves them (``base.resolved_ends``); a row whose end is not there is not sent and not
          counted as written. Element ids are only used within this call (Neo4j may reuse one after a deletion).
          The 300,448 ``ANNOTATED_WITH`` rows of the real build took 12.0-12.7 s against 14.2-16.4 s matched on
          the keys (alternating runs, one Neo4j, 2026-12-07); full Cypher builds wrote in 55.8 / 53.6 s against
          58.8 / 66.1 s.

        The graph must be empty (a fresh ``staging()`` graph): a key already there is not merged but fails on
        the key's unique constraint (``StoreError``: at the ``CREATE`` where the database has the constraint, as the
        in-place database of a Community server keeps it, else when ``apply_schema`` creates it)."""
        merged = MergedNodes(self.schema)
        for batch in nodes:
            merged.add_nodes(batch)
        by_labels: dict[tuple[str, ...], list[dict]] = {}  # one statement per label set, not per run of nodes
        for labels, row in zip(merged.node_labels, merged.rows, strict=True):
            by_labels.setdefault(labels, []).append(row)
        element_ids: dict[str, dict[object, str]] = {}      # label -> key -> elementId, as merged.ids
        for labels, rows in by_labels.items():
            key = self.schema.key_of(labels[0])
            cypher = (f"UNWIND $rows AS row CREATE (n:{':'.join(identifier(x) for x in labels)}) SET n = row "
                      f"RETURN collect([n.{identifier(key)}, elementId(n)]) AS ids")  # one record per batch
            ids = element_ids.setdefault(labels[0], {})
            for batch_rows in batched(rows, DEFAULT_BATCH_SIZE):
                created = self.query(cypher, {"rows": [{k: v for k, v in r.items() if v is not None}
                                                       for r in batch_rows]})
                ids.update(created[0]["ids"])
        if progress:
            for batch in nodes:
                progress(batch.label, len(batch.rows))
        written = [self._write_relationships_by_id(batch, element_ids, progress) for batch in relationships]
        self.apply_schema()
        return written

    def _write_relationships_by_id(self, batch: RelationshipRows, element_ids: dict[str, dict[object, str]],
                                   progress: Callable[[str, int], None] | None) -> int:
        """``CREATE`` the relationships of ``batch`` between the nodes of ``element_ids`` (label -> key ->
        elementId, see ``write_graph``); returns how many were written (rows whose ends are absent are not)."""
        source, target = endpoint_labels(self.schema, batch)
        cypher = (f"UNWIND $rows AS row MATCH (a:{identifier(source)}) WHERE elementId(a) = row.source "
                  f"MATCH (b:{identifier(target)}) WHERE elementId(b) = row.target "
                  f"CREATE (a)-[r:{identifier(batch.type)}]->(b) SET r += row.props RETURN count(r) AS n")
        rows = [relationship_row(a, b, r) for a, b, r in resolved_ends(self.schema, batch, element_ids)]
        written = sum(self._write(cypher, part) for part in batched(rows, DEFAULT_BATCH_SIZE))
        if progress:
            progress(batch.type, len(batch.rows))
        return written

    def _index_exists(self, name: str) -> bool:
        return bool(self._run("SHOW INDEXES YIELD name WHERE name = $name RETURN name", {"name": name}))

    # ---------------------------------------------------------------------------------------------- lifecycle
    def clear(self) -> None:
        """Delete every node and relationship (constraints and indexes stay), in batches of ``CLEAR_BATCH``."""
        if self._clear_pending:  # in-place staging that has not written: its graph is still (conceptually) empty
            return
        if self._staging_of is not None:  # a staging instance: stop it and delete its data folder
            from .neo4j_rebuild import discard_staging

            self.close()
            discard_staging(self._staging_of[0])
            return
        self._delete_all()

    def _delete_all(self) -> None:
        while self.query(f"MATCH (n) WITH n LIMIT {CLEAR_BATCH} DETACH DELETE n RETURN count(*) AS n")[0]["n"]:
            pass

    def _reset(self) -> None:
        """Empty the database and drop its constraints and indexes but the token lookups (a test's scratch
        database; never used on a user's graph)."""
        self._clear_pending = False
        self._delete_all()
        for row in self._run("SHOW CONSTRAINTS YIELD name RETURN name"):
            self._run(f"DROP CONSTRAINT `{row['name']}` IF EXISTS")
        for row in self._run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
            self._run(f"DROP INDEX `{row['name']}` IF EXISTS")

    def _clear_if_pending(self) -> None:
        if self._clear_pending:
            self._clear_pending = False
            self._delete_all()

    def _multi_database(self) -> bool:
        rows = self._run("CALL dbms.components() YIELD edition RETURN edition")
        return bool(rows) and rows[0]["edition"] == "enterprise"

    def _live_name(self) -> str:
        if self.database:
            return self.database
        return self._run("SHOW DEFAULT DATABASE YIELD name RETURN name", database="system")[0]["name"]

    def staging(self) -> Neo4jStore:
        """A store for the next build (see the class docstring: new database, or in place on community)."""
        if self.server is not None:
            return self._staging_instance()
        if not self._multi_database():
            return Neo4jStore(self.driver_uri, self.database, schema=self.schema, in_place=True,
                              _driver=self._driver)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        name = database_name(f"{self._live_name()}-build-{stamp}")
        self._run(f"CREATE DATABASE `{name}` IF NOT EXISTS WAIT", database="system")
        return Neo4jStore(self.driver_uri, name, schema=self.schema, _driver=self._driver)

    def _staging_instance(self) -> Neo4jStore:
        from .neo4j_rebuild import discard_staging, prepare_staging

        staging_server = prepare_staging(self.server)
        try:
            staging_server.start(echo=lambda *_: None)
            store = Neo4jStore(staging_server.uri, password=staging_server.password, schema=self.schema)
        except BaseException:
            discard_staging(self.server)
            raise
        store._staging_of = (self.server, staging_server)
        return store

    def promote(self, staging: GraphStore) -> None:
        """Make ``staging`` live (folder swap on the project's server, alias swap on enterprise, nothing to do
        for an in-place staging store).

        Raises:
            StoreError: ``staging`` is not a store of this server/database, or an administration command failed
                (``Neo4jServerError`` when the swapped-in server does not start).
        """
        if isinstance(staging, Neo4jStore) and staging._staging_of is not None:
            live, staging_server = staging._staging_of
            if self.server is None or live.home != self.server.home:
                raise StoreError(f"cannot promote {staging!r} into {self!r}: a staging instance of {live.home}")
            from .neo4j_rebuild import swap_in

            staging.close()
            swap_in(self.server, staging_server, start=True)
            return
        if not isinstance(staging, Neo4jStore) or staging._driver is not self._driver:
            raise StoreError(f"cannot promote {staging!r} into {self!r}: not a store of the same Neo4j driver")
        if staging.in_place:
            if staging.database != self.database:
                raise StoreError(f"in-place staging store {staging!r} is not on this database {self!r}")
            return
        live, target = self._live_name(), staging.database
        aliases = self._run("SHOW ALIASES FOR DATABASE YIELD name, database WHERE name = $name RETURN database",
                            {"name": live}, database="system")
        if aliases:
            previous = aliases[0]["database"]
            self._run(f"ALTER ALIAS `{live}` SET DATABASE TARGET `{target}`", database="system")
            if previous != target:
                self._run(f"DROP DATABASE `{previous}` IF EXISTS", database="system")
        else:
            self._run(f"DROP DATABASE `{live}` IF EXISTS WAIT", database="system")
            self._run(f"CREATE ALIAS `{live}` FOR DATABASE `{target}`", database="system")

    def close(self) -> None:
        """Close the driver (only the store that opened it closes it)."""
        if self._owns_driver:
            self._driver.close()

    # ---------------------------------------------------------------------------------------------- search
    def _fulltext_call(self, label: str, terms: list[str]) -> tuple[str, dict] | None:
        """See ``GraphStore._fulltext_call``; Lucene query from ``indexing.lucene_query``, score = Lucene's."""
        index = fulltext_index_name(label)
        if not self._index_exists(index):
            return None
        return "CALL db.index.fulltext.queryNodes($index, $query)", {"index": index, "query": lucene_query(terms)}

    def fulltext_search_labels(self, labels: Sequence[str], text: str, limit: int = 20) -> dict[str, list[dict]]:
        """See ``GraphStore.fulltext_search_labels``: the same rows as ``fulltext_search`` per label, in two round
        trips instead of two per label (which indexes exist; then every indexed label's Lucene query in one
        statement, ``FULLTEXT_ALL_LABELS``). Labels without an index take the CONTAINS fallback one by one."""
        terms = search_terms(text)
        if not terms:
            return {label: [] for label in labels}
        indexes = {fulltext_index_name(label): label for label in labels}
        existing = {row["name"] for row in self._run(
            "SHOW FULLTEXT INDEXES YIELD name WHERE name IN $names RETURN name", {"names": list(indexes)})}
        searches = [{"label": label, "index": index, "key": self.schema.key_of(label)}
                    for index, label in indexes.items() if index in existing]
        rows = self.query(FULLTEXT_ALL_LABELS, {"searches": searches, "query": lucene_query(terms), "limit": limit},
                          read_only=True) if searches else []
        found: dict[str, list[dict]] = {label: [] for label in labels}
        for row in sorted(rows, key=lambda r: (-r["score"], str(r["key"]))):
            found[row["label"]].append({"key": row["key"], "score": row["score"]})
        for label in labels:
            if fulltext_index_name(label) not in existing:
                found[label] = self.fulltext_search(label, text, limit)
        return found

    def set_vectors(self, label: str, prop: str, vectors: dict[str, list[float]]) -> None:
        """See ``GraphStore.set_vectors`` (same errors); vectors stored as ``LIST<FLOAT>``, cosine index rebuilt."""
        prop = identifier(prop)
        dims = self._write_vectors(label, prop, vectors)
        for statement in vector_index_statements(label, prop, dims):
            self._run(statement)
        self._run(f"CALL db.awaitIndexes({INDEX_WAIT_S})")

    def vector_search(self, label: str, prop: str, vector: list[float], k: int = 10) -> list[dict]:
        """See ``GraphStore.vector_search``; Neo4j's normalised score is converted back to cosine similarity.

        Raises:
            StoreError: no vector index on ``label.prop`` (call ``set_vectors``) or a vector of the wrong length.
        """
        key = self.schema.key_of(label)
        index = vector_index_name(label, prop)
        if not self._index_exists(index):
            raise StoreError(f"no vector index on {label}.{prop}: store vectors with set_vectors first")
        rows = self.query(f"CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score "
                          f"RETURN node.{key} AS key, score ORDER BY score DESC",
                          {"index": index, "k": k, "vector": [float(x) for x in vector]}, read_only=True)
        return [{"key": r["key"], "score": cosine_from_score(r["score"])} for r in rows]
