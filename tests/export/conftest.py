"""Fixtures of the export tests: the full real graph (``built_store``, or ``$CELLMAP_KG_TEST_STORE``: a store URI
holding a full build of the same data directory, to iterate without rebuilding)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def graph_store(request):
    """The store with the full graph: ``$CELLMAP_KG_TEST_STORE`` if set, else the session's ``built_store``."""
    uri = os.environ.get("CELLMAP_KG_TEST_STORE")
    if not uri:
        yield request.getfixturevalue("built_store")
        return
    from cellmap_kg.store import open_store

    store = open_store(uri)
    yield store
    store.close()
