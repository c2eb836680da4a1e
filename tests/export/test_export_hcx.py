"""``export_hcx`` on the full real graph: the hierarchy and interactome files read back by ``read_hcx`` to the
hierarchy in the graph (round trip), with the HCX annotations Cytoscape needs."""

from __future__ import annotations

import pytest

from cellmap_kg.export.hcx import HcxExportError, export_hcx, interactome_path
from cellmap_kg.loaders.hcx import element_attributes, network_attributes, read_cx2, read_hcx


def graph_hierarchy(store, map_id):
    members = {}
    for row in store.query("MATCH (a:Assembly {map: $map}) OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(a) "
                           "RETURN a.clusterId AS c, collect(p.symbol) AS m", {"map": map_id}):
        members[row["c"]] = set(row["m"])
    edges = {(r["p"], r["c"]) for r in store.query(
        "MATCH (a:Assembly {map: $map})-[:CONTAINS]->(b:Assembly) RETURN a.clusterId AS p, b.clusterId AS c",
        {"map": map_id})}
    root = store.query("MATCH (a:Assembly {map: $map, isRoot: true}) RETURN a.clusterId AS c", {"map": map_id})
    return members, edges, root[0]["c"]


@pytest.fixture(scope="module")
def u2os_export(graph_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("hcx") / "u2os.cx2"
    return export_hcx(graph_store, path, map_id="U2OS-2023-05")


def test_u2os_map_round_trips_through_read_hcx(u2os_export, graph_store):
    members, edges, root = graph_hierarchy(graph_store, "U2OS-2023-05")
    back = read_hcx(u2os_export.hierarchy, u2os_export.interactome)
    assert {a.cluster_id: set(a.genes) for a in back.assemblies} == members
    assert set(back.edges) == edges
    assert back.root == root == "Cluster0-0"
    assert u2os_export.assemblies == 270 and u2os_export.proteins == len(members["Cluster0-0"])
    rnase_p = next(a for a in back.assemblies if a.cluster_id == "Cluster3-65")
    assert (rnase_p.name, rnase_p.persistence) == ("Human Ribonuclease P Complex", 25)


def test_hcx_annotations_link_the_hierarchy_to_its_interactome(u2os_export):
    aspects = read_cx2(u2os_export.hierarchy)
    attributes = network_attributes(aspects)
    assert attributes["ndexSchema"] == "hierarchy_v0.1"
    assert attributes["HCX::modelFileCount"] == 2
    assert attributes["HCX::interactionNetworkName"] == interactome_path(u2os_export.hierarchy).name
    nodes = element_attributes(aspects, "nodes", u2os_export.hierarchy)
    assert [v["represents"] for v in nodes.values() if v["HCX::isRoot"]] == ["Cluster0-0"]
    interactome = element_attributes(read_cx2(u2os_export.interactome), "nodes", u2os_export.interactome)
    root = next(v for v in nodes.values() if v["HCX::isRoot"])
    assert sorted(interactome[i]["name"] for i in root["HCX::members"]) == sorted(root["CD_MemberList"].split())


def test_interactome_holds_the_proximity_edges_among_the_members(u2os_export, graph_store):
    expected = graph_store.query(
        "MATCH (a:Assembly {id: 'U2OS-2023-05:Cluster0-0'})<-[:MEMBER_OF]-(p:Protein)-[r:PROXIMAL_TO]->(q:Protein) "
        "WHERE (q)-[:MEMBER_OF]->(a) RETURN p.symbol AS s, q.symbol AS t, r.cosine AS cosine")
    aspects = read_cx2(u2os_export.interactome)
    names = {i: v["name"] for i, v in element_attributes(aspects, "nodes", u2os_export.interactome).items()}
    edges = element_attributes(aspects, "edges", u2os_export.interactome)
    got = {(names[e["_s"]], names[e["_t"]], e["cosine"]) for e in edges.values()}
    assert got == {(r["s"], r["t"], r["cosine"]) for r in expected}
    assert u2os_export.interactions == len(expected) > 20000
    assert {e["interaction"] for e in edges.values()} == {"PROXIMAL_TO"}


def test_small_map_without_interactions(graph_store, tmp_path):
    result = export_hcx(graph_store, tmp_path / "cm4ai.cx2", map_id="CM4AI-MDA-MB-468", interactions=())
    members, edges, root = graph_hierarchy(graph_store, "CM4AI-MDA-MB-468")
    back = read_hcx(result.hierarchy, result.interactome)
    assert {a.cluster_id: set(a.genes) for a in back.assemblies} == members
    assert (set(back.edges), back.root) == (edges, root)
    assert result.interactions == 0 and read_cx2(result.interactome).get("edges", []) == []


def test_unknown_map_and_interaction_type_are_errors(graph_store, tmp_path):
    with pytest.raises(HcxExportError, match="no assemblies of map 'Mars'.*U2OS-2023-05"):
        export_hcx(graph_store, tmp_path / "x.cx2", map_id="Mars")
    with pytest.raises(HcxExportError, match="MEMBER_OF"):
        export_hcx(graph_store, tmp_path / "x.cx2", map_id="CM4AI-MDA-MB-468", interactions=("MEMBER_OF",))
