"""The four actions of ``cellmap-kg gnn``: export, train, evaluate, predict. Each is one function of a store.

``cache_dir`` holds the export cache (``export-<fingerprint>.pt``) and the saved runs (``runs/<id>/``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from ..store.base import GraphStore
from .errors import GNNError
from .evaluation import evaluate_scorer, evaluation_pairs
from .experiment import ExperimentConfig, ExperimentResult, run_experiment
from .external import corum_check
from .heterodata import GraphExport, cached_export
from .negatives import PairSet
from .predict import connected_nodes, predict_links
from .runs import LATEST, SavedRun, load_model, load_run, save_run
from .splits import edge_split, leakage_report
from .tasks import get_task, task_graph
from .train import LinkScorer, TrainConfig, calibrate, embed, resolved, train_link_model
from .writeback import ModelRunRow, link_rows, similar_rows, write_run

Progress = Callable[[str], None]
LINK_RELATIONSHIP = {"ppi": "PREDICTED_INTERACTION", "membership": "PREDICTED_MEMBER_OF"}


def _quiet(_message: str) -> None:
    return None


def export_action(store: GraphStore, cache_dir: Path, progress: Progress = _quiet) -> GraphExport:
    """Export the store's graph (or read it from the cache). See :func:`cellmap_kg.gnn.heterodata.cached_export`."""
    return cached_export(store, cache_dir, progress)


def train_action(store: GraphStore, cache_dir: Path, task_name: str = "ppi", config: TrainConfig | None = None,
                 seed: int = 0, progress: Progress = _quiet) -> SavedRun:
    """Train one model on the edge split of ``task_name`` (seed ``seed``), measure its test metrics, save the run.

    Raises ``LeakageError``-style ``AssertionError`` if the split leaks, ``KeyError`` for an unknown task.
    """
    task = get_task(task_name)
    config = resolved(config or TrainConfig(), task)
    export = cached_export(store, cache_dir, progress)
    graph = task_graph(export, task, hops=config.layers)
    split = edge_split(graph, task, seed)
    leaks = {k: v for k, v in leakage_report(split).items() if v}
    if leaks:
        raise AssertionError(f"edge split of {task_name} leaks: {leaks}")

    def report(epoch: int, loss: float, auc: float | None) -> None:
        if auc is not None:
            progress(f"epoch {epoch}: loss {loss:.4f}, validation AUC {auc:.4f}")

    result = train_link_model(split, config, seed, report)
    calibrator = calibrate(result.model, result.validator)
    pairs = evaluation_pairs(split, export, seed)
    metrics = {"test": evaluate_scorer(LinkScorer(result.model, split.graphs["test"], task, config=config), pairs),
               "best validation AUC": result.best_val_auc, "best epoch": result.best_epoch,
               "epochs": result.epochs_run, "train seconds": result.seconds,
               "seconds per epoch": result.seconds_per_epoch}
    run = save_run(cache_dir, task, config, result.model, seed, metrics, export.content_hash, result.history,
                   calibrator)
    progress(f"run {run.id} saved in {run.path}")
    return run


