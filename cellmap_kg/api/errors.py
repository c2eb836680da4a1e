"""One error body for every failure, and the exception handlers that produce it.

Every error answer is ``{"error": {"status", "code", "message", "parameter", "details"}}``: ``code`` is a stable
machine-readable word (table below), ``message`` a sentence for people, ``parameter`` names the offending request
parameter (422), ``details`` holds extra structured facts (e.g. candidate symbols). Unexpected exceptions are
logged with their traceback on the server and answered with a bare 500 body: no stack trace reaches a client.

======  =====================  ==========================================================================
status  code                   when
======  =====================  ==========================================================================
400     invalid_cypher         ``/cypher``: the text is not a single valid Cypher query
400     bad_request            any other user error (``cellmap_kg.errors.UserError``, message says why)
403     cypher_disabled        ``/cypher`` is not enabled on this server
403     write_rejected         ``/cypher``: the query would write, load files or call a writing procedure
404     not_found              unknown route, protein, assembly or query
405     method_not_allowed     wrong HTTP method for the route
422     invalid_parameter      a path, query or body parameter is missing or of the wrong type/range
503     store_unavailable      the graph store cannot be reached (down, restarting, loading) or failed
503     store_busy             every store slot stayed busy (too many concurrent requests)
504     timeout                the query ran past its timeout
500     internal_error         a bug (logged on the server)
======  =====================  ==========================================================================
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import UserError
from ..queries.registry import QueryParameterError, UnknownQueryError
from ..store.base import BadParameter, QueryTimeout, StoreError, StoreUnavailable
from .access import StoreBusy

log = logging.getLogger("cellmap_kg.api")

_HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               406: "not_acceptable", 413: "payload_too_large", 415: "unsupported_media_type",
               422: "invalid_parameter", 503: "store_unavailable", 504: "timeout"}


class ErrorDetail(BaseModel):
    """The content of an error body."""

    status: int
    code: str
    message: str
    parameter: str | None = None
    details: Any = None


class ErrorBody(BaseModel):
    """``{"error": ErrorDetail}``: the body of every non-2xx answer."""

    error: ErrorDetail


class ApiError(Exception):
    """An error answer raised by an endpoint: HTTP ``status``, ``code`` (see the module table), ``message``,
    optional ``parameter`` and ``details``."""

    def __init__(self, status: int, code: str, message: str, parameter: str | None = None, details: Any = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.parameter, self.details = parameter, details


def error_response(status: int, code: str, message: str, parameter: str | None = None,
                   details: Any = None, headers: dict | None = None) -> JSONResponse:
    """A ``JSONResponse`` with the error body."""
    body = ErrorBody(error=ErrorDetail(status=status, code=code, message=message, parameter=parameter,
                                       details=details))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def not_found(what: str, key: str, details: Any = None) -> ApiError:
    """A 404 ``not_found`` error for ``what`` (e.g. ``protein``) ``key``."""
    return ApiError(404, "not_found", f"no {what} {key!r}", details=details)


def error_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI ``responses`` entries declaring the error body for ``statuses``."""
    return {status: {"model": ErrorBody, "description": _HTTP_CODES.get(status, "error")} for status in statuses}


def _validation_parameter(error: dict) -> str | None:
    """The parameter of a validation error: its location without the leading ``body``/``query``/``path``/..."""
    loc = [str(x) for x in error.get("loc", ())]
    if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]
    return ".".join(loc) or None


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the error body (see the module docstring)."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.parameter, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no route {request.url.path!r}; the API is described at /docs"
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        parameter = _validation_parameter(first)
        message = f"{parameter}: {first.get('msg', 'invalid value')}" if parameter else first.get("msg", "invalid")
        details = [{"parameter": _validation_parameter(e), "message": e.get("msg")} for e in errors]
        return error_response(422, "invalid_parameter", message, parameter, details)

    @app.exception_handler(QueryParameterError)
    async def _query_parameter_error(request: Request, exc: QueryParameterError) -> JSONResponse:
        return error_response(422, "invalid_parameter", str(exc), exc.parameter)

    @app.exception_handler(UnknownQueryError)
    async def _unknown_query(request: Request, exc: UnknownQueryError) -> JSONResponse:
        return error_response(404, "not_found", str(exc))

    @app.exception_handler(BadParameter)
    async def _bad_parameter(request: Request, exc: BadParameter) -> JSONResponse:
        return error_response(422, "invalid_parameter", str(exc))

    @app.exception_handler(QueryTimeout)
    async def _timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        return error_response(504, "timeout", "the query ran past its timeout")

    @app.exception_handler(StoreBusy)
    async def _busy(request: Request, exc: StoreBusy) -> JSONResponse:
        return error_response(503, "store_busy", str(exc), headers={"Retry-After": "1"})

    @app.exception_handler(StoreUnavailable)
    async def _store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.error("store unavailable on %s %s: %s", request.method, request.url.path, exc)
        return error_response(503, "store_unavailable", "the graph database cannot be reached (stopped, restarting "
                                                        "or loading its data); the API reconnects by itself: retry "
                                                        "in a few seconds", headers={"Retry-After": "2"})

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error on %s %s: %s", request.method, request.url.path, exc)
        return error_response(503, "store_unavailable", "the graph store failed or cannot be reached")

    @app.exception_handler(UserError)
    async def _user_error(request: Request, exc: UserError) -> JSONResponse:
        return error_response(400, "bad_request", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "internal server error (logged on the server)")
