"""The one small interface every graph backend implements.

Nothing above ``cellmap_kg.store`` knows which backend it runs on: results come back as plain Python values
(``list[dict]`` of str/int/float/bool/None/list/dict), writes go through ``UNWIND $rows`` batches generated from
the schema declaration, and DDL / full-text / vector search live in the adapters. Reads and writes that other
modules would otherwise build from schema names are generic methods here (``read_nodes``, ``read_relationships``,
``delete_relationships``, ``clear_properties``, ``delete_nodes``, ``rename_map``), their Cypher written once in
:mod:`cellmap_kg.store.statements`; fixed reads are ``.cypher`` files (``queries/``, ``queries/internal/``).

A whole new graph is written with ``write_graph`` (a build's staging graph): ``UNWIND`` batches by default, an
adapter's own bulk load where it has one (FalkorDB ``GRAPH.BULK``), with the same result.

Atomic builds: ``staging()`` returns a store bound to a fresh, empty graph; ``promote(staging)`` replaces the live
graph with it in one step. A build that fails before ``promote`` leaves the live graph untouched.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import UserError
from ..schema import SCHEMA, Schema
from .indexing import contains_search_cypher, fulltext_properties, identifier, search_terms
from .statements import (
    RENAME_MAP,
    Where,
    clear_properties_statement,
    delete_nodes_statement,
    delete_relationships_statement,
    end_label,
    read_nodes_statement,
    read_relationships_statement,
)

DEFAULT_BATCH_SIZE = 5000


class StoreError(UserError, RuntimeError):
    """The store could not be reached, started, or answered with an error (the message says which and why)."""


class BadParameter(StoreError):
    """A query parameter value the backend cannot take (NaN, infinity, a NUL character, an unsupported type)."""


class QueryTimeout(StoreError):
    """A query ran longer than its timeout."""


class StoreUnavailable(StoreError):
    """The database cannot be reached right now: stopped, killed, restarting or still loading its data. The same
    call can succeed once it is back; ``GraphStore.reconnect`` brings back what the project runs itself."""


_UNCHECKED = frozenset({int, bool, type(None)})
"""Exact types ``check_parameters`` passes at once (subclasses, e.g. an ``IntEnum``, take the full checks)."""


def check_parameters(params: dict | None) -> None:
    """Refuse parameter values that one backend cannot take, on every backend, so both answer alike.

    Refused: a NUL character in a string or map key (FalkorDB reads its parameter header as a C string, so a NUL
    would cut the query) and NaN or infinite floats (FalkorDB has no literal for them), at any depth of lists and
    maps.

    Raises:
        BadParameter: naming the parameter and the problem.
    """
    for name, value in (params or {}).items():
        _check_value(str(name), name)
        _check_value(str(name), value)


def _check_value(name: str, value: object) -> None:
    """``check_parameters`` of one value of parameter ``name``, at any depth."""
    kind = type(value)
    if kind in _UNCHECKED:
        return
    if kind is dict:
        _check_map(name, value)
    elif isinstance(value, str):
        if "\x00" in value:
            raise BadParameter(f"bad query parameter: ${name} contains a NUL character")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BadParameter(f"bad query parameter: ${name} = {value!r} is not a finite number")
    elif isinstance(value, list | tuple):
        for item in value:
            if type(item) is dict:
                _check_map(name, item)
            elif type(item) not in _UNCHECKED:
                _check_value(name, item)
    elif isinstance(value, dict):
        _check_map(name, value)


def _check_map(name: str, value: dict) -> None:
    """``_check_value`` of a map: its plain keys and scalars checked in the loop, the rest (and anything refused,
    for the message) by ``_check_value``. A call per row instead of one per value: the 774,039 rows of a Cypher
    build's ``write_graph`` (relationship rows with a nested ``props`` map) took 1.1-1.4 s against 2.2-2.5 s."""
    for key, item in value.items():
        if type(key) is not str or "\x00" in key:
            _check_value(name, key)
        kind = type(item)
        if kind is str:
            if "\x00" in item:
                _check_value(name, item)
        elif kind is float:
            if item - item != 0.0:  # NaN or an infinity
                _check_value(name, item)
        elif kind is dict:
            _check_map(name, item)
        elif kind not in _UNCHECKED:
            _check_value(name, item)


