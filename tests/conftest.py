"""Shared fixtures: the real data directory, the symbol resolver, and one full graph built per test session.

The data directory is ``$CELLMAP_KG_DATA`` or ``../shared/data`` next to the repository (as in CI).
The full build (every source, default analyses) runs once into a temporary embedded FalkorDB store and is
shared read-only by every test that asks for ``built_store``; tests that write use their own stores.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory (skips the test session's data tests if it is absent)."""
    path = Path(os.environ.get("CELLMAP_KG_DATA", DEFAULT_DATA))
    if not path.exists():
        pytest.skip(f"data directory {path} not found (set CELLMAP_KG_DATA)")
    return path


@pytest.fixture(scope="session")
def resolver(data_dir):
    """The HGNC + NCBI Gene symbol resolver built from the real tables (~4 s, once per session)."""
    from cellmap_kg.loaders.symbols import SymbolResolver

    return SymbolResolver.from_data_dir(data_dir)


@pytest.fixture(scope="session")
def built_store(data_dir, tmp_path_factory):
    """A store holding the full graph built from the real data (all sources, default analyses). Read-only use."""
    from cellmap_kg.build import build
    from cellmap_kg.store import open_store, stop_embedded

    uri = f"falkordb://{tmp_path_factory.mktemp('kg') / 'store'}"
    store = open_store(uri)
    result = build(store, data_dir)
    store.build_result = result
    yield store
    store.close()
    stop_embedded(uri)


@pytest.fixture(scope="session")
def graph_store(request):
    """The store with the full graph: ``$CELLMAP_KG_TEST_STORE`` (a store URI holding a full build of the same
    data directory, to iterate on tests without rebuilding) if set, else the session's ``built_store``."""
    uri = os.environ.get("CELLMAP_KG_TEST_STORE")
    if not uri:
        yield request.getfixturevalue("built_store")
        return
    from cellmap_kg.store import open_store

    store = open_store(uri)
    yield store
    store.close()
