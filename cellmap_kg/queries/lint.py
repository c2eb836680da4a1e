"""Check query files: Neo4j's own Cypher linter against our declared schema, plus the project rules.

Three kinds of finding, each a :class:`Diagnostic` with the file line and column:

``neo4j``
    Syntax and semantic errors and warnings from Neo4j's linter (npm ``@neo4j-cypher/language-support``, Cypher 5),
    including misspelt or non-built-in functions and any procedure CALL (see :mod:`.node_linter`).
``schema``
    The linter is given the schema of ``cellmap_kg/schema/schema.yaml`` as its database schema (labels with the
    extra labels, relationship types, every property key, and each relationship's source/target labels). Its
    "not present in the database" and impossible-path warnings then mean "not declared in schema.yaml": a typo
    or a missing declaration. They are reported as **errors**, because the declaration is complete by design.
``falkordb`` / ``read-only``
    Constructs FalkorDB does not run, and write clauses (see :mod:`.rules`).

Errors must be fixed; warnings are reported (the test suite requires shipped queries to have none of either).

Example::

    >>> from cellmap_kg.queries.registry import load_queries
    >>> found = lint_queries(load_queries())            # doctest: +SKIP
    >>> [str(d) for ds in found.values() for d in ds]   # doctest: +SKIP
    []
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..schema import SCHEMA, Schema
from ..schema.types import VALUE_TYPES
from .cypher_text import line_column
from .node_linter import LintToolError, run_linter
from .registry import QuerySpec
from .rules import rule_violations

CYPHER_VERSION = "CYPHER 5"
SCHEMA_FILE = "cellmap_kg/schema/schema.yaml"

_NOT_PRESENT = re.compile(r"^(?P<what>.+?) is not present in the database\.")
_PATH_VIOLATION = re.compile(r"^(?:\[:[^\]]*\]|\(:[^)]*\)) has no ")

__all__ = ["Diagnostic", "LintToolError", "db_schema", "lint_parameters", "lint_queries", "lint_texts"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding in query ``query``: 1-based ``line``/``column`` in ``path`` (the .cypher file; ``None`` for a
    bare text, where lines count from the text's start), ``severity`` (``error``, ``warning``, ``information``,
    ``hint``), ``source`` (``neo4j``, ``schema``, ``falkordb``, ``read-only``) and ``message``."""

    query: str
    line: int
    column: int
    severity: str
    message: str
    source: str
    path: Path | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.path if self.path is not None else self.query
        return f"{where}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.source}]"


def db_schema(schema: Schema = SCHEMA) -> dict[str, Any]:
    """Neo4j linter ``DbSchema`` of ``schema``: labels (with extra labels such as Bait/Prey), relationship types,
    all property keys, ``graphSchema`` (``{from, to, relType}`` for every declared endpoint pair, extra labels
    included) and the Cypher version (``CYPHER 5``)."""
    labels = {label: [label, *node.extra_labels] for label, node in schema.nodes.items()}
    keys = {p for node in schema.nodes.values() for p in node.properties}
    keys |= {p for rel in schema.relationships.values() for p in rel.properties}
    paths = [{"from": a, "to": b, "relType": rel.type} for rel in schema.relationships.values()
             for s in rel.sources for t in rel.targets for a in labels[s] for b in labels[t]]
    return {
        "labels": sorted({x for names in labels.values() for x in names}),
        "relationshipTypes": sorted(schema.relationships),
        "propertyKeys": sorted(keys),
        "graphSchema": paths,
        "defaultLanguage": CYPHER_VERSION,
    }


def _neo4j_diagnostic(name: str, raw: dict) -> Diagnostic:
    message, severity, source = raw["message"], raw["severity"], "neo4j"
    missing = _NOT_PRESENT.match(message)
    if missing:
        what = missing.group("what")
        if what.startswith("Function "):
            message = f"{what} is not a built-in Neo4j 5 function"
        elif what.startswith("Procedure "):
            message = (f"{what}: query files may not CALL procedures (they differ between backends; "
                       "backend-specific calls live in cellmap_kg/store/)")
        else:
            what = what if " " in what else f"Property key {what}"
            message, severity, source = f"{what} is not declared in {SCHEMA_FILE}", "error", "schema"
    elif _PATH_VIOLATION.match(message):
        message, severity, source = f"{message} according to {SCHEMA_FILE}", "error", "schema"
    return Diagnostic(query=name, line=raw["line"] + 1, column=raw["column"] + 1, severity=severity,
                      message=message, source=source)


def lint_texts(texts: Mapping[str, str], parameters: Mapping[str, dict[str, Any]] | None = None, *,
               console_commands: bool = False, schema: Schema = SCHEMA,
               cache_dir: Path | None = None) -> dict[str, list[Diagnostic]]:
    """Lint Cypher ``texts`` (``{name: text}``) with Neo4j's linter and the project rules; lines count from
    each text's first line. ``parameters[name]`` gives the ``$parameters`` the text may use (any others are an
    error); ``console_commands=True`` accepts Neo4j Browser commands such as ``:param x => 1;``. Raises
    ``LintToolError`` if node/npm are missing or the linter fails."""
    parameters = parameters or {}
    requests = [{"name": name, "cypher": text, "parameters": parameters.get(name, {})} for name, text in texts.items()]
    answer = run_linter(requests, db_schema(schema), console_commands=console_commands, cache_dir=cache_dir)
    if not answer.get("functions"):
        raise LintToolError(f"linter {answer.get('linter')} gave no built-in function list (testData.mockSchema), "
                            "so misspelt functions would pass: update lint_cypher.mjs for this version")
    found: dict[str, list[Diagnostic]] = {name: [] for name in texts}
    for result in answer["results"]:
        found[result["name"]] += [_neo4j_diagnostic(result["name"], raw) for raw in result["diagnostics"]]
    for name, text in texts.items():
        for violation in rule_violations(text):
            line, column = line_column(text, violation.offset)
            found[name].append(Diagnostic(query=name, line=line, column=column, severity="error",
                                          message=violation.message, source=violation.rule))
    return {name: sorted(ds, key=lambda d: (d.line, d.column, d.message)) for name, ds in found.items()}


def lint_parameters(spec: QuerySpec) -> dict[str, Any]:
    """``{name: value}`` the linter is told ``spec`` uses: defaults, or a placeholder of the declared type."""
    return {n: p.default if p.default is not None else VALUE_TYPES[p.type].placeholder
            for n, p in spec.parameters.items()}


def lint_queries(specs: Mapping[str, QuerySpec] | Iterable[QuerySpec], *, schema: Schema = SCHEMA,
                 cache_dir: Path | None = None) -> dict[str, list[Diagnostic]]:
    """``{query name: diagnostics}`` for every spec (an empty list when clean), positions in the .cypher file.

    All specs are linted in one node process: loading the linter and warming it up cost about 3 s of CPU, each
    further query about 0.15 s.
    Raises ``LintToolError`` if node/npm are missing or the linter fails.
    """
    specs = list(specs.values()) if isinstance(specs, Mapping) else list(specs)
    found = lint_texts({s.name: s.cypher for s in specs}, {s.name: lint_parameters(s) for s in specs},
                       schema=schema, cache_dir=cache_dir)
    return {s.name: [dataclasses.replace(d, line=d.line + s.body_line - 1, path=s.path) for d in found[s.name]]
            for s in specs}
