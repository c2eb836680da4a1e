"""Assembly size to physical diameter, on the graph.

``diameterNm = 10 ** (1.27 log10(n) - 0.31)`` with ``n`` = the assembly's protein count (``Assembly.size``, else
its ``MEMBER_OF`` count) (Schaffer et al., Nature 2025, Methods "Assembly size estimation"; ``size.diameter_nm``).
When a calibration table is supplied (MuSIC v1 ``data/calibration.txt``: columns ``C`` proteins, ``D`` nm; in the
data directory: file ``calibration`` of source ``CALIBRATION_SOURCE``), ``diameterNmLow`` / ``diameterNmHigh`` are
the 95% OLS prediction interval of that table's log-log fit, centred on the paper's curve
(``size.diameter_estimates(centre="paper")``); without a table only ``diameterNm`` is written. Every assembly of
every map is sized (the property does not depend on the map). Re-running replaces the three properties.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..queries.registry import run_internal
from ..sources import source
from ..store.base import GraphStore
from .graph_io import MissingInputError, clear_properties, map_names
from .size import PAPER_INTERCEPT, PAPER_SLOPE, diameter_estimates, diameter_nm, fit_calibration, read_calibration

ANALYSIS = "size"
CALIBRATION_SOURCE = "music-v1-reference"
"""The declared source (``sources.yaml``) whose file ``calibration`` is the calibration table."""
PROPERTIES = ("diameterNm", "diameterNmLow", "diameterNmHigh")

def calibration_file(data_dir: Path | None) -> Path | None:
    """The calibration table (file ``calibration`` of ``CALIBRATION_SOURCE``) in ``data_dir`` if it exists there,
    else None."""
    if data_dir is None:
        return None
    path = source(CALIBRATION_SOURCE).in_dir(data_dir).path("calibration")
    return path if path.exists() else None


def estimate_diameters(store: GraphStore, calibration: Path | None = None, level: float = 0.95,
                       map_name: str | None = None) -> dict:
    """Write ``diameterNm`` (and the prediction bounds if ``calibration`` is given) on every assembly (of
    ``map_name`` only, if given; the other maps' assemblies are then left as they are).

    Returns ``{"assemblies", "calibration" (file or None), "calibrationPoints", "level", "medianNm",
    "minNm", "maxNm", "unsized"}``; ``unsized`` counts assemblies with neither a size nor members (not
    written). Raises ``MissingDataError`` / ``DataFormatError`` for a bad calibration table, ``MissingInputError``
    if the graph has no assemblies.
    """
    rows = [r for m in ([map_name] if map_name is not None else map_names(store))
            for r in run_internal(store, "assembly-sizes", map=m)]
    if not rows:
        raise MissingInputError("no Assembly nodes in the graph: build it first (cellmap-kg build)")
    counts = {r["id"]: (r["size"] if r["size"] else r["members"]) for r in rows}
    sized = {a: n for a, n in counts.items() if n and n > 0}
    ids = list(sized)
    n = np.array([sized[a] for a in ids], dtype=float)
    if calibration is not None:
        fit = fit_calibration(*read_calibration(calibration))
        table = diameter_estimates(n, fit, level=level)
        values = table[list(PROPERTIES)].to_numpy()
    else:
        fit = None
        values = np.column_stack([diameter_nm(n), np.full(len(n), np.nan), np.full(len(n), np.nan)])
    clear_properties(store, "Assembly", PROPERTIES, map_name)
    store.write_nodes("Assembly", [
        {"id": a, **{p: (float(v) if np.isfinite(v) else None) for p, v in zip(PROPERTIES, row, strict=True)}}
        for a, row in zip(ids, values, strict=True)])
    diameters = values[:, 0]
    return {"assemblies": len(ids), "unsized": len(counts) - len(ids),
            "equation": f"log10(d/nm) = {PAPER_SLOPE} log10(n) - {-PAPER_INTERCEPT}",
            "calibration": str(calibration) if calibration else None,
            "calibrationPoints": fit.n_points if fit else 0, "level": level if fit else None,
            "medianNm": round(float(np.median(diameters)), 2) if len(ids) else None,
            "minNm": round(float(diameters.min()), 2) if len(ids) else None,
            "maxNm": round(float(diameters.max()), 2) if len(ids) else None}
