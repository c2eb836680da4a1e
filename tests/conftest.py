"""Shared fixtures: the real data directory, the symbol resolver, the two backends, and one full graph built per
backend per test session.

Backends: every test that uses ``backend``, ``built_store``, ``graph_store`` or ``scratch_store`` runs once on the
embedded FalkorDB store and once on Neo4j 5 (test ids ``[falkordb]`` / ``[neo4j]``). The session starts the
project's own Neo4j servers (``cellmap_kg.store.neo4j_server``) when ``java`` and ``mvn`` are on PATH: one holds
the full graph (read-only use), one is scratch space for tests that write (emptied before each such test).
Their homes are ``.cellmap-kg/test-neo4j/{graph,scratch}`` in the repository (the resolved jars are kept between
sessions; data, logs and passwords are made new each session). Without Java or Maven the Neo4j half is skipped,
unless ``CELLMAP_KG_REQUIRE_NEO4J=1`` (as in CI), where a skipped Neo4j test fails the session.

Environment:
    CELLMAP_KG_DATA: the data directory (default ``../shared/data`` next to the repository, as in CI).
    CELLMAP_KG_TEST_BACKENDS: ``falkordb``, ``neo4j`` or both (default ``falkordb,neo4j``).
    CELLMAP_KG_TEST_STORE: a store URI holding a full build of the same data directory, used as ``graph_store``
        instead of building (to iterate on tests; its backend is the only one the graph tests then run on).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
REQUIRE_NEO4J = os.environ.get("CELLMAP_KG_REQUIRE_NEO4J") == "1"
TEST_STORE = os.environ.get("CELLMAP_KG_TEST_STORE")


def _backends() -> list[str]:
    if TEST_STORE:
        return ["falkordb" if TEST_STORE.startswith("falkordb:") else "neo4j"]
    chosen = [b.strip() for b in os.environ.get("CELLMAP_KG_TEST_BACKENDS", "falkordb,neo4j").split(",") if b.strip()]
    unknown = set(chosen) - {"falkordb", "neo4j"}
    if unknown:
        raise pytest.UsageError(f"CELLMAP_KG_TEST_BACKENDS: unknown backend(s) {sorted(unknown)}")
    return chosen


BACKENDS = _backends()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory (skips the test session's data tests if it is absent)."""
    path = Path(os.environ.get("CELLMAP_KG_DATA", DEFAULT_DATA))
    if not path.exists():
        pytest.skip(f"data directory {path} not found (set CELLMAP_KG_DATA)")
    return path


@pytest.fixture(scope="session")
def resolver(data_dir):
    """The HGNC + NCBI Gene symbol resolver built from the real tables (~4 s, once per session)."""
    from cellmap_kg.loaders.symbols import SymbolResolver

    return SymbolResolver.from_data_dir(data_dir)


# ------------------------------------------------------------------------------------------------ Neo4j servers
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _neo4j_server(name: str, with_gds: bool = False, cds: bool = False):
    """Start a fresh project Neo4j server in ``.cellmap-kg/test-neo4j/<name>`` (jars kept, data made new), with
    Neo4j Graph Data Science in its plugins if ``with_gds``, with its class-data archive if ``cds`` (built once,
    kept like the jars; ``.ci/run`` builds it with ``cellmap-kg neo4j install``)."""
    from cellmap_kg.store.neo4j_server import Neo4jServer, Neo4jServerError, require_tools

    try:
        require_tools()
    except Neo4jServerError as exc:
        if REQUIRE_NEO4J:
            pytest.fail(f"CELLMAP_KG_REQUIRE_NEO4J=1 but {exc}")
        pytest.skip(str(exc))
    os.environ.setdefault("NEO4J_PASSWORD", secrets.token_urlsafe(18))  # the servers' and open_store()'s password
    from cellmap_kg.store.neo4j_rebuild import GENERATION_PREFIX, NEXT_LINK, discard_staging

    home = ROOT / ".cellmap-kg" / "test-neo4j" / name
    discard_staging(Neo4jServer(home))  # a staging instance left by an interrupted session (atomic rebuilds)
    Neo4jServer(home).stop()  # a server left running by an interrupted session
    for target in [home / sub for sub in ("data", NEXT_LINK, "logs", "run", "conf", "password")] + sorted(
            home.glob(GENERATION_PREFIX + "*")):
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
    server = Neo4jServer(home, bolt_port=_free_port(), http_port=_free_port())
    server.install(with_gds=with_gds, cds=cds, echo=lambda *_: None)
    server.start(echo=lambda *_: None)
    return server


