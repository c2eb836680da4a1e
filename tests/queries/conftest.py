"""Fixtures of the query-library tests: the full real graph, and the raw files the answers are checked against.

``library_store`` is the shared ``graph_store`` (the session's full build, or ``$CELLMAP_KG_TEST_STORE``);
``reference`` reads the raw files through ``cellmap_kg.queries.reference``.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def library_store(graph_store):
    """The store holding the full real graph (read-only): tests/conftest.py's ``graph_store``."""
    return graph_store


@pytest.fixture(scope="session")
def analysed(library_store):
    """Skip-free guard for queries that read analysis outputs: fails (not skips) if the graph lacks them, since
    the default build runs the analyses."""
    counts = library_store.counts()["relationships"]
    missing = [t for t in ("ENRICHED_FOR", "RECURRENTLY_MUTATED_IN", "PUTATIVE_FUNCTION") if not counts.get(t)]
    assert not missing, f"the built graph has no {missing}: the default build should run the analyses"
    return library_store


@pytest.fixture(scope="session")
def reference(data_dir):
    """The raw files as tidy tables with approved symbols (``cellmap_kg.queries.reference.RawData``): the oracle
    the library's answers are checked against, shared with benchmarks/queries.py."""
    from cellmap_kg.queries.reference import RawData

    return RawData(data_dir)
