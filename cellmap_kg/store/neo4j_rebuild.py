"""Atomic rebuilds of the project's own Neo4j (Community: one database) by a staging instance and a folder swap.

Neo4j Community serves one user database, so a build cannot write a second database and switch an alias (as
Enterprise can, see ``Neo4jStore``). For the server the project runs itself (``Neo4jServer``, a folder it owns)
the build goes to a *second, offline copy* instead:

1. ``prepare_staging(live)``: a staging instance in ``<home>/staging`` (the live jars by symlink, its own data
   folder, free loopback ports, the live password set with ``neo4j-admin dbms set-initial-password``, or with
   the file that command wrote for the same password in an earlier build, ``initial_password``). A staging
   instance left by a killed build (its pid, its data) is stopped and wiped first, so the next build needs no
   manual cleanup.
2. The new graph is written into the staging instance: by Cypher (``cellmap-kg build``: ``Neo4jStore.staging``
   starts it and returns a store on it) or by ``neo4j-admin database import full`` while it is stopped
   (``import_csv``), then started to create the constraints and indexes and check the counts.
3. ``swap_in(live, staging)``: stop both servers (side by side, ``stop_servers``), move the staging data folder
   to ``<home>/data-<stamp>``, point the symlink ``<home>/data`` at it with one ``rename(2)`` of a prepared link
   ``<home>/data.next`` (atomic on POSIX), delete the previous data folder, start the live server again.

What a failure leaves:

- before the swap (parsing, writing, analyses, a SIGKILL of the builder, a staging server that dies): the live
  server is untouched and keeps answering with the previous graph; the staging leftovers are removed by the next
  build (or ``discard_staging``);
- during the swap (seconds, both servers stopped): ``<home>/data`` points at the previous or at the complete new
  folder, never at a partial one; a kill after ``data`` was renamed away and before the link took its place is
  finished by ``recover`` (run by every ``Neo4jServer.start``), which installs the prepared ``data.next``. The live
  server is stopped in that window, so after such a kill ``cellmap-kg neo4j start`` brings it back.

What is *not* protected: a Neo4j the project does not manage (any other ``bolt://`` / ``neo4j://`` server; see
``Neo4jStore``): there a Community build clears and rewrites the one database in place, after validating every
input first. The swap copies the whole data folder of the staging instance, including its ``system`` database:
users other than ``neo4j`` created on the live server are not carried over (the project's server has none).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .neo4j_server import Neo4jServer, Neo4jServerError, free_port, pom_sha256, stop_servers

STAGING_DIR = "staging"
"""The staging instance's home, inside the live home."""
NEXT_LINK = "data.next"
"""The prepared symlink that replaces ``<home>/data`` in the swap."""
GENERATION_PREFIX = "data-"
"""Data folders of successive builds: ``<home>/data-<UTC stamp>``; ``<home>/data`` is a symlink to the live one."""
AUTH_FILE = Path("dbms") / "auth.ini"
"""What ``neo4j-admin dbms set-initial-password`` writes into a data folder: the credentials the server takes at its
first start (Neo4j Operations Manual 5, "Set an initial password")."""
KEPT_AUTH = "initial-auth.ini"
"""The staging home's copy of the last ``AUTH_FILE`` neo4j-admin wrote, beside ``KEPT_AUTH + ".sha256"``."""
STAGING_HEAP, STAGING_PAGECACHE = "1g", "512m"
"""Memory of the staging instance (it runs beside the live server during a build)."""


def staging_home(live: Neo4jServer) -> Path:
    """``<live home>/staging``."""
    return live.home / STAGING_DIR


