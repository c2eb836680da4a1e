"""OpenCell HEK293T interactome communities as a flat map, on the real file and on files made here."""

from __future__ import annotations

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.communities import OPENCELL_MAP, load_opencell_communities, read_communities
from cellmap_kg.sources import source_of

COMMUNITIES = source_of(load_opencell_communities)

HEADER = "in_cluster_gene_name,mcl_community_id,core_cluster_id,module_id,branch_id,uniprot_id\n"


def test_real_file_is_a_flat_map_of_291_communities(data_dir):
    h, uniprot, repeated = read_communities(COMMUNITIES.in_dir(data_dir).path("communities"))
    by_id = h.by_id()
    assert h.root == "root" and len(h.assemblies) == 292 and len(h.edges) == 291
    assert all(parent == "root" for parent, _ in h.edges)
    assert len(by_id["root"].genes) == 2132                      # every clustered gene name once
    assert {"G3BP1", "G3BP2", "CAPRIN1", "NCL"} <= set(by_id["Community1"].genes)   # stress-granule community
    assert by_id["Community179"].genes.count("BAG6") == 1         # the file lists BAG6 twice there
    assert any(r.endswith("BAG6 in community 179") for r in repeated)   # ... and the repeat is reported
    assert uniprot["G3BP1"] == "Q13283" and "RPS10-NUDT3" not in uniprot     # NA accession
    assert h.member_source == {"community table": 291}


def test_loader_rows_and_report(data_dir, resolver, assert_schema):
    result = load_opencell_communities(COMMUNITIES.in_dir(data_dir), resolver)
    assert_schema(result, COMMUNITIES.id)
    assemblies = next(b for b in result.nodes if b.label == "Assembly").rows
    assert len(assemblies) == 292 and {a["map"] for a in assemblies} == {OPENCELL_MAP}
    root = next(a for a in assemblies if a["isRoot"])
    assert root["id"] == "OpenCell-HEK293T:root"
    members = next(b for b in result.relationships if b.type == "MEMBER_OF").rows
    assert {"source": "G3BP1", "target": "OpenCell-HEK293T:Community1"} in [
        {k: r[k] for k in ("source", "target")} for r in members]
    # DKFZP564M2223 (UniProt Q659G3) is in no HGNC/NCBI table: reported, in its community and in the root
    assert result.report.skipped["unknown gene"] == 6
    assert any(e.startswith("DKFZP564M2223/Q659G3") for e in result.report.examples["unknown gene"])


@pytest.mark.parametrize("text, message", [
    (HEADER + "G3BP1,1,0,M1,A,Q13283\nCAPRIN1,x1,0,M1,A,Q14444\n",
     r"c\.csv:3: column 'mcl_community_id': expected a positive integer community id, found 'x1'"),
    ("gene,mcl_community_id,uniprot_id\nG3BP1,1,Q13283\n", r"c\.csv:1: expected columns \['in_cluster_gene_name'\]"),
    (HEADER + ",1,0,M1,A,Q13283\n", r"c\.csv:2: column 'in_cluster_gene_name': expected a gene name"),
])
def test_malformed_table_names_file_line_and_expectation(tmp_path, text, message):
    path = tmp_path / "c.csv"
    path.write_text(text)
    with pytest.raises(DataFormatError, match=message):
        read_communities(path)
