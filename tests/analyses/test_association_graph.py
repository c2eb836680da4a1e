"""Putative functions and unexpected members in the full real graph (``built_store`` runs the default analyses)."""

from __future__ import annotations

import pytest

MAP = "U2OS-2023-05"


def test_dhrs12_inherits_the_tfiiic_complex_from_its_assembly(built_store):
    rows = built_store.query(
        "MATCH (p:Protein {symbol: 'DHRS12'})-[r:PUTATIVE_FUNCTION]->(t:GOTerm) RETURN t.id AS term, r.score AS score, "
        "r.fdr AS fdr, r.assembly AS assembly, r.assemblyName AS name, r.dataset AS dataset, r.analysis AS analysis, "
        "r.maxPubmed AS maxPubmed, r.maxAssemblySize AS maxSize ORDER BY score DESC, term")
    assert [r["term"] for r in rows] == ["GO:0000127", "GO:0090576"]      # TFIIIC, RNA Pol III regulator complex
    top = rows[0]
    assert top["score"] == pytest.approx(1 / 6) and top["fdr"] < 0.01
    assert top["assembly"] == f"{MAP}:Cluster2-43" and "RNA Polymerase III" in top["name"]
    assert (top["dataset"], top["analysis"], top["maxPubmed"], top["maxSize"]) == (
        "cellmap-kg-analyses", "association", 10, 25)


def test_every_putative_function_follows_the_rule(built_store):
    """A poorly characterized member (<= 10 articles) of an assembly < 25 proteins gets each GO term the assembly
    is ENRICHED_FOR, with score = that enrichment's Jaccard."""
    rows = built_store.query(
        "MATCH (p:Protein)-[r:PUTATIVE_FUNCTION]->(t:GOTerm) MATCH (a:Assembly) WHERE a.id = r.assembly "
        "OPTIONAL MATCH (a)-[e:ENRICHED_FOR]->(t) "
        "RETURN p.symbol AS symbol, p.pubmedCount AS pubmed, a.size AS size, r.score AS score, e.jaccard AS jaccard, "
        "size([(p)-[:MEMBER_OF]->(a) | 1]) > 0 AS member, a.map AS map")
    u2os = [r for r in rows if r["map"] == "U2OS-2023-05"]  # every map gets them; the U2OS map's as in the README
    assert len(u2os) == 16 and len({r["symbol"] for r in u2os}) == 7
    for r in rows:
        assert r["pubmed"] <= 10 and r["size"] < 25 and r["member"]
        assert r["score"] == pytest.approx(r["jaccard"])


def test_unexpected_members_of_the_proteasome(built_store, graph_proteasome):
    """Best match CORUM:193 (PA700-20S-PA28): the immunoproteasome and proteasome-associated proteins are
    unexpected, the 20S/19S subunits are not."""
    rows = built_store.query("MATCH (p:Protein)-[m:MEMBER_OF]->(:Assembly {id: $id}) RETURN p.symbol AS s, "
                             "m.unexpected AS u, m.dataset AS dataset", {"id": graph_proteasome})
    flags = {r["s"]: r["u"] for r in rows}
    assert {s for s, u in flags.items() if u} == {"ADRM1", "MIDN", "PAAF1", "PSMB10", "PSMB8", "PSMF1", "TXNL1",
                                                 "USP14"}
    assert flags["PSMA1"] is False and flags["PSMD14"] is False
    assert {r["dataset"] for r in rows} == {"u2os-cellmap-2023-05"}       # the loader's provenance is kept


def test_flags_only_in_small_assemblies_with_a_best_match(built_store):
    rows = built_store.query("MATCH (:Protein)-[m:MEMBER_OF]->(a:Assembly {map: $map}) WHERE m.unexpected IS NOT NULL "
                             "RETURN a.id AS id, a.size AS size, a.bestMatch AS best, count(m) AS n, "
                             "sum(CASE WHEN m.unexpected THEN 1 ELSE 0 END) AS odd", {"map": MAP})
    assert all(r["size"] < 50 and r["best"] is not None for r in rows)
    assert (len(rows), sum(r["odd"] for r in rows), sum(r["n"] for r in rows)) == (113, 948, 1781)
