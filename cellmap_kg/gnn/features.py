"""Measured node features of the GNN export, documented and reproducible.

Every node type also gets a learnable embedding in the model (:mod:`cellmap_kg.gnn.model`); the features here are
the *measured* part, built only from node properties and localization edges (never from AP-MS edges, so no
feature reveals the supervised relation):

=========== =================================================================================================
node type   columns (each numeric column also gets a ``<name>_missing`` 0/1 column when any value is missing)
=========== =================================================================================================
Protein     ``log1p(pubmedCount)`` (articles), ``log1p(hekRnaTpm)`` (TPM), ``log1p(hekProteinConcNm)`` (nM),
            one 0/1 column per compartment (``loc:<Compartment.name>``: ``LOCALIZES_TO``'s ``incidence`` in
            the spec). Not ``goAnnotationCount``: NCBI counts IPI (inferred from physical interaction) annotations
            too.
Assembly    ``log1p(size)`` (proteins), ``persistence``, ``isRoot`` 0/1, one-hot ``map``
GOTerm      one-hot ``namespace``
Compartment one-hot ``vocabulary`` (HPA | OpenCell)
TumourType  one-hot ``cohort``
Complex     none (embedding only)
=========== =================================================================================================

Numeric columns are then standardised to zero mean and unit variance over the nodes of the type (a constant
column is left centred). Missing numbers are 0 before standardisation and flagged by the ``_missing`` column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

LOG1P_PROPERTIES = frozenset({"pubmedCount", "hekRnaTpm", "hekProteinConcNm", "size"})


def _numeric_column(name: str, values: Sequence) -> tuple[list[np.ndarray], list[str]]:
    arr = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    missing = np.isnan(arr)
    if name in LOG1P_PROPERTIES:
        if np.any(arr[~missing] < 0):
            raise ValueError(f"feature {name}: log1p needs non-negative values, got min {np.nanmin(arr)}")
        arr = np.log1p(arr)
        name = f"log1p({name})"
    arr[missing] = 0.0
    cols, names = [arr], [name]
    if missing.any():
        cols.append(missing.astype(np.float64))
        names.append(f"{name}_missing")
    return cols, names


def _onehot_column(name: str, values: Sequence) -> tuple[list[np.ndarray], list[str]]:
    categories = sorted({v for v in values if v is not None})
    cols = [np.array([1.0 if v == c else 0.0 for v in values]) for c in categories]
    return cols, [f"{name}:{c}" for c in categories]


def property_features(rows: Sequence[dict], properties: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Feature columns of ``properties`` for node ``rows`` (one dict per node, in node order).

    Numbers (int/float) become one column (``log1p`` for the counts and abundances in ``LOG1P_PROPERTIES``) plus a
    ``_missing`` flag when any is missing; booleans become 0/1; strings become one-hot columns over the sorted
    distinct values. Shapes: returns ``(N, F)`` float64 and ``F`` names (unstandardised).

    Raises:
        ValueError: a property mixes types, or a log1p property is negative.
    """
    cols: list[np.ndarray] = []
    names: list[str] = []
    for prop in properties:
        values = [r.get(prop) for r in rows]
        kinds = {type(v) for v in values if v is not None}
        if not kinds:
            continue
        if kinds == {bool}:
            cols.append(np.array([1.0 if v else 0.0 for v in values]))
            names.append(prop)
        elif kinds <= {int, float}:
            c, n = _numeric_column(prop, values)
            cols += c
            names += n
        elif kinds == {str}:
            c, n = _onehot_column(prop, values)
            cols += c
            names += n
        else:
            raise ValueError(f"feature {prop}: mixed value types {sorted(k.__name__ for k in kinds)}")
    if not cols:
        return np.zeros((len(rows), 0)), []
    return np.stack(cols, axis=1), names


def incidence_features(edge_index: np.ndarray, num_nodes: int, target_names: Sequence[str],
                       prefix: str) -> tuple[np.ndarray, list[str]]:
    """0/1 columns: node ``i`` has an edge to target ``j`` (e.g. a protein localizes to compartment ``j``).

    Args:
        edge_index: ``(2, E)`` int array of (node index, target index).
        num_nodes: number of source nodes ``N``.
        target_names: names of the ``T`` targets, used as ``<prefix><name>`` column names.
    Returns:
        ``(N, T)`` float64 matrix and the ``T`` column names.
    """
    out = np.zeros((num_nodes, len(target_names)))
    if edge_index.size:
        out[edge_index[0], edge_index[1]] = 1.0
    return out, [f"{prefix}{n}" for n in target_names]


def standardise(x: np.ndarray) -> np.ndarray:
    """Columns of ``x`` ``(N, F)`` shifted to mean 0 and scaled to variance 1 (constant columns only centred)."""
    if x.size == 0:
        return x.astype(np.float32)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-12] = 1.0
    return ((x - mean) / std).astype(np.float32)

