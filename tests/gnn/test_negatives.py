"""Negative samplers: avoid what they are told to avoid, reproducible, hard negatives share a group."""

from __future__ import annotations

import pytest
import torch

from cellmap_kg.gnn.negatives import PairSet, hard_negatives, sample_negatives


def test_pair_set_membership_and_symmetry():
    pairs = torch.tensor([[0, 2], [1, 3]])
    directed, symmetric = PairSet(pairs, 5), PairSet(pairs, 5, symmetric=True)
    query = torch.tensor([[0, 1, 2, 4], [1, 0, 3, 4]])
    assert directed.contains(query).tolist() == [True, False, True, False]
    assert symmetric.contains(query).tolist() == [True, True, True, False]
    assert not PairSet(torch.zeros(2, 0, dtype=torch.long), 5).contains(query).any()


def test_sample_negatives_avoids_known_pairs_and_self_pairs_and_is_seeded():
    nodes = torch.arange(4)
    everything_but_two = torch.tensor([(a, b) for a in range(4) for b in range(4) if {a, b} != {1, 2}]).T
    known = PairSet(everything_but_two, 4)
    drawn = sample_negatives(50, nodes, nodes, known, torch.Generator().manual_seed(1))
    assert drawn.shape == (2, 50)
    assert {tuple(p) for p in drawn.t().tolist()} == {(1, 2), (2, 1)}
    again = sample_negatives(50, nodes, nodes, known, torch.Generator().manual_seed(1))
    assert torch.equal(drawn, again)
    with pytest.raises(RuntimeError, match="found only"):
        sample_negatives(5, nodes, nodes, PairSet(torch.cartesian_prod(nodes, nodes).T, 4),
                         torch.Generator().manual_seed(0), max_rounds=3)


def test_hard_negatives_share_a_group_with_the_target_and_are_not_partners():
    # groups: 0 = {1, 2, 3, 4}, 1 = {5, 6}; node 0 has partners 1 and 2
    groups_of = [[], [0], [0], [0], [0], [1], [1]]
    members = [[1, 2, 3, 4], [5, 6]]
    positives = torch.tensor([[0, 0, 5], [1, 2, 6]])
    known = PairSet(torch.tensor([[0, 0, 5], [1, 2, 6]]), 7, symmetric=True)
    hard = hard_negatives(positives, groups_of, members, known, k=3, generator=torch.Generator().manual_seed(0))
    assert hard.shape == (3, 3)
    assert set(hard[0].tolist()) == {3, 4, -1} and set(hard[1].tolist()) == {3, 4, -1}
    assert hard[2].tolist() == [-1, -1, -1]          # 6's only group-mate is 5 itself: no candidate


def test_two_hop_negatives_weighted_are_uniform_over_pairs_with_a_common_neighbour():
    from collections import Counter

    from cellmap_kg.gnn.negatives import TwoHopNegatives

    # a hub 0 with leaves 1..5, and a path 5 - 6 - 7: walks reach leaf pairs far more often than (5, 7)
    edges = torch.tensor([[0, 0, 0, 0, 0, 5, 6], [1, 2, 3, 4, 5, 6, 7]])
    known = PairSet(edges, 8, symmetric=True)
    sampler = TwoHopNegatives(edges, 8)
    pairs, weights = sampler.sample(60_000, known, torch.Generator().manual_seed(0))
    assert not known.contains(pairs).any()
    mass: Counter = Counter()
    for (u, v), w in zip(pairs.t().tolist(), weights.tolist(), strict=True):
        mass[frozenset((u, v))] += w
    # two-hop non-edges: the 10 leaf pairs of the hub, (0, 6) and (5, 7)
    expected = {frozenset(p) for p in [(a, b) for a in range(1, 6) for b in range(a + 1, 6)] + [(0, 6), (5, 7)]}
    assert set(mass) == expected
    total = sum(mass.values())
    assert all(abs(m / total - 1 / 12) < 0.01 for m in mass.values())
    assert sampler.resource_allocation(torch.tensor([[1, 5], [2, 7]])).tolist() == [pytest.approx(1 / 5), 0.5]


def test_hard_negatives_pool_is_the_union_of_the_target_groups_restricted_to_allowed_targets():
    # target 1 is in groups 0 = {1, 2, 3} and 1 = {3, 4, 5}; target 4 is not allowed (another part's protein)
    groups_of = [[], [0, 1], [0], [0, 1], [1], [1]]
    members = [[1, 2, 3], [3, 4, 5]]
    allowed = torch.tensor([True, True, True, True, False, True])
    known = PairSet(torch.tensor([[0], [1]]), 6, symmetric=True)
    hard = hard_negatives(torch.tensor([[0], [1]]), groups_of, members, known, k=5,
                          generator=torch.Generator().manual_seed(0), allowed=allowed)
    assert sorted(hard[0].tolist()) == [-1, -1, 2, 3, 5]     # 3 counted once; 0 and 1 are the pair itself
