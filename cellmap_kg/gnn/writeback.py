"""Write a run's results into the graph: ``ModelRun``, protein embeddings, predicted links, embedding neighbours.

- ``(:ModelRun {id, model, task, createdAt, config, metrics, exportHash})`` (config and metrics as JSON);
- ``Protein.embedding`` through ``GraphStore.set_vectors`` (FalkorDB ``vecf32`` + vector index, Neo4j vector
  index), searchable with ``GraphStore.vector_search``;
- ``(:Protein)-[:PREDICTED_INTERACTION {score, probability, model, run, rank}]->(:Protein)`` /
  ``(:Protein)-[:PREDICTED_MEMBER_OF {...}]->(:Assembly)``: the top-K new links of each protein, with the model's
  logit (``score``) and its calibrated probability (:mod:`cellmap_kg.gnn.calibration`);
- ``(:Protein)-[:SIMILAR_TO {cosine, run, rank}]->(:Protein)``: the K nearest proteins in embedding space
  (exact cosine), what the ``similar-proteins`` query reads (backend vector procedures differ, so the query
  library reads these relationships; ``vector_search`` serves ad-hoc vectors).

Writing a run again first deletes that run's relationships, so it is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..schema import SCHEMA
from ..store.base import GraphStore, StoreError
from .calibration import Calibrator
from .predict import Predictions, nearest_targets

RUN_RELATIONSHIPS = ("PREDICTED_INTERACTION", "PREDICTED_MEMBER_OF", "SIMILAR_TO")


@dataclass
class ModelRunRow:
    """The ``ModelRun`` node of a run (``config`` and ``metrics`` already JSON strings)."""

    id: str
    model: str
    task: str
    createdAt: str
    config: str
    metrics: str
    exportHash: str

    def row(self) -> dict:
        row = dict(self.__dict__)
        SCHEMA.check_node_row("ModelRun", row, "ModelRun")
        return row


def clear_run(store: GraphStore, run_id: str) -> int:
    """Delete the predicted-link and neighbour relationships of ``run_id``; returns how many were deleted."""
    return sum(store.delete_relationships(rel, {"run": run_id}) for rel in RUN_RELATIONSHIPS)


def _write(store: GraphStore, rel_type: str, rows: list[dict]) -> int:
    SCHEMA.check_relationship_rows(rel_type, rows[:1000], rel_type)
    written = store.write_relationships(rel_type, rows)
    if written != len(rows):
        raise StoreError(f"{rel_type}: wrote {written} of {len(rows)} relationships (missing endpoints)")
    return written


def link_rows(predictions: Predictions, calibrator: Calibrator, source_keys: list[str], target_keys: list[str],
              k: int, model: str, run_id: str, symmetric: bool) -> list[dict]:
    """Relationship rows of the top ``k`` predictions of each source node (both ends of a symmetric pair count
    as sources). ``rank`` is 1-based within the source; ``probability`` is ``calibrator(score)``."""
    pairs, scores = predictions.pairs, predictions.scores
    if symmetric:
        both = torch.cat([pairs, pairs.flip(0)], dim=1)
        both_scores = np.concatenate([scores, scores])
        order = np.argsort(-both_scores, kind="stable")
        predictions = Predictions(both[:, torch.from_numpy(order)], both_scores[order])
    best = predictions.per_source(k)
    ranks = best.ranks()
    probabilities = calibrator(best.scores)
    return [{"source": source_keys[u], "target": target_keys[v], "score": float(s), "probability": float(p),
             "model": model, "run": run_id, "rank": int(r)}
            for (u, v), s, p, r in zip(best.pairs.t().tolist(), best.scores, probabilities, ranks, strict=True)]


def similar_rows(z: torch.Tensor, keys: list[str], nodes: torch.Tensor, k: int, run_id: str) -> list[dict]:
    """``SIMILAR_TO`` rows: for each node of ``nodes``, its ``k`` nearest other ``nodes`` by cosine of ``z``."""
    pairs = nearest_targets(z, z, nodes, nodes, k + 1)
    pairs = pairs[:, pairs[0] != pairs[1]]
    zn = torch.nn.functional.normalize(z, dim=1)
    cosine = (zn[pairs[0]] * zn[pairs[1]]).sum(dim=1)
    rows, rank, last = [], 0, None
    for (u, v), c in zip(pairs.t().tolist(), cosine.tolist(), strict=True):
        rank = rank + 1 if u == last else 1
        last = u
        if rank <= k:
            rows.append({"source": keys[u], "target": keys[v], "cosine": float(c), "run": run_id, "rank": rank})
    return rows


def write_run(store: GraphStore, run: ModelRunRow, embeddings: dict[str, list[float]] | None,
              links: tuple[str, list[dict]] | None, similar: list[dict] | None) -> dict[str, int]:
    """Write ``run`` and its results (each optional) into ``store``; returns counts written per kind.

    Raises ``StoreError`` if a relationship lost an endpoint (the graph changed since the export).
    """
    counts = {"deleted": clear_run(store, run.id)}
    counts["ModelRun"] = store.write_nodes("ModelRun", [run.row()])
    if embeddings:
        store.set_vectors("Protein", "embedding", embeddings)
        counts["embeddings"] = len(embeddings)
    if links:
        rel_type, rows = links
        counts[rel_type] = _write(store, rel_type, rows)
    if similar:
        counts["SIMILAR_TO"] = _write(store, "SIMILAR_TO", similar)
    return counts
