"""``POST /cypher``: off by default; reads run with a row limit and a timeout; writes of every kind are refused
before they run (plan check) and, if they got past it, by the backend's read-only mode."""

from __future__ import annotations

import time

import pytest

from cellmap_kg.api import cypher_guard

WRITES = {
    "CREATE": "CREATE (n:Protein {symbol: 'ZZ_CREATED'}) RETURN n",
    "MERGE": "MERGE (n:Protein {symbol: 'ZZ_MERGED'}) RETURN n.symbol AS s",
    "SET": "MATCH (p:Protein {symbol: 'DPP9'}) SET p.name = 'overwritten' RETURN p.name AS n",
    "DELETE": "MATCH (p:Protein {symbol: 'DPP9'})-[r:MEMBER_OF]->() DELETE r",
    "DETACH DELETE": "MATCH (p:Protein {symbol: 'DPP9'}) DETACH DELETE p",
    "REMOVE": "MATCH (p:Protein {symbol: 'DPP9'}) REMOVE p.name RETURN p.symbol AS s",
    "REMOVE label": "MATCH (p:Protein {symbol: 'DPP9'}) REMOVE p:Bait RETURN p.symbol AS s",
    "FOREACH": "MATCH (p:Protein {symbol: 'DPP9'}) FOREACH (x IN [1] | SET p.name = 'x')",
    "LOAD CSV": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL writing procedure": "CALL db.idx.fulltext.createNodeIndex('Protein', 'chromosome')",
    "CALL quoted procedure": "CALL `db.idx.fulltext.drop`('Protein')",
    "write in a subquery": "MATCH (p:Protein {symbol: 'DPP9'}) CALL { CREATE (:Protein {symbol: 'ZZ_SUB'}) } "
                           "RETURN p.symbol AS s",
    "write after a comment": "// a harmless read\nMATCH (p:Protein {symbol: 'DPP9'}) /* RETURN 1 */ SET p.x = 1",
    "CREATE INDEX": "CREATE INDEX FOR (n:Protein) ON (n.chromosome)",
    "second statement": "MATCH (p:Protein) RETURN count(p) AS n; MATCH (n) DETACH DELETE n",
    "CALL {} IN TRANSACTIONS": "MATCH (p:Protein {symbol: 'DPP9'}) CALL { WITH p SET p.name = 'x' } "
                               "IN TRANSACTIONS RETURN p.symbol AS s",
    "CALL db.createLabel": "CALL db.createLabel('ZZ_LABEL')",
    "CALL dbms.setConfigValue": "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL db.index.fulltext.drop": "CALL db.index.fulltext.drop('protein_fulltext')",
    "CREATE CONSTRAINT": "CREATE CONSTRAINT zz_name FOR (n:Protein) REQUIRE n.name IS UNIQUE",
    "DROP INDEX (FalkorDB form)": "DROP INDEX ON :Protein(symbol)",
    "DROP INDEX (Neo4j form)": "DROP INDEX zz_index IF EXISTS",
    "CREATE USER": "CREATE USER zz SET PASSWORD 'secret-password'",
    "CREATE DATABASE": "CREATE DATABASE zz",
    "SHOW USERS": "SHOW USERS",
    "SHOW TRANSACTIONS": "SHOW TRANSACTIONS",
    "TERMINATE TRANSACTIONS": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "write after comment markers in a string": "WITH '/* ; // */' AS s MATCH (p:Protein {symbol: 'DPP9'}) "
                                               "SET p.name = s RETURN p.name AS n",
    "write to a backquoted keyword": "MATCH (p:Protein {symbol: 'DPP9'}) SET p.`RETURN` = 1 RETURN p.symbol AS s",
    "write in a UNION branch": "RETURN 'a' AS s UNION MATCH (p:Protein {symbol: 'DPP9'}) SET p.name = 'x' "
                               "RETURN p.name AS s",
    "SET from parameters": ("MATCH (p:Protein {symbol: $s}) SET p += $props RETURN p.symbol AS s",
                            {"s": "DPP9", "props": {"name": "overwritten", "x": 1}}),
    "CREATE from parameters": ("CREATE (n:Protein {symbol: $s}) RETURN n.symbol AS s", {"s": "ZZ_PARAM"}),
    "CREATE from a parameter map": ("CREATE (n:Protein $props) RETURN n.symbol AS s",
                                    {"props": {"symbol": "ZZ_PARAM"}}),
}
"""Every kind of write ``/cypher`` must refuse: a query, or ``(query, parameters)``."""