def recover(home: Path) -> None:
    """Finish or roll back a swap interrupted in ``home`` and delete data folders nothing points at.

    ``data.next`` without ``data`` (killed between the two renames of ``swap_in``): the prepared link becomes
    ``data`` (the new graph was complete before the swap began). ``data.next`` beside ``data``: the swap never
    happened; the link is removed. Then every ``data-*`` folder that ``data`` does not point at is deleted.
    """
    home = Path(home)
    data, nxt = home / "data", home / NEXT_LINK
    if nxt.is_symlink():
        if not data.exists() and not data.is_symlink():
            os.replace(nxt, data)
        else:
            nxt.unlink()
    live = data.resolve() if data.is_symlink() else None
    for folder in home.glob(GENERATION_PREFIX + "*"):
        if folder.is_dir() and not folder.is_symlink() and folder.resolve() != live:
            shutil.rmtree(folder, ignore_errors=True)


def discard_staging(live: Neo4jServer) -> None:
    """Stop the staging instance of ``live`` (if it runs, e.g. left by a killed build) and delete its data, logs
    and run folders. The live server is not touched."""
    home = staging_home(live)
    if not home.exists():
        return
    Neo4jServer(home).stop()
    for sub in ("data", "run", "logs"):
        shutil.rmtree(home / sub, ignore_errors=True)


def prepare_staging(live: Neo4jServer) -> Neo4jServer:
    """A fresh, stopped staging instance of ``live`` (see the module docstring, step 1).

    Raises:
        Neo4jServerError: ``live`` is not installed, or ``neo4j-admin`` failed.
    """
    password = live.password  # raises when the live home is not installed
    if not live.installed():
        raise Neo4jServerError(f"no Neo4j installed in {live.home}: run `cellmap-kg neo4j install`")
    recover(live.home)
    discard_staging(live)
    home = staging_home(live)
    home.mkdir(parents=True, exist_ok=True)
    lib = home / "lib"
    if not lib.is_symlink():
        shutil.rmtree(lib, ignore_errors=True)
        lib.symlink_to(live.lib_dir)
    staging = Neo4jServer(home, bolt_port=free_port(), http_port=free_port(), heap_max=STAGING_HEAP,
                          pagecache=STAGING_PAGECACHE)
    staging.configure()
    initial_password(staging, password)
    staging.password_file.write_text(password + "\n", encoding="utf-8")
    staging.password_file.chmod(0o600)
    return staging


def initial_password(staging: Neo4jServer, password: str) -> bool:
    """Give the fresh, never started ``staging`` instance ``password`` for user ``neo4j``; True if a kept file did.

    ``neo4j-admin dbms set-initial-password`` is a JVM of its own: 2.6 s on 2 idle cores, and it ran beside the
    build's parsing, which the staging instance's start already competes with. The ``AUTH_FILE`` it writes is kept
    in the staging home (``KEPT_AUTH``, mode 600 like ``<home>/password``) with a stamp: the SHA-256 of the jars'
    pom hash (``neo4j_server.pom_sha256``), the password and the kept file's bytes (which hold Neo4j's random salt).
    The next staging data folders get the kept file while the stamp matches, i.e. same installation, same password,
    file intact; anything else (or deleting the two files) runs neo4j-admin again.

    Raises:
        Neo4jServerError: neo4j-admin failed. OSError: the data folder cannot be written.
    """
    kept, stamp = staging.home / KEPT_AUTH, staging.home / f"{KEPT_AUTH}.sha256"
    target = staging.data_dir / AUTH_FILE
    if kept.is_file() and stamp.is_file():
        made = kept.read_bytes()
        if stamp.read_text(encoding="utf-8").strip() == _auth_stamp(password, made):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(made)
            return True
    stamp.unlink(missing_ok=True)
    staging.admin("dbms", "set-initial-password", "--", password)  # "--": a password may begin with "-"
    if target.is_file():  # where Neo4j 5 writes it; elsewhere, nothing is kept and every build runs neo4j-admin
        made = target.read_bytes()
        _write_private(kept, made)
        _write_private(stamp, (_auth_stamp(password, made) + "\n").encode())  # last: a kill before leaves no stamp
    return False


def _auth_stamp(password: str, auth: bytes) -> str:
    return hashlib.sha256(b"\0".join([pom_sha256().encode(), password.encode("utf-8"), auth])).hexdigest()


