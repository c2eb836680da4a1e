"""Benchmark: the latency of every library query in a query session, a Python process that only opens the store.

A user's script, notebook cell or the REST API opens the graph and runs library queries; it does not hold what a
build imports. This times every library query with its example parameters through ``run_query``, ``--runs`` rounds
of every query after ``--warmup`` untimed rounds, in such a process, and prints p50 / p95 (ms) and the rows of
each (``--json``). ``benchmarks/backends.py`` runs it as a child process on each backend after its builds.

Why a process of its own: CPython's cyclic garbage collector walks every tracked object of the process in a full
collection, and a query's answer (hundreds of dicts and lists) triggers one every few calls. Measured here
(2 cores): after importing what a query session needs (``KnowledgeGraph``, the query library), 13,920 tracked
objects and 4.6 ms per full collection; after also importing the build (pandas, numba, scipy: what
``backends.py`` holds), 95,489 objects and 60.6 ms, and more after the builds; ``unexpected-members`` (948 rows)
then measured 20.6 / 151.6 ms p50 / p95 on FalkorDB in the build's process.

    python benchmarks/session.py [--store URI] [--runs 20] [--warmup 50] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from cellmap_kg.queries.registry import QuerySpec, load_queries, run_query
from cellmap_kg.store import default_uri, open_store


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``sorted_values`` by the nearest-rank method: the value of rank
    ``ceil(q * n)`` (p95 of 20 runs: the 19th, of 50: the 48th)."""
    rank = max(1, min(len(sorted_values), math.ceil(q * len(sorted_values) - 1e-9)))
    return sorted_values[rank - 1]


def warm_up(store, rounds: int, specs: list[QuerySpec] | None = None) -> dict[str, list[dict]]:
    """Run every query of ``specs`` (default: the library) with its example parameters through ``run_query``,
    ``rounds`` times round after round (untimed); returns each query's last rows (``{}`` for 0 rounds).

    Why rounds: after a start, Neo4j's JVM compiles the paths every query shares over its first minute of mixed
    work. Measured on the full graph (2 cores, server just started): the sum over the library of each query's
    median fell from 826 ms in the first round of 5 runs per query to 415-470 ms after about 50 runs of each. With
    10 back-to-back runs of each query as the only warm-up (``benchmarks/backends.py`` before), ``assembly`` took
    14.5 / 22.9 ms p50 / p95 on Neo4j; after 50 rounds, 4.8 / 7.3 ms on the same machine."""
    rows: dict[str, list[dict]] = {}
    specs = specs if specs is not None else sorted(load_queries().values(), key=lambda spec: spec.name)
    for _ in range(rounds):
        for spec in specs:
            rows[spec.name] = run_query(store, spec.name, **spec.example_parameters())
    return rows


def latencies(store, runs: int, warmup: int) -> dict[str, dict]:
    """Per library query: ``{"p50", "p95"}`` in ms over ``runs`` runs and its ``rows``, after ``warmup`` (>= 1)
    untimed rounds of every query (``warm_up``). The timed runs go round after round too, so a slow spell of the
    machine touches every query alike."""
    specs = sorted(load_queries().values(), key=lambda spec: spec.name)
    rows = warm_up(store, max(1, warmup), specs)
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for spec in specs:
            t0 = time.perf_counter()
            run_query(store, spec.name, **spec.example_parameters())
            times[spec.name].append((time.perf_counter() - t0) * 1000)
    out = {}
    for name, values in times.items():
        values.sort()
        out[name] = {"p50": statistics.median(values), "p95": percentile(values, 0.95), "rows": rows[name]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="store URI holding a full build (default: the embedded store, "
                                                      "$CELLMAP_KG_STORE or ./.cellmap-kg)")
    parser.add_argument("--runs", type=int, default=20, help="timed rounds of every query (default 20)")
    parser.add_argument("--warmup", type=int, default=50, help="untimed rounds of every query first (default 50)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures and rows as JSON")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20 for a p95")
    with open_store(args.store or default_uri()) as store:
        figures = latencies(store, args.runs, args.warmup)
        print(f"store {store.uri} ({store.backend}); {args.runs} rounds after {args.warmup} warm-up rounds; "
              f"{os.cpu_count()} CPU(s)", file=sys.stderr)
    for name, f in figures.items():
        print(f"{name:40s} p50 {f['p50']:7.1f} ms  p95 {f['p95']:7.1f} ms  {len(f['rows']):>6,} rows")
    if args.json:
        args.json.write_text(json.dumps(figures, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
