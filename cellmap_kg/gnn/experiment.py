"""One link-prediction experiment: every method on the same splits, several seeds, leakage checked.

For each split kind (``edge``, ``protein-disjoint``) and seed: make the split, verify :func:`leakage_report` is
all zeros (else ``LeakageError``), fix the evaluation pairs, train the GNN (heterogeneous encoder + NCN decoder),
the feature MLP and any ``ablations``, fit Node2Vec (and, with ``ExperimentConfig.gds``, Neo4j Graph Data Science's
FastRP and node2vec on the same training graph, with the same link predictor), and score every method on the same
pairs. Everything that
depends only on the split is computed once per (split, seed) and shared by the methods: the evaluation pairs, the
test graph's adjacency products (CN and Adamic-Adar from one product per graph), and each model's scores of all
evaluation pairs in one call (so the co-embedding subset reuses them). The GNN of the first seed's edge split is
kept (``ExperimentResult.model``, with its validation calibration) for the external CORUM check, the embedding
plot and prediction.
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

from ..store import open_store
from ..store.neo4j_gds import ALGORITHMS, gds_version_at
from .baselines import coembedding_scorer, embedding_scorer, gds_embedding, heuristic_scores, node2vec_scorer
from .calibration import Calibrator
from .evaluation import EvaluationPairs, PairScores, evaluation_pairs, pair_metrics, score_pairs
from .heterodata import GraphExport, load_export, save_export
from .metrics import mean_std
from .model import LinkModel
from .node2vec import Node2VecConfig
from .splits import LinkSplit, leakage_report, make_split
from .tasks import Task, get_task, task_graph
from .train import LinkScorer, TrainConfig, build_model, calibrate, torch_threads, train_link_model

GNN = "GNN (hetero SAGE + NCN)"
MLP = "MLP (node features)"
NODE2VEC = "Node2Vec + LR"
COEMBEDDING = "co-embedding cosine"
GNN_ON_COEMBEDDING = "GNN (co-embedding pairs)"
GDS_METHODS = {"fastRP": "Neo4j GDS FastRP + LR", "node2vec": "Neo4j GDS node2vec + LR"}
"""The method name of each Neo4j Graph Data Science embedding baseline (``neo4j_gds.ALGORITHMS``)."""


class LeakageError(AssertionError):
    """A split lets a held-out edge (or protein) reach training; the message lists the non-zero counts."""


def _default_mlp() -> TrainConfig:
    """The feature-MLP baseline: node features only, a quarter of the training pairs per epoch (its full pass was 26%
    of a 5-seed ``gnn evaluate``), validation Hits@100 every 5 epochs."""
    return TrainConfig(model="feature-mlp", decoder="mlp", pair_features=(), epochs=100, lr=0.01, eval_every=5,
                       patience=3, patience_metrics=None, pair_fraction=0.25)


@dataclass
class ExperimentConfig:
    """What to run. ``gnn`` / ``mlp``: training configs; ``gnn_unseen``: the GNN's config on the
    protein-disjoint split (``inductive``: see ``TrainConfig``; the method keeps its name); ``ablations``: more
    GNN configs scored as methods of their own (``{method name: TrainConfig}``, e.g. the NCN reading one relation
    only); ``gds``: the store URI of a Neo4j with Graph Data Science that computes the GDS embedding baselines
    (``gds_algorithms``), ``None``: not run; ``num_shared``: OGB shared random negatives; ``num_hard``: hard
    negatives per positive (MRR); ``jobs``: worker processes for the (split, seed) units (each worker
    single-threaded: on 2 cores, 2 single-threaded workers nearly halve the wall time, and sparse aggregation runs
    slower with 2 threads than with 1)."""

    task: str = "ppi"
    splits: tuple[str, ...] = ("edge", "protein-disjoint")
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    gnn: TrainConfig = field(default_factory=TrainConfig)
    gnn_unseen: TrainConfig = field(default_factory=lambda: TrainConfig(inductive=True))
    mlp: TrainConfig = field(default_factory=_default_mlp)
    ablations: dict[str, TrainConfig] = field(default_factory=dict)
    node2vec: Node2VecConfig = field(default_factory=lambda: Node2VecConfig(walks_per_node=5))
    gds: str | None = None
    gds_algorithms: tuple[str, ...] = ALGORITHMS
    num_shared: int = 100_000
    num_hard: int = 50
    jobs: int = 2

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RunRecord:
    """One split kind and seed: ``metrics[method][metric]``, the leakage counts, the GNN's training history,
    timings in seconds (one entry per phase) and split sizes."""

    kind: str
    seed: int
    metrics: dict[str, dict[str, float]]
    leakage: dict[str, int]
    history: list[dict]
    timings: dict[str, float]
    sizes: dict[str, int]


@dataclass
class ExperimentResult:
    """All records, the first edge-split GNN (``model``) with its validation ``calibrator``, the test scores of
    the first seed per split kind and method (``curves[kind][method] = (positive scores, negative scores)``), the
    experiment's wall ``seconds``, the ``gds_version`` that computed the GDS baselines (None: not run) and, filled
    by ``evaluate_action``, the wall seconds of each of its ``stages``."""

    config: ExperimentConfig
    export_hash: str
    records: list[RunRecord] = field(default_factory=list)
    curves: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = field(default_factory=dict)
    model: LinkModel | None = None
    calibrator: Calibrator | None = None
    seconds: float = 0.0
    gds_version: str | None = None
    stages: dict[str, float] = field(default_factory=dict)

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

    def phase_seconds(self) -> dict[str, float]:
        """Seconds per phase summed over every (split, seed) unit (worker time, not wall time)."""
        total: dict[str, float] = {}
        for record in self.records:
            for phase, seconds in record.timings.items():
                if not phase.endswith("per epoch"):
                    total[phase] = total.get(phase, 0.0) + seconds
        return total


class _Scoring:
    """Scores every method on one split's evaluation pairs, records metrics, first-seed curves and timings."""

    def __init__(self, pairs: EvaluationPairs, timings: dict[str, float]):
        self.pairs, self.timings = pairs, timings
        self.metrics: dict[str, dict[str, float]] = {}
        self.curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, name: str, scores: PairScores, subset=None) -> None:
        t = time.perf_counter()
        self.metrics[name] = pair_metrics(scores, self.pairs, subset)
        if subset is None:
            self.curves[name] = (scores.positives, scores.negatives)
        self.timings["metrics"] = self.timings.get("metrics", 0.0) + time.perf_counter() - t

    def score(self, name: str, scorer, phase: str) -> PairScores:
        t = time.perf_counter()
        scores = score_pairs(scorer, self.pairs)
        self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - t
        return scores


