"""Shared, bounded access to the graph store from concurrent requests.

FastAPI runs the (synchronous) endpoint functions in a thread pool, so several requests query the store at once.
Both backends are safe for that: ``FalkorDBStore`` sends every query over one thread-safe ``redis``
connection pool and ``Neo4jStore`` opens a session per query from the driver's connection pool. ``StoreAccess``
opens the store once (lazily, so the API starts even while the store is down and recovers when it comes up),
shares it between threads, and bounds the number of queries in flight (``max_concurrency``) so that a burst of
requests queues here instead of piling connections onto the database; a request that waits longer than
``acquire_timeout_s`` gets ``StoreBusy`` (HTTP 503).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..store.base import GraphStore


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
        be opened.
        """
        if not self._slots.acquire(timeout=self.acquire_timeout_s):
            raise StoreBusy(f"all {self.max_concurrency} store slots busy for {self.acquire_timeout_s:g} s")
        try:
            yield self.store
        finally:
            self._slots.release()

    def close(self) -> None:
        """Close the store if this object opened it."""
        with self._open_lock:
            if self._store is not None and self._owned:
                self._store.close()
                self._store = None
