"""Every query of the library on the full real graph: answers biologists know or the papers report, checked where
possible against the raw files (pandas/networkx), plus the parameter errors users see.

Queries reading analysis outputs (annotation, HiSig, association, multi-localization) use the ``analysed``
fixture, which fails if the default build did not write them.
"""

from __future__ import annotations

import random
import re

import networkx as nx
import pandas as pd
import pytest

from cellmap_kg.queries import reference as ref
from cellmap_kg.queries.registry import QueryParameterError, load_queries, run_query
from cellmap_kg.sources import DEFAULT_MAP as MAP

ROOT = f"{MAP}:Cluster0-0"
RNASE_P = f"{MAP}:Cluster3-65"          # C18orf21 with POP1, POP4, POP5, RPP30 (Schaffer et al. 2025)
ISGF3_DPP9 = f"{MAP}:Cluster2-77"       # DPP9 with STAT1, STAT2, IRF9
OTHER_HELPERS = {"predicted-links", "similar-proteins"}   # tested with the GNN


def q(store, name, **params):
    return run_query(store, name, **params)


def test_every_library_query_has_a_real_graph_test_here():
    tested = {name.split("test_", 1)[1].split("__")[0].replace("_", "-") for name in globals()
              if name.startswith("test_") and "__" in name}
    assert set(load_queries()) - OTHER_HELPERS <= tested


# ------------------------------------------------------------------------------------------------ proteins
def test_protein__dpp9_is_first_in_the_stat1_stat2_irf9_assembly(library_store):
    [row] = q(library_store, "protein", symbol="DPP9")
    assert (row["hgncId"], row["entrezId"], row["uniprot"]) == ("HGNC:18648", 91039, ["Q86TI2"])
    sizes = [a["size"] for a in row["assemblies"]]
    assert sizes == sorted(sizes)
    smallest = row["assemblies"][0]
    assert (smallest["id"], smallest["size"]) == (ISGF3_DPP9, 4)
    assert set(q(library_store, "assembly", id=smallest["id"])[0]["members"]) == {"DPP9", "STAT1", "STAT2", "IRF9"}
    bioplex_baits = [b for b in row["baits"] if b["dataset"] == "bioplex-3.0-hek293t"]
    assert bioplex_baits[0]["symbol"] == "DPP8" and bioplex_baits[0]["pInt"] > 0.999   # its paralogue
    assert [p["pInt"] for p in bioplex_baits] == sorted((p["pInt"] for p in bioplex_baits), reverse=True)
    assert {"id": "CORUM:7901", "name": "DPP9-NLRP1 complex"} in row["complexes"]
    assert {"compartment": "Cytosol", "vocabulary": "HPA", "grade": None, "main": True, "reliability": "Supported",
            "dataset": "hpa-subcellular-v21"} in row["localizations"]
    assert any(t["id"] == "GO:0005829" and "IDA" in t["evidence"] for t in row["goTerms"])   # cytosol


def test_protein__previous_symbol_finds_the_renamed_gene_and_unknown_gives_nothing(library_store):
    [row] = q(library_store, "protein", symbol="SEPT1")
    assert row["symbol"] == "SEPTIN1" and "SEPT1" in row["previousSymbols"]
    assert q(library_store, "protein", symbol="NOT-A-GENE") == []


@pytest.mark.parametrize(("name", "found"), [
    ("DPP9", [("DPP9", "approved")]),
    ("septin1", [("SEPTIN1", "case")]),                          # approved symbol in another letter case
    ("SEPT1", [("SEPTIN1", "previous")]),                        # HGNC previous symbol (renamed 2019)
    ("sept1", [("SEPTIN1", "previous")]),
    ("LFS1", [("TP53", "alias")]),
    ("p53", [("TP53", "alias")]),                                # alias in another letter case
    ("PNUTL3", [("SEPTIN1", "alias"), ("SEPTIN2", "alias")]),   # alias of two genes: one row each
    ("NOT-A-GENE", []),
])
def test_protein__names_resolve_case_insensitively_in_hgnc_order(library_store, name, found):
    rows = q(library_store, "protein", symbol=name)
    assert [(r["symbol"], r["resolvedBy"]) for r in rows] == found


def test_protein__labels_name_the_ap_ms_roles(library_store):
    [row] = q(library_store, "protein", symbol="DPP9")
    assert row["labels"] == ["Protein", "Bait", "Prey"]  # an OpenCell/BioPlex bait and a prey; one order everywhere


