"""Common neighbours, Adamic-Adar and the typed pair features on graphs made to prove the formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch_geometric.data import HeteroData

from cellmap_kg.gnn.heuristics import PairFeatures, homogeneous_adjacency, neighbour_heuristics


def _graph() -> HeteroData:
    # proteins 0..4: 0-1, 1-2, 0-3, 3-2, 3-4 (so 0 and 2 share neighbours 1 and 3; deg(1) = 2, deg(3) = 3)
    data = HeteroData()
    data["Protein"].num_nodes = 5
    data["GOTerm"].num_nodes = 2
    apms = torch.tensor([[0, 1, 0, 3, 3], [1, 2, 3, 2, 4]])
    data["Protein", "PULLED_DOWN", "Protein"].edge_index = torch.cat([apms, apms.flip(0)], dim=1)
    go = torch.tensor([[0, 2, 4, 0], [0, 0, 0, 1]])                      # GO:0 on 0, 2, 4; GO:1 on 0
    data["Protein", "ANNOTATED_WITH", "GOTerm"].edge_index = go
    data["GOTerm", "rev_ANNOTATED_WITH", "Protein"].edge_index = go.flip(0)
    prox = torch.tensor([[0], [2]])
    data["Protein", "PROXIMAL_TO", "Protein"].edge_index = torch.cat([prox, prox.flip(0)], dim=1)
    return data


def test_common_neighbours_and_adamic_adar_in_the_relation_graph():
    data = _graph()
    adj = homogeneous_adjacency(data, [("Protein", "PULLED_DOWN", "Protein")])
    pairs = np.array([[0, 0, 1], [2, 4, 4]])
    cn, aa = neighbour_heuristics(adj, pairs)
    assert cn.tolist() == [2, 1, 0]
    assert aa == pytest.approx([1 / math.log(2) + 1 / math.log(3), 1 / math.log(3), 0])


def test_typed_pair_features_count_shared_neighbours_per_edge_type():
    data = _graph()
    features = PairFeatures(data, ("Protein", "PULLED_DOWN", "Protein"), True, ("relation", "typed", "direct"))
    rows = features(torch.tensor([[0, 1], [2, 4]])).numpy()
    # columns: relation CN, AA; ANNOTATED_WITH CN, AA; PROXIMAL_TO CN, AA; direct PROXIMAL_TO
    assert features.num_features == rows.shape[1] == 7
    assert rows[0].tolist() == pytest.approx([math.log1p(2), math.log1p(1 / math.log(2) + 1 / math.log(3)),
                                              math.log1p(1), math.log1p(1 / math.log(3)), 0, 0, 1])
    assert rows[1].tolist() == pytest.approx([0, 0, 0, 0, 0, 0, 0])
    assert torch.equal(features(torch.tensor([[2], [0]])), features(torch.tensor([[0], [2]])))  # symmetric


def test_bipartite_relations_refuse_symmetric_only_features():
    with pytest.raises(ValueError, match="only for a symmetric relation"):
        PairFeatures(_graph(), ("Protein", "ANNOTATED_WITH", "GOTerm"), False, ("typed",))
