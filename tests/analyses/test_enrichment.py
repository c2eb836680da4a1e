"""Assembly annotation (Cell Mapping Toolkit rule) on made-up sets and on the real U2OS map with MuSIC GO-CC."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom

from cellmap_kg.analyses.enrichment import (
    BEST_COLUMNS,
    ENRICHMENT_COLUMNS,
    annotate_files,
    annotation_category,
    best_matches,
    default_background,
    enrich,
    read_term_table,
    significant,
)
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.sources import source

# ------------------------------------------------------------------------------------------------ made-up sets
GENES = [f"G{i}" for i in range(14)]
ASSEMBLIES = {"A": set(GENES[:5]), "B": set(GENES[10:14]), "C": set(GENES[5:10])}
TERMS = {"T1": set(GENES[:6]) | {"X1"}, "T2": {"G10", "G11", "G12", "G6"}, "small": {"G0", "G1"}}


def test_pvalue_is_one_sided_hypergeometric_over_the_annotated_background():
    df = enrich(ASSEMBLIES, TERMS).set_index(["assembly", "term"])
    background = default_background(ASSEMBLIES, TERMS)
    assert background == {"G0", "G1", "G2", "G3", "G4", "G5", "G6", "G10", "G11", "G12"}   # X1 is not in the map
    a = df.loc[("A", "T1")]
    assert (a.overlap, a.assemblySize, a.termSize) == (5, 5, 6)
    assert a.pValue == pytest.approx(hypergeom.sf(4, 10, 6, 5))
    assert a.jaccard == pytest.approx(5 / 6)
    b = df.loc[("B", "T2")]                                  # G13 is outside the background: N = 3
    assert (b.overlap, b.assemblySize, b.termSize) == (3, 3, 4)
    assert b.pValue == pytest.approx(hypergeom.sf(2, 10, 4, 3))
    c = df.loc[("C", "T1")]
    assert c.jaccard == pytest.approx(1 / 7)
    assert set(df.index) == {("A", "T1"), ("B", "T2"), ("C", "T1"), ("C", "T2")}


def test_fdr_counts_every_assembly_term_pair_including_empty_overlaps():
    assemblies = {"A": {"a1", "a2", "a3", "a4"}, "B": {"b1", "b2", "b3", "b4"}, "C": {"c1", "c2", "c3", "c4"}}
    filler = [f"z{i}" for i in range(40)]
    terms = {"TA": {"a1", "a2", "a3", "a4"}, "TZ": set(filler[:10]), "TY": set(filler[10:20])}
    background = set().union(*assemblies.values()) | set(filler)
    df = enrich(assemblies, terms, background=background)
    assert df.attrs["tests"] == 9 and df.attrs["background"] == 52 and df.attrs["termsTested"] == 3
    assert list(df.columns) == ENRICHMENT_COLUMNS
    assert len(df) == 1                                     # only A x TA overlaps; 8 pairs have p = 1
    p = hypergeom.sf(3, 52, 4, 4)
    assert df.pValue.iloc[0] == pytest.approx(p)
    assert df.fdr.iloc[0] == pytest.approx(p * 9)           # BH with m = 9 tests, not 1


def test_terms_below_min_size_in_the_background_are_not_tested():
    df = enrich(ASSEMBLIES, TERMS, min_term_size=4)
    assert "small" not in set(df.term)
    assert (df.attrs["termsTested"], df.attrs["tests"]) == (2, 6)
    with_small = enrich(ASSEMBLIES, TERMS, min_term_size=2)
    assert "small" in set(with_small.term)
    assert (with_small.attrs["termsTested"], with_small.attrs["tests"]) == (3, 9)


def test_empty_background_is_an_error():
    with pytest.raises(ValueError, match="background is empty"):
        enrich({"A": {"x"}}, {"T": {"y", "z", "w", "v"}})


def test_significant_applies_the_toolkit_rule():
    df = pd.DataFrame({"assembly": ["A", "A", "B", "C"], "term": ["t1", "t2", "t3", "t4"],
                       "jaccard": [1.0, 0.09, 0.10, 0.5], "fdr": [0.9, 1e-9, 0.0099, 0.01]})
    kept = significant(df)
    assert list(kept.term) == ["t1", "t3"]                  # J == 1 always; J >= 0.1 and fdr < 0.01
    assert list(significant(df, max_fdr=0.05).term) == ["t1", "t3", "t4"]


@pytest.mark.parametrize("jaccard, category", [(1.0, "known"), (0.5, "known"), (0.4999, "variant"), (0.2, "variant"),
                                               (0.1999, "novel"), (0.0, "novel"), (float("nan"), "novel")])
def test_annotation_category_boundaries(jaccard, category):
    assert annotation_category(jaccard) == category


def test_annotation_category_of_an_array():
    assert list(annotation_category(np.array([0.6, 0.3, 0.1]))) == ["known", "variant", "novel"]


def test_best_matches_prefers_jaccard_then_fdr_and_reports_unmatched_as_novel():
    df = pd.DataFrame({"assembly": ["A", "A", "A", "B"], "term": ["t1", "t2", "t3", "t4"],
                       "jaccard": [0.3, 0.6, 0.6, 0.25], "fdr": [1e-9, 1e-3, 1e-5, 1e-4]})
    best = best_matches(df, ["A", "B", "C"])
    assert list(best.columns) == BEST_COLUMNS
    assert best.set_index("assembly").loc["A", "bestMatch"] == "t3"
    assert list(best.annotationCategory) == ["known", "variant", "novel"]
    assert best.set_index("assembly").loc["C", "bestMatch"] is None
    assert best.set_index("assembly").loc["C", "bestJaccard"] == 0.0


# ------------------------------------------------------------------------------------------------ term table
def test_read_term_table_accepts_the_trailing_comma(go_cc_terms):
    assert len(go_cc_terms) == 1602
    assert {"PSMA1", "PSMB5", "PSMC1"} <= go_cc_terms["GO:0000502"]
    assert "" not in go_cc_terms["GO:0000502"]
    assert len(go_cc_terms["GO:0000502"]) == 68


@pytest.mark.parametrize("text, message", [
    ("GO:1\t2\tA,B,\nGO:2\t3\tA,B,\n", r":2: term GO:2: size column says 3, found 2 genes"),
    ("GO:1\t2\tA,B,\nGO:1\t2\tA,B,\n", r":2: term GO:1 is listed twice"),
    ("GO:1\t2\n", r":1: expected 3 fields"),
    ("GO:1\ttwo\tA,B\n", r":1: column 'size': expected a number"),
])
def test_read_term_table_errors_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "terms.txt"
    path.write_text(text)
    with pytest.raises(DataFormatError, match=message):
        read_term_table(path)


# ------------------------------------------------------------------------------------------------ real map
@pytest.fixture(scope="module")
def u2os_go_cc(u2os_memberships, go_cc_terms):
    started = time.perf_counter()
    df = enrich(u2os_memberships, go_cc_terms)
    return df, time.perf_counter() - started


def test_u2os_enrichment_is_fast_and_counts_all_tests(u2os_go_cc):
    df, seconds = u2os_go_cc
    assert seconds < 10
    assert df.attrs["background"] == 4839                   # U2OS proteins annotated in MuSIC GO-CC
    assert df.attrs["termsTested"] == 862                   # terms with >= 4 of them
    assert df.attrs["tests"] == 270 * 862
    assert (df.overlap >= 1).all()


def test_u2os_proteasome_is_known_and_matches_the_proteasome_complex(u2os_go_cc, u2os_memberships,
                                                                      proteasome_assembly):
    df, _ = u2os_go_cc
    accepted = significant(df)
    best = best_matches(accepted, u2os_memberships).set_index("assembly")
    assert best.loc[proteasome_assembly, "bestMatch"] == "GO:0000502"          # proteasome complex
    assert best.loc[proteasome_assembly, "annotationCategory"] == "known"
    row = accepted[(accepted.assembly == proteasome_assembly) & (accepted.term == "GO:0000502")].iloc[0]
    assert row.overlap == 25 and row.fdr < 1e-40


def test_u2os_known_variant_novel_counts(u2os_go_cc, u2os_memberships):
    """GO-CC alone (the paper also used CORUM and HPA: 41 / 90 / 144 of 275)."""
    df, _ = u2os_go_cc
    best = best_matches(significant(df), u2os_memberships)
    counts = best[best.assembly != "Cluster0-0"].annotationCategory.value_counts().to_dict()
    assert counts == {"known": 18, "variant": 64, "novel": 187}


def test_annotate_files_writes_pairs_and_best_matches(tmp_path, u2os_nodes_file, data_dir, proteasome_assembly):
    out = tmp_path / "go_cc.tsv"
    terms = source("music-v1-reference").in_dir(data_dir).path("go_cc_terms")
    accepted, best = annotate_files(u2os_nodes_file, terms, out)
    pairs = pd.read_csv(out, sep="\t")
    assert list(pairs.columns) == ["assembly", "term", "overlap", "pValue", "fdr", "jaccard"]
    assert len(pairs) == len(accepted)
    written = pd.read_csv(tmp_path / "go_cc.best.tsv", sep="\t").set_index("assembly")
    assert len(written) == 270
    assert written.loc[proteasome_assembly, "bestMatch"] == "GO:0000502"
    assert written.loc[proteasome_assembly, "annotationCategory"] == "known"
