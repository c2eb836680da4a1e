"""Assembly diameter from protein count: the paper's equation, a refit calibration and OLS prediction intervals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cellmap_kg.analyses.size import (
    diameter_estimates,
    diameter_nm,
    fit_calibration,
    prediction_interval,
    read_calibration,
)
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.sources import source

CALIBRATION = source("music-v1-reference").file("calibration").path


def test_paper_equation():
    assert diameter_nm(10) == pytest.approx(10 ** (1.27 - 0.31))          # 9.12 nm
    assert diameter_nm(1) == pytest.approx(10 ** -0.31)
    assert diameter_nm([100, 1000]) == pytest.approx([10 ** (2.54 - 0.31), 10 ** (3.81 - 0.31)])


@pytest.mark.parametrize("bad", [0, -3, float("nan")])
def test_counts_must_be_positive(bad):
    with pytest.raises(ValueError, match="> 0"):
        diameter_nm([4, bad])


def test_fit_recovers_an_exact_power_law():
    sizes = np.array([4, 10, 40, 100, 1000])
    fit = fit_calibration(sizes, 10 ** (1.27 * np.log10(sizes) - 0.31))
    assert (fit.slope, fit.intercept) == (pytest.approx(1.27), pytest.approx(-0.31))
    assert fit.residual_std == pytest.approx(0, abs=1e-12)
    low, high = prediction_interval(fit, 26)
    assert low == pytest.approx(high) == pytest.approx(diameter_nm(26))  # no residual error: no width


def test_prediction_interval_is_widest_far_from_the_calibration_centre():
    rng = np.random.default_rng(0)
    sizes = np.geomspace(4, 5000, 12)
    fit = fit_calibration(sizes, 10 ** (1.27 * np.log10(sizes) - 0.31 + rng.normal(0, 0.1, 12)))
    centre = 10 ** fit.x_mean
    width = [np.log10(h / lo) for lo, h in zip(*prediction_interval(fit, [centre, 4, 5000, 50000]), strict=True)]
    t = stats.t.ppf(0.975, 10)
    assert width[0] == pytest.approx(2 * t * fit.residual_std * np.sqrt(1 + 1 / 12))
    assert width[0] < width[1] < width[3] and width[0] < width[2] < width[3]
    narrow, wide = prediction_interval(fit, 50, 0.5), prediction_interval(fit, 50, 0.99)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


def test_music_calibration_fit(data_dir):
    """MuSIC v1's calibration table gives a flatter curve than the U2OS paper's 1.27 / -0.31."""
    sizes, diameters = read_calibration(data_dir / CALIBRATION)
    assert len(sizes) == 10 and sizes.max() == 18395 and diameters.max() == 13000
    fit = fit_calibration(sizes, diameters)
    assert fit.slope == pytest.approx(1.0475, abs=1e-4)
    assert fit.intercept == pytest.approx(-0.1417, abs=1e-4)
    assert fit.r_value == pytest.approx(0.9416, abs=1e-4)
    assert fit.residual_std == pytest.approx(0.3542, abs=1e-4)
    low, high = prediction_interval(fit, 10)
    assert (float(low), float(high)) == (pytest.approx(0.887, abs=1e-3), pytest.approx(73.09, abs=1e-2))


def test_diameter_estimates_around_the_paper_curve(data_dir):
    fit = fit_calibration(*read_calibration(data_dir / CALIBRATION))
    table = diameter_estimates([4, 26, 5254], fit)
    assert list(table.columns) == ["nProteins", "diameterNm", "diameterNmLow", "diameterNmHigh"]
    assert table.diameterNm.to_numpy() == pytest.approx(diameter_nm([4, 26, 5254]))
    assert (table.diameterNmLow * table.diameterNmHigh).to_numpy() == pytest.approx(table.diameterNm ** 2)
    by_fit = diameter_estimates([26], fit, centre="fit")
    low, high = prediction_interval(fit, [26])
    assert (by_fit.diameterNmLow[0], by_fit.diameterNmHigh[0]) == (pytest.approx(low[0]), pytest.approx(high[0]))
    with pytest.raises(ValueError, match="centre"):
        diameter_estimates([4], fit, centre="median")


def test_fit_needs_three_positive_points():
    with pytest.raises(ValueError, match=">= 3"):
        fit_calibration([4, 10], [5, 9])
    with pytest.raises(ValueError, match="differ in length"):
        fit_calibration([4, 10, 20], [5, 9])


@pytest.mark.parametrize("text, message", [("C\tX\n1\t2\n", "expected columns"), ("C\tD\n10\tabc\n", r":2: column 'D'"),
                                           ("C\tD\n10\t-1\n", r":2: expected sizes and diameters > 0")])
def test_read_calibration_errors(tmp_path, text, message):
    path = tmp_path / "calibration.txt"
    path.write_text(text)
    with pytest.raises(DataFormatError, match=message):
        read_calibration(path)
