"""Isotonic calibration of logits on validation pairs, weighted to the base rate: exact values by hand."""

from __future__ import annotations

import numpy as np
import pytest

from cellmap_kg.gnn.calibration import Calibrator


def test_isotonic_fit_weighted_to_the_base_rate():
    # positives at logits 1 and 3; non-edges at 1 and 2 drawn from 6 candidate pairs: each non-edge stands for
    # (6 - 2) / 2 = 2 pairs. Means per logit: 1 -> 1 / (1 + 2) = 1/3, 2 -> 0, 3 -> 1; not monotone, so 1 and 2
    # pool to 1 / (1 + 2 + 2) = 0.2.
    calibrator = Calibrator.fit(np.array([1.0, 3.0]), np.array([1.0, 2.0]), candidate_pairs=6)
    np.testing.assert_allclose(calibrator(np.array([1.0, 2.0, 2.5, 3.0, -5.0, 10.0])),
                               [0.2, 0.2, 0.6, 1.0, 0.2, 1.0])
    assert calibrator.base_rate == pytest.approx(2 / 6)


def test_round_trip_and_monotone():
    rng = np.random.default_rng(0)
    calibrator = Calibrator.fit(rng.normal(2, 1, 300), rng.normal(0, 1, 3000), candidate_pairs=1e6)
    again = Calibrator.from_dict(calibrator.to_dict())
    grid = np.linspace(-4, 6, 101)
    np.testing.assert_array_equal(again(grid), calibrator(grid))
    assert np.all(np.diff(calibrator(grid)) >= 0)
    assert calibrator(np.array([0.0]))[0] < 0.01     # rare positives: a typical non-edge logit is near 0


def test_empty_validation_is_refused():
    with pytest.raises(ValueError, match="calibration needs"):
        Calibrator.fit(np.array([]), np.array([0.0]), candidate_pairs=10)
