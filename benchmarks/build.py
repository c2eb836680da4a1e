"""Benchmark: full graph build on real data vs. only parsing the same inputs with pandas.

Prints wall time per build phase, peak memory (this process and the embedded FalkorDB server), graph elements
written per second, and the ratio  build time / pandas-parse time  measured in the same run.
Target (issue 2): full build <= 120 s on 2 cores.

    python benchmarks/build.py [--data ../shared/data] [--store falkordb:///tmp/bench-kg]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from cellmap_kg.build import build
from cellmap_kg.sources import default_data_dir, load_sources
from cellmap_kg.store import open_store, stop_embedded


def pandas_parse(data_dir: Path) -> tuple[float, int]:
    """Read every file of every loading source with pandas (tables) or as text lines (OBO, CX2 JSON).

    Returns (seconds, rows read): the floor of what any loader must do before building anything.
    """
    t0 = time.perf_counter()
    rows = 0
    for src in load_sources():
        for f in src.files:
            path = data_dir / f.path
            if path.suffix in (".obo", ".cx2", ".json"):
                rows += sum(1 for _ in open(path, encoding="utf-8"))
                continue
            sep = "," if path.suffix == ".csv" else "\t"
            header = None if path.name.endswith((".score.txt", "percthre_0.2.tsv", ".nodes", ".edges")) else "infer"
            frame = pd.read_csv(path, sep=sep, header=header, dtype=str, keep_default_na=False,
                                on_bad_lines="skip", engine="python" if path.suffix == ".nodes" else "c")
            rows += len(frame)
    return time.perf_counter() - t0, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--store", default=None, help="store URI (default: a fresh temporary FalkorDB store)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    data_dir = args.data or default_data_dir()
    tmp = None
    if args.store is None:
        tmp = tempfile.mkdtemp(prefix="cellmap-kg-bench-")
        args.store = f"falkordb://{tmp}/store"

    parse_s, parse_rows = pandas_parse(data_dir)
    store = open_store(args.store)
    t0 = time.perf_counter()
    result = build(store, data_dir)
    wall = time.perf_counter() - t0
    counts = result.counts
    n_elements = sum(counts["nodes"].values()) + sum(counts["relationships"].values())
    peak_py_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    server_mb = store.memory_peak_mb() if hasattr(store, "memory_peak_mb") else float("nan")
    store.close()
    if tmp:
        stop_embedded(args.store)

    figures = {
        "build_wall_s": round(wall, 2),
        "phases_s": {k: round(v, 2) for k, v in result.timings.items()},
        "graph_nodes": sum(counts["nodes"].values()),
        "graph_relationships": sum(counts["relationships"].values()),
        "elements_per_s": round(n_elements / wall),
        "peak_rss_python_mb": round(peak_py_mb),
        "peak_memory_store_mb": round(server_mb) if server_mb == server_mb else None,
        "pandas_parse_s": round(parse_s, 2),
        "pandas_rows": parse_rows,
        "ratio_build_over_pandas_parse": round(wall / parse_s, 1),
        "target_build_s": 120,
    }
    print(f"build: {wall:.1f} s wall ({', '.join(f'{k} {v:.1f} s' for k, v in result.timings.items())})")
    print(f"graph: {figures['graph_nodes']:,} nodes, {figures['graph_relationships']:,} relationships "
          f"-> {figures['elements_per_s']:,} elements/s")
    print(f"peak memory: python {figures['peak_rss_python_mb']} MB, store {figures['peak_memory_store_mb']} MB")
    print(f"baseline: pandas parse of the same {parse_rows:,} input rows {parse_s:.1f} s "
          f"-> build/parse ratio {figures['ratio_build_over_pandas_parse']}x")
    print(f"target: build <= 120 s: {'met' if wall <= 120 else 'MISSED'}")
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