def _write_private(path: Path, data: bytes) -> None:
    """Write ``path`` with mode 600 from its creation. Neither atomic nor synced: a cut-off kept file or stamp no
    longer matches (``initial_password`` then runs neo4j-admin again)."""
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
        fh.write(data)


def swap_in(live: Neo4jServer, staging: Neo4jServer, *, start: bool | None = None) -> Path:
    """Make ``staging``'s data the data of ``live`` (module docstring, step 3); returns the new data folder.

    Args:
        start: start ``live`` afterwards (default: if it was running before).

    Raises:
        Neo4jServerError: ``staging`` has no data folder, or ``live`` does not start again (its data folder
            then already holds the new graph: ``logs/neo4j.log`` says why it did not start).
    """
    source = staging.data_dir
    if not (source / "databases" / "neo4j").is_dir():
        raise Neo4jServerError(f"staging instance {staging.home} holds no database to swap in")
    if start is None:
        start = live.pid() is not None
    stop_servers([staging, live])
    recover(live.home)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = live.home / f"{GENERATION_PREFIX}{stamp}"
    source.rename(target)
    nxt, data = live.home / NEXT_LINK, live.data_dir
    nxt.symlink_to(target.name)
    _fsync_dir(live.home)
    previous = None
    if data.is_symlink():
        previous = data.resolve()
    elif data.exists():
        previous = live.home / f"{GENERATION_PREFIX}previous-{stamp}"
        data.rename(previous)
    os.replace(nxt, data)
    _fsync_dir(live.home)
    if previous is not None and previous.exists():
        shutil.rmtree(previous, ignore_errors=True)
    discard_staging(live)
    if start:
        live.start(echo=lambda *_: None)
    return target


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class ImportResult:
    """What ``import_csv`` did: ``counts`` of the new live graph (``GraphStore.counts``), seconds per step
    (``import`` = neo4j-admin alone, ``start`` = staging start, ``schema`` = constraints and indexes online,
    ``swap`` = stop both, switch folders, start live) and the neo4j-admin ``report`` (its last output lines)."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    report: str = ""


def import_csv(live: Neo4jServer, export, *, start: bool = True) -> ImportResult:
    """Load a ``Neo4jAdminExport`` (``cellmap_kg.export.neo4j_admin``) into the project's server ``live``
    atomically: ``neo4j-admin database import full`` into a staging instance, start it, create the constraints
    and full-text indexes of the schema, check every label's and type's count against the export, then
    ``swap_in``. ``live`` may be running (it serves the previous graph until the swap) or stopped (``start``:
    start it afterwards).

    Raises:
        Neo4jServerError: neo4j-admin failed (its report is in the message), or the imported counts differ from
            the export's; the live server and its graph are untouched then.
        StoreError: the staging instance rejected the schema statements.
    """
    from .neo4j_store import Neo4jStore

    result = ImportResult()
    staging = prepare_staging(live)
    try:
        t0 = time.perf_counter()
        (staging.home / "logs").mkdir(parents=True, exist_ok=True)
        done = staging.admin(*export.admin_arguments(),
                             f"--report-file={staging.home / 'logs' / 'import.report'}")  # default: the cwd
        result.report = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
        result.timings["import"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        staging.start(echo=lambda *_: None)
        result.timings["start"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        with Neo4jStore(staging.uri, password=staging.password) as store:
            store.apply_schema()
            result.timings["schema"] = time.perf_counter() - t2
            counts = store.counts()
        found = {**counts["nodes"], **counts["relationships"]}
        wrong = {k: (v, found.get(k, 0)) for k, v in export.counts.items() if found.get(k, 0) != v}
        if wrong:
            raise Neo4jServerError(f"neo4j-admin import into {staging.home} gave other counts than the export "
                                   f"(name: (exported, imported)): {wrong}; the live graph is unchanged")
    except BaseException:
        discard_staging(live)
        raise
    t3 = time.perf_counter()
    swap_in(live, staging, start=start or live.pid() is not None)
    result.timings["swap"] = time.perf_counter() - t3
    result.counts = counts
    return result
