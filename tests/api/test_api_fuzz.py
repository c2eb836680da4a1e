"""Property-based fuzzing of the OpenAPI description (schemathesis): generated requests to every operation,
valid and invalid, must never get a server error (5xx) and must match the documented responses."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from cellmap_kg.api.app import create_app
from cellmap_kg.api.settings import ApiSettings


@pytest.fixture(scope="module")
def api_schema(graph_store):
    app = create_app(ApiSettings(cypher_enabled=True, cypher_timeout_ms=2000, query_timeout_ms=5000),
                     store=graph_store)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
