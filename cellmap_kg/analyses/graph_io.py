"""What every graph analysis reads from and writes to the store: maps, memberships, hierarchy edges, provenance.

Graph analyses (``*_graph.py``) read their inputs with the package's internal statements
(``queries/internal/*.cypher``, run with ``queries.registry.run_internal``) or the store's generic reads
(``read_nodes`` / ``read_relationships``), compute with the pure modules of this package and write back with
``write_nodes`` / ``write_relationships``. Every relationship an
analysis creates carries ``dataset = ANALYSES_DATASET`` and ``analysis = <its name>`` plus the parameters it used;
the last run of each analysis (parameters, summary, time) is recorded as JSON on the
``Dataset {id: "cellmap-kg-analyses"}`` node (``Dataset.parameters``). Re-running an analysis first deletes its own
relationships and clears its own properties (``clear_relationships`` / ``clear_properties``), so runs are idempotent.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from .. import __version__
from ..errors import UserError
from ..queries.registry import run_internal
from ..sources import DEFAULT_MAP as DEFAULT_MAP  # the map analysed when one is needed (re-exported)
from ..store.base import GraphStore

ANALYSES_DATASET = "cellmap-kg-analyses"
"""``dataset`` of every relationship written by an analysis, and the id of its ``Dataset`` node."""


class AnalysisError(UserError, RuntimeError):
    """An analysis cannot run on this graph or could not write its results (the message says which and why)."""


class MissingInputError(AnalysisError):
    """An input of the analysis is absent from the graph (e.g. a source not built); the message says which and
    how to add it. The default analyses of a build skip such an analysis instead of failing."""


def map_names(store: GraphStore) -> list[str]:
    """Names of the cell maps in the graph (``Assembly.map``), sorted."""
    return [r["map"] for r in run_internal(store, "map-names")]


def check_map(store: GraphStore, map_name: str) -> None:
    """Raise ``MissingInputError`` if no assembly has ``map = map_name`` (naming the maps that exist)."""
    known = map_names(store)
    if map_name not in known:
        raise MissingInputError(f"no cell map {map_name!r} in the graph "
                                f"(maps: {known or 'none - build the graph first'})")


def read_assemblies(store: GraphStore, map_name: str) -> list[dict]:
    """The assemblies of one map: ``[{id, size, name, isRoot}]`` sorted by id (``size`` as the map gives it)."""
    return run_internal(store, "map-assemblies", map=map_name)


def read_memberships(store: GraphStore, map_name: str) -> dict[str, set[str]]:
    """Assembly id -> member symbols (``MEMBER_OF``) for every assembly of ``map_name`` (empty sets included).

    The lists are as the map gives them (HiDeF lists are propagated: a parent holds its children's proteins).
    """
    members: dict[str, set[str]] = {r["id"]: set() for r in read_assemblies(store, map_name)}
    for row in run_internal(store, "map-memberships", map=map_name):
        members[row["assembly"]] = set(row["members"])
    return members


def read_hierarchy_edges(store: GraphStore, map_name: str) -> list[tuple[str, str]]:
    """``(parent id, child id)`` pairs of ``CONTAINS`` within ``map_name``, sorted."""
    return [(r["parent"], r["child"]) for r in run_internal(store, "map-hierarchy", map=map_name)]


def provenance(analysis: str, **parameters) -> dict:
    """Properties stamped on each written relationship: ``dataset``, ``analysis`` and the parameters used."""
    return {"dataset": ANALYSES_DATASET, "analysis": analysis, **parameters}


def clear_relationships(store: GraphStore, rel_type: str, analysis: str, map_name: str | None = None) -> int:
    """Delete the ``rel_type`` relationships written by ``analysis`` (only from ``map_name``'s assemblies if
    given, for types whose source is ``Assembly``); returns how many were deleted."""
    return store.delete_relationships(rel_type, {"analysis": analysis},
                                      source_where={"map": map_name} if map_name is not None else None)


def clear_properties(store: GraphStore, label: str, properties: tuple[str, ...], map_name: str | None = None) -> None:
    """Set ``properties`` to null (remove them) on every ``label`` node (``Assembly`` nodes of ``map_name`` only,
    if given)."""
    store.clear_properties(label, properties, {"map": map_name} if map_name is not None else None)


def record_run(store: GraphStore, analysis: str, parameters: dict, summary: dict) -> None:
    """Record one run on the ``Dataset {id: ANALYSES_DATASET}`` node: ``parameters`` holds a JSON object
    ``{analysis: {parameters, summary, finishedAt}}`` with the last run of each analysis."""
    rows = store.read_nodes("Dataset", ("parameters",), {"id": ANALYSES_DATASET})
    runs = json.loads(rows[0]["parameters"]) if rows and rows[0]["parameters"] else {}
    runs[analysis] = {"parameters": parameters, "summary": summary,
                      "finishedAt": datetime.now(UTC).isoformat(timespec="seconds")}
    store.write_nodes("Dataset", [{
        "id": ANALYSES_DATASET, "name": "cellmap-kg graph analyses (assembly annotation, size, multi-localization, "
                                        "recurrent mutation, function by association)",
        "version": __version__, "licence": "MIT (computed from the graph's data sets; their licences apply)",
        "citation": "Schaffer et al., Nature 2025; Zheng et al., Science 2021 (HiSig); see docs/analyses.md",
        "parameters": json.dumps(runs, sort_keys=True, default=str),
    }])
