"""Benchmark: full real build into the embedded FalkorDB store, GRAPH.BULK path against the UNWIND baseline.

In one run, each step in its own child process (so peak RSS is per step), interleaved over ``--rounds`` rounds in
ABBA order so that the other jobs sharing the 2 cores slow every step alike:

- ``parse-only``: read every file of every loading source with pandas (tables) or as text lines (OBO, JSON): the
  floor of what any build must do;
- ``bulk``: ``cellmap-kg build`` as shipped (FalkorDB ``write_graph`` loads the staging graph with ``GRAPH.BULK``);
- ``unwind``: the same build with ``bulk_load=False`` (the ``UNWIND`` batches every build used before; baseline);
- ``default-gc``: the shipped build with CPython's default garbage-collector thresholds instead of the build's
  ``GC_THRESHOLDS`` (baseline of that setting);
- ``one-process``: the shipped build with its files parsed in the build process alone, as before, not also in a
  forked worker (``cellmap_kg.parse_pool``; baseline of the parallel parse; HiSig's threads unchanged).

Printed per step (median over rounds): wall time per build phase, CPU seconds of this process and of the FalkorDB
server, seconds in Python's garbage collector (``gc.callbacks``), peak RSS of the build process and the server's
peak memory, graph elements per second (per write phase and per whole build) and the ratio build / parse-only.
Then the checks that the bulk and unwind paths, and the bulk and one-process builds, made the same graph:
identical counts per label and relationship type, identical content (every node's labels and properties, every
relationship's end keys and properties: ``cellmap_kg.store.content``; build timestamps left out) and identical
answers of every library query with its example parameters. Last, the peak RSS of the GNN export
(``cellmap_kg.gnn.heterodata.export_graph``) of the built graph. Target (issue 13): full build <= 30 s on 2 cores.

    python benchmarks/build.py [--data ../shared/data] [--rounds 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cellmap_kg.schema import SCHEMA

TARGET_S = 30.0
VOLATILE = SCHEMA.per_build_properties()
"""Properties that differ between any two builds (declared ``perBuild`` in ``schema.yaml``): build id and times, and
the analyses' run log on the ``cellmap-kg-analyses`` Dataset node."""
PER_BUILD_COLUMNS = frozenset(name for label, name in VOLATILE if label == "GraphBuild")
"""Columns of the ``graph-build`` query that identify one build (its ``perBuild`` properties), left out of the
answers compared."""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pandas_parse(data_dir: Path) -> dict:
    """Read every file of every loading source with pandas (tables, Excel) or as text lines (OBO, CX2 JSON, gzipped
    PDB).

    Returns ``{"wall_s", "cpu_s", "rows", "peak_rss_mb"}``: the floor of what any loader must do.
    """
    import pandas as pd

    from cellmap_kg.sources import load_sources

    t0, c0 = time.perf_counter(), _cpu_s()
    rows = 0
    for src in load_sources():
        if not src.loaders:
            continue
        for f in src.files:
            path = data_dir / f.path
            if path.suffix in (".obo", ".cx2", ".json", ".gz"):  # .pdb.gz: the AlphaFold-Multimer models' lines
                with (gzip.open(path, "rt") if path.suffix == ".gz" else open(path, encoding="utf-8")) as fh:
                    rows += sum(1 for _ in fh)
                continue
            if path.suffix == ".xlsx":  # the Ma et al. 2018 supplementary table, every sheet
                rows += sum(len(sheet) for sheet in pd.read_excel(path, sheet_name=None, header=None).values())
                continue
            sep = "," if path.suffix == ".csv" else "\t"
            header = "infer" if f.header else None
            frame = pd.read_csv(path, sep=sep, header=header, dtype=str, keep_default_na=False,
                                on_bad_lines="skip", engine="python" if path.suffix == ".nodes" else "c")
            rows += len(frame)
    return {"wall_s": time.perf_counter() - t0, "cpu_s": _cpu_s() - c0, "rows": rows, "peak_rss_mb": _peak_rss_mb()}


def _server_cpu_s(store) -> float:
    info = store._conn.info("cpu")
    return info["used_cpu_user"] + info["used_cpu_sys"]


