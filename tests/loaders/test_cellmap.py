"""HiDeF / DDOT readers and the U2OS cell map loader, on the real files."""

from __future__ import annotations

import pandas as pd
import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.cellmap import (
    HidefAssembly,
    hierarchy_from_hidef,
    load_u2os_cellmap,
    read_ddot_ont,
    read_hidef_edges,
    read_hidef_nodes,
)
from cellmap_kg.sources import source_of

U2OS = source_of(load_u2os_cellmap)

FIXTURES = "cellmaps_examples/fixtures"


@pytest.fixture(scope="module")
def u2os(data_dir, resolver):
    return load_u2os_cellmap(U2OS.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def assemblies(u2os, rows_by_key):
    return rows_by_key([b for b in u2os.nodes if b.label == "Assembly"], "Assembly")


@pytest.fixture(scope="module")
def members(u2os, members_by_target):
    return members_by_target(u2os.relationships, "MEMBER_OF")


def _containing(members, genes: set[str]) -> list[tuple[int, str]]:
    return sorted((len(m), a) for a, m in members.items() if genes <= m)


# ---------------------------------------------------------------------------------------------------- readers
def test_read_hidef_nodes_fixture(data_dir):
    nodes = read_hidef_nodes(data_dir / FIXTURES / "hidef_output.nodes")
    assert nodes == [HidefAssembly("Cluster2-6", 6, list("ABCDEF"), 36),
                     HidefAssembly("Cluster3-3", 4, list("CDEF"), 33)]


def test_read_hidef_nodes_size_mismatch_names_line(tmp_path):
    path = tmp_path / "bad.nodes"
    path.write_text("Cluster0-0\t3\tA B C\t10\nCluster1-0\t3\tA B\t5\n")
    with pytest.raises(DataFormatError, match=r"bad.nodes:2: cluster Cluster1-0: size column says 3 genes, "
                                              r"the gene list has 2"):
        read_hidef_nodes(path)


def test_read_hidef_nodes_rejects_wrong_field_count_and_repeats(tmp_path):
    path = tmp_path / "short.nodes"
    path.write_text("Cluster0-0\t3\tA B C\n")
    with pytest.raises(DataFormatError, match=r"short.nodes:1: expected 4 tab-separated fields"):
        read_hidef_nodes(path)
    path.write_text("Cluster0-0\t2\tA B\t1\nCluster0-0\t1\tA\t1\n")
    with pytest.raises(DataFormatError, match=r":2: expected each cluster id once, found Cluster0-0 again"):
        read_hidef_nodes(path)


def test_read_hidef_edges_fixture_and_bad_type(data_dir, tmp_path):
    assert read_hidef_edges(data_dir / FIXTURES / "hidef_output.edges") == [("Cluster2-6", "Cluster3-3")]
    path = tmp_path / "bad.edges"
    path.write_text("Cluster0-0\tCluster1-0\tdefault\nCluster0-0\tCluster1-1\tgene\n")
    with pytest.raises(DataFormatError, match=r"bad.edges:2: column 3: expected one of \['default'\], found 'gene'"):
        read_hidef_edges(path)


def test_read_ddot_ont_fixture(data_dir):
    edges, memberships = read_ddot_ont(data_dir / FIXTURES / "ddot_output.ont")
    assert edges == [("ROOT", "Coarse-1"), ("ROOT", "Coarse-2"), ("Coarse-1", "Fine-1"), ("Coarse-1", "Fine-2")]
    assert memberships == [("geneA", "Fine-1"), ("geneB", "Fine-1"), ("geneC", "Coarse-2"), ("geneD", "Coarse-2"),
                           ("geneE", "Coarse-1"), ("geneF", "Fine-2")]


def test_hierarchy_from_hidef_checks_root_and_endpoints():
    nodes = [HidefAssembly("A", 1, ["x"], 1), HidefAssembly("B", 1, ["x"], 1), HidefAssembly("C", 1, ["x"], 1)]
    assert hierarchy_from_hidef(nodes, [("A", "B"), ("A", "C")]).root == "A"
    with pytest.raises(DataFormatError, match=r"exactly one root assembly .* found 2"):
        hierarchy_from_hidef(nodes, [("A", "B")])
    with pytest.raises(DataFormatError, match=r"names D, which is not in the .nodes file"):
        hierarchy_from_hidef(nodes, [("A", "B"), ("A", "C"), ("C", "D")])


# ---------------------------------------------------------------------------------------------------- U2OS map
def test_u2os_rows_match_schema(u2os, assert_schema):
    assert_schema(u2os, U2OS.id)
    assert not u2os.report.skipped  # every member symbol of the May 2023 map resolves


def test_u2os_assemblies_and_root(assemblies, members):
    assert len(assemblies) == 270
    roots = [a for a in assemblies.values() if a["isRoot"]]
    assert [r["id"] for r in roots] == ["U2OS-2023-05:Cluster0-0"]
    assert "name" not in roots[0] and roots[0]["size"] == 5254
    assert len(members["U2OS-2023-05:Cluster0-0"]) == 5254
    named = [a for a in assemblies.values() if "name" in a]
    assert len(named) == 267
    assert "name" not in assemblies["U2OS-2023-05:Cluster1-0"]
    assert all(a["map"] == "U2OS-2023-05" and a["id"] == f"U2OS-2023-05:{a['clusterId']}" for a in assemblies.values())


def test_u2os_rnase_p_assembly(assemblies, members):
    assert members["U2OS-2023-05:Cluster3-65"] == {"C18orf21", "POP1", "POP4", "POP5", "RPP30"}
    assert assemblies["U2OS-2023-05:Cluster3-65"]["name"] == "Human Ribonuclease P Complex"
    assert assemblies["U2OS-2023-05:Cluster3-65"]["persistence"] == 25


def test_u2os_dpp9_interferon_assembly(assemblies, members):
    small = [a for n, a in _containing(members, {"DPP9"}) if n == 4]
    assert len(small) == 1
    assert members[small[0]] == {"DPP9", "STAT1", "STAT2", "IRF9"}
    assert "Interferon" in assemblies[small[0]]["name"]


def test_u2os_borcs6_itpa_in_ragulator_assembly(assemblies, members):
    (size, smallest), *_ = _containing(members, {"BORCS6", "ITPA", "LAMTOR1", "RRAGC", "SLC38A9"})
    assert (smallest, size) == ("U2OS-2023-05:Cluster2-46", 9)
    assert {"LAMTOR2", "LAMTOR4", "LAMTOR5", "RRAGB"} <= members[smallest]
    assert "TORC1" in assemblies[smallest]["name"]


def test_u2os_member_of_every_listing_assembly(data_dir, members):
    listed = {line.split("\t")[0]: set(line.split("\t")[2].split())
              for line in (U2OS.in_dir(data_dir).path("nodes")).read_text().splitlines()}
    with_c18 = {f"U2OS-2023-05:{c}" for c, genes in listed.items() if "C18orf21" in genes}
    assert {a for a, m in members.items() if "C18orf21" in m} == with_c18
    assert len(with_c18) >= 3  # root, its level-1 ancestor, ..., Cluster3-65
    assert sum(len(m) for m in members.values()) == sum(len(g) for g in listed.values())


def test_u2os_contains_endpoints_exist(u2os, assemblies):
    (contains,) = [b for b in u2os.relationships if b.type == "CONTAINS"]
    assert len(contains.rows) == 292
    assert all(r["source"] in assemblies and r["target"] in assemblies for r in contains.rows)
    children = {r["target"] for r in contains.rows}
    assert set(assemblies) - children == {"U2OS-2023-05:Cluster0-0"}


def test_demo_prompt_terms_are_assemblies_of_the_may2023_map(data_dir):
    """The demo's GPT-4 terms are the same map version (same ids, gene sets, stability), only named differently."""
    demo = pd.read_csv(data_dir / "u2os_cellmap_draft/demo_music_custom_prompt.tsv", sep="\t")
    nodes = {a.cluster_id: a for a in read_hidef_nodes(U2OS.in_dir(data_dir).path("nodes"))}
    assert len(demo) == 9
    for term in demo.itertuples():
        assert set(term.genes.split()) == set(nodes[term.term].genes)
        assert term.stability == nodes[term.term].persistence


def test_llm_names_lose_the_title_label_gpt4_put_before_some(data_dir, resolver):
    result = load_u2os_cellmap(U2OS.in_dir(data_dir), resolver)
    names = {r["clusterId"]: r.get("name") for b in result.nodes if b.label == "Assembly" for r in b.rows}
    assert names["Cluster1-6"] == "Membrane-Associated Protein Interaction System"
    assert not any(n and n.lower().startswith("title") for n in names.values())