def test_protein_list__pages_in_symbol_order_with_the_total(library_store):
    total = library_store.counts()["nodes"]["Protein"]
    first = q(library_store, "protein-list", limit=5)
    second = q(library_store, "protein-list", offset=5, limit=5)
    symbols = [r["symbol"] for r in first + second]
    assert symbols == sorted(symbols) and len(set(symbols)) == 10
    assert {r["total"] for r in first + second} == {total}
    assert [r["symbol"] for r in q(library_store, "protein-list", offset=total - 2, limit=5)] == \
        [r["symbol"] for r in q(library_store, "protein-list", offset=total - 2, limit=2)]
    assert q(library_store, "protein-list", offset=total) == []


def test_assembly_list__the_u2os_map_as_in_the_nodes_file(library_store, reference):
    rows = q(library_store, "assembly-list", map=MAP, limit=1000)
    assert [r["id"] for r in rows] == sorted(reference.memberships) and rows[0]["total"] == 270
    assert {r["size"] for r in rows if r["id"] == RNASE_P} == {5}
    everything = q(library_store, "assembly-list", limit=1)
    assert everything[0]["total"] > 270                          # other maps too (CM4AI, NeST)
    picked = q(library_store, "assembly-list", ids=[RNASE_P, ROOT, "U2OS-2023-05:NoSuchCluster"])
    assert [r["id"] for r in picked] == [ROOT, RNASE_P] and picked[0]["total"] == 2


@pytest.mark.parametrize(("assembly", "offset", "limit"), [(RNASE_P, 0, 1000), (RNASE_P, 2, 2), (ROOT, 100, 50)])
def test_assembly_members__pages_as_in_the_nodes_file(library_store, reference, assembly, offset, limit):
    spec = load_queries()["assembly-members"]
    rows = q(library_store, "assembly-members", id=assembly, offset=offset, limit=limit)
    params = spec.bind({"id": assembly, "offset": offset, "limit": limit})
    assert ref.COMPARISONS["assembly-members"].from_rows(rows) == ref.raw_members(reference, params)
    assert q(library_store, "assembly-members", id="U2OS-2023-05:NoSuchCluster") == []


def test_assembly_members__carry_hgnc_ids(library_store):
    [row] = q(library_store, "assembly-members", id=RNASE_P)
    assert {m["symbol"]: m["hgncId"] for m in row["members"]}["POP1"] == "HGNC:30129"


@pytest.mark.parametrize("assembly", [RNASE_P, ISGF3_DPP9, ROOT])
def test_assembly_ancestry__depths_as_in_the_edges_file(library_store, reference, assembly):
    rows = q(library_store, "assembly-ancestry", id=assembly)
    assert ref.graph_ancestry(rows) == ref.raw_ancestry(reference, {"id": assembly})
    ids = {assembly} | {a["id"] for a in rows[0]["ancestors"] + rows[0]["descendants"]}
    expected = {(a, b) for a, b in reference.hierarchy.edges if a in ids and b in ids}
    assert {(e["parent"], e["child"]) for e in rows[0]["edges"]} == expected
    depths = [(a["depth"], a["id"]) for a in rows[0]["ancestors"]]
    assert depths == sorted(depths)
    assert q(library_store, "assembly-ancestry", id="U2OS-2023-05:NoSuchCluster") == []


def test_graph_build__names_the_loaded_sources_and_a_build_id(library_store):
    [row] = q(library_store, "graph-build")
    assert {"u2os-cellmap-2023-05", "opencell-2022", "bioplex-3.0-hek293t"} <= set(row["sources"])
    assert re.fullmatch(r"[0-9a-f]{32}", row["buildId"]) and row["startedAt"] <= row["finishedAt"]
    assert row["elements"] > 100_000


def test_every_map_default_of_the_library_is_the_declared_default_map():
    defaults = {(s.name, p.default) for s in load_queries().values() for n, p in s.parameters.items()
                if n == "map" and p.default}
    assert defaults and {d for _, d in defaults} == {MAP}


def test_protein__multi_localization_agrees_with_its_paths_to_the_root(analysed):
    [row] = q(analysed, "protein", symbol="DPP9")
    lineage = q(analysed, "assembly-lineage", symbol="DPP9")
    assert row["pathsToRoot"] == len(lineage) >= 2 and row["multiLocalized"] is True
    assert set(row["terminalAssemblies"]) == {r["terminal"] for r in lineage} == {ISGF3_DPP9, f"{MAP}:Cluster4-0"}


