"""Assembly annotation written into the full real graph (``built_store`` runs the default analyses)."""

from __future__ import annotations

import pytest

from cellmap_kg.analyses.known_components import go_cc_sets

MAP = "U2OS-2023-05"


def test_proteasome_assembly_is_known_and_enriched_for_the_proteasome_complex(built_store, graph_proteasome):
    row = built_store.query(
        "MATCH (a:Assembly {id: $id})-[r:ENRICHED_FOR]->(t:GOTerm {id: 'GO:0000502'}) "
        "RETURN a.annotationCategory AS category, a.bestMatch AS best, a.bestJaccard AS bestJ, r.overlap AS x, "
        "r.fdr AS fdr, r.jaccard AS j, r.resource AS resource, r.background AS m, r.dataset AS dataset, "
        "r.analysis AS analysis, r.maxFdr AS maxFdr, r.minJaccard AS minJaccard", {"id": graph_proteasome})
    assert len(row) == 1, "the proteasome assembly is not ENRICHED_FOR GO:0000502 (proteasome complex)"
    r = row[0]
    assert r["category"] == "known" and r["resource"] == "GO-CC"
    assert r["x"] == 25 and r["fdr"] < 1e-40 and r["j"] == pytest.approx(25 / 46)
    assert (r["dataset"], r["analysis"], r["maxFdr"], r["minJaccard"]) == ("cellmap-kg-analyses", "annotation",
                                                                           0.01, 0.10)
    # the best match over GO-CC, CORUM and HPA is the highest Jaccard: CORUM's PA700-20S-PA28 proteasome
    assert (r["best"], r["bestJ"]) == ("CORUM:193", pytest.approx(18 / 26))
    top = built_store.query("MATCH (a:Assembly {id: $id})-[r:ENRICHED_FOR]->() RETURN max(r.jaccard) AS j",
                            {"id": graph_proteasome})[0]["j"]
    assert top == pytest.approx(r["bestJ"])


def test_known_variant_novel_counts(built_store):
    """U2OS May-2023 draft, GO-CC (gene2go) + CORUM + HPA from the graph: 38 / 89 / 142 of 269 (root left out).

    Paper (final map): 41 / 90 / 144 of 275. With MuSIC's GO-CC table instead of gene2go: 35 / 87 / 147.
    """
    rows = built_store.query("MATCH (a:Assembly {map: $map}) WHERE NOT a.isRoot "
                             "RETURN a.annotationCategory AS c, count(a) AS n", {"map": MAP})
    assert {r["c"]: r["n"] for r in rows} == {"known": 38, "variant": 89, "novel": 142}


def test_every_enrichment_passes_the_thresholds(built_store):
    """FDR < 0.01 and Jaccard >= 0.10, or Jaccard 1 (toolkit rule: e.g. the root and the GO-CC root term, p = 1)."""
    rows = built_store.query(
        "MATCH (a:Assembly)-[r:ENRICHED_FOR]->(c) RETURN r.resource AS resource, labels(c)[0] AS label, "
        "count(r) AS n, sum(CASE WHEN (r.fdr < 0.01 AND r.jaccard >= 0.10) OR r.jaccard = 1.0 THEN 0 ELSE 1 END) "
        "AS failing, min(r.overlap) AS minX, collect(DISTINCT r.dataset) AS datasets")
    assert {r["resource"]: r["label"] for r in rows} == {"GO-CC": "GOTerm", "CORUM": "Complex", "HPA": "Compartment"}
    for r in rows:
        assert r["failing"] == 0 and r["minX"] >= 1 and r["datasets"] == ["cellmap-kg-analyses"]
    u2os = built_store.query("MATCH (a:Assembly {map: $map})-[r:ENRICHED_FOR]->() "
                             "RETURN r.resource AS resource, count(r) AS n", {"map": MAP})
    assert {r["resource"]: r["n"] for r in u2os} == {"GO-CC": 776, "CORUM": 604, "HPA": 55}


def test_unmatched_assemblies_are_novel_without_a_best_match(built_store):
    rows = built_store.query(
        "MATCH (a:Assembly {map: $map}) WHERE a.bestMatch IS NULL "
        "OPTIONAL MATCH (a)-[r:ENRICHED_FOR]->() RETURN a.annotationCategory AS c, a.bestJaccard AS j, "
        "count(r) AS n", {"map": MAP})
    assert rows and all(r["c"] == "novel" and r["j"] == 0.0 and r["n"] == 0 for r in rows)


def test_go_cc_sets_propagate_to_ancestors_and_ignore_no_data_annotations(built_store):
    """PSMA1 (20S core) reaches GO:0000502 and the root; ADISSP's only CC annotation is ND to the root."""
    sets = go_cc_sets(built_store, {"PSMA1", "ADISSP"})
    assert "PSMA1" in sets["GO:0000502"] and "PSMA1" in sets["GO:0032991"] and "PSMA1" in sets["GO:0005575"]
    assert not any("ADISSP" in members for members in sets.values())
