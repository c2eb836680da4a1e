"""Cell maps: ``GET /maps`` (the library query ``maps``), and, when the server allows graph writes
(``--map-writes`` / ``CELLMAP_KG_API_MAP_WRITES=1``), ``POST /maps`` (add a map from the text of its files),
``DELETE /maps/{name}`` and ``POST /maps/{a}/compare/{b}`` (best matches written as ``MATCHES``).

``POST /maps`` takes the files' text in a JSON body (CX2 is JSON already; HiDeF and DDOT files are text), writes
them into a private temporary directory and calls ``cellmap_kg.maps.add_map``, so the API adds a map exactly as
``cellmap-kg map add`` does: format detection, member resolution with the unresolved names reported, the
map-level analyses, one atomic commit. The symbol resolver is built once (``$CELLMAP_KG_DATA``) and kept.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from ...analyses.graph_io import AnalysisError, MissingInputError
from ...analyses.registry import AnalysisOptions
from ...loaders.base import DataFormatError, MissingDataError
from ...maps import add_map, compare_maps, list_maps, remove_map
from ...maps.graph import MAP_NAME, MapError
from ...schema import SchemaError
from ...sources import default_data_dir
from ..access import StoreAccess
from ..errors import ApiError, error_responses
from ..pagination import json_safe
from ..settings import ApiSettings
from . import deps

router = APIRouter(tags=["maps"])

MAX_FILE_CHARS = 50_000_000
"""Largest file text accepted in a ``POST /maps`` body (characters)."""
FILE_NAMES = {"hcx": "hierarchy.cx2", "hidef": "hierarchy.nodes", "ddot": "hierarchy.ont", None: "hierarchy"}
MapName = Annotated[str, Path(pattern=MAP_NAME.pattern, description="map name, e.g. U2OS-2023-05")]
_resolver_lock = threading.Lock()


class MapUpload(BaseModel):
    """``POST /maps``: the map's name and the text of its files."""

    map: str = Field(pattern=MAP_NAME.pattern, description="name of the new map, e.g. HEK293-2024")
    format: Literal["hcx", "hidef", "ddot"] | None = Field(None, description="file format (null: detected)")
    content: str = Field(max_length=MAX_FILE_CHARS, description="the hierarchy file: CX2 JSON, HiDeF .nodes or "
                                                                 "DDOT .ont text")
    edges: str | None = Field(None, max_length=MAX_FILE_CHARS, description="HiDeF only: the .edges file")
    parent: str | None = Field(None, max_length=MAX_FILE_CHARS,
                               description="HCX only: the parent interactome CX2 that HCX::members index")
    names: str | None = Field(None, max_length=MAX_FILE_CHARS,
                              description="LLM-name table (cluster_id, size, persistence, llm_name; tab-separated)")
    analyses: bool = Field(True, description="run the map-level analyses before the map becomes visible")
    permutations: int = Field(1000, ge=1, le=10000, description="HiSig permutations")


def _require_writes(settings: ApiSettings) -> None:
    if not settings.map_writes_enabled:
        raise ApiError(403, "map_writes_disabled", "adding, removing and comparing maps is disabled on this server; "
                                                   "start it with `cellmap-kg serve --map-writes` or "
                                                   "CELLMAP_KG_API_MAP_WRITES=1")


def _resolver(request: Request):
    """The app's symbol resolver, built from ``$CELLMAP_KG_DATA`` on first use."""
    from ...loaders.symbols import SymbolResolver

    with _resolver_lock:
        if getattr(request.app.state, "resolver", None) is None:
            request.app.state.resolver = SymbolResolver.from_data_dir(default_data_dir())
        return request.app.state.resolver


def _user_error(exc: Exception, directory: str | None = None) -> ApiError:
    message = str(exc).replace(f"{directory}/", "") if directory else str(exc)
    if isinstance(exc, MapError) and "already has a map" in message:
        return ApiError(409, "map_exists", message)
    if isinstance(exc, MissingInputError):
        return ApiError(404, "not_found", message)
    return ApiError(422, "invalid_map", message)


