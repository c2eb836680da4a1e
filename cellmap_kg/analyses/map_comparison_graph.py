"""Comparing two cell maps in the graph: ``(:Assembly)-[:MATCHES {jaccard, overlap}]->(:Assembly)`` both ways.

Reads the member sets of both maps (``MEMBER_OF``), finds each assembly's best match in the other map with
``map_comparison.best_matches`` (Jaccard index of member sets; HiDeF's ``jaccard_matrix``) and writes one
``MATCHES`` from every assembly of A with a match to its best match in B, and one from every assembly of B to its
best match in A, each with ``jaccard``, ``overlap``, ``sourceMap``, ``targetMap`` and the provenance of every
analysis (``dataset = 'cellmap-kg-analyses'``, ``analysis = 'map-comparison'``). Roots are left out on both sides:
a root holds every protein of its map (for a flat map, a container the loader adds), so it is no assembly to
match. Re-running the comparison of the same two maps replaces its ``MATCHES``; comparisons with other maps stay.

The summary counts the non-root assemblies of each map by best Jaccard: ``>= 0.5`` (the Cell Mapping Toolkit's
"known" threshold for a match to a known component, Schaffer et al. 2025), ``[0.2, 0.5)``, ``(0, 0.2)`` and none.
"""

from __future__ import annotations

import numpy as np

from ..store.base import GraphStore
from .graph_io import AnalysisError, check_map, provenance, read_assemblies, read_memberships, record_run
from .map_comparison import best_matches

ANALYSIS = "map-comparison"
BANDS = ((0.5, "jaccard>=0.5"), (0.2, "0.2<=jaccard<0.5"), (0.0, "0<jaccard<0.2"))

_CLEAR = """
MATCH (a:Assembly)-[r:MATCHES]->(b:Assembly)
WHERE (a.map = $a AND b.map = $b) OR (a.map = $b AND b.map = $a)
DELETE r
RETURN count(r) AS n
"""


def _non_root_memberships(store: GraphStore, map_name: str) -> dict[str, set[str]]:
    roots = {a["id"] for a in read_assemblies(store, map_name) if a["isRoot"]}
    return {a: m for a, m in read_memberships(store, map_name).items() if a not in roots}


def _bands(matches, n_assemblies: int) -> dict[str, int]:
    jaccard = matches.jaccard.to_numpy() if len(matches) else np.array([])
    counts, upper = {}, np.inf
    for low, label in BANDS:
        counts[label] = int(((jaccard >= low) & (jaccard < upper) & (jaccard > 0)).sum())
        upper = low
    counts["none"] = n_assemblies - len(matches)
    return counts


def compare_maps(store: GraphStore, map_a: str, map_b: str) -> dict:
    """Write the best matches between ``map_a`` and ``map_b`` in both directions (module docstring).

    Returns ``{"maps": [A, B], "A": {"assemblies", "matched", "bands": {...}, "medianJaccard"}, "B": {...},
    "reciprocal": pairs that are each other's best match, "matches": relationships written}`` and records the run
    on the analyses' ``Dataset`` node.

    Raises ``MissingInputError`` (an ``AnalysisError``) for a map not in the graph and ``AnalysisError`` for a map
    compared with itself or a relationship that could not be written.
    """
    if map_a == map_b:
        raise AnalysisError(f"compare two different maps (got {map_a!r} twice)")
    check_map(store, map_a)
    check_map(store, map_b)
    members_a, members_b = _non_root_memberships(store, map_a), _non_root_memberships(store, map_b)
    forward, backward = best_matches(members_a, members_b), best_matches(members_b, members_a)
    store.query(_CLEAR, {"a": map_a, "b": map_b})
    written = 0
    for matches, source_map, target_map in ((forward, map_a, map_b), (backward, map_b, map_a)):
        stamp = provenance(ANALYSIS, sourceMap=source_map, targetMap=target_map)
        rows = [{"source": r.source, "target": r.target, "jaccard": float(r.jaccard), "overlap": int(r.overlap),
                 **stamp} for r in matches.itertuples(index=False)]
        n = store.write_relationships("MATCHES", rows)
        if n != len(rows):
            raise AnalysisError(f"MATCHES {source_map} -> {target_map}: wrote {n} of {len(rows)}")
        written += n
    back = set(zip(backward.source, backward.target, strict=True))
    reciprocal = sum((t, s) in back for s, t in zip(forward.source, forward.target, strict=True))

    def side(matches, members) -> dict:
        return {"assemblies": len(members), "matched": len(matches), "bands": _bands(matches, len(members)),
                "medianJaccard": round(float(matches.jaccard.median()), 3) if len(matches) else None}

    summary = {"maps": [map_a, map_b], map_a: side(forward, members_a), map_b: side(backward, members_b),
               "reciprocal": int(reciprocal), "matches": written}
    record_run(store, f"{ANALYSIS} {map_a} {map_b}", {"mapA": map_a, "mapB": map_b}, summary)
    return summary