UNPLANNABLE = {"second statement", "CALL {} IN TRANSACTIONS", "CREATE CONSTRAINT", "DROP INDEX (FalkorDB form)",
               "DROP INDEX (Neo4j form)", "CREATE USER", "CREATE DATABASE", "SHOW USERS", "TERMINATE TRANSACTIONS",
               "SHOW TRANSACTIONS",
               "write in a UNION branch", "CREATE from a parameter map"}
"""Kinds that one backend cannot even plan (other dialect, administration commands outside the system database):
refused there as ``invalid_cypher`` (400) instead of ``write_rejected`` (403)."""


def untouched(store) -> tuple:
    dpp9 = store.query("MATCH (p:Protein {symbol: 'DPP9'}) OPTIONAL MATCH (p)-[r:MEMBER_OF]->() "
                       "RETURN p.name AS name, labels(p) AS labels, count(r) AS memberships, p.x AS x")
    created = store.query("MATCH (p:Protein) WHERE p.symbol STARTS WITH 'ZZ_' RETURN count(p) AS n")[0]["n"]
    return dpp9[0]["name"], sorted(dpp9[0]["labels"]), dpp9[0]["memberships"], dpp9[0]["x"], created


def test_cypher_is_disabled_by_default(client, error_of):
    error = error_of(client.post("/cypher", json={"query": "RETURN 1 AS x"}))
    assert (error["status"], error["code"]) == (403, "cypher_disabled")


def test_a_read_returns_columns_and_rows(cypher_client):
    body = cypher_client.post("/cypher", json={
        "query": "MATCH (p:Protein {symbol: $s})-[:MEMBER_OF]->(a:Assembly) WHERE a.size = 4 "
                 "RETURN p.symbol AS symbol, a.id AS assembly", "parameters": {"s": "DPP9"}}).json()
    assert body["columns"] == ["symbol", "assembly"]
    assert body["rows"] == [{"symbol": "DPP9", "assembly": "U2OS-2023-05:Cluster2-77"}]
    assert body["truncated"] is False


@pytest.mark.parametrize("query", [
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (p:Protein) WHERE p.name CONTAINS 'CREATE' RETURN count(p) AS n",
    "RETURN 'MERGE (n) SET n.x = 1; DELETE n' AS text // LOAD CSV",
    "MATCH (p:Protein {symbol: 'DPP9'}) RETURN p.symbol AS s;",
])
def test_reads_that_look_like_writes_are_accepted(cypher_client, query):
    response = cypher_client.post("/cypher", json={"query": query})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("kind", list(WRITES))
def test_writes_of_every_kind_are_rejected_and_change_nothing(cypher_client, graph_store, error_of, kind):
    query, parameters = WRITES[kind] if isinstance(WRITES[kind], tuple) else (WRITES[kind], {})
    before, counts = untouched(graph_store), graph_store.counts()
    error = error_of(cypher_client.post("/cypher", json={"query": query, "parameters": parameters}))
    assert (error["status"], error["code"]) in ((403, "write_rejected"), (400, "invalid_cypher")), error
    if kind not in UNPLANNABLE:
        assert error["code"] == "write_rejected", error
    assert untouched(graph_store) == before
    assert graph_store.counts() == counts


def test_the_read_only_execution_refuses_a_write_that_passed_the_plan_check(cypher_client, graph_store, error_of,
                                                                            monkeypatch):
    monkeypatch.setattr("cellmap_kg.api.routes.cypher.check_read_only", lambda store, cypher, params=None: cypher)
    before = untouched(graph_store)
    for kind in ("SET", "MERGE", "SET from parameters", "CREATE from parameters"):
        query, parameters = WRITES[kind] if isinstance(WRITES[kind], tuple) else (WRITES[kind], {})
        error = error_of(cypher_client.post("/cypher", json={"query": query, "parameters": parameters}))
        assert (error["status"], error["code"]) == (403, "write_rejected"), (kind, error)
    assert untouched(graph_store) == before


