"""What the GNN export takes from the graph: node types with their measured properties, and edge types.

The declaration is data, read by :mod:`cellmap_kg.gnn.heterodata`; every label and relationship type named here is
declared in ``cellmap_kg/schema/schema.yaml`` (checked at import), so the export follows the schema.

Edge types are ``(source label, relationship type, target label)`` exactly as in the schema. Symmetric relations
(``PULLED_DOWN`` read as an undirected interaction, ``PROXIMAL_TO``) are exported once per unordered protein pair;
:func:`cellmap_kg.gnn.tasks.task_graph` adds both directions, and ``rev_<TYPE>`` reverse edge types for the
directed ones, for message passing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..schema import SCHEMA, SchemaError

EdgeType = tuple[str, str, str]


@dataclass(frozen=True)
class NodeSpec:
    """A node type of the export: its label, the properties turned into features (``properties``) and those kept
    verbatim for tasks and reports (``kept``: the map of an assembly, its name)."""

    label: str
    properties: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The schema key property of the label (node identity in the export)."""
        return SCHEMA.key_of(self.label)

    @property
    def columns(self) -> tuple[str, ...]:
        """The properties read per node: the key, then ``properties`` and ``kept``."""
        return tuple(dict.fromkeys((self.key, *self.properties, *self.kept)))


@dataclass(frozen=True)
class EdgeFilter:
    """Which relationships of an edge type are edges: those whose row passes ``keep`` (the row holds the
    relationship's ``properties``, absent ones as ``None``)."""

    properties: tuple[str, ...]
    keep: Callable[[dict], bool]


@dataclass(frozen=True)
class EdgeSpec:
    """An edge type of the export.

    Attributes:
        relationship: schema relationship type; source/target labels come from the schema.
        undirected: the relation is symmetric; one edge per unordered pair (self-pairs dropped and counted).
        attrs: relationship properties kept as ``edge_attr`` columns; over duplicate pairs the maximum is kept
            and a missing value counts as 0.
        where: which relationships are edges (``EdgeFilter``; documented reason in ``reason``), None for all.
        reason: why the edge type is exported (and why ``where`` filters it).
        incidence: if set, the source nodes also get one 0/1 feature column per target node, named
            ``<incidence><target key>`` (``features.incidence_features``), e.g. ``loc:nucleoplasm``.
    """

    relationship: str
    undirected: bool = False
    attrs: tuple[str, ...] = ()
    where: EdgeFilter | None = None
    reason: str = ""
    incidence: str = ""

    @property
    def edge_type(self) -> EdgeType:
        """``(source label, relationship type, target label)`` from the schema."""
        rel = SCHEMA.relationships[self.relationship]
        return rel.source, self.relationship, rel.target

    @property
    def columns(self) -> tuple[str, ...]:
        """The relationship properties read per edge: ``attrs``, then those ``where`` tests."""
        return tuple(dict.fromkeys(self.attrs + (self.where.properties if self.where else ())))

    def keep(self, row: dict) -> bool:
        """Whether the relationship ``row`` (with ``columns``) is an edge of the export (``where``)."""
        return self.where is None or self.where.keep(row)


def _not_communities(row: dict) -> bool:
    """Not a membership of the OpenCell HEK293T communities (``dataset`` set and not theirs)."""
    return row["dataset"] is not None and row["dataset"] != "opencell-communities-2021"


def _not_only_ipi(row: dict) -> bool:
    """No evidence codes, or one that is not IPI."""
    return row["evidence"] is None or any(code != "IPI" for code in row["evidence"])


def _positive_score(row: dict) -> bool:
    """A score above 0."""
    return row["score"] is not None and row["score"] > 0


NODE_SPECS: tuple[NodeSpec, ...] = (
    NodeSpec("Protein", ("pubmedCount", "hekRnaTpm", "hekProteinConcNm")),
    NodeSpec("Assembly", ("map", "size", "persistence", "isRoot"), kept=("map", "isRoot", "name")),
    NodeSpec("GOTerm", ("namespace",)),
    NodeSpec("Compartment", ("vocabulary",)),
    NodeSpec("Complex"),
    NodeSpec("TumourType", ("cohort",)),
)

EDGE_SPECS: tuple[EdgeSpec, ...] = (
    EdgeSpec("PULLED_DOWN", undirected=True, attrs=("pValue", "pInt"),
             reason="AP-MS interactions (OpenCell, BioPlex, toolkit example), bait/prey direction dropped; "
                    "edge_attr = max OpenCell -log10 p and max BioPlex pInt over data sets and directions"),
    EdgeSpec("MEMBER_OF", where=EdgeFilter(("dataset",), _not_communities),
             reason="assembly membership in every cell map (the Assembly node's `map` tells which), except the "
                    "OpenCell HEK293T communities: an MCL clustering of OpenCell's IP-MS interactions, which would "
                    "tell the model which proteins were found interacting"),
    EdgeSpec("CONTAINS", reason="assembly hierarchy (parent contains child)"),
    EdgeSpec("ANNOTATED_WITH", where=EdgeFilter(("evidence",), _not_only_ipi),
             reason="direct GO annotations (gene2go), except those whose only evidence is IPI (inferred from "
                    "physical interaction): they are curated in part from the same AP-MS studies (BioPlex, "
                    "OpenCell) and would tell the model which proteins were found interacting"),
    EdgeSpec("IS_A", reason="GO hierarchy"),
    EdgeSpec("PART_OF", reason="GO hierarchy"),
    EdgeSpec("LOCALIZES_TO", reason="HPA and OpenCell subcellular localization; also one 0/1 protein feature per "
                                     "compartment", incidence="loc:"),
    EdgeSpec("CORRESPONDS_TO", reason="HPA compartment -> GO cellular-component term"),
    EdgeSpec("SUBUNIT_OF", reason="CORUM complex subunits (left out of task (a)'s input: CORUM is its external check)"),
    EdgeSpec("PROXIMAL_TO", undirected=True, attrs=("cosine",),
             reason="U2OS MUSE co-embedding proximity (top 0.2% pairs); edge_attr = cosine"),
    EdgeSpec("MUTATION_SCORE", attrs=("score",), where=EdgeFilter(("score",), _positive_score),
             reason="TCGA HiSig per-gene mutation scores; a score of 0 (no mutation signal, 70% of genes) is "
                    "not an edge, otherwise every protein would link to every cohort"),
)


def _check_declared() -> None:
    for node in NODE_SPECS:
        props = SCHEMA.nodes[node.label].properties if node.label in SCHEMA.nodes else None
        if props is None or any(p not in props for p in node.properties + node.kept):
            raise SchemaError(f"GNN export node spec {node} names an undeclared label or property")
    labels = {n.label for n in NODE_SPECS}
    for edge in EDGE_SPECS:
        rel = SCHEMA.relationships.get(edge.relationship)
        if rel is None or rel.source not in labels or rel.target not in labels:
            raise SchemaError(f"GNN export edge spec {edge.relationship} is undeclared or joins unexported labels")
        if any(a not in rel.properties for a in edge.attrs):
            raise SchemaError(f"GNN export edge spec {edge.relationship} names an undeclared property")


_check_declared()
