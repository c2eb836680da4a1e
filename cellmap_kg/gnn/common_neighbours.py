"""Common neighbours of node pairs over every relation of the heterogeneous graph, read per relation.

For a pair of proteins ``(u, v)`` and a relation ``r`` leaving the protein type (``PULLED_DOWN``: AP-MS partners,
``PROXIMAL_TO``: co-embedding neighbours, ``MEMBER_OF``: assemblies, ``LOCALIZES_TO``: compartments,
``ANNOTATED_WITH``: GO terms, ``rev_MUTATION_SCORE``: tumour types), the common neighbours are
``CN_r(u, v) = N_r(u) & N_r(v)``: shared AP-MS partners, shared assemblies, shared GO terms, ...

:class:`TypedNeighbourhoods` lays the relations side by side as column *blocks* of one 0/1 incidence matrix
``B (N_source, C)``, ``C = sum_r N_{type(r)}`` (a protein reached through two relations, e.g. an AP-MS partner that
is also a co-embedding neighbour, has one column in each block). The common neighbours of ``M`` pairs are then the
row-wise product ``B[u] * B[v]``, a sparse ``(M, C)`` 0/1 matrix computed with one SciPy product; from it the
Neural Common Neighbor decoder (:mod:`cellmap_kg.gnn.ncn`) sums the embeddings of the common neighbours, and the
classic heuristics per relation are matrix-vector products: CN (Liben-Nowell & Kleinberg 2007) is the row sum of
a block, Adamic-Adar (Adamic & Adar 2003) the row sum weighted by ``1 / log deg(w)``, ``deg(w)`` the number of
source nodes linked to ``w`` through the block's relation.

Everything is read from the graph given (a split's train, validation or test graph), so the held-out pairs of a
split never contribute to their own common neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import torch
from torch_geometric.data import HeteroData

from .heuristics import _aa_weights, incidence

EdgeType = tuple[str, str, str]


@dataclass(frozen=True)
class NeighbourBlock:
    """One relation's columns of the block incidence: ``edge_type`` (leaving the source type), the neighbour's
    ``node_type``, the first column ``offset`` and the number of columns ``size`` (``N_{node_type}``)."""

    edge_type: EdgeType
    node_type: str
    offset: int
    size: int


@dataclass
class PairNeighbourhood:
    """Common neighbours of ``M`` pairs.

    Attributes:
        common: SciPy CSR ``(M, C)`` 0/1, column ``c`` set if block column ``c`` is a neighbour of both ends.
        heuristics: ``(M, 2R)`` float32: ``log1p`` CN then ``log1p`` Adamic-Adar of each of the ``R`` blocks.
    """

    common: sp.csr_matrix
    heuristics: np.ndarray

    def __len__(self) -> int:
        return self.common.shape[0]

    def take(self, rows: np.ndarray | torch.Tensor) -> PairNeighbourhood:
        """The neighbourhoods of the pairs at ``rows`` ``(K,)``."""
        rows = np.asarray(rows)
        return PairNeighbourhood(self.common[rows], self.heuristics[rows])

    def tensors(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``(common, heuristics)`` as torch: the ``(2, nnz)`` (pair row, block column) index of the common
        neighbours, in row order, and the dense ``(M, 2R)`` heuristics."""
        c = self.common.tocoo()
        index = torch.from_numpy(np.stack([c.row, c.col]).astype(np.int64))
        return index, torch.from_numpy(self.heuristics)

    def torch(self) -> PairTensors:
        """The same neighbourhoods as :class:`PairTensors` (converted once; their :meth:`PairTensors.take` is a
        few torch index operations, what the training loop needs every epoch)."""
        common = self.common.tocsr()
        common.sort_indices()
        return PairTensors(torch.from_numpy(common.indptr.astype(np.int64)),
                           torch.from_numpy(common.indices.astype(np.int64)), torch.from_numpy(self.heuristics))

    @staticmethod
    def concat(parts: list[PairNeighbourhood]) -> PairNeighbourhood:
        """The neighbourhoods of the concatenated pair lists, in order."""
        return PairNeighbourhood(sp.vstack([p.common for p in parts], format="csr"),
                                 np.concatenate([p.heuristics for p in parts]))


