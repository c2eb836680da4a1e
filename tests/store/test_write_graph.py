"""``write_graph``: each store's own load of a new graph makes the same graph as the generic UNWIND batches.

The generic path is ``GraphStore.write_graph`` itself (``write_nodes`` / ``write_relationships``); the store's own
``write_graph`` (FalkorDB: ``falkordb_bulk``'s GRAPH.BULK; Neo4j: nodes merged in Python and created,
relationships matched on element ids, full-text indexes after the rows) must give identical content
(``cellmap_kg.store.content``).
"""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from cellmap_kg.build import build
from cellmap_kg.loaders.base import NodeBatch, RelationshipBatch
from cellmap_kg.schema import SCHEMA
from cellmap_kg.store.base import BadParameter, GraphStore
from cellmap_kg.store.content import content_differences, graph_content
from cellmap_kg.store.falkordb_bulk import BulkPlan, encode_value
from cellmap_kg.store.falkordb_store import FalkorDBStore

NODES = [
    NodeBatch("Protein", [{"symbol": "TP53", "name": "tumor protein p53", "entrezId": 7157, "uniprot": ["P04637"]},
                          {"symbol": "MDM2", "name": None, "hekRnaTpm": 12.5},
                          {"symbol": "ÄBC1", "name": "", "hekCopies": 3}]),
    NodeBatch("Protein", [{"symbol": "TP53", "name": "cellular tumor antigen p53", "entrezId": None}], ("Bait",)),
    NodeBatch("Protein", [{"symbol": "MDM2"}, {"symbol": "TP53"}], ("Prey",)),
    NodeBatch("Assembly", [{"id": "M:C1", "name": "p53 module", "size": np.int64(2), "root": True}]),
    NodeBatch("GOTerm", [{"id": "GO:0005634", "name": "nucleus", "obsolete": False}]),
]
RELATIONSHIPS = [
    RelationshipBatch("MEMBER_OF", [{"source": "TP53", "target": "M:C1", "dataset": "d1"},
                                    {"source": "MDM2", "target": "M:C1", "dataset": "d1"},
                                    {"source": "NOPE", "target": "M:C1", "dataset": "d1"},
                                    {"source": "MDM2", "target": "M:NOPE", "dataset": "d1"}]),
    RelationshipBatch("PULLED_DOWN", [{"source": "TP53", "target": "MDM2", "dataset": "d2", "pInt": 0.99},
                                      {"source": "TP53", "target": "MDM2", "dataset": "d2", "pInt": 0.5}]),
    RelationshipBatch("ENRICHED_FOR", [{"source": "M:C1", "target": "GO:0005634", "jaccard": 0.25,
                                        "dataset": "d3"}], target_label="GOTerm"),
]


def _lines(content: dict, part: str) -> list:
    return [json.loads(line) for line in content[part]]


def test_write_graph_equals_the_unwind_batches(store):
    other = store.staging()  # an empty graph of the same backend for the generic path
    written = store.write_graph(NODES, RELATIONSHIPS)
    generic = GraphStore.write_graph(other, NODES, RELATIONSHIPS)
    assert written == generic == [2, 2, 1]  # the MEMBER_OF rows naming NOPE and M:NOPE have no end node
    mine, reference = graph_content(store), graph_content(other)
    assert content_differences(mine, reference) == []
    assert _lines(mine, "node Protein") == [
        ["MDM2", ["Prey", "Protein"], {"hekRnaTpm": 12.5, "symbol": "MDM2"}],
        ["TP53", ["Bait", "Prey", "Protein"], {"entrezId": 7157, "name": "cellular tumor antigen p53",
                                               "symbol": "TP53", "uniprot": ["P04637"]}],
        ["ÄBC1", ["Protein"], {"hekCopies": 3, "name": "", "symbol": "ÄBC1"}],
    ]
    assert _lines(mine, "node Assembly") == [["M:C1", ["Assembly"], {"id": "M:C1", "name": "p53 module",
                                                                      "root": True, "size": 2}]]
    assert sorted(r[2]["pInt"] for r in _lines(mine, "rel PULLED_DOWN Protein->Protein")) == [0.5, 0.99]
    assert _lines(mine, "rel ENRICHED_FOR Assembly->GOTerm") == [["M:C1", "GO:0005634",
                                                                  {"dataset": "d3", "jaccard": 0.25}]]
    # the schema is applied as by the generic path: key uniqueness holds and the full-text index answers
    assert [r["key"] for r in store.fulltext_search("Protein", "antigen")] == ["TP53"]