class CollectorTime:
    """Seconds and number of CPython garbage collections from ``install()`` on (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds, self.collections, self._start = 0.0, 0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections += 1

    def install(self) -> CollectorTime:
        gc.callbacks.append(self)
        return self


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_build(store_dir: Path, data_dir: Path, bulk: bool, collector_thresholds: bool = True,
              parse_workers: bool = True) -> dict:
    """Build the full graph into ``store_dir`` (``bulk``: GRAPH.BULK, else UNWIND batches; without
    ``collector_thresholds``: CPython's default garbage-collector thresholds, not the build's; without
    ``parse_workers``: the files parsed in this process only) and return its figures (``children_*``: the parse's
    worker processes)."""
    import cellmap_kg.build as build_module
    from cellmap_kg.build import build
    from cellmap_kg.store.falkordb_store import FalkorDBStore

    build_module.CAN_FORK = parse_workers  # run_loaders' switch to one process (as on a platform without fork)

    run = build if collector_thresholds else build.__wrapped__  # the build without its GC_THRESHOLDS decorator
    store = FalkorDBStore(store_dir, bulk_load=bulk)
    collector = CollectorTime().install()
    server0, c0, children0, t0 = _server_cpu_s(store), _cpu_s(), _children_cpu_s(), time.perf_counter()
    result = run(store, data_dir)
    wall = time.perf_counter() - t0
    figures = {"wall_s": wall, "gc_s": collector.seconds, "gc_collections": collector.collections,
               "phases_s": result.timings, "phases_cpu_s": result.cpu_seconds, "cpu_s": _cpu_s() - c0,
               "server_cpu_s": _server_cpu_s(store) - server0, "peak_rss_mb": _peak_rss_mb(),
               "server_peak_mb": store.memory_peak_mb(), "elements": result.elements, "counts": result.counts,
               "children_cpu_s": _children_cpu_s() - children0,
               "children_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    store.close()
    return figures


def gnn_export(store_dir: Path) -> dict:
    """Export the graph for the GNN (uncached) and return its wall time and this process's peak RSS."""
    from cellmap_kg.gnn.heterodata import export_graph
    from cellmap_kg.store.falkordb_store import FalkorDBStore

    store = FalkorDBStore(store_dir)
    base = _peak_rss_mb()
    t0 = time.perf_counter()
    export = export_graph(store)
    wall = time.perf_counter() - t0
    store.close()
    return {"wall_s": wall, "peak_rss_mb": _peak_rss_mb(), "rss_before_mb": base,
            "nodes": sum(len(keys) for keys in export.keys.values())}


