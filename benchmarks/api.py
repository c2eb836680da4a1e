"""Benchmark: REST API throughput and latency with ``wrk`` on loopback, next to a trivial endpoint's ceiling.

For each server setting (uvicorn worker count x event loop) this starts ``cellmap-kg serve`` (``python -m
cellmap_kg.api``) on 127.0.0.1 against a store holding a built graph, and a second uvicorn server with the *same*
settings serving a trivial FastAPI app: one ``async`` endpoint returning a constant JSON object of the same size as
``/proteins/DPP9``'s answer (the framework's ceiling on this machine). ``wrk`` (Debian package ``wrk``), a separate
process, keeps 8 keep-alive connections busy for ``--seconds`` per endpoint, first once as a warm-up (after one
request per URL, which fills the response cache as a server running for a while would have it), then
``--rounds`` times in turn - trivial, proteins, query, trivial, ... - so that other load on the machine weighs on
the baseline and the endpoints alike:

- ``GET /proteins/{symbol}`` rotating over 200 member symbols of the U2OS map,
- ``GET /queries/assembly?id=...`` rotating over the 270 assemblies of the U2OS map,
- ``GET /constant`` on the trivial server (the baseline of the same run).

It prints the median over the rounds of requests per second and of p50 / p99 latency (wrk's ``--latency``),
non-2xx answers, and each endpoint's share of the trivial ceiling (median over rounds of the ratio to the trivial
run of the same round); then the same two endpoints with the response cache off (``--cache-entries 0``) under the
first setting, to show what the database path costs. Last, the peak resident memory of each server setting's
processes (Linux ``VmHWM`` of the uvicorn process and its workers, read before the server stops), the API's next to
the trivial server's under the same settings (the framework's own share); the store's FalkorDB server, a separate
process shared by every setting, is not counted.

Targets (issue 13), protein lookup and library query at 8 connections: >= 3,000 req/s, p99 <= 20 ms, and >= 60%
of the trivial endpoint's req/s under the same settings.

    python benchmarks/api.py [--store URI] [--seconds 5] [--rounds 3] [--workers 1,2] [--loops uvloop,asyncio]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
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


def peak_rss_mb(pid: int) -> list[float]:
    """Peak resident set size (``VmHWM``, MB) of process ``pid`` and of each of its descendants (Linux ``/proc``;
    a process that ended meanwhile is left out)."""
    peaks, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        todo += [int(c) for c in children]
    return peaks


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
    """Run ``wrk`` for ``seconds`` with ``CONNECTIONS`` connections over ``paths`` (rotating, one Lua counter per
    wrk thread)."""
    script = workdir / "rotate.lua"
    script.write_text("paths = {" + ",".join(json.dumps(p) for p in paths) + "}\ncounter = 0\n"
                      "request = function()\n  counter = counter + 1\n"
                      "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n")
    cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", "-s", str(script),
           f"http://127.0.0.1:{port}"]
    out = subprocess.run(cmd, capture_output=True, check=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Result(setting, endpoint, rps, p50, p99, int(non_2xx.group(1)) if non_2xx else 0)


def median_result(runs: list[Result], shares: list[float] | None = None) -> Result:
    """One result from the rounds of one endpoint: medians of req/s, p50, p99 (and share); non-2xx summed."""
    med = statistics.median
    return Result(runs[0].setting, runs[0].endpoint, med(r.rps for r in runs), med(r.p50_ms for r in runs),
                  med(r.p99_ms for r in runs), sum(r.non_2xx for r in runs), med(shares) if shares else None)


def measure_setting(store: str, workers: int, loop: str, seconds: float, rounds: int, workdir: Path,
                    cache_entries: int | None = None) -> tuple[list[Result], dict[str, list[float]]]:
    """The trivial endpoint (unless the cache is off) and the two API endpoints under one server setting: one
    warm-up run each, then ``rounds`` interleaved measured runs. Returns the results and, per server (``api``,
    ``trivial``), the peak RSS in MB of each of its processes (``peak_rss_mb``) after the runs."""
    setting = f"{workers} worker(s), {loop}" + (", cache off" if cache_entries == 0 else "")
    servers, memory = [], {}
    try:
        api, port = start_api(store, workers, loop, cache_entries)
        servers.append(api)
        symbols = [m["symbol"] for m in get_json(port, ROOT_MEMBERS)["items"]]
        assemblies = [a["id"] for a in get_json(port, U2OS_ASSEMBLIES)["items"]]
        if not symbols or not assemblies:
            raise SystemExit("the graph has no U2OS map; build it first (cellmap-kg build)")
        workloads = {"GET /proteins/{symbol}": (port, [f"/proteins/{s}" for s in symbols]),
                     "GET /queries/assembly?id=...": (port, [f"/queries/assembly?id={a}" for a in assemblies])}
        if cache_entries != 0:
            constant = json.dumps(get_json(port, PROTEIN_EXAMPLE)).encode()
            trivial, tport = start_trivial(workers, loop, constant)
            servers.append(trivial)
            workloads = {f"GET /constant (trivial, {len(constant)} B)": (tport, ["/constant"]), **workloads}
        for name, (p, paths) in workloads.items():
            if cache_entries != 0:
                for path in paths:                       # every URL once: the cache holds them all, as it would
                    get_json(p, path)                    # on a server that has been running for a while
            wrk(p, paths, seconds, setting, name, workdir)                       # warm-up
        runs: dict[str, list[Result]] = {name: [] for name in workloads}
        for _ in range(rounds):
            for name, (p, paths) in workloads.items():
                runs[name].append(wrk(p, paths, seconds, setting, name, workdir))
        for label, proc in zip(("api", "trivial"), servers, strict=False):
            memory[label] = peak_rss_mb(proc.pid)
    finally:
        for proc in servers:
            stop(proc)
    if cache_entries == 0:
        return [median_result(r) for r in runs.values()], memory
    baseline_name = next(iter(runs))
    baseline = runs[baseline_name]
    return [median_result(baseline)] + [
        median_result(r, [x.rps / b.rps for x, b in zip(r, baseline, strict=True)])
        for name, r in runs.items() if name != baseline_name], memory


def meets(r: Result) -> bool:
    return (r.rps >= TARGET_RPS and r.p99_ms <= TARGET_P99_MS and r.non_2xx == 0
            and (r.share or 0.0) >= TARGET_SHARE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="store URI with a built graph (default $CELLMAP_KG_STORE "
                                                      "or ./.cellmap-kg)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of one wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per endpoint and setting (default 3)")
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
    memory: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers, loop in settings:
            found, memory[f"{workers} worker(s), {loop}"] = measure_setting(store, workers, loop, args.seconds,
                                                                             args.rounds, Path(tmp))
            results += found
            print(f"measured {workers} worker(s), {loop}", file=sys.stderr)
        found, memory[f"{settings[0][0]} worker(s), {settings[0][1]}, cache off"] = measure_setting(
            store, *settings[0], args.seconds, args.rounds, Path(tmp), cache_entries=0)
        results += found
    print(f"cellmap-kg REST API on 127.0.0.1, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}, "
          f"store {store}; wrk 1 thread, {CONNECTIONS} connections; medians of {args.rounds} interleaved runs of "
          f"{args.seconds:g} s after a warm-up run\n")
    print("| setting | endpoint | req/s | p50 ms | p99 ms | non-2xx | share of trivial | target |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        share = f"{r.share:.0%}" if r.share is not None else ("baseline" if "trivial" in r.endpoint else "-")
        target = "-" if "trivial" in r.endpoint or "cache off" in r.setting else ("met" if meets(r) else "NOT met")
        print(f"| {r.setting} | {r.endpoint} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.non_2xx} | "
              f"{share} | {target} |")
    print("\n| setting | API peak RSS MB (processes) | trivial server peak RSS MB (processes) |\n|---|---|---|")
    for setting, peaks in memory.items():
        cells = [f"{sum(peaks[k]):,.0f} ({len(peaks[k])})" if peaks.get(k) else "-" for k in ("api", "trivial")]
        print(f"| {setting} | {cells[0]} | {cells[1]} |")
    if args.json:
        args.json.write_text(json.dumps({"results": [asdict(r) for r in results], "peakRssMb": memory}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
