"""Nothing acknowledged is lost: a writing command ends durable (``GraphStore.flush``), so a server killed with
SIGKILL right after it still has its writes when it comes back. Each test runs its own store/server."""

from __future__ import annotations

import os
import signal
import time

import pytest

from cellmap_kg.analyses.size import diameter_nm
from cellmap_kg.cli import main
from cellmap_kg.loaders.cellmap import load_u2os_cellmap, read_hidef_nodes
from cellmap_kg.sources import source_of
from cellmap_kg.store import falkordb_server, open_store
from cellmap_kg.store.neo4j_server import _port_free

MAP = "U2OS-2023-05"


def _kill_falkordb(store_dir) -> None:
    pid = falkordb_server._server_process(store_dir)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    while falkordb_server.pid_alive(pid):
        time.sleep(0.01)


def test_analyze_writes_survive_a_sigkill_right_after_the_command(tmp_path, data_dir, capsys):
    store_dir = tmp_path / "store"
    uri = f"falkordb://{store_dir}"
    nodes = read_hidef_nodes(source_of(load_u2os_cellmap).in_dir(data_dir).path("nodes"))
    sizes = {f"{MAP}:{n.cluster_id}": len(n.genes) for n in nodes}
    try:
        with open_store(uri) as store:
            store.write_nodes("Assembly", [{"id": k, "map": MAP, "size": v} for k, v in sizes.items()])
            store.flush()  # the "previous build": in the snapshot before the command runs
        assert main(["analyze", "size", "--store", uri, "--data", str(data_dir)]) == 0
        assert "size" in capsys.readouterr().out
        _kill_falkordb(store_dir)
        with open_store(uri) as store:  # restarts the server from its snapshot
            rows = store.query("MATCH (a:Assembly) RETURN a.id AS id, a.diameterNm AS d", read_only=True)
            analyses = store.query("MATCH (d:Dataset {id: 'cellmap-kg-analyses'}) RETURN d.parameters AS p",
                                   read_only=True)
        assert len(rows) == len(sizes) == len(nodes)
        for row in rows:
            assert row["d"] == pytest.approx(diameter_nm(sizes[row["id"]])), row
        assert analyses and "size" in analyses[0]["p"]
    finally:
        falkordb_server.stop(store_dir)


def test_flushed_writes_survive_a_sigkill_of_falkordb(tmp_path):
    store_dir = tmp_path / "store"
    try:
        with open_store(f"falkordb://{store_dir}") as store:
            store.write_nodes("Protein", [{"symbol": "DPP9"}])
            store.flush()
            store.write_nodes("Protein", [{"symbol": "NUP93"}])  # acknowledged, never flushed
            _kill_falkordb(store_dir)
            store.reconnect()
            found = store.query("MATCH (p:Protein) RETURN p.symbol AS s ORDER BY s", read_only=True)
        # the snapshot holds what was flushed; the unflushed write is what flush() exists to keep
        assert [r["s"] for r in found] == ["DPP9"]
    finally:
        falkordb_server.stop(store_dir)


def test_committed_writes_survive_a_sigkill_of_neo4j(neo4j_private_server):
    server = neo4j_private_server
    with open_store(server.uri) as store:
        store._reset()
        store.write_nodes("Protein", [{"symbol": "DPP9", "name": "dipeptidyl peptidase 9"}])
        store.flush()  # nothing to do on Neo4j: the commit is in the transaction log
        pid = server.pid()
        os.kill(pid, signal.SIGKILL)
        while server.pid() is not None:
            time.sleep(0.05)
        deadline = time.monotonic() + 60  # the killed JVM's Bolt socket can outlive its pid for a moment
        while not _port_free(server.bolt_port) and time.monotonic() < deadline:
            time.sleep(0.2)
        server.start(echo=lambda *_: None)
        rows = store.query("MATCH (p:Protein) RETURN p.symbol AS s, p.name AS name", read_only=True)
    assert rows == [{"s": "DPP9", "name": "dipeptidyl peptidase 9"}]
