"""The query library over HTTP: ``GET /queries`` and ``GET|POST /queries/{name}`` with header-validated
parameters, on the full real graph."""

from __future__ import annotations

import pytest

from cellmap_kg.queries.registry import load_queries, run_query

EVIDENCE = "assembly-evidence"          # parameters: id (required), datasets (list[string]), limit (int)
RNASE_P = "U2OS-2023-05:Cluster3-65"     # the RNase P/MRP assembly: 5 members, > 10 supporting edges


def test_library_lists_every_query_with_its_parameter_schema(client):
    body = client.get("/queries").json()
    library = load_queries()
    assert [q["name"] for q in body] == list(library)
    evidence = next(q for q in body if q["name"] == EVIDENCE)
    spec = library[EVIDENCE]
    assert evidence["columns"] == list(spec.columns) and evidence["question"] == spec.question
    assert evidence["parameters"]["id"]["required"] is True and evidence["parameters"]["id"]["default"] is None
    limit = spec.parameters["limit"]
    assert evidence["parameters"]["limit"] == {"type": "int", "required": False, "default": limit.default,
                                               "unit": "edges", "description": limit.description, "choices": None}
    assert evidence["parameters"]["datasets"]["type"] == "list[string]"


def test_get_runs_the_query_with_typed_query_string_parameters(client, graph_store):
    expected = run_query(graph_store, EVIDENCE, id=RNASE_P, datasets=["u2os-coembedding-2022"], limit=5)
    assert 0 < len(expected) <= 5 and {r["dataset"] for r in expected} == {"u2os-coembedding-2022"}
    body = client.get(f"/queries/{EVIDENCE}", params={"id": RNASE_P, "datasets": "u2os-coembedding-2022",
                                                       "limit": "5"}).json()
    assert body["parameters"]["limit"] == 5 and body["parameters"]["datasets"] == ["u2os-coembedding-2022"]
    assert body["rows"] == expected and body["total"] == len(expected)
    repeated = client.get(f"/queries/{EVIDENCE}?id={RNASE_P}&datasets=u2os-coembedding-2022"
                          "&datasets=bioplex-3.0-hek293t").json()
    assert repeated["parameters"]["datasets"] == ["u2os-coembedding-2022", "bioplex-3.0-hek293t"]


def test_post_runs_the_query_with_json_parameters_and_pages(client, graph_store):
    expected = run_query(graph_store, EVIDENCE, id=RNASE_P)
    assert len(expected) > 4
    first = client.post(f"/queries/{EVIDENCE}?_limit=2", json={"parameters": {"id": RNASE_P}}).json()
    assert first["rows"] == expected[:2] and first["total"] == len(expected)
    assert first["next"] is not None and "_offset=2" in first["next"]
    second = client.post(first["next"], json={"parameters": {"id": RNASE_P}}).json()
    assert second["rows"] == expected[2:4] and second["offset"] == 2


@pytest.mark.parametrize(("params", "parameter"), [
    ({"id": RNASE_P, "limit": "thirty"}, "limit"),
    ({"id": RNASE_P, "limit": "1e400"}, "limit"),
    ({"id": RNASE_P, "limt": "30"}, "limt"),
    ({"limit": "3"}, "id"),
])
def test_bad_query_string_parameter_is_422_naming_it(client, error_of, params, parameter):
    error = error_of(client.get(f"/queries/{EVIDENCE}", params=params))
    assert (error["status"], error["code"], error["parameter"]) == (422, "invalid_parameter", parameter)
    assert parameter in error["message"]


def test_bad_json_parameter_is_422_naming_it(client, error_of):
    error = error_of(client.post(f"/queries/{EVIDENCE}", json={"parameters": {"id": RNASE_P, "limit": [1, 2]}}))
    assert (error["status"], error["parameter"]) == (422, "limit")
    body = '{"parameters": {"id": "' + RNASE_P + '", "limit": NaN}}'  # NaN: a JSON extension Python parses
    error = error_of(client.post(f"/queries/{EVIDENCE}", content=body, headers={"Content-Type": "application/json"}))
    assert (error["status"], error["parameter"]) == (422, "limit")
    error = error_of(client.post(f"/queries/{EVIDENCE}", json={"parameters": "limit=3"}))
    assert (error["status"], error["parameter"]) == (422, "parameters")


def test_unknown_query_is_404_with_suggestions(client, error_of):
    error = error_of(client.get("/queries/assembly-evidenc"))
    assert error["status"] == 404 and EVIDENCE in error["message"]


def test_a_query_parameter_named_limit_is_the_querys_own(client, graph_store):
    """``assembly-evidence`` has a ``limit`` parameter; rows are paged with ``_limit``/``_offset``."""
    assembly = RNASE_P
    all_rows = run_query(graph_store, "assembly-evidence", id=assembly)
    assert len(all_rows) > 4
    body = client.get("/queries/assembly-evidence", params={"id": assembly, "limit": "4", "_limit": "3"}).json()
    assert body["parameters"]["limit"] == 4 and body["total"] == 4
    assert body["rows"] == run_query(graph_store, "assembly-evidence", id=assembly, limit=4)[:3]
    assert "_offset=3" in body["next"]
    error = client.get("/queries/assembly-evidence", params={"id": assembly, "_limit": "0"}).json()["error"]
    assert error["parameter"] == "_limit"