def evaluate_action(store: GraphStore, cache_dir: Path, report_dir: Path, config: ExperimentConfig | None = None,
                    progress: Progress = _quiet) -> tuple[ExperimentResult, Path]:
    """Run the full experiment (every method, every seed, both splits), the external CORUM check for the PPI task,
    write ``report_dir/report.md`` with plots, and save the first edge-split GNN as a run (for ``predict``).
    ``result.stages`` holds the wall seconds of each stage (export, experiment, CORUM check, report)."""
    from .report import write_report

    config = config or ExperimentConfig()
    task = get_task(config.task)
    stages: dict[str, float] = {}
    t = time.perf_counter()
    export = cached_export(store, cache_dir, progress)
    stages["export (or cache read)"] = time.perf_counter() - t
    result = run_experiment(export, config, progress)
    stages["experiment (splits x seeds, every method)"] = result.seconds
    t = time.perf_counter()
    graph = task_graph(export, task, hops=config.gnn.layers)
    external = None
    if task.name == "ppi":
        progress("external check: top novel predictions against CORUM")
        external = external_check(result.model, graph, export)
    stages["CORUM check"] = time.perf_counter() - t
    t = time.perf_counter()
    metrics = {"experiment": {k: {m: {x: list(v) for x, v in d.items()} for m, d in s.items()}
                              for k, s in result.summary().items()},
               "external": external}
    run = save_run(cache_dir, task, resolved(config.gnn, task), result.model, config.seeds[0], metrics,
                   export.content_hash, result.records[0].history, result.calibrator)
    progress(f"run {run.id} saved in {run.path}")
    embeddings = embed(result.model, graph)["Protein"]
    result.stages = stages
    path = write_report(result, export, embeddings, external, run.id, Path(report_dir))
    stages["report (tables, plots, t-SNE)"] = time.perf_counter() - t
    progress(f"report written: {path}")
    return result, path


def external_check(model, graph, export: GraphExport, n: int = 1000, seed: int = 0) -> dict:
    """CORUM precision of the top ``n`` novel interactions predicted by ``model`` over ``graph`` (all AP-MS edges
    as message passing); see :mod:`cellmap_kg.gnn.external`."""
    task = get_task("ppi")
    predictions = predict_links(model, graph, task)
    known = PairSet(graph[task.edge_type].edge_index, graph["Protein"].num_nodes, symmetric=True)
    universe = connected_nodes(graph, "Protein")
    result = corum_check(predictions, export, known, universe, n=n, seed=seed)
    result["candidates scored"] = int(predictions.pairs.size(1))
    return result


def predict_action(store: GraphStore, cache_dir: Path, run_id: str = LATEST, task_name: str | None = None,
                   top_k: int = 10, neighbours: int = 10, progress: Progress = _quiet) -> dict[str, int]:
    """Write run ``run_id``'s results into ``store``: the ``ModelRun`` node, protein embeddings (PPI runs), the
    top ``top_k`` new links per protein with their logit, rank and calibrated probability (the run's validation
    calibration), and (PPI runs) the ``neighbours`` nearest proteins in embedding space.

    Raises:
        GNNError: no such run, the run has no calibration, or the graph changed since the run (its export hash
            differs): retrain.
    """
    run = load_run(cache_dir, run_id, task_name)
    task = get_task(run.task)
    export = cached_export(store, cache_dir, progress)
    if export.content_hash != run.export_hash:
        raise GNNError(f"run {run.id} was trained on export {run.export_hash[:12]}, the graph is now "
                         f"{export.content_hash[:12]}: train a new run")
    config = run.train_config()
    graph = task_graph(export, task, hops=config.layers)
    model = load_model(run, graph, task)
    progress(f"predicting {task.name} links with run {run.id}")
    predictions = predict_links(model, graph, task)
    metrics = dict(run.metrics)
    if task.name == "ppi" and "external" not in metrics:
        metrics["external"] = external_check(model, graph, export)
    row = ModelRunRow(run.id, run.model, run.task, run.created_at, json.dumps(run.config),
                      json.dumps(metrics, default=float), run.export_hash)
    source_keys, target_keys = export.keys[task.source_type], export.keys[task.target_type]
    links = link_rows(predictions, run.calibrator(), source_keys, target_keys, top_k, run.model, run.id,
                      task.undirected)
    embeddings = similar = None
    if task.name == "ppi":
        z = embed(model, graph)["Protein"]
        nodes = connected_nodes(graph, "Protein")
        embeddings = {source_keys[i]: z[i].tolist() for i in nodes.tolist()}
        similar = similar_rows(z, source_keys, nodes, neighbours, run.id)
    counts = write_run(store, row, embeddings, (LINK_RELATIONSHIP[task.name], links), similar)
    progress(f"written: {counts}")
    return counts

