"""The two link-prediction tasks and the input (message-passing) graph each one learns on.

(a) ``ppi``: held-out AP-MS interactions, ``(Protein, PULLED_DOWN, Protein)`` read as undirected.
    ``SUBUNIT_OF`` (CORUM) and the then edge-less ``Complex`` nodes are *removed* from the input graph, because
    CORUM co-complex pairs are the external check of the predicted interactions
    (:mod:`cellmap_kg.gnn.external`): with CORUM in the input, that check would be circular. The co-embedding
    (``PROXIMAL_TO``) and the cell-map assemblies stay: they are other evidence (U2OS images and U2OS AP-MS, a
    different experiment and cell line from the HEK293T pull-downs that are held out), not the supervised relation.
(b) ``membership``: held-out ``(Protein, MEMBER_OF, Assembly)`` edges of the U2OS map (``U2OS-2023-05``), root
    excluded (every mapped protein is in the root). Memberships in other maps and in the root stay in the input
    graph as ``(Protein, MEMBER_OF_OTHER, Assembly)``. Note that a cell map is upward closed (a member of a child
    assembly is a member of its parent), so many held-out memberships are implied by a kept child membership:
    that is structure available at prediction time, not leakage, but it makes the edge split easy; the
    protein-disjoint split is the hard version.

``task_graph`` adds both directions of symmetric relations and a ``rev_<TYPE>`` edge type for every directed one,
so every node type receives messages. Edge attributes are not used by the encoder and are not copied. The target
node type carries ``link_candidate`` (boolean per node): the nodes a predicted link, or a negative, may point to.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch_geometric.data import HeteroData

from ..sources import DEFAULT_MAP
from .heterodata import GraphExport
from .spec import EDGE_SPECS, EdgeType

UNDIRECTED_RELATIONS = frozenset(s.relationship for s in EDGE_SPECS if s.undirected)
OTHER_MEMBERSHIP = "MEMBER_OF_OTHER"


@dataclass(frozen=True)
class Task:
    """A link-prediction task.

    Attributes:
        name: ``ppi`` or ``membership``.
        edge_type: the supervised edge type in the task graph.
        undirected: the supervised relation is symmetric (both directions in the message-passing graph).
        drop_relationships: relationship types removed from the input graph (with a reason in the docs).
        target_map: for membership, the cell map whose (non-root) memberships are supervised.
        pair_features: default ``PairFeatures`` components of the ``mlp`` decoder for this task.
        decoder: default decoder of the GNN (``ncn`` needs a symmetric relation between nodes of one type).
    """

    name: str
    edge_type: EdgeType
    undirected: bool
    drop_relationships: tuple[str, ...] = ()
    target_map: str | None = None
    pair_features: tuple[str, ...] = ("whole", "degree")
    decoder: str = "mlp"

    @property
    def rev_edge_type(self) -> EdgeType | None:
        """The reverse edge type carrying the flipped supervised edges (``None`` for a symmetric relation)."""
        if self.undirected:
            return None
        src, rel, dst = self.edge_type
        return dst, f"rev_{rel}", src

    @property
    def source_type(self) -> str:
        return self.edge_type[0]

    @property
    def target_type(self) -> str:
        return self.edge_type[2]


TASKS: dict[str, Task] = {
    "ppi": Task("ppi", ("Protein", "PULLED_DOWN", "Protein"), undirected=True, drop_relationships=("SUBUNIT_OF",),
                pair_features=("relation", "whole"), decoder="ncn"),
    "membership": Task("membership", ("Protein", "MEMBER_OF", "Assembly"), undirected=False,
                       target_map=DEFAULT_MAP),
}


def get_task(name: str) -> Task:
    """The task called ``name``. Raises ``KeyError`` listing the known tasks."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown GNN task {name!r}; known: {', '.join(TASKS)}") from None


