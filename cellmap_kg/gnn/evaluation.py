"""The pairs every method is scored on, and the metrics computed from those scores.

For one split and seed, :func:`evaluation_pairs` fixes, once for all methods:

- ``positives`` / ``negatives``: the test positives and the split's fixed test negatives (ROC-AUC, AP);
- ``shared``: ``num_shared`` random pairs among the split's test candidates that are no true edge (OGB Hits@K:
  one set shared by every positive and every method);
- ``hard``: per positive ``(u, v)``, up to ``num_hard`` targets ``v'`` that share a compartment with ``v``
  (protein pairs) or a parent assembly with ``v`` (memberships) and are no partner of ``u`` (MRR).

A method is any function ``pairs (2, M) -> scores (M,)``. It is called once, on every pair at once
(:meth:`EvaluationPairs.all`, so the decoder's pair inputs are computed once); :func:`pair_metrics` computes the
metrics from those :class:`PairScores`, on every pair or on a subset, and :func:`evaluate_scorer` does both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from .heterodata import GraphExport
from .metrics import average_precision, hits_at_k, mrr, roc_auc
from .negatives import PairSet, hard_negatives, sample_negatives
from .splits import LinkSplit
from .tasks import Task

Scorer = Callable[[torch.Tensor], np.ndarray]
HITS_K = (20, 50, 100)


@dataclass
class EvaluationPairs:
    """Test pairs of one split (see the module docstring). Shapes: ``positives (2, P)``, ``negatives (2, N)``,
    ``shared (2, S)``, ``hard (P, K)`` target indices with ``-1`` padding."""

    positives: torch.Tensor
    negatives: torch.Tensor
    shared: torch.Tensor
    hard: torch.Tensor

    def hard_pairs(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``(2, H)`` the valid hard pairs ``(u, v')`` and the boolean ``(P, K)`` mask they fill."""
        valid = self.hard >= 0
        sources = self.positives[0].view(-1, 1).expand_as(self.hard)
        return torch.stack([sources[valid], self.hard[valid]]), valid

    def all(self) -> torch.Tensor:
        """``(2, P + N + S + H)``: positives, negatives, shared negatives and valid hard pairs, in that order."""
        return torch.cat([self.positives, self.negatives, self.shared, self.hard_pairs()[0]], dim=1)

    def split_scores(self, scores: np.ndarray) -> PairScores:
        """The :class:`PairScores` of the scores ``(P + N + S + H,)`` of :meth:`all`."""
        p, n, s = self.positives.size(1), self.negatives.size(1), self.shared.size(1)
        valid = (self.hard >= 0).numpy()
        hard = np.full(valid.shape, np.nan)
        hard[valid] = scores[p + n + s:]
        return PairScores(scores[:p], scores[p:p + n], scores[p + n:p + n + s], hard)


@dataclass
class PairScores:
    """One method's scores of :class:`EvaluationPairs`: ``positives (P,)``, ``negatives (N,)``, ``shared (S,)``,
    ``hard (P, K)`` (NaN where a positive has fewer than ``K`` hard negatives)."""

    positives: np.ndarray
    negatives: np.ndarray
    shared: np.ndarray
    hard: np.ndarray


def score_pairs(scorer: Scorer, pairs: EvaluationPairs) -> PairScores:
    """``scorer`` called once on every pair of ``pairs``."""
    return pairs.split_scores(np.asarray(scorer(pairs.all()), dtype=np.float64))


def hard_negative_groups(export: GraphExport, task: Task) -> tuple[list[list[int]], list[list[int]]]:
    """``(groups_of_target, members)`` for :func:`hard_negatives`: compartments of each protein (``LOCALIZES_TO``)
    for protein pairs; parent assemblies (``CONTAINS``) of each assembly for memberships."""
    if task.target_type == "Protein":
        edge_index = export.data["Protein", "LOCALIZES_TO", "Compartment"].edge_index
        num_groups = len(export.keys["Compartment"])
        target, group = edge_index[0], edge_index[1]
    else:
        edge_index = export.data["Assembly", "CONTAINS", "Assembly"].edge_index
        num_groups = len(export.keys["Assembly"])
        target, group = edge_index[1], edge_index[0]
    groups: list[list[int]] = [[] for _ in range(len(export.keys[task.target_type]))]
    members: list[list[int]] = [[] for _ in range(num_groups)]
    for t, g in zip(target.tolist(), group.tolist(), strict=True):
        groups[t].append(g)
        members[g].append(t)
    return groups, members


def evaluation_pairs(split: LinkSplit, export: GraphExport, seed: int, num_shared: int = 100_000,
                     num_hard: int = 50) -> EvaluationPairs:
    """Fix the test pairs of ``split`` (deterministic given ``seed``). All sampled pairs avoid every true edge."""
    task = split.task
    gen = torch.Generator().manual_seed(10_000 + seed)
    graph = split.graphs["test"]
    true = torch.cat([split.message_passing("test")] + [split.positives(p) for p in ("train", "val", "test")], dim=1)
    known = PairSet(true, graph[task.target_type].num_nodes, symmetric=task.undirected)
    sources, targets = split.candidates("test", 0), split.candidates("test", 1)
    shared = sample_negatives(num_shared, sources, targets, known, gen, distinct_ends=task.undirected)
    allowed = torch.zeros(graph[task.target_type].num_nodes, dtype=torch.bool)
    allowed[targets] = True
    groups, members = hard_negative_groups(export, task)
    hard = hard_negatives(split.positives("test"), groups, members, known, num_hard, gen, allowed=allowed)
    return EvaluationPairs(split.positives("test"), split.negatives("test"), shared, hard)


def pair_metrics(scores: PairScores, pairs: EvaluationPairs,
                 subset: Callable[[torch.Tensor], torch.Tensor] | None = None) -> dict[str, float]:
    """Metrics of ``scores``: ``auc``, ``ap``, ``hits@20/50/100``, ``mrr``, and the pair counts.

    ``subset(pairs (2, M)) -> bool (M,)`` restricts every metric to the pairs it accepts (a positive's hard
    negatives too), e.g. pairs that the co-embedding covers.
    """
    def keep(p: torch.Tensor) -> np.ndarray:
        return subset(p).numpy() if subset is not None else np.ones(p.size(1), dtype=bool)

    pos_mask, neg_mask, shared_mask = keep(pairs.positives), keep(pairs.negatives), keep(pairs.shared)
    pos, neg, shared = scores.positives[pos_mask], scores.negatives[neg_mask], scores.shared[shared_mask]
    hard_pairs, valid = pairs.hard_pairs()
    filled = valid.numpy().copy()
    filled[filled] = keep(hard_pairs)
    hard = np.where(filled, scores.hard, np.nan)
    metrics = {"auc": roc_auc(pos, neg), "ap": average_precision(pos, neg)}
    for k in HITS_K:
        metrics[f"hits@{k}"] = hits_at_k(pos, shared, k)
    metrics["mrr"] = mrr(pos, hard[pos_mask])
    metrics.update({"positives": int(pos_mask.sum()), "negatives": int(neg_mask.sum()),
                    "shared": int(shared_mask.sum()), "hard": int(filled.sum())})
    return metrics


def evaluate_scorer(scorer: Scorer, pairs: EvaluationPairs, subset: Callable[[torch.Tensor], torch.Tensor] | None
                    = None) -> dict[str, float]:
    """Metrics of ``scorer`` on ``pairs`` (:func:`score_pairs` then :func:`pair_metrics`)."""
    return pair_metrics(score_pairs(scorer, pairs), pairs, subset)
