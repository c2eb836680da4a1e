"""``neo4j_cds``: the JVM options a server gets (its class-data archive only while the archive's stamp is current
and the home has no plugins, the class list while the classes are listed), the staging instance's class path and
archive, a failed dump reported and cleaned up (a real ``java -Xshare:dump`` of a malformed list), and on the real
graph server (whose archive ``cellmap-kg neo4j install`` built) the archive mapped into the running server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cellmap_kg.store import neo4j_cds
from cellmap_kg.store.neo4j_cds import (
    ARCHIVE,
    CLASS_LIST,
    STAMP,
    archive_stamp,
    build_archive,
    cds_dir,
    current_archive,
    jvm_options,
)
from cellmap_kg.store.neo4j_server import Neo4jServer


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CELLMAP_KG_REQUIRE_NEO4J") == "1":  # as tests/conftest.py: a skip would fail the run
            pytest.fail("CELLMAP_KG_REQUIRE_NEO4J=1 but java is not on PATH")
        pytest.skip("java is not on PATH (the project's Neo4j needs it)")
    return java


def _archive(server: Neo4jServer, stamp: str) -> Path:
    """A stand-in archive file of ``server`` with ``stamp`` (the JVM is not started here)."""
    folder = cds_dir(server)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ARCHIVE).write_bytes(b"archive")
    (folder / STAMP).write_text(stamp, encoding="utf-8")
    return folder / ARCHIVE


def test_the_archive_is_used_only_while_its_stamp_is_current(tmp_path):
    server = Neo4jServer(tmp_path / "home", bolt_port=17001, http_port=17002)
    server.lib_dir.mkdir(parents=True)
    assert jvm_options(server) == ()  # none built
    current = archive_stamp(_java())
    archive = _archive(server, current)
    assert jvm_options(server) == (f"-XX:SharedArchiveFile={archive}",)
    listed = tmp_path / "classes.lst"  # while the classes are listed, no archive
    assert jvm_options(server, listed) == (f"-XX:DumpLoadedClassList={listed}",)
    pom_hash, binary, mtime = current.splitlines()
    for stale in ("\n".join(["0" * 64, binary, mtime]),  # other jars
                  "\n".join([pom_hash, binary, str(int(mtime) + 1)])):  # the JDK updated in place
        _archive(server, stale)
        assert current_archive(server) is None
        assert jvm_options(server) == ()


def test_a_staging_instance_gets_the_live_class_path_and_archive(tmp_path):
    live = Neo4jServer(tmp_path / "live", bolt_port=17003, http_port=17004)
    live.lib_dir.mkdir(parents=True)
    archive = _archive(live, archive_stamp(_java()))
    staging_home = live.home / "staging"
    staging_home.mkdir()
    (staging_home / "lib").symlink_to(live.lib_dir)  # as neo4j_rebuild.prepare_staging links it
    staging = Neo4jServer(staging_home, bolt_port=17005, http_port=17006)
    staging.configure()
    conf = staging.conf_file.read_text(encoding="utf-8").splitlines()
    assert f"server.directories.lib={live.lib_dir.resolve()}" in conf  # the jars' real paths: the archive's
    assert f"server.jvm.additional=-XX:SharedArchiveFile={archive}" in conf


def test_a_home_with_plugins_gets_no_archive(tmp_path):
    server = Neo4jServer(tmp_path / "home", bolt_port=17007, http_port=17008)
    server.lib_dir.mkdir(parents=True)
    _archive(server, archive_stamp(_java()))
    server.plugins_dir.mkdir()
    (server.plugins_dir / "proc-2.13.9.jar").write_bytes(b"jar")  # Graph Data Science: first on the class path
    assert current_archive(server) is None and jvm_options(server) == ()
    said = []
    assert build_archive(server, echo=said.append) is None
    assert "Graph Data Science" in said[0]


def test_a_failed_dump_is_reported_and_leaves_no_archive(tmp_path, monkeypatch):
    server = Neo4jServer(tmp_path / "home", bolt_port=17009, http_port=17010)
    server.lib_dir.mkdir(parents=True)
    _java()

    def listed(srv, path):  # instead of a server start: a list the JVM refuses (a line over its 4,096 bytes)
        path.write_text("@lambda-proxy " + "x" * 5000 + "\n", encoding="utf-8")
        return 1

    monkeypatch.setattr(neo4j_cds, "_list_classes", listed)
    said = []
    assert build_archive(server, echo=said.append) is None
    assert "java -Xshare:dump failed" in said[-1] and "starts without one" in said[-1]
    assert not cds_dir(server).exists()
    assert not (cds_dir(server) / CLASS_LIST).exists() and jvm_options(server) == ()


def test_the_graph_server_runs_with_its_archive_mapped(neo4j_graph_server):
    archive = current_archive(neo4j_graph_server)
    assert archive is not None and archive.stat().st_size > 50_000_000  # Neo4j 5.26's classes: ~150 MB
    maps = Path(f"/proc/{neo4j_graph_server.pid()}/maps").read_text()
    assert str(archive) in maps  # the JVM accepted it (a rejected archive is not mapped)
