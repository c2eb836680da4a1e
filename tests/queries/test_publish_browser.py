"""Neo4j Browser scripts: :param lines, the query text unchanged, and acceptance by Neo4j's own parser."""

import doctest

import pytest

import cellmap_kg.queries.publish as export
from cellmap_kg.queries.lint import lint_parameters, lint_texts
from cellmap_kg.queries.publish import browser_script, cypher_literal, export_for_browser
from cellmap_kg.queries.registry import load_queries, parse_query_file

SHIPPED = "uncharacterized-in-mutated-assemblies"

REQUIRED_PARAM = """\
// name: members-of
// question: Which proteins are members of these assemblies?
// parameters:
//   ids: {type: "list[string]", description: assembly ids}
//   minSize: {type: int, default: 2, unit: proteins, description: smallest assembly}
// columns: [symbol]
MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly)
WHERE a.id IN $ids AND a.size >= $minSize
RETURN p.symbol AS symbol
"""


def test_docstring_examples_hold():
    assert doctest.testmod(export).failed == 0


def test_parameter_lines_use_cypher_literals_browser_accepts():
    assert cypher_literal("it's") == '"it\'s"'
    assert cypher_literal(["a", "b"]) == '["a","b"]'
    assert cypher_literal(0.02) == "0.02" and cypher_literal(True) == "true"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_values_without_literal_are_refused(value):
    with pytest.raises(ValueError):
        cypher_literal(value)


def test_export_writes_one_script_per_query_with_params_and_identical_body(tmp_path):
    specs = load_queries()
    written = export_for_browser(specs, tmp_path / "browser")
    assert written == [tmp_path / "browser" / f"{name}.cypher" for name in sorted(specs)]
    text = (tmp_path / "browser" / f"{SHIPPED}.cypher").read_text()
    lines = text.splitlines()
    spec = specs[SHIPPED]
    assert [line for line in lines if line.startswith(":param")] == [
        f":param {name} => {cypher_literal(value)};" for name, value in spec.defaults().items()]
    assert ":param maxSize => 50;" in lines and ":param rule => \"hisig\";" in lines
    assert text.endswith("\n" + spec.cypher + ";\n")
    source_body = "\n".join(spec.path.read_text().splitlines()[spec.body_line - 1:])
    assert text.endswith("\n" + source_body.rstrip() + ";\n")
    assert lines[1] == "// Question: Which poorly characterized proteins sit in assemblies that are recurrently " \
                       "mutated in tumours?"


def test_required_parameter_gets_its_example_value():
    text = browser_script(load_queries()["protein"])
    assert '// REQUIRED (string); an example value, change it:\n:param symbol => "DPP9";' in text


def test_required_parameter_is_left_for_the_user(tmp_path):
    path = tmp_path / "members-of.cypher"
    path.write_text(REQUIRED_PARAM)
    text = browser_script(parse_query_file(path))
    assert "// REQUIRED, set before running: :param ids => <list[string] (comma-separated)>;" in text
    assert ":param minSize => 2;" in text.splitlines()


def test_neo4j_parser_accepts_the_scripts_and_rejects_old_param_syntax():
    spec = load_queries()[SHIPPED]
    script = browser_script(spec)
    old_syntax = script.replace(":param maxSize => 50;", ":param maxSize: 50;")
    params = lint_parameters(spec)
    found = lint_texts({"script": script, "old": old_syntax}, {"script": params, "old": params},
                       console_commands=True)
    assert found["script"] == []
    old_line = old_syntax.splitlines().index(":param maxSize: 50;") + 1
    assert [(d.line, d.message) for d in found["old"]] == [(old_line, "Expected '='")]
