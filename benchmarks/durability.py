"""Benchmark: what durability costs on the embedded FalkorDB server, RDB snapshot on demand vs. append-only file.

Writing commands end durable (``GraphStore.flush``: FalkorDB ``BGSAVE``, waited for). The alternative is Redis
append-only persistence (``appendonly yes``, ``appendfsync everysec``: every write command is appended to a log
before its reply, so a killed server loses nothing). Measured here on two fresh scratch servers, the same
build-like write workload (``--proteins`` Protein nodes, then ``--edges`` PROXIMAL_TO relationships, batches of
5,000 through ``write_nodes`` / ``write_relationships``):

- baseline: ``appendonly no`` (the project's setting), the write time, then one ``flush()``;
- append-only: ``appendonly yes`` set before the writes, the write time, and the log's size on disk.

Also ``flush()`` on ``--store`` (a full build), if given: the snapshot time of the real graph.

    python benchmarks/durability.py [--proteins 50000] [--edges 200000] [--store falkordb:///abs/.cellmap-kg]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from cellmap_kg.store import falkordb_server, open_store


def workload(proteins: int, edges: int, seed: int = 0) -> tuple[list[dict], list[dict]]:
    """``proteins`` Protein rows and ``edges`` random PROXIMAL_TO rows between them (seeded)."""
    rng = random.Random(seed)
    nodes = [{"symbol": f"P{i}", "name": f"protein {i}", "entrezId": i} for i in range(proteins)]
    rels = [{"source": f"P{rng.randrange(proteins)}", "target": f"P{rng.randrange(proteins)}",
             "similarity": rng.random(), "dataset": "bench"} for _ in range(edges)]
    return nodes, rels


def run(store_dir: Path, nodes: list[dict], rels: list[dict], appendonly: bool) -> dict:
    """Write the workload on a fresh server in ``store_dir``; seconds for writes and flush, bytes on disk."""
    store = open_store(f"falkordb://{store_dir}")
    try:
        if appendonly:
            store._conn.config_set("appendonly", "yes")
            while store._conn.info("persistence")["aof_rewrite_in_progress"]:
                time.sleep(0.05)
        store.apply_schema()
        start = time.perf_counter()
        store.write_nodes("Protein", nodes)
        store.write_relationships("PROXIMAL_TO", rels)
        writes = time.perf_counter() - start
        start = time.perf_counter()
        store.flush()
        flush = time.perf_counter() - start
        disk = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file() and f.suffix in (".rdb", ".aof"))
        return {"writes_s": writes, "flush_s": flush, "disk_mb": disk / 1e6}
    finally:
        store.close()
        falkordb_server.stop(store_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proteins", type=int, default=50_000)
    parser.add_argument("--edges", type=int, default=200_000)
    parser.add_argument("--store", help="a store with a full build: time flush() of the real graph")
    args = parser.parse_args()
    nodes, rels = workload(args.proteins, args.edges)
    with tempfile.TemporaryDirectory() as tmp:
        base = run(Path(tmp) / "rdb", nodes, rels, appendonly=False)
        aof = run(Path(tmp) / "aof", nodes, rels, appendonly=True)
    print(f"write workload: {args.proteins:,} Protein nodes + {args.edges:,} PROXIMAL_TO relationships")
    print(f"{'persistence':28} {'writes s':>9} {'flush s':>8} {'on disk MB':>11}")
    print(f"{'RDB + flush() (baseline)':28} {base['writes_s']:9.2f} {base['flush_s']:8.2f} {base['disk_mb']:11.1f}")
    print(f"{'append-only (everysec)':28} {aof['writes_s']:9.2f} {aof['flush_s']:8.2f} {aof['disk_mb']:11.1f}")
    print(f"append-only write time: {aof['writes_s'] / base['writes_s']:.2f}x the baseline")
    if args.store:
        with open_store(args.store) as store:
            start = time.perf_counter()
            store.flush()
            print(f"flush() of {args.store}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
