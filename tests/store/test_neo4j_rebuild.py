"""Atomic rebuilds of the project's own Neo4j (``neo4j_rebuild``) and the neo4j-admin round trip, on a small real
build (the U2OS cell map, with the sources it requires) in a Neo4j server of this module's own.

The tests run in order and share the server: a Cypher build swapped in, a build that raises mid-write, a builder
SIGKILLed mid-write, then ``cellmap-kg neo4j import --from <FalkorDB>`` (which must clean up after the kill).
``recover`` is tested on folder layouts made in the test."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cellmap_kg.build import BuildError, build
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.cellmap import load_u2os_cellmap
from cellmap_kg.queries.registry import load_queries, run_query
from cellmap_kg.schema import SCHEMA
from cellmap_kg.sources import source_of
from cellmap_kg.store import open_store, stop_embedded
from cellmap_kg.store.base import GraphStore, canonical_rows
from cellmap_kg.store.neo4j_rebuild import AUTH_FILE, KEPT_AUTH, NEXT_LINK, initial_password, recover, staging_home
from cellmap_kg.store.neo4j_server import Neo4jServer, free_port, store_lock_held
from cellmap_kg.store.neo4j_store import Neo4jStore

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("u2os-cellmap-2023-05",)
MORE_SOURCES = (*SOURCES, "corum-2022-11-28")


PER_BUILD = frozenset(name for label, name in SCHEMA.per_build_properties() if label == "GraphBuild")
"""Columns of ``graph-build`` that identify one build (declared ``perBuild``), left out of every comparison."""


def library_answers(store: GraphStore) -> dict[str, list[str]]:
    """Every library query with its example parameters -> its canonical rows (``PER_BUILD`` columns left out)."""
    return {name: canonical_rows([{k: v for k, v in row.items() if k not in PER_BUILD}
                                  for row in run_query(store, name, **spec.example_parameters())])
            for name, spec in sorted(load_queries().items())}


def differing(answers: dict[str, list[str]], reference: dict[str, list[str]], *, across_backends: bool) -> list[str]:
    """Names of the queries whose answers differ. ``across_backends``: leave out the queries ranked by a
    full-text index (their relevance is each backend's own index score: Lucene on Neo4j, RediSearch on
    FalkorDB); those are compared between two Neo4j graphs only."""
    fulltext = {name for name, spec in load_queries().items() if spec.fulltext is not None}
    return sorted(name for name in answers if answers[name] != reference[name]
                  and not (across_backends and name in fulltext))


# ------------------------------------------------------------------------------------------------ recover (no server)
def _generation(home: Path, name: str) -> Path:
    folder = home / name
    (folder / "databases" / "neo4j").mkdir(parents=True)
    return folder


def test_recover_installs_the_prepared_link_when_data_is_gone(tmp_path):
    """Killed between ``rename(data, data-previous)`` and ``rename(data.next, data)``: the new graph goes live."""
    _generation(tmp_path, "data-old")
    new = _generation(tmp_path, "data-new")
    (tmp_path / NEXT_LINK).symlink_to("data-new")
    recover(tmp_path)
    assert (tmp_path / "data").resolve() == new.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "data-new"]


def test_recover_drops_an_unused_link_and_orphan_folders(tmp_path):
    """Killed before the swap: ``data`` (the previous graph) stays, the link and the moved folder go."""
    live = _generation(tmp_path, "data-live")
    (tmp_path / "data").symlink_to("data-live")
    _generation(tmp_path, "data-unfinished")
    (tmp_path / NEXT_LINK).symlink_to("data-unfinished")
    recover(tmp_path)
    assert (tmp_path / "data").resolve() == live.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "data-live"]


def test_recover_keeps_a_plain_data_folder(tmp_path):
    """A home that never swapped (``data`` a real folder) is left as it is."""
    (tmp_path / "data" / "databases").mkdir(parents=True)
    recover(tmp_path)
    assert (tmp_path / "data" / "databases").is_dir() and not (tmp_path / "data").is_symlink()


def test_neo4j_import_needs_a_source_and_an_installed_server(tmp_path, capsys):
    from cellmap_kg.cli import main
    from cellmap_kg.export.neo4j_admin import load_into_server
    from cellmap_kg.store.neo4j_server import Neo4jServerError

    assert main(["neo4j", "import", "--home", str(tmp_path)]) == 1
    assert "neo4j import needs --from URI" in capsys.readouterr().err
    with pytest.raises(Neo4jServerError, match="no Neo4j installed in"):
        load_into_server(None, Neo4jServer(tmp_path))  # fails before reading the (here absent) store
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------------ on a real server
@pytest.fixture(scope="module")
def server(neo4j_server_factory) -> Neo4jServer:
    """A project Neo4j of this module's own (the session's graph and scratch servers are not managed)."""
    return neo4j_server_factory("rebuild")


@pytest.fixture(scope="module")
def falkordb_small(data_dir, tmp_path_factory):
    """The small build in an embedded FalkorDB store: the reference counts and answers."""
    uri = f"falkordb://{tmp_path_factory.mktemp('small') / 'store'}"
    store = open_store(uri)
    build(store, data_dir, only=SOURCES, analyses=False)
    yield store
    store.close()
    stop_embedded(uri)


@pytest.fixture(scope="module")
def reference(falkordb_small) -> dict:
    return {"counts": falkordb_small.counts(), "answers": library_answers(falkordb_small)}


def live_store(server: Neo4jServer) -> Neo4jStore:
    return Neo4jStore(server.uri, password=server.password, server=server)


@pytest.fixture(scope="module")
def cypher_build(server, data_dir) -> dict:
    """The small build into ``server`` by Cypher (``Neo4jStore.staging``: staging instance + swap): its counts
    and library answers."""
    with live_store(server) as store:
        build(store, data_dir, only=SOURCES, analyses=False)
        return {"counts": store.counts(), "answers": library_answers(store)}


@pytest.mark.neo4j
def test_on_an_unmanaged_server_a_build_failing_mid_write_loses_the_graph(neo4j_scratch_server, data_dir, reference,
                                                                          monkeypatch):
    """What a failed build leaves on a Community server the project does not manage (in-place staging): the
    database was emptied before writing, so the previous graph is gone (documented in ``Neo4jStore``)."""
    store = open_store(neo4j_scratch_server.uri)
    assert store.server is None  # not the project's default home: no staging instance, no swap
    store._reset()
    try:
        build(store, data_dir, only=SOURCES, analyses=False)
        assert store.counts() == reference["counts"]
        monkeypatch.setattr(Neo4jStore, "_write_relationships_by_id",
                            _fail_after_one_type(Neo4jStore._write_relationships_by_id))
        with pytest.raises(RuntimeError, match="injected"):
            build(store, data_dir, only=MORE_SOURCES, analyses=False)
        assert store.counts() == {"nodes": {}, "relationships": {}}
    finally:
        store._reset()
        store.close()


def _fail_after_one_type(original):
    """A ``Neo4jStore._write_relationships_by_id`` (``write_graph``'s relationship writes) that writes one
    relationship type, then raises on the next call."""
    written = []

    def write(self, *args, **kwargs):
        if written:
            raise RuntimeError(f"disk full (injected after {written[0]} relationships)")
        written.append(original(self, *args, **kwargs))
        return written[-1]
    return write


@pytest.mark.neo4j
def test_a_cypher_build_is_written_into_a_staging_instance_and_swapped_in(server, cypher_build, reference):
    counts = cypher_build["counts"]
    assert counts == reference["counts"]
    assert counts["nodes"]["Assembly"] > 0 and counts["relationships"]["MEMBER_OF"] > 0
    assert differing(cypher_build["answers"], reference["answers"], across_backends=True) == []
    assert (server.home / "data").is_symlink()
    staging = Neo4jServer(staging_home(server))
    assert staging.pid() is None and not (staging.home / "data").exists()


@pytest.mark.neo4j
def test_a_stopped_server_closed_its_store_before_it_was_ended(server, cypher_build):
    """``stop`` ends the JVM once the store lock is free, without waiting for Bolt's graceful close: the databases
    were shut down cleanly (their shutdown checkpoint written), so the next start runs no recovery and serves the
    same graph. (A SIGKILL before that point, as in the killed-builder test below, is followed by a recovery.)"""
    log = server.home / "logs" / "debug.log"
    assert server.pid() is not None and store_lock_held(server.data_dir)
    offset = log.stat().st_size
    assert server.stop()
    assert server.pid() is None and not store_lock_held(server.data_dir)
    stopping = log.read_bytes()[offset:].decode("utf-8", "replace")
    assert "Checkpoint triggered by \"Database shutdown\"" in stopping
    assert "Stopped 'DatabaseId{00000000[system]}' successfully" in stopping
    offset = log.stat().st_size
    server.start(echo=lambda *_: None)
    starting = log.read_bytes()[offset:].decode("utf-8", "replace")
    assert "[o.n.k.r.Recovery]" not in starting and "Recovery in" not in starting
    with live_store(server) as store:
        assert store.counts() == cypher_build["counts"]


@pytest.mark.neo4j
def test_a_build_failing_to_parse_discards_the_staging_instance_started_meanwhile(server, cypher_build, data_dir,
                                                                                 tmp_path):
    """The staging instance starts while the files parse; a parse error stops and removes it (no live change)."""
    corrupt = tmp_path / "data"
    shutil.copytree(data_dir / "u2os_cellmap_draft", corrupt / "u2os_cellmap_draft")
    for entry in data_dir.iterdir():
        if not (corrupt / entry.name).exists():
            (corrupt / entry.name).symlink_to(entry)
    nodes = corrupt / source_of(load_u2os_cellmap).file("nodes").path
    lines = nodes.read_text().splitlines()
    lines[2] = lines[2].replace("\t", "\tnot-a-size\t", 1)
    nodes.write_text("\n".join(lines) + "\n")
    with live_store(server) as store:
        with pytest.raises((DataFormatError, BuildError), match=r"\.nodes:3"):
            build(store, corrupt, only=SOURCES, analyses=False)
        assert store.counts() == cypher_build["counts"]
    staging = Neo4jServer(staging_home(server))
    assert staging.pid() is None and not (staging.home / "data").exists()


@pytest.mark.neo4j
def test_a_build_failing_mid_write_leaves_the_live_graph(server, cypher_build, data_dir, reference, monkeypatch):
    monkeypatch.setattr(Neo4jStore, "_write_relationships_by_id",
                            _fail_after_one_type(Neo4jStore._write_relationships_by_id))
    with live_store(server) as store:
        with pytest.raises(RuntimeError, match=r"injected after [1-9]\d* relationships"):
            build(store, data_dir, only=MORE_SOURCES, analyses=False)
        assert store.counts() == reference["counts"]
    staging = Neo4jServer(staging_home(server))
    assert staging.pid() is None and not (staging.home / "data").exists()


KILLED_BUILDER = """
import os, signal, sys
from pathlib import Path
from cellmap_kg.build import BuildError, build
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.cellmap import load_u2os_cellmap
from cellmap_kg.store.base import canonical_rows
from cellmap_kg.store.neo4j_server import Neo4jServer, store_lock_held
from cellmap_kg.store.neo4j_store import Neo4jStore

original = Neo4jStore._write_relationships_by_id

def write_then_die(self, *args, **kwargs):
    original(self, *args, **kwargs)  # one relationship type is in the staging graph
    os.kill(os.getpid(), signal.SIGKILL)

Neo4jStore._write_relationships_by_id = write_then_die
server = Neo4jServer(Path(sys.argv[1]))
store = Neo4jStore(server.uri, password=server.password, server=server)
build(store, Path(sys.argv[2]), only=sys.argv[3:], analyses=False)
"""


@pytest.mark.neo4j
def test_a_builder_killed_mid_write_leaves_the_live_graph(server, cypher_build, data_dir, reference):
    done = subprocess.run([sys.executable, "-c", KILLED_BUILDER, str(server.home), str(data_dir), *MORE_SOURCES],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=1800)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    with live_store(server) as store:
        assert store.counts() == reference["counts"]
    # what the kill leaves: the staging instance still runs with its partial graph (the next build removes it)
    staging = Neo4jServer(staging_home(server))
    assert staging.pid() is not None
    with Neo4jStore(staging.uri, password=staging.password) as partial:
        assert partial.counts() != reference["counts"]


@pytest.mark.neo4j
def test_the_staging_password_file_is_kept_for_the_same_password_only(server, tmp_path, monkeypatch):
    """``initial_password``: neo4j-admin writes the staging instance's auth file once; the next data folder gets
    the kept copy (mode 600) without neo4j-admin while installation, password and kept file are the same; another
    password, a damaged kept file or other jars run neo4j-admin again."""
    import cellmap_kg.store.neo4j_rebuild as rebuild

    home = tmp_path / "staging"
    home.mkdir()
    (home / "lib").symlink_to(server.lib_dir)
    staging = Neo4jServer(home, bolt_port=free_port(), http_port=free_port())
    staging.configure()
    kept, stamp = home / KEPT_AUTH, home / f"{KEPT_AUTH}.sha256"
    assert initial_password(staging, "first-password") is False  # neo4j-admin ran
    written = (staging.data_dir / AUTH_FILE).read_bytes()
    assert written.startswith(b"neo4j:") and kept.read_bytes() == written
    assert kept.stat().st_mode & 0o777 == 0o600 and stamp.stat().st_mode & 0o777 == 0o600
    calls = []
    real_admin = Neo4jServer.admin
    monkeypatch.setattr(Neo4jServer, "admin",
                        lambda self, *args, **kw: calls.append(args[-1]) or real_admin(self, *args))

    def fresh_data() -> None:
        shutil.rmtree(staging.data_dir, ignore_errors=True)

    fresh_data()
    assert initial_password(staging, "first-password") is True
    assert (staging.data_dir / AUTH_FILE).read_bytes() == written and calls == []
    fresh_data()
    assert initial_password(staging, "other-password") is False and calls == ["other-password"]
    other = (staging.data_dir / AUTH_FILE).read_bytes()
    assert other != written and kept.read_bytes() == other
    fresh_data()
    kept.write_bytes(other[:-5])  # damaged (e.g. cut off): the stamp no longer matches
    assert initial_password(staging, "other-password") is False and calls == ["other-password"] * 2
    fresh_data()
    monkeypatch.setattr(rebuild, "pom_sha256", lambda: "0" * 64)  # other jars (cellmap-kg neo4j install --force)
    assert initial_password(staging, "other-password") is False and len(calls) == 3
    fresh_data()
    assert initial_password(staging, "other-password") is True and len(calls) == 3


@pytest.mark.neo4j
def test_neo4j_admin_import_round_trip_after_the_kill(server, falkordb_small, reference, cypher_build, capsys,
                                                      monkeypatch):
    """``cellmap-kg neo4j import --from <FalkorDB>``: same counts and library answers as the Cypher build of the
    same sources (every query) and as the FalkorDB graph; the staging instance the killed builder left is cleaned
    up first. Its staging instance took the password file kept by the earlier builds (no neo4j-admin), and the
    swapped-in server accepts the live password."""
    import cellmap_kg.store.neo4j_rebuild as rebuild
    from cellmap_kg.cli import main

    reused = []
    monkeypatch.setattr(rebuild, "initial_password",
                        lambda staging, password: reused.append(initial_password(staging, password)) or reused[-1])
    assert main(["neo4j", "import", "--from", falkordb_small.uri, "--home", str(server.home)]) == 0
    assert "imported" in capsys.readouterr().out
    assert reused == [True]
    with live_store(server) as store:
        assert store.counts() == reference["counts"]
        answers = library_answers(store)
        fulltext = store.fulltext_search("Protein", "DPP9", limit=1)
    assert answers["assembly"] and answers["search"]  # the examples find something in the small graph
    assert differing(answers, cypher_build["answers"], across_backends=False) == []
    assert differing(answers, reference["answers"], across_backends=True) == []
    assert fulltext and fulltext[0]["key"] == "DPP9"  # the schema script's full-text index is online
    assert server.pid() is not None
    assert Neo4jServer(staging_home(server)).pid() is None
