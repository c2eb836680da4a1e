"""The query library over HTTP: ``GET /queries`` (every query with its parameter schema) and
``GET|POST /queries/{name}`` (run one; parameters validated and typed from the query file's header by
``QuerySpec.bind``, 422 naming the parameter on bad input).

``GET`` takes the parameters as query-string values (``?maxSize=30``; a ``list[string]`` parameter as
comma-separated text or repeated), ``POST`` as ``{"parameters": {...}}`` with JSON-typed values. ``_limit`` and
``_offset`` page through the rows (names no query parameter can have, see ``pagination.row_page_params``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from ...queries.registry import QuerySpec, get_query
from ..access import StoreAccess
from ..models import QueryInfo, QueryParameter, QueryResult, QueryRun
from ..pagination import PageParams, json_safe, row_page_params
from ..settings import ApiSettings
from . import deps

router = APIRouter(tags=["queries"])

PAGING_PARAMETERS = ("_limit", "_offset")

QueryName = Annotated[str, Path(min_length=1, max_length=100, description="query name, see GET /queries")]


def query_info(spec: QuerySpec) -> QueryInfo:
    """The public description of a library query."""
    return QueryInfo(
        name=spec.name, question=spec.question, description=spec.description, reproduces=spec.reproduces,
        columns=list(spec.columns),
        parameters={name: QueryParameter(type=p.type, required=p.required, default=p.default, unit=p.unit,
                                         description=p.description,
                                         choices=list(p.choices) if p.choices is not None else None)
                    for name, p in spec.parameters.items()})


@router.get("/queries", response_model=list[QueryInfo], summary="The query library with parameter schemas")
def list_queries(queries: Annotated[dict[str, QuerySpec], Depends(deps.queries)]) -> Any:
    """Every named query: the question it answers, its parameters (type, default, unit, choices) and columns."""
    return [query_info(spec) for spec in queries.values()]


def _run(spec: QuerySpec, raw: dict[str, Any], request: Request, page: PageParams, access: StoreAccess,
         settings: ApiSettings) -> QueryResult:
    bound = spec.bind(raw)
    with access.use() as store:
        rows = spec.run(store, bound, timeout_ms=settings.query_timeout_ms)
    chunk = [json_safe(r) for r in rows[page.offset:page.offset + page.limit]]
    return QueryResult(query=spec.name, question=spec.question, columns=list(spec.columns),
                       parameters=json_safe(bound), rows=chunk, total=len(rows), limit=page.limit,
                       offset=page.offset, next=page.next_url(request, len(rows), len(chunk)))


@router.get("/queries/{name}", response_model=QueryResult, summary="Run a library query (query-string parameters)",
            responses={404: {"description": "unknown query"}, 422: {"description": "bad parameter (named)"}})
def run_query_get(name: QueryName, request: Request,
                  page: Annotated[PageParams, Depends(row_page_params)],
                  queries: Annotated[dict[str, QuerySpec], Depends(deps.queries)],
                  access: Annotated[StoreAccess, Depends(deps.access)],
                  settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """Run query ``name`` with the query string's parameters (all but ``_limit``/``_offset``, which page
    through the rows); ``total`` counts all rows."""
    spec = get_query(name, queries)
    raw: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key in PAGING_PARAMETERS:
            continue
        if key in raw:
            previous = raw[key] if isinstance(raw[key], list) else [raw[key]]
            raw[key] = previous + [value]
        else:
            raw[key] = value
    return _run(spec, raw, request, page, access, settings)


@router.post("/queries/{name}", response_model=QueryResult, summary="Run a library query (JSON parameters)",
             responses={400: {"description": "the body is not valid JSON"}, 404: {"description": "unknown query"},
                        422: {"description": "bad parameter (named)"}})
def run_query_post(name: QueryName, body: QueryRun, request: Request,
                   page: Annotated[PageParams, Depends(row_page_params)],
                   queries: Annotated[dict[str, QuerySpec], Depends(deps.queries)],
                   access: Annotated[StoreAccess, Depends(deps.access)],
                   settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """Run query ``name`` with ``{"parameters": {...}}`` (JSON values of the declared types, or strings)."""
    return _run(get_query(name, queries), body.parameters, request, page, access, settings)
