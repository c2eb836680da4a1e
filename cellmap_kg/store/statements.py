"""The Cypher the store interface builds from schema names, written once for both backends.

The generic reads and writes of :class:`cellmap_kg.store.base.GraphStore` (``read_nodes``, ``read_relationships``,
``delete_relationships``, ``clear_properties``, ``delete_nodes``, ``rename_map``) send the statements made here.
Every label, relationship type and property is checked against the schema declaration before it becomes text
(``SchemaError`` otherwise), and every value reaches the database as a ``$parameter``. Each builder returns
``(cypher, parameters)``, so the linter can check the statements over every declared label and type without a
database (``tests/queries/test_one_path.py``).

Selections: ``where`` maps a declared property to a value: equal to it, or, for a list, tuple or set, equal to
one of its items (``IN``); a ``None`` value matches nothing (Cypher's ``= null``). ``source_where`` /
``target_where`` select a relationship by properties of its end nodes.

Example::

    >>> read_nodes_statement("Assembly", ("id", "name"), {"map": ["A", "B"]})[0]
    'MATCH (n:Assembly) WHERE n.map IN $nMap RETURN n.id AS id, n.name AS name'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..schema import SCHEMA, Schema, SchemaError

Where = Mapping[str, object]
"""Property conditions: declared property -> value (equal) or list/tuple/set of values (one of them)."""

_LIST = (list, tuple, set, frozenset)


def _param_name(variable: str, prop: str) -> str:
    return variable + prop[0].upper() + prop[1:]


def _declared(properties: Iterable[str], declared: Mapping[str, object], what: str) -> list[str]:
    properties = list(properties)
    unknown = [p for p in properties if p not in declared]
    if unknown:
        raise SchemaError(f"{what}: properties {unknown} are not declared in schema.yaml")
    return properties


def _conditions(variable: str, where: Where | None, declared: Mapping[str, object], what: str,
                ) -> tuple[list[str], dict[str, object]]:
    """``["<variable>.<prop> = $<param>", ...]`` and the parameters of ``where``."""
    clauses, params = [], {}
    for prop in _declared(where or {}, declared, what):
        value, name = where[prop], _param_name(variable, prop)
        if isinstance(value, _LIST):
            clauses.append(f"{variable}.{prop} IN ${name}")
            params[name] = sorted(value) if isinstance(value, set | frozenset) else list(value)
        else:
            clauses.append(f"{variable}.{prop} = ${name}")
            params[name] = value
    return clauses, params


def _where(clauses: Sequence[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


def _node_label(schema: Schema, label: str) -> None:
    if label not in schema.nodes:
        raise SchemaError(f"node label {label!r} is not declared in schema.yaml")


def end_label(rel_type: str, end: str, declared: tuple[str, ...], given: str | None) -> str:
    """The label of one end (``"source"`` / ``"target"``) of ``rel_type``: ``given`` if it is among the ``declared``
    labels of that end, else the declared one if there is exactly one.

    Raises ``SchemaError``: ``given`` is not declared, or ``given`` is None and several labels are declared.
    """
    if given is None:
        if len(declared) != 1:
            raise SchemaError(f"{rel_type} has several {end} labels {declared}: pass {end}_label")
        return declared[0]
    if given not in declared:
        raise SchemaError(f"{rel_type}: {end} label {given!r} is not declared (declared: {declared})")
    return given


def _end(schema: Schema, rel_type: str, end: str, given: str | None, required: bool) -> str | None:
    """``end_label``, or ``None`` (an unlabelled end) when several labels are declared, none is given and the end
    need not be labelled (not ``required``)."""
    rel = schema.relationships[rel_type]
    declared = rel.sources if end == "source" else rel.targets
    if given is None and len(declared) != 1 and not required:
        return None
    return end_label(rel_type, end, declared, given)


def node_match(label: str, where: Where | None = None, variable: str = "n", schema: Schema = SCHEMA,
               optional: bool = False) -> tuple[str, dict[str, object]]:
    """``MATCH (<variable>:<label>) WHERE ...`` selecting the ``label`` nodes of ``where``, and its parameters.
    Raises ``SchemaError`` for an undeclared label or property."""
    _node_label(schema, label)
    clauses, params = _conditions(variable, where, schema.nodes[label].properties, label)
    keyword = "OPTIONAL MATCH" if optional else "MATCH"
    return f"{keyword} ({variable}:{label}){_where(clauses)}", params


def relationship_match(rel_type: str, where: Where | None = None, *, source_label: str | None = None,
                       target_label: str | None = None, source_where: Where | None = None,
                       target_where: Where | None = None, labelled_ends: bool = False,
                       schema: Schema = SCHEMA) -> tuple[str, dict[str, object], str | None, str | None]:
    """``MATCH (a:<source>)-[r:<rel_type>]->(b:<target>) WHERE ...``, its parameters and the two end labels.

    An end is labelled with ``source_label`` / ``target_label`` if given, else with the declared label when the
    type declares one; an end with several declared labels stays unlabelled, unless ``labelled_ends`` or its
    ``*_where`` needs a label (then ``SchemaError``). Raises ``SchemaError`` for undeclared names."""
    if rel_type not in schema.relationships:
        raise SchemaError(f"relationship type {rel_type!r} is not declared in schema.yaml")
    rel = schema.relationships[rel_type]
    source = _end(schema, rel_type, "source", source_label, labelled_ends or bool(source_where))
    target = _end(schema, rel_type, "target", target_label, labelled_ends or bool(target_where))
    clauses, params = _conditions("r", where, rel.properties, rel_type)
    for variable, label, selection in (("a", source, source_where), ("b", target, target_where)):
        if selection:
            more, values = _conditions(variable, selection, schema.nodes[label].properties, label)
            clauses += more
            params.update(values)
    a = f"(a:{source})" if source else "(a)"
    b = f"(b:{target})" if target else "(b)"
    return f"MATCH {a}-[r:{rel_type}]->{b}{_where(clauses)}", params, source, target


def read_nodes_statement(label: str, properties: Sequence[str], where: Where | None = None, *,
                         with_labels: bool = False, schema: Schema = SCHEMA) -> tuple[str, dict[str, object]]:
    """The statement of ``GraphStore.read_nodes``: one row per selected node, a column per property (named after
    it) and, with ``with_labels``, ``labels`` (every label of the node). Raises ``SchemaError`` for undeclared
    names and ``ValueError`` when nothing would be returned."""
    match, params = node_match(label, where, schema=schema)
    columns = [f"n.{p} AS {p}" for p in _declared(properties, schema.nodes[label].properties, label)]
    if with_labels:
        columns.append("labels(n) AS labels")
    if not columns:
        raise ValueError(f"read_nodes({label}): name at least one property (or with_labels=True)")
    return f"{match} RETURN {', '.join(columns)}", params


def read_relationships_statement(rel_type: str, properties: Sequence[str] = (), where: Where | None = None, *,
                                 source_label: str | None = None, target_label: str | None = None,
                                 source_where: Where | None = None, target_where: Where | None = None,
                                 schema: Schema = SCHEMA) -> tuple[str, dict[str, object]]:
    """The statement of ``GraphStore.read_relationships``: one row per selected relationship, ``source`` and
    ``target`` (the end nodes' schema keys) and a column per property. Both ends need a label (named, or the
    only declared one). Raises ``SchemaError`` for undeclared names or an ambiguous end."""
    match, params, source, target = relationship_match(
        rel_type, where, source_label=source_label, target_label=target_label, source_where=source_where,
        target_where=target_where, labelled_ends=True, schema=schema)
    props = _declared(properties, schema.relationships[rel_type].properties, rel_type)
    columns = [f"a.{schema.key_of(source)} AS source", f"b.{schema.key_of(target)} AS target"]
    columns += [f"r.{p} AS {p}" for p in props]
    return f"{match} RETURN {', '.join(columns)}", params


def delete_relationships_statement(rel_type: str, where: Where | None = None, *, source_label: str | None = None,
                                   target_label: str | None = None, source_where: Where | None = None,
                                   target_where: Where | None = None,
                                   schema: Schema = SCHEMA) -> tuple[str, dict[str, object]]:
    """The statement of ``GraphStore.delete_relationships``: deletes the selected relationships and returns their
    number as ``n``. Raises ``SchemaError`` for undeclared names."""
    match, params, _, _ = relationship_match(rel_type, where, source_label=source_label, target_label=target_label,
                                             source_where=source_where, target_where=target_where, schema=schema)
    return f"{match} DELETE r RETURN count(r) AS n", params


def clear_properties_statement(name: str, properties: Sequence[str], where: Where | None = None, *,
                               source_where: Where | None = None, target_where: Where | None = None,
                               schema: Schema = SCHEMA) -> tuple[str, dict[str, object]]:
    """The statement of ``GraphStore.clear_properties``: sets ``properties`` to null (removes them) on the selected
    nodes of label ``name`` or relationships of type ``name`` that have any of them, and returns their number as
    ``n``. Raises ``SchemaError`` for undeclared names (``*_where`` on a node label included) and ``ValueError``
    without properties."""
    if name in schema.relationships:
        match, params, _, _ = relationship_match(name, where, source_where=source_where, target_where=target_where,
                                                 schema=schema)
        variable, declared = "r", schema.relationships[name].properties
    elif source_where or target_where:
        raise SchemaError(f"clear_properties({name}): source_where/target_where select relationships only")
    else:
        match, params = node_match(name, where, schema=schema)
        variable, declared = "n", schema.nodes[name].properties
    props = _declared(properties, declared, name)
    if not props:
        raise ValueError(f"clear_properties({name}): name at least one property")
    present = " OR ".join(f"{variable}.{p} IS NOT NULL" for p in props)
    joiner = " AND " if " WHERE " in match else " WHERE "
    sets = ", ".join(f"{variable}.{p} = null" for p in props)
    return f"{match}{joiner}({present}) SET {sets} RETURN count({variable}) AS n", params


def delete_nodes_statement(selections: Mapping[str, Where], schema: Schema = SCHEMA,
                           ) -> tuple[str, dict[str, object]]:
    """The statement of ``GraphStore.delete_nodes``: one statement deleting, for each ``label: where`` of
    ``selections`` in turn, the selected nodes with their relationships (``DETACH DELETE``), and returning the
    number deleted per selection as ``c0, c1, ...``. Raises ``SchemaError`` for undeclared names and
    ``ValueError`` without selections."""
    if not selections:
        raise ValueError("delete_nodes: name at least one label")
    parts, params, counts = [], {}, []
    for i, (label, where) in enumerate(selections.items()):
        match, values = node_match(label, where, variable=f"n{i}", schema=schema, optional=True)
        params.update(values)
        counts.append(f"count(n{i}) AS c{i}")
        parts.append(f"{match} DETACH DELETE n{i} WITH {', '.join([f'c{j}' for j in range(i)] + [counts[-1]])}")
    return " ".join(parts) + " RETURN " + ", ".join(f"c{i}" for i in range(len(selections))), params


RENAME_MAP = (
    "OPTIONAL MATCH (x:Assembly {map: $name}) WITH count(x) AS existing "
    "MATCH (a:Assembly {map: $staging}) WHERE existing = 0 "
    "SET a.map = $name, a.id = $name + substring(a.id, $cut) "
    "WITH count(a) AS n WHERE n > 0 "
    "MERGE (d:Dataset {id: $dataset}) SET d += $props RETURN n")
"""The statement of ``GraphStore.rename_map`` (parameters ``staging``, ``name``, ``cut`` = ``len(staging)``,
``dataset``, ``props``): renames the assemblies of map ``$staging`` to map ``$name`` (their ``map`` and the map
prefix of their ``id``) and MERGEs the ``Dataset`` node ``$dataset`` with ``$props``, unless a map ``$name``
exists; returns ``n`` (assemblies renamed) or no row."""
