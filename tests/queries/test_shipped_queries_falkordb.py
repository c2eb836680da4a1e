"""The shipped queries that read analysis outputs, on an embedded FalkorDB holding a small graph made to prove each
filter (the same queries are checked on the full real graph in test_library.py)."""

import pytest

from cellmap_kg.queries.registry import run_query
from cellmap_kg.store import open_store, stop_embedded

MAP = "U2OS-2023-05"
FLAGSHIP = "uncharacterized-in-mutated-assemblies"
PAN = "Groebner2018-pan-cancer"  # the paediatric pan-cohort type (the flagship's default asks every type)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    uri = f"falkordb://{tmp_path_factory.mktemp('queries') / 'store'}"
    store = open_store(uri)
    store.write_nodes("Protein", [
        {"symbol": "LOWPUB", "pubmedCount": 10, "multiLocalized": True, "pathsToRoot": 3,
         "terminalAssemblies": [f"{MAP}:B", f"{MAP}:D"]},       # exactly at maxPublications: kept
        {"symbol": "ZEROPUB", "pubmedCount": 0, "multiLocalized": False, "pathsToRoot": 1,
         "terminalAssemblies": [f"{MAP}:B"]},
        {"symbol": "STUDIED", "pubmedCount": 11, "multiLocalized": True, "pathsToRoot": 2,
         "terminalAssemblies": [f"{MAP}:E", f"{MAP}:B"]},       # one article too many
        {"symbol": "NOTINGENE"},                               # no PubMed count: left out
    ])
    store.write_nodes("Assembly", [
        {"id": f"{MAP}:A", "map": MAP, "name": "at threshold", "size": 50, "mutationFrequency": 0.02,
         "annotationCategory": "novel", "bestJaccard": 0.1},
        {"id": f"{MAP}:B", "map": MAP, "name": "frequent", "size": 3, "mutationFrequency": 0.2,
         "annotationCategory": "known", "bestMatch": "GO:1", "bestJaccard": 0.6},
        {"id": f"{MAP}:C", "map": MAP, "name": "too large", "size": 51, "mutationFrequency": 0.5,
         "annotationCategory": "novel"},
        {"id": f"{MAP}:D", "map": MAP, "name": "too rare", "size": 3, "mutationFrequency": 0.019,
         "annotationCategory": "novel", "bestJaccard": 0.0},
        {"id": f"{MAP}:E", "map": MAP, "name": "not analysed", "size": 3},
        {"id": "OTHER:B", "map": "OTHER", "name": "other map", "size": 3, "mutationFrequency": 0.9},
    ])
    store.write_relationships("MEMBER_OF", [
        {"source": p, "target": a, "unexpected": p == "ZEROPUB" and a == f"{MAP}:B"}
        for p in ("LOWPUB", "ZEROPUB", "STUDIED", "NOTINGENE")
        for a in (f"{MAP}:A", f"{MAP}:B", f"{MAP}:C", f"{MAP}:D", f"{MAP}:E", "OTHER:B")])
    store.write_nodes("TumourType", [{"name": PAN, "cohort": "Groebner2018"},
                                     {"name": "MB_SHH", "cohort": "Groebner2018"},
                                     {"name": "TCGA-BRCA", "cohort": "TCGA"}])
    store.write_relationships("RECURRENTLY_MUTATED_IN", [
        {"source": f"{MAP}:A", "target": PAN, "q": 0.4, "selectionPressure": 0.2, "p": 0.01},   # at maxQ: kept
        {"source": f"{MAP}:B", "target": PAN, "q": 0.41, "selectionPressure": 0.9, "p": 0.02},  # just above
        {"source": f"{MAP}:B", "target": "MB_SHH", "q": 0.05, "selectionPressure": 0.5, "p": 0.001},
        {"source": f"{MAP}:C", "target": PAN, "q": 0.01, "selectionPressure": 0.3, "p": 0.001},  # too large
        {"source": f"{MAP}:D", "target": "TCGA-BRCA", "q": 0.1, "selectionPressure": 0.4, "p": 0.001},
        {"source": f"{MAP}:D", "target": PAN, "q": 0.01, "selectionPressure": 0.0, "p": 0.001},   # no pressure
    ])
    store.write_nodes("Tumour", [
        {"id": "T1", "cohort": "Groebner2018", "tumourType": "MB_SHH", "mutationProfiled": True},
        {"id": "T2", "cohort": "Groebner2018", "tumourType": "MB_SHH", "mutationProfiled": True},
        {"id": "T3", "cohort": "Groebner2018", "tumourType": "ATRT", "mutationProfiled": True},
        {"id": "T4", "cohort": "Groebner2018", "tumourType": "MB_SHH", "mutationProfiled": False}])  # not counted
    store.write_relationships("OF_TYPE", [{"source": t, "target": "MB_SHH"} for t in ("T1", "T2", "T4")])
    mutations = [("T1", "LOWPUB", "non-silent SNV/indel"), ("T2", "LOWPUB", "non-silent SNV/indel"),
                 ("T3", "LOWPUB", "non-silent SNV/indel"), ("T1", "ZEROPUB", "structural/copy-number"),
                 ("T4", "LOWPUB", "non-silent SNV/indel")]
    store.write_nodes("Mutation", [{"id": f"{t}:{g}:{k}", "kind": k, "gene": g, "tumour": t} for t, g, k in mutations])
    store.write_relationships("HAS_MUTATION", [{"source": t, "target": f"{t}:{g}:{k}"} for t, g, k in mutations])
    store.write_relationships("AFFECTS", [{"source": f"{t}:{g}:{k}", "target": g} for t, g, k in mutations])
    store.write_relationships("MUTATION_SCORE", [{"source": "TCGA-BRCA", "target": "STUDIED", "score": 0.7},
                                                 {"source": "TCGA-BRCA", "target": "ZEROPUB", "score": 0.0}])
    store.write_nodes("GOTerm", [{"id": "GO:1", "name": "ribonuclease P complex", "namespace": "cellular_component"},
                                 {"id": "GO:2", "name": "tRNA processing", "namespace": "biological_process"}])
    store.write_relationships("PUTATIVE_FUNCTION", [
        {"source": "ZEROPUB", "target": "GO:1", "assembly": f"{MAP}:B", "assemblyName": "frequent", "score": 0.6},
        {"source": "ZEROPUB", "target": "GO:2", "assembly": f"{MAP}:B", "assemblyName": "frequent", "score": 0.3},
        {"source": "STUDIED", "target": "GO:1", "assembly": f"{MAP}:B", "assemblyName": "frequent", "score": 0.6},
    ])
    yield store
    store.close()
    stop_embedded(uri)


