"""Lexical helpers: masking, parameter uses, returned columns, statement separators."""

import doctest

import cellmap_kg.queries.cypher_text as cypher_text
from cellmap_kg.queries.cypher_text import (
    line_column,
    masked,
    parameter_uses,
    returned_columns,
    top_level_statement_ends,
)


def test_docstring_examples_hold():
    assert doctest.testmod(cypher_text).failed == 0


def test_masking_keeps_positions_and_hides_comments_and_literals():
    text = "MATCH (p) // RETURN $a\nWHERE p.x = 'RETURN $b' /* $c\n */ AND p.y = \"it\\\"s $d\"\nRETURN p.`$e` AS x"
    out = masked(text)
    assert len(out) == len(text)
    assert [i for i, c in enumerate(text) if c == "\n"] == [i for i, c in enumerate(out) if c == "\n"]
    assert "RETURN $a" not in out and "$b" not in out and "$c" not in out and "$d" not in out
    assert "`$e`" in out
    assert "`  `" in masked(text, identifiers=True)


def test_parameter_uses_ignore_strings_comments_and_names():
    text = "MATCH (a {map: $map})\n// $commented\nWHERE a.size <= $maxSize AND a.name <> '$notParam'\nRETURN $map"
    uses = parameter_uses(text)
    assert uses == {"map": text.index("$map"), "maxSize": text.index("$maxSize")}
    assert line_column(text, uses["maxSize"]) == (3, 17)


def test_returned_columns_follow_aliases_and_stop_at_order_by():
    text = ("MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly)\n"
            "CALL { WITH a RETURN a.size AS inner }\n"
            "RETURN DISTINCT a.id AS assembly, count(p) AS n, p.symbol, {k: 1, j: [1, 2]} AS `odd, name`\n"
            "ORDER BY n DESC LIMIT 5")
    assert returned_columns(text) == ["assembly", "n", "p.symbol", "odd, name"]


def test_returned_columns_of_union_and_star():
    assert returned_columns("RETURN 1 AS x UNION RETURN 2 AS x") == ["x"]
    assert returned_columns("MATCH (p) RETURN *") is None
    assert returned_columns("MATCH (p) WITH p AS q") is None
    assert returned_columns("RETURN 'a, b AS c' AS text") == ["text"]


def test_statement_separators_outside_literals_only():
    assert top_level_statement_ends("RETURN ';' AS s // ;\n") == []
    assert top_level_statement_ends("RETURN 1 AS a;\nRETURN 2 AS b") == [13]
