"""Adding, removing and comparing maps in a graph: exact values on maps made here and on the toolkit's files;
atomicity (a failed add leaves nothing; the other maps are untouched)."""

from __future__ import annotations

import json

import pytest

from cellmap_kg.analyses.graph_io import AnalysisError
from cellmap_kg.analyses.registry import AnalysisOptions
from cellmap_kg.knowledge_graph import KnowledgeGraph
from cellmap_kg.loaders.hcx import load_hcx_examples
from cellmap_kg.maps import MapError, add_map, compare_maps, list_maps, remove_map
from cellmap_kg.maps.graph import STAGING_PREFIX
from cellmap_kg.queries.registry import run_query
from cellmap_kg.sources import source_of

FEW = AnalysisOptions(permutations=20)


def snapshot(store) -> dict:
    """Everything a map add/remove must leave as it was: per-map assemblies, memberships, CONTAINS, MATCHES and
    analysis results, the Protein properties of the multi-localization analysis, counts per label and type."""
    per_map = store.query(
        "MATCH (a:Assembly) OPTIONAL MATCH (p:Protein)-[m:MEMBER_OF]->(a) "
        "WITH a, count(m) AS members "
        "RETURN a.map AS map, count(a) AS assemblies, sum(members) AS memberships, "
        "collect(a.annotationCategory) AS categories, sum(a.diameterNm) AS diameters, "
        "sum(a.mutatedTumours) AS mutated, collect(a.multiParent) AS multiParent ORDER BY map")
    proteins = store.query("MATCH (p:Protein) WHERE p.multiLocalized = true RETURN count(p) AS n, "
                           "sum(p.pathsToRoot) AS paths")
    rels = store.query("MATCH (a:Assembly)-[r]->(b) RETURN a.map AS map, type(r) AS type, count(r) AS n "
                       "ORDER BY map, type")
    for row in per_map:
        row["categories"] = sorted(c for c in row["categories"] if c)
        row["multiParent"] = sorted(str(x) for x in row["multiParent"])
    return {"maps": per_map, "proteins": proteins, "rels": rels, "counts": store.counts()}


def hidef_files(tmp_path, nodes: list[tuple[str, list[str]]], edges: list[tuple[str, str]], stem: str = "toy"):
    """Write a HiDeF ``.nodes`` (persistence 5) and ``.edges`` pair; returns the ``.nodes`` path."""
    (tmp_path / f"{stem}.nodes").write_text("".join(f"{c}\t{len(g)}\t{' '.join(g)}\t5\n" for c, g in nodes))
    (tmp_path / f"{stem}.edges").write_text("".join(f"{p}\t{c}\tdefault\n" for p, c in edges))
    return tmp_path / f"{stem}.nodes"


# A 3-assembly hierarchy: root R over the proteasome 20S and 19S subunits, an alias (SEPT7 -> SEPTIN7) and a name
# no table knows; X and Y are children.
TOY = [("R", ["PSMA1", "PSMA4", "PSMB7", "PSMC1", "PSMC2", "PSMD14", "SEPT7", "NOTAGENE1"]),
       ("X", ["PSMA1", "PSMA4", "PSMB7"]),
       ("Y", ["PSMC1", "PSMC2", "PSMD14", "NOTAGENE1"])]
TOY_EDGES = [("R", "X"), ("R", "Y")]


def test_add_made_hierarchy_exact(map_store, resolver, data_dir, tmp_path):
    before = snapshot(map_store)
    path = hidef_files(tmp_path, TOY, TOY_EDGES)
    result = add_map(map_store, path, "toy-1", resolver=resolver, data_dir=data_dir, options=FEW)
    try:
        assert (result.format, result.member_source) == ("hidef", {"HiDeF .nodes genes": 3})
        assert (result.assemblies, result.contains, result.memberships, result.proteins) == (3, 2, 13, 7)
        assert result.unresolved == {"unknown gene": 2}           # NOTAGENE1 in R and in Y
        members = run_query(map_store, "assembly", id="toy-1:R")[0]["members"]
        assert "SEPTIN7" in members and "SEPT7" not in members and len(members) == 7
        assert {r["map"]: r["added"] for r in list_maps(map_store)}["toy-1"] is True
        details = json.loads(next(r for r in list_maps(map_store) if r["map"] == "toy-1")["details"])
        assert details["memberSource"] == {"HiDeF .nodes genes": 3} and details["unresolved"] == {"unknown gene": 2}
        # the map-level analyses ran on the new map (size: log10 d = 1.27 log10(3) - 0.31 for X)
        x = run_query(map_store, "assembly", id="toy-1:X")[0]
        assert x["diameterNm"] == pytest.approx(10 ** (1.27 * 0.47712125472 - 0.31))
        assert x["multiParent"] is False and x["annotationCategory"] in ("known", "variant", "novel")
        assert set(result.analyses) == {"annotation", "size", "multi-localization", "mutation-frequency", "hisig"}
        assert result.analyses["hisig"]["map"] == "toy-1" and result.analyses["size"]["assemblies"] == 3
        assert "toy-1" in json.dumps(result.analyses) and STAGING_PREFIX not in json.dumps(result.analyses)
    finally:
        removed = remove_map(map_store, "toy-1")
    assert removed["assemblies"] == 3
    assert snapshot(map_store) == before


