"""Benchmark: the REST API under sustained load, every answer checked: 32 concurrent clients for 60 s per backend.

For each ``--store`` (e.g. one FalkorDB and one Neo4j store holding the same full build) this starts
``cellmap-kg serve`` on 127.0.0.1 (``benchmarks/api.py: start_api``) and

1. computes the expected answer of every path of the workload up front: one serial request each, whose body is
   cross-checked against the store itself (a protein's assemblies = its ``MEMBER_OF`` targets read directly
   with Cypher; an assembly's member total = its ``MEMBER_OF`` count);
2. measures a baseline: 1 client for ``--baseline-seconds``;
3. runs ``--clients`` (32) keep-alive clients for ``--seconds`` (60) over the same paths, comparing every
   answer's status and JSON body with the expected one.

Workload (paths cycled, each client from its own offset): ``GET /proteins/{symbol}`` for 200 members of the U2OS
root assembly, ``GET /assemblies/{id}`` and ``GET /assemblies/{id}/members`` for 50 U2OS assemblies, and the flagship
library query. Printed per backend and run: requests, req/s, p50 / p99 latency, 5xx answers,
wrong answers (other status or body). Exit status 1 if any 5xx or wrong answer was seen.

    python benchmarks/load.py --store falkordb:///abs/.cellmap-kg --store bolt://127.0.0.1:7687 [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from api import ROOT_MEMBERS, get_json, start_api
from queries import percentile

FLAGSHIP = "/queries/uncharacterized-in-mutated-assemblies"


def member_symbols(port: int) -> list[str]:
    """200 member symbols of the U2OS map's root assembly (the protein lookups' workload)."""
    items = get_json(port, ROOT_MEMBERS)["items"]
    if not items:
        raise SystemExit("the graph has no U2OS map members; build it first (cellmap-kg build)")
    return [m["symbol"] for m in items]


async def request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str,
                  host: str = "127.0.0.1") -> tuple[bytes, bytes]:
    """Send one keep-alive GET and read the whole answer: ``(status code, body)``, status ``b"closed"`` if the
    server closed the connection. ``host`` is the Host header (``next`` links of paged answers embed it)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    body = await reader.readexactly(length)
    parts = status_line.split()
    return (parts[1] if len(parts) > 1 else b"closed"), body


async def drive(port: int, paths: list[str], offset: int, until: float, on_answer, on_drop,
                host: str = "127.0.0.1") -> None:
    """One client: GET ``paths`` in turn (from ``offset``) until ``until`` over a keep-alive connection, reopened
    when dropped. Calls ``on_answer(path, status, body, start, seconds)`` per answer and ``on_drop(exc)`` per
    dropped connection."""
    i = offset
    while time.perf_counter() < until:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (start := time.perf_counter()) < until:
                path = paths[i % len(paths)]
                i += 1
                status, body = await request(reader, writer, path, host)
                on_answer(path, status, body, start, time.perf_counter() - start)
                if status == b"closed":
                    break
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            on_drop(exc)
        finally:
            writer.close()

ASSEMBLIES = ("MATCH (a:Assembly {map: 'U2OS-2023-05'}) RETURN a.id AS id ORDER BY a.size DESC, id LIMIT 50")
MEMBERSHIPS = ("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly) WHERE p.symbol IN $symbols "
               "RETURN p.symbol AS symbol, collect(a.id) AS assemblies")
MEMBER_COUNTS = ("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly) WHERE a.id IN $ids "
                 "RETURN a.id AS id, count(p) AS n")


@dataclass
class Run:
    """One load run: 200 answers' latencies (s), counts of 5xx and wrong answers, examples of the latter."""

    name: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    wrong: int = 0
    examples: Counter = field(default_factory=Counter)

    def line(self) -> str:
        lat = sorted(self.latencies)
        return (f"{self.name:9} {self.clients:7d} {len(lat):8d} {len(lat) / self.seconds:8.0f} "
                f"{percentile(lat, 0.5) * 1000:7.1f} {percentile(lat, 0.99) * 1000:7.1f} {self.server_errors:5d} "
                f"{self.wrong:6d}")


