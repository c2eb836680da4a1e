"""``/assemblies`` and ``/assemblies/{id}`` with ``/members``, ``/evidence`` (JSON and CX2) and ``/lineage`` on the
full real graph. Cluster3-65 of the U2OS map is the RNase P/MRP assembly (C18orf21, POP1, POP4, POP5, RPP30)."""

from __future__ import annotations

import pytest

from cellmap_kg.loaders.hcx import element_attributes

RNASE_P = "U2OS-2023-05:Cluster3-65"
ROOT = "U2OS-2023-05:Cluster0-0"
RNASE_P_MEMBERS = ["C18orf21", "POP1", "POP4", "POP5", "RPP30"]


def members(store, assembly_id):
    return {r["s"] for r in store.query("MATCH (p:Protein)-[:MEMBER_OF]->(:Assembly {id: $id}) RETURN p.symbol AS s",
                                        {"id": assembly_id})}


def test_assembly_with_parents_children_and_member_count(client, graph_store):
    body = client.get(f"/assemblies/{RNASE_P}").json()
    assert (body["id"], body["map"], body["clusterId"]) == (RNASE_P, "U2OS-2023-05", "Cluster3-65")
    assert body["memberCount"] == len(members(graph_store, RNASE_P)) == 5
    parents = {r["p"] for r in graph_store.query(
        "MATCH (p:Assembly)-[:CONTAINS]->(:Assembly {id: $id}) RETURN p.id AS p", {"id": RNASE_P})}
    assert {p["id"] for p in body["parents"]} == parents and parents
    assert body["children"] == []
    assert body["properties"]["persistence"] == 25


def test_members_are_paginated_by_symbol(client):
    first = client.get(f"/assemblies/{RNASE_P}/members?limit=3").json()
    rest = client.get(first["next"]).json()
    assert [m["symbol"] for m in first["items"] + rest["items"]] == RNASE_P_MEMBERS
    assert first["total"] == 5 and rest["next"] is None
    assert first["items"][1]["hgncId"] == "HGNC:30129"  # POP1


def test_evidence_is_the_subnetwork_among_the_members(client, graph_store):
    body = client.get(f"/assemblies/{RNASE_P}/evidence").json()
    assert [n["id"] for n in body["nodes"]] == RNASE_P_MEMBERS
    expected = graph_store.query(
        "MATCH (a:Assembly {id: $id})<-[:MEMBER_OF]-(p:Protein)-[r]->(q:Protein)-[:MEMBER_OF]->(a) "
        "WHERE type(r) IN ['PULLED_DOWN', 'PROXIMAL_TO'] RETURN p.symbol AS s, q.symbol AS t, type(r) AS type, "
        "r.dataset AS dataset", {"id": RNASE_P})
    got = {(e["source"], e["target"], e["type"], e["properties"]["dataset"]) for e in body["edges"]}
    assert got == {(r["s"], r["t"], r["type"], r["dataset"]) for r in expected}
    assert len(got) >= 5 and not body["truncated"]
    assert all(e["source"] in RNASE_P_MEMBERS and e["target"] in RNASE_P_MEMBERS for e in body["edges"])
    proximal = [e for e in body["edges"] if e["type"] == "PROXIMAL_TO"]
    assert proximal and all(0 < e["properties"]["cosine"] <= 1 for e in proximal)


def test_evidence_filters_by_type_and_truncates_at_max_edges(client):
    only = client.get(f"/assemblies/{RNASE_P}/evidence?types=PROXIMAL_TO").json()
    assert only["types"] == ["PROXIMAL_TO"] and {e["type"] for e in only["edges"]} == {"PROXIMAL_TO"}
    root = client.get(f"/assemblies/{ROOT}/evidence?maxEdges=7").json()
    assert len(root["edges"]) == 7 and root["truncated"] is True
    assert len(root["nodes"]) > 5000


def test_evidence_as_cx2_holds_the_same_subnetwork(client):
    plain = client.get(f"/assemblies/{RNASE_P}/evidence").json()
    cx2 = client.get(f"/assemblies/{RNASE_P}/evidence", params={"format": "cx2"}).json()
    assert cx2[0] == {"CXVersion": "2.0", "hasFragments": False}
    aspects = {}
    for aspect in cx2:
        for name, elements in aspect.items():
            aspects[name] = elements
    nodes = element_attributes(aspects, "nodes", "response")
    edges = element_attributes(aspects, "edges", "response")
    names = {cx_id: v["name"] for cx_id, v in nodes.items()}
    assert sorted(names.values()) == RNASE_P_MEMBERS
    got = {(names[e["_s"]], names[e["_t"]], e["interaction"], e["dataset"]) for e in edges.values()}
    assert got == {(e["source"], e["target"], e["type"], e["properties"]["dataset"]) for e in plain["edges"]}


def test_lineage_reaches_the_root_and_lists_descendants(client):
    body = client.get(f"/assemblies/{RNASE_P}/lineage").json()
    depth = {a["id"]: a["depth"] for a in body["ancestors"]}
    assert depth[ROOT] >= 2
    assert min(depth.values()) == 1 and body["descendants"] == []
    edges = {(e["parent"], e["child"]) for e in body["edges"]}
    assert all((a, RNASE_P) in edges for a, d in depth.items() if d == 1)
    root = client.get(f"/assemblies/{ROOT}/lineage").json()
    assert root["ancestors"] == [] and len(root["descendants"]) == 269
    assert any(d["id"] == RNASE_P for d in root["descendants"])


def test_assembly_list_filters_by_map_and_searches_names(client):
    body = client.get("/assemblies", params={"map": "CM4AI-MDA-MB-468"}).json()
    assert body["total"] == 8 and all(a["map"] == "CM4AI-MDA-MB-468" for a in body["items"])
    found = client.get("/assemblies", params={"search": "Ribonuclease P", "map": "U2OS-2023-05"}).json()
    assert RNASE_P in [a["id"] for a in found["items"]]


@pytest.mark.parametrize("suffix", ["", "/members", "/evidence", "/lineage"])
def test_unknown_assembly_is_404(client, error_of, suffix):
    error = error_of(client.get(f"/assemblies/U2OS-2023-05:NoSuchCluster{suffix}"))
    assert (error["status"], error["code"]) == (404, "not_found")


@pytest.mark.parametrize(("query", "parameter"), [
    ("types=CONTAINS", "types.0"), ("format=graphml", "format"), ("maxEdges=0", "maxEdges"),
])
def test_bad_evidence_parameters_are_422_naming_the_parameter(client, error_of, query, parameter):
    error = error_of(client.get(f"/assemblies/{RNASE_P}/evidence?{query}"))
    assert (error["status"], error["parameter"]) == (422, parameter)


def test_a_nul_character_in_a_parameter_is_a_422_naming_the_problem(client):
    # found by the schemathesis run: a NUL used to cut FalkorDB's parameter header and surface as a 503
    response = client.get("/assemblies", params={"search": "*", "map": "\x00"})
    assert response.status_code == 422
    assert "NUL" in response.json()["error"]["message"]