def test_interactors__opencell_psma1_pulls_down_the_proteasome_psma7_first(library_store, reference):
    raw = reference.apms[(reference.apms.bait == "PSMA1") & (reference.apms.dataset == "opencell-2022")]
    raw = raw.sort_values("stoichiometry", ascending=False)
    rows = q(library_store, "interactors", symbol="PSMA1", datasets=["opencell-2022"], role="prey")
    assert rows[0]["partner"] == raw.prey.iloc[0] == "PSMA7"
    assert rows[0]["interactionStoichiometry"] == pytest.approx(raw.stoichiometry.iloc[0])
    assert len(rows) == len(raw)
    stable = q(library_store, "interactors", symbol="PSMA1", datasets=["opencell-2022"], role="prey",
               minStoichiometry=1.0)
    assert {r["partner"] for r in stable} == set(raw[raw.stoichiometry >= 1.0].prey)


def test_interactors__roles_and_bioplex_threshold(library_store):
    rows = q(library_store, "interactors", symbol="PSMA1", datasets=["bioplex-3.0-hek293t"], minPInt=0.99)
    assert rows and all(r["pInt"] >= 0.99 for r in rows)
    assert {r["role"] for r in rows} <= {"prey", "bait"}
    baits = q(library_store, "interactors", symbol="PSMA1", datasets=["bioplex-3.0-hek293t"], minPInt=0.99,
              role="bait")
    assert baits == [r for r in rows if r["role"] == "bait"]
    assert "PSMA5" in {r["partner"] for r in baits}


def test_shared_interactors__c18orf21_shares_its_partners_with_rnase_p_mrp_subunits(library_store):
    rows = q(library_store, "shared-interactors", symbol="C18orf21")
    subunits = {"POP1", "POP4", "POP5", "POP7", "RPP14", "RPP21", "RPP25", "RPP25L", "RPP30", "RPP38", "RPP40"}
    assert len(subunits & {r["symbol"] for r in rows[:10]}) >= 4
    assert [r["shared"] for r in rows] == sorted((r["shared"] for r in rows), reverse=True)
    top = rows[0]
    neighbours = {r["partner"] for r in q(library_store, "interactors", symbol="C18orf21",
                                          datasets=["opencell-2022", "bioplex-3.0-hek293t"])}
    other = {r["partner"] for r in q(library_store, "interactors", symbol=top["symbol"],
                                     datasets=["opencell-2022", "bioplex-3.0-hek293t"])} - {top["symbol"]}
    assert set(top["sharedInteractors"]) == neighbours & other
    assert (top["interactors"], top["otherInteractors"]) == (len(neighbours), len(other))
    assert top["jaccard"] == pytest.approx(len(neighbours & other) / len(neighbours | other))
    assert top["direct"] == (top["symbol"] in neighbours)


def test_path_between__known_partners_are_one_link_apart(library_store):
    [dpp9] = q(library_store, "path-between", source="DPP9", target="IRF9")
    assert dpp9 == {"length": 1, "proteins": ["DPP9", "IRF9"],
                    "links": [[f"shared assembly {ISGF3_DPP9} (4 proteins)"]]}
    [rnase] = q(library_store, "path-between", source="C18orf21", target="POP1")
    assert rnase["length"] == 1
    assert "C18orf21 pulled down POP1 (bioplex-3.0-hek293t)" in rnase["links"][0]
    assert q(library_store, "path-between", source="DPP9", target="IRF9", useAssemblies=False)[0]["length"] > 1


def test_path_between__lengths_equal_networkx_shortest_paths(library_store):
    graph = nx.Graph()
    for r in library_store.query("MATCH (a:Protein)-[r:PULLED_DOWN]->(b:Protein) WHERE r.dataset IN $d "
                                 "RETURN a.symbol AS a, b.symbol AS b",
                                 {"d": ["opencell-2022", "bioplex-3.0-hek293t"]}):
        graph.add_edge(r["a"], r["b"])
    for r in library_store.query("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {map: $map}) WHERE a.size <= 20 "
                                 "RETURN a.id AS a, collect(p.symbol) AS members", {"map": MAP}):
        graph.add_edges_from((x, y) for i, x in enumerate(r["members"]) for y in r["members"][i + 1:])
    pairs = random.Random(7).sample(sorted(graph), 24)
    for source, target in zip(pairs[::2], pairs[1::2], strict=True):
        try:
            expected = nx.shortest_path_length(graph, source, target)
        except nx.NetworkXNoPath:
            expected = None
        rows = q(library_store, "path-between", source=source, target=target)
        assert (rows[0]["length"] if rows else None) == (expected if expected is not None and expected <= 4
                                                         else None), (source, target)
        for r in rows:
            assert all(graph.has_edge(a, b) for a, b in zip(r["proteins"], r["proteins"][1:], strict=False))
            assert len(r["links"]) == r["length"] and all(r["links"])


