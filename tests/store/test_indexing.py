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
    assert lucene_query(["hla", "a"]) == "(hla OR hla*) AND a"


def test_identifier_guards_spliced_names():
    assert identifier("embedding") == "embedding"
    for bad in ("a b", "x) DETACH DELETE (n", "1abc", "", None):
        with pytest.raises(ValueError):
            identifier(bad)


def test_fulltext_properties_are_declared_in_the_schema():
    assert fulltext_properties(SCHEMA) == FULLTEXT_PROPERTIES
    tiny = parse_schema({"nodes": {"GOTerm": {"key": "id", "properties": {"id": {}, "name": {}}}}})
    assert fulltext_properties(tiny) == {"GOTerm": ("name",)}  # undeclared labels are skipped
    no_name = parse_schema({"nodes": {"Protein": {"key": "symbol", "properties": {"symbol": {}}}}})
    with pytest.raises(SchemaError, match="Protein.name"):
        fulltext_properties(no_name)


def test_contains_search_cypher_mentions_every_property():
    cypher = contains_search_cypher("Protein", "symbol", ("symbol", "name"))
    assert "MATCH (n:Protein)" in cypher and "[n.symbol, n.name]" in cypher and cypher.endswith("LIMIT $limit")
    with pytest.raises(ValueError):
        contains_search_cypher("Protein) DETACH DELETE (n", "symbol", ("symbol",))
