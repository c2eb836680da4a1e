"""Neo4jStore specifics on the project's own Neo4j 5 scratch server (tests/conftest.py), plus the connection error
without a server. What both backends share is tested in test_store.py."""

from __future__ import annotations

import math

import pytest

from cellmap_kg.store import open_store
from cellmap_kg.store.base import QueryTimeout, StoreError


def test_unreachable_server_raises_store_error():
    with pytest.raises(StoreError, match="cannot connect to Neo4j at bolt://127.0.0.1:1"):
        open_store("bolt://127.0.0.1:1")


@pytest.fixture
def neo4j_store(neo4j_scratch_server):
    store = open_store(neo4j_scratch_server.uri)
    store._reset()
    yield store
    store._reset()
    store.close()


@pytest.mark.neo4j
def test_write_query_and_counts(neo4j_store):
    store = neo4j_store
    store.apply_schema()
    store.write_nodes("Protein", [{"symbol": "TP53", "name": "tumor protein p53", "uniprot": ["P04637"]},
                                  {"symbol": "POLR2A", "name": "RNA polymerase II subunit A"}], extra_labels=["Bait"])
    store.write_nodes("Assembly", [{"id": "A:1", "size": 2}])
    assert store.write_relationships("MEMBER_OF", [{"source": "TP53", "target": "A:1", "dataset": "x"},
                                                   {"source": "NOPE", "target": "A:1", "dataset": "x"}]) == 1
    row = store.query("MATCH p = (a:Protein {symbol: 'TP53'})-[r]->(b) RETURN a, r, p", read_only=True)[0]
    assert row["a"] == {"symbol": "TP53", "name": "tumor protein p53", "uniprot": ["P04637"],
                        "_labels": ["Protein", "Bait"]}
    assert row["r"] == {"dataset": "x", "_type": "MEMBER_OF"}
    assert len(row["p"]["nodes"]) == 2
    assert store.counts() == {"nodes": {"Protein": 2, "Assembly": 1, "Bait": 2}, "relationships": {"MEMBER_OF": 1}}
    with pytest.raises(StoreError, match="ConstraintValidationFailed"):
        store.query("CREATE (:Protein {symbol: 'TP53'})")


@pytest.mark.neo4j
def test_errors_read_only_and_timeout(neo4j_store):
    with pytest.raises(StoreError, match="SyntaxError"):
        neo4j_store.query("MATCH (n:Protein RETURN n")
    with pytest.raises(StoreError, match="read-only query attempted to write"):
        neo4j_store.query("CREATE (:Protein {symbol: 'X'})", read_only=True)
    with pytest.raises(QueryTimeout):
        neo4j_store.query("UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*) AS n",
                          timeout_ms=50, read_only=True)
    assert neo4j_store.explain("MATCH (p:Protein {symbol: $s}) RETURN p", {"s": "x"})[0].startswith("ProduceResults")


@pytest.mark.neo4j
def test_read_queries_are_fetched_as_one_collected_record(neo4j_store):
    store = neo4j_store
    store.write_nodes("Protein", [{"symbol": f"P{i:04d}", "pubmedCount": i} for i in range(1200)])
    ordered = ("MATCH (p:Protein) WHERE p.pubmedCount >= $min RETURN p.symbol AS `the symbol`, p "
               "ORDER BY p.pubmedCount DESC")
    rows = store.query(ordered, {"min": 10}, read_only=True)
    assert store._columns[ordered] == ("the symbol", "p")  # from EXPLAIN: the rows came as one collected record
    assert [row["the symbol"] for row in rows[:2]] == ["P1199", "P1198"] and len(rows) == 1190
    assert rows[0]["p"] == {"symbol": "P1199", "pubmedCount": 1199, "_labels": ["Protein"]}
    assert store.query(ordered, {"min": 10}) == rows  # a write transaction streams records: the same rows
    assert store.query(ordered, {"min": 5000}, read_only=True) == []

    unaliased = "MATCH (p:Protein) RETURN count(*)"  # not a valid subquery: run as it is
    assert [store.query(unaliased, read_only=True) for _ in range(3)] == [[{"count(*)": 1200}]] * 3
    assert store._columns[unaliased] == ()

    divide = "RETURN 10 / $d AS q"  # a runtime error in the collected form is the query's own error
    assert store.query(divide, {"d": 2}, read_only=True) == [{"q": 5}]
    with pytest.raises(StoreError, match="ArithmeticError"):
        store.query(divide, {"d": 0}, read_only=True)
    assert store._columns[divide] == ("q",)


