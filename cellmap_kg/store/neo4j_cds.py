"""A class-data-sharing archive of Neo4j's classes: the project's Neo4j servers start ~30% faster.

A Neo4j 5.26 server loads ~19,000 classes from ``lib/`` at every start; the JVM reads, parses and verifies each.
Application class-data sharing (AppCDS, JEP 310, in the JDK since 10) stores them, parsed and verified, in an
archive that later JVMs map into memory instead. The JDK's three steps (the JDK 17 ``java`` tool reference,
https://docs.oracle.com/en/java/javase/17/docs/specs/man/java.html, "Application Class Data Sharing"; JEP 310,
https://openjdk.org/jeps/310):

1. run the application once with ``-XX:DumpLoadedClassList=<list>`` (``build_archive`` starts this home's server,
   runs a few read queries and a rolled-back write so that the Cypher planner, runtime and transaction classes are
   listed too, then stops it);
2. ``java -Xshare:dump -XX:SharedClassListFile=<list> -XX:SharedArchiveFile=<archive> -cp <the server's class
   path>``;
3. start the server with ``-XX:SharedArchiveFile=<archive>`` (``jvm_options``, written by
   ``Neo4jServer.configure``).

Measured on the 2-core machine (``bench-neo4j``, three starts each, 2026-12-07): start to Bolt answering
10.0-10.7 s without the archive, 6.6-7.6 s with it, and the first query after the start 2.3-3.1 s -> 1.6-1.9 s;
building it once ~1 min (the listing start, then the dump of 19,305 listed classes), ~150 MB beside ``lib/``. A
Cypher build into the project's Neo4j starts two servers (the staging instance, then the live one after the swap,
see ``neo4j_rebuild``), ``neo4j import`` two as well.

Safety: the archive is used only when its stamp matches the jars (the pom's hash) and the ``java`` binary (path and
modification time); the JVM checks again (JDK build, class path, every jar's size and time) and, with the default
``-Xshare:auto``, runs without the archive when it does not match: a stale archive costs speed, never a start.
The staging instance uses the live home's archive: its ``lib`` is the live ``lib/`` (``Neo4jServer.configure``
writes the resolved path, so the class paths match). A home with Graph Data Science gets none (``has_plugins``).
If the JVM rejected an archive it would run without class-data sharing at all (the archive replaces the JDK's
default one), hence the stamp and the plugins rule rather than relying on the JVM's check alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .neo4j_server import Neo4jServer

CDS_DIR = "cds"
"""Folder of the archive, beside the (resolved) ``lib/`` folder."""
ARCHIVE, CLASS_LIST, STAMP = "neo4j.jsa", "classes.lst", "neo4j.jsa.stamp"
MAX_LIST_LINE = 4096
"""Longest class-list line ``-Xshare:dump`` accepts (JDK 17 ``ClassListParser``: "input line too long (must be no
longer than 4096 chars)"); longer ``@lambda-proxy`` lines (lambdas of very long signatures) are left out."""
DUMP_TIMEOUT_S = 600.0
"""Longest ``java -Xshare:dump`` allowed (it took ~35 s on the 2-core machine)."""
WORKLOAD = (
    "MATCH (n) RETURN count(n) AS n",
    "MATCH (a)-[r]->(b) RETURN a, r, b LIMIT 5",
    "UNWIND range(1, 100) AS i WITH i WHERE i % 2 = 0 RETURN collect(i) AS xs, max(i) AS top",
    "CALL () { MATCH (n) RETURN n LIMIT 3 } RETURN collect([labels(n), properties(n)]) AS rows",
    "SHOW INDEXES YIELD name, type RETURN name, type",
    "CALL db.labels() YIELD label RETURN collect(label) AS labels",
)
"""Read queries run while the class list is written (planner, runtimes, procedures, collected answers)."""
ROLLED_BACK = ("UNWIND range(1, 100) AS i CREATE (n:Assembly {id: 'cds-' + toString(i), size: i}) "
               "WITH n MATCH (m:Assembly) WHERE m.size = n.size - 1 CREATE (m)-[:CONTAINS]->(n) RETURN count(*) AS n")
"""A write run in a transaction that is rolled back (the write path's classes). Its nodes and relationships are
not committed; Neo4j commits new token names (labels, types, property keys) on their own, so it uses names of the
project's schema only (``Assembly``, ``id``, ``size``, ``CONTAINS``)."""


def cds_dir(server: Neo4jServer) -> Path:
    """``<resolved lib>/../cds``: shared by a home and its staging instance (whose ``lib`` links to the live one)."""
    return server.lib_dir.resolve().parent / CDS_DIR


def class_path(server: Neo4jServer) -> str:
    """The server JVM's class path as Neo4j's launcher builds it without plugins (``conf/*`` then ``lib/*``; the JVM
    expands the wildcards to the jars in directory order, so the dump and the server see the same list)."""
    return f"{server.conf_dir}/*:{server.lib_dir.resolve()}/*"


def archive_stamp(java: str) -> str:
    """What an archive was built for: the pom's hash (the jars, ``neo4j_server.pom_sha256``), the ``java``
    binary's real path and its modification time in ns (a JDK update replaces it), one per line.

    Raises:
        OSError: ``java`` does not exist.
    """
    from .neo4j_server import pom_sha256

    binary = os.path.realpath(java)
    return "\n".join([pom_sha256(), binary, str(os.stat(binary).st_mtime_ns)])


