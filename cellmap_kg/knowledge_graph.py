"""The Python face of cellmap-kg: one object that opens a store and runs the query library on it.

Example::

    from cellmap_kg import KnowledgeGraph
    with KnowledgeGraph() as kg:                    # embedded FalkorDB in ./.cellmap-kg
        rows = kg.query("protein", symbol="DPP9")  # list of dicts, one per record
        kg.cypher("MATCH (a:Assembly) RETURN count(a) AS n")
        kg.add_map("hierarchy.cx2", "CM4AI-2024")  # your own map (HCX, HiDeF, DDOT), atomically
        kg.compare_maps("U2OS-2023-05", "CM4AI-2024")
"""

from __future__ import annotations

from pathlib import Path

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

    def maps(self) -> list[dict]:
        """The cell maps of the graph (library query ``maps``): map, assemblies, proteins, dataset, cellLine,
        added, details."""
        from .maps import list_maps

        return list_maps(self.store)

    def add_map(self, path: str | Path, name: str, **options):
        """Add the cell map in ``path`` (HCX/CX2, HiDeF ``.nodes``, DDOT ``.ont``) as map ``name``, atomically.

        ``options`` are those of ``cellmap_kg.maps.add_map`` (``fmt``, ``edges``, ``parent``, ``names``,
        ``data_dir``, ``analyses``, ``resolver``, ``options``). Returns its ``MapAddResult``. Raises ``MapError``,
        ``MissingDataError``, ``DataFormatError`` (file, line, what was expected); on failure nothing is left.
        """
        from .maps import add_map

        return add_map(self.store, Path(path), name, **options)

    def remove_map(self, name: str) -> dict:
        """Remove the map ``name`` added with ``add_map`` (one statement). Raises ``MapError``."""
        from .maps import remove_map

        return remove_map(self.store, name)

    def compare_maps(self, map_a: str, map_b: str, shared_proteins: bool = False) -> dict:
        """Write every assembly's best match (Jaccard of member sets, restricted to the proteins both maps hold
        with ``shared_proteins``) between two maps as ``MATCHES`` both ways; returns the comparison summary.
        Raises ``AnalysisError`` for an unknown map."""
        from .maps import compare_maps

        return compare_maps(self.store, map_a, map_b, shared_proteins=shared_proteins)

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
