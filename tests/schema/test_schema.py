"""The schema declaration: consistent, naming conventions kept, docs generated from it and up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cellmap_kg.schema import SCHEMA, SchemaError, parse_schema
from cellmap_kg.schema.docs import schema_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schema.md"


def test_names_follow_neo4j_conventions():
    for label, node in SCHEMA.nodes.items():
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", label)
        for extra in node.extra_labels:
            assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", extra)
        for prop in node.properties:
            assert re.fullmatch(r"[a-z][A-Za-z0-9]*", prop), f"{label}.{prop}"
    for rel_type, rel in SCHEMA.relationships.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", rel_type)
        for prop in rel.properties:
            assert re.fullmatch(r"[a-z][A-Za-z0-9]*", prop), f"{rel_type}.{prop}"


def test_every_relationship_declares_its_provenance():
    # loaded and analysed relationships name their data set; GNN outputs name their ModelRun instead
    for rel_type, rel in SCHEMA.relationships.items():
        if "dataset" in rel.properties:
            continue
        assert rel.computed and "run" in rel.properties, rel_type
    assert "dataset" in SCHEMA.relationships["PULLED_DOWN"].properties
    assert "run" in SCHEMA.relationships["PREDICTED_INTERACTION"].properties


def test_opencell_pvalue_is_documented_as_minus_log10():
    assert SCHEMA.relationships["PULLED_DOWN"].properties["pValue"].unit == "-log10 p"


def test_rows_are_checked_against_the_declaration():
    SCHEMA.check_node_row("Protein", {"symbol": "TP53", "pubmedCount": 11067})
    with pytest.raises(SchemaError, match="undeclared property 'pubmed'"):
        SCHEMA.check_node_row("Protein", {"symbol": "TP53", "pubmed": 1})
    with pytest.raises(SchemaError, match="not of declared type int"):
        SCHEMA.check_node_row("Protein", {"symbol": "TP53", "pubmedCount": "many"})
    with pytest.raises(SchemaError, match="no key"):
        SCHEMA.check_node_row("Assembly", {"name": "x"})
    with pytest.raises(SchemaError, match="not of declared type float"):
        SCHEMA.check_relationship_row("PULLED_DOWN", {"source": "A", "target": "B", "interactionStoichiometry":
                                                      float("inf")})


def test_a_batch_is_checked_like_its_rows_one_by_one_and_names_the_bad_row():
    proteins = [{"symbol": "TP53", "pubmedCount": 11067, "name": None}, {"symbol": "BRCA1", "aliases": ["RNF53"]}]
    SCHEMA.check_node_rows("Protein", proteins, "gene_info Protein")  # None = absent, a list of strings
    bad = [*proteins, {"symbol": "ATM", "aliases": ["ATA", 7]}]
    with pytest.raises(SchemaError) as batch_error:
        SCHEMA.check_node_rows("Protein", bad, "gene_info Protein")
    assert str(batch_error.value) == ("gene_info Protein row 2: Protein.aliases = ['ATA', 7] is not of declared type "
                                      "list[string]")
    with pytest.raises(SchemaError) as row_error:
        SCHEMA.check_node_row("Protein", bad[2], "gene_info Protein row 2")
    assert str(row_error.value) == str(batch_error.value)
    pulled_down = [{"source": "A", "target": "B", "pValue": 3.2}, {"source": "A", "target": "", "pValue": 1.0}]
    with pytest.raises(SchemaError, match=r"^bioplex PULLED_DOWN row 1: PULLED_DOWN row has no target: "):
        SCHEMA.check_relationship_rows("PULLED_DOWN", pulled_down, "bioplex PULLED_DOWN")
    with pytest.raises(SchemaError, match=r"^x row 0: PULLED_DOWN.pValue = nan is not of declared type float$"):
        SCHEMA.check_relationship_rows("PULLED_DOWN", [{"source": "A", "target": "B", "pValue": float("nan")}], "x")
    with pytest.raises(SchemaError, match=r"^x row 0: label 'Gene' is not declared$"):
        SCHEMA.check_node_rows("Gene", [{"symbol": "TP53"}], "x")
    SCHEMA.check_node_rows("Gene", [], "x")  # an empty batch has no row to check, as row by row
    SCHEMA.check_relationship_rows("PULLED_DOWN", [{"source": 7, "target": ("B",)}], "x")  # ends: present, any value
    with pytest.raises(SchemaError, match=r"^x row 0: Protein has undeclared property 'source'$"):
        SCHEMA.check_node_rows("Protein", [{"symbol": "TP53", "source": "A"}], "x")
    with pytest.raises(SchemaError, match=r"^x row 0: Protein.pubmedCount = True is not of declared type int$"):
        SCHEMA.check_node_rows("Protein", [{"symbol": "TP53", "pubmedCount": True}], "x")
    with pytest.raises(SchemaError, match=r"^x row 0: Protein.aliases = \('A',\) is not of declared type"):
        SCHEMA.check_node_rows("Protein", [{"symbol": "TP53", "aliases": ("A",)}], "x")  # a tuple is not a list


def test_relationship_with_several_targets_needs_an_explicit_label():
    rel = SCHEMA.relationships["ENRICHED_FOR"]
    assert rel.targets == ("GOTerm", "Complex", "Compartment")
    with pytest.raises(SchemaError, match="several target labels"):
        _ = rel.target


def test_inconsistent_declarations_are_rejected():
    with pytest.raises(SchemaError, match="key 'id' is not among its properties"):
        parse_schema({"nodes": {"A": {"key": "id", "properties": {"name": {"type": "string"}}}}})
    with pytest.raises(SchemaError, match="target label 'Missing'"):
        parse_schema({"nodes": {"A": {"key": "id", "properties": {"id": {}}}},
                      "relationships": {"R": {"source": "A", "target": "Missing"}}})
    with pytest.raises(SchemaError, match="unknown type"):
        parse_schema({"nodes": {"A": {"key": "id", "properties": {"id": {"type": "uuid"}}}}})
    with pytest.raises(SchemaError, match="indexed property 'size' is not among its properties"):
        parse_schema({"nodes": {"A": {"key": "id", "indexed": ["size"], "properties": {"id": {}}}}})
    with pytest.raises(SchemaError, match="indexed property 'id' .*other than the key"):
        parse_schema({"nodes": {"A": {"key": "id", "indexed": ["id"], "properties": {"id": {}}}}})
    assert SCHEMA.nodes["Protein"].indexed == ("pathsToRoot",)  # multi-localized-proteins selects on it


def test_docs_schema_md_is_generated_from_the_declaration():
    assert DOCS.read_text(encoding="utf-8") == schema_markdown(), "run: cellmap-kg schema > docs/schema.md"


def test_per_build_properties_are_declared_in_the_schema():
    assert SCHEMA.per_build_properties() == {("GraphBuild", "buildId"), ("GraphBuild", "startedAt"),
                                             ("GraphBuild", "finishedAt"), ("Dataset", "parameters")}
    assert not SCHEMA.nodes["GraphBuild"].properties["sources"].per_build  # the same files give the same sources