def pairs(rows):
    return [(r["assembly"], r["symbol"]) for r in rows]


def test_frequency_rule_applies_every_filter(store):
    rows = run_query(store, FLAGSHIP, rule="frequency")
    assert pairs(rows) == [(f"{MAP}:B", "LOWPUB"), (f"{MAP}:B", "ZEROPUB"), (f"{MAP}:A", "LOWPUB"),
                           (f"{MAP}:A", "ZEROPUB")]
    assert rows[0] == {"assembly": f"{MAP}:B", "name": "frequent", "size": 3, "frequency": 0.2, "q": None,
                       "selectionPressure": None, "symbol": "LOWPUB", "pubmedCount": 10, "cohort": None,
                       "tumourType": None}


def test_frequency_rule_parameters_change_the_answer(store):
    rows = run_query(store, FLAGSHIP, rule="frequency", map="OTHER", maxPublications="0")
    assert [(r["assembly"], r["symbol"], r["frequency"]) for r in rows] == [("OTHER:B", "ZEROPUB", 0.9)]
    rows = run_query(store, FLAGSHIP, rule="frequency", minFrequency=0.01, maxSize=51, maxPublications=11)
    assert {r["assembly"] for r in rows} == {f"{MAP}:A", f"{MAP}:B", f"{MAP}:C", f"{MAP}:D"}
    assert {r["symbol"] for r in rows} == {"LOWPUB", "ZEROPUB", "STUDIED"}


def test_hisig_rule_keeps_q_up_to_max_q_in_the_pan_cohort_type(store):
    rows = run_query(store, FLAGSHIP, tumourType=PAN)
    assert pairs(rows) == [(f"{MAP}:A", "LOWPUB"), (f"{MAP}:A", "ZEROPUB")]
    assert (rows[0]["q"], rows[0]["selectionPressure"]) == (0.4, 0.2)
    assert pairs(run_query(store, FLAGSHIP, tumourType=PAN, maxQ=0.41)) == [
        (f"{MAP}:A", "LOWPUB"), (f"{MAP}:A", "ZEROPUB"), (f"{MAP}:B", "LOWPUB"), (f"{MAP}:B", "ZEROPUB")]
    assert pairs(run_query(store, FLAGSHIP, tumourType="MB_SHH")) == [(f"{MAP}:B", "LOWPUB"), (f"{MAP}:B", "ZEROPUB")]
    assert pairs(run_query(store, FLAGSHIP, tumourType=PAN, maxSize=51, maxQ=0.01)) == [
        (f"{MAP}:C", "LOWPUB"), (f"{MAP}:C", "ZEROPUB")]
    assert pairs(run_query(store, FLAGSHIP, tumourType=PAN, maxQ=0.01)) == []  # D: q 0.01, no selection pressure


