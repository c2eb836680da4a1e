"""Encoders and the link decoder.

``HeteroSAGE``: per node type, a learnable embedding plus a linear map of the measured features
(:mod:`cellmap_kg.gnn.features`) give a ``d``-dimensional input; a ``layers``-deep GraphSAGE
(Hamilton et al. 2017, NeurIPS; PyG ``SAGEConv``, mean aggregation) is made heterogeneous with PyG ``HeteroConv``
(one convolution per edge type, summed per destination type; PyG's ``examples/hetero/hetero_conv_dblp.py``).

``FeatureMLP``: the "node features alone" baseline: the same measured features through an MLP, no graph, no
learnable node identity.

Both return ``{node type: (N_t, d)}`` embeddings; :class:`LinkModel` pairs an encoder with a decoder: ``dot``
(``<z_u, z_v>``, the PyG ``link_pred.py`` example's decoder), ``mlp`` (Hadamard MLP with heuristic pair features)
or ``ncn`` (Neural Common Neighbor, :mod:`cellmap_kg.gnn.ncn`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
from torch import Tensor, nn
from torch_geometric.data import HeteroData
from torch_geometric.nn import HeteroConv, SAGEConv
from torch_geometric.utils import to_torch_csr_tensor

from .common_neighbours import NeighbourBlock, PairNeighbourhood, PairTensors
from .ncn import NCNDecoder

EdgeType = tuple[str, str, str]


class NodeInput(nn.Module):
    """Input vectors per node type: ``embedding(node id) + linear(features)``.

    Args:
        num_nodes: ``{type: N_t}``.
        num_features: ``{type: F_t}`` (0 = no feature map).
        dim: output size ``d``.
        embeddings: include the learnable per-node embedding.
    Shapes: ``forward(x_dict)`` maps ``{type: (N_t, F_t)}`` to ``{type: (N_t, d)}``.
    """

    def __init__(self, num_nodes: dict[str, int], num_features: dict[str, int], dim: int, embeddings: bool = True):
        super().__init__()
        self.dim = dim
        self.num_nodes = dict(num_nodes)
        self.embed = nn.ModuleDict({t: nn.Embedding(n, dim) for t, n in num_nodes.items()}) if embeddings else None
        self.project = nn.ModuleDict({t: nn.Linear(f, dim) for t, f in num_features.items() if f > 0})
        if self.embed is not None:
            for emb in self.embed.values():
                nn.init.normal_(emb.weight, std=0.1)

    def forward(self, x_dict: dict[str, Tensor]) -> dict[str, Tensor]:
        out = {}
        for t, n in self.num_nodes.items():
            h = self.embed[t].weight if self.embed is not None else torch.zeros(n, self.dim)
            if t in self.project:
                h = h + self.project[t](x_dict[t])
            out[t] = h
        return out


@dataclass
class GraphInput:
    """What an encoder reads: features ``{type: (N_t, F_t)}`` and, per edge type, the transposed adjacency
    ``(N_dst, N_src)`` as a sparse CSR tensor (``torch.sparse.mm`` aggregates without materialising one message
    per edge, ~3x faster than gather/scatter on CPU here)."""

    x: dict[str, Tensor]
    adj: dict[EdgeType, Tensor]
    num_nodes: dict[str, int]


def graph_input(data: HeteroData) -> GraphInput:
    """The ``GraphInput`` of a (task or split) graph."""
    adj = {}
    with warnings.catch_warnings():  # torch's one-time notices on CSR tensors ("beta", "invariant checks ...
        # disabled"): the indices come from PyG's own conversion, so they say nothing to a user
        warnings.filterwarnings("ignore", message="Sparse (CSR tensor support|invariant checks)", category=UserWarning)
        for (src, rel, dst), edge_index in data.edge_index_dict.items():
            size = (data[dst].num_nodes, data[src].num_nodes)
            adj[(src, rel, dst)] = to_torch_csr_tensor(edge_index.flip(0), size=size)
    return GraphInput({t: data[t].x for t in data.node_types}, adj, {t: data[t].num_nodes for t in data.node_types})


class HeteroSAGE(nn.Module):
    """Heterogeneous GraphSAGE encoder over a task graph.

    Layer ``l``: ``h_v' = W_root,type(v) h_v + sum over edge types r into v of W_r mean_{u in N_r(v)} h_u``, ReLU and
    dropout between layers. This is PyG's ``HeteroConv`` of ``SAGEConv(root_weight=False)`` per edge type with
    one root weight per node type: the same function class as ``to_hetero(SAGEConv)`` (which sums one root
    weight per *edge* type, i.e. a sum of linear maps) with fewer parameters and half the matrix products.

    Args:
        graph: a task graph (its ``metadata()``, node counts and feature sizes fix the architecture).
        dim: embedding and hidden size ``d``.
        layers: message-passing layers.
        dropout: dropout between layers.
        embeddings: learnable per-node embeddings in the input (``False``: inductive, features and structure only).
    Shapes: ``forward(GraphInput)`` returns ``{type: (N_t, d)}`` for every node type of ``graph``.
    """

    def __init__(self, graph: HeteroData, dim: int = 32, layers: int = 2, dropout: float = 0.0,
                 embeddings: bool = True):
        super().__init__()
        node_types, edge_types = graph.metadata()
        self.input = NodeInput({t: graph[t].num_nodes for t in node_types},
                               {t: graph[t].x.size(1) for t in node_types}, dim, embeddings)
        self.convs = nn.ModuleList([
            HeteroConv({et: SAGEConv(dim, dim, aggr="mean", root_weight=False) for et in edge_types}, aggr="sum")
            for _ in range(layers)])
        self.roots = nn.ModuleList([nn.ModuleDict({t: nn.Linear(dim, dim) for t in node_types})
                                    for _ in range(layers)])
        self.dropout = dropout

    def forward(self, inp: GraphInput) -> dict[str, Tensor]:
        h = self.input(inp.x)
        for i, (conv, root) in enumerate(zip(self.convs, self.roots, strict=True)):
            messages = conv(h, inp.adj)
            h = {t: root[t](x) + messages[t] if t in messages else root[t](x) for t, x in h.items()}
            if i < len(self.convs) - 1:
                h = {t: nn.functional.dropout(torch.relu(x), self.dropout, self.training) for t, x in h.items()}
        return h


class FeatureMLP(nn.Module):
    """Node features alone: a 2-layer MLP per node type over the measured features (no edges, no node identity).

    Args:
        graph: a task graph (feature sizes).
        node_types: types to encode (the task's source and target types).
        dim: output size ``d``.
    Shapes: ``forward(data)`` returns ``{type: (N_t, d)}`` for ``node_types``.
    """

    def __init__(self, graph: HeteroData, node_types: tuple[str, ...], dim: int = 64, dropout: float = 0.0):
        super().__init__()
        self.mlps = nn.ModuleDict({
            t: nn.Sequential(nn.Linear(graph[t].x.size(1), dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dim, dim))
            for t in dict.fromkeys(node_types)
        })

    def forward(self, inp: GraphInput) -> dict[str, Tensor]:
        return {t: mlp(inp.x[t]) for t, mlp in self.mlps.items()}


class LinkModel(nn.Module):
    """An encoder and a pair decoder for one supervised edge type.

    Decoders: ``dot``: ``<z_u, z_v>`` (PyG ``examples/link_pred.py``); ``mlp``: a 2-layer MLP on the element-wise
    product ``z_u * z_v`` (the "Hadamard" MLP predictor of the OGB link-prediction baselines,
    ``ogb/examples/linkproppred/ppa/gnn.py`` ``LinkPredictor``), concatenated with ``pair_features`` heuristic
    features of the pair when given (``pair_components`` of :class:`cellmap_kg.gnn.heuristics.PairFeatures`,
    ``pair_features`` columns, batch-normalised: counts on very different scales otherwise slow the decoder's
    learning); ``ncn``: :class:`~cellmap_kg.gnn.ncn.NCNDecoder` over the common-neighbour ``blocks`` (symmetric
    relations between nodes of one type only), reading a :class:`PairNeighbourhood` (or its :class:`PairTensors`)
    per batch of pairs.

    Shapes: ``encode(GraphInput)`` -> ``{type: (N_t, d)}``; ``decode(z, pairs (2, M), extra)`` -> logits ``(M,)``,
    ``extra`` a ``(M, F)`` tensor (``mlp``), a ``PairNeighbourhood`` / ``PairTensors`` of ``M`` pairs (``ncn``) or
    ``None``.
    Raises ``ValueError`` for an unknown decoder or an inconsistent combination.
    """

    DECODERS = ("dot", "mlp", "ncn")

    def __init__(self, encoder: nn.Module, edge_type: EdgeType, dim: int, decoder: str = "dot",
                 pair_components: tuple[str, ...] = (), pair_features: int = 0,
                 blocks: list[NeighbourBlock] | None = None, heuristics: int = 0):
        super().__init__()
        if decoder not in self.DECODERS:
            raise ValueError(f"unknown decoder {decoder!r}; use one of {', '.join(self.DECODERS)}")
        if pair_features and decoder != "mlp":
            raise ValueError("pair features need the 'mlp' decoder")
        if decoder == "ncn" and (blocks is None or edge_type[0] != edge_type[2]):
            raise ValueError("the 'ncn' decoder needs common-neighbour blocks and pairs of one node type")
        self.encoder = encoder
        self.edge_type = edge_type
        self.decoder = decoder
        self.pair_components = pair_components
        self.pair_features = pair_features
        self.mlp = (nn.Sequential(nn.Linear(dim + pair_features, dim), nn.ReLU(), nn.Linear(dim, 1))
                    if decoder == "mlp" else None)
        self.scale = nn.BatchNorm1d(pair_features) if pair_features else None
        self.ncn = NCNDecoder(blocks, dim, heuristics) if decoder == "ncn" else None

    def forward(self, inp: GraphInput) -> dict[str, Tensor]:
        return self.encoder(inp)

    def decode(self, z: dict[str, Tensor], pairs: Tensor,
               extra: Tensor | PairNeighbourhood | PairTensors | None = None) -> Tensor:
        if self.ncn is not None:
            common, heuristics = extra.tensors()
            return self.ncn(z, pairs, common, heuristics if self.ncn.heuristics is not None else None)
        h = z[self.edge_type[0]][pairs[0]] * z[self.edge_type[2]][pairs[1]]
        if self.mlp is None:
            return h.sum(dim=-1)
        if self.pair_features:
            h = torch.cat([h, self.scale(extra)], dim=1)
        return self.mlp(h).view(-1)
