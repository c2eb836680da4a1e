"""The store interface on both backends (``scratch_store``: an empty FalkorDB graph or the scratch Neo4j database,
see tests/conftest.py): writing, plain result values, parameters, read-only mode, timeouts, schema, search."""

from __future__ import annotations

import math

import pytest

from cellmap_kg.store.base import QueryTimeout, StoreError


@pytest.fixture
def store(scratch_store):
    """Overrides tests/store/conftest.py's FalkorDB-only ``store``: the empty ``scratch_store`` of each backend."""
    return scratch_store


def test_writes_nodes_relationships_extra_labels_and_lists(store, load_sample):
    load_sample(store)
    written = store.write_relationships("MEMBER_OF", [
        {"source": "POLR2A", "target": "U2OS:Cluster1-1", "dataset": "u2os"},
        {"source": "POLR1A", "target": "U2OS:Cluster1-1", "dataset": "u2os"},
        {"source": "NOT_A_GENE", "target": "U2OS:Cluster1-1", "dataset": "u2os"},
    ])
    assert written == 2  # the row with a missing endpoint is not written and the count shows it
    tp53 = store.query("MATCH (p:Protein {symbol: 'TP53'}) RETURN p")[0]["p"]
    assert tp53 == {"symbol": "TP53", "name": "tumor protein p53", "entrezId": 7157, "_labels": ["Protein", "Bait"]}
    polr1a = store.query("MATCH (p:Protein {symbol: $s}) RETURN p.uniprot AS u, p.entrezId AS e", {"s": "POLR1A"})
    assert polr1a == [{"u": ["O95602", "Q9H0A1"], "e": None}]  # None properties are not written
    assert store.query("MATCH (p {symbol: 'POLR2A'}) RETURN p.hekRnaTpm AS x")[0]["x"] == 81.5
    assert store.counts() == {"nodes": {"Protein": 4, "Assembly": 2, "Bait": 1}, "relationships": {"MEMBER_OF": 2}}


def test_write_nodes_merges_on_the_key(store):
    store.write_nodes("Protein", [{"symbol": "TP53", "name": "old"}])
    assert store.write_nodes("Protein", [{"symbol": "TP53", "name": "tumor protein p53"}]) == 1
    assert store.query("MATCH (p:Protein) RETURN p.symbol AS s, p.name AS n") == [{"s": "TP53",
                                                                                    "n": "tumor protein p53"}]


def test_results_are_plain_values(store, load_sample):
    load_sample(store)
    store.write_relationships("MEMBER_OF", [{"source": "POLR2A", "target": "U2OS:Cluster1-1", "dataset": "u2os"}])
    row = store.query("MATCH p = (a:Protein)-[r:MEMBER_OF]->(b) "
                      "RETURN p, r, {n: 1, l: [a.symbol, 2.5, true, null]} AS m, b.size AS size")[0]
    assert row["r"] == {"dataset": "u2os", "_type": "MEMBER_OF"}
    assert row["m"] == {"n": 1, "l": ["POLR2A", 2.5, True, None]}
    assert row["size"] == 2 and isinstance(row["size"], int)
    assert [n["_labels"] for n in row["p"]["nodes"]] == [["Protein"], ["Assembly"]]
    assert row["p"]["nodes"][0]["symbol"] == "POLR2A"
    assert row["p"]["relationships"] == [{"dataset": "u2os", "_type": "MEMBER_OF"}]
    assert store.query("RETURN date('2024-02-29') AS d")[0]["d"] == "2024-02-29"


def test_parameters_round_trip_awkward_values(store):
    values = ['quote " backslash \\ newline \n tab \t', "ünïcode ✓", "", "$x {a} `b`", 2**62, -0.1, 1e-300,
              [True, None, [1, "x"]], {"nested map": {"k": [1.5]}}]
    for value in values:
        assert store.query("RETURN $v AS v", {"v": value}) == [{"v": value}]


def test_read_only_refuses_writes(store, load_sample):
    load_sample(store)
    with pytest.raises(StoreError, match="read-only query attempted to write"):
        store.query("CREATE (:Protein {symbol: 'NEW'})", read_only=True)
    assert store.query("MATCH (p:Protein {symbol: 'NEW'}) RETURN count(p) AS n", read_only=True) == [{"n": 0}]


def test_timeout_raises_query_timeout(store):
    store.write_nodes("Protein", [{"symbol": "A"}])
    slow = "UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y RETURN count(*) AS n"
    with pytest.raises(QueryTimeout):
        store.query(slow, timeout_ms=20, read_only=True)
    assert store.query("UNWIND range(1, 10) AS x RETURN sum(x) AS s", timeout_ms=5000) == [{"s": 55}]


