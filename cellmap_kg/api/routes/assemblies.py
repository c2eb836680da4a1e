"""Assemblies of the cell maps: ``GET /assemblies`` (list/search), ``/assemblies/{id}``, ``.../members``,
``.../evidence`` (the interaction subnetwork among the members, as nodes + edges JSON or Cytoscape CX2) and
``.../lineage`` (ancestors and descendants through ``CONTAINS``).

Every answer is a query of the library (``assembly``, ``assembly-list``, ``search``, ``assembly-members``,
``assembly-evidence``, ``assembly-ancestry``), the same that ``cellmap-kg query`` and
``KnowledgeGraph().query`` run. Assembly ids are map-namespaced (``U2OS-2023-05:Cluster3-65``, ``NeST:NEST:123``);
they are matched as the rest of the path, so an id may contain ``/`` too.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from ...export.cx2 import CX2Network
from ...queries.registry import get_query
from ..access import StoreAccess
from ..errors import error_responses, not_found
from ..models import Assembly, AssemblyRef, ContainsEdge, Lineage, LineageAssembly, Member, Page, Subnetwork
from ..pagination import MAX_SEARCH_WINDOW, PageParams, json_safe, page_params
from ..settings import ApiSettings
from . import deps
from .deps import ask, ask_page

router = APIRouter(tags=["assemblies"])

EvidenceType = Enum("EvidenceType", {t: t for t in get_query("assembly-evidence").parameters["kinds"].choices},
                    type=str)
"""The measured protein-protein relationship types the ``assembly-evidence`` query shows (its ``kinds`` choices:
``PULLED_DOWN``, ``PROXIMAL_TO``); GNN predictions are not evidence."""

AssemblyId = Annotated[str, Path(min_length=1, max_length=300, description="assembly id, e.g. "
                                                                           "U2OS-2023-05:Cluster3-65")]

RECORD_COLUMNS = ("id", "map", "clusterId", "name", "size", "parents", "children")
"""Columns of the ``assembly`` query with a field of their own in ``Assembly``; the others go to ``properties``."""
EDGE_COLUMNS = ("source", "target", "kind")
"""Columns of the ``assembly-evidence`` query that place an edge; the others (non-null) are its ``properties``."""
ALL_MEMBERS = 1_000_000
"""``limit`` of ``assembly-members`` when every member is wanted (the root of the U2OS map has 5,254)."""


def _members(access: StoreAccess, settings: ApiSettings, assembly_id: str, page: PageParams | None = None) -> dict:
    """The ``assembly-members`` row of ``assembly_id`` (``total`` and one page of ``members``, default all).
    Raises ``ApiError`` 404 for an unknown assembly."""
    paging = {"offset": page.offset, "limit": page.limit} if page else {"limit": ALL_MEMBERS}
    rows = ask(access, settings, "assembly-members", id=assembly_id, **paging)
    if not rows:
        raise not_found("assembly", assembly_id)
    return rows[0]


@router.get("/assemblies", response_model=Page[AssemblyRef], summary="List or search assemblies (paginated)",
            responses=error_responses(422, 503, 504))
def list_assemblies(request: Request,
                    page: Annotated[PageParams, Depends(page_params)],
                    access: Annotated[StoreAccess, Depends(deps.access)],
                    settings: Annotated[ApiSettings, Depends(deps.settings)],
                    map: Annotated[str | None, Query(max_length=100, description="only this cell map, e.g. "
                                                                                 "U2OS-2023-05")] = None,
                    search: Annotated[str | None, Query(min_length=1, max_length=200,
                                                        description="search on name and id (the library's search "
                                                                    "query)")] = None) -> Any:
    """Without ``search``: assemblies by id (query ``assembly-list``, ``total`` given). With ``search``: best
    matches first (query ``search``), ``total`` null, ``offset + limit`` at most 1000."""
    if search is None:
        rows, total = ask_page(access, settings, "assembly-list", page, map=map or "")
        next_url = page.next_url(request, total, len(rows))
    else:
        page.check_search_window()
        total = None
        hits = [h["key"] for h in ask(access, settings, "search", text=search, labels=["Assembly"],
                                      limit=MAX_SEARCH_WINDOW if map else page.offset + page.limit)]
        refs = {r["id"]: r for r in ask(access, settings, "assembly-list", map=map or "", ids=hits,
                                        limit=len(hits) or 1)}
        rows = [refs[h] for h in hits if h in refs][page.offset:page.offset + page.limit]
        next_url = page.search_next_url(request, len(rows))
    items = [AssemblyRef(id=r["id"], name=r["name"], map=r["map"], size=r["size"]) for r in rows]
    return Page[AssemblyRef](items=items, total=total, limit=page.limit, offset=page.offset, next=next_url)


@router.get("/assemblies/{assembly_id:path}/members", response_model=Page[Member],
            summary="Member proteins of an assembly (paginated)", responses=error_responses(404, 422, 503, 504))
def assembly_members(assembly_id: AssemblyId, request: Request,
                     page: Annotated[PageParams, Depends(page_params)],
                     access: Annotated[StoreAccess, Depends(deps.access)],
                     settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """Members by symbol (query ``assembly-members``), with ``total``."""
    row = _members(access, settings, assembly_id, page)
    items = [Member(**m) for m in row["members"]]
    return Page[Member](items=items, total=row["total"], limit=page.limit, offset=page.offset,
                        next=page.next_url(request, row["total"], len(items)))


def evidence_cx2(network: Subnetwork) -> list[dict]:
    """``network`` as a Cytoscape CX2 network: nodes named by symbol, edges with ``interaction`` = relationship
    type and the relationship's scalar properties."""
    cx2 = CX2Network({"name": f"{network.assembly} evidence",
                      "description": f"{', '.join(network.types)} among the members of {network.assembly} "
                                     "(cellmap-kg)"})
    ids = {n.id: cx2.add_node({"name": n.id, "represents": n.id, "fullName": n.name}) for n in network.nodes}
    for e in network.edges:
        props = {k: v for k, v in e.properties.items() if isinstance(v, str | int | float) and k != "interaction"}
        cx2.add_edge(ids[e.source], ids[e.target], {"interaction": e.type, **props})
    return cx2.to_cx2()