def test_add_real_hcx_through_parent_interactome_leaves_other_maps(map_store, resolver, data_dir):
    """The toolkit's CM4AI example as a new map: HCX::members resolved through the interactome; the U2OS, NeST,
    CM4AI and HEK293T maps (with their analysis results) are unchanged by the add and by the remove."""
    before = snapshot(map_store)
    with KnowledgeGraph(map_store) as kg:
        hcx = source_of(load_hcx_examples).in_dir(data_dir)
        result = kg.add_map(hcx.path("cm4ai"), "CM4AI-copy", parent=hcx.path("cm4ai_parent"),
                            resolver=resolver, data_dir=data_dir, options=FEW)
        assert result.member_source == {"HCX::members": 8}
        assert (result.assemblies, result.contains, result.memberships, result.proteins) == (8, 8, 64, 23)
        after_add = snapshot(map_store)
        assert [m for m in after_add["maps"] if m["map"] != "CM4AI-copy"] == before["maps"]
        assert after_add["proteins"] == before["proteins"]
        copy = kg.query("assembly", id="CM4AI-copy:C23")[0]
        original = kg.query("assembly", id="CM4AI-MDA-MB-468:C23")[0]
        assert copy["members"] == original["members"] and len(copy["members"]) == 23
        kg.remove_map("CM4AI-copy")
    assert snapshot(map_store) == before


def test_failed_add_leaves_nothing(map_store, resolver, data_dir, tmp_path):
    before = snapshot(map_store)

    def fail():
        raise RuntimeError("injected failure before the commit")

    with pytest.raises(RuntimeError, match="injected"):
        add_map(map_store, hidef_files(tmp_path, TOY, TOY_EDGES), "toy-2", resolver=resolver, data_dir=data_dir,
                options=FEW, fail_after_staging=fail)
    assert snapshot(map_store) == before
    assert not map_store.query("MATCH (a:Assembly) WHERE a.map STARTS WITH '.staging.' RETURN a.id AS id")


def test_interrupted_staging_is_cleaned_by_the_next_add(map_store, resolver, data_dir, tmp_path):
    """A process killed while staging leaves ``.staging.<name>`` assemblies; the next add of the name removes
    them, and ``maps`` never lists them."""
    map_store.write_nodes("Assembly", [{"id": ".staging.toy-3:old", "map": ".staging.toy-3", "clusterId": "old",
                                        "size": 1, "isRoot": True}])
    assert "toy-3" not in {r["map"] for r in list_maps(map_store)}
    assert ".staging.toy-3" not in {r["map"] for r in list_maps(map_store)}
    add_map(map_store, hidef_files(tmp_path, TOY, TOY_EDGES), "toy-3", resolver=resolver, data_dir=data_dir,
            analyses=False)
    try:
        assert not map_store.query("MATCH (a:Assembly {map: '.staging.toy-3'}) RETURN a.id AS id")
        assert map_store.query("MATCH (a:Assembly {map: 'toy-3'}) RETURN count(a) AS n")[0]["n"] == 3
    finally:
        remove_map(map_store, "toy-3")


