"""An exact response cache for the read-only GET routes, keyed by the graph's build identity.

The graph only changes when a build is promoted, and every build writes a new ``GraphBuild.buildId`` (query
``graph-build``). So an answer can be reused exactly as long as the build that produced it is still the live one:
the cache key is ``(build identity, path, query string)``. Before each cacheable request the middleware reads the
live build identity (query ``graph-build``: one indexed lookup; concurrent requests share reads that started after
they arrived, see :class:`IdentityReads`); when it differs from the one the cache holds, every
entry is dropped, so the first request after a promotion - from this process or any other, e.g. ``cellmap-kg
build`` - already sees the new graph. Only ``200`` and ``404`` answers are kept (they are functions of the graph
and the URL alone; ``/proteins/{symbol}`` answers ``404`` for unknown names), at most ``max_entries`` of them and
none larger than ``max_body_bytes``, least recently used dropped first. ``X-Cache: hit|miss`` says which it was.

Not cached: anything but ``GET``, ``/health`` (counts on its own timer), ``POST /cypher``, the OpenAPI pages, and
every request while the store cannot be reached (the app then answers its own 503).

It is a pure ASGI middleware (no ``BaseHTTPMiddleware``): a hit is answered without routing, dependency injection
or validation, from bytes kept as sent.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..queries.registry import get_query, library_version
from ..store.base import StoreError
from .access import StoreAccess

CACHED_PREFIXES = ("/proteins", "/assemblies", "/queries", "/schema")
"""Paths (and their sub-paths) whose GET answers are functions of the URL and the graph."""
CACHED_STATUSES = (200, 404)
KEPT_HEADERS = (b"content-type", b"content-length", b"content-location")
"""Response headers stored with a body; the server adds ``date`` and ``server`` itself on every answer."""
IDENTITY_TIMEOUT_MS = 2000
"""Timeout of the build-identity read; a store that does not answer in time bypasses the cache."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


def build_identity(access: StoreAccess) -> tuple | None:
    """What every cached answer depends on besides its URL: the live graph's build (``buildId``, ``startedAt``,
    ``finishedAt``, ``elements`` of query ``graph-build``; empty for a graph built without a ``GraphBuild`` node)
    and the version of the query files (``library_version``: an edited query answers differently). ``None`` if
    the store cannot be reached.

    The read bypasses the store's concurrency slots: it is one indexed lookup and must not queue behind slow
    queries (a hit needs nothing else)."""
    try:
        rows = get_query("graph-build").run(access.store, timeout_ms=IDENTITY_TIMEOUT_MS)
    except StoreError:
        return None
    build = (rows[0]["buildId"], rows[0]["startedAt"], rows[0]["finishedAt"], rows[0]["elements"]) if rows else ()
    return build, library_version()


class IdentityReads:
    """Build-identity reads shared by concurrent requests, without losing exactness.

    A request may use a read only if the read *started after the request arrived* (then the read sees every build
    promoted before the request). So a request arriving while no read runs starts one; requests arriving while a
    read runs wait for the next read, which starts as soon as the running one ends and answers all of them. Under
    load this sends one read per batch of waiting requests instead of one per request, and a request waits at most
    two reads. Reads run in the event loop's default thread pool, so the loop keeps serving cache hits meanwhile.
    """

    def __init__(self, read: Callable[[], tuple | None]):
        self._read = read
        self._loop = None
        self._running: asyncio.Future | None = None
        self._waiting: asyncio.Future | None = None

    async def identity(self) -> tuple | None:
        """The build identity from a read that started after this call (see the class docstring)."""
        if self._running is None:
            self._loop = asyncio.get_running_loop()
            self._running = self._loop.create_future()
            self._start(self._running)
            future = self._running
        else:
            if self._waiting is None:
                self._waiting = self._loop.create_future()
            future = self._waiting
        return await asyncio.shield(future)

    def _start(self, future: asyncio.Future) -> None:
        read = self._loop.run_in_executor(None, self._read)

        def finished(done: asyncio.Future) -> None:
            if done.exception() is not None:
                future.set_exception(done.exception())
            else:
                future.set_result(done.result())
            self._running, self._waiting = self._waiting, None
            if self._running is not None:
                self._start(self._running)

        read.add_done_callback(finished)


class ResponseCache:
    """LRU store of answers ``(status, headers, body)`` for one build identity (thread-safe).

    Args:
        max_entries: answers kept at most (0 disables the cache).
        max_body_bytes: larger answers are not kept.
    """

    def __init__(self, max_entries: int = 4096, max_body_bytes: int = 1 << 20):
        self.max_entries, self.max_body_bytes = max_entries, max_body_bytes
        self.identity: tuple | None = None
        self._entries: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = self.invalidations = 0

    def __len__(self) -> int:
        return len(self._entries)

    def observe(self, identity: tuple) -> None:
        """Note the live build ``identity``; drop every entry if it is not the one the entries were made for."""
        with self._lock:
            if identity != self.identity:
                if self._entries:
                    self.invalidations += 1
                self._entries.clear()
                self.identity = identity

    def get(self, identity: tuple, key: tuple) -> tuple[int, list, bytes] | None:
        """The answer stored for ``key`` under build ``identity``, or ``None``."""
        with self._lock:
            if identity != self.identity or key not in self._entries:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return self._entries[key]

    def put(self, identity: tuple, key: tuple, answer: tuple[int, list, bytes]) -> None:
        """Keep ``answer`` for ``key`` if it was made under the live build ``identity`` and is small enough."""
        if len(answer[2]) > self.max_body_bytes:
            return
        with self._lock:
            if identity != self.identity:
                return
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class ResponseCacheMiddleware:
    """ASGI middleware answering cacheable GET requests from a :class:`ResponseCache` (module docstring)."""

    def __init__(self, app: ASGIApp, access: StoreAccess, cache: ResponseCache):
        self.app, self.access, self.cache = app, access, cache
        self.reads = IdentityReads(lambda: build_identity(access))

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or self.cache.max_entries <= 0:
            return False
        path = scope["path"]
        return any(path == p or path.startswith(p + "/") or path.startswith(p + "?") for p in CACHED_PREFIXES)

    async def __call__(self, scope: Scope, receive, send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        identity = await self.reads.identity()
        if identity is None:
            await self.app(scope, receive, send)
            return
        self.cache.observe(identity)
        key = (scope["path"], scope.get("query_string", b""))
        answer = self.cache.get(identity, key)
        if answer is not None:
            status, headers, body = answer
            await send({"type": "http.response.start", "status": status,
                        "headers": [*headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        started: dict = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
                message = {**message, "headers": [*message.get("headers", []), (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and started.get("status") in CACHED_STATUSES:
                    headers = [(k, v) for k, v in started.get("headers", []) if k.lower() in KEPT_HEADERS]
                    self.cache.put(identity, key, (started["status"], headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)
