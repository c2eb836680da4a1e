"""A build killed with SIGKILL at a random point of its write phase leaves the previous graph live with its
counts, and the next build succeeds without any cleanup by hand (FalkorDB: staging graph + ``promote``; the
half-written staging graph left behind is dropped by the next build's ``staging()``).

The killed build runs in a forked child that sends itself SIGKILL just before its k-th server write, k drawn at
random (seeded) from the writes a full run of the same build makes. A server write is a ``_write`` batch (``UNWIND``
rows) or a ``_command`` (a ``GRAPH.BULK`` call of a new graph's bulk load, a constraint, the dropping of an old
staging graph, the promoting ``RENAME``)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal

import pytest

from cellmap_kg.build import build
from cellmap_kg.loaders.symbols import SymbolResolver
from cellmap_kg.store import falkordb_server, open_store
from cellmap_kg.store.falkordb_store import STAGING_SUFFIX, FalkorDBStore

PREVIOUS = ["corum-2022-11-28"]
"""Sources of the live graph before the killed build."""
NEXT = ["hpa-u2os-images"]
"""Sources of the killed build and of the build after it (a different graph, so a wrong promote would show)."""
KILLS = 2
"""Killed builds per test run, each at its own random write batch."""


def _last_build(store) -> dict:
    return store.query("MATCH (b:GraphBuild {id: 'current'}) RETURN b.sources AS sources, b.startedAt AS startedAt",
                       read_only=True)[0]


WRITES = ("_write", "_command")
"""The ``FalkorDBStore`` methods through which every write reaches the server (module docstring)."""


def _on_every_write(setattr_, before) -> list[int]:
    """Wrap each of ``WRITES`` with ``setattr_(FalkorDBStore, name, wrapper)`` so ``before(n)`` runs before the
    n-th server write (n counted from 1 over all of them); returns the one-item counter."""
    calls = [0]

    def wrap(original):
        def counted(self, *args):
            calls[0] += 1
            before(calls[0])
            return original(self, *args)
        return counted

    for name in WRITES:
        setattr_(FalkorDBStore, name, wrap(getattr(FalkorDBStore, name)))
    return calls


def _build_and_die_before_write(uri: str, data_dir, write: int) -> None:
    """Child process: build ``NEXT`` into ``uri``, sending itself SIGKILL just before server write ``write``."""
    def die_at(n):
        if n == write:
            os.kill(os.getpid(), signal.SIGKILL)

    _on_every_write(setattr, die_at)
    build(open_store(uri), data_dir, only=NEXT, analyses=False)


def test_a_build_killed_while_writing_keeps_the_previous_graph(tmp_path, data_dir, resolver, monkeypatch):
    monkeypatch.setattr(SymbolResolver, "from_data_dir", classmethod(lambda cls, d: resolver))  # once per session
    store_dir = tmp_path / "store"
    uri = f"falkordb://{store_dir}"
    try:
        with open_store(uri) as live:
            build(live, data_dir, only=PREVIOUS, analyses=False)
            before, previous = live.counts(), _last_build(live)
        assert before["nodes"]["Complex"] > 0 and "Image" not in before["nodes"]

        with open_store(uri + "?graph=probe") as probe, pytest.MonkeyPatch.context() as counting:
            writes = _on_every_write(counting.setattr, lambda n: None)  # the NEXT build's writes, on another graph
            build(probe, data_dir, only=NEXT, analyses=False)
            build_writes = writes[0]
        with open_store(uri + "?graph=probe") as probe:
            probe._drop()
        assert build_writes >= KILLS

        fork = multiprocessing.get_context("fork")
        for write in random.Random(14).sample(range(1, build_writes + 1), KILLS):
            child = fork.Process(target=_build_and_die_before_write, args=(uri, data_dir, write))
            child.start()
            child.join()
            assert child.exitcode == -signal.SIGKILL, f"the build did not die at server write {write}"
            with open_store(uri) as live:
                assert live.counts() == before, f"killed before server write {write} of {build_writes}"
                assert _last_build(live) == previous
                assert FalkorDBStore(store_dir, live.graph + STAGING_SUFFIX, _conn=live._conn)._exists()

        with open_store(uri) as live:  # no cleanup by hand: the next build just runs
            result = build(live, data_dir, only=NEXT, analyses=False)
            after = live.counts()
            assert not FalkorDBStore(store_dir, live.graph + STAGING_SUFFIX, _conn=live._conn)._exists()
            assert _last_build(live)["sources"] == NEXT
        assert after == result.counts and after["nodes"]["Image"] > 0 and "Complex" not in after["nodes"]
    finally:
        falkordb_server.stop(store_dir)

