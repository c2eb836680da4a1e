"""Structure models in their assemblies: ``(:StructureModel)-[:MODELLED_IN]->(:Assembly)``.

A structure model of a protein pair (``loaders/structures.py``: the U2OS heterodimers' AlphaFold-Multimer models)
belongs to every assembly, of every map, that holds both of its proteins (``MEMBER_OF``; assembly member lists are
propagated, so a pair in a small assembly is also in its ancestors). Run after the load as the ``structures``
analysis; its relationships carry ``dataset: 'cellmap-kg-analyses'`` and ``analysis: 'structures'``.
"""

from __future__ import annotations

from ..queries.registry import run_internal
from ..store.base import GraphStore
from .graph_io import AnalysisError, MissingInputError, clear_relationships, provenance

ANALYSIS = "structures"

def link_structures(store: GraphStore) -> dict:
    """Replace the ``MODELLED_IN`` relationships; returns ``{"models", "linked" (models in >= 1 assembly),
    "relationships", "byMap": {map: relationships}}``.

    Raises ``MissingInputError`` without ``StructureModel`` nodes and ``AnalysisError`` if a write falls short.
    """
    models = len(store.read_nodes("StructureModel", ("id",)))
    if not models:
        raise MissingInputError("no StructureModel in the graph (build with the u2os-afm-heterodimers source)")
    clear_relationships(store, "MODELLED_IN", ANALYSIS)
    pairs = run_internal(store, "structure-model-assemblies")
    stamp = provenance(ANALYSIS)
    rows = [{"source": r["source"], "target": r["target"], **stamp} for r in pairs]
    written = store.write_relationships("MODELLED_IN", rows) if rows else 0
    if written != len(rows):
        raise AnalysisError(f"MODELLED_IN: wrote {written} of {len(rows)}")
    by_map: dict[str, int] = {}
    for r in pairs:
        by_map[r["map"]] = by_map.get(r["map"], 0) + 1
    return {"models": models, "linked": len({r["source"] for r in pairs}), "relationships": len(rows),
            "byMap": dict(sorted(by_map.items()))}
