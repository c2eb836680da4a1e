"""FalkorDBStore on a real embedded FalkorDB server (session fixture in conftest.py)."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from cellmap_kg.store.base import QueryTimeout, StoreError
from cellmap_kg.store.falkordb_store import FalkorDBStore, parse_falkordb_uri

PROTEINS = [
    {"symbol": "POLR2A", "name": "RNA polymerase II subunit A", "uniprot": ["P24928"], "entrezId": 5430,
     "hekRnaTpm": 81.5},
    {"symbol": "POLR1A", "name": "RNA polymerase I subunit A", "uniprot": ["O95602", "Q9H0A1"]},
    {"symbol": "TP53", "name": "tumor protein p53", "entrezId": 7157},
    {"symbol": "TP53BP1", "name": "tumor protein p53 binding protein 1"},
]
ASSEMBLIES = [{"id": "U2OS:Cluster1-1", "name": "RNA polymerase", "size": 2},
              {"id": "U2OS:Cluster2-1", "name": "p53 signalling", "size": 1}]


def _load(store: FalkorDBStore) -> None:
    store.write_nodes("Protein", PROTEINS)
    store.write_nodes("Protein", [{"symbol": "TP53"}], extra_labels=["Bait"])
    store.write_nodes("Assembly", ASSEMBLIES)


def test_parse_uri():
    assert parse_falkordb_uri("falkordb:///data/kg") == (parse_falkordb_uri("falkordb:///data/kg?graph=cellmap")[0],
                                                         "cellmap")
    assert parse_falkordb_uri("falkordb:///data/kg?graph=other")[1] == "other"
    for bad in ("falkordb://host/data", "falkordb:relative/dir", "bolt:///data"):
        with pytest.raises(StoreError):
            parse_falkordb_uri(bad)


def test_writes_nodes_relationships_extra_labels_and_lists(store):
    _load(store)
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


def test_results_are_plain_values(store):
    _load(store)
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


def test_bad_cypher_raises_store_error_with_the_message(store):
    with pytest.raises(StoreError, match=r"Invalid input.*\n.*in query: MATCH \(n:Protein RETURN n"):
        store.query("MATCH (n:Protein RETURN n")
    with pytest.raises(StoreError, match="Unknown function 'noSuchFunction'"):
        store.query("RETURN noSuchFunction(1)")
    with pytest.raises(StoreError, match="not a finite number"):
        store.query("RETURN $x", {"x": math.nan})


def test_read_only_refuses_writes(store):
    _load(store)
    with pytest.raises(StoreError, match="read-only query attempted to write"):
        store.query("CREATE (:Protein {symbol: 'NEW'})", read_only=True)
    assert store.query("MATCH (p:Protein {symbol: 'NEW'}) RETURN count(p) AS n", read_only=True) == [{"n": 0}]


def test_read_only_query_on_missing_graph_names_the_graph(store):
    with pytest.raises(StoreError, match=f"graph '{store.graph}' does not exist"):
        store.query("MATCH (n) RETURN count(n) AS n", read_only=True)


def test_timeout_raises_query_timeout(store):
    store.write_nodes("Protein", [{"symbol": "A"}])
    slow = "UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y RETURN count(*) AS n"
    with pytest.raises(QueryTimeout):
        store.query(slow, timeout_ms=20, read_only=True)
    assert store.query("UNWIND range(1, 10) AS x RETURN sum(x) AS s", timeout_ms=5000) == [{"s": 55}]


def test_apply_schema_indexes_keys_and_enforces_uniqueness(store):
    store.apply_schema()
    store.apply_schema()  # idempotent
    indexes = store.indexes()
    for node in store.schema.nodes.values():
        assert "RANGE" in indexes[(node.label, node.key)]
    assert "FULLTEXT" in indexes[("Protein", "name")] and "FULLTEXT" in indexes[("Assembly", "id")]
    constraints = store.constraints()
    assert {c["label"] for c in constraints} == set(store.schema.nodes)
    assert {c["status"] for c in constraints} == {"OPERATIONAL"}
    _load(store)
    with pytest.raises(StoreError, match="unique constraint violation"):
        store.query("CREATE (:Protein {symbol: 'TP53'})")
    assert any("Index Scan" in line for line in store.explain("MATCH (p:Protein {symbol: $s}) RETURN p", {"s": "x"}))


def test_apply_schema_fails_on_duplicate_keys(store):
    store.query("CREATE (:Protein {symbol: 'DUP'}), (:Protein {symbol: 'DUP'})")
    with pytest.raises(StoreError, match=r"uniqueness.*Protein\['symbol'\]"):
        store.apply_schema()


def test_clear_empties_the_graph_but_keeps_indexes(store):
    store.apply_schema()
    _load(store)
    store.clear()
    assert store.counts() == {"nodes": {}, "relationships": {}}
    assert "RANGE" in store.indexes()[("Protein", "symbol")]


def test_staging_leaves_live_graph_until_promote(store, falkordb_dir):
    store.apply_schema()
    store.write_nodes("Assembly", ASSEMBLIES)  # live: label ids Assembly=0, Protein=1
    store.write_nodes("Protein", [{"symbol": "OLD1"}])
    reader = FalkorDBStore(falkordb_dir, store.graph)  # another client whose label/property names get cached
    assert reader.query("MATCH (n:Protein) RETURN n")[0]["n"] == {"symbol": "OLD1", "_labels": ["Protein"]}

    staging = store.staging()
    assert staging.graph == store.graph + "__staging"
    staging.apply_schema()
    staging.write_nodes("Protein", [{"symbol": "NEW1", "name": "new protein"}])  # staging: Protein=0
    staging.write_nodes("Assembly", [{"id": "A:new", "size": 1}])
    assert store.query("MATCH (p:Protein) RETURN p.symbol AS s") == [{"s": "OLD1"}]

    store.promote(staging)
    assert store.query("MATCH (p:Protein) RETURN p.symbol AS s") == [{"s": "NEW1"}]
    assert store.counts() == {"nodes": {"Protein": 1, "Assembly": 1}, "relationships": {}}
    # the reader's cached names belong to the old graph; the version check makes it refresh them
    rows = reader.query("MATCH (n) RETURN n ORDER BY n.symbol")
    assert sorted(tuple(r["n"]["_labels"]) for r in rows) == [("Assembly",), ("Protein",)]
    assert {"symbol": "NEW1", "name": "new protein", "_labels": ["Protein"]} in [r["n"] for r in rows]
    assert not staging._exists()
    assert "RANGE" in store.indexes()[("Protein", "symbol")]  # the staging graph's indexes came along
    assert store.fulltext_search("Protein", "new") == [{"key": "NEW1", "score": pytest.approx(2.0)}]
    reader.close()


def test_promote_refuses_missing_or_foreign_staging(store, tmp_path):
    staging = store.staging()
    with pytest.raises(StoreError, match="does not exist"):
        store.promote(staging)
    with pytest.raises(StoreError, match="onto itself"):
        store.promote(store)
    foreign = FalkorDBStore(tmp_path, store.graph + "__staging", _conn=store._conn)  # another store directory
    with pytest.raises(StoreError, match="not a graph of the same server"):
        store.promote(foreign)


def test_fulltext_search_finds_a_protein_by_part_of_its_name(store):
    store.apply_schema()
    _load(store)
    hits = store.fulltext_search("Protein", "polymer")
    assert {h["key"] for h in hits} == {"POLR2A", "POLR1A"}
    assert [h["key"] for h in store.fulltext_search("Protein", "polymerase II")] == ["POLR2A"]
    p53 = store.fulltext_search("Protein", "TP53")
    assert [h["key"] for h in p53] == ["TP53", "TP53BP1"]  # the exact symbol outranks the prefix match
    assert p53[0]["score"] > p53[1]["score"]
    assert [h["key"] for h in store.fulltext_search("Assembly", "Cluster2-1")] == ["U2OS:Cluster2-1"]  # id field
    assert store.fulltext_search("Protein", "  --  ") == []


def test_indexes_created_after_loading_are_ready_when_apply_schema_returns(store):
    store.query("UNWIND range(0, 39999) AS i "
                "CREATE (:Protein {symbol: 'GENE' + toString(i), name: 'gene number ' + toString(i)})")
    store.apply_schema()  # FalkorDB builds the full-text index in the background; apply_schema waits for it
    assert store.fulltext_search("Protein", "GENE39999")[0]["key"] == "GENE39999"  # the last node indexed
    assert all(r["status"] == "OPERATIONAL" for r in store._index_rows())


def test_fulltext_search_falls_back_to_contains_without_an_index(store):
    store.write_nodes("Tumour", [{"id": "ICGC_MB1"}, {"id": "ICGC_MB12"}, {"id": "OTHER"}])
    hits = store.fulltext_search("Tumour", "mb1")
    assert [h["key"] for h in hits] == ["ICGC_MB1", "ICGC_MB12"]
    assert hits[0]["score"] == pytest.approx(3 / 8) and hits[1]["score"] == pytest.approx(3 / 9)


def test_vector_search_returns_the_nearest_first(store):
    _load(store)
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


def test_set_vectors_rejects_unknown_keys_and_ragged_vectors(store):
    _load(store)
    with pytest.raises(StoreError, match=r"1 of 2 keys are not Protein nodes, e.g. \['NOPE'\]"):
        store.set_vectors("Protein", "embedding", {"TP53": [1.0, 0.0], "NOPE": [0.0, 1.0]})
    assert store.query("MATCH (p:Protein) WHERE p.embedding IS NOT NULL RETURN count(p) AS n") == [{"n": 0}]
    with pytest.raises(ValueError, match="one length"):
        store.set_vectors("Protein", "embedding", {"TP53": [1.0, 0.0], "POLR2A": [1.0]})
    with pytest.raises(StoreError, match="no vector index on Protein.other"):
        store.vector_search("Protein", "other", [1.0, 0.0])


def test_concurrent_queries_from_eight_threads(store, falkordb_dir):
    store.apply_schema()
    store.write_nodes("Protein", [{"symbol": f"G{i}", "entrezId": i} for i in range(2000)])
    reader = FalkorDBStore(falkordb_dir, store.graph)  # cold name cache: the threads race to fill it

    def ask(i: int) -> tuple[int, list[dict]]:
        return i, reader.query("MATCH (p:Protein {symbol: $s}) RETURN p.entrezId AS e, p AS p",
                              {"s": f"G{i}"}, read_only=True)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ask, range(0, 2000, 5)))
    assert len(results) == 400
    for i, rows in results:
        assert rows == [{"e": i, "p": {"symbol": f"G{i}", "entrezId": i, "_labels": ["Protein"]}}]
    assert reader._conn.connection_pool._created_connections > 1  # the threads really ran side by side
    reader.close()


def test_explain_lists_the_plan(store):
    store.write_nodes("Protein", [{"symbol": "A"}])
    plan = store.explain("MATCH (p:Protein) RETURN p.symbol")
    assert plan[0] == "Results" and any("Node By Label Scan" in line for line in plan)
    with pytest.raises(StoreError, match="Invalid input"):
        store.explain("MATCH (p:Protein RETURN p")