def target_candidates(export: GraphExport, task: Task) -> torch.Tensor:
    """Boolean ``(N_target,)``: nodes that may be the target of a predicted link (and of a negative).

    All proteins for ``ppi``; for ``membership`` the non-root assemblies of ``task.target_map``.
    """
    if task.target_map is None:
        return torch.ones(len(export.keys[task.target_type]), dtype=torch.bool)
    props = export.node_properties["Assembly"]
    pairs = zip(props["map"], props["isRoot"], strict=True)
    return torch.tensor([m == task.target_map and not root for m, root in pairs], dtype=torch.bool)


def task_graph(export: GraphExport, task: Task, hops: int | None = 2) -> HeteroData:
    """The input graph of ``task``: node features plus every kept edge type with its reverse.

    Symmetric relations get both directions in one edge type; directed ones get ``rev_<TYPE>``. Node types left
    without any edge are dropped. With ``hops`` (the encoder's number of layers), nodes of other types farther than
    ``hops`` edges from every protein / assembly are removed (:func:`prune_unreachable`): an exact saving, since
    they cannot reach any task node's embedding (mostly GO terms far from every annotation).
    Shapes: as the export, with ``edge_index`` ``(2, E)`` per (reverse) type; node types other than the task's
    may be re-indexed (``data[t].export_index`` maps back to the export's indices).
    """
    data = HeteroData()
    edges: dict[EdgeType, torch.Tensor] = {}
    for et in export.data.edge_types:
        if et[1] in task.drop_relationships:
            continue
        edge_index = export.data[et].edge_index
        if task.target_map and et == task.edge_type:
            mask = target_candidates(export, task)[edge_index[1]]
            edges[(et[0], OTHER_MEMBERSHIP, et[2])] = edge_index[:, ~mask]
            edge_index = edge_index[:, mask]
        edges[et] = edge_index
    used = {t for et, ei in edges.items() if ei.size(1) for t in (et[0], et[2])} | {task.source_type,
                                                                                    task.target_type}
    for label in export.keys:
        if label in used:
            data[label].x = export.data[label].x
            data[label].num_nodes = len(export.keys[label])
    data[task.target_type].link_candidate = target_candidates(export, task)
    for (src, rel, dst), edge_index in edges.items():
        if src not in used or dst not in used or (edge_index.size(1) == 0 and (src, rel, dst) != task.edge_type):
            continue
        if rel in UNDIRECTED_RELATIONS:
            data[src, rel, dst].edge_index = torch.cat([edge_index, edge_index.flip(0)], dim=1)
        else:
            data[src, rel, dst].edge_index = edge_index
            data[dst, f"rev_{rel}", src].edge_index = edge_index.flip(0)
    if hops is not None:
        data = prune_unreachable(data, (task.source_type, task.target_type), hops)
    return data


def prune_unreachable(data: HeteroData, keep_types: tuple[str, ...], hops: int) -> HeteroData:
    """A copy of ``data`` without the nodes farther than ``hops`` edges from every node of ``keep_types``.

    Nodes of ``keep_types`` are all kept with their indices; other types are re-indexed, and their nodes carry
    ``export_index`` (``(N_t',)``: index in ``data``). Edges lose any column with a removed endpoint.
    """
    reached = {t: torch.zeros(data[t].num_nodes, dtype=torch.bool) for t in data.node_types}
    for t in keep_types:
        reached[t][:] = True
    for _ in range(hops):
        step = {t: r.clone() for t, r in reached.items()}
        for (src, _, dst), edge_index in data.edge_index_dict.items():
            step[dst][edge_index[1][reached[src][edge_index[0]]]] = True
        reached = step
    out = HeteroData()
    new_index = {}
    for t in data.node_types:
        keep = reached[t]
        new_index[t] = torch.full((len(keep),), -1, dtype=torch.long)
        new_index[t][keep] = torch.arange(int(keep.sum()))
        for key, value in data[t].items():
            out[t][key] = value[keep] if key != "num_nodes" else int(keep.sum())
        if t not in keep_types:
            out[t].export_index = keep.nonzero().view(-1)
    for (src, rel, dst), edge_index in data.edge_index_dict.items():
        ok = reached[src][edge_index[0]] & reached[dst][edge_index[1]]
        out[src, rel, dst].edge_index = torch.stack([new_index[src][edge_index[0, ok]],
                                                     new_index[dst][edge_index[1, ok]]])
    return out
