"""Benchmark: adding a real-size map and comparing two maps, each against a baseline measured in the same run.

1. ``map add`` of the whole U2OS May 2023 map (HiDeF ``.nodes``/``.edges``, 270 assemblies, ~35k memberships)
   under a new name into ``--store`` (a built graph; the map is removed again at the end), without and with the
   map-level analyses (HiSig with ``--permutations``). Baseline: the build's own loader of the same files
   (``load_u2os_cellmap``: read + resolve, no store), so ``add - baseline`` is the staging, verification and
   commit cost.
2. ``map compare U2OS-2023-05 OpenCell-HEK293T`` (``compare_maps``: read both maps, sparse Jaccard, write MATCHES
   both ways). Baseline: the same best matches by a pure-Python double loop over set pairs, on the same member
   sets; the two answers must agree.

    python benchmarks/maps.py --store falkordb:///path/to/.cellmap-kg --data ../shared/data [--permutations 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from cellmap_kg.analyses.graph_io import read_assemblies, read_memberships
from cellmap_kg.analyses.map_comparison import best_matches
from cellmap_kg.analyses.registry import AnalysisOptions
from cellmap_kg.loaders.cellmap import load_u2os_cellmap
from cellmap_kg.loaders.communities import OPENCELL_MAP
from cellmap_kg.loaders.symbols import SymbolResolver
from cellmap_kg.maps import add_map, compare_maps, remove_map
from cellmap_kg.sources import default_data_dir, source_of
from cellmap_kg.store import open_store

NAME = "bench-u2os-copy"


def timed(f):
    started = time.perf_counter()
    value = f()
    return value, time.perf_counter() - started


def python_best_matches(a: dict[str, set[str]], b: dict[str, set[str]]) -> dict[str, tuple[str, float]]:
    """Best match of every assembly of ``a`` in ``b`` by a double loop (same tie rule as ``best_matches``)."""
    out = {}
    for x, sx in a.items():
        scored = [(-len(sx & sy) / len(sx | sy), -len(sx & sy), y) for y, sy in b.items() if sx & sy]
        if scored:
            j, _, y = min(scored)
            out[x] = (y, -j)
    return out


def non_root(store, map_name: str) -> dict[str, set[str]]:
    roots = {a["id"] for a in read_assemblies(store, map_name) if a["isRoot"]}
    return {a: m for a, m in read_memberships(store, map_name).items() if a not in roots}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="a built graph (a map is added and removed again)")
    parser.add_argument("--data", type=Path, default=None, help="data directory (default $CELLMAP_KG_DATA)")
    parser.add_argument("--permutations", type=int, default=1000)
    args = parser.parse_args()
    data_dir = args.data or default_data_dir()
    store = open_store(args.store)
    resolver, resolver_s = timed(lambda: SymbolResolver.from_data_dir(data_dir))
    print(f"symbol resolver: {resolver_s:.1f} s (built once; `map add` on the command line pays it each time)")

    u2os = source_of(load_u2os_cellmap).in_dir(data_dir)
    loaded, load_s = timed(lambda: load_u2os_cellmap(u2os, resolver))
    with tempfile.TemporaryDirectory() as tmp:           # the same two files under a user's names
        nodes, edges = Path(tmp) / "u2os.nodes", Path(tmp) / "u2os.edges"
        nodes.write_bytes(u2os.path("nodes").read_bytes())
        edges.write_bytes(u2os.path("edges").read_bytes())
        for analyses in (False, True):
            options = AnalysisOptions(data_dir=data_dir, permutations=args.permutations)
            result, add_s = timed(lambda a=analyses, o=options: add_map(store, nodes, NAME, resolver=resolver,
                                                                        data_dir=data_dir, analyses=a, options=o))
            _, remove_s = timed(lambda: remove_map(store, NAME))
            steps = ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
            if analyses:
                steps += " (" + ", ".join(f"{k} {v.get('seconds', 0):.1f}" for k, v in result.analyses.items()) + ")"
            print(f"map add ({'with' if analyses else 'without'} analyses): {add_s:.2f} s [{steps}] for "
                  f"{result.assemblies} assemblies, {result.memberships:,} memberships; remove {remove_s:.2f} s; "
                  f"baseline load_u2os_cellmap {load_s:.2f} s ({loaded.element_count():,} rows); "
                  f"add / baseline = {add_s / load_s:.1f}x")

    summary, compare_s = timed(lambda: compare_maps(store, "U2OS-2023-05", OPENCELL_MAP))
    a, b = non_root(store, "U2OS-2023-05"), non_root(store, OPENCELL_MAP)
    fast, fast_s = timed(lambda: best_matches(a, b))
    slow, slow_s = timed(lambda: python_best_matches(a, b))
    same = {r.source: (r.target, round(r.jaccard, 12)) for r in fast.itertuples()} == {
        x: (y, round(j, 12)) for x, (y, j) in slow.items()}
    bands = summary["U2OS-2023-05"]["bands"]
    print(f"map compare U2OS-2023-05 {OPENCELL_MAP}: {compare_s:.2f} s end to end ({summary['matches']} MATCHES); "
          f"Jaccard step {fast_s * 1000:.1f} ms vs pure-Python double loop {slow_s * 1000:.1f} ms "
          f"({slow_s / fast_s:.1f}x); same answer: {same}")
    print(f"U2OS assemblies by best HEK293T Jaccard: {bands}")
    store.close()
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
