"""HiSig results in the full real graph (``built_store`` runs the default ``hisig`` analysis: paediatric pan-cohort,
1,000 permutations, seed 0) and the inputs the graph gives HiSig."""

from __future__ import annotations

import pytest

from cellmap_kg.analyses.hisig_graph import PAN_CANCER, paediatric_runs, tcga_runs

PERMUTATIONS = 1000
TESTED = 269                                          # every U2OS assembly but the root


def test_swi_snf_is_recurrently_mutated_in_about_4_percent_of_paediatric_tumours(built_store, graph_swi_snf):
    rows = built_store.query(
        "MATCH (a:Assembly)-[r:RECURRENTLY_MUTATED_IN]->(t:TumourType {name: $pan}) WHERE r.q <= 0.4 "
        "RETURN a.id AS id, r.p AS p, r.q AS q, r.frequency AS frequency, r.mutatedProteins AS mutated, "
        "r.selectionPressure AS pressure, r.permutations AS permutations, r.seed AS seed, "
        "r.expectedCounts AS expected, r.dataset AS dataset, r.analysis AS analysis", {"pan": PAN_CANCER})
    assert [r["id"] for r in rows] == [graph_swi_snf]            # the only recurrently mutated assembly
    r = rows[0]
    assert r["frequency"] == pytest.approx(37 / 879)              # 4.2% (ARID1A, SMARCA4, SMARCB1)
    assert r["p"] == pytest.approx(1 / (PERMUTATIONS + 1))         # no permutation reached its selection pressure
    assert r["q"] == pytest.approx(TESTED / (PERMUTATIONS + 1))    # 0.269 <= 0.4
    assert r["mutated"] == 3 and r["pressure"] == pytest.approx(0.758, abs=1e-3)
    assert (r["permutations"], r["seed"], r["expected"]) == (PERMUTATIONS, 0, False)
    assert (r["dataset"], r["analysis"]) == ("cellmap-kg-analyses", "hisig")


def test_every_tested_assembly_is_written_with_valid_p_values(built_store):
    row = built_store.query(
        "MATCH (a:Assembly)-[r:RECURRENTLY_MUTATED_IN]->(t:TumourType {name: $pan}) "
        "RETURN count(r) AS n, count(DISTINCT a) AS assemblies, min(r.p) AS minP, max(r.p) AS maxP, "
        "sum(CASE WHEN r.q < r.p THEN 1 ELSE 0 END) AS qBelowP", {"pan": PAN_CANCER})[0]
    assert (row["n"], row["assemblies"]) == (TESTED, TESTED)
    assert row["minP"] >= 1 / (PERMUTATIONS + 1) * (1 - 1e-12)           # FalkorDB returns 15 significant digits
    assert row["maxP"] <= 1 and row["qBelowP"] == 0
    pan = built_store.query("MATCH (t:TumourType {name: $pan}) RETURN t.cohort AS c, t.tumourCount AS n",
                            {"pan": PAN_CANCER})
    assert pan == [{"c": "Groebner2018", "n": 879}]


def test_frequency_agrees_with_the_mutation_frequency_analysis(built_store):
    """Two computations of the pan-cohort frequency: HiSig's (Python, from the mutations it reads) and the
    mutation-frequency analysis (Cypher, Assembly.mutationFrequency)."""
    rows = built_store.query(
        "MATCH (a:Assembly)-[r:RECURRENTLY_MUTATED_IN]->(:TumourType {name: $pan}) "
        "RETURN a.id AS id, r.frequency AS hisig, a.mutationFrequency AS cypher", {"pan": PAN_CANCER})
    assert sum(r["hisig"] > 0 for r in rows) >= 40
    assert all(r["hisig"] == pytest.approx(r["cypher"]) for r in rows)


def test_paediatric_inputs_from_the_graph(built_store):
    pan, per_type, excluded = paediatric_runs(built_store)
    assert pan.tumour_type == PAN_CANCER and pan.tumours == 879
    assert pan.counts["SMARCA4"] == 19 and pan.counts["ARID1A"] == 11 and pan.counts["SMARCB1"] == 9
    assert pan.scores["SMARCA4"] == pytest.approx(4.321928, abs=1e-6)          # log2(19 + 1)
    assert pan.scores.attrs["expected"] is False
    assert excluded == {"ACC": 8, "EPD_ST": 10, "ETMR": 11, "EWS": 14, "T-ALL": 9}   # < 15 profiled tumours
    sizes = {r.tumour_type: r.tumours for r in per_type}
    assert len(sizes) == 19 and sizes["MB_Group4"] == 104 and sizes["ATRT"] == 18
    assert {r.tumour_type: r for r in per_type}["ATRT"].counts["SMARCB1"] == 7


def test_tcga_inputs_from_the_graph(built_store):
    runs = {r.tumour_type: r for r in tcga_runs(built_store)}
    assert len(runs) == 13 and "TCGA-BRCA" in runs
    brca = runs["TCGA-BRCA"].scores
    assert (brca > 0).all() and brca["A1CF"] == pytest.approx(0.509)         # absent genes are score 0
    assert [r.tumour_type for r in tcga_runs(built_store, ["TCGA-OV"])] == ["TCGA-OV"]
