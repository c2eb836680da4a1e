"""``POST /cypher``: read-only Cypher for power users, off unless enabled (``--cypher`` /
``CELLMAP_KG_API_CYPHER=1``).

The query must pass ``cypher_guard.check_read_only`` (one statement, no writing plan operator, only read-only
procedures) and then runs in the backend's read-only mode with the configured timeout; at most
``cypher_max_rows`` rows are returned (``truncated`` says whether there were more).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from ...queries.cypher_text import returned_columns
from ...store.base import GraphStore, QueryTimeout, StoreError
from ..access import StoreAccess
from ..cypher_guard import CypherRejected, check_read_only
from ..errors import ApiError, error_responses
from ..models import CypherRequest, CypherResult
from ..pagination import json_safe
from ..settings import ApiSettings
from . import deps

router = APIRouter(tags=["cypher"])


def _rejection(exc: CypherRejected) -> ApiError:
    return ApiError(400 if exc.code == "invalid_cypher" else 403, exc.code, str(exc))


def _run(store: GraphStore, statement: str, params: dict, settings: ApiSettings) -> list[dict]:
    try:
        return store.query(statement, params, timeout_ms=settings.cypher_timeout_ms, read_only=True)
    except QueryTimeout:
        raise
    except StoreError as exc:
        store.query("RETURN 1 AS ok", read_only=True)  # the store itself failing stays a 503
        if "read-only" in str(exc):
            raise ApiError(403, "write_rejected", f"/cypher is read-only: {exc}") from exc
        raise ApiError(400, "invalid_cypher", f"the query failed: {exc}") from exc


@router.post("/cypher", response_model=CypherResult, summary="Run read-only Cypher (if enabled)",
             responses=error_responses(400, 403, 422, 503, 504))
def run_cypher(body: CypherRequest,
               access: Annotated[StoreAccess, Depends(deps.access)],
               settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """Run one read-only Cypher statement with ``$parameters``. Writes of every kind (``CREATE``, ``MERGE``,
    ``SET``, ``DELETE``, ``REMOVE``, ``FOREACH``, ``LOAD CSV``, writing procedures, schema commands) are
    rejected with 403 before anything runs; the query times out after the configured limit (504)."""
    if not settings.cypher_enabled:
        raise ApiError(403, "cypher_disabled", "POST /cypher is disabled on this server; start it with "
                                               "`cellmap-kg serve --cypher` or CELLMAP_KG_API_CYPHER=1")
    with access.use() as store:
        try:
            statement = check_read_only(store, body.query, body.parameters)
        except CypherRejected as exc:
            raise _rejection(exc) from exc
        rows = _run(store, statement, body.parameters, settings)
    limit = settings.cypher_max_rows
    columns = list(rows[0]) if rows else (returned_columns(statement) or [])
    return CypherResult(columns=columns, rows=[json_safe(r) for r in rows[:limit]], truncated=len(rows) > limit,
                        rowLimit=limit)
