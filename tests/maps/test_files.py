"""Reading a user's map file: format detection, the three formats, member sources, LLM names; real and made files."""

from __future__ import annotations

import json

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.cellmap import load_u2os_cellmap
from cellmap_kg.loaders.hcx import load_hcx_examples
from cellmap_kg.maps.files import detect_format, read_map
from cellmap_kg.sources import source_of

U2OS, HCX = source_of(load_u2os_cellmap), source_of(load_hcx_examples)
U2OS_NODES, U2OS_EDGES = (U2OS.file(key).path for key in ("nodes", "edges"))
CM4AI_FILE, CM4AI_PARENT_FILE, NEST_FILE = (HCX.file(key).path for key in ("cm4ai", "cm4ai_parent", "nest"))

DDOT_FIXTURE = "cellmaps_examples/fixtures/ddot_output.ont"
HIDEF_FIXTURE = "cellmaps_examples/fixtures/hidef_output.nodes"


def cx2(nodes: list[dict], edges: list[tuple[int, int]], network: dict | None = None) -> list[dict]:
    """A minimal CX2 document: nodes ``{"id", "v"}``, edges ``(source id, target id)``."""
    return [{"CXVersion": "2.0", "hasFragments": False},
            {"networkAttributes": [network or {"name": "toy"}]},
            {"nodes": nodes}, {"edges": [{"id": i, "s": s, "t": t} for i, (s, t) in enumerate(edges)]}]


def write_json(path, doc) -> object:
    path.write_text(json.dumps(doc))
    return path


def test_detect_format_real_files(data_dir):
    assert detect_format(data_dir / NEST_FILE) == "hcx"
    assert detect_format(data_dir / U2OS_NODES) == "hidef"
    assert detect_format(data_dir / DDOT_FIXTURE) == "ddot"


def test_detect_format_refuses_edges_alone_and_unknown_text(data_dir, tmp_path):
    with pytest.raises(DataFormatError, match=r"\.edges:1: looks like a HiDeF \.edges file"):
        detect_format(data_dir / U2OS_EDGES)
    other = tmp_path / "x.txt"
    other.write_text("gene,score\nTP53,1\n")
    with pytest.raises(DataFormatError, match=r"x\.txt:1: cannot tell the map format.*'gene,score'"):
        detect_format(other)


def test_hcx_members_through_parent_interactome(data_dir):
    """The toolkit's CM4AI example: HCX::members resolved through the given parent interactome."""
    h, info = read_map(data_dir / CM4AI_FILE, parent=data_dir / CM4AI_PARENT_FILE)
    assert info["format"] == "hcx" and info["memberSource"] == {"HCX::members": 8}
    assert h.root == "C23" and len(h.by_id()["C23"].genes) == 23


def test_hcx_parent_found_next_to_the_hierarchy(data_dir, tmp_path):
    """HCX::interactionNetworkName names the interactome; found next to the hierarchy, it is used."""
    (tmp_path / "hierarchy.cx2").write_bytes((data_dir / CM4AI_FILE).read_bytes())
    (tmp_path / "hierarchy_parent.cx2").write_bytes((data_dir / CM4AI_PARENT_FILE).read_bytes())
    h, info = read_map(tmp_path / "hierarchy.cx2")
    assert info["memberSource"] == {"HCX::members": 8}
    assert info["files"] == [str(tmp_path / "hierarchy.cx2"), str(tmp_path / "hierarchy_parent.cx2")]


def test_hcx_member_list_without_interactome(data_dir):
    """The NeST example's interactome is not shipped: CD_MemberList gives the members (718 at the root)."""
    h, info = read_map(data_dir / NEST_FILE)
    assert info["memberSource"] == {"CD_MemberList": 131}
    assert len(h.by_id()["NEST"].genes) == 718