def test_add_errors(map_store, resolver, data_dir, tmp_path):
    path = hidef_files(tmp_path, TOY, TOY_EDGES)
    with pytest.raises(MapError, match="already has a map 'U2OS-2023-05'"):
        add_map(map_store, path, "U2OS-2023-05", resolver=resolver, analyses=False)
    with pytest.raises(MapError, match="map name 'a:b': expected"):
        add_map(map_store, path, "a:b", resolver=resolver, analyses=False)
    unknown = hidef_files(tmp_path, [("R", ["NOTAGENE1", "NOTAGENE2"])], [], stem="unknown")
    with pytest.raises(MapError, match=r"unknown\.nodes: no member of any assembly resolved .*'unknown gene': 2"):
        add_map(map_store, unknown, "toy-4", resolver=resolver, analyses=False)
    with pytest.raises(MapError, match="comes from a source declared in sources.yaml"):
        remove_map(map_store, "NeST")
    with pytest.raises(MapError, match="no map 'absent'"):
        remove_map(map_store, "absent")


def test_compare_exact_values_and_queries(map_store, resolver, data_dir, tmp_path):
    """Two made maps: every best match, its Jaccard and overlap, both directions, with provenance."""
    a = hidef_files(tmp_path, [("R", ["PSMA1", "PSMA4", "PSMB7", "PSMC1", "PSMC2", "PSMD14"]),
                               ("X", ["PSMA1", "PSMA4", "PSMB7"]), ("Y", ["PSMC1", "PSMC2", "PSMD14"])],
                    [("R", "X"), ("R", "Y")], stem="a")
    b = hidef_files(tmp_path, [("S", ["PSMA1", "PSMA4", "PSMB7", "PSMC1", "PSMD14", "STAT1"]),
                               ("P", ["PSMA1", "PSMA4"]), ("Q", ["PSMC1", "PSMD14", "STAT1"])],
                    [("S", "P"), ("S", "Q")], stem="b")
    add_map(map_store, a, "cmp-a", resolver=resolver, analyses=False)
    add_map(map_store, b, "cmp-b", resolver=resolver, analyses=False)
    try:
        summary = compare_maps(map_store, "cmp-a", "cmp-b")
        compare_maps(map_store, "cmp-a", "cmp-b")                     # re-running replaces, never duplicates
        rows = map_store.query("MATCH (x:Assembly)-[m:MATCHES]->(y:Assembly) WHERE x.map STARTS WITH 'cmp-' "
                               "RETURN x.clusterId AS s, y.clusterId AS t, m.jaccard AS j, m.overlap AS o, "
                               "m.dataset AS dataset, m.analysis AS analysis, m.sourceMap AS sm, "
                               "m.sharedProteins AS shared ORDER BY s")
        assert [(r["s"], r["t"], round(r["j"], 6), r["o"]) for r in rows] == [
            ("P", "X", round(2 / 3, 6), 2),            # {PSMA1, PSMA4} vs X: 2 / 3
            ("Q", "Y", 0.5, 2),                        # {PSMC1, PSMD14} of 4 proteins
            ("X", "P", round(2 / 3, 6), 2),
            ("Y", "Q", 0.5, 2)]                        # Y vs Q: 2 / 4; roots R and S are not compared
        assert {(r["dataset"], r["analysis"], r["shared"]) for r in rows} == {
            ("cellmap-kg-analyses", "map-comparison", False)}
        assert summary["cmp-a"]["bands"] == {"jaccard>=0.5": 2, "0.2<=jaccard<0.5": 0, "0<jaccard<0.2": 0, "none": 0}
        assert summary["reciprocal"] == 2 and summary["matches"] == 4
        conserved = run_query(map_store, "conserved-assemblies", map="cmp-a", otherMap="cmp-b", minJaccard=0.6)
        assert [(r["id"], r["match"], r["reciprocal"]) for r in conserved] == [("cmp-a:X", "cmp-b:P", True)]
        specific = run_query(map_store, "map-specific-assemblies", map="cmp-a", otherMap="cmp-b", minJaccard=0.6,
                             minSize=1)
        assert [(r["id"], r["bestMatch"], r["jaccard"], r["measuredInOther"]) for r in specific] == [
            ("cmp-a:Y", "cmp-b:Q", 0.5, 2)]
        counterparts = run_query(map_store, "assembly-counterparts", id="cmp-b:Q")
        assert [(r["map"], r["counterpart"], r["jaccard"], r["reciprocal"]) for r in counterparts] == [
            ("cmp-a", "cmp-a:Y", 0.5, True)]
        # PSMC2 is only in cmp-a, STAT1 only in cmp-b: without them Y and Q are both {PSMC1, PSMD14}
        shared = compare_maps(map_store, "cmp-a", "cmp-b", shared_proteins=True)
        assert shared["proteins"] == {"cmp-a": 6, "cmp-b": 6, "shared": 5}
        q = map_store.query("MATCH (:Assembly {id: 'cmp-b:Q'})-[m:MATCHES]->(y) RETURN y.id AS y, m.jaccard AS j, "
                            "m.sharedProteins AS shared")
        assert q == [{"y": "cmp-a:Y", "j": 1.0, "shared": True}]
    finally:
        remove_map(map_store, "cmp-b")
    assert not map_store.query("MATCH (:Assembly {map: 'cmp-a'})-[m:MATCHES]-() RETURN m")   # removed with cmp-b
    remove_map(map_store, "cmp-a")
    with pytest.raises(AnalysisError, match="no cell map 'cmp-a'"):
        compare_maps(map_store, "cmp-a", "U2OS-2023-05")


