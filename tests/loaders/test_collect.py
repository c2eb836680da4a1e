"""Gene resolution with reporting and one-row-per-key relationship collection."""

from __future__ import annotations

from cellmap_kg.loaders.base import LoadReport
from cellmap_kg.loaders.collect import UniqueRelationships, keep_max, resolve_gene
from cellmap_kg.loaders.symbols import SymbolResolver


def _tiny_resolver() -> SymbolResolver:
    """Approved TP53 and CBS; alias 'SHARED' names both CBS and CBSL (ambiguous)."""
    resolver = SymbolResolver()
    resolver.approved |= {"TP53", "CBS", "CBSL"}
    resolver.alias["P53"].add("TP53")
    resolver.alias["SHARED"] |= {"CBS", "CBSL"}
    resolver.by_entrez[7157] = "TP53"
    return resolver


def test_resolve_gene_returns_symbol_and_reports_nothing():
    report = LoadReport("x")
    assert resolve_gene(_tiny_resolver(), report, "P53") == "TP53"
    assert resolve_gene(_tiny_resolver(), report, "wrong", entrez="7157") == "TP53"
    assert not report.skipped


def test_resolve_gene_reports_unknown_and_ambiguous_with_where():
    report = LoadReport("x")
    resolver = _tiny_resolver()
    assert resolve_gene(resolver, report, "NOPE", ensembl="ENSG00000000000", where="f.tsv:7") is None
    assert resolve_gene(resolver, report, "SHARED", where="f.tsv:9") is None
    assert report.skipped == {"unknown gene": 1, "ambiguous gene": 1}
    assert report.examples["unknown gene"] == ["NOPE/ENSG00000000000 at f.tsv:7"]
    assert report.examples["ambiguous gene"] == ["SHARED -> {CBS, CBSL} at f.tsv:9"]


def test_unique_relationships_keeps_first_row_merges_and_counts():
    report = LoadReport("x")
    rows = UniqueRelationships(report, "repeat")
    higher = keep_max("cosine")
    assert rows.add(("A", "B"), {"source": "A", "target": "B", "cosine": 0.5}, higher)
    assert not rows.add(("A", "B"), {"source": "A", "target": "B", "cosine": 0.9}, higher)
    assert not rows.add(("A", "B"), {"source": "A", "target": "B", "cosine": 0.1}, higher)
    assert rows.add(("A", "C"), {"source": "A", "target": "C", "cosine": 0.2})
    assert rows.rows == [{"source": "A", "target": "B", "cosine": 0.9}, {"source": "A", "target": "C", "cosine": 0.2}]
    assert len(rows) == 2
    assert report.skipped == {"repeat": 2}
    assert report.examples["repeat"] == ["('A', 'B')", "('A', 'B')"]
