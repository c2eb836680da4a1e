"""Metrics on inputs made to prove the protocol: OGB Hits@K threshold, MRR with ties, AUC/AP, mean and std."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cellmap_kg.gnn.metrics import average_precision, hits_at_k, mean_std, mrr, roc_auc


def test_hits_at_k_counts_positives_strictly_above_the_kth_negative():
    negatives = np.array([0.9, 0.5, 0.1, 0.0])
    assert hits_at_k(np.array([1.0, 0.9, 0.6, 0.2]), negatives, 1) == 0.25      # 0.9 ties the 1st: not a hit
    assert hits_at_k(np.array([1.0, 0.9, 0.6, 0.2]), negatives, 2) == 0.75
    assert hits_at_k(np.array([0.3]), negatives, 10) == 1.0                      # fewer than K negatives (OGB)


def test_mrr_ranks_each_positive_among_its_own_negatives_with_ties_halved():
    pos = np.array([1.0, 1.0, 1.0])
    neg = np.array([[2.0, 0.5, np.nan],          # rank 2
                    [1.0, np.nan, np.nan],       # tie: rank 1.5
                    [np.nan, np.nan, np.nan]])   # no negative: left out
    assert mrr(pos, neg) == pytest.approx((1 / 2 + 1 / 1.5) / 2)
    assert math.isnan(mrr(pos[2:], neg[2:]))


def test_auc_and_ap():
    assert roc_auc(np.array([3.0, 2.0]), np.array([1.0, 0.0])) == 1.0
    assert roc_auc(np.array([1.0]), np.array([1.0])) == 0.5
    assert average_precision(np.array([3.0, 0.5]), np.array([1.0])) == pytest.approx((1 + 2 / 3) / 2)
    assert math.isnan(roc_auc(np.array([]), np.array([1.0])))


def test_mean_std_is_the_sample_standard_deviation():
    assert mean_std([1.0, 2.0, 3.0]) == (2.0, 1.0)
    assert mean_std([0.5]) == (0.5, 0.0)
    assert mean_std([float("nan"), 1.0, 3.0]) == (2.0, pytest.approx(math.sqrt(2)))
