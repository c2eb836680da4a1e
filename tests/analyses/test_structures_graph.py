"""Structure models in the full real graph: 111 AlphaFold-Multimer heterodimers, each linked to both of its
proteins and (``structures`` analysis) to every assembly holding both."""

from __future__ import annotations

import pytest

MAP = "U2OS-2023-05"


def test_every_model_links_both_proteins(graph_store):
    rows = graph_store.query("MATCH (s:StructureModel) OPTIONAL MATCH (s)-[m:MODELS]->(p:Protein) "
                             "RETURN s.id AS id, collect(m.chain) AS chains, collect(p.symbol) AS symbols")
    assert len(rows) == 111
    assert all(sorted(r["chains"]) == ["A", "B"] for r in rows)
    arp = next(r for r in rows if r["id"] == "ARPC1A_ARPC1B")
    assert dict(zip(arp["chains"], arp["symbols"], strict=True)) == {"A": "ARPC1A", "B": "ARPC1B"}


def test_modelled_in_exactly_the_assemblies_holding_both_proteins(graph_store):
    """Computed independently: the assemblies (every map) whose members include both proteins of a model."""
    linked = {(r["s"], r["a"]) for r in graph_store.query(
        "MATCH (s:StructureModel)-[r:MODELLED_IN]->(a:Assembly) WHERE r.analysis = 'structures' "
        "RETURN s.id AS s, a.id AS a")}
    members: dict[str, set[str]] = {}
    for r in graph_store.query("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly) RETURN a.id AS a, p.symbol AS p"):
        members.setdefault(r["a"], set()).add(r["p"])
    pairs = {r["s"]: set(r["p"]) for r in graph_store.query(
        "MATCH (s:StructureModel)-[:MODELS]->(p:Protein) RETURN s.id AS s, collect(p.symbol) AS p")}
    expected = {(s, a) for s, proteins in pairs.items() for a, m in members.items() if proteins <= m}
    assert linked == expected
    # the pairs come from the paper's final map; this May-2023 draft lacks one protein of 12 of them (e.g. EIF3CL)
    assert len({s for s, a in linked if not a.startswith("OpenCell-HEK293T:")}) == 99  # U2OS and NeST
    assert len({s for s, _ in linked}) > 99  # the OpenCell HEK293T communities hold both proteins of a few more
    assert len({s for s, a in linked if a.startswith(f"{MAP}:") and not a.endswith(":Cluster0-0")}) == 82


def test_arp23_model_scores(graph_store):
    [row] = graph_store.query("MATCH (s:StructureModel {id: 'ARPC1A_ARPC1B'}) RETURN s.pDockQ AS pDockQ, "
                              "s.interfaceContacts AS contacts, s.residuesA AS a, s.residuesB AS b")
    assert (row["contacts"], row["a"], row["b"]) == (69, 370, 372)
    assert row["pDockQ"] == pytest.approx(0.4491, abs=1e-4)
