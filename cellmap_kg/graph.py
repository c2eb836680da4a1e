"""The Python face of cellmap-kg: one object that opens a store and runs the query library on it.

Example::

    from cellmap_kg import KnowledgeGraph
    with KnowledgeGraph() as kg:                    # embedded FalkorDB in ./.cellmap-kg
        rows = kg.query("protein", symbol="DPP9")  # list of dicts, one per record
        kg.cypher("MATCH (a:Assembly) RETURN count(a) AS n")
"""

from __future__ import annotations

from .queries.registry import QuerySpec, get_query, load_queries
from .store import open_store
from .store.base import GraphStore


class KnowledgeGraph:
    """A cell-map knowledge graph in a store.

    Args:
        store: a store URI (``falkordb:///dir``, ``neo4j://host:7687``), an open ``GraphStore``, or ``None``
            for the default (``$CELLMAP_KG_STORE`` or ``./.cellmap-kg``).
    """

    def __init__(self, store: str | GraphStore | None = None):
        self.store = store if isinstance(store, GraphStore) else open_store(store)

    @property
    def queries(self) -> dict[str, QuerySpec]:
        """The query library by name (parsed once per process, see ``load_queries``)."""
        return load_queries()

    def query(self, name: str, **params) -> list[dict]:
        """Run the library query ``name`` with keyword parameters (validated and typed from its header).

        The library is parsed once per process (and again only if a query file changes), so a call costs the
        parameter binding (microseconds) plus the database. Raises ``UnknownQueryError``
        naming the closest query names, ``QueryParameterError`` naming a bad parameter, and the store's errors.
        """
        return get_query(name).run(self.store, params)

    def cypher(self, text: str, **params) -> list[dict]:
        """Run read-only Cypher ``text`` with ``$parameters`` and return plain-value records."""
        return self.store.query(text, params, read_only=True)

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and relationship counts per type."""
        return self.store.counts()

    def close(self) -> None:
        """Close the store connection."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
