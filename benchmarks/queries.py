"""Benchmark: every library query through the Python face next to the raw Cypher of the same statement, on any store.

For each query of ``cellmap_kg/queries/`` with the representative parameters of its header ``example`` (defaults
for the rest), this times ``--runs`` calls (after ``--warmup`` untimed calls, default 1) of

- ``KnowledgeGraph.query(name, **example)``: what a user's loop pays - library lookup, parameter binding, the
  full-text hook, the database and the conversion of the answer to Python values;
- ``store.query(spec.cypher, params)``: the same statement with the same bound parameters sent straight to the
  store (the baseline of the same run: what the database costs),

and prints p50 and p95 of both and the library's overhead. In the same run it times one uncached parse of the
whole library (what every ``KnowledgeGraph.query`` call cost before the library was cached per process).

Targets (issue 13): p95 through ``KnowledgeGraph.query`` <= 10 ms for single-entity lookups, <= 50 ms for every
query, <= 100 ms for ``path-between``.

With ``--data DIR`` it also computes each answer from the raw files with pandas / networkx
(:mod:`cellmap_kg.queries.reference`, the oracle of the query tests), times it, and says whether both agree.
Reading the raw files and resolving their gene names (what the build does once) is timed separately.

On Neo4j the first executions of a statement are planned, and the JVM compiles its hot paths (Bolt, transactions,
the Cypher runtime) over its first minute or so of mixed work: ``--warmup-rounds 50`` first runs every query 50 times,
round after round, and times the steady state a long-running service sees (the figure the issue's p95 targets are
about); ``--warmup 1`` alone (the default) times the first calls after a server start.

    python benchmarks/queries.py [--store URI] [--data ../shared/data] [--runs 50] [--warmup 1]
                                 [--warmup-rounds 0] [--json FILE]

``--store`` defaults to the embedded store (``$CELLMAP_KG_STORE`` or ./.cellmap-kg); pass
``neo4j://localhost:7687`` to measure Neo4j.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from session import percentile, warm_up  # benchmarks/session.py (this script's folder is on sys.path)

from cellmap_kg.knowledge_graph import KnowledgeGraph
from cellmap_kg.queries.reference import COMPARISONS, RawData
from cellmap_kg.queries.registry import QUERY_DIR, QuerySpec, load_queries, parse_query_file
from cellmap_kg.store import default_uri

TARGET_MS = 50.0
SINGLE_ENTITY_MS = 10.0
SINGLE_ENTITY = ("protein", "assembly", "assembly-members", "assembly-ancestry", "graph-build")
"""Queries that look one entity up by its key (one row)."""
TARGETS_MS = {"path-between": 100.0} | {name: SINGLE_ENTITY_MS for name in SINGLE_ENTITY}


# ---------------------------------------------------------------------------------------------- measuring
@dataclass
class Measurement:
    """One query: p50/p95 in ms over ``runs`` through ``KnowledgeGraph.query`` and as raw Cypher on the store, and
    the pandas/networkx counterpart."""

    query: str
    rows: int
    runs: int
    median_ms: float
    p95_ms: float
    cypher_median_ms: float
    cypher_p95_ms: float
    target_ms: float
    raw_median_ms: float | None = None
    raw_runs: int | None = None
    ratio: float | None = None
    agreement: str = "n/a"

    @property
    def meets_target(self) -> bool:
        return self.p95_ms <= self.target_ms


def timed(fn: Callable[[], Any], runs: int, warmup: int = 1) -> tuple[Any, list[float]]:
    """``fn()`` ``warmup`` times untimed (at least once), then ``runs`` more times; returns the last answer and the
    sorted times (ms)."""
    for _ in range(max(1, warmup)):
        answer = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = fn()
        times.append((time.perf_counter() - start) * 1000)
    return answer, sorted(times)


def agreement(graph_answer: Any, raw_answer: Any, overlap: bool) -> str:
    if overlap:
        found = set(graph_answer)
        return f"{len(found & set(raw_answer))}/{len(found)} in raw" if found else "no rows"
    return "same" if graph_answer == raw_answer else "DIFFERENT"


def measure(spec: QuerySpec, kg: KnowledgeGraph, raw: RawData | None, runs: int, warmup: int = 1) -> Measurement:
    """Time ``spec`` with its example through ``kg.query`` and as raw Cypher on ``kg.store`` (and from the raw
    files if ``raw`` is given), each after ``warmup`` untimed calls."""
    params = spec.example_parameters()
    rows, times = timed(lambda: kg.query(spec.name, **spec.example), runs, warmup)
    statement = spec.fulltext.fill(kg.store, params) if spec.fulltext else params
    _, cypher_times = timed(lambda: kg.store.query(spec.cypher, statement, read_only=True), runs, warmup)
    m = Measurement(spec.name, len(rows), runs, statistics.median(times), percentile(times, 0.95),
                    statistics.median(cypher_times), percentile(cypher_times, 0.95),
                    TARGETS_MS.get(spec.name, TARGET_MS))
    comparison = COMPARISONS.get(spec.name)
    if raw is not None and comparison is not None:
        raw_answer, raw_times = timed(lambda: comparison.from_raw(raw, params), comparison.raw_runs or runs)
        m.raw_median_ms, m.raw_runs = statistics.median(raw_times), len(raw_times)
        m.ratio = m.raw_median_ms / m.median_ms
        m.agreement = agreement(comparison.from_rows(rows), raw_answer, comparison.overlap)
    return m


def markdown(results: list[Measurement], with_raw: bool) -> str:
    """The results as a Markdown table (one row per query)."""
    header = ("| query | rows | KnowledgeGraph.query p50 / p95 ms | raw Cypher p50 / p95 ms | overhead p50 ms | "
              "target p95 ms | ok |")
    rule = "|---|---|---|---|---|---|---|"
    if with_raw:
        header += " pandas/networkx median ms (runs) | ratio | answer |"
        rule += "---|---|---|"
    lines = [header, rule]
    for m in results:
        line = (f"| {m.query} | {m.rows} | {m.median_ms:.1f} / {m.p95_ms:.1f} | {m.cypher_median_ms:.1f} / "
                f"{m.cypher_p95_ms:.1f} | {m.median_ms - m.cypher_median_ms:+.2f} | {m.target_ms:.0f} | "
                f"{'yes' if m.meets_target else 'NO'} |")
        if with_raw:
            raw = f"{m.raw_median_ms:.1f} ({m.raw_runs})" if m.raw_median_ms is not None else "-"
            ratio = f"{m.ratio:.2g}x" if m.ratio is not None else "-"
            line += f" {raw} | {ratio} | {m.agreement} |"
        lines.append(line)
    return "\n".join(lines)


def parse_time_ms(runs: int = 5) -> float:
    """Median ms of parsing every query file once, uncached (``parse_query_file`` on each): what each
    ``KnowledgeGraph.query`` call paid before the library was loaded once per process."""
    files = sorted(QUERY_DIR.glob("*.cypher"))
    _, times = timed(lambda: [parse_query_file(f) for f in files], runs)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="store URI holding a full build (default: the embedded store, "
                                                      "$CELLMAP_KG_STORE or ./.cellmap-kg)")
    parser.add_argument("--data", type=Path, default=None, help="data directory (omit: no pandas comparison)")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per query (default 50)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed calls per query just before its timed runs (default 1)")
    parser.add_argument("--warmup-rounds", type=int, default=0,
                        help="untimed rounds of every query before any timing (default 0; 50 for Neo4j's steady "
                             "state, see the module docstring)")
    parser.add_argument("--only", action="append", metavar="QUERY", help="only this query (repeatable)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20 for a p95")
    specs = [s for s in load_queries().values() if not args.only or s.name in args.only]
    unrunnable = [s.name for s in specs if any(p.required and n not in s.example for n, p in s.parameters.items())]
    if unrunnable:
        print(f"left out (a required parameter has no header example): {unrunnable}", file=sys.stderr)
    specs = [s for s in specs if s.name not in unrunnable]
    raw = None
    if args.data is not None:
        start = time.perf_counter()
        raw = RawData(args.data)
        for attribute in ("resolver", "memberships", "hierarchy", "apms", "coembedding", "gene2go", "go_children",
                          "oc_annotations", "hpa", "names", "components", "pubmed_counts",
                          "paediatric_hits"):
            getattr(raw, attribute)
        print(f"raw files read and gene names resolved in {time.perf_counter() - start:.1f} s (not counted below)",
              file=sys.stderr)
    uri = args.store or default_uri()
    results = []
    with KnowledgeGraph(uri) as kg:
        print(f"store {kg.store.uri} ({kg.store.backend}), {args.runs} runs per query", file=sys.stderr)
        warm_up(kg.store, args.warmup_rounds, specs)
        for spec in specs:
            results.append(measure(spec, kg, raw, args.runs, args.warmup))
            m = results[-1]
            print(f"{spec.name}: p50 {m.median_ms:.1f} ms, p95 {m.p95_ms:.1f} ms (raw Cypher p50 "
                  f"{m.cypher_median_ms:.1f}, p95 {m.cypher_p95_ms:.1f})", file=sys.stderr)
        backend = kg.store.backend
    print(f"store: {uri} ({backend}); {args.runs} timed runs per query after {args.warmup_rounds} warm-up round(s) "
          f"of every query and {args.warmup} warm-up call(s) of it; "
          f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}\n")
    print(markdown(results, raw is not None))
    print(f"\nparsing the whole library once (uncached; what every call cost before): {parse_time_ms():.1f} ms "
          "median")
    if args.json:
        args.json.write_text(json.dumps([asdict(m) for m in results], indent=2))
    return 0 if all(m.meets_target for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
