"""FalkorDB-portability and read-only rules for query files."""

import doctest

import pytest

import cellmap_kg.queries.rules as rules
from cellmap_kg.queries.rules import rule_violations


def test_docstring_examples_hold():
    assert doctest.testmod(rules).failed == 0


@pytest.mark.parametrize("cypher, construct, fragment", [
    ("MATCH (p:Protein) WHERE EXISTS { MATCH (p)-[:MEMBER_OF]->() } RETURN p", "EXISTS {", "EXISTS { }"),
    ("MATCH (p:Protein) RETURN COUNT { (p)-[:MEMBER_OF]->() } AS n", "COUNT {", "COUNT { }"),
    ("MATCH (p:Protein) RETURN COLLECT { MATCH (p)-->(a) RETURN a.id } AS ids", "COLLECT {", "COLLECT { }"),
    ("MATCH (p:Protein) CALL (p) { MATCH (p)-->(a) RETURN a } RETURN a", "CALL (", "CALL (x)"),
    ("MATCH (p:Protein) RETURN elementId(p) AS id", "elementId(", "elementId()"),
    ("MATCH (a:Protein), (b:Protein) MATCH p = shortestPath((a)-[*..6]-(b)) RETURN p", "shortestPath(", "shortestPath"),
    ("MATCH p = allShortestPaths((a)-[:PULLED_DOWN*..4]-(b)) RETURN p", "allShortestPaths(", "shortestPath"),
    ("MATCH (a:Assembly)-[:CONTAINS*]->(b) RETURN b", "*]", "unbounded"),
    ("MATCH (a:Assembly)-[:CONTAINS*2..]->(b) RETURN b", "*2..]", "unbounded"),
    ("MATCH (n:Protein|Complex) RETURN n", "|", "label expression"),
    ("MATCH (n:!Protein) RETURN n", "!", "label expression"),
    ("MATCH (p:Protein) OPTIONAL MATCH (p)-->(a) MATCH (a)-->(b) RETURN b", "MATCH (a)", "MATCH after OPTIONAL"),
    ("MATCH (p:Protein) SET p.x = 1 RETURN p", "SET", "write clause"),
    ("MERGE (p:Protein {symbol: 'X'}) RETURN p", "MERGE", "write clause"),
])
def test_each_unsupported_construct_is_reported_where_it_is(cypher, construct, fragment):
    found = rule_violations(cypher)
    assert len(found) == 1, found
    assert fragment in found[0].message
    assert found[0].offset == cypher.index(construct)


def test_valid_portable_query_has_no_violation():
    cypher = ("MATCH (a:Assembly {map: $map})-[:CONTAINS*1..5]->(b:Assembly)\n"
              "OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(b)\n"
              "WITH a, b, count(p) AS members\n"
              "MATCH (b)<-[:MEMBER_OF]-(q:Protein)\n"
              "WHERE (q)-[:PULLED_DOWN]->(:Protein) AND q.symbol <> 'EXISTS { CALL (x) }'\n"
              "// elementId(q) and SET are only mentioned in this comment\n"
              "RETURN a.id AS assembly, members, collect(q.symbol)[0..3] AS some, count(*) AS n, "
              "[x IN collect(q) WHERE x:Protein | x.symbol] AS symbols, b {.*} AS props")
    assert rule_violations(cypher) == []
