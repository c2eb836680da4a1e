"""Response and request bodies of the REST API (pydantic models; they also document the API at ``/docs``).

Property maps (``properties``) hold the columns of the library query behind the route (``protein``,
``assembly``; see ``GET /queries``) that have no field of their own: declared properties as stored (``GET /schema``
gives their types and units) and the query's lists (pull-downs, GO terms, enrichments ...).
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, StringConstraints

T = TypeVar("T")

ParameterName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=100)]
"""A Cypher ``$parameter`` name."""


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items``, the ``total`` number when known, and the link to the ``next`` page."""

    items: list[T]
    total: int | None = Field(None, description="number of items over all pages (null if not counted)")
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, null on the last page")


class BuildInfo(BaseModel):
    """When and from what the graph was built (the ``GraphBuild`` node; ``buildId`` is new with every build)."""

    buildId: str | None = None
    startedAt: str | None = None
    finishedAt: str | None = None
    sources: list[str] = []
    elements: int | None = None


class Health(BaseModel):
    """``GET /health``: whether the store answers, the build date and node/relationship counts."""

    status: Literal["ok", "unavailable"]
    backend: str | None = None
    store: str | None = None
    build: BuildInfo | None = None
    counts: dict[str, dict[str, int]] | None = None
    message: str | None = None


class AssemblyRef(BaseModel):
    """A short reference to an assembly."""

    id: str
    name: str | None = None
    map: str | None = None
    size: int | None = None


class Localization(BaseModel):
    """A compartment the protein is observed in, in the source's vocabulary."""

    compartment: str
    vocabulary: str | None = None
    dataset: str | None = None


class Protein(BaseModel):
    """``GET /proteins/{symbol}``: the ``protein`` library query's record - how the requested name was resolved,
    the extra labels, assemblies and localizations, and every other column of the query in ``properties``."""

    symbol: str = Field(description="HGNC-approved symbol")
    requested: str = Field(description="the name in the request")
    resolvedBy: Literal["approved", "case", "previous", "alias"] = Field(
        description="approved symbol, approved symbol in other letter case, HGNC previous symbol or alias")
    labels: list[str]
    properties: dict[str, Any]
    assemblies: list[AssemblyRef]
    localizations: list[Localization]


class ProteinSummary(BaseModel):
    """A protein in a list or search result (``score``: full-text relevance, search only)."""

    symbol: str
    name: str | None = None
    score: float | None = None


class Assembly(BaseModel):
    """``GET /assemblies/{id}``: the ``assembly`` library query's record - parents, children, member count and every
    other column of the query (members, enrichments, annotation ...) in ``properties``."""

    id: str
    map: str | None = None
    clusterId: str | None = None
    name: str | None = None
    size: int | None = None
    memberCount: int
    properties: dict[str, Any]
    parents: list[AssemblyRef]
    children: list[AssemblyRef]


class Member(BaseModel):
    """A member protein of an assembly."""

    symbol: str
    name: str | None = None
    hgncId: str | None = None
    pubmedCount: int | None = None


class SubnetworkNode(BaseModel):
    """A protein node of an evidence subnetwork (``id`` = symbol)."""

    id: str
    name: str | None = None


class SubnetworkEdge(BaseModel):
    """A protein-protein relationship among an assembly's members, with its ``dataset`` and measurements."""

    source: str
    target: str
    type: str
    properties: dict[str, Any]


class Subnetwork(BaseModel):
    """``GET /assemblies/{id}/evidence``: the members and the interactions among them that support the assembly."""

    assembly: str
    types: list[str]
    nodes: list[SubnetworkNode]
    edges: list[SubnetworkEdge]
    truncated: bool = Field(description="more edges exist than maxEdges")


class LineageAssembly(AssemblyRef):
    """An ancestor or descendant with its distance (``depth``: fewest ``CONTAINS`` steps)."""

    depth: int


class ContainsEdge(BaseModel):
    """``parent`` contains ``child``."""

    parent: str
    child: str


class Lineage(BaseModel):
    """``GET /assemblies/{id}/lineage``: ancestors up to the root, descendants, and the containment edges among
    them and the assembly."""

    assembly: str
    ancestors: list[LineageAssembly]
    descendants: list[LineageAssembly]
    edges: list[ContainsEdge]


class QueryParameter(BaseModel):
    """One declared parameter of a library query."""

    type: str
    required: bool
    default: Any = None
    unit: str | None = None
    description: str
    choices: list[Any] | None = None


class QueryInfo(BaseModel):
    """A library query: what it answers, its parameters and result columns."""

    name: str
    question: str
    description: str = ""
    reproduces: str | None = None
    columns: list[str]
    parameters: dict[str, QueryParameter]


class QueryRun(BaseModel):
    """``POST /queries/{name}`` body: parameter values (typed JSON values or strings)."""

    parameters: dict[str, Any] = Field(default_factory=dict)


class QueryResult(BaseModel):
    """Rows of a library query (one page) with the parameters it ran with."""

    query: str
    question: str
    columns: list[str]
    parameters: dict[str, Any]
    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next: str | None = None


class CypherRequest(BaseModel):
    """``POST /cypher`` body: one read-only Cypher query and its ``$parameters``."""

    query: str = Field(min_length=1, max_length=20000, description="one read-only Cypher statement")
    parameters: dict[ParameterName, Any] = Field(default_factory=dict, description="values of the $parameters")


class CypherResult(BaseModel):
    """Rows of a ``/cypher`` query; ``truncated`` if it returned more than ``rowLimit`` rows."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    rowLimit: int
