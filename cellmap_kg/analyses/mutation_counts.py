"""Per-gene and per-assembly tumour counts from a gene x tumour mutation matrix (pure counterpart of the graph's
``mutation_frequency`` analysis, and the ``N_obs`` input of HiSig).

Source: Groebner & Worst et al., Nature 2018 (paediatric pan-cancer, 879 tumours with a non-silent SNV/indel
matrix of 77 significantly mutated genes, Supplementary Table 9; tumour types from Supplementary Table 2), as
used by Schaffer et al., Nature 2025 (tumour types with fewer than 15 tumours excluded from per-type analyses).

* ``N_obs(g)`` = tumours with >= 1 non-silent mutation in gene g;
* an assembly's mutated tumours = tumours with >= 1 mutated member; its frequency = that / tumours profiled.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..loaders.base import DataFormatError, excel_id, read_table

MIN_TUMOURS = 15
"""Tumour types with fewer profiled tumours are left out of per-type analyses (Schaffer et al. 2025)."""
PAN_COHORT = "ALL"
"""Column / type name of the pan-cohort counts (as in the graph's ``MUTATED_IN`` to type ``ALL``)."""


def read_mutation_matrix(path: Path, id_columns: tuple[str, ...] = ("Gene", "Biological Process")) -> pd.DataFrame:
    """Read a gene x tumour 0/1 matrix (Groebner 2018 S_Table9 export: ``Gene, Biological Process, <tumours>``).

    Excel artefacts are undone: tumour ids ``4112512.0`` -> ``4112512`` and cells ``1.0`` / ``0.0`` -> 1 / 0.

    Returns:
        int8 DataFrame ``(genes, tumours)`` indexed by gene, columns = tumour ids in file order.
    Raises:
        MissingDataError: absent file. DataFormatError: missing id column, a repeated tumour id or gene, or a
        cell other than 0/1 (file, line and column named).
    """
    rows, genes, seen = [], [], set()
    tumours: list[str] | None = None
    for line, row in read_table(Path(path), required=id_columns):
        if tumours is None:
            tumours = [c for c in row if c not in id_columns]
            cleaned = [excel_id(t) for t in tumours]
            if len(set(cleaned)) != len(cleaned):
                raise DataFormatError(path, 1, "a tumour id appears twice in the header")
        gene = row[id_columns[0]].strip()
        if gene in seen:
            raise DataFormatError(path, line, f"gene {gene} appears twice")
        values = []
        for tumour in tumours:
            cell = row[tumour].strip()
            if cell in ("0", "0.0"):
                values.append(0)
            elif cell in ("1", "1.0"):
                values.append(1)
            else:
                raise DataFormatError(path, line, f"column {tumour!r}: expected 0 or 1, found {cell!r}")
        genes.append(gene)
        seen.add(gene)
        rows.append(values)
    if tumours is None:
        raise DataFormatError(path, None, "expected at least one gene row")
    return pd.DataFrame(np.array(rows, dtype=np.int8), index=pd.Index(genes, name="gene"),
                        columns=[excel_id(t) for t in tumours])


def read_tumour_types(path: Path, id_column: str = "Sample", type_column: str = "Cancer Type") -> pd.Series:
    """Tumour id -> tumour type from a sample table (Groebner 2018 S_Table2 export). Raises DataFormatError on a
    missing column, an empty type or a repeated tumour id."""
    types: dict[str, str] = {}
    for line, row in read_table(Path(path), required=(id_column, type_column)):
        tumour, kind = excel_id(row[id_column]), row[type_column].strip()
        if not kind:
            raise DataFormatError(path, line, f"tumour {tumour}: empty {type_column!r}")
        if tumour in types:
            raise DataFormatError(path, line, f"tumour {tumour} appears twice")
        types[tumour] = kind
    return pd.Series(types, name="tumourType")


def gene_tumour_counts(matrix: pd.DataFrame, tumour_types: pd.Series | None = None,
                       min_tumours: int = MIN_TUMOURS) -> pd.DataFrame:
    """``N_obs`` per gene: pan-cohort (column ``ALL``) and per tumour type with >= ``min_tumours`` tumours.

    Args:
        matrix: ``(genes, tumours)`` 0/1 (``read_mutation_matrix``).
        tumour_types: tumour -> type; ``None`` gives the pan-cohort column only.
    Returns:
        int DataFrame ``(genes, 1 + types kept)``. ``attrs``: ``tumours`` per kept type (and ``ALL``),
        ``excludedTypes`` (type -> tumours) below ``min_tumours``.
    Raises:
        ValueError: a tumour of ``matrix`` has no type in ``tumour_types``.
    """
    counts = {PAN_COHORT: matrix.sum(axis=1)}
    sizes = {PAN_COHORT: matrix.shape[1]}
    excluded: dict[str, int] = {}
    if tumour_types is not None:
        missing = [t for t in matrix.columns if t not in tumour_types.index]
        if missing:
            raise ValueError(f"{len(missing)} tumours of the matrix have no tumour type, e.g. {missing[:5]}")
        types = tumour_types.reindex(matrix.columns)
        for kind, n in types.value_counts().sort_index().items():
            if n < min_tumours:
                excluded[kind] = int(n)
                continue
            counts[kind] = matrix.loc[:, (types == kind).to_numpy()].sum(axis=1)
            sizes[kind] = int(n)
    out = pd.DataFrame(counts).astype(int)
    out.attrs.update(tumours=sizes, excludedTypes=excluded)
    return out


def assembly_mutation_frequency(memberships: Mapping[str, set[str]], matrix: pd.DataFrame) -> pd.DataFrame:
    """Tumours with >= 1 mutated member, per assembly (one matrix product).

    Args:
        memberships: assembly -> genes. matrix: ``(genes, tumours)`` 0/1; genes absent from it count as unmutated.
    Returns:
        DataFrame, one row per assembly (input order): ``assembly``, ``mutatedTumours``, ``tumours`` (columns of
        ``matrix``), ``mutationFrequency`` (= mutatedTumours / tumours), ``mutatedGenes`` (members mutated in
        >= 1 tumour, sorted list).
    """
    names = list(memberships)
    genes = list(matrix.index)
    index = {g: i for i, g in enumerate(genes)}
    indicator = np.zeros((len(names), len(genes)), dtype=np.int32)
    for i, name in enumerate(names):
        indicator[i, [index[g] for g in memberships[name] if g in index]] = 1
    hit = (indicator @ matrix.to_numpy(dtype=np.int32)) > 0                  # (assemblies, tumours)
    mutated_rows = matrix.to_numpy().sum(axis=1) > 0
    mutated_genes = [sorted(g for g in memberships[n] if g in index and mutated_rows[index[g]]) for n in names]
    n_tumours = matrix.shape[1]
    mutated = hit.sum(axis=1)
    return pd.DataFrame({"assembly": names, "mutatedTumours": mutated.astype(int), "tumours": n_tumours,
                         "mutationFrequency": mutated / n_tumours if n_tumours else np.nan,
                         "mutatedGenes": mutated_genes})