@router.get("/maps", summary="The cell maps of the graph", responses=error_responses(503, 504))
def maps(access: Annotated[StoreAccess, Depends(deps.access)]) -> list[dict[str, Any]]:
    """One item per map: ``map``, ``assemblies``, ``proteins``, ``dataset``, ``cellLine``, ``added`` (added with
    ``map add``) and ``details`` (how an added map was read, JSON)."""
    with access.use() as store:
        return [json_safe(r) for r in list_maps(store)]


@router.post("/maps", status_code=201, summary="Add a cell map (HCX/CX2, HiDeF, DDOT), atomically",
             responses=error_responses(400, 403, 409, 422, 503))
def add(body: MapUpload, request: Request, access: Annotated[StoreAccess, Depends(deps.access)],
        settings: Annotated[ApiSettings, Depends(deps.settings)]) -> dict[str, Any]:
    """Add the map given as file text; answers the ``add_map`` summary (counts, member source, unresolved member
    names, analyses, timings). 409 if the map exists, 422 naming the file and line for a malformed file."""
    _require_writes(settings)
    resolver = _resolver(request)
    with tempfile.TemporaryDirectory(prefix="cellmap-kg-map-") as directory:
        folder = FilePath(directory)
        main = folder / FILE_NAMES[body.format]
        main.write_text(body.content, encoding="utf-8")
        extra = {}
        for key, text, file in (("edges", body.edges, "hierarchy.edges"), ("parent", body.parent, "parent.cx2"),
                                ("names", body.names, "names.tsv")):
            if text is not None:
                (folder / file).write_text(text, encoding="utf-8")
                extra[key] = folder / file
        try:
            with access.use() as store:
                result = add_map(store, main, body.map, fmt=body.format, resolver=resolver,
                                 data_dir=default_data_dir(), analyses=body.analyses,
                                 options=AnalysisOptions(data_dir=default_data_dir(),
                                                         permutations=body.permutations), **extra)
        except (MapError, DataFormatError, MissingDataError, SchemaError, AnalysisError, ValueError) as exc:
            raise _user_error(exc, directory) from exc
    return json_safe(result.summary())


@router.delete("/maps/{name}", summary="Remove a map added with POST /maps", responses=error_responses(403, 404, 422))
def remove(name: MapName, access: Annotated[StoreAccess, Depends(deps.access)],
           settings: Annotated[ApiSettings, Depends(deps.settings)]) -> dict[str, Any]:
    """Remove the map, its assemblies and every relationship of them in one statement; 404 for an unknown map,
    422 for a map declared in sources.yaml."""
    _require_writes(settings)
    with access.use() as store:
        try:
            return remove_map(store, name)
        except MapError as exc:
            status = 404 if str(exc).startswith("no map") else 422
            raise ApiError(status, "not_found" if status == 404 else "invalid_map", str(exc)) from exc


@router.post("/maps/{a}/compare/{b}", summary="Compare two maps: best matches by Jaccard, written as MATCHES",
             responses=error_responses(403, 404, 422))
def compare(a: MapName, b: MapName, access: Annotated[StoreAccess, Depends(deps.access)],
            settings: Annotated[ApiSettings, Depends(deps.settings)],
            shared_proteins: Annotated[bool, Query(alias="sharedProteins", description=(
                "restrict member sets to the proteins both maps hold"))] = False) -> dict[str, Any]:
    """Write each assembly's best match in the other map (both directions) and answer the comparison summary
    (assemblies of each map by best Jaccard band, reciprocal pairs). Then ask `/queries/map-specific-assemblies`,
    `/queries/conserved-assemblies` or `/queries/assembly-counterparts`."""
    _require_writes(settings)
    with access.use() as store:
        try:
            return json_safe(compare_maps(store, a, b, shared_proteins=shared_proteins))
        except AnalysisError as exc:
            raise _user_error(exc) from exc
