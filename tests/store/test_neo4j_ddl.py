"""Pure parts of the Neo4j backend (no server needed): URI parsing, DDL from the schema, result normalisation
with hand-made driver objects, plan formatting, score conversion."""

from __future__ import annotations

import pytest
from neo4j.graph import Graph, Node, Path
from neo4j.spatial import CartesianPoint, WGS84Point
from neo4j.time import Date, DateTime, Duration
from neo4j.vector import Vector

from cellmap_kg.schema import SCHEMA
from cellmap_kg.store.base import StoreError
from cellmap_kg.store.neo4j_ddl import (
    collected_rows_statement,
    constraint_statements,
    cosine_from_score,
    fulltext_index_statements,
    parse_neo4j_uri,
    plan_lines,
    range_index_statements,
    to_plain,
    vector_index_statements,
)


def test_parse_neo4j_uri():
    assert parse_neo4j_uri("bolt://localhost:7687") == ("bolt://localhost:7687", None)
    assert parse_neo4j_uri("neo4j+s://db.example.org:7687?database=cellmap") == ("neo4j+s://db.example.org:7687",
                                                                                 "cellmap")
    for bad in ("http://localhost:7474", "bolt://", "bolt://h:7687?database=x", "bolt://h?database=1kg"):
        with pytest.raises(StoreError):
            parse_neo4j_uri(bad)


def test_constraint_statements_cover_every_node_key():
    statements = constraint_statements(SCHEMA)
    assert len(statements) == len(SCHEMA.nodes)
    assert ("CREATE CONSTRAINT Protein_symbol_unique IF NOT EXISTS FOR (n:Protein) REQUIRE n.symbol IS UNIQUE"
            in statements)
    assert "CREATE CONSTRAINT Tumour_id_unique IF NOT EXISTS FOR (n:Tumour) REQUIRE n.id IS UNIQUE" in statements


def test_fulltext_index_statements():
    statements = fulltext_index_statements(SCHEMA)
    assert statements[0] == ("CREATE FULLTEXT INDEX Protein_fulltext IF NOT EXISTS FOR (n:Protein) "
                             "ON EACH [n.symbol, n.name]")
    assert "CREATE FULLTEXT INDEX Assembly_fulltext IF NOT EXISTS FOR (n:Assembly) ON EACH [n.name, n.id]" in statements
    assert len(statements) == 5


def test_range_index_statements_follow_the_declared_indexed_properties():
    assert range_index_statements(SCHEMA) == [
        "CREATE INDEX Protein_pathsToRoot_range IF NOT EXISTS FOR (n:Protein) ON (n.pathsToRoot)"]


def test_vector_index_statements():
    drop, create = vector_index_statements("Protein", "embedding", 64)
    assert drop == "DROP INDEX Protein_embedding_vector IF EXISTS"
    assert create == ("CREATE VECTOR INDEX Protein_embedding_vector IF NOT EXISTS FOR (n:Protein) ON (n.embedding) "
                      "OPTIONS {indexConfig: {`vector.dimensions`: 64, `vector.similarity_function`: 'cosine', "
                      "`vector.quantization.enabled`: false}}")
    with pytest.raises(ValueError):
        vector_index_statements("Protein", "embedding", 0)
    with pytest.raises(ValueError):
        vector_index_statements("Protein", "bad name", 3)


def test_to_plain_normalises_driver_objects():
    graph = Graph()
    tp53 = Node(graph, "4:db:1", 1, ["Bait", "Protein", "Prey"], {"symbol": "TP53", "uniprot": ["P04637"]})
    assembly = Node(graph, "4:db:2", 2, ["Assembly"], {"id": "A:1", "founded": Date(2023, 5, 1)})
    member_of = graph.relationship_type("MEMBER_OF")(graph, "5:db:3", 3, {"dataset": "u2os"})
    member_of._start_node, member_of._end_node = tp53, assembly
    primary = frozenset(SCHEMA.nodes)

    node = to_plain(tp53, primary)
    assert node == {"symbol": "TP53", "uniprot": ["P04637"], "_labels": ["Protein", "Bait", "Prey"]}
    assert to_plain(member_of, primary) == {"dataset": "u2os", "_type": "MEMBER_OF"}
    path = to_plain(Path(tp53, member_of), primary)
    assert path == {"nodes": [node, {"id": "A:1", "founded": "2023-05-01", "_labels": ["Assembly"]}],
                    "relationships": [{"dataset": "u2os", "_type": "MEMBER_OF"}]}
    assert to_plain(DateTime(2024, 2, 29, 12, 30, 0)) == "2024-02-29T12:30:00.000000000"
    assert to_plain(Duration(months=14, days=3, seconds=3600)) == "P1Y2M3DT1H"
    assert to_plain(WGS84Point((12.5, 55.7))) == {"longitude": 12.5, "latitude": 55.7}
    assert to_plain(CartesianPoint((1.0, 2.0, 3.0))) == {"x": 1.0, "y": 2.0, "z": 3.0}
    assert to_plain(Vector.from_native([1.0, 0.5], "f32")) == [1.0, 0.5]
    assert to_plain({"l": [tp53, None]}, primary) == {"l": [node, None]}
    assert to_plain([WGS84Point((1.0, 2.0)), "x", 3]) == [{"longitude": 1.0, "latitude": 2.0}, "x", 3]
    with pytest.raises(TypeError):
        to_plain(object())


def test_plan_lines_indent_children():
    plan = {"operatorType": "ProduceResults@neo4j", "args": {"Details": "p"}, "children": [
        {"operatorType": "NodeUniqueIndexSeek@neo4j", "args": {"Details": "UNIQUE p:Protein(symbol) WHERE symbol = $s"},
         "children": []}]}
    assert plan_lines(plan) == ["ProduceResults | p",
                                "    NodeUniqueIndexSeek | UNIQUE p:Protein(symbol) WHERE symbol = $s"]
    assert plan_lines(None) == []


def test_cosine_from_score_inverts_neo4j_normalisation():
    assert cosine_from_score(1.0) == 1.0 and cosine_from_score(0.5) == 0.0 and cosine_from_score(0.0) == -1.0


def test_collected_rows_statement_wraps_the_query_and_quotes_its_columns():
    assert collected_rows_statement("MATCH (p) RETURN p.symbol AS symbol, p.x AS `odd``name`",
                                    ["symbol", "odd`name"]) == (
        "CALL {\nMATCH (p) RETURN p.symbol AS symbol, p.x AS `odd``name`\n}\n"
        "RETURN collect([`symbol`, `odd``name`]) AS rows")
    with pytest.raises(ValueError, match="at least one column"):
        collected_rows_statement("RETURN 1 AS x", [])
