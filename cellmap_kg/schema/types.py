"""The value types of the graph, declared once: every property in ``schema.yaml`` and every query parameter has one.

One row per type says everything the package does with it:

====================  =====================  ===================  ==================  ====================
type                  Python values          XSD datatype (RDF)   neo4j-admin header  text form (CLI, URL)
====================  =====================  ===================  ==================  ====================
``string``            ``str``                ``xsd:string``       ``string``          as given
``int``               ``int`` (not bool)     ``xsd:integer``      ``long``            ``int("42")``
``float``             ``float``/``int``      ``xsd:double``       ``double``          ``float("0.05")``, finite
``bool``              ``bool``               ``xsd:boolean``      ``boolean``         true/yes/1, false/no/0
``list[string]``      ``list`` of ``str``    ``xsd:string`` each  ``string[]``        comma-separated items
``list[int]``         ``list`` of ``int``    ``xsd:integer`` each ``long[]``          comma-separated items
``list[float]``       ``list`` of numbers    ``xsd:double`` each  ``double[]``        comma-separated items
====================  =====================  ===================  ==================  ====================

Users: ``schema.Property.accepts`` (the type check of loader rows), ``queries.registry`` (parameter types and their
conversion from text), ``queries.lint`` (a placeholder value per type), ``export.rdf`` (literal datatypes) and
``export.neo4j_admin`` (CSV header types). Sources: XSD 1.1 Part 2 (datatypes), the neo4j-admin import manual
("CSV header format": ``long``, ``double``, ``boolean``, ``string`` and their ``[]`` arrays).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0"})


def _to_string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _to_int(value: Any) -> int:
    if isinstance(value, str):
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError
    return value


def _to_float(value: Any) -> float:
    if isinstance(value, str):
        number = float(value.strip())
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError
    else:
        number = float(value)
    if not math.isfinite(number):
        raise ValueError
    return number


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise TypeError


def _list_of(item: Callable[[Any], Any]) -> Callable[[Any], list]:
    def convert(value: Any) -> list:
        if isinstance(value, str):
            return [item(part.strip()) for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            return [item(part) for part in value]
        raise TypeError
    return convert


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: Any) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class ValueType:
    """One value type (module docstring table).

    Attributes:
        name: the type's name in ``schema.yaml`` and query headers, e.g. ``"list[string]"``.
        accepts_item: True for a Python value (one item, for a list type) that can be stored as this type; NaN
            and infinities never can (FalkorDB and Neo4j parameters reject them).
        parse_item: one item from its text form or a Python value; raises ``TypeError``/``ValueError`` otherwise.
        xsd: the XSD datatype IRI of one item's RDF literal.
        neo4j_admin: the neo4j-admin import CSV header type.
        placeholder: a valid value, used where a value of the type is needed but none is given (the linter).
        is_list: values are lists of items.
    """

    name: str
    accepts_item: Callable[[Any], bool]
    parse_item: Callable[[Any], Any]
    xsd: str
    neo4j_admin: str
    placeholder: Any
    is_list: bool = False

    def accepts(self, value: Any) -> bool:
        """True if ``value`` (``None``: absent) can be stored as this type."""
        return value is None or self.accepts_present(value)

    @property
    def accepts_present(self) -> Callable[[Any], bool]:
        """``accepts`` for a value known not to be ``None`` (one call less per value: the schema's row checks)."""
        return self._accepts_list if self.is_list else self.accepts_item

    def _accepts_list(self, value: Any) -> bool:
        return isinstance(value, list) and all(self.accepts_item(item) for item in value)

    def parse(self, value: Any) -> Any:
        """``value`` (text from a command line or URL, or a Python value) as this type. Raises ``TypeError`` or
        ``ValueError`` if it is not one."""
        return _list_of(self.parse_item)(value) if self.is_list else self.parse_item(value)


_SCALARS = (
    ValueType("string", lambda v: isinstance(v, str), _to_string, XSD_NS + "string", "string", ""),
    ValueType("int", _is_int, _to_int, XSD_NS + "integer", "long", 0),
    ValueType("float", _is_float, _to_float, XSD_NS + "double", "double", 0.5),
    ValueType("bool", lambda v: isinstance(v, bool), _to_bool, XSD_NS + "boolean", "boolean", False),
)
VALUE_TYPES: dict[str, ValueType] = {t.name: t for t in _SCALARS} | {
    f"list[{t.name}]": ValueType(f"list[{t.name}]", t.accepts_item, t.parse_item, t.xsd, t.neo4j_admin + "[]", [],
                                 is_list=True)
    for t in _SCALARS if t.name != "bool"}
"""Every value type by name (module docstring table)."""
