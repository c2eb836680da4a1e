"""Comparing two cell maps in the graph: ``(:Assembly)-[:MATCHES {jaccard, overlap}]->(:Assembly)`` both ways.

Reads the member sets of both maps (``MEMBER_OF``), finds each assembly's best match in the other map with
``map_comparison.best_matches`` (Jaccard index of member sets; HiDeF's ``jaccard_matrix``) and writes one
``MATCHES`` from every assembly of A with a match to its best match in B, and one from every assembly of B to its
best match in A, each with ``jaccard``, ``overlap``, ``sourceMap``, ``targetMap`` and the provenance of every
analysis (``dataset = 'cellmap-kg-analyses'``, ``analysis = 'map-comparison'``). Roots are left out on both sides:
a root holds every protein of its map (for a flat map, a container the loader adds), so it is no assembly to
match. Re-running the comparison of the same two maps replaces its ``MATCHES``; comparisons with other maps stay.
Member sets are all of an assembly's members, or (``shared_proteins``) only those the other map holds too.

The summary counts the non-root assemblies of each map by best Jaccard: ``>= 0.5`` (the Cell Mapping Toolkit's
"known" threshold for a match to a known component, Schaffer et al. 2025), ``[0.2, 0.5)``, ``(0, 0.2)`` and none.
"""

from __future__ import annotations

import time

import numpy as np

from ..store.base import GraphStore
from .graph_io import AnalysisError, check_map, provenance, read_assemblies, read_memberships, record_run
from .map_comparison import best_matches

ANALYSIS = "map-comparison"
BANDS = ((0.5, "jaccard>=0.5"), (0.2, "0.2<=jaccard<0.5"), (0.0, "0<jaccard<0.2"))


def _memberships(store: GraphStore, map_name: str) -> tuple[dict[str, set[str]], set[str]]:
    """``(non-root assembly -> members, every protein of the map)`` (the root's members included)."""
    roots = {a["id"] for a in read_assemblies(store, map_name) if a["isRoot"]}
    members = read_memberships(store, map_name)
    return {a: m for a, m in members.items() if a not in roots}, set().union(*members.values())


def _bands(matches, n_assemblies: int) -> dict[str, int]:
    jaccard = matches.jaccard.to_numpy() if len(matches) else np.array([])
    counts, upper = {}, np.inf
    for low, label in BANDS:
        counts[label] = int(((jaccard >= low) & (jaccard < upper) & (jaccard > 0)).sum())
        upper = low
    counts["none"] = n_assemblies - len(matches)
    return counts


def compare_maps(store: GraphStore, map_a: str, map_b: str, shared_proteins: bool = False) -> dict:
    """Write the best matches between ``map_a`` and ``map_b`` in both directions (module docstring).

    Args:
        shared_proteins: compare member sets restricted to the proteins both maps hold (members of some assembly
            of each, the root included), so that proteins one map never measured do not lower the Jaccard index;
            assemblies left without members are not matched. Recorded on every ``MATCHES`` as ``sharedProteins``.

    Returns ``{"maps": [A, B], "sharedProteins", "proteins": {A: n, B: n, "shared": n}, A: {"assemblies",
    "matched", "bands": {...}, "medianJaccard"}, B: {...}, "reciprocal": pairs that are each other's best match,
    "matches": relationships written, "seconds"}`` and records the run on the analyses' ``Dataset`` node.

    Raises ``MissingInputError`` (an ``AnalysisError``) for a map not in the graph and ``AnalysisError`` for a map
    compared with itself or a relationship that could not be written.
    """
    if map_a == map_b:
        raise AnalysisError(f"compare two different maps (got {map_a!r} twice)")
    check_map(store, map_a)
    check_map(store, map_b)
    started = time.perf_counter()
    (members_a, proteins_a), (members_b, proteins_b) = _memberships(store, map_a), _memberships(store, map_b)
    shared = proteins_a & proteins_b
    if shared_proteins:
        members_a = {a: m & shared for a, m in members_a.items()}
        members_b = {b: m & shared for b, m in members_b.items()}
    forward, backward = best_matches(members_a, members_b), best_matches(members_b, members_a)
    for source_map, target_map in ((map_a, map_b), (map_b, map_a)):
        store.delete_relationships("MATCHES", source_where={"map": source_map}, target_where={"map": target_map})
    written = 0
    for matches, source_map, target_map in ((forward, map_a, map_b), (backward, map_b, map_a)):
        stamp = provenance(ANALYSIS, sourceMap=source_map, targetMap=target_map, sharedProteins=shared_proteins)
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

    summary = {"maps": [map_a, map_b], "sharedProteins": shared_proteins,
               "proteins": {map_a: len(proteins_a), map_b: len(proteins_b), "shared": len(shared)},
               map_a: side(forward, members_a), map_b: side(backward, members_b),
               "reciprocal": int(reciprocal), "matches": written, "seconds": round(time.perf_counter() - started, 2)}
    record_run(store, f"{ANALYSIS} {map_a} {map_b}", {"mapA": map_a, "mapB": map_b,
                                                       "sharedProteins": shared_proteins}, summary)
    return summary