# ------------------------------------------------------------------------------------------------ assemblies
def test_assembly__rnase_p_assembly_with_c18orf21(library_store):
    [row] = q(library_store, "assembly", id=RNASE_P)
    assert row["members"] == ["C18orf21", "POP1", "POP4", "POP5", "RPP30"]
    assert (row["size"], row["map"], row["isRoot"]) == (5, MAP, False)
    assert [p["id"] for p in row["parents"]] == [f"{MAP}:Cluster2-36", f"{MAP}:Cluster3-4"]   # smallest first
    assert row["children"] == []
    assert q(library_store, "assembly", id="U2OS-2023-05:NoSuchCluster") == []


def test_assembly__annotation_size_and_enrichment_of_the_rnase_p_assembly(analysed):
    [row] = q(analysed, "assembly", id=RNASE_P)
    assert row["diameterNm"] == pytest.approx(10 ** (1.27 * 0.69897 - 0.31), rel=1e-3)   # log10(5) = 0.69897
    assert row["diameterNmLow"] < row["diameterNm"] < row["diameterNmHigh"]
    assert row["annotationCategory"] in {"known", "variant", "novel"}
    assert any("ribonuclease P" in (e["name"] or "") for e in row["enrichments"])
    fdrs = [e["fdr"] for e in row["enrichments"]]
    assert fdrs == sorted(fdrs) and all(f < 0.01 for f in fdrs)
    assert row["bestMatch"] in {e["id"] for e in row["enrichments"]} and row["bestMatchName"]


def test_assembly_lineage__c18orf21_paths_end_at_the_root_as_in_the_edges_file(library_store, reference):
    rows = q(library_store, "assembly-lineage", symbol="C18orf21")
    assert {tuple(r["path"]) for r in rows} == ref.raw_lineage(reference, {"symbol": "C18orf21"})
    assert len(rows) == 2
    assert all(r["path"][0] == RNASE_P and r["path"][-1] == ROOT and r["depth"] == len(r["path"]) - 1
               for r in rows)
    assert all(r["sizes"] == sorted(r["sizes"]) for r in rows)


def test_assembly_evidence__isgf3_dpp9_assembly_is_supported_by_bioplex_and_coembedding(library_store, reference):
    spec = load_queries()["assembly-evidence"]
    rows = q(library_store, "assembly-evidence", id=ISGF3_DPP9)
    members = {"DPP9", "STAT1", "STAT2", "IRF9"}
    assert all(r["source"] in members and r["target"] in members for r in rows)
    expected = ref.raw_evidence(reference, spec.bind({"id": ISGF3_DPP9}))
    assert {(a, b) for a, b, d in expected if d == "bioplex-3.0-hek293t"} == {
        (r["source"], r["target"]) for r in rows if r["dataset"] == "bioplex-3.0-hek293t"} != set()
    assert {(r["source"], r["target"], r["dataset"]) for r in rows if r["dataset"] in ref.RAW_DATASETS} == expected
    proximity = [r for r in rows if r["kind"] == "PROXIMAL_TO"]
    assert {frozenset((r["source"], r["target"])) for r in proximity} >= {frozenset(("STAT1", "STAT2"))}
    assert [r["cosine"] for r in proximity] == sorted((r["cosine"] for r in proximity), reverse=True)
    assert q(library_store, "assembly-evidence", id=ISGF3_DPP9, datasets=["u2os-coembedding-2022"]) == proximity
    assert q(library_store, "assembly-evidence", id=ISGF3_DPP9, kinds=["PROXIMAL_TO"]) == proximity


def test_multi_parent_assemblies__as_many_as_in_the_edges_file(library_store, reference):
    rows = q(library_store, "multi-parent-assemblies")
    hierarchy = reference.hierarchy
    expected = {child: set(hierarchy.predecessors(child)) for child in ref.raw_multi_parent(reference, {})}
    assert {r["id"]: set(r["parents"]) for r in rows} == expected and len(expected) == 22
    assert {f"{MAP}:Cluster2-36", f"{MAP}:Cluster3-4"} == {r["id"]: set(r["parents"]) for r in rows}[RNASE_P]


def test_multi_parent_assemblies__agree_with_the_analysis_flag(analysed):
    flagged = {r["id"] for r in analysed.query("MATCH (a:Assembly {map: $map}) WHERE a.multiParent = true "
                                                 "RETURN a.id AS id", {"map": MAP})}
    assert flagged == {r["id"] for r in q(analysed, "multi-parent-assemblies")}


