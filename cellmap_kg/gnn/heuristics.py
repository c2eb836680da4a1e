"""Neighbourhood heuristics for link prediction: common neighbours and Adamic-Adar.

Both score a pair ``(u, v)`` from the neighbourhoods ``N(u)``, ``N(v)`` in a homogeneous undirected graph
(Liben-Nowell & Kleinberg 2007, J Am Soc Inf Sci Technol 58:1019):

- common neighbours ``CN(u, v) = |N(u) & N(v)|``;
- Adamic-Adar ``AA(u, v) = sum over w in N(u) & N(v) of 1 / log |N(w)|`` (Adamic & Adar 2003, Soc Networks 25:211).

:func:`homogeneous_adjacency` flattens chosen edge types of a ``HeteroData`` into one symmetric 0/1 matrix with
node offsets per type, so the same functions serve the AP-MS graph alone and the whole heterogeneous graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
import torch
from torch_geometric.data import HeteroData

EdgeType = tuple[str, str, str]


def node_offsets(data: HeteroData) -> dict[str, int]:
    """Index of each node type's first node in the flattened (homogeneous) numbering, in ``data.node_types`` order."""
    offsets, total = {}, 0
    for t in data.node_types:
        offsets[t] = total
        total += data[t].num_nodes
    return offsets


def homogeneous_adjacency(data: HeteroData, edge_types: Iterable[EdgeType] | None = None) -> sp.csr_matrix:
    """Symmetric 0/1 CSR adjacency ``(N, N)`` over all nodes of ``data`` (offsets from :func:`node_offsets`),
    with the edges of ``edge_types`` (default: all) in both directions; self-loops removed."""
    offsets = node_offsets(data)
    n = sum(data[t].num_nodes for t in data.node_types)
    rows, cols = [], []
    for et in edge_types if edge_types is not None else data.edge_types:
        ei = data[et].edge_index.numpy()
        rows.append(ei[0] + offsets[et[0]])
        cols.append(ei[1] + offsets[et[2]])
    r = np.concatenate(rows + cols) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols + rows) if rows else np.zeros(0, dtype=np.int64)
    keep = r != c
    adj = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.float32), (r[keep], c[keep])), shape=(n, n))
    adj.data[:] = 1.0  # duplicates summed by the constructor -> back to 0/1
    return adj


def _aa_weights(adj: sp.csr_matrix) -> np.ndarray:
    """``1 / log(degree)`` per node, 0 for degree <= 1."""
    degree = np.asarray(adj.sum(axis=1)).ravel().astype(np.float64)
    weight = np.zeros_like(degree)
    weight[degree > 1] = 1.0 / np.log(degree[degree > 1])
    return weight


