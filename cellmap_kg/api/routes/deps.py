"""FastAPI dependencies shared by the routers: the settings, the store access and the query library.

They are ``async`` because they only read ``app.state``: FastAPI runs a synchronous dependency in the thread pool,
which would cost a thread hand-off per dependency and request."""

from __future__ import annotations

from fastapi import Request

from ...queries.registry import QuerySpec
from ..access import StoreAccess
from ..settings import ApiSettings


async def settings(request: Request) -> ApiSettings:
    """The API settings of the running app."""
    return request.app.state.settings


async def access(request: Request) -> StoreAccess:
    """The shared, bounded store access of the running app."""
    return request.app.state.access


async def queries(request: Request) -> dict[str, QuerySpec]:
    """The query library loaded at start-up, by name."""
    return request.app.state.queries