class NodeRows(Protocol):
    """Rows of nodes of one label, as ``write_graph`` takes them (e.g. ``loaders.base.NodeBatch``)."""

    label: str
    rows: list[dict]
    extra_labels: tuple[str, ...]


class RelationshipRows(Protocol):
    """Rows of relationships of one type, as ``write_graph`` takes them (e.g. ``loaders.base.RelationshipBatch``);
    ``source_label`` / ``target_label`` may be ``None`` when the type declares one label for that end."""

    type: str
    rows: list[dict]
    source_label: str | None
    target_label: str | None


@dataclass
class MergedNodes:
    """The nodes of a new graph from ``write_graph``'s node batches, merged on their keys as ``write_nodes`` merges
    them in a graph (``MERGE (n:Label {key}) SET n += props``): a new key is a new node; a known key gets the
    row's non-null properties (later rows win) and the batch's extra labels. Nodes are numbered in the order their
    keys first appear.

    The merge refers to the callers' row dicts (a node named by several rows gets one merged dict), so it holds
    no second copy of the graph. ``rows[i]`` / ``node_labels[i]``: properties and labels (schema label first) of
    node ``i``; ``ids``: label -> key -> node number; ``labels``: every label in first-use order.
    """

    schema: Schema
    rows: list[dict] = field(default_factory=list)
    node_labels: list[tuple[str, ...]] = field(default_factory=list)
    ids: dict[str, dict[object, int]] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)

    def add_nodes(self, batch: NodeRows) -> None:
        """Merge ``batch`` in (see the class docstring). Raises ``SchemaError`` for an undeclared label and
        ``KeyError`` for a row without the label's key or with a null one (``MERGE`` refuses a null key too)."""
        key = self.schema.key_of(batch.label)
        ids = self.ids.setdefault(batch.label, {})
        labels = (batch.label, *batch.extra_labels)
        self.labels.extend(x for x in labels if x not in self.labels)
        for row in batch.rows:
            node_key = row[key]
            if node_key is None:
                raise KeyError(f"a {batch.label} row with a null {key}: {row}")
            node_id = ids.get(node_key)
            if node_id is None:
                ids[node_key] = len(self.rows)
                self.rows.append(row)
                self.node_labels.append(labels)
                continue
            merged = dict(self.rows[node_id])
            merged.update((k, v) for k, v in row.items() if v is not None)
            self.rows[node_id] = merged
            known = self.node_labels[node_id]
            self.node_labels[node_id] = known + tuple(x for x in batch.extra_labels if x not in known)


def endpoint_labels(schema: Schema, batch: RelationshipRows) -> tuple[str, str]:
    """(source label, target label) of ``batch``. Raises ``SchemaError`` for a label the type does not declare or
    a missing one where the type declares several."""
    rel = schema.relationships[batch.type]
    return (end_label(batch.type, "source", rel.sources, batch.source_label),
            end_label(batch.type, "target", rel.targets, batch.target_label))


def resolved_ends(schema: Schema, batch: RelationshipRows,
                  ids: dict[str, dict[object, object]]) -> Iterator[tuple[object, object, dict]]:
    """``(source id, target id, row)`` for each row of ``batch`` whose two ends are in ``ids`` (label -> key ->
    the backend's id of the node, e.g. ``MergedNodes.ids``), ends looked up under the batch's end labels
    (``endpoint_labels``): the rows a ``MATCH`` of both ends on their keys would find, in order; the others are
    left out. Raises ``SchemaError`` for an undeclared end label."""
    source, target = endpoint_labels(schema, batch)
    sources, targets = ids.get(source, {}), ids.get(target, {})
    for row in batch.rows:
        a, b = sources.get(row["source"]), targets.get(row["target"])
        if a is not None and b is not None:
            yield a, b, row


def relationship_row(source: object, target: object, row: dict) -> dict:
    """The ``$rows`` item of a relationship write statement: ``{"source": source, "target": target, "props": the
    non-null properties of row}`` (``source`` / ``target``: whatever the statement matches the ends on)."""
    return {"source": source, "target": target,
            "props": {k: v for k, v in row.items() if v is not None and k not in ("source", "target")}}


