"""The Groebner 2018 paediatric cohort loader, on the real supplementary tables."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.tumours import SNV_INDEL, STRUCTURAL, load_groebner2018
from cellmap_kg.schema import SCHEMA
from cellmap_kg.sources import source_of

GROEBNER = source_of(load_groebner2018)
S2_FILE, S9_FILE, S21_FILE = (GROEBNER.file(key).path for key in ("samples", "smg_matrix", "lfe_matrix"))


@pytest.fixture(scope="module")
def groebner(data_dir, resolver):
    return load_groebner2018(GROEBNER.in_dir(data_dir), resolver)


def _nodes(result, label: str) -> dict[str, dict]:
    key = SCHEMA.key_of(label)
    return {r[key]: r for b in result.nodes if b.label == label for r in b.rows}


def _mutated(result, gene: str, kind: str) -> set[str]:
    return {m["tumour"] for m in _nodes(result, "Mutation").values() if m["gene"] == gene and m["kind"] == kind}


def _excel(value: str) -> str:
    return value[:-2] if value.endswith(".0") else value


def test_rows_match_schema(groebner, assert_schema):
    assert_schema(groebner, GROEBNER.id)


def test_tumours_and_types(groebner, data_dir):
    tumours, types = _nodes(groebner, "Tumour"), _nodes(groebner, "TumourType")
    s2 = pd.read_csv(data_dir / S2_FILE, sep="\t", dtype=str)
    assert len(tumours) == 961 and set(tumours) == set(s2.Sample)
    assert len(types) == 24 and sum(t["tumourCount"] for t in types.values()) == 961
    assert types["MB_Group4"]["tumourCount"] == 107
    assert tumours["ALL-B-1"] == {"id": "ALL-B-1", "cohort": "Groebner2018", "tumourType": "B-ALLother",
                                  "subgroup": "B-ALL", "type": "Primary", "ageYears": 0.34, "sex": "Male",
                                  "sequencing": "WES", "snvCount": 0, "indelCount": 1, "mutationsPerMb": 0.01,
                                  "mutationProfiled": True}
    assert sum(t["mutationProfiled"] for t in tumours.values()) == 879
    of_type = {r["source"]: r["target"] for b in groebner.relationships if b.type == "OF_TYPE" for r in b.rows}
    assert of_type["4112512"] == "BL" and len(of_type) == 961


def test_excel_sample_ids_are_normalised(groebner, data_dir):
    s9 = pd.read_csv(data_dir / S9_FILE, sep="\t", dtype=str)
    s2 = pd.read_csv(data_dir / S2_FILE, sep="\t", dtype=str)
    assert "4112512.0" in s9.columns and "4112512" in set(s2.Sample)
    tumours = _nodes(groebner, "Tumour")
    assert "4112512" in tumours and "4112512.0" not in tumours
    assert tumours["4112512"]["mutationProfiled"] is True
    assert "4112512" in _mutated(groebner, "SMARCA4", SNV_INDEL)  # S_Table9 "1.0" in column "4112512.0"


@pytest.mark.parametrize("gene", ["SMARCB1", "SMARCA4", "ARID1A"])
def test_smg_mutations_match_pandas(groebner, data_dir, gene):
    s9 = pd.read_csv(data_dir / S9_FILE, sep="\t", dtype=str).set_index("Gene").drop(columns="Biological Process")
    s9_mutated = {_excel(c) for c, v in s9.loc[gene].items() if float(v) > 0}
    s21 = pd.read_csv(data_dir / S21_FILE, sep="\t", dtype=str, keep_default_na=False)
    s21_m = {c for _, row in s21[s21.Gene == gene].iterrows() for c, v in row.items() if v == "M"}
    loaded = _mutated(groebner, gene, SNV_INDEL)
    assert s9_mutated and s9_mutated <= loaded
    assert loaded == s9_mutated | s21_m


def test_structural_events_and_collapse(groebner, data_dir):
    s21 = pd.read_csv(data_dir / S21_FILE, sep="\t", dtype=str, keep_default_na=False)
    sc = {c for _, row in s21[s21.Gene == "SMARCB1"].iterrows() for c, v in row.items() if v == "SC"}
    assert _mutated(groebner, "SMARCB1", STRUCTURAL) == sc and len(sc) == 33
    s9 = pd.read_csv(data_dir / S9_FILE, sep="\t", dtype=str)
    s9_cells = sum((s9[c].astype(float) > 0).sum() for c in s9.columns[2:])
    s21_m = (s21 == "M").to_numpy().sum()
    snv = [m for m in _nodes(groebner, "Mutation").values() if m["kind"] == SNV_INDEL]
    collapsed = groebner.report.skipped["(tumour, gene, kind) reported twice, e.g. an SNV/indel in both S_Table9 and "
                                        "S_Table21 (one Mutation kept)"]
    assert collapsed > 0 and len(snv) == s9_cells + s21_m - collapsed


def test_mutation_relationships(groebner):
    mutations = _nodes(groebner, "Mutation")
    rels = {b.type: b.rows for b in groebner.relationships}
    has = {(r["source"], r["target"]) for r in rels["HAS_MUTATION"]}
    affects = {(r["source"], r["target"]) for r in rels["AFFECTS"]}
    assert has == {(m["tumour"], i) for i, m in mutations.items()}
    assert affects == {(i, m["gene"]) for i, m in mutations.items()}
    assert "4112512:SMARCA4:non-silent SNV/indel" in mutations


def test_cdkn2ab_locus_is_reported_not_guessed(groebner):
    genes = {m["gene"] for m in _nodes(groebner, "Mutation").values()}
    assert not {"CDKN2AB", "CDKN2A", "CDKN2B"} & genes
    assert groebner.report.skipped["unknown gene"] == 58
    assert all(e.startswith("CDKN2AB at") for e in groebner.report.examples["unknown gene"])
    assert groebner.report.skipped["S_Table21 cell blank (event not assessed)"] == 161  # H049-5XQV x 161 genes


def _copy_tables(data_dir, tmp_path):
    """A copy of the source's declared files in ``tmp_path``."""
    for declared in GROEBNER.files:
        (tmp_path / declared.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data_dir / declared.path, tmp_path / declared.path)
    return tmp_path


