"""The store interface on both backends (``scratch_store``: an empty FalkorDB graph or the scratch Neo4j database,
see tests/conftest.py): writing, plain result values, parameters, read-only mode, timeouts, schema, search."""

from __future__ import annotations

import math

import pytest

from cellmap_kg.schema import SchemaError
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


def test_fulltext_search_of_several_labels_gives_each_labels_own_hits(store, load_sample):
    """``fulltext_search_labels`` (the search query's hook; one statement on Neo4j) = ``fulltext_search`` label by
    label, also for a label without an index (``Tumour``: CONTAINS) and a text with no term."""
    store.apply_schema()
    load_sample(store)
    store.write_nodes("Tumour", [{"id": "P53_MB1"}, {"id": "OTHER"}])
    labels = ["Assembly", "Protein", "Tumour", "GOTerm"]
    for text in ("p53", "polymerase", "Cluster1", "  --  "):
        found = store.fulltext_search_labels(labels, text, limit=2)
        assert list(found) == labels
        assert found == {label: store.fulltext_search(label, text, limit=2) for label in labels}
    found = store.fulltext_search_labels(labels, "p53", limit=2)
    assert [h["key"] for h in found["Protein"]] == ["TP53", "TP53BP1"] and found["Assembly"][0]["key"] == (
        "U2OS:Cluster2-1")
    assert [h["key"] for h in found["Tumour"]] == ["P53_MB1"] and found["GOTerm"] == []


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


def test_apply_schema_indexes_the_declared_properties(store, load_sample):
    """``indexed: [pathsToRoot]`` on Protein: a range index that each backend's planner uses for a range on it (the
    selection of multi-localized-proteins), where a label scan read every protein before."""
    store.apply_schema()
    load_sample(store)
    plan = " ".join(store.explain("MATCH (p:Protein) WHERE p.pathsToRoot >= $n RETURN p.symbol AS s", {"n": 2}))
    if store.backend == "neo4j":
        assert "NodeIndexSeekByRange" in plan and "Protein(pathsToRoot)" in plan, plan
    else:  # FalkorDB's plan names the label only; without the index it is a "Node By Label Scan"
        assert "Node By Index Scan | (p:Protein)" in plan, plan


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


# ------------------------------------------------------------------------------ generic reads and writes
def _two_maps(store, load_sample):
    """The sample, the two assemblies in maps A and B, memberships of two data sets and one CONTAINS."""
    load_sample(store)
    store.write_nodes("Assembly", [{"id": "U2OS:Cluster1-1", "map": "A"}, {"id": "U2OS:Cluster2-1", "map": "B"}])
    store.write_relationships("MEMBER_OF", [
        {"source": "POLR2A", "target": "U2OS:Cluster1-1", "dataset": "u2os", "unexpected": True},
        {"source": "POLR1A", "target": "U2OS:Cluster1-1", "dataset": "other"},
        {"source": "TP53", "target": "U2OS:Cluster2-1", "dataset": "u2os", "unexpected": False}])
    store.write_relationships("CONTAINS", [{"source": "U2OS:Cluster1-1", "target": "U2OS:Cluster2-1"}])


def test_read_nodes_selects_by_value_or_list_and_gives_labels(store, load_sample):
    load_sample(store)
    rows = store.read_nodes("Protein", ("symbol", "entrezId"), {"symbol": ["TP53", "POLR1A", "NOT_A_GENE"]})
    assert sorted(rows, key=lambda r: r["symbol"]) == [{"symbol": "POLR1A", "entrezId": None},
                                                       {"symbol": "TP53", "entrezId": 7157}]
    assert store.read_nodes("Protein", ("name",), {"symbol": "TP53"}) == [{"name": "tumor protein p53"}]
    assert store.read_nodes("Protein", ("symbol",), {"symbol": None}) == []
    labelled = store.read_nodes("Protein", ("symbol",), {"symbol": {"TP53"}}, with_labels=True)
    assert [sorted(r["labels"]) for r in labelled] == [["Bait", "Protein"]]
    with pytest.raises(SchemaError, match="pubmedCnt"):
        store.read_nodes("Protein", ("pubmedCnt",))
    with pytest.raises(SchemaError, match="Protien"):
        store.read_nodes("Protien", ("symbol",))


def test_read_relationships_gives_end_keys_and_properties(store, load_sample):
    _two_maps(store, load_sample)
    rows = store.read_relationships("MEMBER_OF", ("dataset",), target_where={"map": "A"})
    assert sorted(rows, key=lambda r: r["source"]) == [
        {"source": "POLR1A", "target": "U2OS:Cluster1-1", "dataset": "other"},
        {"source": "POLR2A", "target": "U2OS:Cluster1-1", "dataset": "u2os"}]
    assert store.read_relationships("MEMBER_OF", where={"dataset": "u2os"}, source_where={"symbol": ["TP53"]}) == [
        {"source": "TP53", "target": "U2OS:Cluster2-1"}]
    assert store.read_relationships("CONTAINS", source_where={"map": ["A", "B"]}) == [
        {"source": "U2OS:Cluster1-1", "target": "U2OS:Cluster2-1"}]
    with pytest.raises(SchemaError, match="several target labels"):
        store.read_relationships("ENRICHED_FOR")


