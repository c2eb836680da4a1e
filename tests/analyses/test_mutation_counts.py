"""Per-gene and per-assembly tumour counts on the Groebner 2018 paediatric mutation matrix."""

from __future__ import annotations

import pytest

from cellmap_kg.analyses.mutation_counts import (
    assembly_mutation_frequency,
    gene_tumour_counts,
    read_mutation_matrix,
    read_tumour_types,
)
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.sources import source

MATRIX, SAMPLES = (source("groebner-2018").file(key).path for key in ("smg_matrix", "samples"))


@pytest.fixture(scope="module")
def matrix(data_dir):
    return read_mutation_matrix(data_dir / MATRIX)


def test_matrix_is_read_with_excel_artefacts_undone(matrix):
    assert matrix.shape == (77, 879)
    assert "4112512" in matrix.columns and "4112512.0" not in matrix.columns
    assert set(matrix.to_numpy().ravel()) == {0, 1}
    assert matrix.loc["TP53"].sum() == 82
    assert (matrix.loc["SMARCA4"].sum(), matrix.loc["ARID1A"].sum(), matrix.loc["SMARCB1"].sum()) == (19, 11, 9)


def test_gene_counts_per_tumour_type_drop_small_types(matrix, data_dir):
    counts = gene_tumour_counts(matrix, read_tumour_types(data_dir / SAMPLES))
    assert counts.attrs["excludedTypes"] == {"ACC": 8, "EPD_ST": 10, "ETMR": 11, "EWS": 14, "T-ALL": 9}
    assert counts.attrs["tumours"]["ALL"] == 879 and counts.attrs["tumours"]["MB_Group4"] == 104
    assert counts.shape == (77, 20)
    assert counts.loc["SMARCB1", "ATRT"] == 7                        # SMARCB1 loss defines ATRT
    assert (counts.drop(columns="ALL").sum(axis=1) <= counts["ALL"]).all()


def test_every_tumour_needs_a_type(matrix, data_dir):
    types = read_tumour_types(data_dir / SAMPLES).drop("4112512")
    with pytest.raises(ValueError, match="have no tumour type"):
        gene_tumour_counts(matrix, types)


def test_swi_snf_assembly_is_mutated_in_about_4_percent_of_tumours(matrix, u2os_memberships, swi_snf_assembly):
    freq = assembly_mutation_frequency(u2os_memberships, matrix).set_index("assembly")
    row = freq.loc[swi_snf_assembly]
    assert len(u2os_memberships[swi_snf_assembly]) == 20
    assert row.mutatedGenes == ["ARID1A", "SMARCA4", "SMARCB1"]
    assert (row.mutatedTumours, row.tumours) == (37, 879)               # some tumours hit two subunits
    assert row.mutationFrequency == pytest.approx(37 / 879)             # 4.2%
    assert freq.loc["Cluster0-0", "mutatedTumours"] == 283              # root: any of the 39 SMGs in the map


def test_matrix_cells_must_be_zero_or_one(tmp_path):
    path = tmp_path / "matrix.tsv"
    path.write_text("Gene\tBiological Process\tT1\tT2.0\nTP53\tp53\t1.0\t0\nKRAS\tRAS\t0\t2\n")
    with pytest.raises(DataFormatError, match=r":3: column 'T2.0': expected 0 or 1, found '2'"):
        read_mutation_matrix(path)
