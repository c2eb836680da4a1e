"""Negative pairs: uniform samples that avoid a set of known edges, and hard negatives.

All samplers take an explicit ``torch.Generator`` (or seed), so a run is reproducible; none touches the global
random state. Pairs are ``(2, M)`` long tensors of (source index, target index).

Which edges a sample must avoid is the caller's decision, and it is what prevents leakage: training negatives
avoid only the *training* graph (the model must not learn, from never seeing a held-out pair as a negative, that
it is positive), validation/test negatives avoid every true edge (as ``RandomLinkSplit`` and OGB do).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch


def pair_codes(pairs: torch.Tensor, num_targets: int) -> np.ndarray:
    """``source * num_targets + target`` for each column of ``pairs`` ``(2, M)``: an int64 code per pair."""
    return (pairs[0].to(torch.int64) * num_targets + pairs[1].to(torch.int64)).numpy()


class PairSet:
    """A set of pairs for fast membership tests.

    Args:
        pairs: ``(2, E)`` known pairs.
        num_targets: number of target nodes (codes are ``source * num_targets + target``).
        symmetric: also treat every reversed pair as known (for undirected relations).
    """

    def __init__(self, pairs: torch.Tensor, num_targets: int, symmetric: bool = False):
        self.num_targets = num_targets
        codes = pair_codes(pairs, num_targets)
        if symmetric:
            codes = np.concatenate([codes, pair_codes(pairs.flip(0), num_targets)])
        self.codes = np.unique(codes)

    def contains(self, pairs: torch.Tensor) -> np.ndarray:
        """Boolean ``(M,)``: each column of ``pairs`` is in the set."""
        query = pair_codes(pairs, self.num_targets)
        if not len(self.codes):
            return np.zeros(len(query), dtype=bool)
        pos = np.minimum(np.searchsorted(self.codes, query), len(self.codes) - 1)
        return self.codes[pos] == query

    def __len__(self) -> int:
        return len(self.codes)


def sample_negatives(num: int, sources: torch.Tensor, targets: torch.Tensor, known: PairSet,
                     generator: torch.Generator, distinct_ends: bool = True, max_rounds: int = 100) -> torch.Tensor:
    """``num`` pairs drawn uniformly from ``sources x targets`` that are not in ``known`` (rejection sampling).

    Args:
        sources, targets: 1-D candidate node indices for each end.
        known: pairs to avoid.
        distinct_ends: reject ``(u, u)`` (same node type on both ends).
    Returns:
        ``(2, num)`` long tensor. Duplicates are possible (sampling with replacement, as in OGB).
    Raises:
        RuntimeError: fewer than ``num`` valid pairs found in ``max_rounds`` rounds (the graph is nearly complete).
    """
    found: list[torch.Tensor] = []
    have = 0
    for _ in range(max_rounds):
        draw = max(2 * (num - have), 64)
        u = sources[torch.randint(len(sources), (draw,), generator=generator)]
        v = targets[torch.randint(len(targets), (draw,), generator=generator)]
        pairs = torch.stack([u, v])
        keep = ~known.contains(pairs)
        if distinct_ends:
            keep &= (u != v).numpy()
        pairs = pairs[:, torch.from_numpy(keep)]
        found.append(pairs[:, : num - have])
        have += found[-1].size(1)
        if have >= num:
            return torch.cat(found, dim=1)
    raise RuntimeError(f"found only {have} of {num} negative pairs in {max_rounds} rounds")


def hard_negatives(positives: torch.Tensor, groups_of_target: list[list[int]], members: list[list[int]],
                   known: PairSet, k: int, generator: torch.Generator,
                   allowed: torch.Tensor | None = None) -> torch.Tensor:
    """For each positive ``(u, v)``, up to ``k`` targets ``v'`` sharing a group with ``v`` and with ``(u, v')`` unknown.

    For protein pairs the groups are compartments (a ``v'`` localized where ``v`` is: a plausible partner that was
    not pulled down); for memberships they are parent assemblies (``v'`` a sibling assembly of ``v``). Candidates
    are drawn uniformly from the pool, without replacement.

    Args:
        positives: ``(2, P)`` pairs.
        groups_of_target: for each target node, the group ids it belongs to.
        members: for each group id, its target nodes.
        known: pairs that are never negatives (all true edges).
        k: negatives per positive.
        allowed: optional boolean ``(num_targets,)`` mask of targets that may be drawn (protein-disjoint split).
    Returns:
        ``(P, k)`` long tensor of target indices, ``-1`` where fewer than ``k`` candidates exist.
    """
    out = torch.full((positives.size(1), k), -1, dtype=torch.long)
    allowed_np = allowed.numpy() if allowed is not None else np.ones(len(groups_of_target), dtype=bool)
    member_arrays = [np.asarray(m, dtype=np.int64) for m in members]
    pools: dict[tuple[int, ...], np.ndarray] = {}
    for i, (u, v) in enumerate(positives.t().tolist()):
        key = tuple(groups_of_target[v])
        if key not in pools:      # the sorted union of the groups' allowed members (a mask: no sort per pool)
            mask = np.zeros(len(groups_of_target), dtype=bool)
            for g in key:
                mask[member_arrays[g]] = True
            pools[key] = np.flatnonzero(mask & allowed_np).astype(np.int64)
        pool = pools[key]
        if not len(pool):
            continue
        if len(pool) <= 8 * k:
            picks = torch.randperm(len(pool), generator=generator).numpy()
        else:  # draws with replacement, first occurrences kept in drawing order
            draws = torch.randint(len(pool), (8 * k,), generator=generator).numpy()
            picks = draws[np.sort(np.unique(draws, return_index=True)[1])]
        cand = pool[picks]
        cand = cand[(cand != u) & (cand != v)]
        cand_t = torch.from_numpy(cand)
        cand = cand[~known.contains(torch.stack([torch.full_like(cand_t, u), cand_t]))][:k]
        out[i, : len(cand)] = torch.from_numpy(cand)
    return out



class TwoHopNegatives:
    """Non-edges at distance two in a symmetric relation's training graph, with their sampling probabilities.

    A pair ``{u, v}`` is drawn by a two-step walk ``u -> w -> v`` from a uniform start ``u`` (among nodes with an
    edge), so ``P({u, v}) = (RA(u, v) / S) (1 / deg u + 1 / deg v)`` with ``RA(u, v)`` the resource-allocation
    sum of ``1 / deg w`` over common neighbours and ``S`` the number of start nodes. :meth:`sample` returns the
    pairs with importance weights ``1 / P`` (up to a constant), so that a self-normalised weighted mean over them
    estimates the mean over *uniform* pairs with a common neighbour: the rare, hard part of uniform negatives
    (2% of random protein pairs), seen many times more often at the same expected loss (stratified importance
    sampling).

    Args:
        pairs: ``(2, E)`` pairs of the training graph (both directions or one; symmetrised here).
        num_nodes: number of nodes.
    """

    def __init__(self, pairs: torch.Tensor, num_nodes: int):
        edges = torch.unique(torch.cat([pairs, pairs.flip(0)], dim=1), dim=1)
        edges = edges[:, edges[0] != edges[1]]
        self.row, self.col = edges[0], edges[1]
        self.rowptr = torch.zeros(num_nodes + 1, dtype=torch.long)
        self.rowptr[1:] = torch.cumsum(torch.bincount(self.row, minlength=num_nodes), dim=0)
        self.degree = (self.rowptr[1:] - self.rowptr[:-1]).double()
        self.starts = (self.degree > 0).nonzero().view(-1)
        self.adjacency = sp.csr_matrix((np.ones(len(self.row)), (self.row.numpy(), self.col.numpy())),
                                       shape=(num_nodes, num_nodes))
        inverse = np.where(self.degree.numpy() > 0, 1.0 / np.maximum(self.degree.numpy(), 1.0), 0.0)
        self.weighted = self.adjacency @ sp.diags(inverse)

    def _step(self, cur: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        d = self.degree[cur].long()
        step = (torch.rand(len(cur), generator=generator) * d).long().clamp(max=(d - 1).clamp(min=0))
        return self.col[(self.rowptr[cur] + step).clamp(max=len(self.col) - 1)]

    def resource_allocation(self, pairs: torch.Tensor) -> torch.Tensor:
        """``RA(u, v)`` for ``pairs`` ``(2, M)`` (Zhou et al. 2009, Eur Phys J B 71:623). Shapes: ``(M,)``
        float64."""
        p = pairs.numpy()
        return torch.from_numpy(np.asarray(self.adjacency[p[0]].multiply(self.weighted[p[1]]).sum(axis=1)).ravel())

    def sample(self, num: int, known: PairSet, generator: torch.Generator,
               max_rounds: int = 100) -> tuple[torch.Tensor, torch.Tensor]:
        """``(pairs (2, num), weights (num,))``: two-hop non-edges not in ``known`` and their ``1 / P`` weights
        (normalised to mean 1). Raises ``RuntimeError`` if too few are found."""
        found, have = [], 0
        for _ in range(max_rounds):
            draw = max(2 * (num - have), 64)
            start = self.starts[torch.randint(len(self.starts), (draw,), generator=generator)]
            end = self._step(self._step(start, generator), generator)
            pairs = torch.stack([start, end])[:, start != end]
            pairs = pairs[:, torch.from_numpy(~known.contains(pairs))]
            found.append(pairs[:, : num - have])
            have += found[-1].size(1)
            if have >= num:
                pairs = torch.cat(found, dim=1)
                ra = self.resource_allocation(pairs)
                prob = ra * (1 / self.degree[pairs[0]] + 1 / self.degree[pairs[1]])
                weights = 1.0 / prob
                return pairs, (weights / weights.mean()).float()
        raise RuntimeError(f"found only {have} of {num} two-hop negatives in {max_rounds} rounds")