def _edit_s21(path, gene_row: str, column: str, value: str) -> None:
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    frame.loc[frame.Gene == gene_row, column] = value
    frame.to_csv(path, sep="\t", index=False)


def test_r_mangled_gene_name_is_resolved(data_dir, resolver, tmp_path):
    root = _copy_tables(data_dir, tmp_path)
    _edit_s21(root / S21_FILE, "OTX2.AS1", "4112512", "SC")
    result = load_groebner2018(GROEBNER.in_dir(root), resolver)
    assert "4112512" in _mutated(result, "OTX2-AS1", STRUCTURAL)


def test_bad_matrix_values_name_file_line_and_column(data_dir, resolver, tmp_path):
    root = _copy_tables(data_dir, tmp_path)
    _edit_s21(root / S21_FILE, "PTCH1", "4119027", "X")
    with pytest.raises(DataFormatError, match=r"groebner2018_S21_lfe_matrix.tsv:4: column '4119027': expected M, SC, 0 "
                                              r"or blank, found 'X'"):
        load_groebner2018(GROEBNER.in_dir(root), resolver)
    shutil.copy(data_dir / S21_FILE, root / S21_FILE)
    lines = (root / S9_FILE).read_text().splitlines()
    lines[1] = lines[1].replace("\t0\t", "\t1.5\t", 1)
    (root / S9_FILE).write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFormatError, match=r"groebner2018_S9_smg_mutation_matrix.tsv:2: column '10EP11': "
                                              r"expected an integer, found '1.5'"):
        load_groebner2018(GROEBNER.in_dir(root), resolver)
