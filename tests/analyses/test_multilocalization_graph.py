"""Multi-localization written into the full real graph (``built_store`` runs the default analyses)."""

from __future__ import annotations

MAP = "U2OS-2023-05"


def test_multilocalization_figures(built_store):
    """U2OS May-2023 draft: 1,346 of 5,254 proteins (25.6%) multi-localized, 22 multi-parent assemblies.

    Paper (final map, 5,147 proteins, 275 assemblies): ~30% and 23.
    """
    row = built_store.query(
        "MATCH (p:Protein)-[:MEMBER_OF]->(:Assembly {id: $root}) "
        "RETURN count(p) AS proteins, sum(CASE WHEN p.multiLocalized THEN 1 ELSE 0 END) AS multi, "
        "max(p.pathsToRoot) AS maxPaths", {"root": f"{MAP}:Cluster0-0"})[0]
    parents = built_store.query("MATCH (a:Assembly {map: $map}) RETURN sum(CASE WHEN a.multiParent THEN 1 ELSE 0 END) "
                                "AS multi, count(a.multiParent) AS flagged", {"map": MAP})[0]
    percent = 100 * row["multi"] / row["proteins"]
    print(f"\nmulti-localized: {row['multi']} of {row['proteins']} proteins ({percent:.1f}%), "
          f"max {row['maxPaths']} paths to the root; {parents['multi']} multi-parent assemblies")
    assert (row["proteins"], row["multi"], row["maxPaths"]) == (5254, 1346, 4)
    assert round(percent, 1) == 25.6
    assert (parents["multi"], parents["flagged"]) == (22, 270)


def test_multi_parent_assemblies_have_two_parents(built_store):
    rows = built_store.query("MATCH (p:Assembly)-[:CONTAINS]->(a:Assembly {map: $map}) "
                             "RETURN a.id AS id, a.multiParent AS flag, count(p) AS parents", {"map": MAP})
    assert len(rows) == 269 and all(r["flag"] == (r["parents"] > 1) for r in rows)


def test_protein_properties_are_consistent(built_store):
    """C18orf21 sits only in the RNase P/MRP assembly Cluster3-65, which has two parents: two paths to the root."""
    row = built_store.query("MATCH (p:Protein {symbol: 'C18orf21'}) RETURN p.terminalAssemblies AS t, "
                            "p.pathsToRoot AS n, p.multiLocalized AS m")[0]
    assert row == {"t": [f"{MAP}:Cluster3-65"], "n": 2, "m": True}
    wrong = built_store.query("MATCH (p:Protein) WHERE p.multiLocalized <> (p.pathsToRoot > 1) "
                              "OR size(p.terminalAssemblies) < 1 RETURN count(p) AS n")[0]["n"]
    assert wrong == 0
    outside = built_store.query("MATCH (p:Protein) WHERE p.pathsToRoot IS NOT NULL AND NOT "
                                "(p)-[:MEMBER_OF]->(:Assembly {map: $map}) RETURN count(p) AS n", {"map": MAP})
    assert outside[0]["n"] == 0
