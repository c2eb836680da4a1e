"""``ApiSettings`` from the environment and back, the bounded store access, and CORS."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from cellmap_kg.api.access import StoreAccess, StoreBusy
from cellmap_kg.api.app import create_app
from cellmap_kg.api.settings import ApiSettings
from cellmap_kg.store.base import StoreError


def test_settings_from_environment_variables():
    settings = ApiSettings.from_env({
        "CELLMAP_KG_STORE": "falkordb:///srv/kg", "CELLMAP_KG_API_CYPHER": "yes",
        "CELLMAP_KG_API_CYPHER_TIMEOUT_MS": "250", "CELLMAP_KG_API_CYPHER_MAX_ROWS": "10",
        "CELLMAP_KG_API_CORS_ORIGINS": "http://a.org, http://b.org", "CELLMAP_KG_API_MAX_CONCURRENCY": "4"})
    assert settings == ApiSettings(store_uri="falkordb:///srv/kg", cypher_enabled=True, cypher_timeout_ms=250,
                                   cypher_max_rows=10, cors_origins=("http://a.org", "http://b.org"),
                                   max_concurrency=4)
    assert ApiSettings.from_env(settings.to_env()) == settings
    assert ApiSettings.from_env({}) == ApiSettings()


@pytest.mark.parametrize(("env", "message"), [
    ({"CELLMAP_KG_API_CYPHER": "maybe"}, "CELLMAP_KG_API_CYPHER"),
    ({"CELLMAP_KG_API_CYPHER_TIMEOUT_MS": "5s"}, "CELLMAP_KG_API_CYPHER_TIMEOUT_MS"),
    ({"CELLMAP_KG_API_MAX_CONCURRENCY": "0"}, "max_concurrency"),
])
def test_bad_environment_values_are_named(env, message):
    with pytest.raises(ValueError, match=message):
        ApiSettings.from_env(env)


def test_store_access_bounds_concurrent_use_and_reports_busy():
    access = StoreAccess(lambda: "the store", max_concurrency=1, acquire_timeout_s=0.2)
    holding, release = threading.Event(), threading.Event()

    def hold():
        with access.use() as store:
            assert store == "the store"
            holding.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    assert holding.wait(5)
    with pytest.raises(StoreBusy, match="1 store slots busy"):
        with access.use():
            pass
    release.set()
    worker.join()
    with access.use() as store:
        assert store == "the store"


def test_store_access_retries_opening_after_a_failure():
    attempts = []

    def opener():
        attempts.append(1)
        if len(attempts) == 1:
            raise StoreError("server not up yet")
        return "opened"

    access = StoreAccess(opener)
    with pytest.raises(StoreError):
        with access.use():
            pass
    with access.use() as store:
        assert store == "opened"
    with access.use():
        pass
    assert len(attempts) == 2


def test_cors_headers_only_for_configured_origins(graph_store):
    plain = TestClient(create_app(ApiSettings(), store=graph_store))
    assert "access-control-allow-origin" not in plain.get("/schema", headers={"Origin": "http://a.org"}).headers
    cors = TestClient(create_app(ApiSettings(cors_origins=("http://a.org",)), store=graph_store))
    allowed = cors.get("/schema", headers={"Origin": "http://a.org"})
    assert allowed.headers["access-control-allow-origin"] == "http://a.org"
    other = cors.get("/schema", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = cors.options("/cypher", headers={"Origin": "http://a.org", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_an_unexpected_error_is_a_500_without_a_traceback(graph_store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail in /srv/app.py line 42")

    monkeypatch.setattr("cellmap_kg.api.routes.meta.schema_document", broken)
    client = TestClient(create_app(ApiSettings(), store=graph_store), raise_server_exceptions=False)
    response = client.get("/schema")
    assert response.status_code == 500
    assert response.json() == {"error": {"status": 500, "code": "internal_error",
                                         "message": "internal server error (logged on the server)",
                                         "parameter": None, "details": None}}
    assert "secret" not in response.text and "Traceback" not in response.text
