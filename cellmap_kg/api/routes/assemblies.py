"""Assemblies of the cell maps: ``GET /assemblies`` (list/search), ``/assemblies/{id}``, ``.../members``,
``.../evidence`` (the interaction subnetwork among the members, as nodes + edges JSON or Cytoscape CX2) and
``.../lineage`` (ancestors and descendants through ``CONTAINS``).

Assembly ids are map-namespaced (``U2OS-2023-05:Cluster3-65``, ``NeST:NEST:123``); they are matched as the rest
of the path, so an id may contain ``/`` too.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from ...export.cx2 import CX2Network
from ...schema import SCHEMA
from ...store.base import GraphStore
from ..access import StoreAccess
from ..errors import error_responses, not_found
from ..models import Assembly, AssemblyRef, ContainsEdge, Lineage, LineageAssembly, Member, Page, Subnetwork
from ..pagination import MAX_SEARCH_WINDOW, PageParams, json_safe, page_params
from ..settings import ApiSettings
from . import deps

router = APIRouter(tags=["assemblies"])

MAX_LINEAGE_DEPTH = 20
"""Longest ``CONTAINS`` chain followed by ``/lineage`` (the U2OS map is 7 levels deep)."""

EvidenceType = Enum("EvidenceType", {t: t for t, r in SCHEMA.relationships.items()
                                     if r.sources == ("Protein",) and r.targets == ("Protein",)}, type=str)
"""Protein-protein relationship types of the schema (``PULLED_DOWN``, ``PROXIMAL_TO``)."""

AssemblyId = Annotated[str, Path(min_length=1, max_length=300, description="assembly id, e.g. "
                                                                           "U2OS-2023-05:Cluster3-65")]

REF = "{id: x.id, name: x.name, map: x.map, size: x.size}"
ASSEMBLY_CYPHER = f"""
MATCH (a:Assembly {{id: $id}})
OPTIONAL MATCH (parent:Assembly)-[:CONTAINS]->(a)
WITH a, collect(parent) AS parents
OPTIONAL MATCH (a)-[:CONTAINS]->(child:Assembly)
WITH a, parents, collect(child) AS children
OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(a)
RETURN a AS assembly, [x IN parents | {REF}] AS parents, [x IN children | {REF}] AS children,
       count(p) AS memberCount
