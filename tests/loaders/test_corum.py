"""CORUM loader on the real 28.11.2022 human complexes file."""

from __future__ import annotations

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.corum import load_corum
from cellmap_kg.sources import source_of

CORUM = source_of(load_corum)
COMPLEXES_FILE = CORUM.file("complexes").path

ENTREZ_NOT_ALIGNED = "subunits(Entrez IDs) not aligned with subunits(UniProt IDs) (ignored for the complex)"


@pytest.fixture(scope="module")
def corum(data_dir, resolver):
    return load_corum(CORUM.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def complexes(corum, rows_by_key):
    return rows_by_key(corum.nodes, "Complex")


@pytest.fixture(scope="module")
def subunits(corum, members_by_target):
    assert [b.type for b in corum.relationships] == ["SUBUNIT_OF"]
    return members_by_target(corum.relationships, "SUBUNIT_OF")


def test_rows_match_schema(corum, assert_schema):
    assert_schema(corum, CORUM.id)


def test_every_complex_loaded(complexes, corum):
    assert len(complexes) == 3_684
    assert corum.report.read[COMPLEXES_FILE] == 3_684


def test_first_complex(complexes, subunits):
    assert complexes["CORUM:1"] == {
        "id": "CORUM:1", "name": "BCL6-HDAC4 complex", "cellLine": "U2OS osteosarcoma-derived UTA-L cells",
        "purificationMethod": "MI:0007-anti tag coimmunoprecipitation", "pubmedId": "11929873"}
    assert subunits["CORUM:1"] == {"BCL6", "HDAC4"}


def test_baf_complex_has_smarca4_and_arid1a(complexes, subunits):
    with_both = {c for c, members in subunits.items() if {"SMARCA4", "ARID1A"} <= members}
    assert "CORUM:189" in with_both
    assert complexes["CORUM:189"]["name"] == "BAF complex"
    assert len(subunits["CORUM:189"]) == 13


def test_none_placeholders_are_left_out(complexes):
    without_cell_line = [row for row in complexes.values() if "cellLine" not in row]
    assert len(without_cell_line) == 1_265  # 'None' in the Cell line column
    assert all(value != "None" for row in complexes.values() for value in row.values())


def test_unaligned_entrez_list_falls_back_to_uniprot(corum, subunits):
    assert subunits["CORUM:8666"] == {"KPNA4", "KPNB1"}  # Entrez column '3840;;3837' for two subunits
    assert corum.report.skipped[ENTREZ_NOT_ALIGNED] == 65


def test_unresolved_subunits_are_reported(corum):
    assert corum.report.skipped["unknown gene"] == 3
    assert any("BCR/ABL fusion" in example for example in corum.report.examples["unknown gene"])


def test_non_human_complex_skipped(data_dir, tmp_path, slice_file, resolver):
    src = data_dir / COMPLEXES_FILE
    line3 = src.read_text(encoding="utf-8").splitlines()[2].replace("\tHuman\t", "\tMouse\t")
    slice_file(src, tmp_path / COMPLEXES_FILE, lines=4, edits={3: line3})
    result = load_corum(CORUM.in_dir(tmp_path), resolver)
    assert [row["id"] for row in result.nodes[0].rows] == ["CORUM:1", "CORUM:3"]
    assert result.report.skipped == {"organism is not Human": 1}


def test_bad_complex_id_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    src = data_dir / COMPLEXES_FILE
    line3 = "x2" + src.read_text(encoding="utf-8").splitlines()[2][1:]
    slice_file(src, tmp_path / COMPLEXES_FILE, lines=10, edits={3: line3})
    with pytest.raises(DataFormatError, match=r"humanComplexes_28112022\.txt:3: column 'ComplexID': expected a "
                                              r"number, found 'x2'"):
        load_corum(CORUM.in_dir(tmp_path), resolver)


def test_repeated_complex_id_names_both_lines(data_dir, tmp_path, slice_file, resolver):
    src = data_dir / COMPLEXES_FILE
    line2 = src.read_text(encoding="utf-8").splitlines()[1]
    slice_file(src, tmp_path / COMPLEXES_FILE, lines=6, edits={5: line2})
    with pytest.raises(DataFormatError, match=r"humanComplexes_28112022\.txt:5: .*1 is also on line 2"):
        load_corum(CORUM.in_dir(tmp_path), resolver)
