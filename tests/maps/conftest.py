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
    from cellmap_kg.analyses.registry import AnalysisOptions, run_analyses
    from cellmap_kg.build import build
    from cellmap_kg.store import open_store, stop_embedded

    uri = f"falkordb://{tmp_path_factory.mktemp('maps') / 'store'}"
    store = open_store(uri)
    build(store, data_dir, only=MAP_SOURCES, analyses=False)
    run_analyses(store, BASE_ANALYSES, AnalysisOptions(data_dir=data_dir, permutations=20))
    yield store
    store.close()
    stop_embedded(uri)


@pytest.fixture
def u2os_slice(data_dir, tmp_path):
    """``(nodes path, names path, {cluster: HidefAssembly})``: the U2OS HiDeF map cut to ``Cluster1-1`` and its
    descendants (``slice.nodes`` / ``slice.edges``) with the matching rows of its GPT-4 names table."""
    from cellmap_kg.loaders.cellmap import load_u2os_cellmap, read_hidef_edges, read_hidef_nodes
    from cellmap_kg.sources import source_of

    u2os = source_of(load_u2os_cellmap).in_dir(data_dir)

    top = "Cluster1-1"
    nodes = {n.cluster_id: n for n in read_hidef_nodes(u2os.path("nodes"))}
    edges = read_hidef_edges(u2os.path("edges"))
    keep, frontier = {top}, [top]
    while frontier:
        parent = frontier.pop()
        for p, c in edges:
            if p == parent and c not in keep:
                keep.add(c)
                frontier.append(c)
    lines = [f"{c}\t{nodes[c].size}\t{' '.join(nodes[c].genes)}\t{nodes[c].persistence}" for c in sorted(keep)]
    (tmp_path / "slice.nodes").write_text("\n".join(lines) + "\n")
    (tmp_path / "slice.edges").write_text("".join(f"{p}\t{c}\tdefault\n" for p, c in edges
                                                  if p in keep and c in keep))
    rows = u2os.path("names").read_text().splitlines()
    (tmp_path / "names.tsv").write_text("\n".join([rows[0]] + [r for r in rows[1:] if r.split("\t")[0] in keep])
                                        + "\n")
    return tmp_path / "slice.nodes", tmp_path / "names.tsv", {c: nodes[c] for c in keep}