def test_multi_localized_proteins__have_several_paths_to_the_root(analysed):
    rows = q(analysed, "multi-localized-proteins", limit=10000)
    assert rows and all(r["pathsToRoot"] >= 2 for r in rows)
    assert q(analysed, "multi-localized-proteins") == rows[:200]
    assert [r["pathsToRoot"] for r in rows] == sorted((r["pathsToRoot"] for r in rows), reverse=True)
    by_symbol = {r["symbol"]: r for r in rows}
    assert set(by_symbol["DPP9"]["terminalAssemblies"]) == {ISGF3_DPP9, f"{MAP}:Cluster4-0"}
    sample = rows[len(rows) // 2]
    assert len(q(analysed, "assembly-lineage", symbol=sample["symbol"])) == sample["pathsToRoot"]
    assert all(r["pathsToRoot"] >= 4 for r in q(analysed, "multi-localized-proteins", minPaths=4))


def test_novel_assemblies__categories_follow_the_best_jaccard(analysed):
    total = 0
    for category, (low, high) in {"novel": (0.0, 0.2), "variant": (0.2, 0.5), "known": (0.5, 1.0)}.items():
        rows = q(analysed, "novel-assemblies", category=category)
        assert all(low <= (r["bestJaccard"] or 0.0) <= high for r in rows), category
        assert [r["size"] for r in rows] == sorted((r["size"] for r in rows), reverse=True)
        total += len(rows)
    assert total == 270                                         # every assembly of the map, the root included
    novel = q(analysed, "novel-assemblies", maxSize=10)
    assert novel and all(r["size"] <= 10 and r["members"] for r in novel)


def test_unexpected_members__are_absent_from_the_best_matching_corum_complex(analysed):
    rows = q(analysed, "unexpected-members")
    assert rows and all(r["size"] < 50 for r in rows)
    corum = [r for r in rows if r["bestMatch"].startswith("CORUM:")]
    subunits = analysed.query("UNWIND $pairs AS pair MATCH (p:Protein {symbol: pair[0]})-[:SUBUNIT_OF]->"
                              "(c:Complex {id: pair[1]}) RETURN p.symbol AS s",
                              {"pairs": [[r["symbol"], r["bestMatch"]] for r in corum]})
    assert subunits == []
    one = rows[0]
    assert q(analysed, "unexpected-members", symbol=one["symbol"])[0]["symbol"] == one["symbol"]


def test_putative_functions__come_from_small_assemblies_of_poorly_characterized_proteins(analysed):
    rows = q(analysed, "putative-functions")
    assert rows and all(r["pubmedCount"] <= 10 for r in rows)
    sample = rows[:: max(1, len(rows) // 20)]
    for r in sample:
        [assembly] = q(analysed, "assembly", id=r["assembly"])
        assert r["symbol"] in assembly["members"] and assembly["size"] < 25
        assert r["goId"] in {e["id"] for e in assembly["enrichments"]}
    one = q(analysed, "putative-functions", symbol=rows[0]["symbol"])
    assert {r["symbol"] for r in one} == {rows[0]["symbol"]}


# ------------------------------------------------------------------------------------------------ tumours
def test_mutated_assemblies__respect_q_and_grow_with_it(analysed):
    rows = q(analysed, "mutated-assemblies")
    assert rows and all(r["q"] <= 0.4 for r in rows)
    everything = q(analysed, "mutated-assemblies", maxQ=1.0)
    assert len(everything) > len(rows)
    one_type = rows[0]["tumourType"]
    assert {r["tumourType"] for r in q(analysed, "mutated-assemblies", tumourType=one_type)} == {one_type}


def test_tumour_type_profile__lists_mutated_members_of_recurrently_mutated_assemblies(analysed):
    first = q(analysed, "mutated-assemblies")[0]
    rows = q(analysed, "tumour-type-profile", tumourType=first["tumourType"])
    assert {r["assembly"] for r in rows} <= {r["assembly"] for r in q(analysed, "mutated-assemblies",
                                                                           tumourType=first["tumourType"])}
    for r in rows:
        members = set(q(analysed, "assembly", id=r["assembly"])[0]["members"])
        assert r["mutatedProteins"] and {m["symbol"] for m in r["mutatedProteins"]} <= members
        assert all(m["tumours"] > 0 or (m["score"] or 0) > 0 for m in r["mutatedProteins"])


def test_uncharacterized_in_mutated_assemblies__hisig_rule(analysed):
    """Default: every tumour type of every cohort; each row names the type and its q."""
    recurrent = [r for r in q(analysed, "mutated-assemblies") if r["size"] <= 50]        # every tumour type
    assert {r["cohort"] for r in recurrent} == {"Groebner2018", "TCGA", "Ma2018"}
    q_of = {(r["assembly"], r["tumourType"]): r["q"] for r in recurrent}
    members = {a: q(analysed, "assembly", id=a)[0]["members"] for a in {r["assembly"] for r in recurrent}}
    pubmed = {s: q(analysed, "protein", symbol=s)[0]["pubmedCount"] for m in members.values() for s in m}
    anyone = q(analysed, "uncharacterized-in-mutated-assemblies", maxPublications=10 ** 6)
    assert {(r["assembly"], r["tumourType"], r["symbol"]) for r in anyone} == {
        (a, t, s) for a, t in q_of for s in members[a] if pubmed[s] is not None}
    assert all(r["q"] == q_of[(r["assembly"], r["tumourType"])] and r["selectionPressure"] > 0 for r in anyone)
    assert [r["q"] for r in anyone] == sorted(r["q"] for r in anyone)
    default = q(analysed, "uncharacterized-in-mutated-assemblies")
    assert default == [r for r in anyone if r["pubmedCount"] <= 10]
    pan = q(analysed, "uncharacterized-in-mutated-assemblies", tumourType="Groebner2018-pan-cancer",
            maxPublications=10 ** 6)
    assert pan and {r["tumourType"] for r in pan} == {"Groebner2018-pan-cancer"}
    assert {(r["assembly"], r["symbol"]) for r in pan} == {
        (r["assembly"], r["symbol"]) for r in anyone if r["tumourType"] == "Groebner2018-pan-cancer"}
    tcga = q(analysed, "uncharacterized-in-mutated-assemblies", cohort="TCGA")
    assert tcga == [r for r in default if r["cohort"] == "TCGA"]
    frequency = q(analysed, "uncharacterized-in-mutated-assemblies", rule="frequency")
    assert frequency and all(r["q"] is None and r["tumourType"] is None and r["frequency"] >= 0.02
                             for r in frequency)


# ------------------------------------------------------------------------------------------------ structures
def test_confident_interfaces__arp23_subunits_in_their_assembly(analysed):
    """ARPC1A-ARPC1B (pDockQ 0.449, 69 CB-CB contacts) in the smallest assembly holding both."""
    rows = q(analysed, "confident-interfaces")
    assert rows and all(r["pDockQ"] >= 0.23 for r in rows)
    assert [r["pDockQ"] for r in rows] == sorted((r["pDockQ"] for r in rows), reverse=True)
    assert len({r["model"] for r in rows}) == len(rows)                       # one row per model
    [arp] = [r for r in rows if r["model"] == "ARPC1A_ARPC1B"]
    assert (arp["proteinA"], arp["proteinB"], arp["interfaceContacts"]) == ("ARPC1A", "ARPC1B", 69)
    assert arp["pDockQ"] == pytest.approx(0.4491, abs=1e-4)
    holding = [a for a in q(analysed, "protein", symbol="ARPC1A")[0]["assemblies"] if a["id"].startswith(f"{MAP}:")
               and "ARPC1B" in q(analysed, "assembly", id=a["id"])[0]["members"]]
    assert arp["assembly"] == min(holding, key=lambda a: (a["size"], a["id"]))["id"]
    within = q(analysed, "confident-interfaces", assembly=arp["assembly"])
    assert "ARPC1A_ARPC1B" in {r["model"] for r in within} and {r["assembly"] for r in within} == {arp["assembly"]}
    assert q(analysed, "confident-interfaces", symbol="ARPC1B", minPDockQ=0.0)[0]["model"] == "ARPC1A_ARPC1B"
    assert len(q(analysed, "confident-interfaces", minPDockQ=0.0)) > len(rows)


# ------------------------------------------------------------------------------------------------ localization
def test_localization_discordance__finds_opencells_curated_hpa_discrepancies(library_store, data_dir):
    rows = q(library_store, "localization-discordance")
    found = {r["symbol"] for r in rows}
    curated = set(pd.read_csv(data_dir / "opencell/figures_repo/curated-OC-HPA-discrepant-targets.csv").Gene)
    both = {r["s"] for r in library_store.query(
        "MATCH (c:Compartment {vocabulary: 'OpenCell'})<-[:LOCALIZES_TO]-(p:Protein)-[:LOCALIZES_TO]->"
        "(:Compartment {vocabulary: 'HPA'}) RETURN DISTINCT p.symbol AS s")}
    recall = len(found & curated) / len(curated & both)
    base_rate = len(curated & both) / len(both)
    assert recall >= 0.8
    assert len(found & curated) / len(found) > 3 * base_rate
    for r in rows:
        assert r["openCell"] and r["hpa"]
    loose = q(library_store, "localization-discordance", hpaMainOnly=False, minGrade=1)
    assert len(loose) < len(rows)                    # more locations compared, fewer disagreements


def test_compartment_members__opencell_fibrillar_center_as_in_the_annotation_file(library_store, reference):
    rows = q(library_store, "compartment-members", compartment="nucleolus_fc_dfc")
    raw = reference.oc_annotations[reference.oc_annotations.annotation_name == "nucleolus_fc_dfc"]
    assert {(r["symbol"], r["grade"]) for r in rows} == set(zip(raw.symbol, raw.annotation_grade, strict=True))
    assert {"FBL", "DKC1", "GAR1", "NOP10"} <= {r["symbol"] for r in rows}
    assert [r["grade"] for r in rows] == sorted((r["grade"] for r in rows), reverse=True)
    for r in rows:
        assert r["assemblySizes"] == sorted(r["assemblySizes"]) and all(s <= 100 for s in r["assemblySizes"])
    assert {r["symbol"] for r in q(library_store, "compartment-members", compartment="nucleolus_fc_dfc",
                                   minGrade=3)} == set(raw[raw.annotation_grade == 3].symbol)


def test_compartment_members__hpa_reliability_filter(library_store):
    rows = q(library_store, "compartment-members", compartment="Nucleoli fibrillar center",
             reliabilities=["Enhanced"])
    assert rows and {r["reliability"] for r in rows} == {"Enhanced"} and {r["vocabulary"] for r in rows} == {"HPA"}
    assert [r["main"] for r in rows] == sorted((r["main"] for r in rows), reverse=True)


# ------------------------------------------------------------------------------------------------ GO and search
def test_go_term_proteins__proteasome_complex_with_descendants_as_in_gene2go(library_store, reference):
    rows = q(library_store, "go-term-proteins", goId="GO:0000502")
    by_symbol = {r["symbol"]: r for r in rows}
    assert {"PSMA1", "PSMB5", "PSMD1", "PSMC1"} <= set(by_symbol)
    assert "GO:0005839" in by_symbol["PSMA1"]["terms"] and by_symbol["PSMA1"]["direct"]   # proteasome core complex
    spec = load_queries()["go-term-proteins"]
    assert set(by_symbol) == ref.raw_go_term(reference, spec.bind({"goId": "GO:0000502"}))


def test_go_term_proteins__evidence_filter_keeps_only_those_codes(library_store):
    rows = q(library_store, "go-term-proteins", goId="GO:0000502", evidence=["IDA"])
    assert rows and all(r["evidence"] == ["IDA"] for r in rows)
    assert "PSMA1" in {r["symbol"] for r in rows}


def test_search__exact_symbol_alias_and_go_id_come_first(library_store):
    assert q(library_store, "search", text="DPP9")[0] | {"score": None} == {
        "label": "Protein", "key": "DPP9", "name": "dipeptidyl peptidase 9", "detail": "protein-coding",
        "score": None}
    assert q(library_store, "search", text="sept1")[0]["key"] == "SEPTIN1"
    assert q(library_store, "search", text="GO:0000502")[0]["key"] == "GO:0000502"
    rows = q(library_store, "search", text="ribonuclease P")
    assert {RNASE_P, "GO:0030677"} <= {r["key"] for r in rows}
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    only = q(library_store, "search", text="ribonuclease P", labels=["Assembly"], limit=3)
    assert len(only) == 3 and {r["label"] for r in only} == {"Assembly"}


class NoFulltext:
    """The store without its full-text search, as a backend lacking one: the query falls back to CONTAINS."""

    def __init__(self, store):
        self.store = store

    def fulltext_search_labels(self, labels, text, limit=20):
        raise NotImplementedError

    def query(self, *args, **kwargs):
        return self.store.query(*args, **kwargs)


def test_search__contains_fallback_finds_infixes_and_ranks_exact_first(library_store):
    plain = NoFulltext(library_store)
    rows = q(plain, "search", text="proteasome complex")
    assert rows[0]["key"] == "GO:0000502" and rows[0]["score"] >= 2
    infix = q(plain, "search", text="olymerase II", labels=["GOTerm"])
    assert infix and all("olymerase ii" in r["name"].lower() for r in infix)
    assert q(plain, "search", text="DPP9")[0]["key"] == "DPP9"



# ------------------------------------------------------------------------------------------------ maps
HEK = "OpenCell-HEK293T"
SWI_SNF = f"{MAP}:Cluster5-2"           # ARID1A, SMARCA4, SMARCB1, ... (the paediatric HiSig hit)


def test_maps__every_built_map_with_its_size_and_source(library_store):
    rows = {r["map"]: r for r in q(library_store, "maps")}
    assert {m: (r["assemblies"], r["proteins"], r["dataset"], r["cellLine"], r["added"]) for m, r in rows.items()
            if m in (MAP, HEK, "NeST")} == {
        MAP: (270, 5254, "u2os-cellmap-2023-05", "U2OS", False),
        HEK: (292, 2123, "opencell-communities-2021", "HEK293T", False),      # 291 communities + root
        "NeST": (131, 718, "cellmaps-hcx-examples", None, False)}


def _best_jaccard(store, assembly: str, other_map: str) -> tuple[float, str]:
    """Best Jaccard of ``assembly`` against every assembly of ``other_map`` (roots excluded), by set arithmetic."""
    rows = store.query("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly) WHERE a.id = $id OR "
                       "(a.map = $map AND a.isRoot = false) RETURN a.id AS id, collect(p.symbol) AS members",
                       {"id": assembly, "map": other_map})
    sets = {r["id"]: set(r["members"]) for r in rows}
    mine = sets.pop(assembly)
    return max((len(mine & s) / len(mine | s), b) for b, s in sets.items())


def test_assembly_counterparts__swi_snf_is_found_again_in_hek293t(library_store):
    rows = q(library_store, "assembly-counterparts", id=SWI_SNF)
    assert [(r["map"], r["overlap"], r["reciprocal"]) for r in rows] == [(HEK, 15, True)]
    jaccard, community = _best_jaccard(library_store, SWI_SNF, HEK)
    assert rows[0]["counterpart"] == community and rows[0]["jaccard"] == pytest.approx(jaccard) == 0.6
    members = set(q(library_store, "assembly", id=community)[0]["members"])
    assert {"ARID1A", "SMARCA4", "SMARCB1"} <= members


def test_conserved_assemblies__swi_snf_and_mediator_at_jaccard_half(library_store):
    rows = q(library_store, "conserved-assemblies")
    assert len(rows) == 4 and all(r["jaccard"] >= 0.5 and r["reciprocal"] for r in rows)
    assert SWI_SNF in {r["id"] for r in rows}
    mediator = next(r for r in rows if "Mediator" in (r["name"] or ""))
    assert mediator["overlap"] == 21


def test_map_specific_assemblies__rnase_p_has_no_hek293t_counterpart(library_store):
    rows = q(library_store, "map-specific-assemblies", minSize=1)
    assert len(rows) == 269 - 4 and all(r["jaccard"] is None or r["jaccard"] < 0.5 for r in rows)
    rnase_p = next(r for r in rows if r["id"] == RNASE_P)
    jaccard, community = _best_jaccard(library_store, RNASE_P, HEK)
    assert (rnase_p["bestMatch"], rnase_p["jaccard"]) == (community, pytest.approx(jaccard))
    assert 0 < rnase_p["measuredInOther"] <= rnase_p["size"]

# ------------------------------------------------------------------------------------------------ parameters
@pytest.mark.parametrize(("name", "params", "parameter", "message"), [
    ("protein", {}, "symbol", "missing required parameter 'symbol' (string)"),
    ("protein", {"symbl": "DPP9"}, "symbl", "did you mean 'symbol'?"),
    ("interactors", {"symbol": "PSMA1", "minPInt": "high"}, "minPInt", "expects float (probability), got 'high'"),
    ("interactors", {"symbol": "PSMA1", "role": "preys"}, "role", "one of 'both', 'prey', 'bait'"),
    ("novel-assemblies", {"category": "new"}, "category", "one of 'novel', 'variant', 'known'"),
    ("search", {"text": "x", "labels": ["Gene"]}, "labels", "one of 'Protein', 'Assembly', 'GOTerm'"),
    ("path-between", {"source": "DPP9", "target": "IRF9", "limit": 2.5}, "limit", "expects int (paths)"),
])
def test_bad_parameters_are_named(name, params, parameter, message):
    with pytest.raises(QueryParameterError) as err:
        load_queries()[name].bind(params)
    assert err.value.parameter == parameter and message in str(err.value)


def test_every_example_is_a_valid_binding_and_every_required_parameter_has_one():
    for spec in load_queries().values():
        required = {n for n, p in spec.parameters.items() if p.required}
        assert required <= set(spec.example), spec.name
        spec.example_parameters()


def test_cli_names_the_bad_parameter(capsys):
    from cellmap_kg.cli import main

    assert main(["query", "interactors", "--param", "symbol=PSMA1", "--param", "minPInt=high"]) == 1
    assert "parameter 'minPInt' expects float (probability), got 'high'" in capsys.readouterr().err
