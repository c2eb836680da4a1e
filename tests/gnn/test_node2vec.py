"""The plain-torch Node2Vec: walks follow edges, training is seeded, and it separates two communities."""

from __future__ import annotations

import torch

from cellmap_kg.gnn.node2vec import Node2VecConfig, compressed, random_walks, train_node2vec


def _two_cliques() -> torch.Tensor:
    edges = [(a, b) for group in (range(0, 6), range(6, 12)) for a in group for b in group if a != b]
    return torch.tensor(edges).T


def test_random_walks_follow_edges_and_isolated_nodes_stay():
    edge_index = _two_cliques()
    rowptr, col = compressed(edge_index, 13)                    # node 12 has no edge
    walks = random_walks(rowptr, col, torch.tensor([0, 7, 12]), 10, torch.Generator().manual_seed(0))
    assert walks.shape == (3, 11)
    edges = {tuple(e) for e in edge_index.t().tolist()}
    for walk in walks[:2].tolist():
        assert all((a, b) in edges for a, b in zip(walk, walk[1:], strict=False))
    assert set(walks[2].tolist()) == {12}


def test_node2vec_is_seeded_and_puts_a_clique_together():
    config = Node2VecConfig(dim=16, walk_length=8, context_size=4, walks_per_node=10, epochs=3, batch_size=16)
    z = train_node2vec(_two_cliques(), 12, config, seed=0)
    assert torch.equal(z, train_node2vec(_two_cliques(), 12, config, seed=0))
    zn = torch.nn.functional.normalize(z, dim=1)
    sim = zn @ zn.T
    within = (sim[:6, :6].sum() - 6) / 30
    across = sim[:6, 6:].mean()
    assert within > across + 0.3