def test_delete_relationships_and_clear_properties_touch_only_the_selection(store, load_sample):
    _two_maps(store, load_sample)
    assert store.clear_properties("MEMBER_OF", ("unexpected",), target_where={"map": "A"}) == 1
    flags = store.read_relationships("MEMBER_OF", ("unexpected",))
    assert sorted(r["unexpected"] is None for r in flags) == [False, True, True]
    assert store.delete_relationships("MEMBER_OF", {"dataset": "u2os"}, target_where={"map": ["A"]}) == 1
    assert sorted(r["source"] for r in store.read_relationships("MEMBER_OF")) == ["POLR1A", "TP53"]
    assert store.delete_relationships("MEMBER_OF", {"dataset": "nothing"}) == 0
    assert store.clear_properties("Assembly", ("size", "name"), {"map": "B"}) == 1
    assert sorted((r["map"], r["size"]) for r in store.read_nodes("Assembly", ("map", "size"))) == [("A", 2),
                                                                                                  ("B", None)]
    with pytest.raises(SchemaError):
        store.clear_properties("Assembly", ("size",), source_where={"map": "A"})


def test_delete_nodes_deletes_each_selection_with_its_relationships_in_one_statement(store, load_sample):
    _two_maps(store, load_sample)
    store.write_nodes("Dataset", [{"id": "user-map:A", "name": "A"}])
    assert store.delete_nodes({"Dataset": {"id": "user-map:A"}, "Assembly": {"map": "A"}}) == {"Dataset": 1,
                                                                                               "Assembly": 1}
    assert store.counts() == {"nodes": {"Protein": 4, "Assembly": 1, "Bait": 1}, "relationships": {"MEMBER_OF": 1}}
    assert store.delete_nodes({"Dataset": {"id": None}, "Assembly": {"map": "nothing"}}) == {"Dataset": 0,
                                                                                             "Assembly": 0}


def test_rename_map_renames_a_staged_map_unless_the_name_exists(store):
    store.write_nodes("Assembly", [{"id": ".staging.M:C1", "map": ".staging.M"},
                                   {"id": ".staging.M:C2", "map": ".staging.M"}])
    assert store.rename_map(".staging.M", "M", {"id": "user-map:M", "name": "map M"}) == 2
    assert sorted(r["id"] for r in store.read_nodes("Assembly", ("id",), {"map": "M"})) == ["M:C1", "M:C2"]
    assert store.read_nodes("Dataset", ("name",), {"id": "user-map:M"}) == [{"name": "map M"}]
    store.write_nodes("Assembly", [{"id": ".staging.M:C3", "map": ".staging.M"}])
    assert store.rename_map(".staging.M", "M", {"id": "user-map:M", "name": "again"}) == 0
    assert store.read_nodes("Assembly", ("id",), {"map": ".staging.M"}) == [{"id": ".staging.M:C3"}]


def test_write_graph_writes_every_batch_then_leaves_the_schema_applied(store):
    """``write_graph`` on an empty graph (what a build's staging graph is): the rows of every batch, a key that
    stays unique, and the full-text index answering (Neo4j creates it after the rows, FalkorDB with its bulk load).
    """
    from cellmap_kg.loaders.base import NodeBatch, RelationshipBatch

    written = store.write_graph(
        [NodeBatch("Protein", [{"symbol": "TP53", "name": "cellular tumor antigen p53"}, {"symbol": "MDM2"}]),
         NodeBatch("Protein", [{"symbol": "TP53"}], ("Bait",)),
         NodeBatch("Assembly", [{"id": "M:C1", "name": "p53 module", "size": 2}])],
        [RelationshipBatch("MEMBER_OF", [{"source": "TP53", "target": "M:C1", "dataset": "d1"},
                                         {"source": "NOPE", "target": "M:C1", "dataset": "d1"}])])
    assert written == [1]  # NOPE is not a node
    assert store.counts() == {"nodes": {"Protein": 2, "Assembly": 1, "Bait": 1}, "relationships": {"MEMBER_OF": 1}}
    assert [r["key"] for r in store.fulltext_search("Protein", "antigen")] == ["TP53"]
    assert [r["key"] for r in store.fulltext_search("Assembly", "module")] == ["M:C1"]
    with pytest.raises(StoreError):  # the key's unique constraint is in place
        store.query("CREATE (:Protein {symbol: 'MDM2'})")
