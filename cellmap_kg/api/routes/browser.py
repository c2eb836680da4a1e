"""``GET /browser/guide.html`` and ``GET /browser/style.grass``: the Neo4j Browser guide and style
(:mod:`cellmap_kg.browser`), for ``:play <url>`` and ``:style <url>`` in the Browser.

The Browser fetches them from its own page (another origin: Neo4j's HTTP port) with ``Pragma`` and
``Cache-Control`` request headers, so the browser sends a CORS preflight first. Both are public, static content
without credentials, so they are answered with ``Access-Control-Allow-Origin: *`` (Fetch standard, "CORS
protocol"), and ``OPTIONS`` on them answers the preflight, whatever ``--cors-origin`` says about the rest of the
API. (With ``--cors-origin`` set, the API-wide CORS middleware answers preflights first: list the Browser's
origin, e.g. ``http://127.0.0.1:7474``, there too.) The Browser also checks the API's host against Neo4j's
``browser.remote_content_hostname_whitelist``.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse

from ...browser import style_text
from ...browser.guide import Guide, guide_html, load_guide

router = APIRouter(prefix="/browser", tags=["neo4j browser"])

CORS_HEADERS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT_HEADERS = {**CORS_HEADERS, "Access-Control-Allow-Methods": "GET, OPTIONS",
                     "Access-Control-Allow-Headers": "pragma, cache-control", "Access-Control-Max-Age": "600"}


@lru_cache(maxsize=1)
def _guide() -> Guide:
    return load_guide()


@router.get("/guide.html", response_class=HTMLResponse, summary="Neo4j Browser guide (:play <this url>)")
def guide(request: Request) -> HTMLResponse:
    """The guide's slides (the README's questions as clickable Cypher with their ``:param`` lines); its first
    slide loads the style from this server's ``/browser/style.grass``."""
    style_url = str(request.url_for("browser_style"))
    return HTMLResponse(guide_html(_guide(), style_url), headers=CORS_HEADERS)


@router.get("/style.grass", response_class=PlainTextResponse, name="browser_style",
            summary="Neo4j Browser style (:style <this url>)")
def style() -> PlainTextResponse:
    """The GRASS style: captions and colours per label."""
    return PlainTextResponse(style_text(), headers=CORS_HEADERS)


@router.options("/{name}", include_in_schema=False)
def preflight(name: str) -> Response:
    """The CORS preflight of the Browser's fetch of the guide or the style."""
    return Response(status_code=204, headers=PREFLIGHT_HEADERS)
