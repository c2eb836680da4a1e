"""Export one cell map of the graph as an HCX hierarchy: the CX2 format that Cytoscape (Cytoscape Web / HiView)
and the Cell Mapping Toolkit read (format notes in ``cellmap_kg.loaders.hcx``).

Two files are written, as the toolkit's ``cellmaps_generate_hierarchy`` does:

* ``FILE.cx2``: the hierarchy, one node per assembly (``HCX::members`` = ids of interactome nodes,
  ``CD_MemberList`` = space-separated HGNC symbols), edges parent -> child (``CONTAINS``);
* ``FILE_interactome.cx2`` (named by ``HCX::interactionNetworkName``): one node per member protein and, when the
  graph has them, the protein-protein edges among members (default ``PROXIMAL_TO``, the U2OS co-embedding
  network the map was built from), with their ``interaction`` type, ``dataset`` and numeric properties.

``read_hcx(FILE.cx2, FILE_interactome.cx2)`` reads the files back to the same hierarchy (tested).

Example::

    >>> export_hcx(store, Path("u2os.cx2"), map_id="U2OS-2023-05")  # doctest: +SKIP
    HcxExport(hierarchy=PosixPath('u2os.cx2'), interactome=PosixPath('u2os_interactome.cx2'), assemblies=270, ...)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..analyses.graph_io import map_names
from ..errors import UserError
from ..loaders.cellmap import Hierarchy, MapAssembly
from ..loaders.hcx import write_hcx
from ..queries.registry import run_internal
from ..sources import DEFAULT_MAP
from ..store.base import GraphStore
from .cx2 import CX2Network

DEFAULT_INTERACTIONS = ("PROXIMAL_TO",)
INTERACTION_TYPES = ("PROXIMAL_TO", "PULLED_DOWN")
"""Protein-protein relationship types that may be written into the interactome."""


class HcxExportError(UserError, ValueError):
    """The map to export does not exist or is not a single-rooted hierarchy."""


@dataclass(frozen=True)
class HcxExport:
    """Paths written and what they hold (``assemblies``, ``proteins`` = interactome nodes, ``interactions``)."""

    hierarchy: Path
    interactome: Path
    assemblies: int
    proteins: int
    interactions: int


def hierarchy_from_graph(store: GraphStore, map_id: str) -> Hierarchy:
    """The assemblies of ``map_id`` with their member symbols (sorted), ``CONTAINS`` edges and root, as a
    ``Hierarchy`` (``cluster_id`` = ``Assembly.clusterId``).

    Raises ``HcxExportError`` if the map has no assemblies or not exactly one root (``isRoot``).
    """
    rows = run_internal(store, "map-clusters", map=map_id)
    if not rows:
        raise HcxExportError(f"no assemblies of map {map_id!r}; maps in the graph: {map_names(store)}")
    edges = sorted((e["parentCluster"], e["childCluster"]) for e in run_internal(store, "map-hierarchy", map=map_id))
    roots = [r["clusterId"] for r in rows if r["isRoot"]]
    if len(roots) != 1:
        raise HcxExportError(f"map {map_id!r} has {len(roots)} root assemblies {roots[:5]}; expected one")
    assemblies = [MapAssembly(r["clusterId"], sorted(r["members"]), len(r["members"]), r["persistence"], r["name"])
                  for r in rows]
    return Hierarchy(assemblies, edges, roots[0], name=map_id)


def _interactions(store: GraphStore, map_id: str, root: str, types: tuple[str, ...]) -> list[dict]:
    unknown = [t for t in types if t not in INTERACTION_TYPES]
    if unknown:
        raise HcxExportError(f"interaction types {unknown} are not among {list(INTERACTION_TYPES)}")
    if not types:
        return []
    rows = run_internal(store, "assembly-interactions", map=map_id, root=root, types=list(types))
    return sorted(rows, key=lambda r: (r["source"], r["target"], r["type"]))


def _add_interactome_edges(path: Path, interactions: list[dict]) -> None:
    """Rewrite the interactome written by ``write_hcx`` (nodes only) with ``interactions`` as CX2 edges, keeping
    its node ids (which the hierarchy's ``HCX::members`` refer to)."""
    with open(path, encoding="utf-8") as fh:
        aspects = json.load(fh)
    attributes: dict = {}
    nodes: list[dict] = []
    for aspect in aspects:
        attributes.update(*(aspect.get("networkAttributes") or [{}]))
        nodes.extend(aspect.get("nodes") or [])
    network = CX2Network(attributes)
    cx_id = {}
    for node in sorted(nodes, key=lambda n: n["id"]):
        cx_id[node["v"]["n"]] = network.add_node({"name": node["v"]["n"], "represents": node["v"]["r"]})
        if cx_id[node["v"]["n"]] != node["id"]:
            raise HcxExportError(f"{path}: interactome node ids are not 0..n-1; cannot add edges")
    for row in interactions:
        props = {k: v for k, v in row["props"].items() if isinstance(v, str | int | float)}
        network.add_edge(cx_id[row["source"]], cx_id[row["target"]], {"interaction": row["type"], **props})
    network.write(path)


def interactome_path(path: Path) -> Path:
    """The interactome file written next to the hierarchy ``path``: ``<stem>_interactome.cx2``."""
    return path.with_name(f"{path.stem}_interactome.cx2")


def export_hcx(store: GraphStore, path: Path | str, map_id: str = DEFAULT_MAP,
               interactions: tuple[str, ...] = DEFAULT_INTERACTIONS) -> HcxExport:
    """Write map ``map_id`` as HCX to ``path`` and its interactome to ``interactome_path(path)``.

    Args:
        store: the graph.
        path: the hierarchy file (``.cx2``).
        map_id: the cell map (``Assembly.map``), default the U2OS map.
        interactions: protein-protein relationship types among the root's members to write into the interactome
            (subset of ``INTERACTION_TYPES``; empty for nodes only).

    Raises ``HcxExportError`` for an unknown map or interaction type, or a map without a single root.
    """
    path = Path(path)
    hierarchy = hierarchy_from_graph(store, map_id)
    parent = interactome_path(path)
    write_hcx(hierarchy, path, parent)
    rows = _interactions(store, map_id, hierarchy.root, tuple(interactions))
    if rows:
        _add_interactome_edges(parent, rows)
    proteins = len({g for a in hierarchy.assemblies for g in a.genes})
    return HcxExport(path, parent, len(hierarchy.assemblies), proteins, len(rows))
