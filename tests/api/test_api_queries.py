"""The query library over HTTP: ``GET /queries`` and ``GET|POST /queries/{name}`` with header-validated
parameters, on the full real graph."""

from __future__ import annotations

import pytest

from cellmap_kg.queries.registry import load_queries, run_query

FLAGSHIP = "uncharacterized-in-mutated-assemblies"


def test_library_lists_every_query_with_its_parameter_schema(client):
    body = client.get("/queries").json()
    library = load_queries()
    assert [q["name"] for q in body] == list(library)
    flagship = next(q for q in body if q["name"] == FLAGSHIP)
    assert flagship["parameters"]["maxSize"] == {"type": "int", "required": False, "default": 50, "unit": "proteins",
                                                 "description": library[FLAGSHIP].parameters["maxSize"].description,
                                                 "choices": None}
    assert flagship["columns"] == list(library[FLAGSHIP].columns)


def test_get_runs_the_query_with_typed_query_string_parameters(client, graph_store):
    expected = run_query(graph_store, FLAGSHIP, maxSize=30, minFrequency=0.01)
    body = client.get(f"/queries/{FLAGSHIP}", params={"maxSize": "30", "minFrequency": "0.01"}).json()
    assert body["parameters"]["maxSize"] == 30 and body["parameters"]["minFrequency"] == 0.01
    assert body["total"] == len(expected) > 0
    assert body["rows"] == expected[:50]


def test_post_runs_the_query_with_json_parameters_and_pages(client, graph_store):
    expected = run_query(graph_store, FLAGSHIP, minFrequency=0.01)
    assert len(expected) > 2
    first = client.post(f"/queries/{FLAGSHIP}?limit=2", json={"parameters": {"minFrequency": 0.01}}).json()
    assert first["rows"] == expected[:2] and first["total"] == len(expected)
    assert first["next"] is not None and "offset=2" in first["next"]


@pytest.mark.parametrize(("params", "parameter"), [
    ({"maxSize": "thirty"}, "maxSize"),
    ({"minFrequency": "nan"}, "minFrequency"),
    ({"maxSise": "30"}, "maxSise"),
])
def test_bad_query_string_parameter_is_422_naming_it(client, error_of, params, parameter):
    error = error_of(client.get(f"/queries/{FLAGSHIP}", params=params))
    assert (error["status"], error["code"], error["parameter"]) == (422, "invalid_parameter", parameter)
    assert parameter in error["message"]


def test_bad_json_parameter_is_422_naming_it(client, error_of):
    error = error_of(client.post(f"/queries/{FLAGSHIP}", json={"parameters": {"maxSize": [1, 2]}}))
    assert (error["status"], error["parameter"]) == (422, "maxSize")
    error = error_of(client.post(f"/queries/{FLAGSHIP}", json={"parameters": "maxSize=3"}))
    assert (error["status"], error["parameter"]) == (422, "parameters")


def test_unknown_query_is_404_with_suggestions(client, error_of):
    error = error_of(client.get("/queries/uncharacterized-in-mutated"))
    assert error["status"] == 404 and FLAGSHIP in error["message"]


def test_a_library_query_may_not_use_a_paging_parameter_name(tmp_path):
    from cellmap_kg.api.routes.queries import check_library
    from cellmap_kg.queries.registry import parse_query_file

    path = tmp_path / "top-proteins.cypher"
    path.write_text("// name: top-proteins\n// question: Which proteins come first?\n// parameters:\n"
                    "//   limit: {type: int, default: 5, description: how many}\n// columns: [symbol]\n"
                    "MATCH (p:Protein) RETURN p.symbol AS symbol LIMIT $limit\n")
    with pytest.raises(ValueError, match="top-proteins.*limit.*reserved"):
        check_library({"top-proteins": parse_query_file(path)})
