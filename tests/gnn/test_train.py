"""Training on the small real graph: it learns (validation AUC above the untrained model), it is deterministic on
CPU, and the two encoders and decoders build."""

from __future__ import annotations

import pytest
import torch

from cellmap_kg.gnn.model import GraphInput, LinkModel, graph_input
from cellmap_kg.gnn.negatives import PairSet
from cellmap_kg.gnn.splits import make_split
from cellmap_kg.gnn.tasks import get_task
from cellmap_kg.gnn.train import EarlyStopping, LinkScorer, TrainConfig, build_model, embed, train_link_model

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


DECODE = LinkModel.decode      # the real decoder, whatever a test patched in before


def _training_batches(monkeypatch, split, config: TrainConfig) -> list[torch.Tensor]:
    """The pairs ``(2, K)`` the decoder scored in each training step (train mode) of a run of ``config``."""
    batches: list[torch.Tensor] = []

    def recording(self, z, pairs, extra=None):
        if self.training:
            batches.append(pairs.clone())
        return DECODE(self, z, pairs, extra)

    monkeypatch.setattr(LinkModel, "decode", recording)
    train_link_model(split, config, seed=3)
    return batches


def test_each_epoch_scores_a_fresh_share_of_the_training_positives(monkeypatch, split):
    full = _training_batches(monkeypatch, split, TrainConfig(epochs=2, eval_every=2, patience=0, pair_fraction=1.0))
    share = _training_batches(monkeypatch, split, TrainConfig(epochs=2, eval_every=2, patience=0,
                                                              pair_fraction=0.25))
    assert len(full) == len(share) == 2
    positives = split.positives("train")
    known = PairSet(positives, split.graphs["train"]["Protein"].num_nodes, symmetric=True)
    k = round(0.25 * positives.size(1))
    assert torch.equal(full[0][:, :positives.size(1)], positives)       # the full pass: every positive, in order
    first, second = (b[:, :k] for b in share)
    for chosen in (first, second):                                       # k distinct training positives
        assert known.contains(chosen).all()
        assert len(set(map(tuple, chosen.T.tolist()))) == k
    assert not torch.equal(first, second)                                # drawn afresh every epoch
    # negatives in proportion: the share's batch is a quarter of the full pass's (two-hop filtering varies it)
    assert abs(share[0].size(1) / full[0].size(1) - 0.25) < 0.02


# validation Hits@100 plateaus after its first rise while ROC-AUC still climbs, then Hits@100 rises again
PLATEAU = [{"auc": 0.88, "hits@100": 0.27}, {"auc": 0.91, "hits@100": 0.26}, {"auc": 0.93, "hits@100": 0.27},
           {"auc": 0.95, "hits@100": 0.265}, {"auc": 0.955, "hits@100": 0.30}]


def _stops(config: TrainConfig) -> tuple[list[bool], list[bool]]:
    stopping = EarlyStopping(config, {"auc": 0.5, "hits@100": 0.0})
    kept, stopped = [], []
    for scores in PLATEAU:
        kept.append(stopping.update(scores))
        stopped.append(stopping.stop)
    return kept, stopped


def test_patience_counts_validations_without_a_new_best_of_any_watched_metric():
    kept, stopped = _stops(TrainConfig(patience=3))                       # watches ROC-AUC and Hits@100
    assert kept == [True, False, False, False, True]                    # weights kept on Hits@100 alone
    assert stopped == [False] * 5
    kept, stopped = _stops(TrainConfig(patience=3, patience_metrics=None))   # Hits@100 alone: stops on the plateau
    assert kept[:4] == [True, False, False, False] and stopped[:4] == [False, False, False, True]
    assert _stops(TrainConfig(patience=0, patience_metrics=None))[1] == [False] * 5
