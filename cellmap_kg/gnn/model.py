"""Encoders and the link decoder.

``HeteroSAGE``: per node type, a learnable embedding plus a linear map of the measured features
(:mod:`cellmap_kg.gnn.features`) give a ``d``-dimensional input; a ``layers``-deep GraphSAGE
(Hamilton et al. 2017, NeurIPS; PyG ``SAGEConv``, mean aggregation) is made heterogeneous with PyG ``to_hetero``
(one convolution per edge type, summed per destination type), as in PyG's ``examples/hetero/to_hetero_mag.py``.

``FeatureMLP``: the "node features alone" baseline: the same measured features through an MLP, no graph, no
learnable node identity.

Both return ``{node type: (N_t, d)}`` embeddings; ``dot_scores`` is the decoder: the logit of a pair
``(u, v)`` is ``<z_u, z_v>`` (the PyG ``link_pred.py`` example's decoder).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.data import HeteroData
from torch_geometric.nn import SAGEConv, to_hetero

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


class SAGEStack(nn.Module):
    """``layers`` GraphSAGE convolutions with ReLU and dropout between them (homogeneous; made hetero by
    ``to_hetero``). Shapes: ``(N, d), (2, E) -> (N, d)``."""

    def __init__(self, dim: int, layers: int, dropout: float):
        super().__init__()
        self.convs = nn.ModuleList([SAGEConv(dim, dim) for _ in range(layers)])
        self.dropout = dropout

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        for i, conv in enumerate(self.convs):
            x = conv(x, edge_index)
            if i < len(self.convs) - 1:
                x = torch.relu(x)
                x = nn.functional.dropout(x, p=self.dropout, training=self.training)
        return x


class HeteroSAGE(nn.Module):
    """Heterogeneous GraphSAGE encoder over a task graph.

    Args:
        graph: a task graph (its ``metadata()``, node counts and feature sizes fix the architecture).
        dim: embedding and hidden size ``d``.
        layers: message-passing layers.
        dropout: dropout between layers.
    Shapes: ``forward(data)`` returns ``{type: (N_t, d)}`` for every node type of ``graph``.
    """

    def __init__(self, graph: HeteroData, dim: int = 64, layers: int = 2, dropout: float = 0.0):
        super().__init__()
        node_types, _ = graph.metadata()
        self.input = NodeInput({t: graph[t].num_nodes for t in node_types},
                               {t: graph[t].x.size(1) for t in node_types}, dim)
        self.gnn = to_hetero(SAGEStack(dim, layers, dropout), graph.metadata(), aggr="sum")

    def forward(self, data: HeteroData) -> dict[str, Tensor]:
        return self.gnn(self.input({t: data[t].x for t in data.node_types}), data.edge_index_dict)


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

    def forward(self, data: HeteroData) -> dict[str, Tensor]:
        return {t: mlp(data[t].x) for t, mlp in self.mlps.items()}


def dot_scores(z: dict[str, Tensor], edge_type: EdgeType, pairs: Tensor) -> Tensor:
    """Logits ``<z_src[u], z_dst[v]>`` for ``pairs`` ``(2, M)`` of ``edge_type``. Shapes: ``(M,)``."""
    return (z[edge_type[0]][pairs[0]] * z[edge_type[2]][pairs[1]]).sum(dim=-1)