def test_mutated_assemblies_by_type_and_q(store):
    rows = run_query(store, "mutated-assemblies")
    assert [(r["tumourType"], r["assembly"]) for r in rows] == [          # D in PAN: q 0.01 but no pressure
        (PAN, f"{MAP}:C"), (PAN, f"{MAP}:A"), ("MB_SHH", f"{MAP}:B"), ("TCGA-BRCA", f"{MAP}:D")]
    assert [r["assembly"] for r in run_query(store, "mutated-assemblies", tumourType="MB_SHH", maxQ=0.01)] == []


def test_tumour_type_profile_counts_tumours_of_the_type_or_of_the_cohort(store):
    [shh] = run_query(store, "tumour-type-profile", tumourType="MB_SHH")
    assert shh["assembly"] == f"{MAP}:B"
    assert shh["mutatedProteins"] == [{"symbol": "LOWPUB", "tumours": 2, "score": None}]   # T3: ATRT, T4: unprofiled
    with_cnv = run_query(store, "tumour-type-profile", tumourType="MB_SHH",
                         kinds=["non-silent SNV/indel", "structural/copy-number"])[0]["mutatedProteins"]
    assert with_cnv == [{"symbol": "LOWPUB", "tumours": 2, "score": None},
                        {"symbol": "ZEROPUB", "tumours": 1, "score": None}]
    pan = run_query(store, "tumour-type-profile", tumourType=PAN)             # no tumours of its own: the cohort
    assert [r["assembly"] for r in pan] == [f"{MAP}:C", f"{MAP}:A"]              # by q
    assert pan[1]["mutatedProteins"] == [{"symbol": "LOWPUB", "tumours": 3, "score": None}]
    [brca] = run_query(store, "tumour-type-profile", tumourType="TCGA-BRCA")
    assert brca["mutatedProteins"] == [{"symbol": "STUDIED", "tumours": 0, "score": 0.7}]   # score 0 left out


def test_unexpected_members_and_putative_functions(store):
    [row] = run_query(store, "unexpected-members")
    assert (row["assembly"], row["symbol"], row["bestMatch"]) == (f"{MAP}:B", "ZEROPUB", "GO:1")
    assert run_query(store, "unexpected-members", symbol="LOWPUB") == []
    rows = run_query(store, "putative-functions")
    assert [(r["symbol"], r["goId"], r["score"]) for r in rows] == [("ZEROPUB", "GO:1", 0.6),
                                                                    ("ZEROPUB", "GO:2", 0.3)]  # STUDIED: 11
    assert len(run_query(store, "putative-functions", maxPublications=11)) == 3
    assert run_query(store, "putative-functions", symbol="LOWPUB") == []


def test_novel_assemblies_and_multi_localized_proteins(store):
    assert [r["id"] for r in run_query(store, "novel-assemblies")] == [f"{MAP}:C", f"{MAP}:A", f"{MAP}:D"]
    assert [r["id"] for r in run_query(store, "novel-assemblies", maxSize=50, minSize=4)] == [f"{MAP}:A"]
    [known] = run_query(store, "novel-assemblies", category="known")
    assert (known["id"], known["bestMatch"], known["members"]) == (f"{MAP}:B", "GO:1",
                                                                   ["LOWPUB", "NOTINGENE", "STUDIED", "ZEROPUB"])
    assert run_query(store, "novel-assemblies", minSize=51)[0]["members"] is None    # > 30 proteins
    rows = run_query(store, "multi-localized-proteins")
    assert [(r["symbol"], r["pathsToRoot"]) for r in rows] == [("LOWPUB", 3), ("STUDIED", 2)]
    assert rows[1]["terminalAssemblies"] == [f"{MAP}:B", f"{MAP}:E"]                 # smallest first, then id
    assert [r["symbol"] for r in run_query(store, "multi-localized-proteins", minPaths=3)] == ["LOWPUB"]