def _train_scored(split: LinkSplit, config: TrainConfig, seed: int, name: str, scoring: _Scoring,
                  timings: dict[str, float]):
    t = time.perf_counter()
    result = train_link_model(split, config, seed)
    timings[f"train {name}"] = time.perf_counter() - t
    scores = scoring.score(name, LinkScorer(result.model, split.graphs["test"], split.task, config=config),
                           f"score {name}")
    scoring.add(name, scores)
    return result, scores


def _score_methods(split: LinkSplit, export: GraphExport, pairs: EvaluationPairs, config: ExperimentConfig,
                   seed: int, timings: dict[str, float], history: list[dict],
                   progress: Callable[[str], None]) -> tuple[dict[str, dict[str, float]], dict, LinkModel,
                                                             Calibrator | None]:
    task = split.task
    scoring = _Scoring(pairs, timings)
    gnn_config = config.gnn_unseen if split.kind == "protein-disjoint" else config.gnn
    gnn, gnn_scores = _train_scored(split, gnn_config, seed, GNN, scoring, timings)
    timings["GNN seconds per epoch"] = gnn.seconds_per_epoch
    history.extend(gnn.history)
    progress(f"{split.kind} seed {seed}: GNN trained ({gnn.epochs_run} epochs, best {gnn.best_epoch}, "
             f"val AUC {gnn.best_val_auc:.3f}, {timings[f'train {GNN}']:.0f} s)")
    t = time.perf_counter()
    calibrator = calibrate(gnn.model, gnn.validator) if split.kind == "edge" else None
    timings["calibration"] = time.perf_counter() - t
    for name, ablation in config.ablations.items():
        _train_scored(split, ablation, seed, name, scoring, timings)
    _train_scored(split, config.mlp, seed, MLP, scoring, timings)

    t = time.perf_counter()
    with torch_threads(config.gnn.threads):
        n2v = node2vec_scorer(split, config.node2vec, seed)
    timings[f"train {NODE2VEC}"] = time.perf_counter() - t
    scoring.add(NODE2VEC, scoring.score(NODE2VEC, n2v, f"score {NODE2VEC}"))
    if config.gds:
        _score_gds(split, config, seed, scoring, timings)

    everything = pairs.all()
    for whole in ((False, True) if task.undirected else (True,)):
        t = time.perf_counter()
        heuristics = heuristic_scores(split, everything, whole_graph=whole)
        timings["heuristics (whole graph)" if whole else "heuristics (relation)"] = time.perf_counter() - t
        for name, values in heuristics.items():
            where = "whole graph" if whole else ("AP-MS graph" if task.name == "ppi" else "relation")
            scoring.add(f"{name} ({where})", pairs.split_scores(values))

    if task.name == "ppi":
        scorer, subset = coembedding_scorer(export)
        scoring.add(COEMBEDDING, scoring.score(COEMBEDDING, scorer, f"score {COEMBEDDING}"), subset)
        scoring.add(GNN_ON_COEMBEDDING, gnn_scores, subset)
    metrics = scoring.metrics
    progress(f"{split.kind} seed {seed}: GNN test AUC {metrics[GNN]['auc']:.3f}, Hits@100 "
             f"{metrics[GNN]['hits@100']:.3f}")
    return metrics, scoring.curves, gnn.model, calibrator