def neighbour_heuristics(adj: sp.csr_matrix, pairs: torch.Tensor | np.ndarray,
                         chunk: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """``(CN, AA)`` of each column of ``pairs`` ``(2, M)`` (indices into ``adj``), both from one row-wise product
    ``adj[u] * adj[v]``; neighbours of degree 1 cannot be common and weigh 0 in AA. Shapes: two ``(M,)``
    float64."""
    pairs = np.asarray(pairs)
    weights = _aa_weights(adj)
    cn, aa = np.zeros(pairs.shape[1]), np.zeros(pairs.shape[1])
    for s in range(0, pairs.shape[1], chunk):
        product = adj[pairs[0, s:s + chunk]].multiply(adj[pairs[1, s:s + chunk]]).tocsr()
        cn[s:s + chunk] = np.asarray(product.sum(axis=1)).ravel()
        aa[s:s + chunk] = product @ weights
    return cn, aa


def incidence(data: HeteroData, edge_type: EdgeType) -> sp.csr_matrix:
    """0/1 CSR incidence ``(N_src, N_dst)`` of one edge type (duplicates collapsed)."""
    ei = data[edge_type].edge_index.numpy()
    shape = (data[edge_type[0]].num_nodes, data[edge_type[2]].num_nodes)
    matrix = sp.csr_matrix((np.ones(ei.shape[1], dtype=np.float32), (ei[0], ei[1])), shape=shape)
    matrix.data[:] = 1.0
    return matrix


def _cn_aa(rows: sp.csr_matrix, weighted: sp.csr_matrix, p: np.ndarray) -> list[np.ndarray]:
    a = rows[p[0]]
    return [np.log1p(np.asarray(a.multiply(rows[p[1]]).sum(axis=1)).ravel()),
            np.log1p(np.asarray(a.multiply(weighted[p[1]]).sum(axis=1)).ravel())]


class PairFeatures:
    """Heuristic features of node pairs in one message-passing graph, for the GNN's pair decoder.

    Components (columns, ``log1p`` of counts and sums):

    - ``relation``: CN and AA in the supervised relation's graph (symmetric relations only);
    - ``typed``: CN and AA through each other edge type leaving the source type (symmetric relations only): shared
      GO terms, assemblies, compartments, co-embedding neighbours, tumour types, each with its own two columns
      (AA weighs a shared neighbour ``x`` by ``1 / log`` of the number of source nodes linked to ``x``);
    - ``direct``: 1 if the pair is linked by another edge type between source nodes (``PROXIMAL_TO``);
    - ``whole``: CN and AA in the whole heterogeneous graph, all types merged;
    - ``degree``: both ends' degrees in the supervised relation's graph (sum and absolute difference for a
      symmetric relation, so the features do not depend on the pair's order).

    This is the pairwise structural signal that node embeddings alone cannot express and that subgraph-aware
    link predictors add to a GNN (SEAL: Zhang & Chen 2018, NeurIPS; BUDDY: Chamberlain et al. 2023, ICLR;
    NCN: Wang et al. 2024, ICLR). Features are computed from the graph the encoder sees, so a held-out edge never
    contributes to its own features.

    Shapes: ``__call__(pairs (2, M) of (source, target) indices of edge_type)`` -> ``(M, F)`` float32.
    Raises ``ValueError`` for an unknown component, or ``relation`` / ``typed`` / ``direct`` on a bipartite
    relation.
    """

    COMPONENTS = ("relation", "typed", "direct", "whole", "degree")
    SYMMETRIC_ONLY = ("relation", "typed", "direct")

    def __init__(self, data: HeteroData, edge_type: EdgeType, symmetric: bool, components: tuple[str, ...]):
        unknown = set(components) - set(self.COMPONENTS)
        if unknown or (not symmetric and set(components) & set(self.SYMMETRIC_ONLY)):
            raise ValueError(f"pair feature components {components}: use {self.COMPONENTS} "
                             f"({self.SYMMETRIC_ONLY} only for a symmetric relation)")
        offsets = node_offsets(data)
        self.shift = torch.tensor([[offsets[edge_type[0]]], [offsets[edge_type[2]]]])
        self.symmetric = symmetric
        self.components = tuple(components)
        source = edge_type[0]
        others = [et for et in data.edge_types if et[0] == source and et != edge_type]
        self.matrices: dict[str, list[tuple[sp.csr_matrix, sp.csr_matrix]]] = {}
        relation = homogeneous_adjacency(data, [edge_type])
        if "relation" in components:
            self.matrices["relation"] = [(relation, relation @ sp.diags(_aa_weights(relation)))]
        if "typed" in components:
            self.matrices["typed"] = []
            for et in others:
                b = incidence(data, et)
                self.matrices["typed"].append((b, b @ sp.diags(_aa_weights(b.T.tocsr()))))
        if "whole" in components:
            whole = homogeneous_adjacency(data)
            self.matrices["whole"] = [(whole, whole @ sp.diags(_aa_weights(whole)))]
        self.direct = [incidence(data, et) for et in others if et[2] == source] if "direct" in components else []
        self.degree = np.log1p(np.asarray(relation.sum(axis=1)).ravel()) if "degree" in components else None
        self.num_features = sum(2 * len(m) for m in self.matrices.values()) + len(self.direct) + \
            (2 if self.degree is not None else 0)

    def __call__(self, pairs: torch.Tensor) -> torch.Tensor:
        cols: list[np.ndarray] = []
        shifted = (pairs + self.shift).numpy()
        raw = pairs.numpy()
        for component in self.components:
            if component in self.matrices:
                p = shifted if component in ("relation", "whole") else raw
                for rows, weighted in self.matrices[component]:
                    cols += _cn_aa(rows, weighted, p)
            elif component == "direct":
                cols += [np.asarray(b[raw[0], raw[1]]).ravel() for b in self.direct]
            elif component == "degree":
                du, dv = self.degree[shifted[0]], self.degree[shifted[1]]
                cols += [du + dv, np.abs(du - dv)] if self.symmetric else [du, dv]
        return torch.from_numpy(np.stack(cols, axis=1).astype(np.float32))
