"""A small experiment (one seed, both splits, few epochs) on the small real graph, and its report."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import torch

from cellmap_kg.gnn.experiment import GNN, ExperimentConfig, run_experiment
from cellmap_kg.gnn.node2vec import Node2VecConfig
from cellmap_kg.gnn.pipeline import external_check
from cellmap_kg.gnn.report import metrics_table, write_report
from cellmap_kg.gnn.tasks import get_task, task_graph
from cellmap_kg.gnn.train import TrainConfig, embed

PNG = b"\x89PNG\r\n\x1a\n"


SMALL = ExperimentConfig(seeds=(0,), gnn=TrainConfig(epochs=10, eval_every=5, lr=0.01),
                         mlp=TrainConfig(model="feature-mlp", pair_features=(), epochs=10, eval_every=5),
                         node2vec=Node2VecConfig(walks_per_node=2, walk_length=10, context_size=5),
                         num_shared=5000, num_hard=10, jobs=2)


@pytest.fixture(scope="module")
def experiment(small_export):
    return run_experiment(small_export, SMALL)


def test_worker_processes_give_the_sequential_results(experiment, small_export):
    sequential = run_experiment(small_export, replace(SMALL, splits=("edge",), jobs=1))
    assert sequential.records[0].metrics == experiment.records[0].metrics
    state, again = experiment.model.state_dict(), sequential.model.state_dict()
    assert all(torch.equal(state[k], again[k]) for k in state)


def test_every_method_is_scored_on_both_splits(experiment):
    summary = experiment.summary()
    assert set(summary) == {"edge", "protein-disjoint"}
    methods = set(summary["edge"])
    assert {GNN, "MLP (node features)", "Node2Vec + LR", "CN (AP-MS graph)", "AA (AP-MS graph)",
            "CN (whole graph)", "AA (whole graph)", "co-embedding cosine"} <= methods
    edge = summary["edge"]
    assert edge[GNN]["auc"][0] > 0.8
    assert edge["co-embedding cosine"]["positives"][0] < edge[GNN]["positives"][0]   # covered pairs only
    # no test protein has a training edge, so neighbourhood heuristics are blind on the protein-disjoint split
    assert summary["protein-disjoint"]["CN (AP-MS graph)"]["auc"][0] == 0.5
    assert all(set(r.leakage.values()) == {0} for r in experiment.records)


def test_report_has_the_table_verdicts_leakage_and_plots(experiment, small_export, tmp_path):
    task = get_task("ppi")
    graph = task_graph(small_export, task)
    external = external_check(experiment.model, graph, small_export)
    assert external["hits"] > 0 and external["precision"] > external["random uniform precision"]
    path = write_report(experiment, small_export, embed(experiment.model, graph)["Protein"], external, "test-run",
                        tmp_path, max_points=300)
    text = path.read_text()
    assert metrics_table(experiment.summary()["edge"]).splitlines()[0] in text
    assert f"| {GNN} |" in text and "the best heuristic on Hits@100" in text
    assert "| test positives in train message passing | 0 | 0 |" in text
    assert "| test proteins in training edges | - | 0 |" in text                # protein-disjoint check only
    assert "External check: CORUM" in text
    assert "## Neo4j Graph Data Science baselines" in text and "**Not run**: `gnn evaluate` was called without " \
        "`--gds`" in " ".join(text.split())                                  # SMALL has no gds: the report says so
    for plot in ("roc.png", "pr.png", "training.png", "embedding.png"):
        assert (tmp_path / plot).read_bytes()[:8] == PNG and f"![{plot}]({plot})" in text
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["run"] == "test-run" and metrics["external"]["n"] == external["n"]