def test_fulltext_search_finds_a_protein_by_part_of_its_name(store, load_sample):
    store.apply_schema()
    load_sample(store)
    hits = store.fulltext_search("Protein", "polymer")
    assert {h["key"] for h in hits} == {"POLR2A", "POLR1A"}
    assert [h["key"] for h in store.fulltext_search("Protein", "polymerase II")] == ["POLR2A"]
    p53 = store.fulltext_search("Protein", "TP53")
    assert [h["key"] for h in p53] == ["TP53", "TP53BP1"]  # the exact symbol outranks the prefix match
    assert p53[0]["score"] > p53[1]["score"]
    assert [h["key"] for h in store.fulltext_search("Assembly", "Cluster2-1")] == ["U2OS:Cluster2-1"]  # id field
    assert store.fulltext_search("Protein", "  --  ") == []


def test_fulltext_search_falls_back_to_contains_without_an_index(store):
    store.write_nodes("Tumour", [{"id": "ICGC_MB1"}, {"id": "ICGC_MB12"}, {"id": "OTHER"}])
    hits = store.fulltext_search("Tumour", "mb1")
    assert [h["key"] for h in hits] == ["ICGC_MB1", "ICGC_MB12"]
    assert hits[0]["score"] == pytest.approx(3 / 8) and hits[1]["score"] == pytest.approx(3 / 9)


def test_vector_search_returns_the_nearest_first(store, load_sample):
    load_sample(store)
    vectors = {"POLR2A": [1.0, 0.0, 0.0], "POLR1A": [0.9, 0.2, 0.0], "TP53": [0.0, 1.0, 0.0],
               "TP53BP1": [0.1, 0.9, 0.3]}
    store.set_vectors("Protein", "embedding", vectors)
    query = [0.95, 0.1, 0.0]
    hits = store.vector_search("Protein", "embedding", query, k=3)
    assert [h["key"] for h in hits] == ["POLR2A", "POLR1A", "TP53BP1"]

    def cosine(a, b):
        return sum(x * y for x, y in zip(a, b, strict=True)) / math.hypot(*a) / math.hypot(*b)

    for h in hits:
        assert h["score"] == pytest.approx(cosine(query, vectors[h["key"]]), abs=1e-5)
    # re-setting with another dimension rebuilds the index
    store.set_vectors("Protein", "embedding", {"TP53": [0.0, 1.0], "POLR2A": [1.0, 0.0]})
    assert [h["key"] for h in store.vector_search("Protein", "embedding", [0.1, 1.0], k=1)] == ["TP53"]


def test_set_vectors_rejects_unknown_keys_and_ragged_vectors(store, load_sample):
    load_sample(store)
    with pytest.raises(StoreError, match=r"1 of 2 keys are not Protein nodes, e.g. \['NOPE'\]"):
        store.set_vectors("Protein", "embedding", {"TP53": [1.0, 0.0], "NOPE": [0.0, 1.0]})
    assert store.query("MATCH (p:Protein) WHERE p.embedding IS NOT NULL RETURN count(p) AS n") == [{"n": 0}]
    with pytest.raises(ValueError, match="one length"):
        store.set_vectors("Protein", "embedding", {"TP53": [1.0, 0.0], "POLR2A": [1.0]})
    with pytest.raises(StoreError, match="no vector index on Protein.other"):
        store.vector_search("Protein", "other", [1.0, 0.0])


def test_bad_cypher_raises_store_error_naming_the_query(store):
    with pytest.raises(StoreError, match=r"in query: MATCH \(n:Protein RETURN n"):
        store.query("MATCH (n:Protein RETURN n")
    with pytest.raises(StoreError, match="noSuchFunction"):
        store.query("RETURN noSuchFunction(1)")


def test_apply_schema_is_idempotent_and_enforces_key_uniqueness(store, load_sample):
    store.apply_schema()
    store.apply_schema()
    load_sample(store)
    with pytest.raises(StoreError):
        store.query("CREATE (:Protein {symbol: 'TP53'})")
    assert store.query("MATCH (p:Protein {symbol: 'TP53'}) RETURN count(p) AS n") == [{"n": 1}]


def test_apply_schema_fails_on_duplicate_keys(store):
    store.query("CREATE (:Protein {symbol: 'DUP'}), (:Protein {symbol: 'DUP'})")
    with pytest.raises(StoreError):
        store.apply_schema()


def test_clear_empties_the_graph(store, load_sample):
    store.apply_schema()
    load_sample(store)
    store.clear()
    assert store.counts() == {"nodes": {}, "relationships": {}}
    load_sample(store)  # the key constraint still holds after clear
    with pytest.raises(StoreError):
        store.query("CREATE (:Protein {symbol: 'TP53'})")
