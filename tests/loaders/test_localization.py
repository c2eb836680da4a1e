"""HPA subcellular locations and OpenCell localization grades, on the real files."""

from __future__ import annotations

import csv

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.go import load_go_ontology, read_obo_index
from cellmap_kg.loaders.localization import load_hpa_locations, load_opencell_localization
from cellmap_kg.sources import source_of

HPA, OPENCELL, GO = (source_of(f) for f in (load_hpa_locations, load_opencell_localization, load_go_ontology))
HPA_FILE, OPENCELL_FILE = HPA.file("locations").path, OPENCELL.file("localization").path

OPENCELL_FLAT = "opencell/figures_repo/2021-09-29-public-annotations-flat.csv"


@pytest.fixture(scope="module")
def hpa(data_dir, resolver):
    return load_hpa_locations(HPA.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def opencell(data_dir, resolver):
    return load_opencell_localization(OPENCELL.in_dir(data_dir), resolver)


@pytest.fixture(scope="session")
def compartments_of(rows_by_key):
    """``compartments_of(result)``: the rows of the only node batch, ``Compartment``, by name."""
    return lambda result: rows_by_key(result.nodes, "Compartment", key="name")


def _relationships(result, rel_type):
    return {(row["source"], row["target"]): row for b in result.relationships if b.type == rel_type for row in b.rows}


# ---------------------------------------------------------------------------------------------------------- HPA
def test_hpa_rows_match_schema(hpa, assert_schema):
    assert_schema(hpa, HPA.id)


def test_hpa_known_locations(hpa):
    located = _relationships(hpa, "LOCALIZES_TO")
    assert located[("FBL", "Nucleoli fibrillar center")] == {
        "source": "FBL", "target": "Nucleoli fibrillar center", "reliability": "Supported", "main": True,
        "dataset": HPA.id}
    assert located[("TOMM20", "Mitochondria")]["reliability"] == "Enhanced"
    assert located[("NPM1", "Nucleoli rim")]["main"] is True
    assert located[("NPM1", "Nucleoplasm")]["main"] is False  # an Additional location
    assert ("NPM1", "Mitochondria") not in located


def test_hpa_compartments_and_their_go_terms(data_dir, hpa, compartments_of):
    compartments = compartments_of(hpa)
    assert len(compartments) == 35
    assert compartments["Nucleoli fibrillar center"] == {"name": "Nucleoli fibrillar center", "vocabulary": "HPA",
                                                         "goId": "GO:0001650"}
    assert "goId" not in compartments["Rods & Rings"]  # HPA writes 'Rods & Rings ()'
    corresponds = _relationships(hpa, "CORRESPONDS_TO")
    assert len(corresponds) == 34
    assert ("Mitochondria", "GO:0005739") in corresponds
    index = read_obo_index(GO.in_dir(data_dir).path("obo"))
    for _, go_id in corresponds:  # every target is a primary cellular-component term of the ontology
        assert index.primary(go_id) == go_id
        assert index.namespaces[go_id] == "cellular_component"


def test_hpa_reports_unresolved_genes_and_collapses(hpa):
    assert hpa.report.read[HPA_FILE] == 12_813
    assert hpa.report.skipped["unknown gene"] == 70
    # e.g. PRODH: ENSG00000100033 and ENSG00000277196 (an alternative Ensembl id of the same NCBI gene)
    assert hpa.report.skipped["two HPA genes of one protein in one compartment (main kept)"] == 21


def test_hpa_bad_reliability_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    src = data_dir / HPA_FILE
    line4 = src.read_text(encoding="utf-8").splitlines()[3].replace("\tApproved\t", "\tGreat\t", 1)
    slice_file(src, tmp_path / HPA_FILE, lines=10, edits={4: line4})
    with pytest.raises(DataFormatError, match=r"hpa_subcellular_location\.tsv:4: column 'Reliability': expected one "
                                              r"of .*found 'Great'"):
        load_hpa_locations(HPA.in_dir(tmp_path), resolver)


def test_hpa_malformed_go_cell_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    src = data_dir / HPA_FILE
    line2 = src.read_text(encoding="utf-8").splitlines()[1].replace("Cytosol (GO:0005829)", "Cytosol GO:0005829")
    slice_file(src, tmp_path / HPA_FILE, lines=5, edits={2: line2})
    with pytest.raises(DataFormatError, match=r"hpa_subcellular_location\.tsv:2: column 'GO id': expected 'Name "
                                              r"\(GO:nnnnnnn\)', found 'Cytosol GO:0005829'"):
        load_hpa_locations(HPA.in_dir(tmp_path), resolver)


# ---------------------------------------------------------------------------------------------------- OpenCell
def test_opencell_rows_match_schema(opencell, assert_schema):
    assert_schema(opencell, OPENCELL.id)


def test_opencell_grades_of_known_targets(opencell):
    located = _relationships(opencell, "LOCALIZES_TO")
    assert located[("PSMA1", "nucleoplasm")]["grade"] == 3
    assert located[("PSMA1", "cytoplasmic")]["grade"] == 2
    assert located[("FBL", "nucleolus_fc_dfc")]["grade"] == 3
    assert located[("AAMP", "nucleoplasm")]["grade"] == 1  # 'cytoplasmic,,nucleoplasm'


def test_opencell_agrees_with_flat_annotation_table(data_dir, opencell, resolver, compartments_of):
    with open(data_dir / OPENCELL_FLAT, newline="", encoding="utf-8") as fh:
        flat = list(csv.DictReader(fh))
    expected = {(resolver.resolve(r["target_name"], ensembl=r["ensg_id"]).symbol, r["annotation_name"],
                 int(r["annotation_grade"])) for r in flat}
    loaded = {(row["source"], row["target"], row["grade"]) for row in _relationships(opencell, "LOCALIZES_TO").values()}
    assert loaded == expected
    assert len(loaded) == 2_749
    assert set(compartments_of(opencell)) == {r["annotation_name"] for r in flat}


def test_opencell_semicolon_separates_annotations_of_one_grade(data_dir, tmp_path, slice_file, resolver):
    # line 4 is "ABCE1,ENSG00000164163,cytoplasmic,vesicles,nucleoplasm"
    slice_file(data_dir / OPENCELL_FILE, tmp_path / OPENCELL_FILE, lines=5,
               edits={4: "ABCE1,ENSG00000164163,cytoplasmic;er,vesicles,cytoplasmic"})
    result = load_opencell_localization(OPENCELL.in_dir(tmp_path), resolver)
    located = _relationships(result, "LOCALIZES_TO")
    assert {k: v["grade"] for k, v in located.items() if k[0] == "ABCE1"} == {
        ("ABCE1", "cytoplasmic"): 3, ("ABCE1", "er"): 3, ("ABCE1", "vesicles"): 2}
    assert result.report.skipped == {"compartment listed twice for one protein (highest grade kept)": 1}


def test_opencell_non_snake_case_name_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    slice_file(data_dir / OPENCELL_FILE, tmp_path / OPENCELL_FILE, lines=5,
               edits={3: "AATF,ENSG00000275700,Nucleolus GC,,"})
    with pytest.raises(DataFormatError, match=r"opencell-localization-annotations\.csv:3: column "
                                              r"'annotations_grade_3': expected a snake_case compartment name, "
                                              r"found 'Nucleolus GC'"):
        load_opencell_localization(OPENCELL.in_dir(tmp_path), resolver)


# ----------------------------------------------------------------------------------------------- both vocabularies
def test_vocabularies_do_not_share_compartment_names(hpa, opencell, compartments_of):
    hpa_names, opencell_names = set(compartments_of(hpa)), set(compartments_of(opencell))
    assert not hpa_names & opencell_names
    assert all(name[0].isupper() for name in hpa_names)
    assert all(name == name.lower() and " " not in name for name in opencell_names)
