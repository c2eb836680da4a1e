"""Fixtures of the Neo4j Browser tests: Debian's Chromium, the playwright-core driver (``npm ci`` here from
package-lock.json), the API serving the guide and style, and the session's Neo4j with the full graph.

Without ``chromium``, ``node`` or ``npm`` the Browser tests skip; they are marked ``neo4j``, so in CI
(``CELLMAP_KG_REQUIRE_NEO4J=1``, where ``.ci/run`` installs Chromium and runs ``npm ci``) a skip fails the run.

Environment:
    CELLMAP_KG_TEST_BROWSER_NEO4J: the home of a running project Neo4j that already holds a graph
        (``cellmap-kg neo4j start --home DIR`` + ``cellmap-kg build --store bolt://...``), used instead of the
        session's ``neo4j_graph_server`` + ``built_store`` (to iterate on these tests without a full build).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
DRIVER = HERE / "neo4j_browser.mjs"
NPM_CI_TIMEOUT_S = 600


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's ``chromium`` (skips when absent)."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium not found on PATH (Debian: apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser_driver() -> list[str]:
    """The command that runs ``neo4j_browser.mjs`` with node; installs playwright-core with ``npm ci`` (the
    versions of package-lock.json) into ``tests/browser/node_modules`` when missing. Skips without node/npm."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node/npm not found on PATH (Debian: apt-get install nodejs npm)")
    if not (HERE / "node_modules" / "playwright-core" / "package.json").exists():
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE,
                              capture_output=True, text=True, timeout=NPM_CI_TIMEOUT_S)
        if done.returncode != 0:
            pytest.fail(f"`npm ci` in {HERE} failed (exit {done.returncode}): {done.stderr[-2000:]}")
    return [node, str(DRIVER)]


@pytest.fixture(scope="session")
def browser_graph(backend, request):
    """``(server, store)``: the project's Neo4j holding the full graph (the session's ``neo4j_graph_server``
    after ``built_store[neo4j]``), or the one of ``$CELLMAP_KG_TEST_BROWSER_NEO4J``."""
    home = os.environ.get("CELLMAP_KG_TEST_BROWSER_NEO4J")
    if home:
        from cellmap_kg.store.neo4j_server import Neo4jServer
        from cellmap_kg.store.neo4j_store import Neo4jStore

        server = Neo4jServer(Path(home))
        if server.pid() is None:
            pytest.fail(f"CELLMAP_KG_TEST_BROWSER_NEO4J={home}: no Neo4j runs there")
        store = Neo4jStore(server.uri, password=server.password)
        yield server, store
        store.close()
        return
    if "neo4j" not in os.environ.get("CELLMAP_KG_TEST_BACKENDS", "neo4j"):
        pytest.skip("CELLMAP_KG_TEST_BACKENDS excludes neo4j")
    yield request.getfixturevalue("neo4j_graph_server"), request.getfixturevalue("built_store")


@pytest.fixture(scope="session")
def guide_api(browser_graph) -> str:
    """Base URL of the REST API (the app of ``cellmap-kg serve``) on a free loopback port, in a thread: it serves
    ``/browser/guide.html`` and ``/browser/style.grass`` to the Browser."""
    import uvicorn

    from cellmap_kg.api.app import create_app
    from cellmap_kg.api.settings import ApiSettings

    server, store = browser_graph
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = uvicorn.Server(uvicorn.Config(create_app(ApiSettings(store_uri=server.uri), store=store), host="127.0.0.1",
                                        port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=api.run, name="guide-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not api.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the API did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    api.should_exit = True
    thread.join(timeout=30)