def test_u2os_against_hek293t_communities(map_store):
    """The real comparison: SWI/SNF (the smallest U2OS assembly with ARID1A, SMARCA4, SMARCB1) has an OpenCell
    HEK293T community as its reciprocal best match."""
    summary = compare_maps(map_store, "U2OS-2023-05", "OpenCell-HEK293T")
    assert summary["U2OS-2023-05"]["assemblies"] == 269 and summary["OpenCell-HEK293T"]["assemblies"] == 291
    swi_snf = map_store.query(
        "MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {map: 'U2OS-2023-05'}) "
        "WHERE p.symbol IN ['ARID1A', 'SMARCA4', 'SMARCB1'] WITH a, count(p) AS n WHERE n = 3 "
        "RETURN a.id AS id ORDER BY a.size LIMIT 1")[0]["id"]
    counterpart = run_query(map_store, "assembly-counterparts", id=swi_snf)
    assert len(counterpart) == 1 and counterpart[0]["reciprocal"] is True
    members = set(run_query(map_store, "assembly", id=counterpart[0]["counterpart"])[0]["members"])
    assert {"ARID1A", "SMARCA4", "SMARCB1"} <= members
    assert counterpart[0]["jaccard"] >= 0.5


def test_commit_refuses_a_name_added_meanwhile(map_store, resolver, data_dir, tmp_path):
    """Another add of the same name committing first: this one renames nothing and leaves no staged map."""
    def other_add_commits():
        map_store.write_nodes("Assembly", [{"id": "toy-5:other", "map": "toy-5", "clusterId": "other", "size": 1,
                                            "isRoot": True}])

    with pytest.raises(MapError, match="a map 'toy-5' was added while this one was being staged"):
        add_map(map_store, hidef_files(tmp_path, TOY, TOY_EDGES), "toy-5", resolver=resolver, analyses=False,
                fail_after_staging=other_add_commits)
    assert map_store.query("MATCH (a:Assembly) WHERE a.map IN ['toy-5', '.staging.toy-5'] RETURN a.id AS id") == [
        {"id": "toy-5:other"}]
    assert not map_store.query("MATCH (d:Dataset {id: 'user-map:toy-5'}) RETURN d.id AS id")
    map_store.query("MATCH (a:Assembly {map: 'toy-5'}) DETACH DELETE a")


def test_add_a_hidef_slice_of_the_u2os_map(map_store, resolver, u2os_slice):
    """The U2OS subtree under Cluster1-1 as a map of its own: the RNase P/MRP assembly keeps its five members and
    GPT-4 name, and the new map's assemblies match the U2OS originals with Jaccard 1."""
    path, names, nodes = u2os_slice
    result = add_map(map_store, path, "u2os-slice", names=names, resolver=resolver, analyses=False)
    try:
        assert result.assemblies == len(nodes) and result.member_source == {"HiDeF .nodes genes": len(nodes)}
        rnase = run_query(map_store, "assembly", id="u2os-slice:Cluster3-65")[0]
        assert rnase["members"] == ["C18orf21", "POP1", "POP4", "POP5", "RPP30"]
        assert rnase["name"] == run_query(map_store, "assembly", id="U2OS-2023-05:Cluster3-65")[0]["name"]
        summary = compare_maps(map_store, "u2os-slice", "U2OS-2023-05")
        assert summary["u2os-slice"]["bands"]["jaccard>=0.5"] == len(nodes) - 1      # every non-root assembly
        assert summary["u2os-slice"]["medianJaccard"] == 1.0
    finally:
        remove_map(map_store, "u2os-slice")
