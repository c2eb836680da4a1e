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


def common_neighbours(adj: sp.csr_matrix, pairs: torch.Tensor | np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """``CN`` for each column of ``pairs`` ``(2, M)`` (indices into ``adj``). Shapes: ``(M,)`` float64."""
    pairs = np.asarray(pairs)
    out = np.zeros(pairs.shape[1])
    for s in range(0, pairs.shape[1], chunk):
        a, b = adj[pairs[0, s:s + chunk]], adj[pairs[1, s:s + chunk]]
        out[s:s + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def adamic_adar(adj: sp.csr_matrix, pairs: torch.Tensor | np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """``AA`` for each column of ``pairs`` ``(2, M)``; neighbours of degree 1 cannot be common and weigh 0.
    Shapes: ``(M,)`` float64."""
    pairs = np.asarray(pairs)
    weighted = adj @ sp.diags(_aa_weights(adj))
    out = np.zeros(pairs.shape[1])
    for s in range(0, pairs.shape[1], chunk):
        a = adj[pairs[0, s:s + chunk]]
        b = weighted[pairs[1, s:s + chunk]]
        out[s:s + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


class PairFeatures:
    """Heuristic features of node pairs in one message-passing graph, for the GNN's pair decoder.

    Columns: ``log1p(CN)`` and ``log1p(AA)`` in the supervised relation's graph (symmetric tasks only; for a
    bipartite relation they are always 0) and in the whole heterogeneous graph. This is the pairwise structural
    signal that node embeddings alone cannot express and that subgraph-aware link predictors add to a GNN
    (SEAL: Zhang & Chen 2018, NeurIPS; BUDDY: Chamberlain et al. 2023, ICLR; NCN: Wang et al. 2024, ICLR).
    The features of a pair are computed from the graph the encoder sees, so a held-out edge never contributes
    to its own features.

    Shapes: ``__call__(pairs (2, M) of (source, target) indices of edge_type)`` -> ``(M, F)`` float32.
    """

    def __init__(self, data: HeteroData, edge_type: EdgeType, symmetric: bool):
        offsets = node_offsets(data)
        self.shift = torch.tensor([[offsets[edge_type[0]]], [offsets[edge_type[2]]]])
        graphs = ([homogeneous_adjacency(data, [edge_type])] if symmetric else []) + [homogeneous_adjacency(data)]
        self.graphs = [(adj, adj @ sp.diags(_aa_weights(adj))) for adj in graphs]

    @staticmethod
    def size(task) -> int:
        """Number of feature columns for ``task`` (4 for a symmetric relation, else 2)."""
        return 4 if task.undirected else 2

    def __call__(self, pairs: torch.Tensor) -> torch.Tensor:
        p = (pairs + self.shift).numpy()
        cols = []
        for adj, weighted in self.graphs:
            a, b = adj[p[0]], adj[p[1]]
            cols.append(np.asarray(a.multiply(b).sum(axis=1)).ravel())
            cols.append(np.asarray(a.multiply(weighted[p[1]]).sum(axis=1)).ravel())
        return torch.from_numpy(np.log1p(np.stack(cols, axis=1)).astype(np.float32))
