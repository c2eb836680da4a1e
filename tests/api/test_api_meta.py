"""``/health``, ``/schema``, OpenAPI docs and the error body of unknown routes, on the full real graph."""

from __future__ import annotations

from cellmap_kg.schema import SCHEMA


def test_health_reports_the_build_and_the_counts_of_the_store(client, graph_store):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["backend"] == graph_store.backend
    assert body["counts"] == graph_store.counts()
    assert body["counts"]["nodes"]["Assembly"] >= 270
    build = graph_store.query("MATCH (b:GraphBuild {id: 'current'}) RETURN b.finishedAt AS f, b.sources AS s")[0]
    assert body["build"]["finishedAt"] == build["f"]
    assert "u2os-cellmap-2023-05" in body["build"]["sources"]


def test_health_answers_503_when_the_store_cannot_be_opened(tmp_path):
    from fastapi.testclient import TestClient

    from cellmap_kg.api.app import create_app
    from cellmap_kg.api.settings import ApiSettings

    app = create_app(ApiSettings(store_uri="falkordb://relative/not/allowed"))
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/health")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert "absolute" in response.json()["message"]
        other = c.get("/proteins/DPP9")
        assert other.status_code == 503
        assert other.json()["error"]["code"] == "store_unavailable"


def test_schema_is_the_declaration(client):
    body = client.get("/schema").json()
    assert body["nodes"]["Protein"]["key"] == "symbol"
    assert body["nodes"]["Protein"]["extraLabels"] == ["Bait", "Prey"]
    assert body["nodes"]["Assembly"]["properties"]["diameterNm"]["unit"] == "nm"
    member_of = body["relationships"]["MEMBER_OF"]
    assert (member_of["sources"], member_of["targets"]) == (["Protein"], ["Assembly"])
    assert body["relationships"]["ENRICHED_FOR"]["targets"] == ["GOTerm", "Complex", "Compartment"]
    assert set(body["nodes"]) == set(SCHEMA.nodes)
    assert set(body["relationships"]) == set(SCHEMA.relationships)


def test_openapi_documents_every_endpoint_and_docs_are_served(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/health", "/schema", "/proteins", "/proteins/{symbol}", "/assemblies/{assembly_id}",
                 "/assemblies/{assembly_id}/members", "/assemblies/{assembly_id}/evidence",
                 "/assemblies/{assembly_id}/lineage", "/queries", "/queries/{name}", "/cypher"):
        assert path in paths, path
    assert set(paths["/queries/{name}"]) == {"get", "post"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_unknown_route_and_wrong_method_get_the_error_body(client, error_of):
    error = error_of(client.get("/no/such/route"))
    assert (error["status"], error["code"]) == (404, "not_found")
    error = error_of(client.delete("/proteins/DPP9"))
    assert (error["status"], error["code"]) == (405, "method_not_allowed")
