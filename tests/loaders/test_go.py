"""GO ontology (OBO line scan, checked against obonet) and NCBI gene2go loaders, on the real GO 2022-07-01 files."""

from __future__ import annotations

import csv
from collections import Counter

import obonet
import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.go import load_gene2go, load_go_ontology, read_obo_index
from cellmap_kg.sources import source_of

GO, GENE2GO = source_of(load_go_ontology), source_of(load_gene2go)
OBO_FILE = GO.file("obo").path

PARENTS_FILE = "go/GO.db_go-basic_2022-07-01_parents.tsv"
TERMS_FILE = "go/GO.db_go-basic_2022-07-01_terms.tsv"


@pytest.fixture(scope="module")
def ontology(data_dir, resolver):
    return load_go_ontology(GO.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def terms(ontology, rows_by_key):
    return rows_by_key(ontology.nodes, "GOTerm")


@pytest.fixture(scope="module")
def gene2go(data_dir, resolver):
    return load_gene2go(GENE2GO.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def annotations(gene2go, rows_by_key):
    return rows_by_key(gene2go.relationships, "ANNOTATED_WITH")


def _read_tsv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


# ---------------------------------------------------------------------------------------------------- ontology
def test_ontology_rows_match_schema(ontology, assert_schema):
    assert_schema(ontology, GO.id)


def test_terms_include_obsolete_ones(terms):
    assert len(terms) == 47_468
    assert sum(row["obsolete"] for row in terms.values()) == 3_910
    assert terms["GO:0000005"]["obsolete"] is True
    assert terms["GO:0000005"]["name"] == "obsolete ribosomal chaperone activity"


def test_proteasome_complex_term(terms):
    row = terms["GO:0000502"]
    assert row["name"] == "proteasome complex"
    assert row["namespace"] == "cellular_component"
    assert row["obsolete"] is False
    assert row["definition"].startswith("A large multisubunit complex which catalyzes protein degradation")
    assert not row["definition"].startswith('"') and "[]" not in row["definition"]


def test_terms_agree_with_go_db_term_table(data_dir, terms):
    table = _read_tsv(data_dir / TERMS_FILE)
    assert len(table) == 43_558  # the non-obsolete terms
    for entry in table:
        row = terms[entry["go_id"]]
        assert (row["name"], row["namespace"]) == (entry["name"], entry["namespace"])
        assert row.get("definition", "") == entry["definition"]


def test_relationships_equal_go_db_parent_table(data_dir, ontology):
    expected = {(r["child"], r["parent"], r["relationship"].upper()) for r in _read_tsv(data_dir / PARENTS_FILE)}
    loaded = {(row["source"], row["target"], batch.type) for batch in ontology.relationships for row in batch.rows}
    assert loaded == expected
    counts = Counter(rel_type for _, _, rel_type in loaded)
    assert counts == {"IS_A": 70_058, "PART_OF": 6_997, "REGULATES": 3_184, "POSITIVELY_REGULATES": 2_732,
                      "NEGATIVELY_REGULATES": 2_742}
    assert ("GO:0000502", "GO:1905369", "IS_A") in loaded  # proteasome complex is_a endopeptidase complex
    assert not ontology.report.skipped


def test_terms_and_edges_equal_obonets_reading_of_the_file(data_dir, ontology, terms):
    graph = obonet.read_obo(data_dir / OBO_FILE, ignore_obsolete=False)
    index = read_obo_index(data_dir / OBO_FILE)
    for go_id, data in graph.nodes(data=True):
        assert index.tags[go_id] == {tag: data[tag] for tag in ("name", "namespace", "def", "is_obsolete")
                                     if tag in data}
    assert list(index.tags) == list(graph.nodes)
    assert set(index.edge_lines) == {(child, relation, parent) for child, parent, relation in graph.edges(keys=True)}
    assert read_obo_index(data_dir / OBO_FILE) is index  # one scan per file for the GO and gene2go loaders


def test_obo_index_maps_alt_ids_and_records_lines(data_dir):
    index = read_obo_index(data_dir / OBO_FILE)
    assert index.primary("GO:0019952") == "GO:0000003"  # alt_id of 'reproduction'
    assert index.primary("GO:0000003") == "GO:0000003"
    assert index.primary("GO:9999999") is None
    assert len(index.alt_ids) == 3_450
    assert index.term_lines["GO:0000001"] == 7
    assert index.namespaces["GO:0000502"] == "cellular_component"


MINI_OBO = """format-version: 1.2

[Term]
id: GO:0000001
name: a
namespace: biological_process
def: "A \\"quoted\\" thing." [PMID:1]
alt_id: GO:0000009

[Term]
id: GO:0000002
name: b
namespace: biological_process
is_a: GO:0000009 ! a, named by its alt id
relationship: has_part GO:0000001
relationship: part_of GO:0000001
relationship: part_of GO:0000001
is_a: GO:0000001

[Term]
id: GO:0000003
name: obsolete c
namespace: biological_process
is_obsolete: true
"""


def test_alt_parent_unknown_relation_and_obsolete_term(tmp_path):
    (tmp_path / OBO_FILE).parent.mkdir(parents=True)
    (tmp_path / OBO_FILE).write_text(MINI_OBO)
    result = load_go_ontology(GO.in_dir(tmp_path), None)
    rows = {row["id"]: row for row in result.nodes[0].rows}
    assert set(rows) == {"GO:0000001", "GO:0000002", "GO:0000003"}
    assert rows["GO:0000001"]["definition"] == 'A "quoted" thing.'
    assert rows["GO:0000003"]["obsolete"] is True and "definition" not in rows["GO:0000003"]
    edges = {(b.type, r["source"], r["target"]) for b in result.relationships for r in b.rows}
    assert edges == {("IS_A", "GO:0000002", "GO:0000001"), ("PART_OF", "GO:0000002", "GO:0000001")}
    assert result.report.skipped == {"relation 'has_part' is not in the schema": 1,
                                     "duplicate IS_A edge collapsed": 1,  # via the alt id
                                     "edge declared twice in the OBO file (kept once)": 1}


def test_obo_line_without_tag_separator_names_line(data_dir, tmp_path, slice_file):
    slice_file(data_dir / OBO_FILE, tmp_path / OBO_FILE, lines=40, edits={9: "namespace biological_process"})
    with pytest.raises(DataFormatError, match=r"go-basic_2022-07-01_reconstructed_from_GO\.db\.obo:9: expected 'tag: "
                                              r"value'"):
        load_go_ontology(GO.in_dir(tmp_path), None)


def test_obo_bad_namespace_names_the_term_line(data_dir, tmp_path, slice_file):
    slice_file(data_dir / OBO_FILE, tmp_path / OBO_FILE, lines=40, edits={17: "namespace: cellular_thing"})
    with pytest.raises(DataFormatError, match=r"reconstructed_from_GO\.db\.obo:15: \[Term\] GO:0000002: expected "
                                              r"namespace in"):
        load_go_ontology(GO.in_dir(tmp_path), None)


# ---------------------------------------------------------------------------------------------------- gene2go
def test_gene2go_rows_match_schema(gene2go, assert_schema):
    assert_schema(gene2go, GENE2GO.id)


def test_psma1_proteasome_annotations(annotations):
    assert annotations[("PSMA1", "GO:0000502")] == {
        "source": "PSMA1", "target": "GO:0000502", "evidence": ["IC", "IDA"], "aspect": "C", "dataset": GENE2GO.id}
    assert annotations[("PSMA1", "GO:0005839")]["evidence"] == ["IBA", "IDA", "ISS"]


def test_one_annotation_per_protein_and_term(data_dir, gene2go, annotations, terms):
    rows = _read_tsv(GENE2GO.in_dir(data_dir).path("gene2go"))
    distinct = {(r["gene_id"], r["go_id"]) for r in rows}
    assert len(annotations) == len(distinct) == 300_448
    merged = gene2go.report.skipped[
        "annotation rows merged (one ANNOTATED_WITH per protein and GO term, evidence codes pooled)"]
    assert merged == len(rows) - len(annotations) == 47_668
    assert all(target in terms for _, target in annotations)


def _gene2go_dir(data_dir, tmp_path, slice_file, edits):
    """The gene2go source in ``tmp_path``: a link to the real ontology and the first lines of gene2go, edited."""
    real, scratch = GENE2GO.in_dir(data_dir), GENE2GO.in_dir(tmp_path)
    scratch.path("obo").parent.mkdir(parents=True, exist_ok=True)
    scratch.path("obo").symlink_to(real.path("obo"))
    slice_file(real.path("gene2go"), scratch.path("gene2go"), lines=30, edits=edits)
    return scratch


def test_gene2go_alt_id_mapped_and_unknown_id_skipped(data_dir, tmp_path, slice_file, resolver):
    # line 2 is "1  A1BG  GO:0008150  ND  P"
    data = _gene2go_dir(data_dir, tmp_path, slice_file, {2: "1\tA1BG\tGO:0019952\tND\tP",
                                                         3: "2\tA2M\tGO:9999999\tIEA\tP"})
    result = load_gene2go(data, resolver)
    rows = {(r["source"], r["target"]): r for r in result.relationships[0].rows}
    assert rows[("A1BG", "GO:0000003")]["evidence"] == ["ND"]
    assert result.report.skipped["GO id not in the ontology file"] == 1
    assert result.report.read["annotations to an alt_id (mapped to the primary GO id)"] == 1


def test_gene2go_bad_aspect_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    data = _gene2go_dir(data_dir, tmp_path, slice_file, {5: "2\tA2M\tGO:0002438\tIEA\tX"})
    with pytest.raises(DataFormatError, match=r"org\.Hs\.eg\.db_2022-09-12_human_gene2go\.tsv:5: column 'aspect': "
                                              r"expected one of P, F, C, found 'X'"):
        load_gene2go(data, resolver)


def test_gene2go_aspect_contradicting_namespace(data_dir, tmp_path, slice_file, resolver):
    data = _gene2go_dir(data_dir, tmp_path, slice_file, {4: "2\tA2M\tGO:0001869\tIDA\tC"})
    with pytest.raises(DataFormatError, match=r"human_gene2go\.tsv:4: column 'aspect': expected the aspect"):
        load_gene2go(data, resolver)
