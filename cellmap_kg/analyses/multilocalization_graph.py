"""Multi-localized proteins and multi-parent assemblies of one cell map, on the graph.

Reads the map's ``CONTAINS`` edges and ``MEMBER_OF`` lists, computes with ``multilocalization.multilocalization``
(terminal assemblies, number of distinct paths to the root, multi-localized = more than one path; Schaffer et al.,
Nature 2025, Methods "Multi-localization analysis": ~30% of proteins and 23 multi-parent assemblies in the
published map) and writes:

* ``Protein.terminalAssemblies`` (assembly ids), ``Protein.pathsToRoot``, ``Protein.multiLocalized`` for every
  member of the map. These properties describe one map: re-running (on any map) first clears them on every protein;
* ``Assembly.multiParent`` (more than one parent) on every assembly of the map.
"""

from __future__ import annotations

from ..store.base import GraphStore
from .graph_io import DEFAULT_MAP, AnalysisError, check_map, clear_properties, read_hierarchy_edges, read_memberships
from .multilocalization import hierarchy_graph, multi_parent_assemblies, multilocalization

ANALYSIS = "multi-localization"
PROTEIN_PROPERTIES = ("terminalAssemblies", "pathsToRoot", "multiLocalized")


def localize_proteins(store: GraphStore, map_name: str = DEFAULT_MAP, write_proteins: bool = True) -> dict:
    """Compute and write multi-localization for ``map_name``.

    With ``write_proteins=False`` only ``Assembly.multiParent`` of the map is written and the per-protein
    properties (which describe one map) keep the values of the map they were computed on (``cellmap-kg map
    add`` analyses a new map this way).

    Returns ``{"map", "proteins", "multiLocalized", "multiLocalizedPercent", "maxPathsToRoot", "assemblies",
    "multiParent"}``. Raises ``AnalysisError`` for an unknown map or a hierarchy that is not a single-rooted DAG.
    """
    check_map(store, map_name)
    memberships = read_memberships(store, map_name)
    edges = read_hierarchy_edges(store, map_name)
    try:
        table = multilocalization(edges, memberships)
        multi_parent = set(multi_parent_assemblies(hierarchy_graph(edges, memberships)))
    except ValueError as exc:
        raise AnalysisError(f"map {map_name}: {exc}") from exc
    if write_proteins:
        clear_properties(store, "Protein", PROTEIN_PROPERTIES)
        store.write_nodes("Protein", [
            {"symbol": r.protein, "terminalAssemblies": list(r.terminalAssemblies),
             "pathsToRoot": int(r.pathsToRoot),
             "multiLocalized": bool(r.multiLocalized)} for r in table.itertuples(index=False)])
    store.write_nodes("Assembly", [{"id": a, "multiParent": a in multi_parent} for a in memberships])
    n_multi = int(table.multiLocalized.sum())
    return {"map": map_name, "proteins": len(table), "multiLocalized": n_multi,
            "multiLocalizedPercent": round(100 * n_multi / len(table), 1) if len(table) else 0.0,
            "maxPathsToRoot": int(table.pathsToRoot.max()) if len(table) else 0,
            "assemblies": len(memberships), "multiParent": len(multi_parent)}
