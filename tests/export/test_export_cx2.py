"""The CX2 writer: aspects, attribute declarations with aliases and inferred types, read back by the HCX loader's
CX2 reader."""

from __future__ import annotations

import json

import pytest

from cellmap_kg.export.cx2 import CX2Error, CX2Network, cx2_type
from cellmap_kg.loaders.hcx import element_attributes, network_attributes, read_cx2


def test_a_network_round_trips_through_the_cx2_reader(tmp_path):
    net = CX2Network({"name": "RNase P evidence", "edgeCount": 2})
    pop1 = net.add_node({"name": "POP1", "represents": "POP1", "pubmedCount": 111, "missing": None})
    pop4 = net.add_node({"name": "POP4", "represents": "POP4", "pubmedCount": 40})
    net.add_edge(pop1, pop4, {"interaction": "PROXIMAL_TO", "cosine": 0.76, "datasets": ["a", "b"]})
    net.add_edge(pop4, pop1, {"interaction": "PULLED_DOWN", "cosine": 1})
    path = net.write(tmp_path / "net.cx2")
    aspects = read_cx2(path)
    declarations = aspects["attributeDeclarations"][0]
    assert declarations["nodes"]["name"] == {"a": "n", "d": "string"}
    assert declarations["nodes"]["pubmedCount"] == {"d": "long"}
    assert declarations["edges"]["interaction"] == {"a": "i", "d": "string"}
    assert declarations["edges"]["cosine"] == {"d": "double"}        # 0.76 and 1 -> double
    assert declarations["edges"]["datasets"] == {"d": "list_of_string"}
    assert network_attributes(aspects) == {"name": "RNase P evidence", "edgeCount": 2}
    nodes = element_attributes(aspects, "nodes", path)
    assert nodes == {0: {"name": "POP1", "represents": "POP1", "pubmedCount": 111},
                     1: {"name": "POP4", "represents": "POP4", "pubmedCount": 40}}
    edges = element_attributes(aspects, "edges", path)
    assert edges[0] == {"interaction": "PROXIMAL_TO", "cosine": 0.76, "datasets": ["a", "b"], "_s": 0, "_t": 1}
    raw = json.loads(path.read_text())
    assert raw[0] == {"CXVersion": "2.0", "hasFragments": False}
    assert raw[1]["metaData"][2:] == [{"name": "nodes", "elementCount": 2}, {"name": "edges", "elementCount": 2}]
    assert raw[-1] == {"status": [{"error": "", "success": True}]}


def test_declared_types_override_inference():
    net = CX2Network(types={"nodes": {"size": "integer"}})
    net.add_node({"name": "C23", "size": 23})
    declarations = net.to_cx2()[2]["attributeDeclarations"][0]
    assert declarations["nodes"]["size"] == {"d": "integer"}


@pytest.mark.parametrize(("value", "kind"), [(True, "boolean"), (3, "long"), (2.5, "double"), ("x", "string"),
                                             ([1, 2], "list_of_long"), ([1, 2.5], "list_of_double"),
                                             ([], "list_of_string")])
def test_cx2_types_of_python_values(value, kind):
    assert cx2_type(value) == kind


def test_values_cx2_cannot_hold_are_errors():
    with pytest.raises(CX2Error, match="dict"):
        cx2_type({"a": 1})
    with pytest.raises(CX2Error, match="several types"):
        cx2_type([1, "a"])
    net = CX2Network()
    net.add_node({"name": "A", "x": 1})
    net.add_node({"name": "B", "x": "one"})
    with pytest.raises(CX2Error, match="nodes.x has values of types long and string"):
        net.to_cx2()
    with pytest.raises(CX2Error, match="edge endpoint 5"):
        net.add_edge(0, 5)
