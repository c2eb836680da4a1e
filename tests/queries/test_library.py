"""Every query of the library on the full real graph: answers biologists know or the papers report, checked where
possible against the raw files (pandas/networkx), plus the parameter errors users see.

Queries reading analysis outputs (annotation, HiSig, association, multi-localization) use the ``analysed``
fixture, which fails if the default build did not write them.
"""

from __future__ import annotations

import random

import networkx as nx
import pandas as pd
import pytest

from cellmap_kg.loaders.cellmap import U2OS_EDGES
from cellmap_kg.queries.registry import QueryParameterError, load_queries, run_query

MAP = "U2OS-2023-05"
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


def test_protein__multi_localization_agrees_with_its_paths_to_the_root(analysed):
    [row] = q(analysed, "protein", symbol="DPP9")
    lineage = q(analysed, "assembly-lineage", symbol="DPP9")
    assert row["pathsToRoot"] == len(lineage) >= 2 and row["multiLocalized"] is True
    assert set(row["terminalAssemblies"]) == {r["terminal"] for r in lineage} == {ISGF3_DPP9, f"{MAP}:Cluster4-0"}


def test_interactors__opencell_psma1_pulls_down_the_proteasome_psma7_first(library_store, data_dir):
    raw = pd.read_csv(data_dir / "opencell/opencell-protein-interactions.csv")
    raw = raw[raw.target_gene_name == "PSMA1"].sort_values("interaction_stoichiometry", ascending=False)
    rows = q(library_store, "interactors", symbol="PSMA1", datasets=["opencell-2022"], role="prey")
    assert rows[0]["partner"] == raw.interactor_gene_name.iloc[0] == "PSMA7"
    assert rows[0]["interactionStoichiometry"] == pytest.approx(raw.interaction_stoichiometry.iloc[0])
    assert len(rows) == len(raw)
    stable = q(library_store, "interactors", symbol="PSMA1", datasets=["opencell-2022"], role="prey",
               minStoichiometry=1.0)
    assert {r["partner"] for r in stable} == set(raw[raw.interaction_stoichiometry >= 1.0].interactor_gene_name)


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


def test_assembly_lineage__c18orf21_paths_end_at_the_root_as_in_the_edges_file(library_store, data_dir):
    rows = q(library_store, "assembly-lineage", symbol="C18orf21")
    edges = pd.read_csv(data_dir / U2OS_EDGES, sep="\t", header=None)
    hierarchy = nx.DiGraph(list(zip(edges[0], edges[1], strict=True)))
    expected = sorted([f"{MAP}:{a}" for a in reversed(path)]
                      for path in nx.all_simple_paths(hierarchy, "Cluster0-0", "Cluster3-65"))
    assert sorted(r["path"] for r in rows) == expected
    assert all(r["path"][0] == RNASE_P and r["path"][-1] == ROOT and r["depth"] == len(r["path"]) - 1
               for r in rows)
    assert all(r["sizes"] == sorted(r["sizes"]) for r in rows)


def test_assembly_evidence__isgf3_dpp9_assembly_is_supported_by_bioplex_and_coembedding(library_store, data_dir):
    rows = q(library_store, "assembly-evidence", id=ISGF3_DPP9)
    members = {"DPP9", "STAT1", "STAT2", "IRF9"}
    assert all(r["source"] in members and r["target"] in members for r in rows)
    bioplex = pd.read_csv(data_dir / "bioplex/BioPlex_293T_Network_10K_Dec_2019.tsv", sep="\t")
    among = bioplex[bioplex.SymbolA.isin(members) & bioplex.SymbolB.isin(members)]
    assert {frozenset(p) for p in zip(among.SymbolA, among.SymbolB, strict=True)} == {
        frozenset((r["source"], r["target"])) for r in rows if r["dataset"] == "bioplex-3.0-hek293t"}
    proximity = [r for r in rows if r["kind"] == "PROXIMAL_TO"]
    assert {frozenset((r["source"], r["target"])) for r in proximity} >= {frozenset(("STAT1", "STAT2"))}
    assert [r["cosine"] for r in proximity] == sorted((r["cosine"] for r in proximity), reverse=True)
    assert q(library_store, "assembly-evidence", id=ISGF3_DPP9, datasets=["u2os-coembedding-2022"]) == proximity


