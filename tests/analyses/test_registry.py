"""The analysis registry and the run contract on a small real graph of our own (U2OS map, CORUM, paediatric
tumours): re-running replaces earlier results, parameters and provenance are recorded, p-values are reproducible
for a fixed seed, missing inputs are clear errors. ``cellmap-kg analyze`` runs on the same store."""

from __future__ import annotations

import argparse
import json

import pytest

from cellmap_kg.analyses.annotation_graph import BEST_PROPERTIES
from cellmap_kg.analyses.cli import register
from cellmap_kg.analyses.graph_io import ANALYSES_DATASET, AnalysisError, MissingInputError, clear_properties
from cellmap_kg.analyses.hisig_graph import recurrent_by_tumour_type, recurrent_pan_cancer, recurrent_tcga
from cellmap_kg.analyses.multilocalization_graph import localize_proteins
from cellmap_kg.analyses.registry import (
    ANALYSES,
    DEFAULT_ANALYSES,
    AnalysisOptions,
    resolve_names,
    run_analyses,
    run_default_analyses,
)
from cellmap_kg.build import build
from cellmap_kg.store import open_store, stop_embedded

MAP = "U2OS-2023-05"
SOURCES = ["u2os-cellmap-2023-05", "corum-2022-11-28", "groebner-2018"]
RUN = ["annotation", "size", "multi-localization", "association", "hisig"]


@pytest.fixture(scope="module")
def small(data_dir, tmp_path_factory):
    """``(store, uri)``: a graph of the U2OS map, CORUM and the paediatric cohort only (~7 s), analyses not run."""
    uri = f"falkordb://{tmp_path_factory.mktemp('small-kg') / 'store'}"
    store = open_store(uri)
    build(store, data_dir, only=SOURCES, analyses=False)
    yield store, uri
    store.close()
    stop_embedded(uri)


def snapshot(store) -> dict:
    """Counts of everything the analyses write."""
    one = {
        "enriched": "MATCH ()-[r:ENRICHED_FOR]->() RETURN count(r) AS n",
        "recurrent": "MATCH ()-[r:RECURRENTLY_MUTATED_IN]->() RETURN count(r) AS n",
        "functions": "MATCH ()-[r:PUTATIVE_FUNCTION]->() RETURN count(r) AS n",
        "unexpected": "MATCH ()-[m:MEMBER_OF]->() WHERE m.unexpected RETURN count(m) AS n",
        "expected": "MATCH ()-[m:MEMBER_OF]->() WHERE m.unexpected = false RETURN count(m) AS n",
        "multiLocalized": "MATCH (p:Protein) WHERE p.multiLocalized RETURN count(p) AS n",
        "localized": "MATCH (p:Protein) WHERE p.pathsToRoot IS NOT NULL RETURN count(p) AS n",
        "sized": "MATCH (a:Assembly) WHERE a.diameterNmHigh IS NOT NULL RETURN count(a) AS n",
        "categories": "MATCH (a:Assembly) WHERE a.annotationCategory IS NOT NULL RETURN count(a) AS n",
    }
    return {k: store.query(q)[0]["n"] for k, q in one.items()}


def test_default_names_run_hisig_on_every_cohort():
    assert resolve_names(None) == DEFAULT_ANALYSES == ["annotation", "size", "multi-localization", "association",
                                                       "mutation-frequency", "map-comparison", "hisig", "hisig-types",
                                                       "hisig-tcga", "hisig-ma2018", "structures"]
    assert resolve_names(["all"]) == list(ANALYSES)
    assert resolve_names(["hisig", "annotation"]) == ["annotation", "hisig"]           # registry order
    with pytest.raises(KeyError, match="unknown analysis"):
        resolve_names(["annotation", "enrichment"])


def test_association_needs_the_annotation(small):
    store, _ = small
    clear_properties(store, "Assembly", BEST_PROPERTIES, MAP)
    with pytest.raises(AnalysisError, match="cellmap-kg analyze annotation"):
        run_analyses(store, ["association"])


def test_rerunning_replaces_the_previous_results(small, data_dir):
    store, _ = small
    options = AnalysisOptions(data_dir=data_dir, permutations=20, seed=1)
    first = run_analyses(store, RUN, options)
    counts = snapshot(store)
    assert counts == {"enriched": 604, "recurrent": 269, "functions": 0,                  # no GO in this graph
                      "unexpected": counts["unexpected"], "expected": counts["expected"],
                      "multiLocalized": 1346, "localized": 5254, "sized": 270, "categories": 270}
    assert counts["unexpected"] > 0 and counts["expected"] > 0
    assert first["annotation"][MAP]["enrichedFor"] == {"CORUM": 604}
    assert first["multi-localization"]["multiLocalizedPercent"] == 25.6
    again = run_analyses(store, RUN, options)
    assert snapshot(store) == counts
    assert again["hisig"]["runs"] == first["hisig"]["runs"]
    runs = json.loads(store.query("MATCH (d:Dataset {id: $id}) RETURN d.parameters AS p",
                                  {"id": ANALYSES_DATASET})[0]["p"])
    assert set(RUN) <= set(runs)
    assert runs["hisig"]["parameters"]["permutations"] == 20 and runs["hisig"]["parameters"]["seed"] == 1
    assert runs["multi-localization"]["summary"]["multiLocalized"] == 1346


