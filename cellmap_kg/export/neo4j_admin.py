"""Export the graph as CSV files for ``neo4j-admin database import full``, the fastest way to load a large graph
into an empty Neo4j 5 database (it writes the store files directly, without transactions).

Files written to the output directory (format: Neo4j Operations Manual 5, "Import" > "CSV header format"):

* ``nodes_<Label>.csv``: header ``<key>:ID(<Label>)``, one column per declared property as ``name:<type>``, and
  ``:LABEL`` (the primary label plus declared extra labels such as ``Bait``, joined by the array delimiter).
  The key column is both the import id (an id space per label) and the stored key property.
* ``rels_<TYPE>.csv``: header ``:START_ID(<Source label>)``, ``:END_ID(<Target label>)``, the declared
  properties and ``:TYPE``; a type declared between several labels (``ENRICHED_FOR`` -> GOTerm, Complex,
  Compartment) gets one file per label pair, ``rels_<TYPE>_<Source>_<Target>.csv``.
* ``neo4j-admin-import.sh``: the import command for these files (run it with the database stopped).
* ``schema.cypher``: the uniqueness constraints, range and full-text indexes to create after the import (the import
  creates none), generated from the schema declaration by ``cellmap_kg.store.neo4j_ddl``.

Property types map to header types by ``schema.types`` (``int -> long``, ``float -> double``, lists to
``string[]``/``long[]``/``double[]``; one table for the whole package). Array items are joined by the first of
``ARRAY_DELIMITERS`` that occurs in no exported array item (the command names it with ``--array-delimiter``);
``--multiline-fields=true`` is added only when a value contains a line break.

Example::

    >>> node_header(SCHEMA.nodes["Complex"])[:2]
    ['id:ID(Complex)', 'name:string']
    >>> format_value(["IDA", "IEA"], "list[string]", ";")
    'IDA;IEA'

``load_into_server`` does the whole round trip into the project's own Neo4j (``cellmap-kg neo4j import --from
URI``): export, ``neo4j-admin database import full`` into a staging instance, schema, count check, atomic swap
(``cellmap_kg.store.neo4j_rebuild``).
"""

from __future__ import annotations

import csv
import shlex
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..schema import PROPERTY_TYPES, SCHEMA, NodeType, RelationshipType, Schema
from ..store.base import GraphStore
from ..store.neo4j_ddl import constraint_statements, fulltext_index_statements, range_index_statements

ARRAY_DELIMITERS = (";", "|", "\u00a6")
"""Candidate array delimiters, in order of preference (``;`` is neo4j-admin's default)."""

IMPORT_SCRIPT = "neo4j-admin-import.sh"
SCHEMA_SCRIPT = "schema.cypher"


class ExportError(UserError, RuntimeError):
    """The graph cannot be exported as asked (the message says which element and why)."""


class _DelimiterConflict(Exception):
    def __init__(self, where: str):
        self.where = where


def node_file(label: str) -> str:
    """File name of the node CSV of ``label``."""
    return f"nodes_{label}.csv"


def end_pairs(rel: RelationshipType) -> list[tuple[str, str]]:
    """Every (source label, target label) pair ``rel`` may connect, in declaration order."""
    return [(s, t) for s in rel.sources for t in rel.targets]


def relationship_file(rel: RelationshipType, source: str, target: str) -> str:
    """File name of the relationship CSV of ``rel`` between ``source`` and ``target`` nodes: ``rels_<TYPE>.csv``,
    or ``rels_<TYPE>_<Source>_<Target>.csv`` for a type with several end-label pairs (an import id space is one
    label, so each pair needs its own header)."""
    if len(end_pairs(rel)) == 1:
        return f"rels_{rel.type}.csv"
    return f"rels_{rel.type}_{source}_{target}.csv"


def node_header(node: NodeType) -> list[str]:
    """CSV header of ``node``'s file: key as ``:ID(<Label>)``, other declared properties typed, then ``:LABEL``."""
    others = [f"{name}:{PROPERTY_TYPES[prop.type].neo4j_admin}" for name, prop in node.properties.items()
              if name != node.key]
    return [f"{node.key}:ID({node.label})", *others, ":LABEL"]


def relationship_header(rel: RelationshipType, source: str, target: str) -> list[str]:
    """CSV header of ``rel``'s file between ``source`` and ``target`` labels: ``:START_ID(<source>)``,
    ``:END_ID(<target>)``, the declared properties typed, ``:TYPE``."""
    props = [f"{name}:{PROPERTY_TYPES[prop.type].neo4j_admin}" for name, prop in rel.properties.items()]
    return [f":START_ID({source})", f":END_ID({target})", *props, ":TYPE"]


