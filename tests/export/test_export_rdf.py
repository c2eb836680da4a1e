"""``export_rdf`` on the full real graph: identifiers.org protein IRIs, OBO PURLs for GO, assemblies in the
documented ``cmkg:`` vocabulary, parsed back with rdflib."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, XSD

from cellmap_kg.export.rdf import (
    RdfExportError,
    assembly_iri,
    export_rdf,
    go_iri,
    known_component_iri,
    protein_iri,
)
from cellmap_kg.export.rdf_vocabulary import CMKG, TERMS, vocabulary_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rdf.md"
CM4AI = "CM4AI-MDA-MB-468"


@pytest.fixture(scope="module")
def cm4ai(graph_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("rdf") / "cm4ai.ttl"
    triples = export_rdf(graph_store, path, maps=[CM4AI])
    graph = Graph().parse(path, format="turtle")
    assert len(graph) == triples
    return graph


def test_proteins_are_hgnc_iris_linked_to_uniprot_and_ncbi_gene(cm4ai, graph_store):
    row = graph_store.query("MATCH (p:Protein {symbol: 'HDAC1'}) RETURN p.hgncId AS h, p.uniprot AS u, "
                            "p.entrezId AS e")[0]
    hdac1 = URIRef("https://identifiers.org/hgnc:" + row["h"].split(":")[1])
    assert (hdac1, RDF.type, CMKG.Protein) in cm4ai
    assert (hdac1, RDFS.label, Literal("HDAC1")) in cm4ai
    assert {str(o) for o in cm4ai.objects(hdac1, CMKG.uniprot)} == {f"https://identifiers.org/uniprot:{u}"
                                                                    for u in row["u"]}
    assert (hdac1, CMKG.ncbiGene, URIRef(f"https://identifiers.org/ncbigene:{row['e']}")) in cm4ai


def test_assemblies_their_hierarchy_and_members(cm4ai, graph_store):
    assemblies = graph_store.query("MATCH (a:Assembly {map: $m}) RETURN a.id AS id, a.size AS size", {"m": CM4AI})
    assert set(cm4ai.subjects(RDF.type, CMKG.Assembly)) == {assembly_iri(a["id"]) for a in assemblies}
    root = assembly_iri(f"{CM4AI}:C23")
    assert (root, CMKG.isRoot, Literal(True)) in cm4ai
    assert (root, CMKG.size, Literal(23, datatype=XSD.integer)) in cm4ai
    contains = graph_store.query("MATCH (a:Assembly {map: $m})-[:CONTAINS]->(b) RETURN a.id AS a, b.id AS b",
                                 {"m": CM4AI})
    assert set(cm4ai.subject_objects(CMKG.contains)) == {(assembly_iri(r["a"]), assembly_iri(r["b"]))
                                                          for r in contains}
    members = {r["s"] for r in graph_store.query(
        "MATCH (p:Protein)-[:MEMBER_OF]->(:Assembly {id: $id}) RETURN p.symbol AS s", {"id": f"{CM4AI}:C23"})}
    labels = {str(cm4ai.value(p, RDFS.label)) for p in cm4ai.objects(root, CMKG.hasMember)}
    assert labels == members and "HDAC1" in members


def test_go_annotations_are_obo_purls_with_labels(cm4ai, graph_store):
    rows = graph_store.query("MATCH (:Protein {symbol: 'HDAC1'})-[:ANNOTATED_WITH]->(t:GOTerm) "
                             "RETURN t.id AS id, t.name AS name")
    hdac1 = next(cm4ai.subjects(RDFS.label, Literal("HDAC1")))
    assert set(cm4ai.objects(hdac1, CMKG.annotatedWith)) == {go_iri(r["id"]) for r in rows} and rows
    term = go_iri(rows[0]["id"])
    assert str(term).startswith("http://purl.obolibrary.org/obo/GO_")
    assert (term, RDF.type, OWL.Class) in cm4ai and (term, RDFS.label, Literal(rows[0]["name"])) in cm4ai


def test_every_vocabulary_term_is_defined_in_the_export_and_documented(cm4ai):
    docs = DOCS.read_text()
    for term in TERMS:
        assert (CMKG[term.name], RDFS.comment, None) in cm4ai, term.name
        assert f"cmkg:{term.name}" in docs, f"docs/rdf.md does not document cmkg:{term.name}"


def test_the_vocabulary_comes_from_the_schema_and_the_docs_carry_it_unchanged():
    by_name = {t.name: t for t in TERMS}
    assert by_name["diameterNm"].label == "estimated diameter (nm)"  # unit from schema.yaml
    assert by_name["diameterNm"].range == "http://www.w3.org/2001/XMLSchema#double"  # float -> xsd:double
    assert "1.27 log10(n) - 0.31" in by_name["diameterNm"].comment
    assert by_name["hasMember"].comment.endswith("(graph MEMBER_OF, inverted).")
    assert vocabulary_markdown() in DOCS.read_text(), "regenerate the table in docs/rdf.md (vocabulary_markdown)"


def test_iris_of_identifiers():
    assert protein_iri("TP53", "HGNC:11998", 7157) == URIRef("https://identifiers.org/hgnc:11998")
    assert protein_iri("LOC1", None, 42) == URIRef("https://identifiers.org/ncbigene:42")
    assert protein_iri("ODD/NAME", None, None) == URIRef("https://identifiers.org/hgnc.symbol:ODD%2FNAME")
    assert known_component_iri("GO:0005730") == URIRef("http://purl.obolibrary.org/obo/GO_0005730")
    assert known_component_iri("CORUM:351") == URIRef("https://identifiers.org/corum:351")
    assert known_component_iri("HPA:nucleoli") is None
    assert assembly_iri("NeST:NEST:12") == URIRef("https://w3id.org/cellmap-kg/assembly/NeST:NEST:12")


def test_format_follows_the_suffix_and_bad_requests_are_errors(graph_store, tmp_path):
    nt = tmp_path / "cm4ai.nt"
    triples = export_rdf(graph_store, nt, maps=[CM4AI], annotations=False)
    assert len(Graph().parse(nt, format="nt")) == triples
    assert not any(" <https://w3id.org/cellmap-kg/vocab#annotatedWith> " in line for line in nt.open())
    with pytest.raises(RdfExportError, match="unknown RDF suffix"):
        export_rdf(graph_store, tmp_path / "x.txt", maps=[CM4AI])
    with pytest.raises(RdfExportError, match="Mars"):
        export_rdf(graph_store, tmp_path / "x.ttl", maps=["Mars"])
