"""Python values to FalkorDB query parameters and FalkorDB results to plain Python values.

FalkorDB takes parameters as a text header in front of the query (``CYPHER rows=[{`key`:"A1"}] MATCH ...``),
so parameters are rendered as Cypher literals here. Results come back as ``falkordb`` ``Node``/``Edge``/``Path``
objects (parsed from the compact protocol) and are normalised to the store's plain values:

- node -> ``{**properties, "_labels": [labels]}``
- relationship -> ``{**properties, "_type": type}``
- path -> ``{"nodes": [node dicts], "relationships": [relationship dicts]}``
- map -> ``dict``, list / vecf32 -> ``list``, date/time/datetime -> ISO 8601 string, duration -> ISO 8601
  duration string, point -> ``{"latitude", "longitude"}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from falkordb import Edge, Node, Path


def cypher_literal(value: object) -> str:
    """``value`` (None, bool, int, float, str, list/tuple, dict with str keys, numpy scalar) as a Cypher literal.

    Raises:
        ValueError: a float is NaN or infinite (FalkorDB has no literal for them).
        TypeError: a value of another type.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"query parameter value {value!r} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:  # FalkorDB reads the parameter header as a C string: a NUL would cut the query
            raise ValueError("a string parameter contains a NUL character")
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ",".join(map(cypher_literal, value)) + "]"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_map_key(k)}:{cypher_literal(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "item") and hasattr(value, "dtype"):  # numpy scalar
        return cypher_literal(value.item())
    raise TypeError(f"cannot pass a {type(value).__name__} as a query parameter: {value!r}")


def _map_key(key: object) -> str:
    if not isinstance(key, str) or not key or "`" in key:
        raise ValueError(f"map key {key!r} must be a non-empty string without backticks")
    return f"`{key}`"


def params_header(params: Mapping[str, object] | None) -> str:
    """The ``CYPHER name=literal ...`` prefix for ``params`` (empty string for no parameters)."""
    if not params:
        return ""
    return "CYPHER " + " ".join(f"{_map_key(k)}={cypher_literal(v)}" for k, v in params.items()) + " "


_SCALAR_TYPES = frozenset({type(None), str, int, float, bool})
"""Result value types returned as they are."""


def to_plain(value: object) -> object:
    """A FalkorDB result value as plain Python values (see the module docstring for the mapping)."""
    if type(value) in _SCALAR_TYPES:  # most values: one set lookup instead of the isinstance chain below
        return value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Node):
        return {**{k: to_plain(v) for k, v in value.properties.items()}, "_labels": list(value.labels or [])}
    if isinstance(value, Edge):
        return {**{k: to_plain(v) for k, v in value.properties.items()}, "_type": value.relation}
    if isinstance(value, Path):
        return {"nodes": [to_plain(n) for n in value.nodes()], "relationships": [to_plain(e) for e in value.edges()]}
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _SCALAR_TYPES else to_plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, relativedelta):
        return iso_duration(value)
    raise TypeError(f"unexpected FalkorDB result value of type {type(value).__name__}: {value!r}")


def iso_duration(delta: relativedelta) -> str:
    """ISO 8601 duration (``P1Y2M3DT4H5M6.5S``) of a ``relativedelta`` (FalkorDB duration values)."""
    delta = delta.normalized()
    date_part = "".join(f"{n}{u}" for n, u in ((delta.years, "Y"), (delta.months, "M"), (delta.days, "D")) if n)
    seconds = delta.seconds + delta.microseconds / 1e6
    time_part = "".join(f"{n:g}{u}" for n, u in ((delta.hours, "H"), (delta.minutes, "M"), (seconds, "S")) if n)
    if not date_part and not time_part:
        return "PT0S"
    return "P" + date_part + ("T" + time_part if time_part else "")
