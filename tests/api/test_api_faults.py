"""The database dies under the API: requests get a 503 with the error body (never a hang), and the API answers
again by itself once the database is back (FalkorDB: it restarts its embedded server; Neo4j: the driver
reconnects after the project's server is started again). Each test runs its own small store/server, never the
session's shared ones."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from cellmap_kg.api.app import create_app
from cellmap_kg.api.settings import ApiSettings
from cellmap_kg.store import falkordb_server, open_store

RECOVERY_DEADLINE_S = 120.0
"""Upper bound for the API to answer again after the database is back (a bound for a hang, not a timing)."""

PROTEINS = [{"symbol": "DPP9", "name": "dipeptidyl peptidase 9"}, {"symbol": "NUP93", "name": "nucleoporin 93"}]


def _client(app):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    return TestClient(app, raise_server_exceptions=False)


def _until_answered(client, path: str) -> list[int]:
    """Statuses of ``GET path`` polled until a 200 (fails past ``RECOVERY_DEADLINE_S``)."""
    statuses = []
    deadline = time.monotonic() + RECOVERY_DEADLINE_S
    while time.monotonic() < deadline:
        response = client.get(path)
        statuses.append(response.status_code)
        if response.status_code == 200:
            return statuses
        assert response.status_code == 503, response.text
        time.sleep(0.2)
    pytest.fail(f"the API did not answer {path} within {RECOVERY_DEADLINE_S} s: {statuses[-5:]}")


def _unavailable(response, error_of) -> None:
    error = error_of(response)
    assert (error["status"], error["code"]) == (503, "store_unavailable"), error
    assert "reconnects by itself" in error["message"]
    assert response.headers["Retry-After"]


def _hammer(client, stop: threading.Event) -> list[int]:
    """GET /proteins/DPP9 in a loop until ``stop``; the statuses seen."""
    seen = []
    while not stop.is_set():
        seen.append(client.get("/proteins/DPP9").status_code)
    return seen


def test_falkordb_killed_under_load_answers_503_then_recovers(tmp_path, error_of):
    store_dir = tmp_path / "store"
    uri = f"falkordb://{store_dir}"
    with open_store(uri) as store:
        store.write_nodes("Protein", PROTEINS)
        store.flush()
    app = create_app(ApiSettings(store_uri=uri))
    try:
        with _client(app) as client:
            assert client.get("/proteins/DPP9").json()["properties"]["name"] == "dipeptidyl peptidase 9"
            stop = threading.Event()
            with ThreadPoolExecutor(4) as pool:
                running = [pool.submit(_hammer, client, stop) for _ in range(4)]
                pid = int((store_dir / falkordb_server.PID_FILE).read_text())
                os.kill(pid, signal.SIGKILL)
                while falkordb_server.pid_alive(pid):
                    time.sleep(0.01)
                _until_answered(client, "/proteins/NUP93")
                stop.set()
                statuses = [s for f in running for s in f.result()]
            assert set(statuses) <= {200, 503}, sorted(set(statuses))
            assert falkordb_server._server_process(store_dir) not in (None, pid)  # a new server, started by the API

            # killed again with nothing running: the very next request is a 503, the API restarts the server
            pid = falkordb_server._server_process(store_dir)
            os.kill(pid, signal.SIGKILL)
            while falkordb_server.pid_alive(pid):
                time.sleep(0.01)
            _unavailable(client.get("/proteins/DPP9"), error_of)
            assert _until_answered(client, "/proteins/DPP9")[-1] == 200
            assert client.get("/proteins/NUP93").json()["properties"]["name"] == "nucleoporin 93"
            assert client.get("/health").json()["status"] == "ok"
    finally:
        falkordb_server.stop(store_dir)


def test_neo4j_stopped_answers_503_then_recovers_when_started(neo4j_private_server, error_of):
    server = neo4j_private_server
    store = open_store(server.uri)
    try:
        store._reset()
        store.write_nodes("Protein", PROTEINS)
        with _client(create_app(ApiSettings(), store=store)) as client:
            assert client.get("/proteins/DPP9").json()["properties"]["name"] == "dipeptidyl peptidase 9"
            server.stop()
            response = client.get("/proteins/DPP9")
            _unavailable(response, error_of)
            health = client.get("/health")
            assert health.status_code == 503 and health.json()["status"] == "unavailable"
            server.start(echo=lambda *_: None)
            assert _until_answered(client, "/proteins/NUP93")[-1] == 200
            assert client.get("/proteins/DPP9").json()["properties"]["name"] == "dipeptidyl peptidase 9"
    finally:
        store.close()
