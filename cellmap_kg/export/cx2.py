"""A minimal writer of Cytoscape CX2 networks (the JSON format of Cytoscape 3.10+, Cytoscape Web and NDEx).

CX2 is a JSON list of *aspects*, each a one-key object (spec: https://cytoscape.org/cx/cx2/specification/):

``[{"CXVersion": "2.0", "hasFragments": false}, {"metaData": [{"name", "elementCount"}]},
{"attributeDeclarations": [{"networkAttributes": {...}, "nodes": {...}, "edges": {...}}]},
{"networkAttributes": [{...}]}, {"nodes": [{"id", "v"}]}, {"edges": [{"id", "s", "t", "v"}]},
{"status": [{"error": "", "success": true}]}]``

Attribute declarations give each attribute's data type (``d``) and, for ``name``, ``represents`` and
``interaction``, the short alias (``a``: ``n``, ``r``, ``i``) that the values then use. Types are inferred from
the Python values (``bool`` -> ``boolean``, ``int`` -> ``long``, ``float`` -> ``double``, ``str`` -> ``string``,
lists -> ``list_of_<type>``) unless ``CX2Network.types`` names one (e.g. ``integer`` as the HCX files use).

Example::

    >>> net = CX2Network({"name": "demo"})
    >>> a, b = net.add_node({"name": "DPP9"}), net.add_node({"name": "NLRP1"})
    >>> _ = net.add_edge(a, b, {"interaction": "PULLED_DOWN", "pValue": 12.5})
    >>> [list(aspect)[0] for aspect in net.to_cx2()]
    ['CXVersion', 'metaData', 'attributeDeclarations', 'networkAttributes', 'nodes', 'edges', 'status']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError

ALIASES = {"nodes": {"name": "n", "represents": "r"}, "edges": {"interaction": "i"}}
"""Attribute aliases fixed by the CX2 specification."""

CX2_TYPES = ("string", "long", "integer", "double", "boolean",
             "list_of_string", "list_of_long", "list_of_integer", "list_of_double", "list_of_boolean")


class CX2Error(UserError, ValueError):
    """A CX2 network cannot be written: an attribute has values of different types, or an unknown type."""


def cx2_type(value: object) -> str:
    """The CX2 data type of a Python value. Raises ``CX2Error`` for a value CX2 cannot hold (dict, mixed list)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        kinds = {cx2_type(v) for v in value}
        if len(kinds) > 1:
            if kinds == {"long", "double"}:
                return "list_of_double"
            raise CX2Error(f"list with items of several types {sorted(kinds)}: {value!r}")
        return f"list_of_{kinds.pop()}" if kinds else "list_of_string"
    raise CX2Error(f"CX2 cannot hold a {type(value).__name__}: {value!r}")


@dataclass
class CX2Network:
    """A network being assembled: network attributes, nodes and edges with attribute dicts.

    Attributes:
        attributes: network attributes (``name``, ``description``, ...).
        nodes: ``[(id, attributes)]``; ids are 0, 1, ... in insertion order.
        edges: ``[(id, source id, target id, attributes)]``.
        types: ``{"networkAttributes" | "nodes" | "edges": {attribute: CX2 type}}`` overriding inferred types.
    """

    attributes: dict = field(default_factory=dict)
    nodes: list[tuple[int, dict]] = field(default_factory=list)
    edges: list[tuple[int, int, int, dict]] = field(default_factory=list)
    types: dict[str, dict[str, str]] = field(default_factory=dict)

    def add_node(self, attributes: dict) -> int:
        """Append a node with ``attributes`` (``None`` values are dropped) and return its id."""
        node_id = len(self.nodes)
        self.nodes.append((node_id, {k: v for k, v in attributes.items() if v is not None}))
        return node_id

    def add_edge(self, source: int, target: int, attributes: dict | None = None) -> int:
        """Append an edge ``source -> target`` (node ids) and return its id. Raises ``CX2Error`` for unknown ids."""
        for end in (source, target):
            if not 0 <= end < len(self.nodes):
                raise CX2Error(f"edge endpoint {end} is not a node id (0..{len(self.nodes) - 1})")
        edge_id = len(self.edges)
        self.edges.append((edge_id, source, target, {k: v for k, v in (attributes or {}).items() if v is not None}))
        return edge_id

    def _declarations(self, aspect: str, rows: list[dict]) -> dict[str, dict]:
        declared: dict[str, str] = {}
        fixed = self.types.get(aspect, {})
        for row in rows:
            for name, value in row.items():
                kind = fixed.get(name) or cx2_type(value)
                if kind not in CX2_TYPES:
                    raise CX2Error(f"{aspect}.{name}: unknown CX2 type {kind!r}")
                previous = declared.setdefault(name, kind)
                if previous != kind:
                    if {previous, kind} == {"long", "double"}:
                        declared[name] = "double"
                    elif {previous, kind} == {"list_of_long", "list_of_double"}:
                        declared[name] = "list_of_double"
                    else:
                        raise CX2Error(f"{aspect}.{name} has values of types {previous} and {kind}")
        aliases = ALIASES.get(aspect, {})
        return {name: ({"a": aliases[name], "d": kind} if name in aliases else {"d": kind})
                for name, kind in declared.items()}

    def to_cx2(self) -> list[dict]:
        """The network as a CX2 aspect list (see the module docstring), ready for ``json.dump``."""
        node_rows = [attrs for _, attrs in self.nodes]
        edge_rows = [attrs for *_, attrs in self.edges]
        declarations = {"networkAttributes": self._declarations("networkAttributes", [self.attributes]),
                        "nodes": self._declarations("nodes", node_rows),
                        "edges": self._declarations("edges", edge_rows)}
        declarations = {k: v for k, v in declarations.items() if v}
        nodes = [{"id": i, "v": _aliased(attrs, ALIASES["nodes"])} for i, attrs in self.nodes]
        edges = [{"id": i, "s": s, "t": t, "v": _aliased(attrs, ALIASES["edges"])} for i, s, t, attrs in self.edges]
        aspects = [("attributeDeclarations", [declarations]), ("networkAttributes", [self.attributes]),
                   ("nodes", nodes), ("edges", edges)]
        return ([{"CXVersion": "2.0", "hasFragments": False},
                 {"metaData": [{"name": name, "elementCount": len(items)} for name, items in aspects]}]
                + [{name: items} for name, items in aspects]
                + [{"status": [{"error": "", "success": True}]}])

    def write(self, path: Path | str) -> Path:
        """Write the network as CX2 JSON to ``path`` and return the path."""
        path = Path(path)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_cx2(), fh)
        return path


def _aliased(attributes: dict, aliases: dict[str, str]) -> dict:
    return {aliases.get(k, k): v for k, v in attributes.items()}
