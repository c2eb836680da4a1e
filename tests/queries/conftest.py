"""Fixtures of the query-library tests: the full real graph, and the raw files the answers are checked against.

``library_store`` is the session's ``built_store`` (every source, default analyses), or the store named by
``$CELLMAP_KG_TEST_STORE`` (a full build of the same data directory) to iterate on these tests without rebuilding.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def library_store(request):
    """The store holding the full real graph (read-only)."""
    uri = os.environ.get("CELLMAP_KG_TEST_STORE")
    if not uri:
        yield request.getfixturevalue("built_store")
        return
    from cellmap_kg.store import open_store

    store = open_store(uri)
    yield store
    store.close()


@pytest.fixture(scope="session")
def analysed(library_store):
    """Skip-free guard for queries that read analysis outputs: fails (not skips) if the graph lacks them, since
    the default build runs the analyses."""
    counts = library_store.counts()["relationships"]
    missing = [t for t in ("ENRICHED_FOR", "RECURRENTLY_MUTATED_IN", "PUTATIVE_FUNCTION") if not counts.get(t)]
    assert not missing, f"the built graph has no {missing}: the default build should run the analyses"
    return library_store