@pytest.fixture(scope="session")
def neo4j_graph_server():
    """The project's Neo4j server that holds the session's full graph (``built_store[neo4j]``), started with the
    class-data archive that ``cellmap-kg neo4j install`` builds (``neo4j_cds``)."""
    server = _neo4j_server("graph", cds=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_scratch_server():
    """The project's Neo4j server for tests that write (``scratch_store[neo4j]``)."""
    server = _neo4j_server("scratch")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_gds_server():
    """A project Neo4j server with Neo4j Graph Data Science (``install(with_gds=True)``), in
    ``.cellmap-kg/test-neo4j/gds``; its database stays empty (GDS projects graphs from parameters)."""
    server = _neo4j_server("gds", with_gds=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_server_factory():
    """``start(name)``: a fresh project Neo4j server in ``.cellmap-kg/test-neo4j/<name>``, started like the graph
    and scratch servers (jars kept, data made new), for tests that need a server of their own (e.g. one that
    ``Neo4jStore`` manages for atomic rebuilds). Every server it started is stopped at the end of the session."""
    started = []

    def start(name: str):
        server = _neo4j_server(name)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_private_server():
    """A project Neo4j server of its own for the tests that stop, kill and start it (fault tests), in
    ``.cellmap-kg/test-neo4j/private``; never the session's shared servers. Skipped when the session runs
    without the Neo4j backend."""
    if "neo4j" not in BACKENDS:
        pytest.skip("Neo4j is not among this session's backends")
    server = _neo4j_server("private")
    yield server
    server.stop()


# ------------------------------------------------------------------------------------------------ stores
@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """``"falkordb"`` or ``"neo4j"``: the backend of this test's stores (every graph test runs on both)."""
    return request.param


@pytest.fixture(scope="session")
def falkordb_scratch_dir(tmp_path_factory):
    """Store directory of the session's scratch FalkorDB server (one graph per test on it)."""
    from cellmap_kg.store import falkordb_server

    store_dir = tmp_path_factory.mktemp("falkordb")
    falkordb_server.ensure_running(store_dir)
    yield store_dir
    falkordb_server.stop(store_dir)


@contextmanager
def _falkordb_graph(store_dir: Path, name: str):
    """An empty FalkorDB graph named after ``name`` on the server of ``store_dir``, deleted (with its staging graph)
    afterwards."""
    from cellmap_kg.store.falkordb_store import FalkorDBStore

    graph = "t_" + "".join(c if c.isalnum() else "_" for c in name)
    store = FalkorDBStore(store_dir, graph)
    store._drop()
    try:
        yield store
    finally:
        for drop in (graph, graph + "__staging"):
            FalkorDBStore(store_dir, drop, _conn=store._conn)._drop()
        store.close()


@pytest.fixture(scope="session")
def falkordb_test_graph(falkordb_scratch_dir):
    """``falkordb_test_graph(name)``: a context manager giving an empty FalkorDB graph on the session's scratch
    server, deleted afterwards (``scratch_store[falkordb]`` and the FalkorDB-only store tests use it)."""
    return partial(_falkordb_graph, falkordb_scratch_dir)


@pytest.fixture
def scratch_store(backend, request):
    """An empty store of ``backend`` that the test may write to: a FalkorDB graph named after the test (deleted
    afterwards), or the scratch Neo4j database emptied before and after (constraints and indexes dropped too)."""
    from cellmap_kg.store import open_store

    if backend == "falkordb":
        with request.getfixturevalue("falkordb_test_graph")(request.node.name) as store:
            yield store
        return
    server = request.getfixturevalue("neo4j_scratch_server")
    store = open_store(server.uri)
    store._reset()
    yield store
    store._reset()
    store.close()


@pytest.fixture(scope="session")
def hisig_cache_dir(tmp_path_factory):
    """The HiSig cache of the session's full builds: the second backend's build reuses the first one's fits
    (``tests/test_backend_equivalence.py`` checks that it did and that both graphs answer alike)."""
    return tmp_path_factory.mktemp("hisig-cache")


def _build_full(store, data_dir, cache_dir):
    from cellmap_kg.build import build

    store.build_result = build(store, data_dir, cache_dir=cache_dir)
    return store


@pytest.fixture(scope="session")
def full_falkordb(data_dir, tmp_path_factory, hisig_cache_dir):
    """An embedded FalkorDB store holding the full graph built from the real data (all sources, default analyses).
    Read-only use; built once per session."""
    from cellmap_kg.store import open_store, stop_embedded

    uri = f"falkordb://{tmp_path_factory.mktemp('kg') / 'store'}"
    store = _build_full(open_store(uri), data_dir, hisig_cache_dir)
    yield store
    store.close()
    stop_embedded(uri)


@pytest.fixture(scope="session")
def full_neo4j(data_dir, neo4j_graph_server, hisig_cache_dir):
    """The project's Neo4j holding the full graph built by Cypher from the same data. Read-only use."""
    from cellmap_kg.store import open_store

    store = _build_full(open_store(neo4j_graph_server.uri), data_dir, hisig_cache_dir)
    yield store
    store.close()


@pytest.fixture(scope="session")
def built_store(backend, request):
    """The full graph in ``backend``'s store (``full_falkordb`` or ``full_neo4j``). Read-only use."""
    return request.getfixturevalue(f"full_{backend}")


@pytest.fixture(scope="session")
def graph_store(backend, request):
    """The store with the full graph: ``$CELLMAP_KG_TEST_STORE`` if set, else the session's ``built_store`` of
    ``backend``."""
    if not TEST_STORE:
        yield request.getfixturevalue("built_store")
        return
    from cellmap_kg.store import open_store

    store = open_store(TEST_STORE)
    yield store
    store.close()


# ------------------------------------------------------------------------------------------------ CI guard
_skipped_neo4j: list[str] = []


def pytest_runtest_logreport(report):
    """Remember Neo4j tests that were skipped (CI turns them into a failure, see ``pytest_sessionfinish``)."""
    if report.skipped and ("[neo4j" in report.nodeid or "neo4j" in report.keywords):
        _skipped_neo4j.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """With ``CELLMAP_KG_REQUIRE_NEO4J=1`` a skipped Neo4j test fails the session."""
    if REQUIRE_NEO4J and _skipped_neo4j:
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"CELLMAP_KG_REQUIRE_NEO4J=1: {len(_skipped_neo4j)} Neo4j test(s) skipped, e.g. {_skipped_neo4j[:3]}",
            red=True)
        session.exitstatus = 1
