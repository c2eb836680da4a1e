"""Benchmark: REST API throughput and latency on loopback, with 1, 8 and 32 concurrent clients.

Starts ``cellmap-kg serve`` (``python -m cellmap_kg.api``) on 127.0.0.1 against a store that holds a built graph,
then, for each endpoint and each client count, keeps that many HTTP/1.1 keep-alive connections busy for
``--seconds`` seconds (after a 1 s warm-up) and reports requests per second and the p50 / p99 latency of the
measured requests. Endpoints: ``GET /proteins/{symbol}`` over 200 member symbols of the U2OS map (approved
symbols, the common case) and the flagship library query ``GET /queries/uncharacterized-in-mutated-assemblies``.
The load generator is a small asyncio HTTP client in this process (a few microseconds per request), the server
a separate process, so both share the machine's cores as a real deployment on one host would.

Target (issue 3): >= 300 req/s and p99 <= 100 ms for the protein lookup with 8 clients on 2 cores.
Bounded: 2 endpoints x 3 client counts x (seconds + 1) s, 54 s with the default ``--seconds 8``.

    python benchmarks/api.py --store falkordb:///path/to/.cellmap-kg [--seconds 8] [--clients 1,8,32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass

FLAGSHIP = "/queries/uncharacterized-in-mutated-assemblies"
ROOT_MEMBERS = "/assemblies/U2OS-2023-05:Cluster0-0/members?limit=200"
TARGET_RPS, TARGET_P99_MS, TARGET_CLIENTS = 300.0, 100.0, 8


@dataclass
class Result:
    """One measurement: ``requests`` answered 200 in ``seconds``, latency percentiles in ms, non-200 count."""

    endpoint: str
    clients: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``sorted_values`` by the nearest-rank method."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(q * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


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


async def _connection(port: int, paths: list[str], offset: int, until: float, measure_from: float,
                      latencies: list[float], errors: list[int]) -> None:
    """One client (``drive``): latencies of 200 answers after ``measure_from``; other answers and dropped
    connections count as errors."""
    def on_answer(path, status, body, start, seconds):
        if start >= measure_from:
            (latencies if status == b"200" else errors).append(seconds)

    await drive(port, paths, offset, until, on_answer, lambda exc: errors.append(1))


async def _load(port: int, paths: list[str], clients: int, seconds: float, warmup: float) -> tuple[list, int]:
    latencies: list[float] = []
    errors: list[int] = []
    begin = time.perf_counter()
    measure_from, until = begin + warmup, begin + warmup + seconds
    await asyncio.gather(*(_connection(port, paths, k * 7, until, measure_from, latencies, errors)
                           for k in range(clients)))
    return latencies, len(errors)


def measure(port: int, name: str, paths: list[str], clients: int, seconds: float, warmup: float = 1.0) -> Result:
    """Run ``clients`` connections over ``paths`` for ``warmup`` + ``seconds`` s; statistics of the last
    ``seconds``."""
    latencies, errors = asyncio.run(_load(port, paths, clients, seconds, warmup))
    latencies.sort()
    return Result(name, clients, len(latencies), seconds, len(latencies) / seconds,
                  percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000, errors)


def start_server(store: str, workers: int, wait_s: float = 60.0) -> tuple[subprocess.Popen, int]:
    """Start the API on a free loopback port; wait up to ``wait_s`` seconds until ``/health`` answers 200."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "cellmap_kg.api", "--store", store, "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=dict(os.environ))
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=wait_s / 4) as r:
                if r.status == 200:
                    return proc, port
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit(f"the API did not start on port {port} (is there a built graph at {store}?)")


def member_symbols(port: int) -> list[str]:
    """200 member symbols of the U2OS map's root assembly (the protein lookups' workload)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{ROOT_MEMBERS}", timeout=30) as r:
        items = json.load(r)["items"]
    if not items:
        raise SystemExit("the graph has no U2OS map members; build it first (cellmap-kg build)")
    return [m["symbol"] for m in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default=None, help="store URI with a built graph (default $CELLMAP_KG_STORE "
                                                      "or ./.cellmap-kg)")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per run (default 8)")
    parser.add_argument("--clients", default="1,8,32", help="comma-separated client counts (default 1,8,32)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    from cellmap_kg.store import default_uri

    store = args.store or default_uri()
    clients = [int(c) for c in args.clients.split(",")]
    proc, port = start_server(store, args.workers)
    try:
        symbols = member_symbols(port)
        workloads = {"GET /proteins/{symbol}": [f"/proteins/{s}" for s in symbols], f"GET {FLAGSHIP}": [FLAGSHIP]}
        results = [measure(port, name, paths, n, args.seconds) for name, paths in workloads.items() for n in clients]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"cellmap-kg API on 127.0.0.1, {os.cpu_count()} CPU(s), {args.workers} worker(s), store {store}")
    print(f"{'endpoint':52} {'clients':>7} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for r in results:
        print(f"{r.endpoint:52} {r.clients:7d} {r.requests:8d} {r.rps:8.0f} {r.p50_ms:7.1f} {r.p99_ms:7.1f} "
              f"{r.errors:6d}")
    lookup = next((r for r in results if r.endpoint.startswith("GET /proteins") and r.clients == TARGET_CLIENTS),
                  None)
    if lookup is not None:
        ok = lookup.rps >= TARGET_RPS and lookup.p99_ms <= TARGET_P99_MS and lookup.errors == 0
        print(f"target (protein lookup, {TARGET_CLIENTS} clients: >= {TARGET_RPS:.0f} req/s, p99 <= "
              f"{TARGET_P99_MS:.0f} ms): {'met' if ok else 'NOT met'} ({lookup.rps:.0f} req/s, p99 "
              f"{lookup.p99_ms:.1f} ms)")
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
