"""Backend-neutral search helpers: full-text query construction, the CONTAINS fallback, name guard."""

from __future__ import annotations

import pytest

from cellmap_kg.schema import SCHEMA, SchemaError, parse_schema
from cellmap_kg.store.indexing import (
    FULLTEXT_PROPERTIES,
    contains_search_cypher,
    fulltext_properties,
    identifier,
    lucene_query,
    redisearch_query,
    search_terms,
)


def test_search_terms_split_like_the_index_analyzers():
    assert search_terms("HLA-A") == ["hla", "a"]
    assert search_terms("U2OS-2023-05:Cluster3-65") == ["u2os", "2023", "05", "cluster3", "65"]
    assert search_terms("  (*) ") == []


def test_query_builders_keep_one_letter_terms_exact():
    assert redisearch_query(["hla", "a"]) == "(hla|hla*) a"
    assert lucene_query(["hla", "a"]) == "(hla OR hla* OR *\\:hla*) AND a"


def test_identifier_guards_spliced_names():
    assert identifier("embedding") == "embedding"
    for bad in ("a b", "x) DETACH DELETE (n", "1abc", "", None):
        with pytest.raises(ValueError):
            identifier(bad)


def test_fulltext_properties_come_from_the_schema_declaration():
    assert fulltext_properties(SCHEMA) == FULLTEXT_PROPERTIES
    assert FULLTEXT_PROPERTIES["Protein"] == ("symbol", "name")
    tiny = parse_schema({"nodes": {"GOTerm": {"key": "id", "fulltext": ["name"], "properties": {"id": {}, "name": {}}},
                                   "Complex": {"key": "id", "properties": {"id": {}}}}})
    assert fulltext_properties(tiny) == {"GOTerm": ("name",)}  # labels without `fulltext` get no index
    with pytest.raises(SchemaError, match="full-text property 'name'"):
        parse_schema({"nodes": {"Protein": {"key": "symbol", "fulltext": ["name"], "properties": {"symbol": {}}}}})


def test_contains_search_cypher_mentions_every_property():
    cypher = contains_search_cypher("Protein", "symbol", ("symbol", "name"))
    assert "MATCH (n:Protein)" in cypher and "[n.symbol, n.name]" in cypher and cypher.endswith("LIMIT $limit")
    with pytest.raises(ValueError):
        contains_search_cypher("Protein) DETACH DELETE (n", "symbol", ("symbol",))
