"""Neo4j Graph Data Science (GDS) node embeddings of a graph given as an edge list, in a Neo4j that has GDS.

The graph is projected into GDS's in-memory graph catalog by a *Cypher aggregation* (``gds.graph.project`` as an
aggregation function over ``UNWIND $edges``, GDS >= 2.4): the sources and targets are plain integers, so nothing is
read from or written to the database. It works on Community, needs no scratch labels or transaction, and the node
ids GDS streams back are those integers (GDS keeps them as the projected graph's original ids). Every node
``0..N-1`` is projected, also one without an edge (a row with a ``null`` target adds a node alone). The projected
graph is dropped afterwards (``gds.graph.drop``), also when the algorithm fails.

Algorithms (``stream`` mode, GDS docs "Node embeddings"):

- ``fastRP``: Fast Random Projection (Chen et al. 2019, "Fast and Accurate Network Embeddings via Very Sparse
  Random Projection", CIKM), ``gds.fastRP.stream``;
- ``node2vec``: Grover & Leskovec 2016 (KDD), ``gds.node2vec.stream``.

Relationships are projected as given (``NATURAL`` orientation): an undirected graph is passed with both directions
of each edge, as PyG stores it.

GDS is installed into the project's Neo4j by ``cellmap-kg neo4j install --with-gds`` (``neo4j_server``).

Example::

    >>> with open_store("bolt://127.0.0.1:7687") as store:                       # doctest: +SKIP
    ...     z = node_embeddings(store, np.array([[0, 1], [1, 0]]), 3, "fastRP", {"embeddingDimension": 8})
    >>> z.shape                                                                  # doctest: +SKIP
    (3, 8)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from .base import GraphStore, StoreError

ALGORITHMS = ("fastRP", "node2vec")
INSTALL_HINT = "install it with `cellmap-kg neo4j install --with-gds` and restart (`cellmap-kg neo4j stop`, `start`)"

PROJECT = """
UNWIND $rows AS row
WITH gds.graph.project($name, row[0], row[1]) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
"""


class GDSUnavailable(StoreError):
    """The store is not a Neo4j with the Graph Data Science procedures (the message says how to install them)."""


def gds_version(store: GraphStore) -> str:
    """The GDS version of ``store`` (``CALL gds.version()``), e.g. ``"2.13.9"``.

    Raises:
        GDSUnavailable: ``store`` is not Neo4j, or its Neo4j has no GDS procedures (message names the install).
    """
    if store.backend != "neo4j":
        raise GDSUnavailable(f"Neo4j Graph Data Science needs a Neo4j store, not {store.backend} ({store.uri})")
    try:
        rows = store.query("CALL gds.version() YIELD gdsVersion RETURN gdsVersion", read_only=True)
    except StoreError as exc:
        if "gds.version" not in str(exc):
            raise
        raise GDSUnavailable(f"the Neo4j at {store.uri} has no Graph Data Science procedures: {INSTALL_HINT}") \
            from exc
    return rows[0]["gdsVersion"]


def gds_version_at(uri: str) -> str:
    """:func:`gds_version` of the store at ``uri``, opened for the call.

    Raises:
        GDSUnavailable: ``uri`` cannot be reached, is not Neo4j, or has no GDS (the message says what to do).
    """
    from . import open_store

    try:
        with open_store(uri) as store:
            return gds_version(store)
    except GDSUnavailable:
        raise
    except StoreError as exc:
        raise GDSUnavailable(f"no Neo4j with Graph Data Science answers at {uri} (for the project's Neo4j: "
                             f"`cellmap-kg neo4j install --with-gds`, `cellmap-kg neo4j start`): "
                             f"{str(exc).splitlines()[0]}") from exc


def _rows(edge_index: np.ndarray, num_nodes: int) -> list[list[int | None]]:
    """``[source, target]`` per edge, then ``[node, None]`` for each node without an edge (GDS adds it alone)."""
    edges = np.asarray(edge_index, dtype=np.int64)
    if edges.ndim != 2 or edges.shape[0] != 2:
        raise ValueError(f"edge_index must have shape (2, E), got {edges.shape}")
    if edges.size and (edges.min() < 0 or edges.max() >= num_nodes):
        raise ValueError(f"edge_index holds node ids outside 0..{num_nodes - 1}")
    alone = np.setdiff1d(np.arange(num_nodes), edges.reshape(-1))
    return edges.T.tolist() + [[int(i), None] for i in alone]


@contextmanager
def projected_graph(store: GraphStore, edge_index: np.ndarray, num_nodes: int) -> Iterator[str]:
    """Project the graph ``edge_index (2, E)`` over nodes ``0..num_nodes-1`` into GDS's catalog; yields its name
    and drops it on exit. Nothing is written to the database (module docstring).

    Raises:
        GDSUnavailable: no GDS in ``store`` (see :func:`gds_version`).
        ValueError: ``edge_index`` is not ``(2, E)`` or names a node outside ``0..num_nodes-1``.
        StoreError: the projection failed (GDS's message).
    """
    gds_version(store)
    name = f"cellmap-kg-{uuid.uuid4().hex}"
    rows = _rows(edge_index, num_nodes)
    store.query(PROJECT, {"rows": rows, "name": name}, read_only=True)
    try:
        yield name
    finally:
        store.query("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", {"name": name},
                    read_only=True)


def projected_edges(store: GraphStore, name: str) -> np.ndarray:
    """``(2, E)`` the relationships of the projected graph ``name`` in node ids of the projection
    (``gds.graph.relationships.stream``), sorted by source then target.

    Raises ``StoreError``: no projected graph ``name`` (or no GDS) on this Neo4j."""
    rows = store.query("CALL gds.graph.relationships.stream($name) YIELD sourceNodeId, targetNodeId "
                       "RETURN sourceNodeId AS s, targetNodeId AS t ORDER BY s, t", {"name": name}, read_only=True)
    return np.array([[r["s"] for r in rows], [r["t"] for r in rows]], dtype=np.int64).reshape(2, -1)


def stream_embeddings(store: GraphStore, name: str, algorithm: str, config: dict) -> np.ndarray:
    """``(N, d)`` float32: ``gds.<algorithm>.stream(name, config)``, row ``i`` the embedding of node ``i``.

    ``config``: the algorithm's configuration map (GDS docs: ``embeddingDimension``, ``randomSeed``, ...).

    Raises:
        ValueError: ``algorithm`` is not one of ``ALGORITHMS``.
        StoreError: GDS refused the configuration or failed (its message).
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown GDS embedding {algorithm!r}; use one of {', '.join(ALGORITHMS)}")
    rows = store.query(f"CALL gds.{algorithm}.stream($name, $config) YIELD nodeId, embedding "
                       "RETURN nodeId AS node, embedding ORDER BY node", {"name": name, "config": config},
                       read_only=True)
    z = np.array([r["embedding"] for r in rows], dtype=np.float32)
    if [r["node"] for r in rows] != list(range(len(rows))):
        raise StoreError(f"gds.{algorithm}.stream returned node ids other than 0..{len(rows) - 1}")
    return z


def node_embeddings(store: GraphStore, edge_index: np.ndarray, num_nodes: int, algorithm: str,
                    config: dict) -> np.ndarray:
    """``(num_nodes, d)``: the GDS ``algorithm`` embedding of the graph ``edge_index (2, E)``
    (:func:`projected_graph`, then :func:`stream_embeddings`; the projection is dropped afterwards).

    Raises:
        GDSUnavailable, ValueError, StoreError: see :func:`projected_graph` and :func:`stream_embeddings`.
    """
    with projected_graph(store, edge_index, num_nodes) as name:
        return stream_embeddings(store, name, algorithm, config)
