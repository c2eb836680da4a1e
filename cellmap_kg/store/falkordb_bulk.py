"""Load a whole new graph into FalkorDB with ``GRAPH.BULK``, its binary bulk-insert protocol.

``GRAPH.BULK`` is the command the ``falkordb-bulk-loader`` package (PyPI) sends. That package reads CSV files and
infers each value's type from its text (so a list of numeric-looking strings would become numbers); here the rows
are already typed Python values, so they are encoded directly in the same protocol. Format (FalkorDB
``src/bulk_insert/bulk_insert.c`` and ``src/commands/cmd_bulk_insert.c``, checked on FalkorDB 4.16)::

    GRAPH.BULK <graph> [BEGIN] <nodes> <relationships> <node tokens> <relationship tokens> <token>...

- ``BEGIN`` on the first call only: the graph must not exist yet (FalkorDB refuses otherwise).
- a token: ``label[:label...]\\0``, property count (uint32), property names (``name\\0`` each), then one entity
  after another: a node is one value per property; a relationship is its source and target node ids (2 x uint64)
  then one value per property.
- a value: one type byte, then NULL (0, nothing; the property is not set), BOOL (1, one byte), DOUBLE (2, float64),
  STRING (3, UTF-8 ending in NUL), LONG (4, int64), ARRAY (5, int64 length then that many values).
- all numbers in native byte order (the server runs on this machine).

Node ids of a new graph are assigned 0, 1, 2 ... in the order the nodes arrive, across calls, so relationship
tokens name their end nodes by that position.

The result is the graph ``GraphStore.write_nodes`` / ``write_relationships`` would make from the same batches
(the default ``GraphStore.write_graph``): rows of one label with the same key are merged into one node (later
non-null properties win, extra labels add up, as ``MERGE ... SET n += props`` does), nodes are created in the
order their keys first appear, labels, relationship types and properties are declared in the same order, and
relationships are created in row order. A relationship whose end node does not exist is not written (the count
returned per batch tells the caller, as ``write_relationships`` does).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterator, Sequence

from ..schema import Schema
from .base import BadParameter, MergedNodes, NodeRows, RelationshipRows, resolved_ends

NULL, BOOL, DOUBLE, STRING, LONG, ARRAY = range(6)
MAX_CALL_BYTES = 32 * 1024 * 1024
"""Bytes of tokens per ``GRAPH.BULK`` call (Redis accepts up to 512 MB per argument; smaller calls stream)."""

_LONG = struct.Struct("=Bq").pack
_DOUBLE = struct.Struct("=Bd").pack
_ENDS = struct.Struct("=QQ").pack
_COUNT = struct.Struct("=I").pack
_TRUE, _FALSE, _NULL = bytes([BOOL, 1]), bytes([BOOL, 0]), bytes([NULL])
_INT64 = (-(2 ** 63), 2 ** 63 - 1)


def encode_value(value: object, out: bytearray) -> None:
    """Append the bulk-protocol encoding of ``value`` (None, bool, int, float, str, list/tuple of these, numpy
    scalar) to ``out``.

    Raises:
        BadParameter: a NaN or infinite float, an integer outside int64, a string with a NUL character (the server
            reads strings as C strings), or a value of another type (maps have no bulk encoding).
    """
    kind = type(value)
    if kind is str:
        data = value.encode()
        if b"\x00" in data:
            raise BadParameter(f"string value contains a NUL character: {value[:40]!r}")
        out += b"\x03" + data + b"\x00"
    elif value is None:
        out += _NULL
    elif kind is bool:
        out += _TRUE if value else _FALSE
    elif kind is int:
        if not _INT64[0] <= value <= _INT64[1]:
            raise BadParameter(f"integer value {value} does not fit in 64 bits")
        out += _LONG(LONG, value)
    elif kind is float:
        if not math.isfinite(value):
            raise BadParameter(f"property value {value!r} is not a finite number")
        out += _DOUBLE(DOUBLE, value)
    elif kind is list or kind is tuple:
        out += _LONG(ARRAY, len(value))
        for item in value:
            encode_value(item, out)
    elif hasattr(value, "item") and hasattr(value, "dtype"):  # numpy scalar
        encode_value(value.item(), out)
    else:
        raise BadParameter(f"cannot bulk-load a {kind.__name__} property value: {value!r}")


def _header(labels: str, props: Sequence[str]) -> bytes:
    return labels.encode() + b"\x00" + _COUNT(len(props)) + b"".join(p.encode() + b"\x00" for p in props)


def _columns(rows: Sequence[dict], declared: Sequence[str], skip: tuple[str, ...] = ()) -> list[str]:
    """Property names with a non-null value in some row, in declaration order (undeclared ones last; ``build``
    validates rows against the schema before they get here)."""
    present = set().union(*rows).difference(skip)
    order = [p for p in declared if p in present] + sorted(present.difference(declared))
    return [p for p in order if any(row.get(p) is not None for row in rows)]


class _StringCache(dict):
    """Encoded STRING values by text: relationship properties repeat a few values (data set ids, evidence)."""

    def __missing__(self, text: str) -> bytes:
        out = bytearray()
        encode_value(text, out)
        self[text] = encoded = bytes(out)
        return encoded


class BulkPlan(MergedNodes):
    """The nodes of a new graph, merged on their keys and numbered in creation order (``MergedNodes``: node ids
    are those numbers); relationships are encoded one batch at a time from it (``relationship_tokens``).
    ``labels`` is the order FalkorDB numbers labels in (first use; ``labels(n)`` follows it)."""

    def node_tokens(self) -> Iterator[tuple[int, bytes | bytearray]]:
        """``(nodes, token)`` pairs creating every node in id order: first one empty token per label (so labels are
        numbered in first-use order), then one token per run of consecutive nodes with the same labels."""
        for label in self.labels:
            yield 0, _header(label, ())
        for labels, run in self._runs():
            props = _columns(run, list(self.schema.nodes[labels[0]].properties))
            out = bytearray(_header(":".join(sorted(labels, key=self.labels.index)), props))
            for row in run:
                for p in props:
                    encode_value(row.get(p), out)
            yield len(run), out

    def _runs(self) -> Iterator[tuple[tuple[str, ...], list[dict]]]:
        """``(labels, rows)`` for each run of consecutive nodes with the same labels, in node id order (one token
        each: the ids a token creates are consecutive)."""
        start, n = 0, len(self.rows)
        while start < n:
            labels = self.node_labels[start]
            end = start + 1
            while end < n and self.node_labels[end] == labels:
                end += 1
            yield labels, self.rows[start:end]
            start = end

    def relationship_tokens(self, batch: RelationshipRows) -> tuple[int, bytearray]:
        """``(relationships, token)`` for ``batch``; rows whose end nodes are not in the plan are left out (the
        count says how many were encoded). Raises ``SchemaError`` for an undeclared end label."""
        ends = resolved_ends(self.schema, batch, self.ids)
        props = _columns(batch.rows, list(self.schema.relationships[batch.type].properties), ("source", "target"))
        out = bytearray(_header(batch.type, props))
        strings, written = _StringCache(), 0
        for a, b, row in ends:
            out += _ENDS(a, b)
            for p in props:
                value = row.get(p)
                if value.__class__ is str:
                    out += strings[value]
                else:
                    encode_value(value, out)
            written += 1
        return written, out


def bulk_load(command: Callable[..., object], graph: str, schema: Schema, nodes: Sequence[NodeRows],
              relationships: Sequence[RelationshipRows],
              progress: Callable[[str, int], None] | None = None) -> list[int]:
    """Create graph ``graph`` (which must not exist) from ``nodes`` then ``relationships`` with ``GRAPH.BULK``.

    ``command(*args)`` runs one server command. Returns the relationships written per batch of
    ``relationships`` (fewer than its rows when some end nodes do not exist). ``progress(what, n)`` is called
    after each batch is sent.

    Raises:
        BadParameter: a value with no bulk encoding (see ``encode_value``); nothing is created then only if it is
            in the first call, so callers build into a staging graph they can drop.
        SchemaError: an undeclared label or relationship end.
    """
    plan = BulkPlan(schema)
    for batch in nodes:
        plan.add_nodes(batch)
    sender = _Sender(command, graph)
    for n, token in plan.node_tokens():
        sender.add(token, n, relationships=False)
    if progress:
        for batch in nodes:
            progress(batch.label, len(batch.rows))
    written = []
    for batch in relationships:
        n, token = plan.relationship_tokens(batch)
        sender.add(token, n, relationships=True)
        written.append(n)
        if progress:
            progress(batch.type, len(batch.rows))
    sender.flush()
    return written


class _Sender:
    """Collects tokens into ``GRAPH.BULK`` calls of about ``MAX_CALL_BYTES`` (node tokens before relationship
    tokens within a call, as the protocol wants) and sends them; the first call carries ``BEGIN``."""

    def __init__(self, command: Callable[..., object], graph: str):
        self.command, self.graph = command, graph
        self.begun = False
        self._reset()

    def _reset(self) -> None:
        self.node_tokens, self.rel_tokens = [], []
        self.n_nodes = self.n_rels = self.size = 0

    def add(self, token: bytes | bytearray, count: int, relationships: bool) -> None:
        """Queue a token of ``count`` nodes (or relationships), sending the queue first if it is full."""
        if (self.rel_tokens and not relationships) or self.size + len(token) > MAX_CALL_BYTES:
            self.flush()
        if relationships:
            self.rel_tokens.append(token)
            self.n_rels += count
        else:
            self.node_tokens.append(token)
            self.n_nodes += count
        self.size += len(token)

    def flush(self) -> None:
        if not self.node_tokens and not self.rel_tokens:
            return
        args = ["GRAPH.BULK", self.graph] + ([] if self.begun else ["BEGIN"])
        args += [self.n_nodes, self.n_rels, len(self.node_tokens), len(self.rel_tokens),
                 *map(memoryview, self.node_tokens), *map(memoryview, self.rel_tokens)]  # redis-py sends views as is
        self.command(*args)
        self.begun = True
        self._reset()
