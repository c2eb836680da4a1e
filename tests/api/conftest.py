"""Fixtures of the API tests: the app on the full real graph (``built_store``), as TestClients with ``/cypher``
off (the default) and on.
(``graph_store`` comes from tests/conftest.py).
"""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from cellmap_kg.api.app import create_app
from cellmap_kg.api.settings import ApiSettings


@pytest.fixture(scope="session")
def client(graph_store):
    """TestClient of the app with default settings (``/cypher`` disabled); server errors become 500 answers."""
    with TestClient(create_app(ApiSettings(), store=graph_store), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def cypher_client(graph_store):
    """TestClient of the app with ``/cypher`` enabled, a 3 s timeout (long enough for a 20,000-row scan on either
    backend of a busy 2-core machine, far too short for the cartesian product of the timeout test) and a 50-row
    limit."""
    settings = ApiSettings(cypher_enabled=True, cypher_timeout_ms=3000, cypher_max_rows=50)
    with TestClient(create_app(settings, store=graph_store), raise_server_exceptions=False) as c:
        yield c


def _error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "parameter", "details"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


@pytest.fixture(scope="session")
def error_of():
    """``error_of(response)``: the ``error`` object of an error answer; fails unless the body is exactly the API's
    error body (``{"error": {"status", "code", "message", "parameter", "details"}}``) with the answer's status."""
    return _error_of
