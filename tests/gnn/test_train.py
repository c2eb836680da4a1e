"""Training on the small real graph: it learns (validation AUC above the untrained model), it is deterministic on
CPU, and the two encoders and decoders build."""

from __future__ import annotations

import pytest
import torch

from cellmap_kg.gnn.model import GraphInput, graph_input
from cellmap_kg.gnn.splits import make_split
from cellmap_kg.gnn.tasks import get_task
from cellmap_kg.gnn.train import LinkScorer, TrainConfig, build_model, embed, train_link_model

PPI = get_task("ppi")
QUICK = TrainConfig(epochs=30, eval_every=5, patience=0, lr=0.01)


@pytest.fixture(scope="module")
def split(ppi_graph):
    return make_split("edge", ppi_graph, PPI, seed=0)


@pytest.fixture(scope="module")
def trained(split):
    return train_link_model(split, QUICK, seed=0)


def test_training_improves_validation_auc_over_the_untrained_model(trained):
    untrained = trained.history[0]["val_auc"]
    assert trained.history[0]["epoch"] == 0
    assert trained.best_val_auc > untrained + 0.05
    assert trained.best_val_auc > 0.85
    losses = [h["loss"] for h in trained.history[1:]]
    assert losses[-1] < losses[0]


def test_test_auc_of_the_kept_weights(trained, split):
    scorer = LinkScorer(trained.model, split.graphs["test"], PPI)
    pos, neg = scorer(split.positives("test")), scorer(split.negatives("test"))
    from cellmap_kg.gnn.metrics import roc_auc

    assert roc_auc(pos, neg) > 0.85


def test_training_is_deterministic_on_cpu(split):
    config = TrainConfig(epochs=4, eval_every=2, patience=0)
    first, second = train_link_model(split, config, seed=7), train_link_model(split, config, seed=7)
    assert first.history == second.history
    z1, z2 = embed(first.model, split.graphs["test"]), embed(second.model, split.graphs["test"])
    assert all(torch.equal(z1[t], z2[t]) for t in z1)
    third = train_link_model(split, config, seed=8)
    assert third.history != first.history


def test_feature_mlp_sees_no_edges(split):
    model = build_model(TrainConfig(model="feature-mlp", pair_features=()), split.graphs["train"], PPI)
    inp = graph_input(split.graphs["train"])
    empty = GraphInput(inp.x, {}, inp.num_nodes)
    with torch.no_grad():
        assert torch.equal(model(inp)["Protein"], model(empty)["Protein"])


def test_unknown_model_or_decoder_is_refused(split):
    with pytest.raises(ValueError, match="unknown model"):
        build_model(TrainConfig(model="gat"), split.graphs["train"], PPI)
    with pytest.raises(ValueError, match="pair features need the 'mlp' decoder"):
        build_model(TrainConfig(decoder="dot", pair_features=("whole",)), split.graphs["train"], PPI)


def test_ncn_is_the_default_for_protein_pairs_and_refused_for_memberships(split, small_export):
    from cellmap_kg.gnn.tasks import task_graph

    model = build_model(TrainConfig(), split.graphs["train"], PPI)
    assert model.decoder == "ncn"
    assert {b.edge_type[1] for b in model.ncn.blocks} == {"PULLED_DOWN", "MEMBER_OF", "LOCALIZES_TO",
                                                          "PROXIMAL_TO"}   # the relations leaving Protein here
    membership = get_task("membership")
    with pytest.raises(ValueError, match="needs a symmetric relation"):
        build_model(TrainConfig(decoder="ncn"), task_graph(small_export, membership), membership)
