"""Trained runs on disk: ``<cache>/runs/<run id>/{run.json, model.pt}``.

``run.json`` holds the task, model name, training config, seed, metrics, training history, the export's
content hash and the validation calibration of the model's logits (:mod:`cellmap_kg.gnn.calibration`);
``model.pt`` the weights (``state_dict``, loadable weights-only). A run id is
``<task>-<UTC time>-<first 8 hex of the export hash>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import torch
from torch_geometric.data import HeteroData

from .calibration import Calibrator
from .errors import GNNError
from .model import LinkModel
from .tasks import Task
from .train import TrainConfig, build_model

LATEST = "latest"


@dataclass
class SavedRun:
    """A run's record (``run.json``) and where it lives."""

    id: str
    task: str
    model: str
    created_at: str
    seed: int
    config: dict
    metrics: dict
    export_hash: str
    history: list[dict] = field(default_factory=list)
    calibration: dict | None = None
    path: Path | None = None

    def train_config(self) -> TrainConfig:
        """The ``TrainConfig`` the run was trained with."""
        config = dict(self.config)
        for key in ("pair_features", "ncn_relations"):
            if config.get(key) is not None:
                config[key] = tuple(config[key])
        return TrainConfig(**config)

    def calibrator(self) -> Calibrator:
        """The run's validation calibration. Raises ``GNNError`` for a run saved without one."""
        if not self.calibration:
            raise GNNError(f"run {self.id} has no calibration (saved by an older version): train a new run")
        return Calibrator.from_dict(self.calibration)


def model_name(config: TrainConfig) -> str:
    """``<encoder>+<decoder>[+pair features | :relations]``, e.g. ``hetero-sage+mlp+relation,whole``,
    ``hetero-sage+ncn``, ``hetero-sage+ncn:PROXIMAL_TO,MEMBER_OF``."""
    name = f"{config.model}+{config.decoder}"
    if config.decoder == "ncn" and config.ncn_relations is not None:
        return name + ":" + ",".join(config.ncn_relations)
    return name + ("+" + ",".join(config.pair_features) if config.pair_features else "")


def save_run(root: Path, task: Task, config: TrainConfig, model: LinkModel, seed: int, metrics: dict,
             export_hash: str, history: list[dict], calibrator: Calibrator | None = None) -> SavedRun:
    """Write a new run under ``root/runs`` (with ``calibrator``'s record, if given) and return it."""
    now = datetime.now(UTC)
    run = SavedRun(id=f"{task.name}-{now.strftime('%Y%m%dT%H%M%S')}-{export_hash[:8]}", task=task.name,
                   model=model_name(config), created_at=now.isoformat(timespec="seconds"), seed=seed,
                   config=config.to_dict(), metrics=metrics, export_hash=export_hash, history=history,
                   calibration=calibrator.to_dict() if calibrator is not None else None)
    path = Path(root) / "runs" / run.id
    path.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), path / "model.pt")
    record = {k: v for k, v in run.__dict__.items() if k != "path"}
    (path / "run.json").write_text(json.dumps(record, indent=1, default=float))
    return SavedRun(**json.loads((path / "run.json").read_text()), path=path)   # as ``load_run`` will read it


def list_runs(root: Path, task: str | None = None) -> list[SavedRun]:
    """Saved runs under ``root/runs`` (of ``task`` if given), oldest first."""
    runs = []
    for file in sorted((Path(root) / "runs").glob("*/run.json")):
        record = json.loads(file.read_text())
        if task is None or record["task"] == task:
            runs.append(SavedRun(**record, path=file.parent))
    return sorted(runs, key=lambda r: (r.created_at, r.id))


def load_run(root: Path, run_id: str, task: str | None = None) -> SavedRun:
    """The run ``run_id`` (or the newest with ``latest``, of ``task`` if given).

    Raises ``GNNError`` naming the runs directory when there is no such run.
    """
    runs = list_runs(root, task)
    if run_id == LATEST and runs:
        return runs[-1]
    for run in runs:
        if run.id == run_id:
            return run
    known = ", ".join(r.id for r in runs) or "none"
    raise GNNError(f"no GNN run {run_id!r} in {Path(root) / 'runs'} (runs: {known}); "
                            "train one with `cellmap-kg gnn train`")


def load_model(run: SavedRun, graph: HeteroData, task: Task) -> LinkModel:
    """Rebuild the run's model for ``graph`` (its task graph) and load the weights.

    Raises ``RuntimeError`` if the weights do not fit (the graph changed shape since the run).
    """
    model = build_model(run.train_config(), graph, task)
    model.load_state_dict(torch.load(run.path / "model.pt", weights_only=True))
    model.eval()
    return model