def _child(kind: str, store_dir: Path, data_dir: Path) -> dict:
    """Run one step in a fresh interpreter (its own peak RSS) and return its JSON figures."""
    cmd = [sys.executable, __file__, "--child", kind, "--store-dir", str(store_dir), "--data", str(data_dir)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _unordered(value: object) -> object:
    """``value`` with every list sorted (recursively): the order of a ``collect()`` without ``ORDER BY`` follows
    the backend's traversal order, which is not graph content."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def _answer(spec, store, params, unordered: bool = False) -> list[str]:
    rows = [{k: v for k, v in row.items() if k not in PER_BUILD_COLUMNS} for row in spec.run(store, params)]
    return sorted(json.dumps(_unordered(row) if unordered else row, sort_keys=True, default=str) for row in rows)


def _rebuild_fulltext(store) -> None:
    """Drop the FalkorDB full-text indexes of ``store`` and build them again on the same nodes."""
    from cellmap_kg.store.indexing import fulltext_properties

    for label in fulltext_properties(store.schema):
        store.query("CALL db.idx.fulltext.drop($label)", {"label": label})
    store.apply_schema()


def compare_graphs(bulk_dir: Path, unwind_dir: Path) -> dict:
    """Counts, content and library-query answers of the two builds.

    Each library query runs with its example parameters on both graphs; its answers (as multisets of rows) are
    ``identical``, ``identical up to list order`` (the same after sorting every list in the rows, see
    ``_unordered``), ``not deterministic`` (two runs on the same graph already differ), ``depends on the full-text
    index build`` (the answer of the UNWIND graph itself changes when its full-text indexes are dropped and built
    again on the same content: RediSearch scores are not a function of the content alone), or ``different``.
    """
    from cellmap_kg.queries.registry import load_queries
    from cellmap_kg.store.content import content_differences, content_digest, graph_content
    from cellmap_kg.store.falkordb_store import FalkorDBStore

    a, b = FalkorDBStore(bulk_dir), FalkorDBStore(unwind_dir)
    content_a, content_b = graph_content(a, VOLATILE), graph_content(b, VOLATILE)
    differences = content_differences(content_a, content_b)
    verdicts: dict[str, list[str]] = {"identical": [], "identical up to list order": [], "not deterministic": [],
                                      "depends on the full-text index build": [], "different": []}
    pending = []
    for name, spec in sorted(load_queries().items()):
        params = spec.example_parameters()
        first = _answer(spec, a, params)
        if first == _answer(spec, b, params):
            verdicts["identical"].append(name)
        elif first != _answer(spec, a, params):
            verdicts["not deterministic"].append(name)
        elif _answer(spec, a, params, unordered=True) == _answer(spec, b, params, unordered=True):
            verdicts["identical up to list order"].append(name)
        else:
            pending.append((name, spec, params, _answer(spec, b, params)))
    if pending:
        _rebuild_fulltext(b)
        for name, spec, params, before in pending:
            changed = _answer(spec, b, params) != before
            verdicts["depends on the full-text index build" if changed else "different"].append(name)
    checks = {"counts_identical": a.counts() == b.counts(), "content_identical": not differences,
              "content_sha256": content_digest(content_a), "content_differences": differences[:10],
              "queries": verdicts}
    a.close()
    b.close()
    return checks


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds of parse-only / bulk / one-process / unwind / default-gc (ABBA order)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON to this file")
    parser.add_argument("--child", choices=["parse", "bulk", "one-process", "unwind", "default-gc", "export"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--store-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from cellmap_kg.sources import default_data_dir
    from cellmap_kg.store.falkordb_server import stop

    data_dir = (args.data or default_data_dir()).resolve()
    if args.child:
        figures = {"parse": lambda: pandas_parse(data_dir),
                   "bulk": lambda: one_build(args.store_dir, data_dir, bulk=True),
                   "one-process": lambda: one_build(args.store_dir, data_dir, bulk=True, parse_workers=False),
                   "unwind": lambda: one_build(args.store_dir, data_dir, bulk=False),
                   "default-gc": lambda: one_build(args.store_dir, data_dir, bulk=True, collector_thresholds=False),
                   "export": lambda: gnn_export(args.store_dir)}[args.child]()
        print(json.dumps(figures))
        return

    tmp = Path(tempfile.mkdtemp(prefix="cellmap-kg-bench-"))
    builds = ("bulk", "one-process", "unwind", "default-gc")
    dirs = {**{kind: tmp / kind for kind in builds}, "parse": tmp}
    runs: dict[str, list[dict]] = {"parse": [], **{kind: [] for kind in builds}}
    try:
        for rnd in range(args.rounds):
            order = ["parse", *builds] if rnd % 2 == 0 else [*reversed(builds), "parse"]
            for kind in order:
                runs[kind].append(_child(kind, dirs[kind], data_dir))
                print(f"round {rnd + 1} {kind}: {runs[kind][-1]['wall_s']:.1f} s", file=sys.stderr)
        checks = compare_graphs(dirs["bulk"], dirs["unwind"])
        checks_one_process = compare_graphs(dirs["bulk"], dirs["one-process"])
        export = _child("export", dirs["bulk"], data_dir)
    finally:
        for kind in builds:
            stop(dirs[kind])

    parse_s = _median(runs["parse"], "wall_s")
    report = {"rounds": args.rounds, "parse_only": {"wall_s": parse_s, "cpu_s": _median(runs["parse"], "cpu_s"),
                                                    "rows": runs["parse"][0]["rows"],
                                                    "peak_rss_mb": _median(runs["parse"], "peak_rss_mb")}}
    print(f"{'step (median of ' + str(args.rounds) + ')':<24}{'wall s':>8}{'parse':>7}{'valid.':>7}{'write':>7}"
          f"{'analys.':>8}{'promote':>8}{'cpu s':>7}{'gc s':>6}{'srv cpu':>8}{'rss MB':>8}{'srv MB':>7}"
          f"{'el/s write':>11}{'el/s':>8}{'/parse':>7}")
    print(f"{'parse-only (pandas)':<24}{parse_s:>8.1f}{'':>45}{report['parse_only']['cpu_s']:>7.1f}{'':>14}"
          f"{report['parse_only']['peak_rss_mb']:>8.0f}")
    for kind in builds:
        rs = runs[kind]
        phases = {p: statistics.median(r["phases_s"][p] for r in rs) for p in rs[0]["phases_s"]}
        wall, elements = _median(rs, "wall_s"), rs[0]["elements"]
        cpu = {p: statistics.median(r["phases_cpu_s"][p] for r in rs) for p in rs[0]["phases_cpu_s"]}
        row = {"wall_s": wall, "phases_s": phases, "phases_cpu_s": cpu, "cpu_s": _median(rs, "cpu_s"),
               "gc_s": _median(rs, "gc_s"), "gc_collections": _median(rs, "gc_collections"),
               "server_cpu_s": _median(rs, "server_cpu_s"), "peak_rss_mb": _median(rs, "peak_rss_mb"),
               "server_peak_mb": _median(rs, "server_peak_mb"), "elements": elements,
               "elements_per_s_write": elements / phases["write"], "elements_per_s": elements / wall,
               "ratio_to_parse_only": wall / parse_s, "walls_s": [r["wall_s"] for r in rs],
               "children_cpu_s": _median(rs, "children_cpu_s"),
               "children_peak_rss_mb": _median(rs, "children_peak_rss_mb")}
        report[kind] = row
        label = {"bulk": "bulk (GRAPH.BULK)", "one-process": "one-process parse (base.)",
                 "unwind": "unwind (baseline)", "default-gc": "default GC (baseline)"}[kind]
        print(f"{label:<24}{wall:>8.1f}" + "".join(f"{phases.get(p, 0):>{w}.1f}" for p, w in
              (("parse", 7), ("validate", 7), ("write", 7), ("analyses", 8), ("promote", 8))) +
              f"{row['cpu_s']:>7.1f}{row['gc_s']:>6.1f}{row['server_cpu_s']:>8.1f}{row['peak_rss_mb']:>8.0f}{row['server_peak_mb']:>7.0f}"
              f"{row['elements_per_s_write']:>11,.0f}{row['elements_per_s']:>8,.0f}{row['ratio_to_parse_only']:>7.1f}")
    for kind in builds:
        print(f"{kind} CPU s per phase (this process; parse: with its workers): " +
              ", ".join(f"{p} {v:.1f}" for p, v in report[kind]["phases_cpu_s"].items()) +
              f"; FalkorDB server {report[kind]['server_cpu_s']:.1f}; parse workers "
              f"{report[kind]['children_cpu_s']:.1f} s CPU, peak RSS {report[kind]['children_peak_rss_mb']:.0f} MB")
    report["checks"] = checks
    report["checks_one_process"] = checks_one_process
    report["gnn_export"] = export
    bulk = report["bulk"]
    print(f"speed-up: build {report['unwind']['wall_s'] / bulk['wall_s']:.2f}x, write phase "
          f"{report['unwind']['phases_s']['write'] / bulk['phases_s']['write']:.1f}x "
          f"({bulk['elements']:,} elements)")
    print(f"garbage collector: {bulk['gc_s']:.1f} s in {bulk['gc_collections']:.0f} collections with the build's "
          f"thresholds, {report['default-gc']['gc_s']:.1f} s in {report['default-gc']['gc_collections']:.0f} with "
          f"CPython's defaults (peak RSS {bulk['peak_rss_mb']:.0f} / {report['default-gc']['peak_rss_mb']:.0f} MB)")
    print(f"parse: {bulk['phases_s']['parse']:.1f} s with its worker process against "
          f"{report['one-process']['phases_s']['parse']:.1f} s in one process; build {bulk['wall_s']:.1f} against "
          f"{report['one-process']['wall_s']:.1f} s")
    for versus, found in (("unwind", checks), ("one-process", checks_one_process)):
        print(f"same graph, bulk vs {versus}: counts {'identical' if found['counts_identical'] else 'DIFFERENT'}, "
              f"content {'identical' if found['content_identical'] else 'DIFFERENT'} "
              f"(sha256 {found['content_sha256'][:16]})")
        print(f"  library query answers ({sum(map(len, found['queries'].values()))} queries, example parameters): " +
              "; ".join(f"{verdict} {len(names)}" + (f" {names}" if names and verdict != "identical" else "")
                        for verdict, names in found["queries"].items()))
        for line in found["content_differences"]:
            print("  " + line)
    print(f"GNN export of the built graph ({export['nodes']:,} nodes): {export['wall_s']:.1f} s, peak RSS "
          f"{export['peak_rss_mb']:.0f} MB ({export['rss_before_mb']:.0f} MB after imports)")
    print(f"target: full build <= {TARGET_S:.0f} s on 2 cores: {'met' if bulk['wall_s'] <= TARGET_S else 'MISSED'} "
          f"({bulk['wall_s']:.1f} s; the machine's 2 cores are shared with other jobs: compare with the baseline "
          "of the same run)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
