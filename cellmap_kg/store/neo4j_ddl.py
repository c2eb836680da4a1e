"""Neo4j 5 statements generated from the schema declaration, and the pure helpers of ``Neo4jStore``
(URI parsing, result normalisation, plan formatting). Kept free of I/O so they are testable without a server.

Example::

    >>> from cellmap_kg.schema import SCHEMA
    >>> constraint_statements(SCHEMA)[1]
    'CREATE CONSTRAINT Protein_symbol_unique IF NOT EXISTS FOR (n:Protein) REQUIRE n.symbol IS UNIQUE'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, urlparse, urlunparse

from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import CartesianPoint, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time
from neo4j.vector import Vector

from ..schema import Schema
from .base import StoreError
from .indexing import fulltext_properties, identifier

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
_DATABASE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]{2,62}$")


def parse_neo4j_uri(uri: str) -> tuple[str, str | None]:
    """``bolt://host:7687?database=kg`` -> ``("bolt://host:7687", "kg")``; database ``None`` = server default.

    Raises:
        StoreError: unsupported scheme, no host, or an invalid database name (Neo4j: 3-63 characters,
            letters, digits, dots and dashes, starting with a letter).
    """
    parts = urlparse(uri)
    if parts.scheme not in NEO4J_SCHEMES:
        raise StoreError(f"not a Neo4j URI: {uri!r} (schemes: {', '.join(NEO4J_SCHEMES)})")
    if not parts.hostname:
        raise StoreError(f"{uri!r}: no Neo4j host given (e.g. bolt://localhost:7687)")
    database = parse_qs(parts.query).get("database", [None])[0]
    if database is not None:
        database_name(database)
    return urlunparse((parts.scheme, parts.netloc, parts.path, "", "", "")), database


def database_name(name: str) -> str:
    """Return ``name`` if it is a valid Neo4j database name, else raise ``StoreError``."""
    if not _DATABASE_NAME.match(name):
        raise StoreError(f"invalid Neo4j database name {name!r} (3-63 of letters, digits, '.', '-'; "
                         "starting with a letter)")
    return name


# ------------------------------------------------------------------------------------------------------ DDL
def constraint_name(label: str, key: str) -> str:
    """Name of the uniqueness constraint on ``label.key``: ``<Label>_<key>_unique``."""
    return f"{identifier(label)}_{identifier(key)}_unique"


def range_index_name(label: str, prop: str) -> str:
    """Name of the range index on ``label.prop`` (a declared ``indexed`` property): ``<Label>_<prop>_range``."""
    return f"{identifier(label)}_{identifier(prop)}_range"


def fulltext_index_name(label: str) -> str:
    """Name of the full-text index of ``label``: ``<Label>_fulltext``."""
    return f"{identifier(label)}_fulltext"


def vector_index_name(label: str, prop: str) -> str:
    """Name of the vector index on ``label.prop``: ``<Label>_<prop>_vector``."""
    return f"{identifier(label)}_{identifier(prop)}_vector"


def constraint_statements(schema: Schema) -> list[str]:
    """One ``CREATE CONSTRAINT ... IS UNIQUE`` per node key of ``schema`` (idempotent: ``IF NOT EXISTS``)."""
    return [f"CREATE CONSTRAINT {constraint_name(n.label, n.key)} IF NOT EXISTS "
            f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE" for n in schema.nodes.values()]


def range_index_statements(schema: Schema) -> list[str]:
    """One ``CREATE INDEX ... IF NOT EXISTS`` (a range index) per ``indexed`` property of ``schema``, named by
    ``range_index_name``. Raises ``ValueError`` for a name that is not a plain identifier."""
    return [f"CREATE INDEX {range_index_name(n.label, p)} IF NOT EXISTS FOR (n:{n.label}) ON (n.{p})"
            for n in schema.nodes.values() for p in n.indexed]


def fulltext_index_statements(schema: Schema) -> list[str]:
    """One ``CREATE FULLTEXT INDEX`` per label of ``indexing.FULLTEXT_PROPERTIES`` (``IF NOT EXISTS``)."""
    return [f"CREATE FULLTEXT INDEX {fulltext_index_name(label)} IF NOT EXISTS FOR (n:{label}) ON EACH ["
            + ", ".join(f"n.{p}" for p in props) + "]"
            for label, props in fulltext_properties(schema).items()]


def vector_index_statements(label: str, prop: str, dimensions: int) -> tuple[str, str]:
    """``(drop, create)`` statements that rebuild the cosine vector index on ``label.prop``.

    Quantization is off: Neo4j >= 5.23 quantizes vector indexes by default (``vector.quantization.enabled``),
    which shifts scores by ~1e-4 and can reorder near-ties; the graph's embeddings (a few thousand proteins x
    64 dimensions) fit unquantized, and scores then equal ``vector.similarity.cosine`` and FalkorDB's.
    """
    name = vector_index_name(label, prop)
    if not isinstance(dimensions, int) or dimensions < 1:
        raise ValueError(f"vector dimensions must be a positive int, got {dimensions!r}")
    create = (f"CREATE VECTOR INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop}) OPTIONS {{indexConfig: "
              f"{{`vector.dimensions`: {dimensions}, `vector.similarity_function`: 'cosine', "
              "`vector.quantization.enabled`: false}}")
    return f"DROP INDEX {name} IF EXISTS", create


def cosine_from_score(score: float) -> float:
    """Cosine similarity from a Neo4j cosine vector-index score, which is normalised to (1 + cos) / 2
    (Neo4j Cypher manual, "Vector indexes: cosine similarity function")."""
    return 2.0 * score - 1.0


# --------------------------------------------------------------------------------------------- results
def collected_rows_statement(cypher: str, columns: Sequence[str]) -> str:
    """``cypher`` (a read query whose result columns are ``columns``, in order) as a statement returning one
    record, ``rows``: the list of its rows, each a list of the ``columns``' values, in the query's row order.

    Why: the Python driver spends about 40 us per record on its own (one Bolt message each: two socket reads,
    the record's hydration), the server about 2 us; 1,000 rows of 8 short columns took 51 ms as records and 13 ms
    as one list (the project's Neo4j 5.26 on 2 cores; README, "Neo4j load paths"). A ``CALL {}`` subquery that
    imports nothing runs once; ``collect()`` appends its rows in the order the subquery returns them (its
    ``ORDER BY``).

    Column names are quoted with backticks (any name Neo4j returned is accepted). A query that cannot be a
    subquery (``SHOW ...``, a ``CYPHER`` prefix, an unaliased ``RETURN count(*)``) makes the statement a syntax
    error; the caller runs such a query as it is.

    Raises:
        ValueError: no columns.
    """
    if not columns:
        raise ValueError("a collected statement needs at least one column")
    values = ", ".join("`" + name.replace("`", "``") + "`" for name in columns)
    return f"CALL {{\n{cypher}\n}}\nRETURN collect([{values}]) AS rows"


_SCALAR_TYPES = frozenset({type(None), str, int, float, bool, bytes})
"""Result value types returned as they are (exact types: a Point is a tuple subclass and is converted)."""


def to_plain(value: object, primary_labels: frozenset[str] | set[str] = frozenset()) -> object:
    """A Neo4j driver value as plain Python values.

    node -> ``{**properties, "_labels": [...]}`` (labels in ``primary_labels`` first, then alphabetical);
    relationship -> ``{**properties, "_type": type}``; path -> ``{"nodes": [...], "relationships": [...]}``;
    temporal values -> ISO 8601 strings; points -> ``{"x", "y"[, "z"]}`` or ``{"longitude", "latitude"
    [, "height"]}``; vectors -> lists; maps and lists recursively.
    """
    if type(value) in _SCALAR_TYPES:  # most values: one set lookup instead of the isinstance chain below
        return value
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    if isinstance(value, Node):
        labels = sorted(value.labels, key=lambda x: (x not in primary_labels, x))
        return {**{k: to_plain(v, primary_labels) for k, v in value.items()}, "_labels": labels}
    if isinstance(value, Relationship):
        return {**{k: to_plain(v, primary_labels) for k, v in value.items()}, "_type": value.type}
    if isinstance(value, Path):
        return {"nodes": [to_plain(n, primary_labels) for n in value.nodes],
                "relationships": [to_plain(r, primary_labels) for r in value.relationships]}
    if isinstance(value, Date | DateTime | Time | Duration):
        return value.iso_format()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, WGS84Point):
        names = ("longitude", "latitude", "height")
        return dict(zip(names, value, strict=False))
    if isinstance(value, CartesianPoint):
        return dict(zip(("x", "y", "z"), value, strict=False))
    if isinstance(value, Vector):
        return list(value.to_native())
    if isinstance(value, Mapping):
        return {k: to_plain(v, primary_labels) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _SCALAR_TYPES else to_plain(v, primary_labels) for v in value]
    raise TypeError(f"unexpected Neo4j result value of type {type(value).__name__}: {value!r}")


def plan_lines(plan: Mapping | None, depth: int = 0) -> list[str]:
    """A Neo4j result-summary plan (``{"operatorType", "args", "identifiers", "children"}``) as indented lines
    ``<operator> | <details>``, one per operator, children indented by four spaces."""
    if not plan:
        return []
    operator = str(plan.get("operatorType", "?")).split("@")[0]
    args = plan.get("args") or plan.get("arguments") or {}
    details = args.get("Details")
    line = "    " * depth + operator + (f" | {details}" if details else "")
    return [line] + [x for child in plan.get("children", []) for x in plan_lines(child, depth + 1)]
