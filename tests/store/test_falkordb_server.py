"""Embedded FalkorDB server lifecycle: start, reuse, persistence across restarts, long paths, start failures."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from cellmap_kg.store import falkordb_server
from cellmap_kg.store.base import StoreError
from cellmap_kg.store.falkordb_store import FalkorDBStore


def test_socket_path_stays_in_short_dirs_and_moves_to_tmp_for_long_ones(tmp_path):
    assert falkordb_server.socket_path(tmp_path) == tmp_path / "redis.sock"
    long_dir = tmp_path / ("x" * 120)
    sock = falkordb_server.socket_path(long_dir)
    assert sock.parent.parent == Path("/tmp") and sock.parent.name.startswith("cellmap-kg-")
    assert len(os.fsencode(sock)) <= falkordb_server.MAX_SOCKET_PATH
    assert falkordb_server.socket_path(long_dir) == sock  # stable per directory
    assert falkordb_server.socket_path(tmp_path / ("y" * 120)) != sock  # distinct per directory


def test_reuses_a_running_server(falkordb_dir):
    pid = (falkordb_dir / "redis.pid").read_text()
    assert falkordb_server.is_running(falkordb_dir)
    assert falkordb_server.ensure_running(falkordb_dir) == falkordb_dir / "redis.sock"
    assert (falkordb_dir / "redis.pid").read_text() == pid
    first = FalkorDBStore(falkordb_dir, "t_reuse")
    first.write_nodes("Protein", [{"symbol": "TP53"}])
    second = FalkorDBStore(falkordb_dir, "t_reuse")
    assert second.query("MATCH (p:Protein) RETURN p.symbol AS s") == [{"s": "TP53"}]
    first._drop()
    first.close()
    second.close()


def test_server_keeps_more_execution_plans_than_the_library_has_queries(falkordb_dir):
    """FalkorDB's default plan cache (25) is smaller than the library: cycling through it replanned every query."""
    from cellmap_kg.queries.registry import load_queries

    store = FalkorDBStore(falkordb_dir, "t_cache_size")
    try:
        assert store._command("GRAPH.CONFIG", "GET", "CACHE_SIZE") == ["CACHE_SIZE", 256]
    finally:
        store.close()
    assert falkordb_server.QUERY_CACHE_SIZE == 256 > 2 * len(load_queries())


def test_graph_survives_a_server_restart_and_the_server_outlives_its_client(tmp_path):
    store_dir = tmp_path / "kg"
    store = FalkorDBStore(store_dir)
    store.apply_schema()
    store.write_nodes("Protein", [{"symbol": "POLR2A", "uniprot": ["P24928"]}])
    store.close()
    assert falkordb_server.is_running(store_dir)  # closing the store leaves the server up for reuse
    assert falkordb_server.stop(store_dir) is True
    assert not falkordb_server.is_running(store_dir)
    assert falkordb_server.stop(store_dir) is False
    assert (store_dir / "dump.rdb").exists()

    reopened = FalkorDBStore(store_dir)  # starts the server again, which loads dump.rdb
    try:
        assert reopened.query("MATCH (p:Protein) RETURN p", read_only=True) == [
            {"p": {"symbol": "POLR2A", "uniprot": ["P24928"], "_labels": ["Protein"]}}]
        assert "RANGE" in reopened.indexes()[("Protein", "symbol")]
    finally:
        reopened.close()
        falkordb_server.stop(store_dir)


def test_long_store_directory_uses_a_short_socket(tmp_path):
    store_dir = tmp_path / ("deep_" * 20) / "kg"
    sock = falkordb_server.ensure_running(store_dir)
    try:
        assert str(sock).startswith("/tmp/cellmap-kg-")
        store = FalkorDBStore(store_dir)
        store.write_nodes("Protein", [{"symbol": "TP53"}])
        assert store.counts()["nodes"] == {"Protein": 1}
        store.close()
    finally:
        assert falkordb_server.stop(store_dir)
    assert not sock.parent.exists()  # the socket directory under /tmp is removed with the server


def test_start_failure_quotes_the_log(tmp_path):
    store_dir = tmp_path / "broken"
    store_dir.mkdir()
    (store_dir / "dump.rdb").write_bytes(b"REDIS0011 this is not a snapshot")
    with pytest.raises(StoreError, match=r"exited during start-up(.|\n)*redis\.log(.|\n)*(RDB|DB|format)"):
        falkordb_server.ensure_running(store_dir, timeout_s=20)
    assert not falkordb_server.is_running(store_dir)


def test_a_server_that_does_not_answer_is_waited_for_not_duplicated(tmp_path, monkeypatch):
    store_dir = tmp_path / "busy"
    falkordb_server.ensure_running(store_dir)
    pid = int((store_dir / "redis.pid").read_text())
    monkeypatch.setattr(falkordb_server, "PING_TIMEOUT_S", 0.2)
    os.kill(pid, signal.SIGSTOP)  # stands in for a server blocked by a long SAVE
    try:
        with pytest.raises(StoreError, match="did not answer"):
            falkordb_server.ensure_running(store_dir, timeout_s=1)
        assert int((store_dir / "redis.pid").read_text()) == pid  # no second server was started
    finally:
        os.kill(pid, signal.SIGCONT)
    assert falkordb_server.ensure_running(store_dir) == store_dir / "redis.sock"
    assert falkordb_server.stop(store_dir)
