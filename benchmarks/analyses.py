"""Benchmark: wall and CPU time of each graph analysis on the full real graph.

Runs the analyses one by one on a built graph (``--store``; without it, builds one with ``--no-analyses`` into a
temporary embedded store first) and prints, per analysis, wall seconds, CPU seconds (this process plus the HiSig
worker processes) and its headline figures. By default the analyses of the default build (annotation, size,
multi-localization, association, mutation-frequency, HiSig on every cohort, structures); ``--all`` runs every
registered analysis (today the same set). ``benchmarks/hisig.py`` times the HiSig runs alone, with a baseline.

Target (analyses issue): the five analyses of the issue (annotation, size, multi-localization, hisig, association)
< 60 s in total with 1,000 permutations on 2 cores.

    python benchmarks/analyses.py --store falkordb:///path/to/.cellmap-kg [--permutations 1000] [--jobs 2] [--all]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from cellmap_kg.analyses.registry import ANALYSES, DEFAULT_ANALYSES, AnalysisOptions, run_analyses
from cellmap_kg.build import build
from cellmap_kg.sources import default_data_dir
from cellmap_kg.store import open_store, stop_embedded

ISSUE_FIVE = ("annotation", "size", "multi-localization", "hisig", "association")
TARGET_SECONDS = 60.0


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def headline(name: str, summary: dict) -> str:
    """The figures worth a glance for one analysis summary."""
    if name in ("annotation", "association"):
        u2os = summary.get("U2OS-2023-05", {})
        keys = ("known", "variant", "novel", "enrichedFor") if name == "annotation" else (
            "putativeFunctions", "unexpected", "expected")
        return "U2OS " + " ".join(f"{k}={u2os.get(k)}" for k in keys)
    if name == "multi-localization":
        return (f"{summary['multiLocalized']}/{summary['proteins']} proteins ({summary['multiLocalizedPercent']}%), "
                f"{summary['multiParent']} multi-parent")
    if name == "size":
        return f"{summary['assemblies']} assemblies, median {summary['medianNm']} nm"
    if name.startswith("hisig"):
        runs = summary["runs"]
        recurrent = sum(r.get("recurrent", 0) for r in runs.values())
        return f"{len(runs)} run(s), {recurrent} recurrent (q <= 0.4) assembly-type pairs"
    return json.dumps({k: v for k, v in summary.items() if k != "seconds"})[:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="URI of a built graph (default: build one in a temp dir)")
    parser.add_argument("--data", type=Path, default=None, help="data directory (default $CELLMAP_KG_DATA)")
    parser.add_argument("--permutations", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--all", action="store_true", help="every registered analysis")
    args = parser.parse_args()
    data_dir = args.data or default_data_dir()
    temporary = None
    uri = args.store
    if uri is None:
        temporary = tempfile.TemporaryDirectory(prefix="cellmap-kg-bench-")
        uri = f"falkordb://{temporary.name}/store"
        started = time.perf_counter()
        with open_store(uri) as store:
            build(store, data_dir, analyses=False)
        print(f"built the graph without analyses in {time.perf_counter() - started:.1f} s")
    names = list(ANALYSES) if args.all else list(DEFAULT_ANALYSES)
    options = AnalysisOptions(data_dir=data_dir, permutations=args.permutations, jobs=args.jobs)
    print(f"{'analysis':20s} {'wall s':>8s} {'CPU s':>8s}  figures   ({args.permutations} permutations, "
          f"{args.jobs} jobs)")
    rows = {}
    try:
        with open_store(uri) as store:
            for name in names:
                cpu, wall = cpu_seconds(), time.perf_counter()
                summary = run_analyses(store, [name], options)[name]
                rows[name] = (time.perf_counter() - wall, cpu_seconds() - cpu)
                print(f"{name:20s} {rows[name][0]:8.1f} {rows[name][1]:8.1f}  {headline(name, summary)}", flush=True)
    finally:
        if temporary is not None:
            stop_embedded(uri)
            temporary.cleanup()
    five = sum(rows[n][0] for n in ISSUE_FIVE if n in rows)
    default = sum(rows[n][0] for n in DEFAULT_ANALYSES if n in rows)
    print(f"the issue's five analyses: {five:.1f} s wall (target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if five < TARGET_SECONDS else 'NOT met'}); default build analyses: {default:.1f} s")
    skipped = [n for n in ANALYSES if n not in rows]
    if skipped:
        print(f"not run: {', '.join(skipped)} (python benchmarks/analyses.py --all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
