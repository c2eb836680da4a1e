"""``export_neo4j_admin``: neo4j-admin CSV headers from the schema, rows of the real graph, the import command
and the array-delimiter fallback."""

from __future__ import annotations

import csv
import shlex

import pytest

from cellmap_kg.export.neo4j_admin import (
    ExportError,
    end_pairs,
    export_neo4j_admin,
    format_value,
    node_header,
    relationship_file,
    relationship_header,
)
from cellmap_kg.schema import SCHEMA
from cellmap_kg.store import open_store, stop_embedded

SUBSET = ("Protein", "Assembly", "MEMBER_OF", "CONTAINS")


def read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_headers_follow_the_schema():
    assert node_header(SCHEMA.nodes["Protein"])[0] == "symbol:ID(Protein)"
    header = node_header(SCHEMA.nodes["Protein"])
    assert {"entrezId:long", "uniprot:string[]", "hekRnaTpm:double", "multiLocalized:boolean",
            "embedding:double[]"} <= set(header) and header[-1] == ":LABEL"
    annotated = SCHEMA.relationships["ANNOTATED_WITH"]
    assert relationship_header(annotated, "Protein", "GOTerm")[:5] == [
        ":START_ID(Protein)", ":END_ID(GOTerm)", "dataset:string", "evidence:string[]", "aspect:string"]
    assert relationship_file(annotated, "Protein", "GOTerm") == "rels_ANNOTATED_WITH.csv"
    enriched = SCHEMA.relationships["ENRICHED_FOR"]     # Assembly -> GOTerm | Complex | Compartment
    assert [relationship_file(enriched, *pair) for pair in end_pairs(enriched)] == [
        "rels_ENRICHED_FOR_Assembly_GOTerm.csv", "rels_ENRICHED_FOR_Assembly_Complex.csv",
        "rels_ENRICHED_FOR_Assembly_Compartment.csv"]
    assert relationship_header(enriched, "Assembly", "Complex")[:2] == [":START_ID(Assembly)", ":END_ID(Complex)"]
    for node in SCHEMA.nodes.values():
        assert len(node_header(node)) == len(node.properties) + 1


def test_values_are_formatted_for_their_types():
    assert format_value(True, "bool", ";") == "true"
    assert format_value(0.1, "float", ";") == "0.1"
    assert format_value(None, "string", ";") == ""
    assert format_value(["IDA", "IEA"], "list[string]", "|") == "IDA|IEA"
    with pytest.raises(ExportError, match="expected a list"):
        format_value("IDA", "list[string]", ";", "ANNOTATED_WITH x")


@pytest.fixture(scope="module")
def subset(graph_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("neo4j-admin")
    return export_neo4j_admin(graph_store, out, include=SUBSET)


def test_rows_of_the_real_graph(subset, graph_store):
    counts = graph_store.counts()
    header, proteins = read(subset.directory / "nodes_Protein.csv")
    assert len(proteins) == counts["nodes"]["Protein"] == subset.counts["Protein"]
    dpp9 = next(p for p in proteins if p["symbol:ID(Protein)"] == "DPP9")
    assert (dpp9["entrezId:long"], dpp9["hgncId:string"]) == ("91039", "HGNC:18648")
    labels = graph_store.query("MATCH (p:Protein {symbol: 'DPP9'}) RETURN labels(p) AS l")[0]["l"]
    assert dpp9[":LABEL"].split(subset.array_delimiter) == ["Protein"] + sorted(set(labels) - {"Protein"})
    _, members = read(subset.directory / "rels_MEMBER_OF.csv")
    assert len(members) == counts["relationships"]["MEMBER_OF"]
    dpp9_isgf3 = [m for m in members
                  if (m[":START_ID(Protein)"], m[":END_ID(Assembly)"]) == ("DPP9", "U2OS-2023-05:Cluster2-77")]
    assert len(dpp9_isgf3) == 1
    assert (dpp9_isgf3[0]["dataset:string"], dpp9_isgf3[0][":TYPE"]) == ("u2os-cellmap-2023-05", "MEMBER_OF")
    _, assemblies = read(subset.directory / "nodes_Assembly.csv")
    root = next(a for a in assemblies if a["id:ID(Assembly)"] == "U2OS-2023-05:Cluster0-0")
    assert (root["isRoot:boolean"], root["size:long"]) == ("true", "5254")


def test_import_command_and_schema_script(subset):
    command = subset.command(import_dir="/import")
    assert command.startswith("neo4j-admin database import full neo4j --overwrite-destination")
    for name in ("nodes_Protein.csv", "nodes_Assembly.csv"):
        assert f"--nodes=/import/{name}" in command
    for name in ("rels_MEMBER_OF.csv", "rels_CONTAINS.csv"):
        assert f"--relationships=/import/{name}" in command
    assert "nodes_GOTerm" not in command
    script = (subset.directory / "neo4j-admin-import.sh").read_text()
    assert subset.command(import_dir=".") in script
    ddl = (subset.directory / "schema.cypher").read_text()
    assert "FOR (n:Protein) REQUIRE n.symbol IS UNIQUE" in ddl
    assert "CREATE INDEX Protein_pathsToRoot_range IF NOT EXISTS FOR (n:Protein) ON (n.pathsToRoot)" in ddl


def test_array_delimiter_falls_back_when_an_item_contains_it(tmp_path):
    uri = f"falkordb://{tmp_path / 'store'}"
    store = open_store(uri)
    try:
        store.write_nodes("Image", [{"id": "7_C5_1", "locations": ["Nucleoli;rim", "Cytosol"]}])
        result = export_neo4j_admin(store, tmp_path / "out", include=["Image"])
        assert result.array_delimiter == "|"
        _, rows = read(tmp_path / "out" / "nodes_Image.csv")
        assert rows[0]["locations:string[]"] == "Nucleoli;rim|Cytosol"
        assert "--array-delimiter=|" in shlex.split(result.command())
    finally:
        store.close()
        stop_embedded(uri)


def test_bad_requests_are_errors(graph_store, tmp_path):
    with pytest.raises(ExportError, match="end labels.*Assembly"):
        export_neo4j_admin(graph_store, tmp_path / "a", include=["Protein", "MEMBER_OF"])
    with pytest.raises(ExportError, match="Planet"):
        export_neo4j_admin(graph_store, tmp_path / "b", include=["Planet"])
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "old.csv").write_text("x\n")
    with pytest.raises(ExportError, match="old.csv"):
        export_neo4j_admin(graph_store, tmp_path / "c", include=["Protein"])
