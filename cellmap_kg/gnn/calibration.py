"""Calibrated probabilities for a model's logits, fitted on validation pairs (isotonic regression).

A logit is only comparable within a run. :class:`Calibrator` maps it to a probability a user can read: the
probability that a pair the model has not seen is a true link of the task, fitted by isotonic regression
(scikit-learn ``IsotonicRegression``, monotone and non-parametric; Zadrozny & Elkan 2002, KDD, "Transforming
classifier scores into accurate multiclass probability estimates") on the validation pairs of the run's split:
every validation positive (label 1, weight 1) and the validator's uniform validation non-edges (label 0), each
weighted by ``(candidate pairs - validation positives) / non-edges sampled`` so that the classes stand in their
real proportion among the pairs the model has not seen (isotonic on the fixed 1:1 validation negatives would
report probabilities for a world where half of all pairs interact). So a calibrated ``0.3`` reads: of the unseen
pairs the model scores like this, 30% were held-out interactions of the validation split (10% of the known
interactions held out); interactions no AP-MS experiment has found yet are not counted, so it is a lower bound.
"""

from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression

METHOD = "isotonic regression on validation pairs (positives vs uniform non-edges weighted to the base rate)"


class Calibrator:
    """A monotone map from logits to probabilities (piecewise linear between ``thresholds`` and ``values``).

    Shapes: ``__call__(scores (M,))`` -> ``(M,)`` float64 in ``[0, 1]``; logits outside the fitted range take
    the end values.
    """

    def __init__(self, thresholds: np.ndarray, values: np.ndarray, base_rate: float):
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        self.values = np.asarray(values, dtype=np.float64)
        self.base_rate = float(base_rate)

    @classmethod
    def fit(cls, positives: np.ndarray, non_edges: np.ndarray, candidate_pairs: float) -> Calibrator:
        """Fit on validation positive logits ``(P,)`` and uniform non-edge logits ``(S,)``, ``candidate_pairs``
        the number of pairs the non-edges were drawn from. Raises ``ValueError`` if either set is empty or there
        are no more candidates than positives."""
        positives, non_edges = np.asarray(positives, float), np.asarray(non_edges, float)
        if not len(positives) or not len(non_edges) or candidate_pairs <= len(positives):
            raise ValueError(f"calibration needs positives ({len(positives)}), non-edges ({len(non_edges)}) and "
                             f"more candidate pairs ({candidate_pairs:.0f}) than positives")
        weight = (candidate_pairs - len(positives)) / len(non_edges)
        x = np.concatenate([positives, non_edges])
        y = np.concatenate([np.ones(len(positives)), np.zeros(len(non_edges))])
        w = np.concatenate([np.ones(len(positives)), np.full(len(non_edges), weight)])
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip").fit(x, y,
                                                                                                 sample_weight=w)
        return cls(iso.X_thresholds_, iso.y_thresholds_, len(positives) / candidate_pairs)

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(scores, dtype=np.float64), self.thresholds, self.values)

    def to_dict(self) -> dict:
        """JSON-ready record (``method``, ``thresholds``, ``values``, ``baseRate``), what a saved run keeps."""
        return {"method": METHOD, "thresholds": self.thresholds.tolist(), "values": self.values.tolist(),
                "baseRate": self.base_rate}

    @classmethod
    def from_dict(cls, record: dict) -> Calibrator:
        """The calibrator of a :meth:`to_dict` record."""
        return cls(np.array(record["thresholds"]), np.array(record["values"]), record["baseRate"])
