"""Link-prediction metrics (scores are any real numbers, higher = more likely an edge).

- ``roc_auc``, ``average_precision``: positives against the fixed negatives of the split (scikit-learn).
- ``hits_at_k``: the OGB protocol of ``ogbl-ppa`` / ``ogbl-collab`` (``ogb.linkproppred.Evaluator``): the fraction
  of positives scored strictly above the K-th highest score among a shared set of random negatives.
- ``mrr``: the OGB ``ogbl-citation2`` protocol: for each positive, its rank among its own negatives (here: hard
  negatives from the same compartment), ties counted half (mean of optimistic and pessimistic rank),
  mean reciprocal rank over positives.
- ``mean_std``: mean and sample standard deviation (ddof 1) over seeds, as OGB leaderboards report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score


def _labels(pos: np.ndarray, neg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    return y, np.concatenate([np.asarray(pos, dtype=np.float64), np.asarray(neg, dtype=np.float64)])


def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Area under the ROC curve of positives ``(P,)`` vs negatives ``(N,)``; NaN if either is empty."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    return float(roc_auc_score(*_labels(pos, neg)))


def average_precision(pos: np.ndarray, neg: np.ndarray) -> float:
    """Average precision (area under the precision-recall curve, step-wise) of ``pos`` vs ``neg``."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    return float(average_precision_score(*_labels(pos, neg)))


def hits_at_k(pos: np.ndarray, shared_neg: np.ndarray, k: int) -> float:
    """OGB Hits@K: share of ``pos`` ``(P,)`` strictly above the K-th highest of ``shared_neg`` ``(N,)``.

    With fewer than ``k`` negatives every positive is a hit (OGB returns 1.0 then).
    """
    if len(pos) == 0:
        return float("nan")
    if len(shared_neg) < k:
        return 1.0
    kth = np.partition(np.asarray(shared_neg, dtype=np.float64), -k)[-k]
    return float(np.mean(np.asarray(pos, dtype=np.float64) > kth))


def mrr(pos: np.ndarray, neg: np.ndarray) -> float:
    """OGB MRR: ``pos`` ``(P,)`` against per-positive negatives ``neg`` ``(P, K)`` (NaN entries = no negative).

    Positives without any negative are left out; NaN if none remains.
    """
    pos = np.asarray(pos, dtype=np.float64)[:, None]
    neg = np.asarray(neg, dtype=np.float64)
    valid = ~np.isnan(neg)
    keep = valid.any(axis=1)
    if not keep.any():
        return float("nan")
    pos, neg, valid = pos[keep], neg[keep], valid[keep]
    optimistic = ((neg > pos) & valid).sum(axis=1)
    pessimistic = ((neg >= pos) & valid).sum(axis=1)
    rank = 0.5 * (optimistic + pessimistic) + 1
    return float(np.mean(1.0 / rank))


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof 1; 0 for a single value) of the non-NaN ``values``."""
    vals = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    if not vals:
        return float("nan"), float("nan")
    return float(np.mean(vals)), float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0