def _score_gds(split: LinkSplit, config: ExperimentConfig, seed: int, scoring: _Scoring,
               timings: dict[str, float]) -> None:
    """The Neo4j GDS embedding baselines: each ``config.gds_algorithms`` embedding computed in ``config.gds``
    (phase ``Neo4j GDS <algorithm>``: projection, algorithm, streaming back), then the Node2Vec baseline's
    logistic regression (phase ``train <method>``)."""
    with open_store(config.gds) as store:
        for algorithm in config.gds_algorithms:
            name = GDS_METHODS[algorithm]
            t = time.perf_counter()
            z = gds_embedding(store, split, algorithm, config.node2vec, seed)
            timings[f"Neo4j GDS {algorithm}"] = time.perf_counter() - t
            t = time.perf_counter()
            scorer = embedding_scorer(split, z, seed)
            timings[f"train {name}"] = time.perf_counter() - t
            scoring.add(name, scoring.score(name, scorer, f"score {name}"))


def run_experiment(export: GraphExport, config: ExperimentConfig,
                   progress: Callable[[str], None] | None = None) -> ExperimentResult:
    """Run ``config`` on ``export``; with ``config.jobs > 1`` the (split, seed) units run in that many worker
    processes, each of which reads the export and builds the task graph once (each unit is seeded, so the results
    equal a sequential run). Ablations share the GNN's task graph (its ``layers`` prune it).

    Raises:
        LeakageError: a split leaks.
        GDSUnavailable: ``config.gds`` is set but no Neo4j with Graph Data Science answers there (checked first).
    """
    progress = progress or (lambda _msg: None)
    start = time.perf_counter()
    version = None
    if config.gds:
        version = gds_version_at(config.gds)
        progress(f"Neo4j GDS {version} at {config.gds}: {', '.join(GDS_METHODS[a] for a in config.gds_algorithms)}")
    task = get_task(config.task)
    graph = task_graph(export, task, hops=config.gnn.layers)
    units = [(kind, seed) for kind in config.splits for seed in config.seeds]
    if config.jobs > 1 and len(units) > 1:
        outcomes = _run_parallel(export, config, units, progress)
    else:
        outcomes = [_outcome(*_run_one(graph, export, task, kind, seed, config, progress)) for kind, seed in units]
    result = ExperimentResult(config, export.content_hash, gds_version=version)
    for record, curves, state, calibration in outcomes:
        result.records.append(record)
        result.curves.setdefault(record.kind, curves)
        if record.kind == "edge" and result.model is None:
            result.model = build_model(config.gnn, graph, task)
            result.model.load_state_dict(state)
            result.model.eval()
            result.calibrator = Calibrator.from_dict(calibration)
    result.seconds = time.perf_counter() - start
    return result


