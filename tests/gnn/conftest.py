"""Fixtures of the GNN tests: a small real graph (four sources) in a temporary embedded FalkorDB store.

The subgraph keeps the test suite fast: OpenCell (IP-MS interactions, localization, abundance), the U2OS cell map,
the U2OS co-embedding and CORUM, over all ~20,600 proteins of NCBI Gene; no GO and no tumour data.
"""

from __future__ import annotations

import pytest

SOURCES = ["opencell-2022", "u2os-cellmap-2023-05", "u2os-coembedding-2022", "corum-2022-11-28"]


@pytest.fixture(scope="session")
def small_store(data_dir, tmp_path_factory):
    """A store with the graph of ``SOURCES`` (no analyses). Tests that write use their own copy of the data."""
    from cellmap_kg.build import build
    from cellmap_kg.store import open_store, stop_embedded

    uri = f"falkordb://{tmp_path_factory.mktemp('gnn') / 'store'}"
    store = open_store(uri)
    store.build_result = build(store, data_dir, only=SOURCES, analyses=False)
    yield store
    store.close()
    stop_embedded(uri)


@pytest.fixture(scope="session")
def small_export(small_store):
    """The GNN export of ``small_store``."""
    from cellmap_kg.gnn.heterodata import export_graph

    return export_graph(small_store)


@pytest.fixture(scope="session")
def ppi_graph(small_export):
    """The task-(a) input graph of the small export."""
    from cellmap_kg.gnn.tasks import get_task, task_graph

    return task_graph(small_export, get_task("ppi"))