def test_a_new_parameter_replaces_every_relationship_of_the_analysis(small):
    store, _ = small
    recurrent_pan_cancer(store, permutations=10, seed=2)
    rows = store.query("MATCH ()-[r:RECURRENTLY_MUTATED_IN]->() RETURN r.permutations AS n, r.seed AS seed, "
                       "count(r) AS c")
    assert rows == [{"n": 10, "seed": 2, "c": 269}]


def pan_p_values(store) -> dict[str, float]:
    rows = store.query("MATCH (a:Assembly)-[r:RECURRENTLY_MUTATED_IN]->(:TumourType {name: 'Groebner2018-pan-cancer'})"
                       " RETURN a.id AS id, r.p AS p")
    return {r["id"]: r["p"] for r in rows}


def test_permutation_p_values_are_reproducible_for_a_fixed_seed(small):
    store, _ = small
    recurrent_pan_cancer(store, permutations=30, seed=3)
    first = pan_p_values(store)
    recurrent_pan_cancer(store, permutations=30, seed=3, n_jobs=1)
    assert pan_p_values(store) == first
    assert min(first.values()) >= 1 / 31 * (1 - 1e-12) and len(first) == 269     # FalkorDB returns 15 digits
    recurrent_pan_cancer(store, permutations=30, seed=4)
    assert pan_p_values(store) != first


def test_threads_give_the_same_results_as_one(small):
    store, _ = small
    parallel = recurrent_by_tumour_type(store, permutations=5, seed=0, n_jobs=2)
    rows = store.query("MATCH ()-[r:RECURRENTLY_MUTATED_IN]->(t:TumourType) WHERE r.analysis = 'hisig-types' "
                       "RETURN t.name AS t, collect(r.p) AS p ORDER BY t")
    serial = recurrent_by_tumour_type(store, permutations=5, seed=0, n_jobs=1)
    again = store.query("MATCH ()-[r:RECURRENTLY_MUTATED_IN]->(t:TumourType) WHERE r.analysis = 'hisig-types' "
                        "RETURN t.name AS t, collect(r.p) AS p ORDER BY t")
    assert serial["runs"] == parallel["runs"] and len(parallel["runs"]) == 19
    assert [(r["t"], sorted(r["p"])) for r in rows] == [(r["t"], sorted(r["p"])) for r in again]
    assert parallel["excludedTypes"] == {"ACC": 8, "EPD_ST": 10, "ETMR": 11, "EWS": 14, "T-ALL": 9}


def test_missing_inputs_are_clear_errors(small):
    store, _ = small
    with pytest.raises(AnalysisError, match="no cell map 'U2OS-2030'.*U2OS-2023-05"):
        localize_proteins(store, "U2OS-2030")
    with pytest.raises(AnalysisError, match="tcga-hisig-scores"):
        recurrent_tcga(store, permutations=5)


def test_the_build_skips_analyses_whose_inputs_are_missing(tmp_path):
    """A build of some sources only must not fail in its analyses: those lacking inputs say why they did not run."""
    uri = f"falkordb://{tmp_path / 'proteins-only'}"
    store = open_store(uri)
    store.write_nodes("Protein", [{"symbol": "TP53", "pubmedCount": 10000}])
    try:
        summaries = run_default_analyses(store)
        assert summaries["annotation"] == {"seconds": summaries["annotation"]["seconds"]}       # no map: nothing
        for name in ("size", "multi-localization", "hisig", "hisig-ma2018", "structures"):
            assert "skipped" in summaries[name], name
        assert "no cell map 'U2OS-2023-05'" in summaries["hisig"]["skipped"]
        with pytest.raises(MissingInputError, match="no Assembly nodes"):
            run_analyses(store, ["size"])
    finally:
        store.close()
        stop_embedded(uri)


def analyze(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cellmap-kg")
    register(parser.add_subparsers())
    args = parser.parse_args(["analyze", *argv])
    return args.func(args)


def test_analyze_command_prints_each_summary(small, data_dir, capsys):
    _, uri = small
    assert analyze(["multi-localization", "size", "--store", uri, "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "multi-localization (" in out and "multiLocalizedPercent: 25.6" in out and "multiParent: 22" in out
    assert out.index("size (") < out.index("multi-localization (")                       # registry order
    assert "not run: annotation, association, mutation-frequency, map-comparison, hisig, hisig-types, hisig-tcga, " \
           "hisig-ma2018, structures" in out
    assert analyze(["size", "--store", uri, "--format", "json", "--data", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["size"]["assemblies"] == 270


def test_analyze_command_rejects_bad_arguments(small, capsys):
    _, uri = small
    assert analyze(["sizes", "--store", uri]) == 2
    assert "unknown analysis ['sizes']" in capsys.readouterr().err
    assert analyze(["hisig", "--permutations", "0", "--store", uri]) == 2
    assert analyze(["multi-localization", "--map", "nope", "--store", uri]) == 1
    assert "no cell map 'nope'" in capsys.readouterr().err
