"""docs/queries.md generation."""

from cellmap_kg.queries.publish import queries_markdown
from cellmap_kg.queries.registry import load_queries

SHIPPED = "uncharacterized-in-mutated-assemblies"


def example_rows(n):
    return [{"assembly": f"U2OS-2023-05:Cluster3-{i}", "name": "Splicing | speckle", "size": 12 + i,
             "frequency": 0.0312345, "symbol": f"GENE{i}", "pubmedCount": None} for i in range(n)]


def test_markdown_has_question_parameters_columns_and_source():
    specs = load_queries()
    text = queries_markdown(specs)
    assert text.startswith(f"# Query library\n\n{len(specs)} queries. ")
    assert f"| [`{SHIPPED}`](#{SHIPPED}) | Which poorly characterized proteins" in text
    assert f"## {SHIPPED}\n\n**Which poorly characterized proteins sit in assemblies" in text
    assert "*Reproduces:* Schaffer et al. 2025, Fig. 5" in text
    assert "| `maxSize` | int | `50` | proteins | largest assembly size" in text
    assert '| `map` | string | `"U2OS-2023-05"` |  | the cell map' in text
    assert "**Columns:** `assembly`, `name`, `size`, `cohort`, `tumourType`, `q`, `selectionPressure`, " \
           "`frequency`, `symbol`, `pubmedCount`" in text
    assert "```cypher\n" + specs[SHIPPED].cypher + "\n```" in text
    assert "Example output" not in text


def test_example_table_is_escaped_formatted_and_truncated():
    text = queries_markdown(load_queries(), {SHIPPED: example_rows(12)}, max_rows=3)
    assert "Example output with the default parameters (12 rows, first 3 shown):" in text
    assert "| assembly | name | size | cohort | tumourType | q | selectionPressure | frequency | symbol | " \
           "pubmedCount |" in text
    assert "| U2OS-2023-05:Cluster3-0 | Splicing \\| speckle | 12 |  |  |  |  | 0.03123 | GENE0 |  |" in text
    assert "Cluster3-2 |" in text and "Cluster3-3 |" not in text


def test_empty_example_says_so():
    text = queries_markdown(load_queries(), {SHIPPED: []})
    assert "Example output with the default parameters: no rows." in text