def _get(port: int, path: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def expected_answers(port: int, store_uri: str) -> dict[str, tuple[int, object]]:
    """``path -> (status, JSON body)`` for the whole workload, each body cross-checked against the store.

    Raises SystemExit naming the path whose serial answer disagrees with the store.
    """
    from cellmap_kg.store import open_store

    symbols = member_symbols(port)
    with open_store(store_uri) as store:
        assemblies = [r["id"] for r in store.query(ASSEMBLIES, read_only=True)]
        memberships = {r["symbol"]: sorted(r["assemblies"])
                       for r in store.query(MEMBERSHIPS, {"symbols": symbols}, read_only=True)}
        member_counts = {r["id"]: r["n"] for r in store.query(MEMBER_COUNTS, {"ids": assemblies}, read_only=True)}
    paths = ([f"/proteins/{s}" for s in symbols] + [f"/assemblies/{a}" for a in assemblies]
             + [f"/assemblies/{a}/members?limit=20" for a in assemblies] + [FLAGSHIP])
    expected = {path: _get(port, path) for path in paths}
    for path, (status, body) in expected.items():
        if status != 200:
            raise SystemExit(f"{path}: {status} before any load: {body}")
        if path.startswith("/proteins/"):
            found = sorted(a["id"] for a in body["assemblies"])
            if found != memberships[path.rsplit("/", 1)[1]]:
                raise SystemExit(f"{path}: assemblies {found} differ from the store's MEMBER_OF targets")
        elif path.endswith("limit=20") and body["total"] != member_counts[path.split("/")[2]]:
            raise SystemExit(f"{path}: total {body['total']} differs from the store's MEMBER_OF count")
    return expected


async def _client(port: int, expected: dict, paths: list[str], offset: int, until: float, run: Run) -> None:
    """One client (``drive``): every answer compared with ``expected``; a dropped connection is wrong."""
    def on_answer(path, code, body, start, seconds):
        status = int(code) if code.isdigit() else 0
        if status >= 500:
            run.server_errors += 1
            run.examples[f"{status} {path}: {body[:200]!r}"] += 1
        elif status == 0 or (status, json.loads(body)) != expected[path]:
            run.wrong += 1
            run.examples[f"wrong {status} {path}"] += 1
        else:
            run.latencies.append(seconds)

    def on_drop(exc):
        run.wrong += 1
        run.examples[f"connection: {exc!r}"] += 1

    await drive(port, paths, offset, until, on_answer, on_drop, f"127.0.0.1:{port}")


def load(port: int, expected: dict, clients: int, seconds: float, name: str) -> Run:
    """``clients`` keep-alive connections over the workload for ``seconds``; every answer checked."""
    run = Run(name, clients, seconds)
    paths = list(expected)

    async def all_clients():
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_client(port, expected, paths, k * len(paths) // clients, until, run)
                               for k in range(clients)))

    asyncio.run(all_clients())
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", action="append", required=True, help="store URI with a full build (repeatable)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds of load per store (default 60)")
    parser.add_argument("--baseline-seconds", type=float, default=5.0, help="1-client baseline (default 5 s)")
    args = parser.parse_args()
    failed = False
    print(f"cellmap-kg API under load on 127.0.0.1, {os.cpu_count()} CPU(s), 1 worker")
    for uri in args.store:
        proc, port = start_api(uri, 1, "uvloop")
        try:
            expected = expected_answers(port, uri)
            runs = [load(port, expected, 1, args.baseline_seconds, "baseline"),
                    load(port, expected, args.clients, args.seconds, "load")]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print(f"\nstore {uri}: {len(expected)} paths, expected answers cross-checked against the store")
        print(f"{'run':9} {'clients':>7} {'answers':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'5xx':>5} "
              f"{'wrong':>6}")
        for run in runs:
            print(run.line())
            for example, n in run.examples.most_common(5):
                print(f"  {n} x {example}")
            failed |= bool(run.server_errors or run.wrong)
    print("\nresult:", "FAILED (5xx or wrong answers above)" if failed else "zero 5xx, zero wrong answers")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
