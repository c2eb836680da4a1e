"""One embedded FalkorDB server for the store tests (started once, stopped at the end of the session); each
test gets its own graph on it, deleted afterwards."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def falkordb_dir(falkordb_scratch_dir):
    """Store directory of the session's FalkorDB server (tests/conftest.py's ``falkordb_scratch_dir``)."""
    return falkordb_scratch_dir


@pytest.fixture
def store(falkordb_test_graph, request):
    """A ``FalkorDBStore`` on a graph named after the test (empty at start, deleted at the end)."""
    with falkordb_test_graph(request.node.name) as s:
        yield s


PROTEINS = [
    {"symbol": "POLR2A", "name": "RNA polymerase II subunit A", "uniprot": ["P24928"], "entrezId": 5430,
     "hekRnaTpm": 81.5},
    {"symbol": "POLR1A", "name": "RNA polymerase I subunit A", "uniprot": ["O95602", "Q9H0A1"]},
    {"symbol": "TP53", "name": "tumor protein p53", "entrezId": 7157},
    {"symbol": "TP53BP1", "name": "tumor protein p53 binding protein 1"},
]
ASSEMBLIES = [{"id": "U2OS:Cluster1-1", "name": "RNA polymerase", "size": 2},
              {"id": "U2OS:Cluster2-1", "name": "p53 signalling", "size": 1}]


def _load(store) -> None:
    """Write the sample proteins (TP53 also a Bait) and assemblies into ``store``."""
    store.write_nodes("Protein", PROTEINS)
    store.write_nodes("Protein", [{"symbol": "TP53"}], extra_labels=["Bait"])
    store.write_nodes("Assembly", ASSEMBLIES)


@pytest.fixture
def load_sample():
    """``load_sample(store)``: writes ``PROTEINS`` (TP53 also labelled ``Bait``) and ``ASSEMBLIES``."""
    return _load
