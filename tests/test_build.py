"""The full build on real data: known biology is in the graph, the flagship answer matches an independent pandas
computation, a failed build leaves the previous graph intact, and skipped input is reported."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
import pytest

from cellmap_kg.build import BuildError, build
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.cellmap import load_u2os_cellmap
from cellmap_kg.loaders.tumours import load_groebner2018
from cellmap_kg.queries.registry import run_query
from cellmap_kg.sources import source_of
from cellmap_kg.store import open_store, stop_embedded

MAP = "U2OS-2023-05"
NODES = source_of(load_u2os_cellmap).file("nodes").path
S9, S21 = (source_of(load_groebner2018).file(key).path for key in ("smg_matrix", "lfe_matrix"))


def members(store, assembly_id: str) -> set[str]:
    rows = store.query("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {id: $id}) RETURN p.symbol AS s",
                       {"id": assembly_id})
    return {r["s"] for r in rows}


def test_cluster3_65_is_the_rnase_p_mrp_assembly_with_c18orf21(built_store):
    assert {"C18orf21", "POP1", "POP4", "POP5", "RPP30"} <= members(built_store, f"{MAP}:Cluster3-65")


def test_dpp9_shares_a_four_protein_assembly_with_the_isgf3_complex(built_store):
    rows = built_store.query(
        "MATCH (:Protein {symbol: 'DPP9'})-[:MEMBER_OF]->(a:Assembly {map: $map}) WHERE a.size = 4 "
        "RETURN a.id AS id", {"map": MAP})
    assert rows, "DPP9 is in no 4-protein assembly"
    assert any(members(built_store, r["id"]) == {"DPP9", "STAT1", "STAT2", "IRF9"} for r in rows)


def test_borcs6_and_itpa_sit_in_the_rag_ragulator_assembly(built_store):
    rows = built_store.query(
        "MATCH (:Protein {symbol: 'BORCS6'})-[:MEMBER_OF]->(a:Assembly {map: $map})"
        "<-[:MEMBER_OF]-(:Protein {symbol: 'ITPA'}) "
        "RETURN a.id AS id, a.size AS size ORDER BY a.size LIMIT 1", {"map": MAP})
    assert rows
    assert {"LAMTOR1", "RRAGC", "SLC38A9"} <= members(built_store, rows[0]["id"])


def test_every_relationship_carries_its_dataset(built_store):
    rows = built_store.query("MATCH ()-[r]->() WHERE r.dataset IS NULL RETURN type(r) AS t, count(r) AS n")
    assert rows == [], rows
    datasets = {r["id"] for r in built_store.query("MATCH (d:Dataset) RETURN d.id AS id")}
    used = {r["d"] for r in built_store.query("MATCH ()-[r]->() RETURN DISTINCT r.dataset AS d")}
    assert used <= datasets | {"cellmap-kg-analyses"}


def test_bait_and_prey_labels_from_the_pull_downs(built_store):
    rows = built_store.query("MATCH (b:Bait {symbol: 'AAMP'})-[r:PULLED_DOWN {dataset: 'opencell-2022'}]->"
                             "(p:Prey {symbol: 'ARGLU1'}) RETURN r.pValue AS p")
    assert rows and rows[0]["p"] == pytest.approx(5.49591367434085)  # -log10 p, first data row of the file


def test_unresolved_symbols_are_reported_not_dropped(built_store):
    reports = {r.source: r for r in built_store.build_result.reports}
    skipped = sum(sum(r.skipped.values()) for r in reports.values())
    assert skipped > 0
    reasons = " ".join(reason for r in reports.values() for reason in r.skipped)
    assert "unknown" in reasons or "ambiguous" in reasons


def _pandas_flagship(data_dir, resolver, min_frequency=0.02, max_size=50, max_publications=10):
    """The flagship answer computed from the raw files with pandas alone (symbols mapped by the resolver)."""
    def approved(symbol):
        return resolver.resolve(symbol).symbol

    assemblies = {}
    for line in open(data_dir / NODES, encoding="utf-8"):
        cid, size, genes, _ = line.rstrip("\n").split("\t")
        assemblies[cid] = (int(size), {approved(g) for g in genes.split()} - {None})
    s9 = pd.read_csv(data_dir / S9, sep="\t", index_col=0)
    s9 = s9.drop(columns=["Biological Process"])
    s9.columns = [c[:-2] if c.endswith(".0") else c for c in s9.columns]
    profiled = set(s9.columns)
    mutated = s9.astype(float).gt(0)
    s21 = pd.read_csv(data_dir / S21, sep="\t", index_col=0, dtype=str)
    s21.columns = [c[:-2] if c.endswith(".0") else c for c in s21.columns]
    hits: dict[str, set[str]] = {}
    for gene, row in mutated.iterrows():
        hits.setdefault(approved(gene), set()).update(row.index[row.values])
    for gene, row in s21.iterrows():
        tumours = {t for t, v in row.items() if str(v).strip() == "M" and t in profiled}
        if approved(gene):
            hits.setdefault(approved(gene), set()).update(tumours)
    pubmed = {s: g["pubmedCount"] for s, g in resolver.genes.items()}
    answer = set()
    for cid, (size, genes) in assemblies.items():
        tumours = set().union(*(hits.get(g, set()) for g in genes))
        freq = len(tumours) / len(profiled)
        if freq >= min_frequency and size <= max_size:
            answer |= {(f"{MAP}:{cid}", g) for g in genes if g in pubmed and pubmed[g] <= max_publications}
    return answer


def test_flagship_answer_matches_pandas_and_thresholds(built_store, data_dir, resolver):
    rows = run_query(built_store, "uncharacterized-in-mutated-assemblies", rule="frequency")
    assert rows, "the flagship query returned nothing"
    for r in rows:
        assert r["frequency"] >= 0.02 and r["size"] <= 50 and r["pubmedCount"] <= 10
    got = {(r["assembly"], r["symbol"]) for r in rows}
    assert got == _pandas_flagship(data_dir, resolver)


def test_flagship_thresholds_are_parameters(built_store):
    loose = run_query(built_store, "uncharacterized-in-mutated-assemblies", rule="frequency", maxPublications=50)
    strict = run_query(built_store, "uncharacterized-in-mutated-assemblies", rule="frequency", maxPublications=2)
    assert len(strict) < len(loose)
    assert all(r["pubmedCount"] <= 2 for r in strict)


SMALL = ["u2os-cellmap-2023-05", "groebner-2018"]


@pytest.fixture
def small_store(tmp_path):
    uri = f"falkordb://{tmp_path / 'store'}"
    store = open_store(uri)
    yield store
    store.close()
    stop_embedded(uri)


def test_build_twice_gives_identical_counts(small_store, data_dir):
    first = build(small_store, data_dir, only=SMALL, analyses=False).counts
    second = build(small_store, data_dir, only=SMALL, analyses=False).counts
    assert first == second
    assert first["nodes"]["Assembly"] == 270


def test_failed_build_leaves_previous_graph_queryable(small_store, data_dir, tmp_path):
    build(small_store, data_dir, only=SMALL, analyses=False)
    before = small_store.counts()
    corrupt = tmp_path / "data"
    shutil.copytree(data_dir / "u2os_cellmap_draft", corrupt / "u2os_cellmap_draft")
    shutil.copytree(data_dir / "pediatric_cancer", corrupt / "pediatric_cancer")
    for sub in ("hgnc", "ncbi_gene"):
        (corrupt / sub).symlink_to(data_dir / sub)
    s9 = corrupt / S9
    lines = s9.read_text().splitlines()
    lines[5] = lines[5].replace("\t0\t", "\tnot-a-count\t", 1)
    s9.write_text("\n".join(lines) + "\n")
    with pytest.raises((DataFormatError, BuildError)) as err:
        build(small_store, corrupt, only=SMALL, analyses=False)
    assert "groebner2018_S9_smg_mutation_matrix.tsv:6" in str(err.value)
    assert small_store.counts() == before
    assert members(small_store, f"{MAP}:Cluster3-65") >= {"C18orf21", "POP1"}


def test_the_staging_store_is_prepared_while_the_files_parse(small_store, data_dir, monkeypatch):
    """``store.staging()`` (for the project's Neo4j: starting a second server) runs beside parsing, not after it:
    here it is entered while the loaders still run, and the loaders wait for it to be entered."""
    import cellmap_kg.build as build_module

    parsing, entered, finished = threading.Event(), threading.Event(), threading.Event()
    seen = {}
    run_loaders, staging = build_module.run_loaders, type(small_store).staging

    def slow_loaders(*args, **kwargs):
        parsing.set()
        seen["entered while parsing"] = entered.wait(timeout=30)
        try:
            return run_loaders(*args, **kwargs)
        finally:
            finished.set()

    def recording_staging(self):
        entered.set()
        seen["parse finished first"] = finished.is_set()
        return staging(self)

    monkeypatch.setattr(build_module, "run_loaders", slow_loaders)
    monkeypatch.setattr(type(small_store), "staging", recording_staging)
    result = build(small_store, data_dir, only=SMALL, analyses=False)
    assert seen == {"entered while parsing": True, "parse finished first": False}
    assert list(result.timings) == ["parse", "validate", "staging", "write", "analyses", "promote"]
    assert result.counts["nodes"]["Assembly"] == 270


def test_the_build_runs_with_its_collector_thresholds_and_restores_them(small_store, data_dir, monkeypatch):
    """While the loaders run the garbage collector has ``GC_THRESHOLDS``; after the build, here a failed one, the
    caller's thresholds are back."""
    import gc

    import cellmap_kg.build as build_module

    seen = []

    def failing_loaders(*args, **kwargs):
        seen.append(gc.get_threshold())
        raise BuildError("loader failed on purpose")

    monkeypatch.setattr(build_module, "run_loaders", failing_loaders)
    callers = gc.get_threshold()
    gc.set_threshold(701, 11, 12)
    try:
        with pytest.raises(BuildError, match="on purpose"):
            build(small_store, data_dir, only=SMALL, analyses=False)
        assert gc.get_threshold() == (701, 11, 12)
    finally:
        gc.set_threshold(*callers)
    assert seen == [build_module.GC_THRESHOLDS] == [(200_000, 30, 30)]
