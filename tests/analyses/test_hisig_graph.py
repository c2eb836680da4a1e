"""HiSig results in the full real graph (``built_store`` runs the default ``hisig`` analysis: paediatric pan-cohort,
1,000 permutations, seed 0) and the inputs the graph gives HiSig."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from cellmap_kg.analyses import hisig_cache, hisig_graph
from cellmap_kg.analyses.hisig import MAX_MUTATED_PROTEINS, hisig, mutation_signal
from cellmap_kg.analyses.hisig_cache import HisigCache
from cellmap_kg.analyses.hisig_graph import (
    PAN_CANCER,
    HisigRun,
    fit_runs,
    ma2018_runs,
    paediatric_runs,
    tcga_runs,
)

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


def test_ma2018_inputs_from_the_graph(graph_store):
    """Ma et al. 2018: N_obs = samples with a P/LP alteration (Table S2), signal log2(N_obs + 1)."""
    runs = {r.tumour_type: r for r in ma2018_runs(graph_store)}
    assert sorted(runs) == ["Ma2018-AML", "Ma2018-B-ALL", "Ma2018-NBL", "Ma2018-OS", "Ma2018-T-ALL", "Ma2018-WT",
                            "Ma2018-pan-cancer"]
    b_all = runs["Ma2018-B-ALL"]
    assert b_all.counts["NRAS"] == 104 and b_all.scores["NRAS"] == pytest.approx(6.714246, abs=1e-6)  # log2(105)
    assert runs["Ma2018-pan-cancer"].counts["NRAS"] == 165 and b_all.scores.attrs["expected"] is False
    assert runs["Ma2018-OS"].counts["TP53"] == 53


def test_hisig_ran_on_every_cohort(graph_store):
    """The default build's HiSig runs: 1 + 19 Groebner 2018, 13 TCGA, 7 Ma 2018 tumour types, each testing the
    U2OS assemblies (all 269 but the root, fewer when the cap of 50 mutated proteins applies)."""
    rows = graph_store.query(
        "MATCH (a:Assembly {map: 'U2OS-2023-05'})-[r:RECURRENTLY_MUTATED_IN]->(t:TumourType) "
        "RETURN t.cohort AS cohort, r.analysis AS analysis, count(DISTINCT t) AS types, count(r) AS tested, "
        "max(r.permutations) AS permutations ORDER BY cohort, analysis")
    by = {(r["cohort"], r["analysis"]): r for r in rows}
    assert {k: v["types"] for k, v in by.items()} == {("Groebner2018", "hisig"): 1,
                                                      ("Groebner2018", "hisig-types"): 19,
                                                      ("Ma2018", "hisig-ma2018"): 7, ("TCGA", "hisig-tcga"): 13}
    assert by[("Ma2018", "hisig-ma2018")]["tested"] == 7 * TESTED
    assert 13 * 240 < by[("TCGA", "hisig-tcga")]["tested"] < 13 * TESTED
    assert {r["permutations"] for r in rows} == {PERMUTATIONS}


# ------------------------------------------------------------------------------------------------ fit_runs
@pytest.fixture(scope="module")
def three_runs(u2os_memberships, proteasome_assembly, swi_snf_assembly) -> list[HisigRun]:
    """Score 2 on one assembly's genes (the proteasome, SWI/SNF) or on 3 genes of each: three tumour types."""
    def run(name: str, genes: list[str]) -> HisigRun:
        return HisigRun(name, mutation_signal(pd.Series(3, index=genes)))
    proteasome, swi_snf = sorted(u2os_memberships[proteasome_assembly]), sorted(u2os_memberships[swi_snf_assembly])
    return [run("P", proteasome), run("S", swi_snf), run("PS", proteasome[:3] + swi_snf[:3])]


def test_runs_fitted_side_by_side_equal_runs_fitted_alone_and_report_in_order(u2os_memberships, three_runs):
    seen: list[str] = []
    together = fit_runs(u2os_memberships, three_runs, 60, 0, n_jobs=2, progress=seen.append)
    assert seen == ["P", "S", "PS"] and list(together) == seen
    for run in three_runs:
        table, attrs, reason = together[run.tumour_type]
        alone = hisig(u2os_memberships, run.scores, n_permutations=60, seed=0, n_jobs=1,
                      max_mutated_proteins=MAX_MUTATED_PROTEINS)
        assert reason is None and attrs == alone.attrs
        pd.testing.assert_frame_equal(table, alone, check_exact=True)
    assert together["P"][0].System_name.iloc[0] != together["S"][0].System_name.iloc[0]


def test_runs_side_by_side_share_the_cache_and_count_every_fit(tmp_path, u2os_memberships, three_runs):
    cache, reread = HisigCache(tmp_path), HisigCache(tmp_path)
    first = fit_runs(u2os_memberships, three_runs, 20, 0, n_jobs=2, cache=cache)
    again = fit_runs(u2os_memberships, three_runs, 20, 0, n_jobs=2, cache=reread)
    assert (cache.computed, cache.reused, reread.computed, reread.reused) == (3, 0, 0, 3)
    assert len(list((tmp_path / "hisig").glob("*.json"))) == 3                     # no temporary file left
    for name, (table, _, _) in first.items():
        pd.testing.assert_frame_equal(again[name][0], table, check_exact=True)


def test_an_error_in_one_run_is_raised_and_the_runs_not_started_are_cancelled(monkeypatch, tmp_path,
                                                                              u2os_memberships, three_runs):
    started, cancelled = [], threading.Event()
    runs = [HisigRun(f"{r.tumour_type}{i}", r.scores.copy()) for i in range(4) for r in three_runs]

    def failing(memberships, gene_scores, **settings):
        started.append(1)
        if gene_scores is runs[0].scores:
            raise OSError("disk full")      # the first run fails at once; a run started meanwhile waits
        cancelled.wait()                     # until fit_runs has cancelled the runs not started
        return hisig(memberships, gene_scores, **settings)

    class Pool(ThreadPoolExecutor):
        def shutdown(self, wait=True, *, cancel_futures=False):
            super().shutdown(wait, cancel_futures=cancel_futures)
            if cancel_futures:
                cancelled.set()

    monkeypatch.setattr(hisig_cache, "hisig", failing)
    monkeypatch.setattr(hisig_graph, "ThreadPoolExecutor", Pool)
    seen: list[str] = []
    with pytest.raises(OSError, match="disk full"):
        fit_runs(u2os_memberships, runs, 20, 0, n_jobs=2, progress=seen.append, cache=HisigCache(tmp_path))
    assert seen == [] and len(started) <= 3 < len(runs)     # the failed run, and one per thread at most
