"""The FastAPI application: ``create_app(settings)`` for code and tests, ``app_from_env()`` as the uvicorn factory
(``uvicorn --factory cellmap_kg.api.app:app_from_env``, settings from environment variables).

Example::

    >>> from fastapi.testclient import TestClient
    >>> app = create_app(ApiSettings(store_uri="falkordb:///data/kg/.cellmap-kg"))   # doctest: +SKIP
    >>> TestClient(app).get("/proteins/DPP9").json()["symbol"]                       # doctest: +SKIP
    'DPP9'
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .. import __version__
from ..queries.registry import load_queries
from ..store import open_store
from ..store.base import GraphStore
from .access import StoreAccess
from .cache import ResponseCache, ResponseCacheMiddleware
from .errors import install_error_handlers
from .routes import assemblies, browser, cypher, maps, meta, proteins, queries
from .routes.meta import CountsCache
from .settings import ApiSettings

DESCRIPTION = """\
REST API of **cellmap-kg**, the knowledge graph of the multiscale map of human cell architecture (U2OS cell map,
OpenCell, BioPlex, GO, CORUM, HPA, paediatric tumours).

* `/proteins/{symbol}` accepts HGNC previous symbols and aliases; `/assemblies/{id}/evidence` returns the
  interactions among an assembly's members (also as Cytoscape CX2); `/queries` is the named query library.
* Lists are paginated with `limit` and `offset`; every error has the body
  `{"error": {"status", "code", "message", "parameter", "details"}}`.
* `POST /cypher` runs read-only Cypher when the server enables it.
"""


def create_app(settings: ApiSettings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API application.

    Args:
        settings: API settings (default ``ApiSettings.from_env()``).
        store: an open store to serve (kept open at shutdown); default: open ``settings.store_uri`` on first use
            and close it at shutdown.

    Raises ``QueryDefinitionError`` for a malformed query file.
    """
    settings = settings or ApiSettings.from_env()
    if store is not None:
        access = StoreAccess.of(store, settings.max_concurrency, settings.acquire_timeout_s)
    else:
        access = StoreAccess(lambda: open_store(settings.store_uri), settings.max_concurrency,
                             settings.acquire_timeout_s)
    load_queries()  # fail at start-up, not on the first request, if a query file is malformed
    cache = ResponseCache(settings.cache_entries)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        access.close()

    app = FastAPI(title="cellmap-kg", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.access = access
    app.state.cache = cache
    app.state.counts = CountsCache(settings.counts_ttl_s)
    install_error_handlers(app)
    app.add_middleware(ResponseCacheMiddleware, access=access, cache=cache)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "DELETE", "OPTIONS"], allow_headers=["*"], max_age=600)
    for module in (meta, proteins, assemblies, queries, cypher, maps, browser):
        app.include_router(module.router)
    return app


def app_from_env() -> FastAPI:
    """The app with ``ApiSettings.from_env()``: the factory for uvicorn and worker processes."""
    return create_app(ApiSettings.from_env())
