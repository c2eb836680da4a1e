"""Measured features from node rows: log1p counts with missing flags, 0/1 booleans, one-hot strings, and
standardisation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cellmap_kg.gnn.features import incidence_features, property_features, standardise


def test_property_features_transform_each_kind():
    rows = [{"pubmedCount": 0, "isRoot": True, "map": "B"},
            {"pubmedCount": 9, "isRoot": False, "map": "A"},
            {"pubmedCount": None, "isRoot": None, "map": None}]
    x, names = property_features(rows, ("pubmedCount", "isRoot", "map", "absent"))
    assert names == ["log1p(pubmedCount)", "log1p(pubmedCount)_missing", "isRoot", "map:A", "map:B"]
    assert x.tolist() == [[0.0, 0.0, 1.0, 0.0, 1.0],
                          [math.log(10), 0.0, 0.0, 1.0, 0.0],
                          [0.0, 1.0, 0.0, 0.0, 0.0]]


def test_bad_feature_values_are_refused():
    with pytest.raises(ValueError, match="mixed value types"):
        property_features([{"size": 3}, {"size": "three"}], ("size",))
    with pytest.raises(ValueError, match="non-negative"):
        property_features([{"size": -1}], ("size",))


def test_incidence_and_standardise():
    x, names = incidence_features(np.array([[0, 2], [1, 0]]), 3, ["nucleolus", "cytosol"], "loc:")
    assert names == ["loc:nucleolus", "loc:cytosol"]
    assert x.tolist() == [[0, 1], [0, 0], [1, 0]]
    z = standardise(np.array([[1.0, 5.0], [3.0, 5.0]]))
    assert z.tolist() == [[-1.0, 0.0], [1.0, 0.0]] and z.dtype == np.float32
