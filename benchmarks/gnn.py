"""Benchmark: GNN link prediction on the full real graph, 2 CPU cores.

Measures, for task (a) (held-out AP-MS interactions) unless ``--task`` says otherwise:

- export time from the store (uncached: every ``NodeSpec`` / ``EdgeSpec`` query plus tensor building) and the
  export's size;
- the full experiment (``cellmap-kg gnn evaluate``: edge and protein-disjoint splits, ``--seeds`` seeds, the GNN
  and every baseline), with training time per epoch and in total per seed, and the peak resident memory;
- the metrics table (mean ± std over seeds) with the verdicts (who wins, GNN vs the best heuristic);
- the external CORUM check, the report (``--report``) and the total wall time of train + evaluate.

Targets (GNN issue): full train + evaluate of task (a) <= 10 min on 2 cores; test ROC-AUC >= 0.90 on the edge
split; the GNN beats the best heuristic baseline on Hits@100.

    python benchmarks/gnn.py --store falkordb:///path/to/.cellmap-kg [--seeds 5] [--report gnn-report]

Without ``--store`` it builds the full graph into a temporary embedded store first (about 2 minutes, not counted).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import torch

from cellmap_kg.build import build
from cellmap_kg.gnn.experiment import GNN, ExperimentConfig, best_heuristic
from cellmap_kg.gnn.export import export_graph, save_export, store_fingerprint
from cellmap_kg.gnn.pipeline import evaluate_action
from cellmap_kg.gnn.report import metrics_table, verdicts
from cellmap_kg.sources import default_data_dir
from cellmap_kg.store import open_store, stop_embedded

TARGET_SECONDS = 600.0
TARGET_AUC = 0.90


def peak_memory_mb() -> float:
    """Peak resident set size of this process, in MiB (Linux ``ru_maxrss`` is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_worker_memory_mb() -> float:
    """Largest peak resident set size among finished child processes (the experiment's workers), in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="store URI holding a built graph (default: build one into a temp dir)")
    parser.add_argument("--data", type=Path, default=None, help="data directory for the build without --store")
    parser.add_argument("--task", default="ppi", choices=("ppi", "membership"))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the (split, seed) runs")
    parser.add_argument("--report", type=Path, default=Path("gnn-report"))
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args()

    temp = None
    if args.store:
        store = open_store(args.store)
    else:
        temp = tempfile.mkdtemp(prefix="cellmap-kg-gnn-bench-")
        store = open_store(f"falkordb://{temp}/store")
        t = time.perf_counter()
        build(store, args.data or default_data_dir())
        print(f"built the full graph in {time.perf_counter() - t:.0f} s (not counted)")

    figures: dict = {"threads": torch.get_num_threads(), "task": args.task, "seeds": args.seeds, "jobs": args.jobs}
    t = time.perf_counter()
    export = export_graph(store)
    figures["export seconds"] = time.perf_counter() - t
    figures["export counts"] = export.counts()
    cache = Path(tempfile.mkdtemp(prefix="cellmap-kg-gnn-cache-"))
    save_export(export, cache / f"export-{store_fingerprint(store)[:16]}.pt")   # evaluate reads it from the cache
    print(f"export: {figures['export seconds']:.1f} s, {sum(figures['export counts']['nodes'].values()):,} nodes, "
          f"{sum(figures['export counts']['edges'].values()):,} edges (hash {export.content_hash[:12]})")

    config = ExperimentConfig(task=args.task, seeds=tuple(range(args.seeds)), jobs=args.jobs)
    t = time.perf_counter()
    result, path = evaluate_action(store, cache, args.report, config,
                                   progress=lambda m: print(f"[{time.perf_counter() - t:6.0f} s] {m}", flush=True))
    total = time.perf_counter() - t
    figures["train + evaluate seconds"] = total
    figures["experiment seconds"] = result.seconds
    figures["peak memory MiB"] = peak_memory_mb()
    figures["peak worker memory MiB"] = peak_worker_memory_mb()
    per_seed = [{"split": r.kind, "seed": r.seed, "train seconds": r.timings["train GNN"],
                 "seconds per epoch": r.timings["GNN seconds per epoch"],
                 "epochs": max(h["epoch"] for h in r.history)} for r in result.records]
    figures["GNN training"] = per_seed
    summary = result.summary()
    figures["summary"] = {k: {m: {x: list(v) for x, v in d.items()} for m, d in s.items()} for k, s in summary.items()}

    print("\nGNN training per seed:")
    for row in per_seed:
        print(f"  {row['split']:16s} seed {row['seed']}: {row['epochs']:3d} epochs, "
              f"{row['seconds per epoch']:.2f} s/epoch, {row['train seconds']:.0f} s")
    for kind, table in summary.items():
        print(f"\n{kind} split (mean ± std over {args.seeds} seeds):\n{metrics_table(table)}")
        for line in verdicts(table):
            print(f"  - {line}")
    edge = summary.get("edge", {})
    checks = {}
    if GNN in edge:
        name, value = best_heuristic(edge, "hits@100")
        checks = {f"train + evaluate <= {TARGET_SECONDS / 60:.0f} min": total <= TARGET_SECONDS,
                  f"edge-split test ROC-AUC >= {TARGET_AUC}": edge[GNN]["auc"][0] >= TARGET_AUC,
                  f"GNN Hits@100 > best heuristic ({name})": edge[GNN]["hits@100"][0] > value}
    figures["targets"] = checks
    print(f"\nexport {figures['export seconds']:.1f} s; train + evaluate {total:.0f} s ({total / 60:.1f} min); "
          f"peak memory {figures['peak memory MiB']:.0f} MiB in this process, "
          f"{figures['peak worker memory MiB']:.0f} MiB in the largest of {args.jobs} workers; "
          "1 torch thread per training process")
    for check, ok in checks.items():
        print(f"  target {check}: {'met' if ok else 'NOT met'}")
    print(f"report: {path}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=float))
    store.close()
    if temp:
        stop_embedded(f"falkordb://{temp}/store")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
