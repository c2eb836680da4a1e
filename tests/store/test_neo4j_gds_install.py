"""``cellmap-kg neo4j install --with-gds``: the Maven listing is read by group and artifact, the GDS test server's
plugins hold no library that its ``lib/`` already has, GDS loads (``gds.version()``), and a second install does
nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from cellmap_kg.store import open_store
from cellmap_kg.store.neo4j_gds import gds_version
from cellmap_kg.store.neo4j_server import _listed_artifacts, gds_pinned_version

LISTING = """
The following files have been resolved:
   org.neo4j:annotations:jar:5.26.30:compile:/m2/annotations-5.26.30.jar -- module org.neo4j.annotations
   org.neo4j.gds:annotations:jar:2.13.9:compile:/m2/org/neo4j/gds/annotations/2.13.9/annotations-2.13.9.jar
   com.github.luben:zstd-jni:jar:linux:1.5.6-6:runtime:/m2/zstd-jni-1.5.6-6-linux.jar -- module zstd_jni [auto]
"""


def test_the_maven_listing_is_read_by_group_and_artifact():
    listed = _listed_artifacts(LISTING)
    assert listed == {("org.neo4j", "annotations"): Path("/m2/annotations-5.26.30.jar"),
                      ("org.neo4j.gds", "annotations"): Path("/m2/org/neo4j/gds/annotations/2.13.9/"
                                                              "annotations-2.13.9.jar"),
                      ("com.github.luben", "zstd-jni"): Path("/m2/zstd-jni-1.5.6-6-linux.jar")}


@pytest.mark.neo4j
def test_gds_plugins_add_no_library_of_lib_and_load(neo4j_gds_server):
    server = neo4j_gds_server
    assert server.gds_installed() and server.status()["gds"] == gds_pinned_version()
    plugins = {p.name for p in server.plugins_dir.glob("*.jar")}
    lib = {p.name for p in server.lib_dir.glob("*.jar")}
    assert "proc-2.13.9.jar" in plugins and "opengds-extension-2.13.9.jar" in plugins
    assert not plugins & lib
    assert not any(name.startswith(("jackson-core-", "jackson-databind-", "eclipse-collections-")) for name in plugins)
    assert "dbms.security.procedures.unrestricted=gds.*" in server.conf_file.read_text()
    with open_store(server.uri) as store:
        assert gds_version(store) == gds_pinned_version()
    assert server.install(with_gds=True, echo=lambda *_: None) is False     # idempotent: nothing resolved again