def test_rows_beyond_the_limit_are_cut_and_flagged(cypher_client):
    body = cypher_client.post("/cypher", json={"query": "MATCH (p:Protein) RETURN p.symbol AS s"}).json()
    assert len(body["rows"]) == body["rowLimit"] == 50 and body["truncated"] is True


def test_a_slow_query_times_out_with_504(cypher_client, error_of):
    start = time.monotonic()
    response = cypher_client.post("/cypher", json={
        "query": "MATCH (a:Protein), (b:Protein) WHERE a.name < b.name RETURN count(*) AS n"})
    elapsed = time.monotonic() - start
    error = error_of(response)
    assert (error["status"], error["code"]) == (504, "timeout")
    assert elapsed < 20, elapsed  # the 3 s timeout, not the query's minutes


@pytest.mark.parametrize("query", ["MATCH (n RETURN n", "bogus", "RETURN $missing + 1 AS x"])
def test_invalid_cypher_is_400(cypher_client, error_of, query):
    error = error_of(cypher_client.post("/cypher", json={"query": query}))
    assert (error["status"], error["code"]) == (400, "invalid_cypher")


def test_empty_or_missing_query_is_422(cypher_client, error_of):
    assert error_of(cypher_client.post("/cypher", json={"query": ""}))["parameter"] == "query"
    assert error_of(cypher_client.post("/cypher", json={}))["parameter"] == "query"


# ------------------------------------------------------------------------------------------ guard without a store
NEO4J_PLAN = {"operatorType": "ProduceResults@neo4j", "children": [
    {"operatorType": "SetProperty@neo4j", "args": {"Details": "p.name = 'x'"}, "children": [
        {"operatorType": "NodeIndexSeek@neo4j", "args": {"Details": "RANGE INDEX p:Protein(symbol)"}}]}]}


def test_neo4j_plan_operators_are_recognised():
    from cellmap_kg.store.neo4j_ddl import plan_lines

    lines = plan_lines(NEO4J_PLAN)
    assert cypher_guard.write_operators(lines) == ["SetProperty | p.name = 'x'"]
    for operator in ("Create", "Merge", "Delete", "DetachDelete", "SetLabels", "RemoveLabels", "Foreach",
                     "LoadCSV", "TransactionForeach", "CreateIndex", "DropConstraint", "EmptyResult",
                     "AdministrationCommand", "TerminateTransactions", "ShowUsers"):
        assert cypher_guard.write_operators([f"{operator}@neo4j"]), operator
    for operator in ("ProduceResults", "NodeIndexSeek", "Expand(All)", "EagerAggregation", "ProcedureCall",
                     "Apply", "Projection", "Filter", "Sort"):
        assert not cypher_guard.write_operators([operator]), operator


def test_called_procedures_ignore_comments_literals_and_subqueries():
    text = ("CALL db.labels() YIELD label CALL { MATCH (n) RETURN n } "
            "WITH 'CALL db.idx.fulltext.drop(1)' AS s /* CALL dbms.killQuery() */ "
            "CALL `db`.`idx`.fulltext.queryNodes('Protein', 'x') YIELD node RETURN node")
    assert cypher_guard.called_procedures(text) == ["db.labels", "db.idx.fulltext.querynodes"]


def test_bad_parameter_names_and_values_are_refused(cypher_client, error_of):
    error = error_of(cypher_client.post("/cypher", json={"query": "RETURN $x AS x", "parameters": {"": 1}}))
    assert (error["status"], error["code"]) == (422, "invalid_parameter")
    assert error["parameter"].startswith("parameters")
    response = cypher_client.post("/cypher", content=b'{"query": "RETURN $x AS x", "parameters": {"x": NaN}}',
                                  headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_cypher"