def test_multi_parent_assemblies__as_many_as_in_the_edges_file(library_store, data_dir):
    rows = q(library_store, "multi-parent-assemblies")
    edges = pd.read_csv(data_dir / U2OS_EDGES, sep="\t", header=None)
    parents = edges.groupby(1)[0].apply(set)
    expected = {f"{MAP}:{child}": {f"{MAP}:{p}" for p in ps} for child, ps in parents.items() if len(ps) > 1}
    assert {r["id"]: set(r["parents"]) for r in rows} == expected
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


def test_compartment_members__opencell_fibrillar_center_as_in_the_annotation_file(library_store, data_dir):
    rows = q(library_store, "compartment-members", compartment="nucleolus_fc_dfc")
    raw = pd.read_csv(data_dir / "opencell/figures_repo/2021-09-29-public-annotations-flat.csv")
    raw = raw[raw.annotation_name == "nucleolus_fc_dfc"]
    assert {(r["symbol"], r["grade"]) for r in rows} == set(zip(raw.target_name, raw.annotation_grade, strict=True))
    assert {"FBL", "DKC1", "GAR1", "NOP10"} <= {r["symbol"] for r in rows}
    assert [r["grade"] for r in rows] == sorted((r["grade"] for r in rows), reverse=True)
    for r in rows:
        assert r["assemblySizes"] == sorted(r["assemblySizes"]) and all(s <= 100 for s in r["assemblySizes"])
    assert {r["symbol"] for r in q(library_store, "compartment-members", compartment="nucleolus_fc_dfc",
                                   minGrade=3)} == set(raw[raw.annotation_grade == 3].target_name)


def test_compartment_members__hpa_reliability_filter(library_store):
    rows = q(library_store, "compartment-members", compartment="Nucleoli fibrillar center",
             reliabilities=["Enhanced"])
    assert rows and {r["reliability"] for r in rows} == {"Enhanced"} and {r["vocabulary"] for r in rows} == {"HPA"}
    assert [r["main"] for r in rows] == sorted((r["main"] for r in rows), reverse=True)


# ------------------------------------------------------------------------------------------------ GO and search
def test_go_term_proteins__proteasome_complex_with_descendants_as_in_gene2go(library_store, data_dir):
    rows = q(library_store, "go-term-proteins", goId="GO:0000502")
    by_symbol = {r["symbol"]: r for r in rows}
    assert {"PSMA1", "PSMB5", "PSMD1", "PSMC1"} <= set(by_symbol)
    assert "GO:0005839" in by_symbol["PSMA1"]["terms"] and by_symbol["PSMA1"]["direct"]   # proteasome core complex
    parents = pd.read_csv(data_dir / "go/GO.db_go-basic_2022-07-01_parents.tsv", sep="\t")
    parents = parents[parents.relationship.isin(["is_a", "part_of"])]
    ontology = nx.DiGraph(list(zip(parents.child, parents.parent, strict=True)))
    terms = nx.ancestors(ontology, "GO:0000502") | {"GO:0000502"}
    gene2go = pd.read_csv(data_dir / "go/org.Hs.eg.db_2022-09-12_human_gene2go.tsv", sep="\t")
    genes = [int(g) for g in set(gene2go[gene2go.go_id.isin(terms)].gene_id)]
    expected = library_store.query("UNWIND $genes AS g MATCH (p:Protein {entrezId: g}) RETURN p.symbol AS s",
                                   {"genes": genes})
    assert set(by_symbol) == {r["s"] for r in expected}


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

    def fulltext_search(self, label, text, limit=20):
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
