"""Function by association and unexpected members, on made-up tables and the real U2OS map with GO-CC."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cellmap_kg.analyses.association import (
    PROPOSAL_COLUMNS,
    UNEXPECTED_COLUMNS,
    function_by_association,
    poorly_characterized,
    read_pubmed_counts,
    unexpected_members,
)
from cellmap_kg.analyses.enrichment import best_matches, enrich, significant
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.sources import source

GENE_INFO = source("ncbi-gene-2022-09-12").file("gene_info").path

MEMBERS = {"small": {"known1", "known2", "orphan"}, "big": {f"g{i}" for i in range(30)} | {"orphan2"}}
PUBMED = pd.Series({"known1": 500, "known2": 40, "orphan": 3, "orphan2": 0} | {f"g{i}": 100 for i in range(30)})
ACCEPTED = pd.DataFrame({"assembly": ["small", "small", "big"], "term": ["T:a", "T:b", "T:c"],
                         "jaccard": [0.4, 0.75, 0.9], "fdr": [1e-6, 1e-3, 1e-9]})


def test_poorly_characterized_threshold_is_inclusive():
    assert poorly_characterized(PUBMED) == {"orphan", "orphan2"}
    assert poorly_characterized(PUBMED, max_pubmed=40) == {"orphan", "orphan2", "known2"}


def test_proposals_come_from_small_assemblies_only_ranked_by_jaccard():
    df = function_by_association(MEMBERS, ACCEPTED, PUBMED, assembly_names={"small": "Tiny complex"},
                                 term_names={"T:b": "term b"})
    assert list(df.columns) == PROPOSAL_COLUMNS
    assert list(df.protein) == ["orphan", "orphan"]                  # orphan2 is in a 31-protein assembly
    assert list(df.term) == ["T:b", "T:a"]
    assert list(df.score) == [0.75, 0.4]
    assert df.assemblyName.iloc[0] == "Tiny complex" and df.termName.iloc[0] == "term b"
    assert df.pubmedCount.iloc[0] == 3 and df.assemblySize.iloc[0] == 3


def test_an_assembly_without_accepted_terms_still_proposes_its_name():
    df = function_by_association(MEMBERS, ACCEPTED[ACCEPTED.assembly == "big"], PUBMED,
                                 assembly_names={"small": "Tiny complex"})
    assert len(df) == 1 and df.term.iloc[0] is None and np.isnan(df.score.iloc[0])
    assert df.assemblyName.iloc[0] == "Tiny complex"


def test_members_without_pubmed_count_are_reported():
    df = function_by_association({"s": {"orphan", "mystery"}}, ACCEPTED, PUBMED)
    assert df.attrs["withoutPubmedCount"] == ["mystery"]


def test_unexpected_members_are_members_missing_from_the_best_match():
    best = pd.DataFrame({"assembly": ["small", "big", "none"], "bestMatch": ["T:b", "T:c", None],
                         "bestJaccard": [0.75, 0.9, 0.0]})
    terms = {"T:b": {"known1", "known2", "other"}, "T:c": {"g1"}}
    df = unexpected_members({**MEMBERS, "none": {"x"}}, best, terms, background={"known1", "known2", "orphan"})
    assert list(df.columns) == UNEXPECTED_COLUMNS
    assert len(df) == 31 and set(df[df.assembly == "big"].protein) == (MEMBERS["big"] - {"g1"})
    small_only = unexpected_members(MEMBERS, best, terms, background={"orphan"}, max_assembly_size=31)
    assert small_only[["assembly", "protein", "annotatedInResource"]].values.tolist() == [["small", "orphan", True]]
    with pytest.raises(KeyError, match="not among the given terms"):
        unexpected_members(MEMBERS, best, {"T:c": {"g1"}})


def test_read_pubmed_counts_prefers_protein_coding_records(tmp_path, data_dir):
    path = tmp_path / "gene_info.tsv"
    path.write_text("gene_id\tsymbol\tgene_type\tn_pubmed\n1\tRNR1\tncRNA\t120\n2\tRNR1\tprotein-coding\t4\n"
                    "3\tHBD\tprotein-coding\t149\n4\tHBD\tprotein-coding\t3\n")
    assert read_pubmed_counts(path).to_dict() == {"RNR1": 4, "HBD": 149}
    path.write_text("gene_id\tsymbol\tgene_type\tn_pubmed\n1\tA\tprotein-coding\tmany\n")
    with pytest.raises(DataFormatError, match=r":2: column 'n_pubmed'"):
        read_pubmed_counts(path)


# ------------------------------------------------------------------------------------------------ real map
@pytest.fixture(scope="module")
def pubmed(data_dir):
    return read_pubmed_counts(data_dir / GENE_INFO)


@pytest.fixture(scope="module")
def go_cc_accepted(u2os_memberships, go_cc_terms):
    return significant(enrich(u2os_memberships, go_cc_terms))


def test_u2os_poorly_characterized_proteins_get_functions(u2os_memberships, go_cc_accepted, pubmed):
    assert pubmed["PSMA1"] == 200 and pubmed["DHRS12"] == 7
    df = function_by_association(u2os_memberships, go_cc_accepted, pubmed)
    assert df.protein.nunique() == 20
    assert (df.pubmedCount <= 10).all() and (df.assemblySize < 25).all()
    dhrs12 = df[(df.protein == "DHRS12") & df.term.notna()]
    assert dhrs12.term.iloc[0] == "GO:0000127"                      # transcription factor TFIIIC complex
    assert dhrs12.score.iloc[0] == pytest.approx(1 / 6)


def test_u2os_proteasome_has_one_unexpected_member(u2os_memberships, go_cc_accepted, go_cc_terms,
                                                   proteasome_assembly):
    best = best_matches(go_cc_accepted, u2os_memberships)
    df = unexpected_members(u2os_memberships, best, go_cc_terms)
    proteasome = df[df.assembly == proteasome_assembly]
    assert list(proteasome.protein) == ["MIDN"]                     # midnolin, not a GO proteasome subunit
    assert proteasome.annotatedInResource.iloc[0]
    assert (df.assemblySize < 50).all()
    assert (len(df), df.assembly.nunique()) == (916, 89)
