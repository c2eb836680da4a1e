"""The typed common-neighbour reading on a hand-made graph (exact values), and on the splits of the small real
graph: a held-out pair never reaches the common neighbours the model reads."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch_geometric.data import HeteroData

from cellmap_kg.gnn.common_neighbours import TypedNeighbourhoods
from cellmap_kg.gnn.negatives import PairSet
from cellmap_kg.gnn.splits import make_split
from cellmap_kg.gnn.tasks import get_task
from cellmap_kg.gnn.train import TrainConfig, pair_inputs

PD = ("Protein", "PULLED_DOWN", "Protein")
MEMBER = ("Protein", "MEMBER_OF", "Assembly")


def hand_made() -> HeteroData:
    """Proteins 0..3, assemblies A0, A1. AP-MS: 0-2, 1-2, 0-3, 1-3 (both directions). Members: 0, 1, 2 of A0;
    1 of A1. So pair (0, 1) shares AP-MS partners {2, 3} and assembly A0; pair (0, 2) is an AP-MS edge and shares
    only A0 (a pair's own edge is never its common neighbour); (2, 3) shares AP-MS partners {0, 1}; (0, 3) shares
    nothing."""
    data = HeteroData()
    data["Protein"].num_nodes = 4
    data["Assembly"].num_nodes = 2
    apms = torch.tensor([[0, 1, 0, 1], [2, 2, 3, 3]])
    data[PD].edge_index = torch.cat([apms, apms.flip(0)], dim=1)
    data[MEMBER].edge_index = torch.tensor([[0, 1, 2, 1], [0, 0, 0, 1]])
    data["Assembly", "rev_MEMBER_OF", "Protein"].edge_index = data[MEMBER].edge_index.flip(0)
    return data


def test_blocks_are_the_relations_leaving_the_protein_type():
    reading = TypedNeighbourhoods(hand_made(), "Protein")
    assert [(b.edge_type, b.offset, b.size) for b in reading.blocks] == [(PD, 0, 4), (MEMBER, 4, 2)]
    assert reading.heuristic_names() == ["CN PULLED_DOWN", "AA PULLED_DOWN", "CN MEMBER_OF", "AA MEMBER_OF"]


def test_common_neighbours_and_heuristics_per_relation_exact():
    reading = TypedNeighbourhoods(hand_made(), "Protein")
    result = reading(torch.tensor([[0, 0, 2, 0], [1, 2, 3, 3]]))
    assert result.common.toarray().tolist() == [[0, 0, 1, 1, 1, 0],    # (0, 1): proteins 2, 3 and assembly A0
                                                [0, 0, 0, 0, 1, 0],    # (0, 2): A0 only, not each other
                                                [1, 1, 0, 0, 0, 0],    # (2, 3): proteins 0, 1
                                                [0, 0, 0, 0, 0, 0]]    # (0, 3): nothing shared
    # AA weighs a shared neighbour by 1 / log(number of proteins linked to it): 2 for every protein, 3 for A0
    expected = [[2, 2 / math.log(2), 1, 1 / math.log(3)], [0, 0, 1, 1 / math.log(3)], [2, 2 / math.log(2), 0, 0],
                [0, 0, 0, 0]]
    np.testing.assert_allclose(result.heuristics, np.log1p(np.array(expected)), rtol=1e-6)
    index, _ = result.tensors()
    assert index.tolist() == [[0, 0, 0, 1, 2, 2], [2, 3, 4, 4, 0, 1]]
    assert result.take(np.array([3, 0])).common.toarray().tolist() == [[0] * 6, [0, 0, 1, 1, 1, 0]]


def test_torch_neighbourhoods_equal_the_scipy_ones_and_take_rows_in_order():
    reading = TypedNeighbourhoods(hand_made(), "Protein")
    result = reading(torch.tensor([[0, 0, 2, 0], [1, 2, 3, 3]]))
    tensors = result.torch()
    assert len(tensors) == 4 and tensors.counts().tolist() == [3, 1, 2, 0]
    index, heuristics = tensors.tensors()
    assert index.tolist() == [[0, 0, 0, 1, 2, 2], [2, 3, 4, 4, 0, 1]]
    assert torch.equal(heuristics, result.tensors()[1])
    rows = np.array([2, 3, 0, 2, 1])          # reordered, with a repeat and a pair without common neighbours
    taken = tensors.take(torch.from_numpy(rows))
    assert taken.indptr.tolist() == [0, 2, 2, 5, 7, 8]
    assert taken.tensors()[0].tolist() == [[0, 0, 2, 2, 2, 3, 3, 4], [0, 1, 2, 3, 4, 0, 1, 4]]
    for a, b in zip(taken.tensors(), result.take(rows).tensors(), strict=True):
        assert torch.equal(a, b)
    empty = tensors.take(torch.zeros(0, dtype=torch.int64))
    assert len(empty) == 0 and empty.tensors()[0].shape == (2, 0)


def test_a_relation_that_does_not_leave_the_type_is_refused():
    with pytest.raises(ValueError, match="leaving Protein"):
        TypedNeighbourhoods(hand_made(), "Protein", [("Assembly", "rev_MEMBER_OF", "Protein")])


@pytest.mark.parametrize("kind", ["edge", "protein-disjoint"])
def test_no_held_out_pair_reaches_the_common_neighbours_the_model_reads(ppi_graph, kind):
    task = get_task("ppi")
    split = make_split(kind, ppi_graph, task, seed=0)
    n = ppi_graph["Protein"].num_nodes
    later = {"train": ("train", "val", "test"), "val": ("val", "test"), "test": ("test",)}
    for part, held_out in later.items():
        reading = pair_inputs(TrainConfig(), split.graphs[part], task)
        apms = next(b for b in reading.blocks if b.edge_type == task.edge_type)
        block = reading.incidence[:, apms.offset:apms.offset + apms.size].tocoo()
        seen = PairSet(torch.from_numpy(np.stack([block.row, block.col]).astype(np.int64)), n, symmetric=True)
        for other in held_out:
            positives = split.positives(other)
            assert positives.size(1) > 100
            assert not seen.contains(positives).any(), f"{other} positives in the {part} graph's AP-MS block"
    if kind == "protein-disjoint":   # unseen proteins have no AP-MS neighbour in any graph the model reads
        reading = pair_inputs(TrainConfig(), split.graphs["test"], task)
        apms = next(b for b in reading.blocks if b.edge_type == task.edge_type)
        rows = reading.incidence[split.held_out["test"].nonzero().view(-1).numpy()]
        assert rows[:, apms.offset:apms.offset + apms.size].nnz == 0
        assert rows.nnz > 1000   # ... but they have assemblies, compartments, co-embedding neighbours
