"""``GET /health`` (store reachable, build date, counts) and ``GET /schema`` (the schema declaration)."""

from __future__ import annotations

import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ...schema import SCHEMA, Property, Schema
from ...store.base import StoreError
from ..access import StoreAccess, StoreBusy
from ..models import BuildInfo, Health
from ..settings import ApiSettings
from . import deps

router = APIRouter(tags=["meta"])


class CountsCache:
    """``store.counts()`` remembered for ``ttl_s`` seconds (``/health`` is polled; counting every label and type
    on each poll would be wasteful)."""

    def __init__(self, ttl_s: float):
        self.ttl_s = ttl_s
        self._value: dict | None = None
        self._at = 0.0
        self._lock = threading.Lock()

    def get(self, store) -> dict[str, dict[str, int]]:
        """The cached counts, recounted on ``store`` when older than ``ttl_s``."""
        with self._lock:
            if self._value is None or time.monotonic() - self._at > self.ttl_s:
                self._value, self._at = store.counts(), time.monotonic()
            return self._value


async def counts_cache(request: Request) -> CountsCache:
    """The app's ``CountsCache`` (created by ``create_app``)."""
    return request.app.state.counts


@router.get("/health", response_model=Health, summary="Store reachable, graph build date, counts",
            responses={503: {"model": Health, "description": "the store cannot be reached (status unavailable)"}})
def health(access: Annotated[StoreAccess, Depends(deps.access)],
           settings: Annotated[ApiSettings, Depends(deps.settings)],
           counts: Annotated[CountsCache, Depends(counts_cache)]) -> Any:
    """``status`` is ``ok`` when the store answers; ``build`` is the last build (query ``graph-build``; ``null``
    for a graph built without it) and ``counts`` the nodes per label and relationships per type."""
    try:
        rows = deps.ask(access, settings, "graph-build")
        with access.use() as store:
            body = Health(status="ok", backend=store.backend, store=getattr(store, "uri", None),
                          build=BuildInfo(**rows[0]) if rows else None, counts=counts.get(store))
    except (StoreError, StoreBusy) as exc:
        body = Health(status="unavailable", message=f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        return JSONResponse(body.model_dump(), status_code=503)
    return body


def _property(prop: Property) -> dict:
    return {"type": prop.type, "unit": prop.unit, "description": prop.description, "computed": prop.computed}


def schema_document(schema: Schema = SCHEMA) -> dict:
    """The schema declaration as JSON: ``nodes`` by label (key, description, extraLabels, properties) and
    ``relationships`` by type (sources, targets: the allowed end labels; description, computed, properties)."""
    return {
        "nodes": {label: {"key": n.key, "description": n.description, "extraLabels": list(n.extra_labels),
                          "properties": {k: _property(p) for k, p in n.properties.items()}}
                  for label, n in schema.nodes.items()},
        "relationships": {t: {"sources": list(r.sources), "targets": list(r.targets), "description": r.description,
                              "computed": r.computed, "properties": {k: _property(p) for k, p in r.properties.items()}}
                          for t, r in schema.relationships.items()},
    }


@router.get("/schema", summary="The graph schema: labels, keys, properties (types, units), relationships")
def schema() -> dict[str, dict[str, Any]]:
    """The schema declaration (``cellmap_kg/schema/schema.yaml``) as JSON."""
    return schema_document()