@pytest.mark.neo4j
def test_an_answer_over_the_servers_memory_cap_is_streamed(neo4j_server_factory, monkeypatch):
    from cellmap_kg.store.neo4j_server import Neo4jServer
    from cellmap_kg.store.neo4j_store import Neo4jStore

    server = neo4j_server_factory("memory-cap")
    server.stop()
    configure = Neo4jServer.configure

    def capped(self):  # a cap per transaction (Community has no setConfigValue): restart with it in neo4j.conf
        configure(self)
        with self.conf_file.open("a", encoding="utf-8") as conf:
            conf.write("db.memory.transaction.max=8m\n")

    monkeypatch.setattr(Neo4jServer, "configure", capped)
    server.start(echo=lambda *_: None)
    with Neo4jStore(server.uri, password=server.password) as store:
        assert store._run("SHOW SETTINGS YIELD name, value WHERE name = 'db.memory.transaction.max' "
                          "RETURN value")[0]["value"] == "8.00MiB"
        for start in range(0, 20_000, 500):  # small writes: the cap holds for their transactions too
            store.query("UNWIND range($start, $start + 499) AS i CREATE (:Protein {symbol: 'P' + toString(i), "
                        "name: $padding})", {"start": start, "padding": "x" * 1000})
        large = "MATCH (p:Protein) RETURN p.symbol AS symbol, p.name AS padding"
        rows = store.query(large, read_only=True)  # collected: 20 MB of names alone, over the cap
        assert len(rows) == 20_000 and {len(row["padding"]) for row in rows} == {1000}
        assert store._columns[large] == ()  # streamed (after the collected form ran out of memory), from now on
        small = "MATCH (p:Protein) WHERE p.symbol = $symbol RETURN p.symbol AS symbol"
        assert store.query(small, {"symbol": "P42"}, read_only=True) == [{"symbol": "P42"}]
        assert store._columns[small] == ("symbol",)


@pytest.mark.neo4j
def test_fulltext_and_vector_search(neo4j_store):
    store = neo4j_store
    store.apply_schema()
    store.write_nodes("Protein", [{"symbol": "POLR2A", "name": "RNA polymerase II subunit A"},
                                  {"symbol": "TP53", "name": "tumor protein p53"}])
    assert [h["key"] for h in store.fulltext_search("Protein", "polymer")] == ["POLR2A"]
    store.set_vectors("Protein", "embedding", {"POLR2A": [1.0, 0.0], "TP53": [0.0, 1.0]})
    hits = store.vector_search("Protein", "embedding", [1.0, 0.2], k=2)
    assert [h["key"] for h in hits] == ["POLR2A", "TP53"]
    assert hits[0]["score"] == pytest.approx(1.0 / math.hypot(1.0, 0.2), abs=1e-4)


@pytest.mark.neo4j
def test_staging_and_promote(neo4j_store):
    store = neo4j_store
    store.write_nodes("Protein", [{"symbol": "OLD"}])
    staging = store.staging()
    staging.apply_schema()
    staging.write_nodes("Protein", [{"symbol": "NEW"}])
    store.promote(staging)
    assert store.query("MATCH (p:Protein) RETURN p.symbol AS s", read_only=True) == [{"s": "NEW"}]


@pytest.mark.neo4j
def test_a_long_list_parameter_is_sent_whole_and_logged_by_its_length(neo4j_store, caplog):
    """``LOGGED_LIST_ITEMS``: a list parameter longer than it reaches the server item for item (nested maps,
    lists, every scalar type), read and write, and the driver's debug log names its length, not its items."""
    from cellmap_kg.store.neo4j_store import LOGGED_LIST_ITEMS

    rows = [{"i": i, "name": f"p{i}", "score": i / 4, "ok": i % 2 == 0, "props": {"ids": [i, f"x{i}"]}}
            for i in range(LOGGED_LIST_ITEMS + 1)]
    statement = ("UNWIND $rows AS row RETURN count(*) AS n, sum(row.i) AS total, collect(row.name)[-1] AS last, "
                 "sum(row.score) AS scores, size([r IN collect(row) WHERE r.ok]) AS even, "
                 "collect(row.props.ids)[3] AS ids, $small AS small")
    expected = {"n": 101, "total": 5050, "last": "p100", "scores": 1262.5, "even": 51, "ids": [3, "x3"],
                "small": [1, 2]}
    with caplog.at_level("DEBUG", logger="neo4j"):
        assert store_rows(neo4j_store, statement, rows) == [expected]
    run_lines = [r.getMessage() for r in caplog.records if "C: RUN" in r.getMessage()]
    assert run_lines and all("p57" not in line for line in run_lines)
    assert any(f"<list of {LOGGED_LIST_ITEMS + 1} items>" in line for line in run_lines)
    assert any("[1, 2]" in line for line in run_lines)  # a short list is logged as it is


def store_rows(store, statement: str, rows: list[dict]) -> list[dict]:
    read = store.query(statement, {"rows": rows, "small": [1, 2]}, read_only=True)
    written = store.query(f"CREATE (n:Protein {{symbol: 'X'}}) WITH n {statement}", {"rows": rows, "small": [1, 2]})
    assert read == written
    return read
