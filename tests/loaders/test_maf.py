"""The MAF reader, on small MAF files written by the tests (cBioPortal data_mutations layout)."""

from __future__ import annotations

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.maf import NON_SILENT_CLASSES, read_maf

HEADER = ["Hugo_Symbol", "Entrez_Gene_Id", "Center", "Tumor_Sample_Barcode", "Variant_Classification", "HGVSp_Short"]
ROWS = [
    ["TP53", "7157", "DKFZ", "T1", "Missense_Mutation", "p.R273H"],
    ["TP53", "7157", "DKFZ", "T1", "Missense_Mutation", "p.R273H"],  # repeated line
    ["TP53", "7157", "DKFZ", "T1", "Nonsense_Mutation", "p.R213*"],
    ["H3F3A", "0", "DKFZ", "T2", "Missense_Mutation", "p.K28M"],  # previous symbol of H3-3A, unknown Entrez id
    ["FAM21A", "55747", "DKFZ", "T2", "Frame_Shift_Del", "p.E100fs"],  # Entrez id wins over the old symbol
    ["SMARCB1", "6598", "DKFZ", "T2", "Splice_Site", ""],  # no protein change
    ["ATRX", "546", "DKFZ", "T3", "Silent", "p.L10L"],  # T3 has only a silent mutation
    ["NOTAGENE1", "", "DKFZ", "T2", "Missense_Mutation", "p.A1V"],
    ["ARID1A", "8289", "DKFZ", "T2", "3'UTR", ""],
]


def _write_maf(path, header=HEADER, rows=ROWS, comments=("#version 2.4", "#sequenced_samples: T1 T2 T3")):
    lines = list(comments) + ["\t".join(header)] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def maf_result(tmp_path, resolver):
    return read_maf(_write_maf(tmp_path / "data_mutations.txt"), resolver, "TEST-COHORT", "test-maf")


def _nodes(result, label):
    return {r["id"]: r for b in result.nodes if b.label == label for r in b.rows}


def test_rows_match_schema(maf_result, assert_schema):
    assert_schema(maf_result, "test-maf")


def test_non_silent_mutations(maf_result):
    mutations = _nodes(maf_result, "Mutation")
    assert set(mutations) == {"T1:TP53:Missense_Mutation:p.R273H", "T1:TP53:Nonsense_Mutation:p.R213*",
                              "T2:H3-3A:Missense_Mutation:p.K28M", "T2:WASHC2A:Frame_Shift_Del:p.E100fs",
                              "T2:SMARCB1:Splice_Site:"}
    assert mutations["T1:TP53:Missense_Mutation:p.R273H"] == {
        "id": "T1:TP53:Missense_Mutation:p.R273H", "kind": "non-silent SNV/indel",
        "variantClassification": "Missense_Mutation", "proteinChange": "p.R273H", "gene": "TP53", "tumour": "T1"}
    assert "proteinChange" not in mutations["T2:SMARCB1:Splice_Site:"]


def test_tumours_include_silent_only_tumour(maf_result):
    assert _nodes(maf_result, "Tumour") == {t: {"id": t, "cohort": "TEST-COHORT"} for t in ("T1", "T2", "T3")}


def test_relationships(maf_result):
    rels = {b.type: {(r["source"], r["target"]) for r in b.rows} for b in maf_result.relationships}
    assert ("T1", "T1:TP53:Nonsense_Mutation:p.R213*") in rels["HAS_MUTATION"]
    assert ("T2:WASHC2A:Frame_Shift_Del:p.E100fs", "WASHC2A") in rels["AFFECTS"]
    assert len(rels["HAS_MUTATION"]) == len(rels["AFFECTS"]) == 5


def test_skips_are_counted_by_reason(maf_result):
    skipped = maf_result.report.skipped
    assert skipped["not non-silent: Silent"] == 1
    assert skipped["not non-silent: 3'UTR"] == 1
    assert skipped["unknown gene"] == 1
    # line 11 = 2 comment lines + header + the 8th row
    assert maf_result.report.examples["unknown gene"] == ["NOTAGENE1 at data_mutations.txt:11"]
    assert skipped["repeated MAF mutation (same tumour, gene, class, protein change)"] == 1
    assert maf_result.report.read["data_mutations.txt"] == len(ROWS)


def test_missing_column_names_the_column(tmp_path, resolver):
    header = [h for h in HEADER if h != "Variant_Classification"]
    rows = [r[:4] + r[5:] for r in ROWS]
    path = _write_maf(tmp_path / "no_class.maf", header, rows)
    with pytest.raises(DataFormatError, match=r"no_class.maf:3: expected MAF column\(s\) \['Variant_Classification'\]"):
        read_maf(path, resolver, "X", "x")


def test_optional_columns_and_no_comments(tmp_path, resolver):
    header = ["Hugo_Symbol", "Tumor_Sample_Barcode", "Variant_Classification"]
    path = _write_maf(tmp_path / "minimal.maf", header, [["KRAS", "S1", "Missense_Mutation"]], comments=())
    result = read_maf(path, resolver, "X", "x")
    assert set(_nodes(result, "Mutation")) == {"S1:KRAS:Missense_Mutation:"}


def test_bad_rows(tmp_path, resolver):
    path = _write_maf(tmp_path / "empty_barcode.maf", rows=[["TP53", "7157", "DKFZ", "", "Missense_Mutation", ""]])
    with pytest.raises(DataFormatError, match=r"empty_barcode.maf:4: column 'Tumor_Sample_Barcode': expected a value"):
        read_maf(path, resolver, "X", "x")
    path = _write_maf(tmp_path / "long.maf", rows=[ROWS[0] + ["extra"]])
    with pytest.raises(DataFormatError, match=r"long.maf:4: expected 6 fields, found 7"):
        read_maf(path, resolver, "X", "x")
    path = tmp_path / "only_comments.maf"
    path.write_text("#version 2.4\n")
    with pytest.raises(DataFormatError, match=r"only_comments.maf:2: expected a MAF header line"):
        read_maf(path, resolver, "X", "x")


def test_non_silent_classes():
    assert len(NON_SILENT_CLASSES) == 9
    assert "Silent" not in NON_SILENT_CLASSES and "Splice_Region" not in NON_SILENT_CLASSES
