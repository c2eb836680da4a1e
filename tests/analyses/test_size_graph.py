"""Assembly diameters written into the full real graph (``built_store`` runs the default analyses)."""

from __future__ import annotations

import math

import pytest

from cellmap_kg.analyses.size import diameter_estimates, diameter_nm, fit_calibration, read_calibration
from cellmap_kg.analyses.size_graph import CALIBRATION_SOURCE, calibration_file
from cellmap_kg.sources import source

CALIBRATION = source(CALIBRATION_SOURCE).file("calibration").path


def test_every_assembly_of_every_map_has_a_diameter_on_the_paper_curve(built_store):
    rows = built_store.query("MATCH (a:Assembly) RETURN a.size AS n, a.diameterNm AS d, a.diameterNmLow AS low, "
                             "a.diameterNmHigh AS high")
    assert len(rows) == 701                       # U2OS 270 + NeST 131 + CM4AI 8 + OpenCell HEK293T 292
    for r in rows:
        assert r["d"] == pytest.approx(10 ** (1.27 * math.log10(r["n"]) - 0.31))
        assert r["low"] < r["d"] < r["high"]


def test_bounds_are_the_calibration_prediction_interval(built_store, data_dir):
    """The RNase P/MRP assembly Cluster3-65 (5 proteins): 3.78 nm, 95% interval from MuSIC's calibration table."""
    row = built_store.query("MATCH (a:Assembly {id: 'U2OS-2023-05:Cluster3-65'}) RETURN a.size AS n, "
                            "a.diameterNm AS d, a.diameterNmLow AS low, a.diameterNmHigh AS high")[0]
    assert row["n"] == 5 and row["d"] == pytest.approx(float(diameter_nm(5))) == pytest.approx(3.7817, abs=1e-4)
    expected = diameter_estimates([5], fit_calibration(*read_calibration(data_dir / CALIBRATION))).iloc[0]
    assert (row["low"], row["high"]) == (pytest.approx(expected.diameterNmLow), pytest.approx(expected.diameterNmHigh))
    assert row["low"] * row["high"] == pytest.approx(row["d"] ** 2)          # symmetric in log10 around the curve


def test_calibration_file_is_optional(tmp_path, data_dir):
    assert calibration_file(data_dir) == data_dir / CALIBRATION
    assert calibration_file(tmp_path) is None and calibration_file(None) is None
