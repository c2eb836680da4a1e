"""One embedded FalkorDB server for the store tests (started once, stopped at the end of the session); each
test gets its own graph on it, deleted afterwards."""

from __future__ import annotations

import pytest

from cellmap_kg.store import falkordb_server
from cellmap_kg.store.falkordb_store import FalkorDBStore


@pytest.fixture(scope="session")
def falkordb_dir(tmp_path_factory):
    """Store directory of the session's FalkorDB server."""
    store_dir = tmp_path_factory.mktemp("falkordb")
    falkordb_server.ensure_running(store_dir)
    yield store_dir
    falkordb_server.stop(store_dir)


@pytest.fixture
def store(falkordb_dir, request):
    """A ``FalkorDBStore`` on a graph named after the test (empty at start, deleted at the end)."""
    graph = "t_" + request.node.name.replace("[", "_").replace("]", "").replace("-", "_")
    s = FalkorDBStore(falkordb_dir, graph)
    s._drop()
    yield s
    for name in (graph, graph + "__staging"):
        FalkorDBStore(falkordb_dir, name, _conn=s._conn)._drop()
    s.close()
