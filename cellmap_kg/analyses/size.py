"""Physical size of an assembly from its number of proteins (log-log calibration).

The U2OS cell map paper (Schaffer et al., Nature 2025, Methods "Assembly size estimation") estimates the diameter
of an assembly of ``n`` proteins as ``log10(d / nm) = 1.27 log10(n) - 0.31``, a log-log linear calibration on
components of known size. MuSIC v1 (Qin et al., Nature 2021) ships its calibration points as ``data/calibration.txt``
(columns ``C`` = size in proteins, ``D`` = diameter in nm); ``fit_calibration`` refits such a table with
``scipy.stats.linregress`` and ``prediction_interval`` gives the standard OLS prediction interval of a new
assembly's log10 diameter, ``yhat +- t(1 - a/2, k - 2) * s * sqrt(1 + 1/k + (x0 - xbar)^2 / Sxx)`` with ``k``
calibration points and ``s`` the residual standard error (both in log10 nm).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..loaders.base import DataFormatError, parse_float, read_table

PAPER_SLOPE = 1.27
"""Slope of log10(diameter / nm) on log10(proteins) (Schaffer et al. 2025)."""
PAPER_INTERCEPT = -0.31
"""Intercept of log10(diameter / nm) on log10(proteins) (Schaffer et al. 2025)."""


def _log10_proteins(n_proteins) -> np.ndarray:
    n = np.asarray(n_proteins, dtype=float)
    if np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError("protein counts must be finite and > 0")
    return np.log10(n)


def diameter_nm(n_proteins, slope: float = PAPER_SLOPE, intercept: float = PAPER_INTERCEPT) -> np.ndarray:
    """Diameter in nm of assemblies of ``n_proteins`` proteins: ``10 ** (slope * log10(n) + intercept)``.

    Args:
        n_proteins: scalar or array ``(k,)`` of protein counts (> 0).
    Returns:
        ndarray of the same shape, in nm (default: the paper's equation, n = 10 -> 10**0.96 = 9.12 nm).
    Raises:
        ValueError: a count is not finite or <= 0.
    """
    return 10.0 ** (slope * _log10_proteins(n_proteins) + intercept)


@dataclass(frozen=True)
class CalibrationFit:
    """An OLS fit of log10(diameter / nm) on log10(proteins).

    Attributes:
        slope, intercept: fitted coefficients (log10 units).
        r_value: Pearson correlation of the log10 values.
        residual_std: residual standard error ``s`` (log10 nm), ``k - 2`` degrees of freedom.
        n_points: ``k``, calibration points used.
        x_mean: mean log10(proteins) of the points.
        sxx: sum of squared deviations of log10(proteins) from ``x_mean``.
    """

    slope: float
    intercept: float
    r_value: float
    residual_std: float
    n_points: int
    x_mean: float
    sxx: float

    def predict_log10(self, n_proteins) -> np.ndarray:
        """Fitted log10(diameter / nm) for ``n_proteins`` (scalar or array)."""
        return self.slope * _log10_proteins(n_proteins) + self.intercept


def fit_calibration(sizes, diameters) -> CalibrationFit:
    """Fit ``log10(D) = slope * log10(C) + intercept`` with ``scipy.stats.linregress``.

    Args:
        sizes: ``(k,)`` protein counts ``C`` (> 0).
        diameters: ``(k,)`` diameters ``D`` in nm (> 0).
    Raises:
        ValueError: lengths differ, fewer than 3 points, or a value is not > 0.
    """
    x = _log10_proteins(sizes)
    d = np.asarray(diameters, dtype=float)
    if x.shape != d.shape:
        raise ValueError(f"sizes and diameters differ in length: {x.shape} vs {d.shape}")
    if len(x) < 3:
        raise ValueError(f"a prediction interval needs >= 3 calibration points, got {len(x)}")
    if np.any(~np.isfinite(d)) or np.any(d <= 0):
        raise ValueError("diameters must be finite and > 0 nm")
    y = np.log10(d)
    fit = stats.linregress(x, y)
    residuals = y - (fit.slope * x + fit.intercept)
    residual_std = float(np.sqrt(np.sum(residuals ** 2) / (len(x) - 2)))
    return CalibrationFit(float(fit.slope), float(fit.intercept), float(fit.rvalue), residual_std, len(x),
                          float(x.mean()), float(np.sum((x - x.mean()) ** 2)))


def _half_width(fit: CalibrationFit, n_proteins, level: float) -> np.ndarray:
    """Half-width (log10 nm) of the OLS prediction interval at ``n_proteins``."""
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    x0 = _log10_proteins(n_proteins)
    t = stats.t.ppf(0.5 + level / 2, fit.n_points - 2)
    return t * fit.residual_std * np.sqrt(1 + 1 / fit.n_points + (x0 - fit.x_mean) ** 2 / fit.sxx)


def prediction_interval(fit: CalibrationFit, n_proteins, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Prediction interval of the diameter (nm) of a new assembly of ``n_proteins`` proteins under ``fit``.

    Returns ``(low_nm, high_nm)``, arrays shaped like ``n_proteins``: ``10 ** (yhat -+ half_width)``.
    Raises ValueError for ``level`` outside (0, 1) or a count <= 0.
    """
    centre = fit.predict_log10(n_proteins)
    half = _half_width(fit, n_proteins, level)
    return 10.0 ** (centre - half), 10.0 ** (centre + half)


def diameter_estimates(n_proteins, fit: CalibrationFit, level: float = 0.95, centre: str = "paper") -> pd.DataFrame:
    """Diameter estimate and prediction bounds per assembly, as the graph stores them.

    Args:
        n_proteins: ``(k,)`` protein counts.
        fit: calibration supplying the interval width (``fit_calibration``).
        centre: ``"paper"``: ``diameterNm`` from the paper's equation and the bounds are that value multiplied and
            divided by ``10 ** half_width`` of ``fit`` (the calibration's uncertainty around the published curve);
            ``"fit"``: everything from ``fit`` (``prediction_interval``).
    Returns:
        DataFrame ``(k, 4)``: ``nProteins``, ``diameterNm``, ``diameterNmLow``, ``diameterNmHigh`` (nm).
    Raises:
        ValueError: unknown ``centre``, bad ``level`` or counts.
    """
    if centre == "paper":
        log_d = np.log10(diameter_nm(n_proteins))
    elif centre == "fit":
        log_d = fit.predict_log10(n_proteins)
    else:
        raise ValueError(f"centre must be 'paper' or 'fit', got {centre!r}")
    half = _half_width(fit, n_proteins, level)
    return pd.DataFrame({"nProteins": np.asarray(n_proteins), "diameterNm": 10.0 ** log_d,
                         "diameterNmLow": 10.0 ** (log_d - half), "diameterNmHigh": 10.0 ** (log_d + half)})


def read_calibration(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read a MuSIC calibration table (tab-separated, header ``C  D``): returns ``(sizes, diameters_nm)``.

    Raises MissingDataError (absent file) or DataFormatError (missing column, non-number, value <= 0, < 3 rows).
    """
    sizes, diameters = [], []
    for line, row in read_table(Path(path), required=("C", "D")):
        c = parse_float(row["C"], path, line, "C", allow_empty=False)
        d = parse_float(row["D"], path, line, "D", allow_empty=False)
        if c <= 0 or d <= 0:
            raise DataFormatError(path, line, f"expected sizes and diameters > 0, found C={c}, D={d}")
        sizes.append(c)
        diameters.append(d)
    if len(sizes) < 3:
        raise DataFormatError(path, None, f"expected >= 3 calibration rows, found {len(sizes)}")
    return np.array(sizes), np.array(diameters)
