"""``neo4j_server.stop_servers`` / ``store_lock_held`` on stand-in processes made in the test (no Neo4j): a server
is ended once it has released its store lock, and waited for when it never held it. The same on a real server
(no recovery at the next start): ``test_neo4j_rebuild.py``."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from cellmap_kg.store.neo4j_server import STORE_LOCK, Neo4jServer, stop_servers, store_lock_held

HOLDER = """
import fcntl, os, signal, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, fcntl.LOCK_EX)
# SIGTERM: close the store (release the lock) and go on running, as Neo4j does while Bolt closes gracefully
signal.signal(signal.SIGTERM, lambda *_: fcntl.lockf(fd, fcntl.LOCK_UN))
print("locked", flush=True)
while True:
    time.sleep(0.05)
"""

STARTING = """
import signal, sys, time
# never takes the lock (a server still starting); SIGTERM: exit by itself shortly after
signal.signal(signal.SIGTERM, lambda *_: (time.sleep(0.5), sys.exit(3)))
print("running", flush=True)
while True:
    time.sleep(0.05)
"""


def _stand_in(home: Path, script: str, *args: str) -> subprocess.Popen:
    (home / "run").mkdir(parents=True)
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    child.stdout.readline()  # the lock is taken / the handler installed
    (home / "run" / "neo4j.pid").write_text(f"{child.pid}\n")
    return child


def test_store_lock_held_follows_the_lock_of_another_process(tmp_path):
    data = tmp_path / "home" / "data"
    (data / STORE_LOCK).parent.mkdir(parents=True)
    assert not store_lock_held(data)  # no lock file
    (data / STORE_LOCK).touch()
    assert not store_lock_held(data)  # nobody holds it
    child = _stand_in(tmp_path / "home", HOLDER, str(data / STORE_LOCK))
    try:
        assert store_lock_held(data)
        assert store_lock_held(data)  # testing does not take it away
    finally:
        child.kill()
        child.wait()
    assert not store_lock_held(data)


def test_a_server_that_released_its_store_is_ended_and_one_that_never_held_it_is_waited_for(tmp_path):
    holder_home, starting_home = tmp_path / "holder", tmp_path / "starting"
    (holder_home / "data" / STORE_LOCK).parent.mkdir(parents=True)
    holder = _stand_in(holder_home, HOLDER, str(holder_home / "data" / STORE_LOCK))
    starting = _stand_in(starting_home, STARTING)
    idle = Neo4jServer(tmp_path / "idle")
    servers = [Neo4jServer(holder_home), idle, Neo4jServer(starting_home)]
    assert stop_servers(servers, timeout=60) == [True, False, True]
    assert holder.wait(timeout=5) == -signal.SIGKILL  # ended after it released the lock, not by itself
    assert starting.wait(timeout=5) == 3  # its own exit after SIGTERM: it was not killed
    assert not (holder_home / "run" / "neo4j.pid").exists() and not (starting_home / "run" / "neo4j.pid").exists()
    assert all(server.pid() is None for server in servers)