def batched(rows: list[dict], size: int) -> Iterator[list[dict]]:
    """Successive slices of ``rows`` of at most ``size`` items."""
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def canonical_rows(rows: list[dict], digits: int = 9) -> list[str]:
    """``rows`` (a query answer) as a sorted list of strings, floats rounded to ``digits`` decimals: two backends
    give the same answer when these are equal (order-insensitive, floats to 1e-9; the backend-equivalence rule of
    the Neo4j issue). Lists inside values keep their order."""
    def norm(value):
        if isinstance(value, float):
            return round(value, digits)
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, dict):
            return {k: norm(v) for k, v in sorted(value.items())}
        return value
    return sorted(repr(norm(row)) for row in rows)


class GraphStore(ABC):
    """A property-graph store (FalkorDB embedded or Neo4j 5).

    Subclasses implement ``query``, ``_write``, ``apply_schema``, ``clear``, ``staging``, ``promote``,
    ``_fulltext_call``, ``set_vectors`` (with ``_write_vectors``), ``vector_search`` and ``close``;
    node/relationship writing, the generic reads and writes built from schema names (``read_nodes``,
    ``read_relationships``, ``delete_relationships``, ``clear_properties``, ``delete_nodes``, ``rename_map``;
    their Cypher is in :mod:`cellmap_kg.store.statements`), ``counts`` and the ``fulltext_search`` CONTAINS
    fallback are shared.
    """

    backend: str = "abstract"
    schema: Schema = SCHEMA

    # ---------------------------------------------------------------------------------------------- reading
    @abstractmethod
    def query(self, cypher: str, params: dict | None = None, *, timeout_ms: int | None = None,
              read_only: bool = False) -> list[dict]:
        """Run ``cypher`` with ``$parameters`` and return one dict per record (column name -> plain value).

        ``read_only=True`` asks the backend to refuse writes (FalkorDB ``GRAPH.RO_QUERY``, Neo4j read access
        mode). Raises ``StoreError`` on a syntax/runtime error and ``QueryTimeout`` past ``timeout_ms``.
        """

    def explain(self, cypher: str, params: dict | None = None) -> list[str]:
        """The backend's execution plan for ``cypher`` as lines of text (no rows are read)."""
        raise NotImplementedError

    def read_nodes(self, label: str, properties: Sequence[str], where: Where | None = None, *,
                   with_labels: bool = False) -> list[dict]:
        """The nodes of ``label`` selected by ``where`` (``statements.Where``; default: all), read-only: one dict
        per node, ``{property: value}`` for each of ``properties`` (``None`` where absent) and, with
        ``with_labels``, ``labels`` (all its labels). In no particular order.

        Raises ``SchemaError`` for an undeclared label or property, ``ValueError`` when nothing is asked for.
        """
        cypher, params = read_nodes_statement(label, properties, where, with_labels=with_labels,
                                              schema=self.schema)
        return self.query(cypher, params, read_only=True)

    def read_relationships(self, rel_type: str, properties: Sequence[str] = (), where: Where | None = None, *,
                           source_label: str | None = None, target_label: str | None = None,
                           source_where: Where | None = None, target_where: Where | None = None) -> list[dict]:
        """The relationships of ``rel_type`` selected by ``where`` (on the relationship) and ``source_where`` /
        ``target_where`` (on its end nodes), read-only: one dict per relationship, ``source`` and ``target`` (the
        end nodes' schema keys) and ``{property: value}`` for each of ``properties``. In no particular order.
        For a type with several declared labels at one end, name the end's label (``source_label`` /
        ``target_label``).

        Raises ``SchemaError`` for an undeclared type, label or property, or an end label left ambiguous.
        """
        cypher, params = read_relationships_statement(
            rel_type, properties, where, source_label=source_label, target_label=target_label,
            source_where=source_where, target_where=target_where, schema=self.schema)
        return self.query(cypher, params, read_only=True)

    # ---------------------------------------------------------------------------------------------- writing
    @abstractmethod
    def _write(self, cypher: str, rows: list[dict]) -> int:
        """Run ``cypher`` (which starts with ``UNWIND $rows AS row``) for one batch; return a count it RETURNs."""

    def write_nodes(self, label: str, rows: list[dict], extra_labels: Iterable[str] = (),
                    batch_size: int = DEFAULT_BATCH_SIZE) -> int:
        """MERGE nodes of ``label`` on the schema key and set the other properties of each row.

        Rows are dicts of declared properties (``None`` values are not written). Returns the rows written.
        """
        key = self.schema.key_of(label)
        labels = "".join(f" SET n:{x}" for x in extra_labels)
        cypher = (f"UNWIND $rows AS row MERGE (n:{label} {{{key}: row.key}}) SET n += row.props{labels} "
                  "RETURN count(n) AS n")
        written = 0
        for batch in batched(rows, batch_size):
            payload = [{"key": r[key], "props": {k: v for k, v in r.items() if v is not None and k != key}}
                       for r in batch]
            written += self._write(cypher, payload)
        return written

    def write_relationships(self, rel_type: str, rows: list[dict], batch_size: int = DEFAULT_BATCH_SIZE,
                            merge: bool = False, source_label: str | None = None,
                            target_label: str | None = None) -> int:
        """Create (or MERGE, with ``merge=True``) relationships of ``rel_type`` between existing nodes.

        Rows: ``{"source": key, "target": key, **properties}``. Endpoints are matched on the schema keys of the
        declared source/target labels; for a type with several declared targets (e.g. ``ENRICHED_FOR``) name the
        one of this batch with ``target_label`` (likewise ``source_label``). Returns the relationships written; the
        caller compares it with ``len(rows)`` to detect missing endpoints. Raises ``SchemaError`` for a label the
        type does not declare.
        """
        rel = self.schema.relationships[rel_type]
        source = end_label(rel_type, "source", rel.sources, source_label)
        target = end_label(rel_type, "target", rel.targets, target_label)
        skey, tkey = self.schema.key_of(source), self.schema.key_of(target)
        verb = "MERGE" if merge else "CREATE"
        cypher = (f"UNWIND $rows AS row MATCH (a:{source} {{{skey}: row.source}}) "
                  f"MATCH (b:{target} {{{tkey}: row.target}}) "
                  f"{verb} (a)-[r:{rel_type}]->(b) SET r += row.props RETURN count(r) AS n")
        written = 0
        for batch in batched(rows, batch_size):
            written += self._write(cypher, [relationship_row(r["source"], r["target"], r) for r in batch])
        return written

    def write_graph(self, nodes: Sequence[NodeRows], relationships: Sequence[RelationshipRows],
                    progress: Callable[[str, int], None] | None = None) -> list[int]:
        """Write a whole graph into this store's graph, which is empty (a fresh ``staging()`` graph), and apply
        the schema (``apply_schema``).

        The result is what ``write_nodes`` on every node batch, then ``write_relationships`` (CREATE) on every
        relationship batch, in the given order, makes; this default does exactly that, in ``UNWIND`` batches.
        Backends may load a new graph faster their own way with the same result (FalkorDB: ``GRAPH.BULK``).
        ``progress(what, n)`` is called after each batch with its rows.

        Returns the relationships written per batch of ``relationships``: fewer than its rows means some end
        nodes do not exist (the caller decides whether that is an error). Raises ``SchemaError`` for an
        undeclared label or relationship end, ``BadParameter`` for a value the backend cannot store.
        """
        self.apply_schema()
        for nb in nodes:
            self.write_nodes(nb.label, nb.rows, nb.extra_labels)
            if progress:
                progress(nb.label, len(nb.rows))
        written = []
        for rb in relationships:
            source, target = endpoint_labels(self.schema, rb)
            written.append(self.write_relationships(rb.type, rb.rows, source_label=source, target_label=target))
            if progress:
                progress(rb.type, len(rb.rows))
        return written

    def delete_relationships(self, rel_type: str, where: Where | None = None, *, source_label: str | None = None,
                             target_label: str | None = None, source_where: Where | None = None,
                             target_where: Where | None = None) -> int:
        """Delete the relationships of ``rel_type`` selected as in ``read_relationships`` (an end with several
        declared labels and no condition may stay unnamed); returns how many were deleted.

        Raises ``SchemaError`` for an undeclared type, label or property.
        """
        cypher, params = delete_relationships_statement(
            rel_type, where, source_label=source_label, target_label=target_label, source_where=source_where,
            target_where=target_where, schema=self.schema)
        rows = self.query(cypher, params)
        return rows[0]["n"] if rows else 0

    def clear_properties(self, name: str, properties: Sequence[str], where: Where | None = None, *,
                         source_where: Where | None = None, target_where: Where | None = None) -> int:
        """Remove ``properties`` (set them to null) from the nodes of label ``name``, or the relationships of type
        ``name``, selected by ``where`` (and, for relationships, ``source_where`` / ``target_where``); returns how
        many nodes or relationships had any of them.

        Raises ``SchemaError`` for an undeclared name or property, ``ValueError`` without properties.
        """
        cypher, params = clear_properties_statement(name, properties, where, source_where=source_where,
                                                    target_where=target_where, schema=self.schema)
        rows = self.query(cypher, params)
        return rows[0]["n"] if rows else 0

    def delete_nodes(self, selections: dict[str, Where]) -> dict[str, int]:
        """Delete, in one statement (atomically), the nodes of each ``label: where`` of ``selections`` with all
        their relationships; returns the nodes deleted per label.

        Raises ``SchemaError`` for an undeclared label or property, ``ValueError`` without selections.
        """
        cypher, params = delete_nodes_statement(selections, schema=self.schema)
        rows = self.query(cypher, params)
        return {label: rows[0][f"c{i}"] if rows else 0 for i, label in enumerate(selections)}

    def rename_map(self, staging: str, name: str, dataset: dict) -> int:
        """Make the staged cell map ``staging`` the map ``name`` in one statement (readers see no map or the whole
        map): its assemblies get ``map = name`` and ids ``name + <id after the staging name>``, and the ``Dataset``
        node ``dataset`` (a row with its ``id``) is written. Renames nothing if a map ``name`` exists.

        Returns the assemblies renamed (0 if a map ``name`` exists or nothing is staged).
        """
        props = {k: v for k, v in dataset.items() if k != "id"}
        rows = self.query(RENAME_MAP, {"staging": staging, "name": name, "cut": len(staging),
                                       "dataset": dataset["id"], "props": props})
        return rows[0]["n"] if rows else 0

    # ---------------------------------------------------------------------------------------------- schema
    @abstractmethod
    def apply_schema(self, schema: Schema | None = None) -> None:
        """Create uniqueness constraints / indexes on every node key and the full-text index (backend DDL)."""

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"nodes": {label: n}, "relationships": {type: n}}`` for every declared label and type present."""
        nodes, rels = {}, {}
        for label in list(self.schema.nodes) + sorted({x for n in self.schema.nodes.values()
                                                        for x in n.extra_labels}):
            n = self.query(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
            if n:
                nodes[label] = n
        for rel_type in self.schema.relationships:
            n = self.query(f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS n")[0]["n"]
            if n:
                rels[rel_type] = n
        return {"nodes": nodes, "relationships": rels}

    # ---------------------------------------------------------------------------------------------- lifecycle
    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship of this store's graph."""

    @abstractmethod
    def staging(self) -> GraphStore:
        """A store on a fresh, empty staging graph of the same backend (for atomic rebuilds)."""

    @abstractmethod
    def promote(self, staging: GraphStore) -> None:
        """Make ``staging``'s graph the live graph of this store, replacing the old one in one step."""

    # ---------------------------------------------------------------------------------------------- search
    def fulltext_search(self, label: str, text: str, limit: int = 20) -> list[dict]:
        """Nodes of ``label`` whose full-text-indexed properties match ``text``: ``[{"key", "score"}]``, best
        first, at most ``limit``. The backend's full-text index answers (``_indexed_search``); where ``label`` has
        none, a case-insensitive ``CONTAINS`` on the same properties does (``indexing.contains_search_cypher``).
        A ``text`` without search terms (``indexing.search_terms``) finds nothing."""
        key = self.schema.key_of(label)
        terms = search_terms(text)
        if not terms:
            return []
        call = self._fulltext_call(label, terms)
        if call is not None:
            procedure, params = call
            return self.query(f"{procedure} YIELD node, score "
                              f"RETURN node.{key} AS key, score ORDER BY score DESC, key LIMIT $limit",
                              {**params, "limit": limit}, read_only=True)
        props = fulltext_properties(self.schema).get(label, (key,))
        return self.query(contains_search_cypher(label, key, props), {"text": text.lower(), "limit": limit},
                          read_only=True)

    def fulltext_search_labels(self, labels: Sequence[str], text: str, limit: int = 20) -> dict[str, list[dict]]:
        """``fulltext_search`` for each of ``labels``: ``{label: [{"key", "score"}]}`` (every label present, each
        list best first, at most ``limit``). Backends may answer in fewer round trips with the same rows (Neo4j:
        one statement for every label with an index)."""
        return {label: self.fulltext_search(label, text, limit) for label in labels}

    @abstractmethod
    def _fulltext_call(self, label: str, terms: list[str]) -> tuple[str, dict] | None:
        """The backend's full-text index procedure call for ``label`` and the non-empty search ``terms``:
        ``("CALL ...(...)", params)``, the call yielding ``node, score`` (``$limit`` is added by
        ``fulltext_search``), or ``None`` when ``label`` has no full-text index (the CONTAINS fallback runs)."""

    @abstractmethod
    def set_vectors(self, label: str, prop: str, vectors: dict[str, list[float]]) -> None:
        """Store ``vectors`` (node key -> float vector) on ``label.prop`` and (re)create its vector index.

        Raises:
            ValueError: no vectors, vectors of different lengths, or a bad property name.
            StoreError: some keys are not nodes of ``label`` (nothing is written then).
        """

    @abstractmethod
    def vector_search(self, label: str, prop: str, vector: list[float], k: int = 10) -> list[dict]:
        """The ``k`` nodes of ``label`` nearest to ``vector`` by cosine: ``[{"key", "score"}]``, nearest first
        (score = cosine similarity)."""

    def _write_vectors(self, label: str, prop: str, vectors: dict[str, list[float]], value: str = "row.v") -> int:
        """Validate ``set_vectors`` input, then ``SET n.<prop> = <value>`` on every node of ``label`` in batches of
        1000; ``value`` is the backend's Cypher for the stored vector built from ``row.v`` (a list of floats).
        Returns the common vector length (the index dimension).

        Raises:
            ValueError: no vectors, vectors of different or zero length, or a bad property name.
            StoreError: some keys are not nodes of ``label`` (nothing is written then).
        """
        key, prop = self.schema.key_of(label), identifier(prop)
        dims = self._checked_vectors(label, vectors)
        rows = [{"key": k, "v": [float(x) for x in v]} for k, v in vectors.items()]
        cypher = f"UNWIND $rows AS row MATCH (n:{label} {{{key}: row.key}}) SET n.{prop} = {value} RETURN count(n) AS n"
        for batch in batched(rows, 1000):
            self._write(cypher, batch)
        return dims

    def _checked_vectors(self, label: str, vectors: dict[str, list[float]]) -> int:
        """Validate ``set_vectors`` input and return the common vector length.

        Raises:
            ValueError: no vectors, or vectors of different or zero length.
            StoreError: some keys are not nodes of ``label`` (so nothing should be written).
        """
        key = self.schema.key_of(label)
        dims = {len(v) for v in vectors.values()}
        if len(dims) != 1 or 0 in dims:
            raise ValueError(f"set_vectors({label}) needs non-empty vectors of one length, got lengths {sorted(dims)}")
        missing = self.query(f"UNWIND $keys AS k OPTIONAL MATCH (n:{label} {{{key}: k}}) "
                             "WITH k, n WHERE n IS NULL RETURN k", {"keys": list(vectors)}, read_only=True)
        if missing:
            raise StoreError(f"set_vectors: {len(missing)} of {len(vectors)} keys are not {label} nodes, "
                             f"e.g. {[r['k'] for r in missing[:5]]}")
        return dims.pop()

    def flush(self) -> None:
        """Make every write acknowledged so far durable: after ``flush`` returns, a crash of the database (even
        ``SIGKILL``) loses none of them. Every command that writes calls it before it reports success.

        The default does nothing: a backend whose commits are durable (Neo4j's transaction log) needs nothing.

        Raises:
            StoreError: the writes could not be made durable (the message says why).
        """
        return None

    def reconnect(self) -> None:
        """Bring the database back after ``StoreUnavailable``, where the project runs it itself (FalkorDB: restart
        the embedded server from its snapshot). The default does nothing: a driver that reconnects by itself
        (Neo4j) finds a restarted server on its next query.

        Raises:
            StoreUnavailable: the database is still unreachable.
        """
        return None

    @abstractmethod
    def close(self) -> None:
        """Release connections (the embedded FalkorDB server keeps running for reuse; see ``stop``)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
