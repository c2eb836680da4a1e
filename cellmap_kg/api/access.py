"""Shared, bounded access to the graph store from concurrent requests.

FastAPI runs the (synchronous) endpoint functions in a thread pool, so several requests query the store at once.
Both backends are safe for that: ``FalkorDBStore`` sends every query over one thread-safe ``redis``
connection pool and ``Neo4jStore`` opens a session per query from the driver's connection pool. ``StoreAccess``
opens the store once (lazily, so the API starts even while the store is down and recovers when it comes up),
shares it between threads, and bounds the number of queries in flight (``max_concurrency``) so that a burst of
requests queues here instead of piling connections onto the database; a request that waits longer than
``acquire_timeout_s`` gets ``StoreBusy`` (HTTP 503).

When the database goes away under the API (the embedded FalkorDB server killed, Neo4j stopped), the store raises
``StoreUnavailable`` at once and the request gets a 503; ``StoreAccess`` then calls ``GraphStore.reconnect`` in one
background thread (FalkorDB: restart the embedded server from its snapshot; Neo4j: nothing, the driver reconnects),
so requests never wait for the restart and the API answers again as soon as the database is back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..store.base import GraphStore, StoreError, StoreUnavailable

log = logging.getLogger("cellmap_kg.api")


class StoreBusy(RuntimeError):
    """Every store slot stayed taken for ``acquire_timeout_s`` seconds."""


class StoreAccess:
    """The API's store, opened on first use by ``opener`` (or given open), used by at most ``max_concurrency``
    threads at a time.

    Args:
        opener: returns an open ``GraphStore``; may raise ``StoreError`` (retried on the next request).
        max_concurrency: queries in flight at most.
        acquire_timeout_s: seconds to wait for a slot before ``StoreBusy``.
        owned: close the store on ``close()`` (False for a store handed in by the caller).
    """

    def __init__(self, opener: Callable[[], GraphStore], max_concurrency: int = 16,
                 acquire_timeout_s: float = 30.0, owned: bool = True):
        self._opener = opener
        self._store: GraphStore | None = None
        self._open_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self.max_concurrency = max_concurrency
        self.acquire_timeout_s = acquire_timeout_s
        self._owned = owned
        self._recovery: threading.Thread | None = None
        self._recovery_lock = threading.Lock()

    @classmethod
    def of(cls, store: GraphStore, max_concurrency: int = 16, acquire_timeout_s: float = 30.0) -> StoreAccess:
        """Access to an already open ``store`` that the caller keeps and closes."""
        access = cls(lambda: store, max_concurrency, acquire_timeout_s, owned=False)
        access._store = store
        return access

    @property
    def store(self) -> GraphStore:
        """The open store (opened now if needed). Raises ``StoreError`` if it cannot be opened."""
        if self._store is None:
            with self._open_lock:
                if self._store is None:
                    self._store = self._opener()
        return self._store

    @contextmanager
    def use(self) -> Iterator[GraphStore]:
        """Hold one of the ``max_concurrency`` slots while using the store.

        Raises ``StoreBusy`` after ``acquire_timeout_s`` without a free slot, ``StoreError`` if the store cannot
        be opened; a ``StoreUnavailable`` raised while the store is used starts ``recover`` and is re-raised.
        """
        if not self._slots.acquire(timeout=self.acquire_timeout_s):
            raise StoreBusy(f"all {self.max_concurrency} store slots busy for {self.acquire_timeout_s:g} s")
        try:
            yield self.store
        except StoreUnavailable:
            self.recover()
            raise
        finally:
            self._slots.release()

    def recover(self) -> threading.Thread:
        """Start ``GraphStore.reconnect`` in a background thread unless one is running; return that thread."""
        with self._recovery_lock:
            if self._recovery is None or not self._recovery.is_alive():
                self._recovery = threading.Thread(target=self._reconnect, name="cellmap-kg-store-recovery",
                                                  daemon=True)
                self._recovery.start()
            return self._recovery

    def _reconnect(self) -> None:
        store = self._store
        if store is None:
            return
        try:
            store.reconnect()
            log.warning("graph store %r reconnected", getattr(store, "uri", store))
        except StoreError as exc:  # still down: the next failing request tries again
            log.error("graph store %r still unreachable: %s", getattr(store, "uri", store), exc)

    def close(self) -> None:
        """Close the store if this object opened it."""
        with self._open_lock:
            if self._store is not None and self._owned:
                self._store.close()
                self._store = None
