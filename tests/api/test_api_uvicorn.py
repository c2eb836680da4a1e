"""The API as a real ``uvicorn`` process on 127.0.0.1 (``python -m cellmap_kg.api``, the code path of
``cellmap-kg serve``) against the embedded store: every endpoint answers on real data, and concurrent clients
each get their own, correct answer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

SYMBOLS = ["DPP9", "STAT1", "STAT2", "IRF9", "POP1", "POP4", "POP5", "RPP30", "C18orf21", "TP53", "LAMTOR1",
           "RRAGC", "SLC38A9", "BORCS6", "ITPA", "HDAC1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(graph_store, tmp_path_factory):
    """Base URL of a uvicorn process serving the graph with ``/cypher`` on (1 s timeout); stopped afterwards.
    Its output goes to a file (a pipe nobody reads would block the server once it fills)."""
    port = free_port()
    cmd = [sys.executable, "-m", "cellmap_kg.api", "--store", graph_store.uri, "--host", "127.0.0.1",
           "--port", str(port), "--cypher", "--cypher-timeout-ms", "1000", "--no-access-log",
           "--log-level", "warning"]
    log = tmp_path_factory.mktemp("uvicorn") / "server.log"
    output = log.open("wb")
    proc = subprocess.Popen(cmd, stdout=output, stderr=subprocess.STDOUT, env=dict(os.environ))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"uvicorn did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    output.close()


def test_every_endpoint_answers_on_real_data(server):
    with httpx.Client(base_url=server, timeout=30) as c:
        assert c.get("/health").json()["status"] == "ok"
        assert c.get("/schema").json()["nodes"]["Assembly"]["key"] == "id"
        assert c.get("/proteins/SEPT1").json()["symbol"] == "SEPTIN1"
        assert c.get("/proteins", params={"search": "ribonuclease P"}).json()["items"]
        assert c.get("/assemblies/U2OS-2023-05:Cluster2-77").json()["memberCount"] == 4
        members = c.get("/assemblies/U2OS-2023-05:Cluster2-77/members").json()["items"]
        assert {m["symbol"] for m in members} == {"DPP9", "STAT1", "STAT2", "IRF9"}
        assert c.get("/assemblies/U2OS-2023-05:Cluster2-77/evidence").json()["edges"]
        assert c.get("/assemblies/U2OS-2023-05:Cluster2-77/evidence?format=cx2").json()[0]["CXVersion"] == "2.0"
        assert c.get("/assemblies/U2OS-2023-05:Cluster2-77/lineage").json()["ancestors"]
        assert c.get("/queries").json()
        evidence = c.get("/queries/assembly-evidence", params={"id": "U2OS-2023-05:Cluster2-77"}).json()
        isgf3 = {"DPP9", "STAT1", "STAT2", "IRF9"}
        assert evidence["total"] > 0 and all({r["source"], r["target"]} <= isgf3 for r in evidence["rows"])
        assert c.post("/queries/assembly-evidence", json={"parameters": {"id": "x", "limit": "many"}}
                      ).json()["error"]["parameter"] == "limit"
        assert c.post("/cypher", json={"query": "MATCH (a:Assembly) RETURN count(a) AS n"}).json()["rows"][0]["n"] > 0
        assert c.post("/cypher", json={"query": "MERGE (p:Protein {symbol: 'X'})"}).status_code == 403
        slow = c.post("/cypher", json={"query": "MATCH (a:Protein), (b:Protein) WHERE a.name < b.name "
                                                "RETURN count(*) AS n"})
        assert slow.status_code == 504
        assert c.get("/docs").status_code == 200


def test_concurrent_clients_each_get_their_own_answer(server):
    def lookup(symbol: str) -> tuple[str, str, int]:
        with httpx.Client(base_url=server, timeout=30) as c:
            results = []
            for _ in range(5):
                r = c.get(f"/proteins/{symbol}")
                results.append((r.json()["symbol"], r.status_code))
            assert len(set(results)) == 1
            return symbol, *results[0]

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lookup, SYMBOLS * 2))
    assert all(asked == got and status == 200 for asked, got, status in answers), answers
