"""The REST API of cellmap-kg (FastAPI): ``cellmap-kg serve`` runs it with uvicorn.

``create_app(settings, store=None)`` builds the application (``cellmap_kg.api.app``); ``ApiSettings`` holds what
it serves and allows (``cellmap_kg.api.settings``). Endpoints: ``/health``, ``/schema``, ``/proteins``,
``/assemblies``, ``/queries`` and, when enabled, ``/cypher``; OpenAPI documentation at ``/docs``.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "ApiSettings":
        from .settings import ApiSettings

        return ApiSettings
    raise AttributeError(name)


__all__ = ["create_app", "ApiSettings"]
