"""FalkorDBStore on a real embedded FalkorDB server (session fixture in conftest.py)."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from cellmap_kg.store.base import StoreError
from cellmap_kg.store.falkordb_store import FalkorDBStore, parse_falkordb_uri


def test_parse_uri():
    assert parse_falkordb_uri("falkordb:///data/kg") == (parse_falkordb_uri("falkordb:///data/kg?graph=cellmap")[0],
                                                         "cellmap")
    assert parse_falkordb_uri("falkordb:///data/kg?graph=other")[1] == "other"
    for bad in ("falkordb://host/data", "falkordb:relative/dir", "bolt:///data"):
        with pytest.raises(StoreError):
            parse_falkordb_uri(bad)


def test_bad_cypher_raises_store_error_with_the_message(store):
    with pytest.raises(StoreError, match=r"Invalid input.*\n.*in query: MATCH \(n:Protein RETURN n"):
        store.query("MATCH (n:Protein RETURN n")
    with pytest.raises(StoreError, match="Unknown function 'noSuchFunction'"):
        store.query("RETURN noSuchFunction(1)")
    with pytest.raises(StoreError, match="not a finite number"):
        store.query("RETURN $x", {"x": math.nan})


def test_read_only_query_on_missing_graph_names_the_graph(store):
    with pytest.raises(StoreError, match=f"graph '{store.graph}' does not exist"):
        store.query("MATCH (n) RETURN count(n) AS n", read_only=True)


def test_apply_schema_indexes_keys_and_enforces_uniqueness(store, load_sample):
    store.apply_schema()
    store.apply_schema()  # idempotent
    indexes = store.indexes()
    for node in store.schema.nodes.values():
        assert "RANGE" in indexes[(node.label, node.key)]
    assert "FULLTEXT" in indexes[("Protein", "name")] and "FULLTEXT" in indexes[("Assembly", "id")]
    constraints = store.constraints()
    assert {c["label"] for c in constraints} == set(store.schema.nodes)
    assert {c["status"] for c in constraints} == {"OPERATIONAL"}
    load_sample(store)
    with pytest.raises(StoreError, match="unique constraint violation"):
        store.query("CREATE (:Protein {symbol: 'TP53'})")
    assert any("Index Scan" in line for line in store.explain("MATCH (p:Protein {symbol: $s}) RETURN p", {"s": "x"}))


def test_apply_schema_fails_on_duplicate_keys(store):
    store.query("CREATE (:Protein {symbol: 'DUP'}), (:Protein {symbol: 'DUP'})")
    with pytest.raises(StoreError, match=r"uniqueness.*Protein\['symbol'\]"):
        store.apply_schema()


def test_clear_empties_the_graph_but_keeps_indexes(store, load_sample):
    store.apply_schema()
    load_sample(store)
    store.clear()
    assert store.counts() == {"nodes": {}, "relationships": {}}
    assert "RANGE" in store.indexes()[("Protein", "symbol")]


def test_staging_leaves_live_graph_until_promote(store, falkordb_dir):
    store.apply_schema()
    store.write_nodes("Assembly", [{"id": "U2OS:Cluster1-1", "size": 2}])  # live: label ids Assembly=0, Protein=1
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


def test_indexes_created_after_loading_are_ready_when_apply_schema_returns(store):
    store.query("UNWIND range(0, 39999) AS i "
                "CREATE (:Protein {symbol: 'GENE' + toString(i), name: 'gene number ' + toString(i)})")
    store.apply_schema()  # FalkorDB builds the full-text index in the background; apply_schema waits for it
    assert store.fulltext_search("Protein", "GENE39999")[0]["key"] == "GENE39999"  # the last node indexed
    assert all(r["status"] == "OPERATIONAL" for r in store._index_rows())


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

