"""A writable graph for the map tests: the U2OS map, the toolkit's HCX maps, the OpenCell HEK293T communities,
CORUM and the paediatric cohort, built once per session, with the default analyses (HiSig with 20 permutations).

Tests that add or remove maps write into it, so it is not the session's shared read-only ``graph_store``.
"""

from __future__ import annotations

import pytest

MAP_SOURCES = ["u2os-cellmap-2023-05", "cellmaps-hcx-examples", "opencell-communities-2021", "corum-2022-11-28",
               "groebner-2018"]
BASE_ANALYSES = ["annotation", "size", "multi-localization", "mutation-frequency", "hisig"]


@pytest.fixture(scope="session")
def map_store(data_dir, tmp_path_factory):
    """A store with ``MAP_SOURCES`` built and ``BASE_ANALYSES`` run. Tests that add a map remove it again
    (``test_graph.snapshot`` checks that the graph is then as it was)."""
    from cellmap_kg.analyses.graph import AnalysisOptions, run_analyses
    from cellmap_kg.build import build
    from cellmap_kg.store import open_store, stop_embedded

    uri = f"falkordb://{tmp_path_factory.mktemp('maps') / 'store'}"
    store = open_store(uri)
    build(store, data_dir, only=MAP_SOURCES, analyses=False)
    run_analyses(store, BASE_ANALYSES, AnalysisOptions(data_dir=data_dir, permutations=20))
    yield store
    store.close()
    stop_embedded(uri)