@dataclass
class PairTensors:
    """Common neighbours of ``M`` pairs in torch, compressed by pair row (the CSR layout of
    :attr:`PairNeighbourhood.common` without its 0/1 values), with the same ``take`` / ``tensors`` interface.

    Attributes:
        indptr: ``(M + 1,)`` int64; the block columns of pair ``m`` are ``columns[indptr[m]:indptr[m + 1]]``.
        columns: ``(nnz,)`` int64 block columns of the common neighbours, ascending within a pair.
        heuristics: ``(M, 2R)`` float32, as :attr:`PairNeighbourhood.heuristics`.
    """

    indptr: torch.Tensor
    columns: torch.Tensor
    heuristics: torch.Tensor

    def __len__(self) -> int:
        return self.indptr.numel() - 1

    def counts(self) -> torch.Tensor:
        """``(M,)`` number of common neighbours (over every block) of each pair."""
        return self.indptr[1:] - self.indptr[:-1]

    def take(self, rows: np.ndarray | torch.Tensor) -> PairTensors:
        """The neighbourhoods of the pairs at ``rows`` ``(K,)`` (repeats allowed), in that order."""
        rows = torch.as_tensor(rows, dtype=torch.int64)
        start, counts = self.indptr[rows], self.counts()[rows]
        indptr = torch.zeros(len(rows) + 1, dtype=torch.int64)
        torch.cumsum(counts, 0, out=indptr[1:])
        # position of each kept entry: its pair's start in the source plus its offset within the pair
        offset = torch.arange(int(indptr[-1])) - torch.repeat_interleave(indptr[:-1], counts)
        return PairTensors(indptr, self.columns[torch.repeat_interleave(start, counts) + offset],
                           self.heuristics[rows])

    def tensors(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``(common (2, nnz), heuristics (M, 2R))`` as :meth:`PairNeighbourhood.tensors`."""
        rows = torch.repeat_interleave(torch.arange(len(self)), self.counts())
        return torch.stack([rows, self.columns]), self.heuristics


def neighbour_edge_types(data: HeteroData, source_type: str) -> list[EdgeType]:
    """Edge types of ``data`` leaving ``source_type``, in ``data.edge_types`` order (the blocks' order)."""
    return [et for et in data.edge_types if et[0] == source_type]


class TypedNeighbourhoods:
    """The block incidence of ``source_type`` over the relations ``edge_types`` of ``data`` (module docstring).

    Args:
        data: the graph the encoder sees (a split's train / val / test graph, or the task graph).
        source_type: the node type of both ends of a pair (``Protein``).
        edge_types: relations to read (default: :func:`neighbour_edge_types`); each must leave ``source_type``.
    Shapes: ``incidence (N_source, C)``; ``__call__(pairs (2, M))`` -> :class:`PairNeighbourhood` of ``M`` rows.
    Raises ``ValueError`` if an edge type does not leave ``source_type`` or is not in ``data``.
    """

    def __init__(self, data: HeteroData, source_type: str, edge_types: list[EdgeType] | None = None):
        edge_types = neighbour_edge_types(data, source_type) if edge_types is None else list(edge_types)
        bad = [et for et in edge_types if et[0] != source_type or et not in data.edge_types]
        if bad:
            raise ValueError(f"common-neighbour relations {bad}: each must be an edge type of the graph leaving "
                             f"{source_type}")
        self.source_type = source_type
        self.blocks: list[NeighbourBlock] = []
        matrices, offset = [], 0
        for et in edge_types:
            size = data[et[2]].num_nodes
            self.blocks.append(NeighbourBlock(et, et[2], offset, size))
            matrices.append(incidence(data, et))
            offset += size
        n = data[source_type].num_nodes
        self.incidence = sp.hstack(matrices, format="csr") if matrices else sp.csr_matrix((n, 0), dtype=np.float32)
        self.incidence.eliminate_zeros()
        # (C, 2R): column 2r sums block r's common neighbours (CN), column 2r + 1 weighs them 1 / log deg (AA)
        aa = _aa_weights(self.incidence.T.tocsr())
        rows = np.concatenate([np.arange(b.offset, b.offset + b.size) for b in self.blocks]) if self.blocks \
            else np.zeros(0, dtype=np.int64)
        block_of = np.repeat(np.arange(len(self.blocks)), [b.size for b in self.blocks])
        self.summary = sp.csr_matrix(
            (np.concatenate([np.ones(len(rows)), aa[rows]]),
             (np.concatenate([rows, rows]), np.concatenate([2 * block_of, 2 * block_of + 1]))),
            shape=(offset, 2 * len(self.blocks)))

    @property
    def num_columns(self) -> int:
        """``C``, the number of block columns."""
        return self.incidence.shape[1]

    def heuristic_names(self) -> list[str]:
        """Names of the ``2R`` heuristic columns, e.g. ``CN PULLED_DOWN``, ``AA PULLED_DOWN``."""
        return [f"{h} {b.edge_type[1]}" for b in self.blocks for h in ("CN", "AA")]

    def __call__(self, pairs: torch.Tensor | np.ndarray, chunk: int = 200_000) -> PairNeighbourhood:
        pairs = np.asarray(pairs)
        parts = []
        for s in range(0, pairs.shape[1], chunk):
            common = self.incidence[pairs[0, s:s + chunk]].multiply(self.incidence[pairs[1, s:s + chunk]]).tocsr()
            common.eliminate_zeros()
            heuristics = np.log1p(np.asarray((common @ self.summary).todense(), dtype=np.float32))
            parts.append(PairNeighbourhood(common.astype(np.float32), heuristics))
        if not parts:
            return PairNeighbourhood(sp.csr_matrix((0, self.num_columns), dtype=np.float32),
                                     np.zeros((0, 2 * len(self.blocks)), dtype=np.float32))
        return parts[0] if len(parts) == 1 else PairNeighbourhood.concat(parts)
