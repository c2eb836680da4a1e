"""Benchmark: the two backends side by side, in one run, on the full real graph.

Prints, on this machine and in this run:

1. the full build into the embedded FalkorDB store (the baseline; ``cellmap_kg.build.build``, per phase), every
   HiSig fit computed (an empty HiSig cache, ``analyses.hisig_cache``); then the same build again, which reads the
   40 HiSig fits back from that cache (a rebuild whose HiSig inputs did not change);
2. the full build into the project's own Neo4j by Cypher, with the same cache (its HiSig fits reused)
   (``cellmap-kg build --store bolt://...``: written into a staging instance, swapped in; per phase, the swap
   included), with a profile of its write path: seconds per
   write statement (label / relationship type), rows per second; then the same build again into that server (a
   rebuild: the staging instance takes the password file kept by the first, ``neo4j_rebuild.initial_password``);
3. the load of the FalkorDB graph into the same Neo4j by ``neo4j-admin database import full``
   (``cellmap-kg neo4j import --from``: export, import, staging start, schema, swap);
4. that the graphs have identical counts per label and relationship type;
5. p50 / p95 latency of every library query with its example parameters through ``run_query`` on FalkorDB and
   on Neo4j (``--runs`` rounds of every query after ``--warmup`` untimed rounds: Neo4j plans each statement on its
   first run and its JVM compiles the shared paths over its first minute of mixed work, see
   ``session.warm_up``), each backend in a query session of its own (``benchmarks/session.py``) with the other
   backend's server stopped, and whether both return the same rows.

   Why the other server stopped: a user runs one database, and an idle Neo4j next to FalkorDB slowed FalkorDB's
   queries. Measured (2 cores, 2026-12-07, ``session.py`` on the full graph, 20 rounds after 50, twice each): with
   the project's Neo4j up after serving its own session (a 1.4 GB JVM, ~1.5% of a core while idle),
   ``map-specific-assemblies`` 40.6 / 37.3 ms p50 and 45.4 / 47.4 ms p95, ``localization-discordance`` 49.9 / 45.0
   and 56.1 / 70.2; with it stopped, 26.8 / 33.7 and 41.2 / 39.8, 31.7 / 37.4 and 46.3 / 47.2.

Targets (issue 13): embedded build <= 30 s, neo4j-admin import <= 20 s, Cypher build <= 90 s.

    python benchmarks/backends.py --data ../shared/data [--runs 20] [--warmup 50] [--home .cellmap-kg/bench-neo4j]
                                 [--json FILE]

The Neo4j server is a fresh project server in ``--home`` (jars resolved with Maven on first use, data made new),
on free loopback ports, stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from cellmap_kg.build import build
from cellmap_kg.export.neo4j_admin import load_into_server
from cellmap_kg.queries.registry import load_queries
from cellmap_kg.store import neo4j_rebuild, open_store, stop_embedded
from cellmap_kg.store.base import canonical_rows
from cellmap_kg.store.neo4j_rebuild import GENERATION_PREFIX, NEXT_LINK, discard_staging
from cellmap_kg.store.neo4j_server import Neo4jServer, free_port
from cellmap_kg.store.neo4j_store import Neo4jStore

WRITTEN_NAME = re.compile(r"[(\[]\w*:(\w+)")
"""Labels and relationship types in a write statement: ``(n:Protein``, ``[r:PULLED_DOWN``."""
TARGET_IMPORT_S = 20.0
TARGET_EMBEDDED_S = 30.0
TARGET_CYPHER_S = 90.0


def fresh_server(home: Path) -> Neo4jServer:
    """A started project Neo4j in ``home`` with empty data (jars and class-data archive kept, both made on first use
    as ``cellmap-kg neo4j install`` makes them) and a new password (the old one lived in the removed data folder's
    system database)."""
    old = Neo4jServer(home)
    discard_staging(old)
    old.stop()
    for target in [home / "data", home / NEXT_LINK, home / "run", old.password_file,
                   *home.glob(GENERATION_PREFIX + "*")]:
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    server = Neo4jServer(home, bolt_port=free_port(), http_port=free_port())
    server.install(cds=True, echo=lambda *_: None)
    server.start(echo=lambda *_: None)
    return server


class WriteProfile:
    """Seconds and rows per write statement of a store: its ``query`` calls with a ``$rows`` batch (the node and
    relationship writes of ``write_graph`` and the analyses' writes)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.rows: dict[str, int] = defaultdict(int)

    def attach(self, store) -> None:
        original = store.query

        def timed(cypher: str, params: dict | None = None, **options):
            rows = (params or {}).get("rows")
            if not isinstance(rows, list):
                return original(cypher, params, **options)
            t0 = time.perf_counter()
            answer = original(cypher, params, **options)
            key = " ".join(dict.fromkeys(WRITTEN_NAME.findall(cypher)))[:70]  # labels / relationship type
            self.seconds[key] += time.perf_counter() - t0
            self.rows[key] += len(rows)
            return answer

        store.query = timed

    def lines(self, top: int = 8) -> list[str]:
        total = sum(self.seconds.values())
        out = [f"  write statements: {total:.1f} s for {sum(self.rows.values()):,} rows "
               f"({sum(self.rows.values()) / max(total, 1e-9):,.0f} rows/s); slowest:"]
        for key, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1])[:top]:
            out.append(f"    {seconds:6.1f} s  {self.rows[key]:>8,} rows  {self.rows[key] / seconds:>8,.0f}/s  {key}")
        return out


def timed_build(store, data_dir: Path, cache_dir: Path, profile: WriteProfile | None = None) -> dict:
    """``build`` into ``store`` timed: wall and phase seconds, counts, HiSig fits reused / computed and, for the
    project's Neo4j, whether the staging instance took the kept password file (``keptPasswordFile``)."""
    kept: list[bool] = []
    initial_password = neo4j_rebuild.initial_password

    def recorded(staging, password) -> bool:
        kept.append(initial_password(staging, password))
        return kept[-1]

    neo4j_rebuild.initial_password = recorded
    if profile is not None:
        original = store.staging

        def staging():
            staged = original()
            profile.attach(staged)
            return staged

        store.staging = staging
    t0 = time.perf_counter()
    try:
        result = build(store, data_dir, cache_dir=cache_dir)
    finally:
        neo4j_rebuild.initial_password = initial_password
    caches = [a["cache"] for a in result.analyses.values() if "cache" in a]
    hisig = {k: sum(c[k] for c in caches) for k in ("reused", "computed")}
    return {"wall": time.perf_counter() - t0, **result.timings, "counts": result.counts, "hisig": hisig,
            **({"keptPasswordFile": kept[0]} if kept else {})}


def session_latencies(uri: str, runs: int, warmup: int, env: dict[str, str] | None = None) -> dict[str, dict]:
    """``session.latencies`` of the store at ``uri`` in a query session of its own (``benchmarks/session.py`` as a
    child process: this process holds the builds' imports and objects, whose garbage collection a query session
    does not pay, see that module). Raises ``subprocess.CalledProcessError`` if it fails."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "latencies.json"
        subprocess.run([sys.executable, str(Path(__file__).with_name("session.py")), "--store", uri, "--runs",
                        str(runs), "--warmup", str(warmup), "--json", str(out)], check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, **(env or {})})
        return json.loads(out.read_text())


def packstream_encoding(store, limit: int = 200_000) -> dict:
    """Seconds the ``neo4j`` driver spends encoding relationship rows shaped like the build's write batches
    (``{"source", "target", "props"}``, the real ANNOTATED_WITH and PULLED_DOWN rows of ``store``) as Bolt
    PackStream: its pure-Python packer (the baseline, without ``neo4j-rust-ext``) against the Rust one.
    Uses the driver's internal ``neo4j._codec.packstream.v1`` (what the driver calls per message)."""
    from neo4j._codec.packstream._common import PackableBuffer
    from neo4j._codec.packstream.v1 import Packer, _rust_pack

    rows = []
    for rel, source, target, skey, tkey in (("ANNOTATED_WITH", "Protein", "GOTerm", "symbol", "id"),
                                            ("PULLED_DOWN", "Protein", "Protein", "symbol", "symbol")):
        rows += store.query(f"MATCH (a:{source})-[r:{rel}]->(b:{target}) RETURN a.{skey} AS source, "
                            f"b.{tkey} AS target, properties(r) AS props LIMIT {limit // 2}", read_only=True)
    hooks = Packer._inject_hooks(None)
    out = {"rows": len(rows)}
    t0 = time.perf_counter()
    Packer(PackableBuffer())._py_pack({"rows": rows}, hooks)
    out["python"] = time.perf_counter() - t0
    if _rust_pack is not None:
        t0 = time.perf_counter()
        _rust_pack({"rows": rows}, hooks)
        out["rust"] = time.perf_counter() - t0
    return out


def phases(timings: dict) -> str:
    shown = ", ".join(f"{k} {v:.1f}" for k, v in timings.items()
                      if k not in ("wall", "counts", "hisig", "keptPasswordFile"))
    if "keptPasswordFile" in timings:
        shown += f"; staging password file {'kept' if timings['keptPasswordFile'] else 'made by neo4j-admin'}"
    if "hisig" not in timings:
        return shown
    return f"{shown}; HiSig fits reused {timings['hisig']['reused']}, computed {timings['hisig']['computed']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--home", type=Path, default=Path(".cellmap-kg/bench-neo4j"),
                        help="the benchmark's Neo4j home (data made new; jars and class-data archive kept)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=50,
                        help="untimed rounds of every query before the timed ones (default 50)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    report: dict = {}
    work = Path(tempfile.mkdtemp(prefix="cellmap-kg-backends-"))
    falkordb_uri = f"falkordb://{work / 'store'}"
    server = None
    try:
        print("1. full build into FalkorDB (embedded) ...", flush=True)
        falkordb = open_store(falkordb_uri)
        cache = work / "hisig-cache"
        report["falkordb"] = timed_build(falkordb, args.data, cache)
        print(f"   {report['falkordb']['wall']:.1f} s ({phases(report['falkordb'])})", flush=True)
        report["falkordb_rebuild"] = timed_build(falkordb, args.data, cache)
        print(f"   rebuild {report['falkordb_rebuild']['wall']:.1f} s ({phases(report['falkordb_rebuild'])}); target "
              f"<= {TARGET_EMBEDDED_S:.0f} s", flush=True)

        encoding = packstream_encoding(falkordb)
        report["packstream"] = encoding
        rust = f"{encoding['rust']:.2f} s with neo4j-rust-ext" if "rust" in encoding else "neo4j-rust-ext missing"
        print(f"   driver encoding of {encoding['rows']:,} relationship rows (Bolt PackStream): "
              f"{encoding['python']:.2f} s in pure Python (baseline), {rust}", flush=True)

        server = fresh_server(args.home.absolute())
        print(f"2. full build into Neo4j {server.uri} by Cypher (staging instance + swap) ...", flush=True)
        profile = WriteProfile()
        with Neo4jStore(server.uri, password=server.password, server=server) as neo4j:
            report["cypher"] = timed_build(neo4j, args.data, cache, profile)
        print(f"   {report['cypher']['wall']:.1f} s ({phases(report['cypher'])}); target <= {TARGET_CYPHER_S:.0f} s",
              flush=True)
        print("\n".join(profile.lines()), flush=True)
        report["cypher_profile"] = {k: {"seconds": v, "rows": profile.rows[k]} for k, v in profile.seconds.items()}
        with Neo4jStore(server.uri, password=server.password, server=server) as neo4j:
            report["cypher_rebuild"] = timed_build(neo4j, args.data, cache)
        print(f"   rebuild {report['cypher_rebuild']['wall']:.1f} s ({phases(report['cypher_rebuild'])}); target "
              f"<= {TARGET_CYPHER_S:.0f} s", flush=True)

        print("3. the FalkorDB graph into the same Neo4j by neo4j-admin import (staging instance + swap) ...",
              flush=True)
        t0 = time.perf_counter()
        export, imported = load_into_server(falkordb, server)
        report["admin"] = {"wall": time.perf_counter() - t0, **imported.timings, "counts": imported.counts}
        print(f"   {report['admin']['wall']:.1f} s ({phases(report['admin'])}); neo4j-admin import alone "
              f"{imported.timings['import']:.1f} s, target <= {TARGET_IMPORT_S:.0f} s", flush=True)

        builds = ("falkordb", "falkordb_rebuild", "cypher", "cypher_rebuild", "admin")
        counts = {k: report[k]["counts"] for k in builds}
        equal = all(counts[k] == counts["falkordb"] for k in builds)
        nodes = sum(v for k, v in counts["falkordb"]["nodes"].items() if k in falkordb.schema.nodes)
        rels = sum(counts["falkordb"]["relationships"].values())
        print(f"4. counts identical on the five graphs (FalkorDB build and rebuild, Cypher build and rebuild, "
              f"neo4j-admin): {equal}"
              f" ({nodes:,} nodes, {rels:,} relationships)")
        report["counts_equal"] = equal

        print(f"5. library queries, {args.runs} rounds of every query after {args.warmup} warm-up rounds (ms) ...",
              flush=True)
        # each backend timed alone on the machine, as a user runs one: the other's server stopped (see the module
        # docstring); the FalkorDB session restarts its server from the build's snapshot
        falkordb.close()
        stop_embedded(falkordb_uri)
        q_neo4j = session_latencies(server.uri, args.runs, args.warmup, {"NEO4J_PASSWORD": server.password})
        server.stop()
        q_falkordb = session_latencies(falkordb_uri, args.runs, args.warmup)
        print(f"   {'query':40s} {'FalkorDB p50':>12s} {'p95':>8s} {'Neo4j p50':>10s} {'p95':>8s}  same rows")
        report["queries"] = {}
        # full-text hits ranked by each backend's own engine (tests/test_backend_equivalence.py compares these
        # on their portable path)
        ranked_by_engine = {name for name, spec in load_queries().items() if spec.fulltext is not None}
        for name in q_falkordb:
            f, n = q_falkordb[name], q_neo4j[name]
            same = (canonical_rows(f["rows"]) == canonical_rows(n["rows"]) if name not in ranked_by_engine
                    else "engine-ranked")
            print(f"   {name:40s} {f['p50']:12.1f} {f['p95']:8.1f} {n['p50']:10.1f} {n['p95']:8.1f}  {same}")
            report["queries"][name] = {"falkordb": {"p50": f["p50"], "p95": f["p95"]},
                                       "neo4j": {"p50": n["p50"], "p95": n["p95"]}, "sameRows": same}
    finally:
        if server is not None:
            server.stop()
        stop_embedded(falkordb_uri)
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
