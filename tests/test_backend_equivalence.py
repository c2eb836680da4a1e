"""The same graph and the same answers on both backends: the full real build into the embedded FalkorDB store and
into the project's Neo4j (by Cypher) gives identical counts per label and relationship type, identical skip
reports, and every library query with its example parameters returns the same rows on both (floats to 1e-9).

Row order is compared as a multiset: queries whose ORDER BY leaves ties may list tied rows in either order. A
difference is a bug in a query or an adapter, not a tolerance to widen. Two things are each backend's own by
design and left out: a query with a full-text hook (``search``) ranks its partial matches with the backend's
full-text engine (RediSearch on FalkorDB, Lucene on Neo4j: different tokenizers and scores, so a different top
``limit``), so it is compared on its portable path (``$hits`` empty, the CONTAINS scan every Cypher engine runs)
and, on the indexed path, on its exact matches only (score >= 2, found through the key indexes); and the build's
identity (``graph-build``: the ``GraphBuild`` properties declared ``perBuild``) differs per build.
"""

from __future__ import annotations

import math

import pytest

from cellmap_kg.queries.registry import load_queries, run_query
from cellmap_kg.schema import SCHEMA

QUERIES = sorted(load_queries())
PER_BUILD = frozenset(name for label, name in SCHEMA.per_build_properties() if label == "GraphBuild")
"""Columns that identify one build, not the graph: the ``GraphBuild`` properties declared ``perBuild`` (query
``graph-build`` returns them under their own names)."""
FLOAT_DIGITS = 9


def canonical(value):
    """A hashable, order-stable form of a result value (floats rounded to ``FLOAT_DIGITS`` significant digits)."""
    if isinstance(value, float):
        return ("f", float(f"{value:.{FLOAT_DIGITS}g}")) if math.isfinite(value) else ("f", repr(value))
    if isinstance(value, dict):
        return ("d", tuple(sorted((k, canonical(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("l", tuple(canonical(v) for v in value))
    return (type(value).__name__, value)


def close(a, b) -> bool:
    """Equal values, floats within 1e-9 (relative or absolute)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and math.isclose(a, b, rel_tol=1e-9,
                                                                                          abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_canonical_and_close_compare_floats_to_1e_9():
    assert close({"x": [1.0, 2]}, {"x": [1.0 + 1e-12, 2]})
    assert not close({"x": [1.0]}, {"x": [1.001]})
    assert canonical(0.30000000000000004) == canonical(0.3)
    assert canonical({"b": [1, 2.0], "a": None}) == canonical({"a": None, "b": [1, 2.0]})
    assert canonical([1, 2]) != canonical([2, 1])


def test_counts_are_identical(full_falkordb, full_neo4j):
    assert full_falkordb.counts() == full_neo4j.counts()


def test_skip_reports_are_identical(full_falkordb, full_neo4j):
    def skipped(store):
        return {r.source: (dict(r.read), dict(r.skipped)) for r in store.build_result.reports}

    assert skipped(full_falkordb) == skipped(full_neo4j)


def test_the_second_build_reused_every_hisig_fit(full_falkordb, full_neo4j):
    """The two builds share the session's HiSig cache (keyed by the exact input values). The first computes all 40
    fits; the second reads all 40 back: its inputs are the same values, read from the other engine. That holds for
    the 13 TCGA cohorts because the loader keeps their gene scores to 15 significant digits (``0.14800000000000002``
    in ``blca.score.txt`` is stored as 0.148; ``loaders.tcga.SCORE_DIGITS``), which FalkorDB returns as Neo4j does;
    with the 17 digits of the file it refitted them. The rows compared below come from both paths."""
    def caches(store):
        return {name: s["cache"] for name, s in store.build_result.analyses.items() if "cache" in s}

    first, second = sorted((caches(full_falkordb), caches(full_neo4j)),
                           key=lambda c: -sum(x["computed"] for x in c.values()))
    assert {n: (c["computed"], c["reused"]) for n, c in first.items()} == {
        "hisig": (1, 0), "hisig-types": (19, 0), "hisig-tcga": (13, 0), "hisig-ma2018": (7, 0)}
    assert {n: (c["computed"], c["reused"]) for n, c in second.items()} == {
        "hisig": (0, 1), "hisig-types": (0, 19), "hisig-tcga": (0, 13), "hisig-ma2018": (0, 7)}


def assert_same_rows(name: str, on_falkordb: list[dict], on_neo4j: list[dict]) -> None:
    """Rows equal as multisets (floats to 1e-9), else an assertion naming the first differing pair."""
    assert len(on_falkordb) == len(on_neo4j), f"{name}: {len(on_falkordb)} rows on FalkorDB, {len(on_neo4j)} on Neo4j"
    a = sorted(on_falkordb, key=canonical)
    b = sorted(on_neo4j, key=canonical)
    differing = [(x, y) for x, y in zip(a, b, strict=True) if not close(x, y)]
    assert not differing, (f"{name}: {len(differing)} rows differ, "
                           f"e.g. FalkorDB {differing[0][0]} vs Neo4j {differing[0][1]}")


@pytest.mark.parametrize("name", QUERIES)
def test_library_query_returns_the_same_rows(name, full_falkordb, full_neo4j):
    spec = load_queries()[name]
    params = spec.example_parameters()
    if spec.fulltext is not None:  # the portable path: no index hits, the same CONTAINS scan on both
        bound = spec.bind(params)
        on_falkordb, on_neo4j = (store.query(spec.cypher, bound, read_only=True)
                                 for store in (full_falkordb, full_neo4j))
        assert on_falkordb, f"{name}: the example finds nothing on the portable path"
    else:
        on_falkordb = run_query(full_falkordb, name, **params)
        on_neo4j = run_query(full_neo4j, name, **params)
    assert_same_rows(name, [{k: v for k, v in r.items() if k not in PER_BUILD} for r in on_falkordb],
                     [{k: v for k, v in r.items() if k not in PER_BUILD} for r in on_neo4j])


@pytest.mark.parametrize("name", [n for n in QUERIES if load_queries()[n].fulltext is not None])
@pytest.mark.parametrize("text", ["PSMA1", "psma1", "GO:0000502", "U2OS-2023-05:Cluster3-65"])
def test_full_text_search_finds_the_same_exact_key_matches(name, text, full_falkordb, full_neo4j):
    def exact(store):
        return [r for r in run_query(store, name, text=text) if r["score"] >= 2]

    on_falkordb = exact(full_falkordb)
    assert [r["key"] for r in on_falkordb] == [text.upper() if text.islower() else text]
    assert_same_rows(f"{name} {text!r}", on_falkordb, exact(full_neo4j))