def format_value(value: object, prop_type: str, delimiter: str, where: str = "") -> str:
    """``value`` as a neo4j-admin CSV field of declared type ``prop_type`` (``None`` -> empty: no property).

    Raises ``_DelimiterConflict`` (internal) when an array item contains ``delimiter`` and ``ExportError`` when
    a list property holds a non-list value.
    """
    if value is None:
        return ""
    if prop_type.startswith("list["):
        if not isinstance(value, list):
            raise ExportError(f"{where}: expected a list for a {prop_type} property, found {value!r:.80}")
        items = [_scalar(item) for item in value]
        if any(delimiter in item for item in items):
            raise _DelimiterConflict(where)
        return delimiter.join(items)
    return _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


@dataclass
class Neo4jAdminExport:
    """What ``export_neo4j_admin`` wrote: ``files`` (paths), ``counts`` (rows per label/type),
    ``array_delimiter``, ``multiline`` (some value has a line break) and the ``command`` that imports them."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    array_delimiter: str = ";"
    multiline: bool = False
    database: str = "neo4j"

    def admin_arguments(self, import_dir: str | None = None) -> list[str]:
        """The arguments of ``neo4j-admin`` that import these files (``database import full <database> ...``);
        file paths are prefixed by ``import_dir`` (default: the export directory), e.g. ``/import`` for the
        directory as mounted in a container."""
        prefix = (import_dir or str(self.directory.absolute())).rstrip("/")
        parts = ["database", "import", "full", self.database, "--overwrite-destination",
                 f"--array-delimiter={self.array_delimiter}"]
        if self.multiline:
            parts.append("--multiline-fields=true")
        for path in self.files:
            kind = "--nodes" if path.name.startswith("nodes_") else "--relationships"
            parts.append(f"{kind}={prefix}/{path.name}")
        return parts

    def command(self, import_dir: str | None = None) -> str:
        """The ``neo4j-admin database import full`` command line of ``admin_arguments(import_dir)``."""
        return " ".join(shlex.quote(p) for p in ["neo4j-admin", *self.admin_arguments(import_dir)])


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _selection(schema: Schema, include: Iterable[str] | None) -> tuple[list[NodeType], list[RelationshipType]]:
    if include is None:
        return list(schema.nodes.values()), list(schema.relationships.values())
    wanted = set(include)
    unknown = sorted(wanted - set(schema.nodes) - set(schema.relationships))
    if unknown:
        raise ExportError(f"not declared labels or relationship types: {unknown}")
    rels = [r for r in schema.relationships.values() if r.type in wanted]
    for rel in rels:
        missing = sorted({end for pair in end_pairs(rel) for end in pair} - wanted)
        if missing:
            raise ExportError(f"{rel.type} needs its end labels {missing} in the export too (neo4j-admin matches "
                              "relationship ends to exported nodes)")
    return [n for n in schema.nodes.values() if n.label in wanted], rels


def _export(store: GraphStore, out_dir: Path, nodes: list[NodeType], rels: list[RelationshipType], delimiter: str,
            database: str) -> Neo4jAdminExport:
    result = Neo4jAdminExport(out_dir, array_delimiter=delimiter, database=database)
    for node in nodes:
        names = list(node.properties)
        rows = store.read_nodes(node.label, names, with_labels=True)
        if not rows:
            continue
        allowed = {node.label, *node.extra_labels}
        lines = []
        for row in rows:
            where = f"{node.label} {row[node.key]!r}"
            fields = [format_value(row[node.key], "string", delimiter, where)]
            fields += [format_value(row[name], node.properties[name].type, delimiter, f"{where}.{name}")
                       for name in names if name != node.key]
            labels = [node.label] + sorted(x for x in row["labels"] if x in allowed and x != node.label)
            fields.append(delimiter.join(labels))
            lines.append(fields)
        path = out_dir / node_file(node.label)
        _write_csv(path, node_header(node), lines)
        result.files.append(path)
        result.counts[node.label] = len(lines)
        result.multiline |= any("\n" in f or "\r" in f for fields in lines for f in fields)
    for rel in rels:
        for source, target in end_pairs(rel):
            rows = store.read_relationships(rel.type, list(rel.properties), source_label=source, target_label=target)
            if not rows:
                continue
            lines = []
            for row in rows:
                where = f"{rel.type} {row['source']!r}->{row['target']!r}"
                fields = [str(row["source"]), str(row["target"])]
                fields += [format_value(row[name], prop.type, delimiter, f"{where}.{name}")
                           for name, prop in rel.properties.items()]
                fields.append(rel.type)
                lines.append(fields)
            path = out_dir / relationship_file(rel, source, target)
            _write_csv(path, relationship_header(rel, source, target), lines)
            result.files.append(path)
            result.counts[rel.type] = result.counts.get(rel.type, 0) + len(lines)
            result.multiline |= any("\n" in f or "\r" in f for fields in lines for f in fields)
    return result


def export_neo4j_admin(store: GraphStore, out_dir: Path | str, schema: Schema = SCHEMA, database: str = "neo4j",
                       include: Iterable[str] | None = None) -> Neo4jAdminExport:
    """Write node and relationship CSVs of every declared label and type present in ``store`` to ``out_dir``,
    plus ``neo4j-admin-import.sh`` and ``schema.cypher`` (see the module docstring).

    Only declared properties and labels are exported (the schema is the contract). ``include`` restricts the
    export to these labels and relationship types (a relationship type needs both its end labels). Returns a
    ``Neo4jAdminExport`` (``counts`` per label and per type). Raises ``ExportError`` for an unknown or
    inconsistent ``include``, if ``out_dir`` holds
    other CSV files (a stale export would be imported with the new one) or if every candidate array delimiter
    occurs in some array item; ``StoreError`` from the store.
    """
    nodes, rels = _selection(schema, include)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    own = {node_file(n) for n in schema.nodes} | {relationship_file(r, *pair) for r in schema.relationships.values()
                                                   for pair in end_pairs(r)}
    stale = sorted(p.name for p in out_dir.glob("*.csv") if p.name not in own)
    if stale:
        raise ExportError(f"{out_dir} holds other CSV files {stale[:5]}; export into an empty directory")
    for name in own:
        (out_dir / name).unlink(missing_ok=True)
    conflicts = []
    for delimiter in ARRAY_DELIMITERS:
        try:
            result = _export(store, out_dir, nodes, rels, delimiter, database)
            break
        except _DelimiterConflict as conflict:
            conflicts.append(f"{delimiter!r} in {conflict.where}")
            for name in own:
                (out_dir / name).unlink(missing_ok=True)
    else:
        raise ExportError("every candidate array delimiter occurs in an array item: " + "; ".join(conflicts))
    script = out_dir / IMPORT_SCRIPT
    script.write_text("#!/bin/sh\n# Load the exported graph into an empty, stopped Neo4j 5 database, then create the "
                      f"constraints with:\n#   cypher-shell -f {SCHEMA_SCRIPT}\nset -e\n"
                      'cd "$(dirname "$0")"\n' + result.command(import_dir=".") + "\n", encoding="utf-8")
    script.chmod(0o755)
    (out_dir / SCHEMA_SCRIPT).write_text(
        ";\n".join(constraint_statements(schema) + range_index_statements(schema)
                   + fulltext_index_statements(schema)) + ";\n", encoding="utf-8")
    return result


def load_into_server(store: GraphStore, server, csv_dir: Path | str | None = None, *, start: bool = True):
    """Export ``store`` (any backend) and load it into the project's Neo4j ``server`` (a ``Neo4jServer``) with
    ``neo4j-admin database import full``, atomically (``neo4j_rebuild.import_csv``: staging instance, schema,
    count check, folder swap). ``server`` may be running (it answers with the previous graph until the swap)
    or stopped; ``start`` starts it afterwards.

    Args:
        csv_dir: keep the CSV files there (default: a temporary folder in the server's home, deleted after).

    Returns:
        ``(Neo4jAdminExport, ImportResult)``; ``ImportResult.timings`` gains ``export`` (seconds).

    Raises:
        ExportError: see ``export_neo4j_admin``. Neo4jServerError: the import or the count check failed (the
        live graph is unchanged).
    """
    from ..store.neo4j_rebuild import import_csv
    from ..store.neo4j_server import Neo4jServerError

    if not server.installed():  # fail before the export, not after it
        raise Neo4jServerError(f"no Neo4j installed in {server.home}: run `cellmap-kg neo4j install --home "
                               f"{server.home}`")
    temporary = csv_dir is None
    out_dir = Path(tempfile.mkdtemp(prefix="neo4j-admin-", dir=server.home)) if temporary else Path(csv_dir)
    try:
        t0 = time.perf_counter()
        export = export_neo4j_admin(store, out_dir)
        exported = time.perf_counter() - t0
        result = import_csv(server, export, start=start)
    finally:
        if temporary:
            shutil.rmtree(out_dir, ignore_errors=True)
    result.timings = {"export": exported, **result.timings}
    return export, result