def _outcome(record: RunRecord, curves: dict, model: LinkModel, calibrator: Calibrator | None) -> tuple:
    """What a unit hands back (picklable): record, curves, the GNN's weights and its calibration record."""
    return record, curves, model.state_dict(), calibrator.to_dict() if calibrator is not None else None


def _run_parallel(export: GraphExport, config: ExperimentConfig, units: list[tuple[str, int]],
                  progress: Callable[[str], None]) -> list[tuple]:
    with tempfile.TemporaryDirectory(prefix="cellmap-kg-gnn-") as tmp:
        path = Path(tmp) / "export.pt"
        save_export(export, path)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=config.jobs, mp_context=context, initializer=_worker_init,
                                 initargs=(path, config)) as pool:
            futures = [pool.submit(_unit_worker, config, kind, seed) for kind, seed in units]
            outcomes = []
            for future in futures:
                outcomes.append(future.result())
                progress(unit_summary(outcomes[-1][0]) + " (worker process)")
    return outcomes


_WORKER: dict = {}


def _worker_init(path: Path, config: ExperimentConfig) -> None:
    """Once per worker process: one torch thread, the export read from ``path`` and the task graph built."""
    torch.set_num_threads(1)
    export = load_export(path)
    task = get_task(config.task)
    _WORKER.update(export=export, task=task, graph=task_graph(export, task, hops=config.gnn.layers))


def _unit_worker(config: ExperimentConfig, kind: str, seed: int) -> tuple:
    """One (split, seed) unit in a worker process (state from :func:`_worker_init`)."""
    return _outcome(*_run_one(_WORKER["graph"], _WORKER["export"], _WORKER["task"], kind, seed, config,
                              lambda _msg: None))


def _run_one(graph: HeteroData, export: GraphExport, task: Task, kind: str, seed: int, config: ExperimentConfig,
             progress: Callable[[str], None]) -> tuple[RunRecord, dict, LinkModel, Calibrator | None]:
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
    metrics, curves, model, calibrator = _score_methods(split, export, pairs, config, seed, timings, history,
                                                        progress)
    sizes = {f"{p} {what}": int(getattr(split, what)(p).size(1)) for p in ("train", "val", "test")
             for what in ("positives", "negatives")}
    sizes.update({"train message passing": int(split.message_passing("train").size(1)),
                  "test message passing": int(split.message_passing("test").size(1)),
                  "dropped straddling edges": split.dropped, "shared negatives": int(pairs.shared.size(1)),
                  "hard negatives": int((pairs.hard >= 0).sum())})
    record = RunRecord(kind, seed, metrics, leakage, history, timings, sizes)
    return record, curves, model, calibrator


def unit_summary(record: RunRecord) -> str:
    """One line per method of one (split, seed) unit: ROC-AUC, Hits@100 and MRR (what ``progress`` reports)."""
    rows = [f"{m}: AUC {v['auc']:.3f}, Hits@100 {v['hits@100']:.3f}, MRR {v['mrr']:.3f}"
            for m, v in record.metrics.items()]
    return f"{record.kind} seed {record.seed} done:\n  " + "\n  ".join(rows)


def best_heuristic(summary: dict[str, dict[str, tuple[float, float]]], metric: str) -> tuple[str, float]:
    """The heuristic baseline (CN / AA variants) with the highest mean ``metric`` in one split's summary."""
    candidates = {m: v[metric][0] for m, v in summary.items() if m.startswith(("CN ", "AA ")) and metric in v}
    name = max(candidates, key=lambda m: candidates[m])
    return name, candidates[name]

