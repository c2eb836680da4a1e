"""HCX (CX2 hierarchy) reader, writer and the Cell Mapping Toolkit example loader, on the real files."""

from __future__ import annotations

import json

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.cellmap import Hierarchy, MapAssembly
from cellmap_kg.loaders.hcx import load_hcx_examples, read_hcx, write_hcx
from cellmap_kg.sources import source_of

HCX = source_of(load_hcx_examples)
CM4AI_FILE, CM4AI_PARENT_FILE, NEST_FILE = (HCX.file(key).path for key in ("cm4ai", "cm4ai_parent", "nest"))

FIXTURE = "cellmaps_examples/fixtures/hierarchy.cx2"


@pytest.fixture(scope="module")
def cm4ai(data_dir):
    return read_hcx(data_dir / CM4AI_FILE, data_dir / CM4AI_PARENT_FILE)


@pytest.fixture(scope="module")
def nest(data_dir):
    return read_hcx(data_dir / NEST_FILE)


def test_cm4ai_hierarchy(cm4ai):
    by_id = cm4ai.by_id()
    assert cm4ai.root == "C23"
    assert sorted(by_id) == ["C23", "C24", "C25", "C26", "C27", "C28", "C29", "C30"]
    assert sorted(cm4ai.edges) == [("C23", "C24"), ("C23", "C25"), ("C23", "C26"), ("C24", "C27"), ("C24", "C30"),
                                   ("C25", "C28"), ("C25", "C29"), ("C26", "C27")]
    assert len(by_id["C23"].genes) == 23 and {"HDAC1", "SMARCA4", "DNMT1"} <= set(by_id["C23"].genes)
    assert by_id["C23"].persistence == 104 and by_id["C29"].persistence == 47
    assert cm4ai.name.startswith("Initial integration run - Ideker Lab CM4AI")


def test_members_via_parent_interactome_equal_cd_member_list(data_dir, cm4ai):
    """HCX::members (interactome node ids) name the same genes as CD_MemberList, assembly by assembly."""
    by_list = read_hcx(data_dir / CM4AI_FILE).by_id()
    for a in cm4ai.assemblies:
        assert sorted(a.genes) == sorted(by_list[a.cluster_id].genes)
    assert [a.genes for a in cm4ai.assemblies] != [by_list[a.cluster_id].genes for a in cm4ai.assemblies]


def test_nest_hierarchy(nest):
    by_id = nest.by_id()
    assert len(nest.assemblies) == 131 and len(nest.edges) == 150
    assert nest.root == "NEST" and by_id["NEST"].name == "NeST"
    assert len(by_id["NEST"].genes) == 718  # CD_MemberList; the root's HCX::members lists only 713 ids
    assert by_id["NEST:123"].name == "PML body"
    assert set(by_id["NEST:123"].genes) == {"CREBBP", "DAXX", "EP300", "HDAC1", "NPM1", "PARP1", "PML", "RB1", "TERT"}
    assert by_id["NEST:123"].persistence is None


def test_cellmaps_hierarchyeval_fixture(data_dir):
    h = read_hcx(data_dir / FIXTURE)
    assert h.root == "C23" and len(h.assemblies) == 8 and h.by_id()["C23"].persistence == 105


def test_round_trip_real_hierarchies(cm4ai, nest, tmp_path):
    assert read_hcx(write_hcx(nest, tmp_path / "nest.cx2")) == nest
    path = write_hcx(cm4ai, tmp_path / "cm4ai.cx2", tmp_path / "cm4ai_parent.cx2")
    assert read_hcx(path, tmp_path / "cm4ai_parent.cx2") == cm4ai
    assert read_hcx(path) == cm4ai
    network = next(a for a in json.loads(path.read_text()) if "networkAttributes" in a)["networkAttributes"][0]
    assert network["ndexSchema"] == "hierarchy_v0.1" and network["HCX::modelFileCount"] == 2
    assert network["HCX::interactionNetworkName"] == "cm4ai_parent.cx2"


def test_round_trip_built_hierarchy(tmp_path):
    h = Hierarchy([MapAssembly("R", ["A", "B", "C"], 3, 9, "root system"), MapAssembly("X", ["A", "B"], 2, None, None)],
                  [("R", "X")], "R", "toy")
    assert read_hcx(write_hcx(h, tmp_path / "toy.cx2")) == h


def _write(path, aspects):
    path.write_text(json.dumps(aspects))
    return path


def test_read_hcx_errors(data_dir, tmp_path):
    aspects = json.loads((data_dir / CM4AI_FILE).read_text())
    for a in aspects:
        if "networkAttributes" in a:
            a["networkAttributes"][0]["ndexSchema"] = "hierarchy_v9"
    with pytest.raises(DataFormatError, match="ndexSchema: expected 'hierarchy_v0.1', found 'hierarchy_v9'"):
        read_hcx(_write(tmp_path / "schema.cx2", aspects))

    parent = json.loads((data_dir / CM4AI_PARENT_FILE).read_text())
    for a in parent:
        if "nodes" in a:
            a["nodes"] = [n for n in a["nodes"] if n["id"] != 22]
    with pytest.raises(DataFormatError, match=r"node 0: HCX::members \[22\] are not nodes of the parent interactome"):
        read_hcx(data_dir / CM4AI_FILE, _write(tmp_path / "parent.cx2", parent))

    aspects = json.loads((data_dir / CM4AI_FILE).read_text())
    for a in aspects:
        if "nodes" in a:
            del a["nodes"][3]["v"]["CD_MemberList"]
    with pytest.raises(DataFormatError, match=r"node 3: has HCX::members but no member list "
                                              r"\(CD_MemberList, MemberList, genes\): give the parent interactome"):
        read_hcx(_write(tmp_path / "members.cx2", aspects))

    broken = tmp_path / "broken.cx2"
    broken.write_text('[{"nodes": [')
    with pytest.raises(DataFormatError, match=r"broken.cx2:1: expected CX2 JSON"):
        read_hcx(broken)


def test_load_hcx_examples(data_dir, resolver, assert_schema):
    result = load_hcx_examples(HCX.in_dir(data_dir), resolver)
    assert_schema(result, HCX.id)
    assemblies = [r for b in result.nodes if b.label == "Assembly" for r in b.rows]
    assert len(assemblies) == 8 + 131
    ids = {r["id"] for r in assemblies}
    assert {"CM4AI-MDA-MB-468:C23", "NeST:NEST", "NeST:NEST:123"} <= ids
    assert [r["id"] for r in assemblies if r["isRoot"]] == ["CM4AI-MDA-MB-468:C23", "NeST:NEST"]
    member_of = [r for b in result.relationships if b.type == "MEMBER_OF" for r in b.rows]
    contains = [r for b in result.relationships if b.type == "CONTAINS" for r in b.rows]
    assert len(contains) == 8 + 150 and all(r["source"] in ids and r["target"] in ids for r in contains)
    assert {r["source"] for r in member_of if r["target"] == "NeST:NEST:123"} >= {"PML", "DAXX"}
    assert sum(1 for r in member_of if r["target"] == "CM4AI-MDA-MB-468:C23") == 23
    assert not result.report.skipped
