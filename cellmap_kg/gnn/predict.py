"""Predicted new links: candidate generation by embedding similarity, rescoring by the full model.

Scoring every protein pair with the pair decoder is out of reach (~2.6e8 pairs), so each source node's
candidates are its ``per_node`` nearest targets by cosine of the GNN embeddings (exact, computed in blocks),
minus itself and every known pair; the model then scores those candidates with its decoder (embeddings and
pair features over the graph of all known edges). This is the usual retrieve-then-rank scheme; pairs outside the
nearest ``per_node`` are never predicted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch_geometric.data import HeteroData

from .model import LinkModel
from .negatives import PairSet
from .tasks import Task
from .train import LinkScorer


@dataclass
class Predictions:
    """Scored candidate pairs: ``pairs (2, M)`` (source, target indices), ``scores (M,)`` logits, best first."""

    pairs: torch.Tensor
    scores: np.ndarray

    def top(self, n: int) -> Predictions:
        """The ``n`` best pairs."""
        return Predictions(self.pairs[:, :n], self.scores[:n])

    def per_source(self, k: int) -> Predictions:
        """The ``k`` best pairs of each source node (pairs stay sorted by score)."""
        rank = np.zeros(len(self.scores), dtype=np.int64)
        seen: dict[int, int] = {}
        for i, u in enumerate(self.pairs[0].tolist()):
            rank[i] = seen.get(u, 0)
            seen[u] = rank[i] + 1
        keep = torch.from_numpy(rank < k)
        return Predictions(self.pairs[:, keep], self.scores[keep.numpy()])

    def ranks(self) -> np.ndarray:
        """1-based rank of each pair among the pairs of its source node."""
        rank = np.zeros(len(self.scores), dtype=np.int64)
        seen: dict[int, int] = {}
        for i, u in enumerate(self.pairs[0].tolist()):
            seen[u] = seen.get(u, 0) + 1
            rank[i] = seen[u]
        return rank


def nearest_targets(z_source: torch.Tensor, z_target: torch.Tensor, sources: torch.Tensor, targets: torch.Tensor,
                    per_node: int, block: int = 2048) -> torch.Tensor:
    """For each node of ``sources``, its ``per_node`` nearest ``targets`` by cosine of the embeddings.

    Shapes: ``z_* (N_*, d)``; returns ``(2, |sources| * per_node)`` (source, target) index pairs.
    """
    zs = torch.nn.functional.normalize(z_source[sources], dim=1)
    zt = torch.nn.functional.normalize(z_target[targets], dim=1)
    k = min(per_node, len(targets))
    out = []
    for b in range(0, len(sources), block):
        sim = zs[b:b + block] @ zt.T
        idx = sim.topk(k, dim=1).indices
        out.append(torch.stack([sources[b:b + block].view(-1, 1).expand(-1, k).reshape(-1), targets[idx].reshape(-1)]))
    return torch.cat(out, dim=1) if out else torch.zeros(2, 0, dtype=torch.long)


@torch.no_grad()
def predict_links(model: LinkModel, graph: HeteroData, task: Task, per_node: int = 50,
                  sources: torch.Tensor | None = None) -> Predictions:
    """Score new links of ``task`` with ``model`` over ``graph`` (all known edges as message passing).

    Args:
        sources: source node indices to predict for (default: every source node with at least one edge of any
            type in ``graph``).
        per_node: candidates per source (nearest by embedding cosine).
    Returns:
        every candidate that is no known pair of the relation, and not a self-pair, sorted by score (best
        first); for a symmetric relation each unordered pair appears once (as ``u < v``).
    """
    scorer = LinkScorer(model, graph, task)
    targets = graph[task.target_type].link_candidate.nonzero().view(-1)
    if sources is None:
        sources = connected_nodes(graph, task.source_type)
    candidates = nearest_targets(scorer.z[task.source_type], scorer.z[task.target_type], sources, targets, per_node)
    if task.undirected:
        candidates = torch.stack([candidates.min(dim=0).values, candidates.max(dim=0).values])
        candidates = candidates[:, candidates[0] != candidates[1]]
    candidates = torch.unique(candidates, dim=1)
    known = PairSet(graph[task.edge_type].edge_index, graph[task.target_type].num_nodes, symmetric=task.undirected)
    candidates = candidates[:, torch.from_numpy(~known.contains(candidates))]
    scores = np.concatenate([scorer(candidates[:, b:b + 200_000]) for b in range(0, candidates.size(1), 200_000)]) \
        if candidates.size(1) else np.zeros(0)
    order = np.argsort(-scores, kind="stable")
    return Predictions(candidates[:, torch.from_numpy(order)], scores[order])


def connected_nodes(graph: HeteroData, node_type: str) -> torch.Tensor:
    """Indices of the ``node_type`` nodes with at least one edge of any type in ``graph``."""
    seen = torch.zeros(graph[node_type].num_nodes, dtype=torch.bool)
    for (src, _, dst), edge_index in graph.edge_index_dict.items():
        if src == node_type:
            seen[edge_index[0]] = True
        if dst == node_type:
            seen[edge_index[1]] = True
    return seen.nonzero().view(-1)
