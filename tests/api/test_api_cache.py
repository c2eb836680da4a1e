"""The exact response cache: answers are reused only while the build that produced them is live, so a promoted
rebuild - here from another store connection, as ``cellmap-kg build`` in another process - is seen by the very
next request."""

from __future__ import annotations

import warnings

import pytest

from cellmap_kg.api.app import create_app
from cellmap_kg.api.cache import ResponseCache
from cellmap_kg.api.settings import ApiSettings
from cellmap_kg.store import open_store, stop_embedded

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient


def test_cache_keeps_answers_of_the_live_build_only():
    cache = ResponseCache(max_entries=2)
    cache.observe(("build-1",))
    cache.put(("build-1",), ("/a", b""), (200, [], b"A"))
    assert cache.get(("build-1",), ("/a", b"")) == (200, [], b"A")
    cache.put(("build-0",), ("/b", b""), (200, [], b"stale"))        # made under a build no longer live
    assert cache.get(("build-1",), ("/b", b"")) is None
    cache.observe(("build-2",))                                       # promoted: everything goes
    assert len(cache) == 0 and cache.invalidations == 1
    assert cache.get(("build-1",), ("/a", b"")) is None


def test_cache_drops_the_least_recently_used_and_skips_large_bodies():
    cache = ResponseCache(max_entries=2, max_body_bytes=4)
    cache.observe(("b",))
    for path in ("/1", "/2"):
        cache.put(("b",), (path, b""), (200, [], b"x"))
    cache.get(("b",), ("/1", b""))                                    # /1 used last: /2 goes first
    cache.put(("b",), ("/3", b""), (200, [], b"x"))
    assert [cache.get(("b",), (p, b"")) is not None for p in ("/1", "/2", "/3")] == [True, False, True]
    cache.put(("b",), ("/big", b""), (200, [], b"12345"))
    assert cache.get(("b",), ("/big", b"")) is None


def promote(store, build_id: str, proteins: list[dict]) -> None:
    """Write a staging graph holding ``proteins`` and a GraphBuild node, then promote it (what a build does)."""
    staging = store.staging()
    staging.apply_schema()
    staging.write_nodes("Protein", proteins)
    staging.write_nodes("GraphBuild", [{"id": "current", "buildId": build_id, "startedAt": "2026-01-01T00:00:00",
                                        "finishedAt": "2026-01-01T00:00:01", "sources": ["test"],
                                        "elements": len(proteins)}])
    store.promote(staging)


@pytest.fixture()
def store_uri(tmp_path):
    uri = f"falkordb://{tmp_path / 'store'}"
    yield uri
    stop_embedded(uri)


def test_a_promoted_rebuild_is_seen_by_the_next_request(store_uri):
    builder = open_store(store_uri)                   # a second connection: the app opens its own
    promote(builder, "a" * 32, [{"symbol": "ABC1", "name": "first build", "hgncId": "HGNC:1"}])
    with TestClient(create_app(ApiSettings(store_uri=store_uri))) as client:
        first = client.get("/proteins/ABC1")
        again = client.get("/proteins/ABC1")
        assert (first.json()["properties"]["name"], first.headers["x-cache"]) == ("first build", "miss")
        assert (again.json(), again.headers["x-cache"]) == (first.json(), "hit")

        promote(builder, "b" * 32, [{"symbol": "ABC1", "name": "second build", "hgncId": "HGNC:1"},
                                    {"symbol": "XYZ2", "name": "new", "hgncId": "HGNC:2"}])
        after = client.get("/proteins/ABC1")
        assert (after.json()["properties"]["name"], after.headers["x-cache"]) == ("second build", "miss")
        assert client.get("/proteins?limit=10").json()["total"] == 2

        promote(builder, "c" * 32, [{"symbol": "XYZ2", "name": "new", "hgncId": "HGNC:2"}])
        gone = client.get("/proteins/ABC1")
        assert (gone.status_code, gone.headers["x-cache"]) == (404, "miss")
        assert client.get("/health").json()["build"]["buildId"] == "c" * 32
    builder.close()


def test_cache_can_be_switched_off(store_uri):
    builder = open_store(store_uri)
    promote(builder, "a" * 32, [{"symbol": "ABC1", "name": "only", "hgncId": "HGNC:1"}])
    with TestClient(create_app(ApiSettings(store_uri=store_uri, cache_entries=0))) as client:
        assert [("x-cache" in client.get("/proteins/ABC1").headers) for _ in range(2)] == [False, False]
    builder.close()


def test_concurrent_requests_share_only_reads_that_started_after_they_arrived():
    import asyncio
    import threading

    from cellmap_kg.api.cache import IdentityReads

    started, release, reads = [], [threading.Event(), threading.Event()], []

    def read():
        n = len(reads)
        reads.append(n)
        started.append(n)
        release[n].wait(5)
        return (f"build seen by read {n}",)

    async def scenario():
        identity = IdentityReads(read)
        first = asyncio.ensure_future(identity.identity())        # arrives first: starts read 0
        while not started:
            await asyncio.sleep(0.001)
        later = [asyncio.ensure_future(identity.identity()) for _ in range(3)]   # arrive while read 0 runs
        await asyncio.sleep(0.01)
        release[0].set()
        assert await first == ("build seen by read 0",)
        while len(started) < 2:
            await asyncio.sleep(0.001)
        assert not any(f.done() for f in later)                    # read 0 began before they arrived
        release[1].set()
        return await asyncio.gather(*later)

    assert asyncio.run(scenario()) == [("build seen by read 1",)] * 3
    assert reads == [0, 1]                                         # four requests, two reads