def current_archive(server: Neo4jServer) -> Path | None:
    """The archive of ``server``'s jars and ``java``, or None (none built, built for other jars or JDK, or a home
    with plugins, ``has_plugins``)."""
    if has_plugins(server):
        return None
    java = shutil.which("java")
    folder = cds_dir(server)
    archive, stamp = folder / ARCHIVE, folder / STAMP
    try:
        if java and archive.is_file() and stamp.read_text(encoding="utf-8") == archive_stamp(java):
            return archive
    except OSError:
        return None
    return None


def jvm_options(server: Neo4jServer, class_list: Path | None = None) -> tuple[str, ...]:
    """``server.jvm.additional`` options: write ``class_list`` (step 1) if given, else use the current archive."""
    if class_list is not None:
        return (f"-XX:DumpLoadedClassList={class_list}",)
    archive = current_archive(server)
    return (f"-XX:SharedArchiveFile={archive}",) if archive is not None else ()


def build_archive(server: Neo4jServer, *, echo=print) -> Path | None:
    """Build ``server``'s archive (module docstring, steps 1-2) unless a current one exists; returns it, or None
    with a message saying why there is none (Neo4j then starts as before, without one).

    The server must be installed and stopped (its start lists the classes); it is stopped again afterwards and its
    ``neo4j.conf`` written without the listing option, whatever failed. No archive is built while the server runs,
    nor for a home with Graph Data Science (``has_plugins``). A failed start (a port in use), workload or dump is
    reported, not raised: the install it belongs to stays usable.

    Raises:
        Neo4jServerError: no ``java`` or ``mvn`` on PATH (``require_tools``; ``install`` has checked them first).
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from .neo4j_server import Neo4jServerError, require_tools

    existing = current_archive(server)
    if existing is not None:
        return existing
    if server.pid() is not None:
        echo(f"Neo4j runs in {server.home}: stop it and run `cellmap-kg neo4j install` again to build the "
             "class-data archive (faster starts)")
        return None
    if has_plugins(server):
        echo(f"no class-data archive for {server.home}: Graph Data Science is installed (the launcher puts plugins/ "
             "first on the class path, which an archive of lib/ does not match)")
        return None
    java, _ = require_tools()  # install() has checked both already
    folder = cds_dir(server)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    echo(f"building a class-data-sharing archive of Neo4j's classes in {folder} (once, ~1 min: starts ~30% faster)")
    try:
        kept = _list_classes(server, folder / CLASS_LIST)
        _dump(java, server, folder)
    except (Neo4jServerError, Neo4jError, DriverError, OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        echo(f"no class-data archive built ({type(exc).__name__}: {exc}); Neo4j starts without one")
        return None
    (folder / STAMP).write_text(archive_stamp(java), encoding="utf-8")
    server.configure()
    echo(f"class-data archive: {kept:,} classes listed, {(folder / ARCHIVE).stat().st_size / 1e6:.0f} MB")
    return folder / ARCHIVE


def has_plugins(server: Neo4jServer) -> bool:
    """True when ``server``'s ``plugins/`` holds jars (Graph Data Science): Neo4j's launcher then starts the class
    path with them, so the archive of ``lib/`` would not match and is neither built nor used."""
    return any(server.plugins_dir.glob("*.jar"))


def _list_classes(server: Neo4jServer, listed: Path) -> int:
    """Step 1: start ``server`` listing its classes into ``listed``, run the workload, stop it (always), keep the
    lines ``-Xshare:dump`` accepts; returns how many."""
    from neo4j import GraphDatabase

    try:
        server.start(echo=lambda *_: None, class_list=listed)
        with GraphDatabase.driver(server.uri, auth=("neo4j", server.password),
                                  notifications_min_severity="OFF") as driver:
            with driver.session() as session:
                for cypher in WORKLOAD:
                    session.run(cypher).consume()
                with session.begin_transaction() as tx:
                    tx.run(ROLLED_BACK).consume()
                    tx.rollback()
    finally:
        try:
            server.stop()
        finally:
            server.configure()  # without the listing option again
    lines = listed.read_text(encoding="utf-8", errors="replace").splitlines()
    kept = [line for line in lines if len(line.encode("utf-8")) < MAX_LIST_LINE]  # the limit counts bytes
    listed.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return len(kept)


def _dump(java: str, server: Neo4jServer, folder: Path) -> None:
    """Step 2: ``java -Xshare:dump`` of the class list into ``folder/ARCHIVE`` (written beside it first, renamed
    when complete). Raises ``Neo4jServerError`` with the JVM's last lines when it fails."""
    from .neo4j_server import Neo4jServerError

    listed, partial = folder / CLASS_LIST, folder / (ARCHIVE + ".partial")
    done = subprocess.run([java, "-Xshare:dump", f"-XX:SharedClassListFile={listed}",
                           f"-XX:SharedArchiveFile={partial}", "-Xlog:cds=off", "-cp", class_path(server)],
                          capture_output=True, text=True, timeout=DUMP_TIMEOUT_S)
    if done.returncode != 0 or not partial.is_file():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-10:])
        raise Neo4jServerError(f"java -Xshare:dump failed (exit {done.returncode}):\n{tail}")
    partial.rename(folder / ARCHIVE)
    listed.unlink()
