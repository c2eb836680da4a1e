"""Splits on the small real graph, checked with plain Python sets (independently of ``leakage_report``), and the
leakage report itself shown to catch an injected leak."""

from __future__ import annotations

import copy

import pytest
import torch

from cellmap_kg.gnn.splits import PARTS, leakage_report, make_split
from cellmap_kg.gnn.tasks import get_task, task_graph

PPI = get_task("ppi")


def _pairs(t: torch.Tensor, symmetric: bool = True) -> set[tuple[int, int]]:
    out = {tuple(p) for p in t.t().tolist()}
    return out | {(b, a) for a, b in out} if symmetric else out


@pytest.fixture(scope="module")
def edge(ppi_graph):
    return make_split("edge", ppi_graph, PPI, seed=0)


@pytest.fixture(scope="module")
def disjoint(ppi_graph):
    return make_split("protein-disjoint", ppi_graph, PPI, seed=0)


def _message_passing(split, part) -> set:
    return _pairs(split.message_passing(part))


def test_edge_split_no_held_out_edge_or_its_reverse_in_message_passing(edge, ppi_graph):
    test, val, sup = (_pairs(edge.positives(p)) for p in ("test", "val", "train"))
    for part in PARTS:
        assert not test & _message_passing(edge, part)
    assert not val & (_message_passing(edge, "train") | _message_passing(edge, "val"))
    assert not sup & _message_passing(edge, "train")
    # nothing is lost: message passing + supervision of the training graph, validation and test = every edge
    everything = _pairs(ppi_graph["Protein", "PULLED_DOWN", "Protein"].edge_index)
    assert _message_passing(edge, "train") | sup | val | test == everything
    assert _message_passing(edge, "test") == everything - test


def test_fixed_negatives_are_no_true_edges_and_training_negatives_avoid_the_training_graph(edge, ppi_graph):
    everything = _pairs(ppi_graph["Protein", "PULLED_DOWN", "Protein"].edge_index)
    for part in ("val", "test"):
        assert edge.negatives(part).size(1) == edge.positives(part).size(1)
        assert not _pairs(edge.negatives(part), symmetric=False) & everything
    training_graph = _pairs(edge.training_graph_pairs())
    generator = torch.Generator().manual_seed(3)
    for _ in range(3):                                             # three epochs' worth of fresh negatives
        drawn = edge.training_negatives(edge.positives("train").size(1) * 3, generator)
        assert not _pairs(drawn, symmetric=False) & training_graph
        assert bool((drawn[0] != drawn[1]).all())


def test_protein_disjoint_split_shares_no_protein(disjoint):
    def proteins(t: torch.Tensor) -> set[int]:
        return set(t.reshape(-1).tolist())

    training = proteins(disjoint.training_graph_pairs())
    for part in ("val", "test"):
        held = proteins(disjoint.positives(part)) | proteins(disjoint.negatives(part))
        assert held and not held & training
        assert held <= set(disjoint.held_out[part].nonzero().view(-1).tolist())
    assert not proteins(disjoint.positives("test")) & proteins(disjoint.positives("val"))
    assert disjoint.dropped > 0                                    # straddling pairs were dropped, not reassigned


def test_leakage_report_is_all_zero_and_catches_an_injected_leak(edge, disjoint):
    assert set(leakage_report(edge).values()) == {0}
    assert set(leakage_report(disjoint).values()) == {0}
    leaky = copy.copy(edge)
    leaky.graphs = dict(edge.graphs)
    leaky.graphs["train"] = copy.copy(edge.graphs["train"])
    store = leaky.graphs["train"]["Protein", "PULLED_DOWN", "Protein"]
    store.edge_index = torch.cat([store.edge_index, edge.positives("test")[:, :5].flip(0)], dim=1)  # reversed
    report = leakage_report(leaky)
    assert report["test positives in train message passing"] == 5


def test_splits_are_reproducible_and_depend_on_the_seed(ppi_graph, edge):
    again = make_split("edge", ppi_graph, PPI, seed=0)
    other = make_split("edge", ppi_graph, PPI, seed=1)
    for part in PARTS:
        assert torch.equal(again.graphs[part][PPI.edge_type].edge_label_index,
                           edge.graphs[part][PPI.edge_type].edge_label_index)
    assert not torch.equal(other.positives("test"), edge.positives("test"))


def test_membership_split_removes_the_reverse_edges_of_held_out_memberships(small_export):
    task = get_task("membership")
    split = make_split("edge", task_graph(small_export, task), task, seed=0)
    test = _pairs(split.positives("test"), symmetric=False)
    for part in PARTS:
        reverse = split.graphs[part][task.rev_edge_type].edge_index.flip(0)
        assert not test & _pairs(reverse, symmetric=False)
    negatives = split.negatives("test")
    assert bool(split.graphs["test"]["Assembly"].link_candidate[negatives[1]].all())
    assert set(leakage_report(split).values()) == {0}