@pytest.mark.neo4j
def test_neo4j_write_graph_equals_the_unwind_batches(neo4j_scratch_server):
    """Neo4j's ``write_graph`` (``MergedNodes`` + ``CREATE``, ends matched on element ids) against ``write_nodes``'
    ``MERGE`` and ``write_relationships``' key ``MATCH`` on the same rows (the rows naming NOPE, M:NOPE are not
    written):
    TP53 named by three batches is one node with the later name, both extra labels and the first batch's other
    properties; MDM2 keeps ``hekRnaTpm`` and gets no ``name`` (a null is not written)."""
    from cellmap_kg.store import open_store

    with open_store(neo4j_scratch_server.uri) as neo4j:
        neo4j._reset()
        try:
            generic = GraphStore.write_graph(neo4j, NODES, RELATIONSHIPS)
            reference = graph_content(neo4j)
            neo4j._reset()
            written = neo4j.write_graph(NODES, RELATIONSHIPS)
            mine = graph_content(neo4j)
        finally:
            neo4j._reset()
    assert written == generic == [2, 2, 1]
    assert content_differences(mine, reference) == []
    assert _lines(mine, "node Protein")[1] == [
        "TP53", ["Bait", "Prey", "Protein"], {"entrezId": 7157, "name": "cellular tumor antigen p53",
                                              "symbol": "TP53", "uniprot": ["P04637"]}]


def test_bulk_rejects_values_it_cannot_store(store):
    for bad in (float("nan"), "a\x00b", 2 ** 63, {"a": 1}):
        with pytest.raises(BadParameter):
            encode_value(bad, bytearray())
    out = bytearray()
    encode_value([True, -1, 2.5, "é"], out)
    assert out == (struct.pack("=Bq", 5, 4) + b"\x01\x01" + struct.pack("=Bq", 4, -1)
                             + struct.pack("=Bd", 2, 2.5) + b"\x03" + "é".encode() + b"\x00")


@pytest.mark.parametrize("row", [{"symbol": None, "name": "x"}, {"name": "x"}])
def test_a_node_row_without_its_key_is_refused(row):
    """``MergedNodes`` (both backends' ``write_graph``) refuses a row with no key or a null one, as ``MERGE``
    does, instead of merging every such row into one node without a key."""
    with pytest.raises(KeyError, match="symbol"):
        BulkPlan(SCHEMA).add_nodes(NodeBatch("Protein", [{"symbol": "TP53"}, row]))


def test_nodes_are_numbered_in_first_appearance_order_and_labels_in_first_use_order():
    plan = BulkPlan(SCHEMA)
    for batch in NODES:
        plan.add_nodes(batch)
    assert [row.get("symbol", row.get("id")) for row in plan.rows] == ["TP53", "MDM2", "ÄBC1", "M:C1", "GO:0005634"]
    assert plan.labels == ["Protein", "Bait", "Prey", "Assembly", "GOTerm"]
    assert plan.node_labels[0] == ("Protein", "Bait", "Prey")
    assert NODES[0].rows[0]["name"] == "tumor protein p53"  # merging copies; the caller's rows are unchanged


SUBSET = ["u2os-cellmap-2023-05", "cellmaps-pipeline-example", "corum-2022-11-28"]


def test_real_subset_builds_the_same_graph_by_bulk_and_by_unwind(falkordb_dir, data_dir):
    bulk, unwind = FalkorDBStore(falkordb_dir, "t_real_bulk"), FalkorDBStore(falkordb_dir, "t_real_unwind",
                                                                              bulk_load=False)
    try:
        results = [build(s, data_dir, only=SUBSET, analyses=False) for s in (bulk, unwind)]
        assert results[0].counts == results[1].counts
        assert results[0].elements == results[1].elements
        assert results[0].counts["nodes"]["Complex"] > 3000 and results[0].counts["nodes"]["Bait"] > 0
        ignore = SCHEMA.per_build_properties()
        mine, reference = graph_content(bulk, ignore), graph_content(unwind, ignore)
        assert content_differences(mine, reference) == []
        members = bulk.query("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {id: 'U2OS-2023-05:Cluster3-65'}) "
                             "RETURN collect(p.symbol) AS s")[0]["s"]
        assert {"C18orf21", "POP1"} <= set(members)
    finally:
        for s in (bulk, unwind):
            s._drop()
            s.close()


@pytest.mark.neo4j
def test_neo4j_write_graph_into_a_graph_holding_a_key_fails_on_its_constraint(neo4j_scratch_server):
    """``write_graph`` creates the key constraints after the rows: a key already in the graph (not an empty
    staging graph) makes the constraint fail (``StoreError``) instead of the node being merged."""
    from cellmap_kg.store import open_store
    from cellmap_kg.store.base import StoreError

    with open_store(neo4j_scratch_server.uri) as neo4j:
        neo4j._reset()
        try:
            neo4j.write_nodes("Protein", [{"symbol": "TP53"}])
            with pytest.raises(StoreError, match="(?i)constraint"):
                neo4j.write_graph(NODES, RELATIONSHIPS)
        finally:
            neo4j._reset()
