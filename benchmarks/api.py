"""Benchmark: REST API throughput and latency with ``wrk`` on loopback, next to a trivial endpoint's ceiling.

For each server setting (uvicorn worker count x event loop) this starts ``cellmap-kg serve`` (``python -m
cellmap_kg.api``) on 127.0.0.1 against a store holding a built graph, and a second uvicorn server with the *same*
settings serving a trivial FastAPI app: one ``async`` endpoint returning a constant JSON object of the same size as
``/proteins/DPP9``'s answer (the framework's ceiling on this machine). ``wrk`` (Debian package ``wrk``), a separate
process, then keeps 8 keep-alive connections busy for ``--seconds`` per endpoint after a warm-up of the same
length (which also fills the response cache, as a running server's would be):

- ``GET /proteins/{symbol}`` rotating over 200 member symbols of the U2OS map,
- ``GET /queries/assembly?id=...`` rotating over the 270 assemblies of the U2OS map,
- ``GET /constant`` on the trivial server (the baseline of the same run).

It prints requests per second, p50 / p99 latency (wrk's ``--latency``), non-2xx answers, and each endpoint's share
of the trivial ceiling of the same setting; then the same two endpoints with the response cache off
(``--cache-entries 0``) under the first setting, to show what the database path costs.

Targets (issue 13), protein lookup and library query at 8 connections: >= 3,000 req/s, p99 <= 20 ms, and >= 60%
of the trivial endpoint's req/s under the same settings.

    python benchmarks/api.py [--store URI] [--seconds 10] [--workers 1,2] [--loops uvloop,asyncio] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

CONNECTIONS = 8
TARGET_RPS, TARGET_P99_MS, TARGET_SHARE = 3000.0, 20.0, 0.60
PROTEIN_EXAMPLE = "/proteins/DPP9"
ROOT_MEMBERS = "/assemblies/U2OS-2023-05:Cluster0-0/members?limit=200"
U2OS_ASSEMBLIES = "/assemblies?map=U2OS-2023-05&limit=1000"
CONSTANT_ENV = "CELLMAP_KG_BENCH_CONSTANT"


def trivial_app():
    """The baseline: a FastAPI app whose one ``async`` endpoint ``GET /constant`` returns the JSON object in
    ``$CELLMAP_KG_BENCH_CONSTANT`` (parsed once), serialised by FastAPI on every request (uvicorn factory)."""
    from fastapi import FastAPI

    constant = json.loads(os.environ[CONSTANT_ENV])
    app = FastAPI()

    @app.get("/constant")
    async def constant_endpoint() -> dict:
        return constant

    return app


@dataclass
class Result:
    """One wrk run: ``endpoint`` under ``setting``; req/s, latency percentiles in ms, non-2xx answers."""

    setting: str
    endpoint: str
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    share: float | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(proc: subprocess.Popen, url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server for {url} exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def start_api(store: str, workers: int, loop: str, cache_entries: int | None = None) -> tuple[subprocess.Popen, int]:
    """``python -m cellmap_kg.api`` on a free loopback port, answering ``/health``."""
    port = free_port()
    cmd = [sys.executable, "-m", "cellmap_kg.api", "--store", store, "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--loop", loop, "--http", "httptools", "--no-access-log", "--log-level",
           "warning"]
    if cache_entries is not None:
        cmd += ["--cache-entries", str(cache_entries)]
    proc = subprocess.Popen(cmd)
    wait_until_up(proc, f"http://127.0.0.1:{port}/health")
    return proc, port


def start_trivial(workers: int, loop: str, constant: bytes) -> tuple[subprocess.Popen, int]:
    """uvicorn with the same settings serving :func:`trivial_app`."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "api:trivial_app", "--app-dir", str(Path(__file__).parent),
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--loop", loop, "--http",
           "httptools", "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env={**os.environ, CONSTANT_ENV: constant.decode()})
    wait_until_up(proc, f"http://127.0.0.1:{port}/constant")
    return proc, port


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def get_json(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
        return json.load(r)


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(port: int, paths: list[str], seconds: float, setting: str, endpoint: str, workdir: Path) -> Result:
    """Run ``wrk`` with ``CONNECTIONS`` connections over ``paths`` (rotating, one Lua counter per wrk thread):
    a warm-up of ``seconds``, then the measured run of ``seconds``."""
    script = workdir / "rotate.lua"
    script.write_text("paths = {" + ",".join(json.dumps(p) for p in paths) + "}\ncounter = 0\n"
                      "request = function()\n  counter = counter + 1\n"
                      "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n")
    cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", "-s", str(script),
           f"http://127.0.0.1:{port}"]
    subprocess.run(cmd, capture_output=True, check=True)
    out = subprocess.run(cmd, capture_output=True, check=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Result(setting, endpoint, rps, p50, p99, int(non_2xx.group(1)) if non_2xx else 0)


def measure_setting(store: str, workers: int, loop: str, seconds: float, workdir: Path,
                    cache_entries: int | None = None) -> list[Result]:
    """The two API endpoints and (with the cache on) the trivial endpoint under one server setting."""
    setting = f"{workers} worker(s), {loop}" + (", cache off" if cache_entries == 0 else "")
    api, port = start_api(store, workers, loop, cache_entries)
    try:
        symbols = [m["symbol"] for m in get_json(port, ROOT_MEMBERS)["items"]]
        assemblies = [a["id"] for a in get_json(port, U2OS_ASSEMBLIES)["items"]]
        constant = json.dumps(get_json(port, PROTEIN_EXAMPLE)).encode()
        if not symbols or not assemblies:
            raise SystemExit("the graph has no U2OS map; build it first (cellmap-kg build)")
        results = [wrk(port, [f"/proteins/{s}" for s in symbols], seconds, setting, "GET /proteins/{symbol}",
                       workdir),
                   wrk(port, [f"/queries/assembly?id={a}" for a in assemblies], seconds, setting,
                       "GET /queries/assembly?id=...", workdir)]
    finally:
        stop(api)
    if cache_entries == 0:
        return results
    trivial, tport = start_trivial(workers, loop, constant)
    try:
        baseline = wrk(tport, ["/constant"], seconds, setting, f"GET /constant (trivial, {len(constant)} B)",
                       workdir)
    finally:
        stop(trivial)
    for r in results:
        r.share = r.rps / baseline.rps
    return [baseline, *results]


def meets(r: Result) -> bool:
    return (r.rps >= TARGET_RPS and r.p99_ms <= TARGET_P99_MS and r.non_2xx == 0
            and (r.share or 0.0) >= TARGET_SHARE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="store URI with a built graph (default $CELLMAP_KG_STORE "
                                                      "or ./.cellmap-kg)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured (and warm-up) seconds per run")
    parser.add_argument("--workers", default="1,2", help="comma-separated uvicorn worker counts (default 1,2)")
    parser.add_argument("--loops", default="uvloop,asyncio", help="comma-separated event loops")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    from cellmap_kg.store import default_uri

    store = args.store or default_uri()
    settings = [(int(w), loop) for w in args.workers.split(",") for loop in args.loops.split(",")]
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        for workers, loop in settings:
            results += measure_setting(store, workers, loop, args.seconds, Path(tmp))
            print(f"measured {workers} worker(s), {loop}", file=sys.stderr)
        results += measure_setting(store, *settings[0], args.seconds, Path(tmp), cache_entries=0)
    print(f"cellmap-kg REST API on 127.0.0.1, {os.cpu_count()} CPU(s), store {store}; wrk 1 thread, "
          f"{CONNECTIONS} connections, {args.seconds:g} s measured after {args.seconds:g} s warm-up\n")
    print("| setting | endpoint | req/s | p50 ms | p99 ms | non-2xx | share of trivial | target |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        share = f"{r.share:.0%}" if r.share is not None else ("baseline" if "trivial" in r.endpoint else "-")
        target = "-" if "trivial" in r.endpoint or "cache off" in r.setting else ("met" if meets(r) else "NOT met")
        print(f"| {r.setting} | {r.endpoint} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.non_2xx} | "
              f"{share} | {target} |")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