@pytest.mark.parametrize("attribute, value, expected", [
    ("genes", "E,F", ["E", "F"]),                        # the toolkit's `genes` (comma-separated)
    ("MemberList", "E F", ["E", "F"]),                   # CDAPS
    ("CD_MemberList", "E, F", ["E", "F"]),
    ("genes", ["E", "F"], ["E", "F"]),                   # a list attribute
])
def test_member_list_attributes(tmp_path, attribute, value, expected):
    doc = cx2([{"id": 1, "v": {"name": "R", attribute: value if isinstance(value, list) else f"A {value}"}},
               {"id": 2, "v": {"name": "X", attribute: value}}], [(1, 2)])
    h, info = read_map(write_json(tmp_path / "m.cx2", doc))
    assert info["memberSource"] == {attribute: 2}
    assert h.by_id()["X"].genes == expected and h.root == "R"


def test_hcx_members_without_interactome_is_a_clear_error(tmp_path):
    doc = cx2([{"id": 1, "v": {"name": "R", "HCX::members": [0, 1]}}], [],
              {"name": "toy", "HCX::interactionNetworkName": "absent.cx2"})
    with pytest.raises(DataFormatError, match=r"m\.cx2: node 1: has HCX::members but no member list .*give the "
                                              r"parent interactome \(--parent\)"):
        read_map(write_json(tmp_path / "m.cx2", doc))


def test_bad_member_list_names_the_node(tmp_path):
    doc = cx2([{"id": 7, "v": {"name": "R", "genes": 3}}], [])
    with pytest.raises(DataFormatError, match=r"node 7: genes: expected gene names separated by spaces or commas"):
        read_map(write_json(tmp_path / "m.cx2", doc))


def test_hidef_fixture_with_its_edges(data_dir):
    h, info = read_map(data_dir / HIDEF_FIXTURE)
    assert info["format"] == "hidef" and info["memberSource"] == {"HiDeF .nodes genes": 2}
    assert h.root == "Cluster2-6" and h.edges == [("Cluster2-6", "Cluster3-3")]
    assert h.by_id()["Cluster3-3"].genes == ["C", "D", "E", "F"] and h.by_id()["Cluster3-3"].persistence == 33


def test_hidef_without_edges_file(tmp_path):
    (tmp_path / "m.nodes").write_text("C1\t2\tA B\t5\n")
    with pytest.raises(FileNotFoundError, match=r"m\.edges: file not found"):
        read_map(tmp_path / "m.nodes")


def test_ddot_members_propagated_to_ancestors(data_dir):
    """DDOT gene rows annotate the most specific system; members are propagated (ROOT holds all six)."""
    h, info = read_map(data_dir / DDOT_FIXTURE)
    by_id = h.by_id()
    assert info == {"format": "ddot", "files": [str(data_dir / DDOT_FIXTURE)],
                    "memberSource": {"DDOT gene rows": 6}, "names": 0}
    assert h.root == "ROOT"
    assert by_id["ROOT"].genes == ["geneA", "geneB", "geneC", "geneD", "geneE", "geneF"]
    assert by_id["Coarse-1"].genes == ["geneA", "geneB", "geneE", "geneF"]
    assert by_id["Fine-1"].genes == ["geneA", "geneB"] and by_id["Fine-1"].size == 2


def test_ddot_cycle_is_a_format_error(tmp_path):
    (tmp_path / "c.ont").write_text("A\tB\tdefault\nB\tA\tdefault\nA\tg1\tgene\n")
    with pytest.raises(DataFormatError, match=r"c\.ont: the system hierarchy has a cycle"):
        read_map(tmp_path / "c.ont")


def test_hidef_slice_of_the_u2os_map_with_llm_names(u2os_slice):
    """A HiDeF hierarchy sliced from the shared U2OS map, with its GPT-4 names table."""
    path, names, nodes = u2os_slice
    h, info = read_map(path, names=names)
    assert h.root == "Cluster1-1" and len(h.assemblies) == len(nodes)
    assert info["names"] == len(nodes) - 1            # Cluster1-1 has no GPT-4 name
    assert h.by_id()["Cluster1-1"].name is None
    assert all(a.name for a in h.assemblies if a.cluster_id != "Cluster1-1")


def test_missing_map_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"absent\.cx2: map file not found"):
        read_map(tmp_path / "absent.cx2")
    (tmp_path / "m.nodes").write_text("C1\t1\tA\t5\n")
    with pytest.raises(FileNotFoundError, match=r"other\.edges: map file not found"):
        read_map(tmp_path / "m.nodes", edges=tmp_path / "other.edges")
