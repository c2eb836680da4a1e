"""``cellmap-kg export-queries`` and ``cellmap-kg docs-queries`` (the latter on the full real graph)."""

from cellmap_kg.cli import main
from cellmap_kg.queries.registry import load_queries


def test_export_queries_writes_a_browser_script_per_query(tmp_path, capsys):
    assert main(["export-queries", str(tmp_path / "browser")]) == 0
    specs = load_queries()
    assert sorted(p.stem for p in (tmp_path / "browser").glob("*.cypher")) == sorted(specs)
    script = (tmp_path / "browser" / "go-term-proteins.cypher").read_text()
    assert ':param goId => "GO:0000502";' in script and ":param evidence => [];" in script
    assert script.endswith(specs["go-term-proteins"].cypher + ";\n")
    assert f"wrote {len(specs)} Neo4j Browser scripts" in capsys.readouterr().out


def test_docs_queries_shows_example_output_from_the_graph(library_store, tmp_path):
    out = tmp_path / "queries.md"
    assert main(["docs-queries", "--store", library_store.uri, "--out", str(out), "--max-rows", "3"]) == 0
    text = out.read_text()
    assert text.startswith(f"# Query library\n\n{len(load_queries())} queries.")
    protein = text[text.index("## protein\n"):text.index("## protein-list\n")]
    assert 'Example output with `symbol` = `"DPP9"` (1 row):' in protein
    assert "| DPP9 | approved | Protein, Bait, Prey | dipeptidyl peptidase 9 | HGNC:18648 |" in protein
    assert "U2OS-2023-05:Cluster2-77" in protein
    lineage = text[text.index("## assembly-lineage\n"):text.index("## assembly-list\n")]
    assert "(2 rows):" in lineage and "U2OS-2023-05:Cluster0-0" in lineage


def test_docs_queries_without_a_store(tmp_path):
    out = tmp_path / "queries.md"
    assert main(["docs-queries", "--no-examples", "--out", str(out)]) == 0
    assert "Example output" not in out.read_text() and "## path-between" in out.read_text()
