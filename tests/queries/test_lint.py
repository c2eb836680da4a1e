"""Neo4j's linter against the declared schema, plus the project rules, on query texts and query files.

Needs node and npm (the pinned linter is installed into the cache directory on first use).
"""

import pytest

from cellmap_kg.queries.lint import LintToolError, db_schema, lint_queries, lint_texts
from cellmap_kg.queries.registry import internal_queries, load_queries, parse_query_file

VALID = ("MATCH (b:Bait)-[r:PULLED_DOWN]->(x:Prey)\n"
         "WHERE r.pValue > $minP\n"
         "OPTIONAL MATCH (x)-[:MEMBER_OF]->(a:Assembly)\n"
         "WITH b, x, count(a) AS assemblies\n"
         "RETURN b.symbol AS bait, toLower(x.symbol) AS prey, assemblies")

TEXTS = {
    "valid": VALID,
    "syntax": "MATCH (p:Protein)\nRETRUN p.symbol AS symbol",
    "label_typo": "MATCH (p:Protien) RETURN p.symbol AS symbol",
    "property_typo": "MATCH (p:Protein) RETURN p.pubmedCnt AS n",
    "relationship_typo": "MATCH (p:Protein)-[:MEMBR_OF]->(a:Assembly) RETURN a.id AS id",
    "wrong_direction": "MATCH (a:Assembly)-[:MEMBER_OF]->(p:Protein) RETURN a.id AS id",
    "function_typo": "MATCH (p:Protein) RETURN toLowr(p.symbol) AS s",
    "procedure": "CALL db.labels() YIELD label RETURN label",
    "undeclared_parameter": "MATCH (p:Protein {symbol: $symbol}) RETURN p.name AS name",
    "deprecated": "MATCH (p:Protein) RETURN id(p) AS i",
    "falkordb": "MATCH (p:Protein)\nWHERE EXISTS { MATCH (p)-[:MEMBER_OF]->(:Assembly) }\nRETURN elementId(p) AS id",
}


@pytest.fixture(scope="module")
def found():
    return lint_texts(TEXTS, {"valid": {"minP": 3.0}})


def only(diagnostics):
    assert len(diagnostics) == 1, [str(d) for d in diagnostics]
    return diagnostics[0]


def test_valid_query_passes(found):
    assert found["valid"] == []


def test_syntax_error_is_an_error_at_its_position(found):
    errors = [d for d in found["syntax"] if d.is_error]
    assert (errors[0].line, errors[0].column, errors[0].source) == (2, 1, "neo4j")
    assert errors[0].message.startswith("Invalid input 'RETRUN'")


@pytest.mark.parametrize("name, column, message", [
    ("label_typo", 10, "Label Protien is not declared in cellmap_kg/schema/schema.yaml"),
    ("property_typo", 28, "Property key pubmedCnt is not declared in cellmap_kg/schema/schema.yaml"),
    ("relationship_typo", 21, "Relationship type MEMBR_OF is not declared in cellmap_kg/schema/schema.yaml"),
])
def test_names_missing_from_the_schema_are_errors(found, name, column, message):
    assert ("error", "schema", 1, column, message) in {(d.severity, d.source, d.line, d.column, d.message)
                                                      for d in found[name]}
    assert all(d.is_error and d.source == "schema" for d in found[name])


def test_relationship_against_its_declared_direction_is_an_error(found):
    messages = {d.message for d in found["wrong_direction"] if d.is_error and d.source == "schema"}
    assert "[:MEMBER_OF] has no incoming (:Assembly) according to cellmap_kg/schema/schema.yaml" in messages


def test_unknown_function_procedure_and_parameter_are_errors(found):
    assert only(found["function_typo"]).message == "Function toLowr is not a built-in Neo4j 5 function"
    assert only(found["procedure"]).message.startswith("Procedure db.labels: query files may not CALL procedures")
    assert only(found["undeclared_parameter"]).message == "Parameter $symbol is not defined."
    assert all(d.is_error for name in ("function_typo", "procedure", "undeclared_parameter") for d in found[name])


def test_deprecated_function_is_a_warning(found):
    assert found["deprecated"]
    assert {d.severity for d in found["deprecated"]} == {"warning"}
    assert any("Function id is deprecated" in d.message for d in found["deprecated"])


def test_falkordb_unsupported_constructs_are_errors_although_valid_neo4j(found):
    assert [(d.line, d.column, d.source, d.severity) for d in found["falkordb"]] == [
        (2, 7, "falkordb", "error"), (3, 8, "falkordb", "error")]
    assert "EXISTS { }" in found["falkordb"][0].message and "elementId()" in found["falkordb"][1].message


TYPO_FILE = ("// name: typo\n// question: Which proteins?\n// columns: [symbol]\n\n"
             "MATCH (p:Protein)\nWHERE p.pubmedCount > 0 AND p:Protien\nRETURN p.symbol AS symbol\n")


@pytest.fixture(scope="module")
def typo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("queries") / "typo.cypher"
    path.write_text(TYPO_FILE)
    return path


@pytest.fixture(scope="module")
def file_found(typo_path):
    """The shipped library, the internal statements and one file with a typo, linted in one node process."""
    return lint_queries([*load_queries().values(), *internal_queries().values(), parse_query_file(typo_path)])


def test_shipped_queries_are_clean(file_found):
    shipped = {name: ds for name, ds in file_found.items() if name != "typo"}
    assert set(internal_queries()) <= set(shipped)
    assert shipped and all(ds == [] for ds in shipped.values()), [str(d) for ds in shipped.values() for d in ds]


def test_file_diagnostics_point_at_file_lines(file_found, typo_path):
    d = only(file_found["typo"])
    assert (d.path, d.line, d.column) == (typo_path, 6, 31)
    assert str(d) == (f"{typo_path}:6:31: error: Label or relationship type Protien is not declared in "
                      "cellmap_kg/schema/schema.yaml [schema]")


def test_db_schema_declares_extra_labels_and_relationship_endpoints():
    schema = db_schema()
    assert {"Protein", "Bait", "Prey", "Assembly"} <= set(schema["labels"])
    assert {"from": "Bait", "to": "Prey", "relType": "PULLED_DOWN"} in schema["graphSchema"]
    assert {"pValue", "pubmedCount", "mutationFrequency"} <= set(schema["propertyKeys"])
    assert schema["defaultLanguage"] == "CYPHER 5"


def test_missing_node_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LintToolError, match="`node` was not found on PATH"):
        lint_texts({"q": "RETURN 1 AS x"})
