"""Pagination of list endpoints: ``?limit=&offset=`` parameters and the ``next`` link, and JSON-safe values.

Every list endpoint takes ``limit`` (1..``MAX_LIMIT``, default ``DEFAULT_LIMIT``) and ``offset`` (0..
``MAX_OFFSET``) and answers a ``Page`` whose ``next`` is the request URL with ``offset`` advanced, or null on the
last page. The rows of a library query page with ``_limit`` and ``_offset`` instead, since the query string also
carries the query's own parameters (which may include a ``limit``).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
MAX_SEARCH_WINDOW = 1000
"""Deepest result a full-text search pages to (``offset + limit``): the index ranks a bounded candidate list."""


@dataclass(frozen=True)
class PageParams:
    """Validated ``limit`` and ``offset`` and the query-string names they came under."""

    limit: int
    offset: int
    limit_name: str = "limit"
    offset_name: str = "offset"

    def next_url(self, request: Request, total: int | None, returned: int) -> str | None:
        """The URL of the next page, or ``None`` if this page is the last (``total`` known) or not full."""
        end = self.offset + returned
        if (total is not None and end >= total) or (total is None and returned < self.limit):
            return None
        return str(request.url.include_query_params(**{self.offset_name: end, self.limit_name: self.limit}))

    def check_search_window(self) -> None:
        """Raise ``ApiError`` 422 (parameter ``offset``) if a search page reaches past ``MAX_SEARCH_WINDOW``."""
        from .errors import ApiError

        if self.offset + self.limit > MAX_SEARCH_WINDOW:
            raise ApiError(422, "invalid_parameter", f"offset + limit may not exceed {MAX_SEARCH_WINDOW} for a "
                                                     "search; refine the search text", parameter=self.offset_name)

    def search_next_url(self, request: Request, returned: int) -> str | None:
        """``next_url`` of a search page (total unknown); ``None`` once the next page would pass the window."""
        if self.offset + 2 * self.limit > MAX_SEARCH_WINDOW:
            return None
        return self.next_url(request, None, returned)


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> PageParams:
    """FastAPI dependency: the page parameters of the request."""
    return PageParams(limit, offset)


def json_safe(value: object) -> object:
    """``value`` with what JSON cannot hold replaced: NaN and infinities -> ``None``, bytes -> base64 text;
    dicts and lists recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


async def row_page_params(
    limit: Annotated[int, Query(alias="_limit", ge=1, le=MAX_LIMIT, description="rows per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(alias="_offset", ge=0, le=MAX_OFFSET, description="rows to skip")] = 0,
) -> PageParams:
    """FastAPI dependency for the rows of a library query: ``_limit`` and ``_offset``, which no query parameter
    can be called (query parameter names start with a lower-case letter), so a query may have its own ``limit``."""
    return PageParams(limit, offset, "_limit", "_offset")