@router.get("/assemblies/{assembly_id:path}/evidence", response_model=Subnetwork | list[dict[str, Any]],
            summary="Interactions among an assembly's members (JSON or Cytoscape CX2)",
            responses=error_responses(404, 422, 503, 504))
def assembly_evidence(assembly_id: AssemblyId,
                      access: Annotated[StoreAccess, Depends(deps.access)],
                      settings: Annotated[ApiSettings, Depends(deps.settings)],
                      types: Annotated[list[EvidenceType] | None, Query(description="relationship types (default "
                                                                                    "all protein-protein types)")]
                      = None,
                      format: Annotated[Literal["json", "cx2"], Query(description="json (nodes + edges) or cx2 "
                                                                                  "(Cytoscape)")] = "json",
                      maxEdges: Annotated[int, Query(ge=1, le=100_000, description="edges returned at most")]
                      = 10_000) -> Any:
    """The member proteins (nodes, query ``assembly-members``) and the protein-protein relationships among them
    (edges, query ``assembly-evidence``: ``PULLED_DOWN`` pull-downs with enrichment and stoichiometry,
    ``PROXIMAL_TO`` co-embedding proximity), each with its ``dataset``. ``truncated`` is true if more than
    ``maxEdges`` edges exist. ``?format=cx2`` answers the same subnetwork as a Cytoscape CX2 network."""
    chosen = sorted(t.value for t in types) if types else sorted(t.value for t in EvidenceType)
    members = _members(access, settings, assembly_id)["members"]
    edges = ask(access, settings, "assembly-evidence", id=assembly_id, kinds=chosen, limit=maxEdges + 1)
    edges.sort(key=lambda e: (e["source"], e["target"], e["kind"]))
    network = Subnetwork(
        assembly=assembly_id, types=chosen, nodes=[{"id": m["symbol"], "name": m["name"]} for m in members],
        edges=[{"source": e["source"], "target": e["target"], "type": e["kind"],
                "properties": json_safe({k: v for k, v in e.items() if k not in EDGE_COLUMNS and v is not None})}
               for e in edges[:maxEdges]],
        truncated=len(edges) > maxEdges)
    if format == "cx2":
        return JSONResponse(evidence_cx2(network))
    return network


@router.get("/assemblies/{assembly_id:path}/lineage", response_model=Lineage,
            summary="Ancestors and descendants of an assembly", responses=error_responses(404, 422, 503, 504))
def assembly_lineage(assembly_id: AssemblyId,
                     access: Annotated[StoreAccess, Depends(deps.access)],
                     settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """Ancestors (up to the map's root) and descendants through ``CONTAINS``, each with ``depth`` = fewest
    steps from the assembly, and the ``CONTAINS`` edges among them and the assembly (a DAG: an assembly may have
    several parents). Query ``assembly-ancestry``."""
    rows = ask(access, settings, "assembly-ancestry", id=assembly_id)
    if not rows:
        raise not_found("assembly", assembly_id)
    row = rows[0]
    return Lineage(assembly=assembly_id, ancestors=[LineageAssembly(**r) for r in row["ancestors"]],
                   descendants=[LineageAssembly(**r) for r in row["descendants"]],
                   edges=[ContainsEdge(**e) for e in row["edges"]])


@router.get("/assemblies/{assembly_id:path}", response_model=Assembly, summary="One assembly",
            responses=error_responses(404, 422, 503, 504))
def get_assembly(assembly_id: AssemblyId,
                 access: Annotated[StoreAccess, Depends(deps.access)],
                 settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """The ``assembly`` library query's record: size, persistence, estimated diameter, annotation, members,
    enrichments, mutations ... (in ``properties``), parents and children (smallest first) and the number of member
    proteins in the graph."""
    rows = ask(access, settings, "assembly", id=assembly_id)
    if not rows:
        raise not_found("assembly", assembly_id)
    row = rows[0]
    return Assembly(id=row["id"], map=row["map"], clusterId=row["clusterId"], name=row["name"], size=row["size"],
                    memberCount=len(row["members"]),
                    properties=json_safe({k: v for k, v in row.items() if k not in RECORD_COLUMNS}),
                    parents=[AssemblyRef(**p) for p in row["parents"]],
                    children=[AssemblyRef(**c) for c in row["children"]])
