"""The actions end to end on the small real graph: train a run, write its predictions back, query them with the
library queries and the vector index, and the ``cellmap-kg gnn`` command line.

These tests write ``ModelRun``, ``PREDICTED_INTERACTION``, ``SIMILAR_TO`` and ``Protein.embedding`` into the
session's small store; the other GNN tests only read the exported types, which these writes do not touch.
"""

from __future__ import annotations

import json

import pytest

from cellmap_kg.cli import main
from cellmap_kg.gnn.errors import GNNError
from cellmap_kg.gnn.pipeline import predict_action, train_action
from cellmap_kg.gnn.runs import list_runs, load_run
from cellmap_kg.gnn.train import TrainConfig
from cellmap_kg.gnn.writeback import clear_run
from cellmap_kg.queries.registry import run_query

TOP_K, NEIGHBOURS = 3, 4


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("gnn-cache")


@pytest.fixture(scope="module")
def run(small_store, cache):
    return train_action(small_store, cache, "ppi", TrainConfig(epochs=20, eval_every=5, lr=0.01), seed=0)


@pytest.fixture(scope="module")
def written(small_store, cache, run):
    return predict_action(small_store, cache, run.id, top_k=TOP_K, neighbours=NEIGHBOURS)


def test_a_trained_run_is_saved_with_its_test_metrics(run, cache, small_export):
    assert load_run(cache, "latest", "ppi").id == run.id
    assert run.export_hash == small_export.content_hash
    test = run.metrics["test"]
    assert test["auc"] > 0.8 and 0 <= test["hits@100"] <= 1 and test["positives"] > 2000
    assert run.config["decoder"] == "ncn" and run.model == "hetero-sage+ncn"      # the task default, recorded
    assert run.calibration["method"].startswith("isotonic") and 0 < run.calibration["baseRate"] < 0.01


def test_predictions_written_back_are_queryable(small_store, written, run):
    assert written["PREDICTED_INTERACTION"] > 1000 and written["SIMILAR_TO"] > 1000
    symbol = small_store.query("MATCH (p:Protein)-[r:PREDICTED_INTERACTION {run: $run}]->() RETURN p.symbol AS s "
                               "ORDER BY s LIMIT 1", {"run": run.id})[0]["s"]
    rows = run_query(small_store, "predicted-links", symbol=symbol, run=run.id)
    assert [r["rank"] for r in rows] == list(range(1, TOP_K + 1))
    assert all(r["relation"] == "PREDICTED_INTERACTION" and r["run"] == run.id for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    probabilities = [r["probability"] for r in rows]          # calibrated: monotone in the score, in [0, 1]
    assert probabilities == sorted(probabilities, reverse=True) and all(0 <= p <= 1 for p in probabilities)
    similar = run_query(small_store, "similar-proteins", symbol=symbol, run=run.id)
    assert [r["rank"] for r in similar] == list(range(1, NEIGHBOURS + 1))
    assert [r["cosine"] for r in similar] == sorted((r["cosine"] for r in similar), reverse=True)
    assert symbol not in {r["neighbour"] for r in similar}


def test_no_predicted_interaction_is_a_known_apms_pair(small_store, written, run):
    known = small_store.query("MATCH (a:Protein)-[r:PREDICTED_INTERACTION {run: $run}]->(b:Protein) "
                              "WHERE (a)-[:PULLED_DOWN]-(b) RETURN count(r) AS n", {"run": run.id})
    assert known[0]["n"] == 0


def test_embeddings_are_vector_indexed(small_store, written):
    row = small_store.query("MATCH (p:Protein) WHERE p.embedding IS NOT NULL RETURN p.symbol AS s ORDER BY s "
                            "LIMIT 1")[0]
    vector = small_store.query("MATCH (p:Protein {symbol: $s}) RETURN p.embedding AS v", {"s": row["s"]})[0]["v"]
    hits = small_store.vector_search("Protein", "embedding", vector, k=3)
    assert hits[0]["key"] == row["s"] and hits[0]["score"] == pytest.approx(1.0, abs=1e-4)
    assert written["embeddings"] == small_store.query(
        "MATCH (p:Protein) WHERE p.embedding IS NOT NULL RETURN count(p) AS n")[0]["n"]


def test_model_run_node_holds_config_metrics_and_export_hash(small_store, written, run):
    node = small_store.query("MATCH (m:ModelRun {id: $id}) RETURN m.task AS task, m.exportHash AS hash, "
                             "m.config AS config, m.metrics AS metrics", {"id": run.id})[0]
    assert node["task"] == "ppi" and node["hash"] == run.export_hash
    assert json.loads(node["config"])["epochs"] == 20
    external = json.loads(node["metrics"])["external"]
    assert external["n"] == 1000 and 0 <= external["precision"] <= 1


def test_writing_a_run_again_first_deletes_its_links(small_store, written, run):
    assert written["deleted"] == 0                              # first write of the run
    assert clear_run(small_store, run.id) == written["PREDICTED_INTERACTION"] + written["SIMILAR_TO"]
    assert small_store.query("MATCH ()-[r]->() WHERE r.run = $run RETURN count(r) AS n", {"run": run.id})[0]["n"] == 0


def test_unknown_run_is_a_clear_error(small_store, cache, run):
    with pytest.raises(GNNError, match="no GNN run 'nope'"):
        predict_action(small_store, cache, "nope")
    assert [r.id for r in list_runs(cache)] == [run.id]


def test_command_line_export_and_error(small_store, cache, run, capsys):
    assert main(["gnn", "export", "--store", small_store.uri, "--cache", str(cache)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["contentHash"] == run.export_hash
    assert main(["gnn", "predict", "--store", small_store.uri, "--cache", str(cache), "--run", "nope"]) == 1
    assert "no GNN run 'nope'" in capsys.readouterr().err


def test_command_line_report_lays_runs_side_by_side(cache, run, capsys):
    assert main(["gnn", "report", run.id, "latest", "--cache", str(cache)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0] == f"| split | method | metric | `{run.id}` | `{run.id}` | last - first |"
    auc = next(line for line in table if "| ROC-AUC |" in line)
    assert auc == f"| edge | hetero-sage+ncn | ROC-AUC | {run.metrics['test']['auc']:.3f} | " \
                  f"{run.metrics['test']['auc']:.3f} | +0.000 |"
    assert main(["gnn", "report", "nope", "--cache", str(cache)]) == 1
    assert "no GNN run 'nope'" in capsys.readouterr().err
