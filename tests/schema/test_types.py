"""The value-type table (``cellmap_kg.schema.types``): one row per type, used by the schema check, the query
parameters, the linter, the RDF export and the neo4j-admin export."""

from __future__ import annotations

import math

import pytest

from cellmap_kg.export.neo4j_admin import node_header
from cellmap_kg.queries.registry import PARAM_TYPES
from cellmap_kg.schema import PROPERTY_TYPES, SCHEMA
from cellmap_kg.schema.types import VALUE_TYPES


def test_every_declared_property_and_parameter_type_has_a_row():
    declared = {p.type for node in SCHEMA.nodes.values() for p in node.properties.values()}
    declared |= {p.type for rel in SCHEMA.relationships.values() for p in rel.properties.values()}
    assert declared <= set(VALUE_TYPES) and set(PARAM_TYPES) <= set(VALUE_TYPES)
    assert PROPERTY_TYPES is VALUE_TYPES


@pytest.mark.parametrize(("name", "text", "value"), [
    ("int", " 42 ", 42), ("float", "0.05", 0.05), ("bool", "yes", True), ("bool", "0", False),
    ("list[string]", "DPP9, STAT1,,", ["DPP9", "STAT1"]), ("list[int]", "1,2", [1, 2]), ("string", "x", "x"),
])
def test_text_forms_parse_to_typed_values(name, text, value):
    assert VALUE_TYPES[name].parse(text) == value


@pytest.mark.parametrize(("name", "bad"), [("int", "4.5"), ("int", True), ("float", "nan"), ("bool", "maybe"),
                                           ("string", 3), ("list[int]", "1,x")])
def test_values_of_another_type_are_refused(name, bad):
    with pytest.raises((TypeError, ValueError)):
        VALUE_TYPES[name].parse(bad)


def test_the_type_check_refuses_bools_as_numbers_nan_and_lists_of_the_wrong_items():
    assert VALUE_TYPES["int"].accepts(3) and not VALUE_TYPES["int"].accepts(True)
    assert VALUE_TYPES["float"].accepts(3) and not VALUE_TYPES["float"].accepts(math.nan)
    assert VALUE_TYPES["list[string]"].accepts(["a"]) and not VALUE_TYPES["list[string]"].accepts(["a", 1])
    assert VALUE_TYPES["bool"].accepts(None)  # absent


def test_neo4j_admin_headers_and_xsd_types_come_from_the_table():
    header = node_header(SCHEMA.nodes["Assembly"])
    assert "size:long" in header and "diameterNm:double" in header and "isRoot:boolean" in header
    assert VALUE_TYPES["list[float]"].neo4j_admin == "double[]"
    assert VALUE_TYPES["int"].xsd == "http://www.w3.org/2001/XMLSchema#integer"

