"""Real inputs of the analyses, read once per session: the U2OS cell map (May 2023 final draft) and MuSIC GO-CC.

``data_dir`` comes from ``tests/conftest.py`` (``$CELLMAP_KG_DATA`` or ``../shared/data`` next to the repo).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cellmap_kg.analyses.enrichment import read_term_table
from cellmap_kg.loaders.cellmap import load_u2os_cellmap, read_hidef_edges, read_hidef_nodes
from cellmap_kg.sources import source, source_of

U2OS = source_of(load_u2os_cellmap)
GO_CC = source("music-v1-reference").file("go_cc_terms").path


@pytest.fixture(scope="session")
def u2os_nodes_file(data_dir) -> Path:
    return U2OS.in_dir(data_dir).path("nodes")


@pytest.fixture(scope="session")
def u2os_memberships(u2os_nodes_file) -> dict[str, set[str]]:
    """Assembly id -> member genes of the U2OS map (270 assemblies incl. the root Cluster0-0, propagated lists)."""
    return {n.cluster_id: set(n.genes) for n in read_hidef_nodes(u2os_nodes_file)}


@pytest.fixture(scope="session")
def u2os_edges(data_dir) -> list[tuple[str, str]]:
    """``(parent, child)`` pairs of the U2OS map (291 edges)."""
    return read_hidef_edges(U2OS.in_dir(data_dir).path("edges"))


@pytest.fixture(scope="session")
def go_cc_terms(data_dir) -> dict[str, set[str]]:
    """MuSIC v1 GO-CC termStats: GO id -> genes (1,602 terms)."""
    return read_term_table(data_dir / GO_CC)


# 20S (PSMA/PSMB) and 19S (PSMC/PSMD) subunits present in the U2OS map (it lacks PSMA2/3/7, PSMB1-3/6)
PROTEASOME_MARKERS = {"PSMA1", "PSMA4", "PSMA5", "PSMA6", "PSMB7", "PSMC1", "PSMC2", "PSMC3", "PSMD14"}
SWI_SNF_CORE = {"ARID1A", "SMARCA4", "SMARCB1"}


def _smallest_assembly_with(memberships: dict[str, set[str]], genes: set[str]) -> str:
    """The smallest assembly holding all ``genes`` (how tests find known complexes without hard-coding ids)."""
    holding = [a for a, members in memberships.items() if genes <= members]
    assert holding, f"no assembly holds {sorted(genes)}"
    return min(holding, key=lambda a: (len(memberships[a]), a))


@pytest.fixture(scope="session")
def proteasome_assembly(u2os_memberships) -> str:
    """The smallest U2OS assembly with proteasome 20S and 19S subunits (``PROTEASOME_MARKERS``)."""
    return _smallest_assembly_with(u2os_memberships, PROTEASOME_MARKERS)


@pytest.fixture(scope="session")
def swi_snf_assembly(u2os_memberships) -> str:
    """The smallest U2OS assembly with the SWI/SNF subunits ARID1A, SMARCA4 and SMARCB1."""
    return _smallest_assembly_with(u2os_memberships, SWI_SNF_CORE)


# ------------------------------------------------------------------------------------------------ the built graph
GRAPH_MAP = "U2OS-2023-05"


def smallest_graph_assembly_with(store, symbols: set[str], map_name: str = GRAPH_MAP) -> str:
    """Id of the smallest assembly of ``map_name`` in the graph whose members include all ``symbols``."""
    rows = store.query("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {map: $map}) WHERE p.symbol IN $symbols "
                       "WITH a, count(DISTINCT p) AS n WHERE n = $k RETURN a.id AS id ORDER BY a.size, id LIMIT 1",
                       {"map": map_name, "symbols": sorted(symbols), "k": len(symbols)})
    assert rows, f"no assembly of {map_name} holds {sorted(symbols)}"
    return rows[0]["id"]


@pytest.fixture(scope="session")
def graph_proteasome(built_store) -> str:
    """Id of the smallest U2OS assembly of the built graph with ``PROTEASOME_MARKERS`` (Cluster4-9)."""
    return smallest_graph_assembly_with(built_store, PROTEASOME_MARKERS)


@pytest.fixture(scope="session")
def graph_swi_snf(built_store) -> str:
    """Id of the smallest U2OS assembly of the built graph with ``SWI_SNF_CORE`` (Cluster5-2, 20 proteins)."""
    return smallest_graph_assembly_with(built_store, SWI_SNF_CORE)
