"""One link-prediction experiment: every method on the same splits, several seeds, leakage checked.

For each split kind (``edge``, ``protein-disjoint``) and seed: make the split, verify :func:`leakage_report` is
all zeros (else ``LeakageError``), fix the evaluation pairs, train the GNN and the feature MLP, fit Node2Vec, and
score every method on the same pairs. The GNN of the first seed's edge split is kept (``ExperimentResult.model``)
for the external CORUM check, the embedding plot and prediction.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch_geometric.data import HeteroData

from .baselines import coembedding_scorer, heuristic_scorer, node2vec_scorer
from .evaluation import EvaluationPairs, evaluate_scorer, evaluation_pairs
from .export import GraphExport, load_export, save_export
from .metrics import mean_std
from .model import LinkModel
from .node2vec import Node2VecConfig
from .splits import LinkSplit, leakage_report, make_split
from .tasks import Task, get_task, task_graph
from .train import LinkScorer, TrainConfig, build_model, torch_threads, train_link_model

GNN = "GNN (hetero GraphSAGE)"
MLP = "MLP (node features)"
NODE2VEC = "Node2Vec + LR"
COEMBEDDING = "co-embedding cosine"
GNN_ON_COEMBEDDING = "GNN (co-embedding pairs)"


class LeakageError(AssertionError):
    """A split lets a held-out edge (or protein) reach training; the message lists the non-zero counts."""


def _default_mlp() -> TrainConfig:
    return TrainConfig(model="feature-mlp", pair_features=(), epochs=100, lr=0.01, patience=3)


@dataclass
class ExperimentConfig:
    """What to run. ``gnn`` / ``mlp``: training configs; ``num_shared``: OGB shared random negatives;
    ``num_hard``: hard negatives per positive (MRR); ``jobs``: worker processes for the (split, seed) units
    (measured on the 2-core reference machine: 2 single-threaded workers train at 0.67 s/epoch each against
    0.62 s/epoch alone, so 2 jobs nearly halve the wall time)."""

    task: str = "ppi"
    splits: tuple[str, ...] = ("edge", "protein-disjoint")
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    gnn: TrainConfig = field(default_factory=TrainConfig)
    mlp: TrainConfig = field(default_factory=_default_mlp)
    node2vec: Node2VecConfig = field(default_factory=lambda: Node2VecConfig(walks_per_node=5))
    num_shared: int = 100_000
    num_hard: int = 50
    jobs: int = 2

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RunRecord:
    """One split kind and seed: ``metrics[method][metric]``, the leakage counts, the GNN's training history,
    timings in seconds and split sizes."""

    kind: str
    seed: int
    metrics: dict[str, dict[str, float]]
    leakage: dict[str, int]
    history: list[dict]
    timings: dict[str, float]
    sizes: dict[str, int]


@dataclass
class ExperimentResult:
    """All records, the first edge-split GNN (``model``) and the test scores of the first seed per split kind and
    method (``curves[kind][method] = (positive scores, negative scores)``)."""

    config: ExperimentConfig
    export_hash: str
    records: list[RunRecord] = field(default_factory=list)
    curves: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = field(default_factory=dict)
    model: LinkModel | None = None
    seconds: float = 0.0

    def summary(self) -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
        """``{kind: {method: {metric: (mean, std over seeds)}}}``."""
        out: dict = {}
        for kind in dict.fromkeys(r.kind for r in self.records):
            records = [r for r in self.records if r.kind == kind]
            methods = list(dict.fromkeys(m for r in records for m in r.metrics))
            out[kind] = {}
            for method in methods:
                metrics = list(dict.fromkeys(k for r in records for k in r.metrics.get(method, {})))
                out[kind][method] = {k: mean_std([r.metrics[method][k] for r in records if method in r.metrics])
                                     for k in metrics}
        return out


def _score_methods(split: LinkSplit, export: GraphExport, pairs: EvaluationPairs, config: ExperimentConfig,
                   seed: int, timings: dict[str, float], history: list[dict],
                   progress: Callable[[str], None]) -> tuple[dict[str, dict[str, float]], dict, LinkModel]:
    task = split.task
    metrics: dict[str, dict[str, float]] = {}
    curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def run(name: str, scorer, subset=None) -> None:
        t = time.perf_counter()
        metrics[name] = evaluate_scorer(scorer, pairs, subset)
        if subset is None:
            curves[name] = (scorer(pairs.positives), scorer(pairs.negatives))
        timings[f"evaluate {name}"] = time.perf_counter() - t

    t = time.perf_counter()
    gnn = train_link_model(split, config.gnn, seed)
    timings["train GNN"] = time.perf_counter() - t
    timings["GNN seconds per epoch"] = gnn.seconds_per_epoch
    history.extend(gnn.history)
    progress(f"{split.kind} seed {seed}: GNN trained ({gnn.epochs_run} epochs, best {gnn.best_epoch}, "
             f"val AUC {gnn.best_val_auc:.3f}, {timings['train GNN']:.0f} s)")
    gnn_scorer = LinkScorer(gnn.model, split.graphs["test"], task)
    run(GNN, gnn_scorer)

    t = time.perf_counter()
    mlp = train_link_model(split, config.mlp, seed)
    timings["train MLP"] = time.perf_counter() - t
    run(MLP, LinkScorer(mlp.model, split.graphs["test"], task))

    t = time.perf_counter()
    with torch_threads(config.gnn.threads):
        n2v = node2vec_scorer(split, config.node2vec, seed)
    timings["train Node2Vec"] = time.perf_counter() - t
    run(NODE2VEC, n2v)

    for name in ("CN", "AA"):
        if task.undirected:
            run(f"{name} (AP-MS graph)" if task.name == "ppi" else f"{name} (relation)",
                heuristic_scorer(split, name, whole_graph=False))
        run(f"{name} (whole graph)", heuristic_scorer(split, name, whole_graph=True))

    if task.name == "ppi":
        scorer, subset = coembedding_scorer(export)
        run(COEMBEDDING, scorer, subset)
        run(GNN_ON_COEMBEDDING, gnn_scorer, subset)
    progress(f"{split.kind} seed {seed}: GNN test AUC {metrics[GNN]['auc']:.3f}, Hits@100 "
             f"{metrics[GNN]['hits@100']:.3f}")
    return metrics, curves, gnn.model


def run_experiment(export: GraphExport, config: ExperimentConfig,
                   progress: Callable[[str], None] | None = None) -> ExperimentResult:
    """Run ``config`` on ``export``; with ``config.jobs > 1`` the (split, seed) units run in that many worker
    processes (each unit is seeded, so the results equal a sequential run). Raises ``LeakageError`` if any split
    leaks."""
    progress = progress or (lambda _msg: None)
    start = time.perf_counter()
    task = get_task(config.task)
    graph = task_graph(export, task, hops=config.gnn.layers)
    units = [(kind, seed) for kind in config.splits for seed in config.seeds]
    if config.jobs > 1 and len(units) > 1:
        outcomes = _run_parallel(export, config, units, progress)
    else:
        outcomes = []
        for kind, seed in units:
            record, curves, model = _run_one(graph, export, task, kind, seed, config, progress)
            outcomes.append((record, curves, model.state_dict()))
    result = ExperimentResult(config, export.content_hash)
    for record, curves, state in outcomes:
        result.records.append(record)
        result.curves.setdefault(record.kind, curves)
        if record.kind == "edge" and result.model is None:
            result.model = build_model(config.gnn, graph, task)
            result.model.load_state_dict(state)
            result.model.eval()
    result.seconds = time.perf_counter() - start
    return result


def _run_parallel(export: GraphExport, config: ExperimentConfig, units: list[tuple[str, int]],
                  progress: Callable[[str], None]) -> list[tuple[RunRecord, dict, dict]]:
    with tempfile.TemporaryDirectory(prefix="cellmap-kg-gnn-") as tmp:
        path = Path(tmp) / "export.pt"
        save_export(export, path)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=config.jobs, mp_context=context) as pool:
            futures = [pool.submit(_unit_worker, path, config, kind, seed) for kind, seed in units]
            outcomes = []
            for future in futures:
                outcomes.append(future.result())
                record = outcomes[-1][0]
                progress(f"{record.kind} seed {record.seed}: GNN test AUC {record.metrics[GNN]['auc']:.3f}, "
                         f"Hits@100 {record.metrics[GNN]['hits@100']:.3f} (worker process)")
    return outcomes


def _unit_worker(path: Path, config: ExperimentConfig, kind: str, seed: int) -> tuple[RunRecord, dict, dict]:
    """One (split, seed) unit in a worker process: the export is read from ``path``."""
    torch.set_num_threads(1)
    export = load_export(path)
    task = get_task(config.task)
    graph = task_graph(export, task, hops=config.gnn.layers)
    record, curves, model = _run_one(graph, export, task, kind, seed, config, lambda _msg: None)
    return record, curves, model.state_dict()


def _run_one(graph: HeteroData, export: GraphExport, task: Task, kind: str, seed: int, config: ExperimentConfig,
             progress: Callable[[str], None]) -> tuple[RunRecord, dict, LinkModel]:
    timings: dict[str, float] = {}
    t = time.perf_counter()
    split = make_split(kind, graph, task, seed)
    timings["split"] = time.perf_counter() - t
    t = time.perf_counter()
    leakage = leakage_report(split)
    timings["leakage check"] = time.perf_counter() - t
    leaks = {k: v for k, v in leakage.items() if v}
    if leaks:
        raise LeakageError(f"{kind} split, seed {seed}: {leaks}")
    t = time.perf_counter()
    pairs = evaluation_pairs(split, export, seed, config.num_shared, config.num_hard)
    timings["evaluation pairs"] = time.perf_counter() - t
    history: list[dict] = []
    metrics, curves, model = _score_methods(split, export, pairs, config, seed, timings, history, progress)
    sizes = {f"{p} {what}": int(getattr(split, what)(p).size(1)) for p in ("train", "val", "test")
             for what in ("positives", "negatives")}
    sizes.update({"train message passing": int(split.message_passing("train").size(1)),
                  "test message passing": int(split.message_passing("test").size(1)),
                  "dropped straddling edges": split.dropped, "shared negatives": int(pairs.shared.size(1)),
                  "hard negatives": int((pairs.hard >= 0).sum())})
    record = RunRecord(kind, seed, metrics, leakage, history, timings, sizes)
    return record, curves, model


def best_heuristic(summary: dict[str, dict[str, tuple[float, float]]], metric: str) -> tuple[str, float]:
    """The heuristic baseline (CN / AA variants) with the highest mean ``metric`` in one split's summary."""
    candidates = {m: v[metric][0] for m, v in summary.items() if m.startswith(("CN ", "AA ")) and metric in v}
    name = max(candidates, key=lambda m: candidates[m])
    return name, candidates[name]

