"""FastAPI dependencies shared by the routers (the settings, the store access, the query library) and
:func:`ask`, the one way a route reads the graph: a query of the library.

The dependencies are ``async`` because they only read ``app.state``: FastAPI runs a synchronous dependency in the
thread pool, which would cost a thread hand-off per dependency and request."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from ...queries.registry import QuerySpec, get_query, load_queries
from ..access import StoreAccess
from ..pagination import PageParams
from ..settings import ApiSettings


async def settings(request: Request) -> ApiSettings:
    """The API settings of the running app."""
    return request.app.state.settings


async def access(request: Request) -> StoreAccess:
    """The shared, bounded store access of the running app."""
    return request.app.state.access


async def queries(request: Request) -> dict[str, QuerySpec]:
    """The query library by name (parsed once per process and again when a file changes, see
    ``load_queries``)."""
    return load_queries()


def ask(access: StoreAccess, settings: ApiSettings, name: str, **params: Any) -> list[dict]:
    """Rows of the library query ``name`` (``cellmap_kg/queries/<name>.cypher``) run with ``params`` (typed
    values; declared defaults fill the rest) within one store slot and the API's query timeout.

    The REST routes answer only through this (and ``/cypher`` through its guard), so that every answer of the API
    is a linted, documented library query that the CLI and Python answer the same way. Raises
    ``QueryParameterError``, ``StoreBusy`` and the store's errors (turned into error bodies by ``errors``)."""
    spec = get_query(name)
    with access.use() as store:
        return spec.run(store, params, timeout_ms=settings.query_timeout_ms)


def ask_page(access: StoreAccess, settings: ApiSettings, name: str, page: PageParams,
             **params: Any) -> tuple[list[dict], int]:
    """``(rows, total)`` of one page of a listing query of the library (one with ``offset`` and ``limit``
    parameters and a ``total`` column, e.g. ``protein-list``). A page past the end has no rows to carry the total,
    so the first row is asked for it then. Raises what :func:`ask` raises."""
    rows = ask(access, settings, name, offset=page.offset, limit=page.limit, **params)
    if rows or not page.offset:
        return rows, rows[0]["total"] if rows else 0
    first = ask(access, settings, name, offset=0, limit=1, **params)
    return rows, first[0]["total"] if first else 0