"""
EXISTS_CYPHER = "MATCH (a:Assembly {id: $id}) RETURN a.id AS id"
MEMBER_COUNT_CYPHER = ("MATCH (a:Assembly {id: $id}) OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(a) "
                       "RETURN count(p) AS n")
MEMBERS_CYPHER = ("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {id: $id}) "
                  "RETURN p.symbol AS symbol, p.name AS name, p.hgncId AS hgncId, p.pubmedCount AS pubmedCount "
                  "ORDER BY symbol SKIP $offset LIMIT $limit")
MEMBER_NODES_CYPHER = ("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {id: $id}) "
                       "RETURN p.symbol AS id, p.name AS name ORDER BY id")
EVIDENCE_CYPHER = ("MATCH (a:Assembly {{id: $id}})<-[:MEMBER_OF]-(p:Protein)-[r:{types}]->(q:Protein) "
                   "WHERE (q)-[:MEMBER_OF]->(a) "
                   "RETURN p.symbol AS source, q.symbol AS target, type(r) AS type, properties(r) AS properties "
                   "LIMIT $limit")
"""``{types}``: ``|``-joined relationship types, validated against ``EvidenceType``. The membership of ``q`` is a
pattern predicate so that both planners traverse member -> interaction partner and then check the partner
(closing the triangle from the assembly side would pair every two members first)."""
ANCESTORS_CYPHER = (f"MATCH path = (x:Assembly)-[:CONTAINS*1..{MAX_LINEAGE_DEPTH}]->(a:Assembly {{id: $id}}) "
                    "RETURN x.id AS id, x.name AS name, x.map AS map, x.size AS size, min(length(path)) AS depth "
                    "ORDER BY depth, id")
DESCENDANTS_CYPHER = (f"MATCH path = (a:Assembly {{id: $id}})-[:CONTAINS*1..{MAX_LINEAGE_DEPTH}]->(x:Assembly) "
                      "RETURN x.id AS id, x.name AS name, x.map AS map, x.size AS size, min(length(path)) AS depth "
                      "ORDER BY depth, id")
LINEAGE_EDGES_CYPHER = ("MATCH (x:Assembly)-[:CONTAINS]->(y:Assembly) WHERE x.id IN $ids AND y.id IN $ids "
                        "RETURN x.id AS parent, y.id AS child ORDER BY parent, child")
COUNT_CYPHER = "MATCH (a:Assembly) WHERE $map IS NULL OR a.map = $map RETURN count(a) AS n"
LIST_CYPHER = ("MATCH (a:Assembly) WHERE $map IS NULL OR a.map = $map "
               "RETURN a.id AS id, a.name AS name, a.map AS map, a.size AS size ORDER BY id SKIP $offset LIMIT $limit")
REFS_CYPHER = ("MATCH (a:Assembly) WHERE a.id IN $ids AND ($map IS NULL OR a.map = $map) "
               "RETURN a.id AS id, a.name AS name, a.map AS map, a.size AS size")


def _require(store: GraphStore, assembly_id: str, timeout_ms: int) -> None:
    if not store.query(EXISTS_CYPHER, {"id": assembly_id}, read_only=True, timeout_ms=timeout_ms):
        raise not_found("assembly", assembly_id)


@router.get("/assemblies", response_model=Page[AssemblyRef], summary="List or search assemblies (paginated)",
            responses=error_responses(422, 503, 504))
def list_assemblies(request: Request,
                    page: Annotated[PageParams, Depends(page_params)],
                    access: Annotated[StoreAccess, Depends(deps.access)],
                    settings: Annotated[ApiSettings, Depends(deps.settings)],
                    map: Annotated[str | None, Query(max_length=100, description="only this cell map, e.g. "
                                                                                 "U2OS-2023-05")] = None,
                    search: Annotated[str | None, Query(min_length=1, max_length=200,
                                                        description="full-text search on name and id")] = None) -> Any:
    """Without ``search``: assemblies by id (``total`` given). With ``search``: best matches first, ``total``
    null, ``offset + limit`` at most 1000."""
    timeout = settings.query_timeout_ms
    with access.use() as store:
        if search is None:
            total = store.query(COUNT_CYPHER, {"map": map}, read_only=True, timeout_ms=timeout)[0]["n"]
            rows = store.query(LIST_CYPHER, {"map": map, "offset": page.offset, "limit": page.limit},
                               read_only=True, timeout_ms=timeout)
        else:
            page.check_search_window()
            total = None
            hits = [h["key"] for h in store.fulltext_search("Assembly", search, limit=MAX_SEARCH_WINDOW)]
            refs = {r["id"]: r for r in store.query(REFS_CYPHER, {"ids": hits, "map": map}, read_only=True,
                                                    timeout_ms=timeout)}
            rows = [refs[h] for h in hits if h in refs][page.offset:page.offset + page.limit]
    items = [AssemblyRef(**r) for r in rows]
    next_url = page.search_next_url(request, len(items)) if search is not None else page.next_url(
        request, total, len(items))
    return Page[AssemblyRef](items=items, total=total, limit=page.limit, offset=page.offset,
                             next=next_url)


@router.get("/assemblies/{assembly_id:path}/members", response_model=Page[Member],
            summary="Member proteins of an assembly (paginated)", responses=error_responses(404, 422, 503, 504))
def assembly_members(assembly_id: AssemblyId, request: Request,
                     page: Annotated[PageParams, Depends(page_params)],
                     access: Annotated[StoreAccess, Depends(deps.access)],
                     settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """Members by symbol, with ``total``."""
    timeout = settings.query_timeout_ms
    with access.use() as store:
        _require(store, assembly_id, timeout)
        total = store.query(MEMBER_COUNT_CYPHER, {"id": assembly_id}, read_only=True, timeout_ms=timeout)[0]["n"]
        rows = store.query(MEMBERS_CYPHER, {"id": assembly_id, "offset": page.offset, "limit": page.limit},
                           read_only=True, timeout_ms=timeout)
    items = [Member(**r) for r in rows]
    return Page[Member](items=items, total=total, limit=page.limit, offset=page.offset,
                        next=page.next_url(request, total, len(items)))


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
    """The member proteins (nodes) and the protein-protein relationships among them (edges: ``PULLED_DOWN``
    pull-downs with enrichment and stoichiometry, ``PROXIMAL_TO`` co-embedding proximity), each with its
    ``dataset``. ``truncated`` is true if more than ``maxEdges`` edges exist. ``?format=cx2`` answers the same
    subnetwork as a Cytoscape CX2 network."""
    chosen = sorted(t.value for t in types) if types else sorted(t.value for t in EvidenceType)
    timeout = settings.query_timeout_ms
    with access.use() as store:
        _require(store, assembly_id, timeout)
        nodes = store.query(MEMBER_NODES_CYPHER, {"id": assembly_id}, read_only=True, timeout_ms=timeout)
        edges = store.query(EVIDENCE_CYPHER.format(types="|".join(chosen)), {"id": assembly_id, "limit": maxEdges + 1},
                            read_only=True, timeout_ms=timeout)
    edges.sort(key=lambda e: (e["source"], e["target"], e["type"]))
    network = Subnetwork(assembly=assembly_id, types=chosen, nodes=nodes,
                         edges=[{**e, "properties": json_safe(e["properties"])} for e in edges[:maxEdges]],
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
    several parents)."""
    timeout = settings.query_timeout_ms
    with access.use() as store:
        _require(store, assembly_id, timeout)
        ancestors = store.query(ANCESTORS_CYPHER, {"id": assembly_id}, read_only=True, timeout_ms=timeout)
        descendants = store.query(DESCENDANTS_CYPHER, {"id": assembly_id}, read_only=True, timeout_ms=timeout)
        ids = [assembly_id] + [r["id"] for r in ancestors + descendants]
        edges = store.query(LINEAGE_EDGES_CYPHER, {"ids": ids}, read_only=True, timeout_ms=timeout)
    return Lineage(assembly=assembly_id, ancestors=[LineageAssembly(**r) for r in ancestors],
                   descendants=[LineageAssembly(**r) for r in descendants],
                   edges=[ContainsEdge(**e) for e in edges])


@router.get("/assemblies/{assembly_id:path}", response_model=Assembly, summary="One assembly",
            responses=error_responses(404, 422, 503, 504))
def get_assembly(assembly_id: AssemblyId,
                 access: Annotated[StoreAccess, Depends(deps.access)],
                 settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """The assembly's properties (size, persistence, estimated diameter, annotation, mutation frequency ...),
    its parents and children, and the number of member proteins in the graph."""
    with access.use() as store:
        rows = store.query(ASSEMBLY_CYPHER, {"id": assembly_id}, read_only=True, timeout_ms=settings.query_timeout_ms)
    if not rows or rows[0]["assembly"] is None:
        raise not_found("assembly", assembly_id)
    row = rows[0]
    node = dict(row["assembly"])
    node.pop("_labels", None)
    return Assembly(id=node["id"], map=node.get("map"), clusterId=node.get("clusterId"), name=node.get("name"),
                    size=node.get("size"), memberCount=row["memberCount"], properties=json_safe(node),
                    parents=sorted((AssemblyRef(**p) for p in row["parents"]), key=lambda a: a.id),
                    children=sorted((AssemblyRef(**c) for c in row["children"]), key=lambda a: a.id))
