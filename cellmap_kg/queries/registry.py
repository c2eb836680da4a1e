"""The query library: one ``.cypher`` file per question, read and bound here.

A query file is the unit users see in Neo4j Browser, the CLI, Python and REST. This module only reads the files'
headers and binds parameters; :mod:`cellmap_kg.queries.lint` checks the Cypher and
:mod:`cellmap_kg.queries.publish` writes Browser scripts and docs.

File format
-----------
``cellmap_kg/queries/<name>.cypher`` starts with a header of ``//`` comment lines; with the ``//`` (and one
following space) removed they form a YAML mapping. The first line that does not start with ``//`` ends the header;
the rest of the file (leading blank lines skipped) is one Cypher statement::

    // name: uncharacterized-in-mutated-assemblies
    // question: Which poorly characterized proteins sit in assemblies recurrently mutated in paediatric tumours?
    // description: >-
    //   Free text; YAML folded block scalars (>-) wrap long paragraphs.
    // reproduces: Schaffer et al. 2025, Fig. 5
    // parameters:
    //   minFrequency: {type: float, default: 0.02, unit: fraction of tumours, description: lowest mutation frequency}
    //   map: {type: string, default: U2OS-2023-05, description: the cell map, choices: [U2OS-2023-05]}
    //   symbols: {type: "list[string]", description: HGNC symbols (no default, so the parameter is required)}
    // columns: [assembly, symbol]
    MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {map: $map})
    ...
    RETURN a.id AS assembly, p.symbol AS symbol

Header keys:

=============  ========  ===============================================================================
key            required  meaning
=============  ========  ===============================================================================
name           yes       kebab-case, equal to the file name without ``.cypher``
question       yes       the question the query answers, in one sentence
columns        yes       the result columns, in order; must equal the final RETURN's names (use ``AS``)
description    no        method, thresholds and their sources, caveats
reproduces     no        the figure or table of a paper the query reproduces
parameters     no        ``name: {type, default, description, unit, choices}`` per ``$name`` in the Cypher
fulltext       no        ``{text, hits, labels, limit, within}``: fill ``$hits`` from a full-text index
example        no        ``{parameter: value}``: representative values (docs example output, benchmarks)
=============  ========  ===============================================================================

Parameter ``type`` is one of ``string``, ``int``, ``float``, ``bool``, ``list[string]`` (quote it in YAML);
``description`` is required; a missing or ``null`` ``default`` makes the parameter required; ``unit`` names the
unit (proteins, nm, articles, fraction of tumours); ``choices`` lists the allowed values. Parameter names are
camelCase. Every ``$name`` used in the Cypher must be declared and every declared parameter must be used.
Parameters always reach the database as Cypher ``$parameters``, never by string formatting.

Full-text hook: a query that searches by name stays portable Cypher (a ``CONTAINS`` scan) and declares
``fulltext: {text: <string parameter>, hits: <list[string] parameter, default []>, labels: [Label, ...],
limit: <int parameter, optional>, within: <list[string] parameter naming the labels to search, optional>}``.
Before such a query runs, :meth:`QuerySpec.run` asks ``store.fulltext_search(label, text, limit)`` (the backend's
full-text index; DDL and procedures live in the store adapters) for each label and passes the answers as
``$hits``: ``'Label<TAB>key<TAB>score'`` strings, scores divided by the label's best score (0-1]. The Cypher then
only looks up those nodes; with ``$hits`` empty (Neo4j Browser, a store without ``fulltext_search``, nothing
found) it scans with ``CONTAINS``. Hits given by the caller are kept.

A file breaking any rule raises :class:`QueryDefinitionError` naming the file and line.

Example::

    >>> queries = load_queries()
    >>> spec = queries["uncharacterized-in-mutated-assemblies"]
    >>> spec.bind(["maxSize=30"])["maxSize"]
    30
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import UserError
from ..schema import SCHEMA
from ..schema.types import VALUE_TYPES
from .cypher_text import line_column, parameter_uses, returned_columns, top_level_statement_ends

if TYPE_CHECKING:
    from ..store.base import GraphStore

QUERY_DIR = Path(__file__).parent
INTERNAL_DIR = QUERY_DIR / "internal"
"""The package's internal statements: reads its own modules run (analyses, exporters, maps), in the library's file
format but no part of the library (no CLI, REST or Browser face); run with :func:`run_internal`."""
PARAM_TYPES = ("string", "int", "float", "bool", "list[string]")
"""The value types (``schema.types``) a query parameter may have."""
HEADER_KEYS = ("name", "question", "description", "reproduces", "parameters", "columns", "fulltext", "example")
REQUIRED_HEADER_KEYS = ("name", "question", "columns")
PARAM_KEYS = ("type", "default", "description", "unit", "choices")
FULLTEXT_KEYS = ("text", "hits", "labels", "limit", "within")
HIT_SEPARATOR = "\t"
"""Separates label, key and score in a full-text hit string."""
DEFAULT_FULLTEXT_LIMIT = 20
"""Hits asked per label when the ``fulltext`` header names no ``limit`` parameter."""

_QUERY_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PARAM_NAME = re.compile(r"^[a-z][A-Za-z0-9]*$")
_COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class QueryDefinitionError(UserError, ValueError):
    """A query file is malformed. ``path`` and 1-based ``line`` locate the problem; the message says what was
    expected."""

    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line = Path(path), line
        super().__init__(f"{path}:{line}: {message}")


class QueryParameterError(UserError, ValueError):
    """A parameter given to a query is unknown, missing or not of its declared type (``query``, ``parameter``)."""

    def __init__(self, query: str, parameter: str | None, message: str):
        self.query, self.parameter = query, parameter
        super().__init__(f"query {query!r}: {message}")


class UnknownQueryError(UserError, LookupError):
    """No query file of that name."""


@dataclass(frozen=True)
class ParamSpec:
    """One declared ``$parameter``: its ``type`` (one of ``PARAM_TYPES``), ``default`` (``None`` = required),
    ``description``, ``unit`` and allowed ``choices`` (for ``list[string]``: allowed items)."""

    name: str
    type: str
    description: str
    default: Any = None
    unit: str | None = None
    choices: tuple | None = None

    @property
    def required(self) -> bool:
        """True if the parameter has no default."""
        return self.default is None

    def expected(self) -> str:
        """The expected value in words, e.g. ``int (proteins)`` or ``string, one of 'a', 'b'``."""
        text = self.type + (" (comma-separated)" if self.type == "list[string]" else "")
        if self.unit:
            text += f" ({self.unit})"
        if self.choices:
            text += ", one of " + ", ".join(repr(c) for c in self.choices)
        return text

    def convert(self, value: Any) -> Any:
        """``value`` as this parameter's Python type. Strings (from a command line) are parsed: ints and floats as
        numbers, bools as true/false/yes/no/1/0, ``list[string]`` as comma-separated items. Raises ``ValueError``
        saying what was expected."""
        try:
            converted = VALUE_TYPES[self.type].parse(value)
        except (TypeError, ValueError):
            raise ValueError(f"expects {self.expected()}, got {value!r}") from None
        items = converted if isinstance(converted, list) else [converted]
        if self.choices is not None and any(item not in self.choices for item in items):
            raise ValueError(f"expects {self.expected()}, got {value!r}")
        return converted


@dataclass(frozen=True)
class FulltextHook:
    """The ``fulltext`` header of a query: before it runs, ``$<hits>`` is filled from the store's full-text index.

    ``text``, ``hits`` and ``limit`` name parameters of the query (``limit`` optional); ``labels`` are the node
    labels searched (declared in schema.yaml), narrowed to the values of the ``list[string]`` parameter named by
    ``within`` if given. See the module docstring.
    """

    text: str
    hits: str
    labels: tuple[str, ...]
    limit: str | None = None
    within: str | None = None

    def fill(self, store: GraphStore, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` with ``params[hits]`` set to ``'Label<TAB>key<TAB>score'`` strings from
        ``store.fulltext_search_labels(labels, params[text], limit)``, label after label, best first per label,
        scores divided by the label's best score (so 1.0 = the best hit of its label). Unchanged if the caller gave
        hits or the store has no full-text search (``NotImplementedError``). Raises the store's errors."""
        if params.get(self.hits):
            return params
        limit = params[self.limit] if self.limit else DEFAULT_FULLTEXT_LIMIT
        labels = [label for label in self.labels if self.within is None or label in params[self.within]]
        hits: list[str] = []
        try:
            per_label = store.fulltext_search_labels(labels, params[self.text], limit=limit)
        except NotImplementedError:
            return params
        for label, found in per_label.items():
            best = max((float(h["score"]) for h in found), default=0.0)
            for h in found:
                score = float(h["score"]) / best if best > 0 else 1.0
                hits.append(HIT_SEPARATOR.join((label, str(h["key"]), f"{score:.6g}")))
        return {**params, self.hits: hits}


@dataclass(frozen=True)
class QuerySpec:
    """One query file: header fields, the Cypher statement (``cypher``, header removed) and where it came from
    (``path``; ``body_line`` = file line of the statement's first line, for mapping diagnostics)."""

    name: str
    question: str
    cypher: str
    path: Path
    columns: tuple[str, ...]
    parameters: dict[str, ParamSpec] = field(default_factory=dict)
    description: str = ""
    reproduces: str | None = None
    body_line: int = 1
    fulltext: FulltextHook | None = None
    example: dict[str, Any] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        """``{name: default}`` of the parameters that have one."""
        return {n: p.default for n, p in self.parameters.items() if not p.required}

    def example_parameters(self) -> dict[str, Any]:
        """The header's ``example`` values bound (typed, defaults filled): the representative run of the query
        shown in docs/queries.md and timed by benchmarks/queries.py."""
        return self.bind(self.example)

    def bind(self, raw: dict[str, Any] | list[str] | tuple[str, ...] | None = None) -> dict[str, Any]:
        """Typed values for every declared parameter: ``raw`` given values (a dict, or ``'name=value'`` strings
        from a command line) converted to their declared types, defaults for the rest. A ``None`` value counts as
        not given. Raises ``QueryParameterError`` naming an unknown, missing or mistyped parameter and the expected
        type."""
        given = _as_mapping(self.name, raw)
        for name in given:
            if name not in self.parameters:
                close = difflib.get_close_matches(name, self.parameters, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                known = ", ".join(self.parameters) or "no parameters"
                raise QueryParameterError(self.name, name,
                                          f"unknown parameter {name!r}{hint} (it takes: {known})")
        bound = {}
        for name, param in self.parameters.items():
            value = given.get(name)
            if value is None:
                if param.required:
                    raise QueryParameterError(self.name, name,
                                              f"missing required parameter {name!r} ({param.expected()})")
                value = list(param.default) if isinstance(param.default, list) else param.default
                bound[name] = value
                continue
            try:
                bound[name] = param.convert(value)
            except ValueError as exc:
                raise QueryParameterError(self.name, name, f"parameter {name!r} {exc}") from None
        return bound

    def run(self, store: GraphStore, raw: dict[str, Any] | list[str] | None = None, *,
            timeout_ms: int | None = None) -> list[dict]:
        """Bind ``raw`` (see :meth:`bind`), fill full-text hits if the query has a ``fulltext`` hook
        (:meth:`FulltextHook.fill`) and run the query read-only on ``store``: one dict per row, keys = ``columns``.
        Raises ``QueryParameterError`` for bad parameters, ``StoreError``/``QueryTimeout`` from the store, and
        ``QueryDefinitionError`` if the rows' columns differ from the header's."""
        params = self.bind(raw)
        if self.fulltext is not None:
            params = self.fulltext.fill(store, params)
        rows = store.query(self.cypher, params, timeout_ms=timeout_ms, read_only=True)
        if rows and set(rows[0]) != set(self.columns):
            raise QueryDefinitionError(self.path, self.body_line,
                                       f"the query returned columns {sorted(rows[0])}, the header declares "
                                       f"{list(self.columns)}")
        return rows


def _as_mapping(query: str, raw: dict[str, Any] | list[str] | tuple[str, ...] | None) -> dict[str, Any]:
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return dict(raw)
    given: dict[str, Any] = {}
    for item in raw:
        name, sep, value = str(item).partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryParameterError(query, None, f"expected name=value, got {item!r}")
        if name in given:
            raise QueryParameterError(query, name, f"parameter {name!r} given twice")
        given[name] = value
    return given


# ---------------------------------------------------------------------------------------------- reading files
def _split_header(text: str) -> tuple[list[str], int]:
    """Header lines (``//`` and one space removed) and the 0-based index of the first body line."""
    lines = text.splitlines()
    header = []
    for line in lines:
        if not line.startswith("//"):
            break
        content = line[2:]
        header.append(content[1:] if content.startswith(" ") else content)
    body_start = len(header)
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    return header, body_start


def _key_lines(path: Path, node: yaml.Node, where: str) -> dict[str, int]:
    """``{key: 1-based file line}`` of a YAML mapping node; duplicate keys are an error."""
    if not isinstance(node, yaml.MappingNode):
        raise QueryDefinitionError(path, node.start_mark.line + 1, f"{where} must be a mapping of key: value")
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key in lines:
            raise QueryDefinitionError(path, line, f"{where}: key {key!r} given twice (first on line {lines[key]})")
        lines[key] = line
    return lines


def _parse_param(path: Path, line: int, name: str, spec: Any) -> ParamSpec:
    def fail(message: str):
        raise QueryDefinitionError(path, line, f"parameter {name!r}: {message}")

    if not _PARAM_NAME.match(name):
        fail("parameter names are camelCase (letters and digits, starting with a lower-case letter)")
    if not isinstance(spec, dict):
        fail("expected a mapping {type, default, description, unit, choices}")
    unknown = sorted(set(spec) - set(PARAM_KEYS))
    if unknown:
        fail(f"unknown key(s) {unknown}; allowed: {list(PARAM_KEYS)}")
    if spec.get("type") not in PARAM_TYPES:
        fail(f"type must be one of {list(PARAM_TYPES)}, got {spec.get('type')!r}")
    if not isinstance(spec.get("description"), str) or not spec["description"].strip():
        fail("a description is required")
    if spec.get("unit") is not None and not isinstance(spec["unit"], str):
        fail(f"unit must be text, got {spec['unit']!r}")
    param = ParamSpec(name=name, type=spec["type"], description=spec["description"].strip(), unit=spec.get("unit"))
    choices = spec.get("choices")
    if choices is not None:
        if not isinstance(choices, list) or not choices:
            fail("choices must be a non-empty list")
        item_param = ParamSpec(name, "string" if param.type == "list[string]" else param.type, param.description)
        try:
            choices = tuple(item_param.convert(c) for c in choices)
        except ValueError as exc:
            fail(f"choices: {exc}")
    param = ParamSpec(param.name, param.type, param.description, unit=param.unit, choices=choices)
    default = spec.get("default")
    if default is not None:
        if isinstance(default, str) and param.type != "string":
            fail(f"default {default!r} is text, not {param.type} (unquote it in the YAML)")
        try:
            default = param.convert(default)
        except ValueError as exc:
            fail(f"default {exc}")
    return ParamSpec(param.name, param.type, param.description, default, param.unit, param.choices)


def _check_body(path: Path, body_line: int, cypher: str, declared: dict[str, ParamSpec],
                param_lines: dict[str, int], columns: tuple[str, ...], columns_line: int) -> None:
    def body_position(offset: int) -> int:
        return body_line + line_column(cypher, offset)[0] - 1

    if not cypher.strip():
        raise QueryDefinitionError(path, body_line, "no Cypher statement after the header")
    ends = top_level_statement_ends(cypher)
    if ends:
        raise QueryDefinitionError(path, body_position(ends[0]),
                                   "';': a query file holds exactly one statement, without a trailing semicolon")
    uses = parameter_uses(cypher)
    for name, offset in uses.items():
        if name not in declared:
            raise QueryDefinitionError(path, body_position(offset),
                                       f"${name} is used but not declared under parameters: in the header")
    for name in declared:
        if name not in uses:
            raise QueryDefinitionError(path, param_lines[name], f"parameter {name!r} is declared but never used "
                                                                f"as ${name} in the Cypher")
    returned = returned_columns(cypher)
    if returned is not None and tuple(returned) != columns:
        raise QueryDefinitionError(path, columns_line,
                                   f"columns {list(columns)} differ from the final RETURN's columns {returned}")


def _parse_fulltext(path: Path, line: int, spec: Any, parameters: dict[str, ParamSpec]) -> FulltextHook:
    def fail(message: str):
        raise QueryDefinitionError(path, line, f"fulltext: {message}")

    if not isinstance(spec, dict):
        fail("expected a mapping {text, hits, labels, limit}")
    unknown = sorted(set(spec) - set(FULLTEXT_KEYS))
    if unknown:
        fail(f"unknown key(s) {unknown}; allowed: {list(FULLTEXT_KEYS)}")
    expected = {"text": "string", "hits": "list[string]", "limit": "int", "within": "list[string]"}
    for key, type_ in expected.items():
        name = spec.get(key)
        if name is None and key in ("limit", "within"):
            continue
        if name not in parameters or parameters[name].type != type_:
            fail(f"{key} must name a declared {type_} parameter, got {name!r}")
    if parameters[spec["hits"]].required:
        fail(f"the hits parameter {spec['hits']!r} needs a default (an empty list)")
    labels = spec.get("labels")
    if not (isinstance(labels, list) and labels and all(label in SCHEMA.nodes for label in labels)):
        fail(f"labels must be a non-empty list of node labels declared in schema.yaml, got {labels!r}")
    return FulltextHook(text=spec["text"], hits=spec["hits"], labels=tuple(labels), limit=spec.get("limit"),
                        within=spec.get("within"))


def parse_query_file(path: Path) -> QuerySpec:
    """Read one query file (format in the module docstring). Raises ``QueryDefinitionError`` naming the file and
    line of a malformed header, a ``$parameter`` used but not declared or declared but unused, or columns that
    differ from the final RETURN."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise QueryDefinitionError(path, 1, f"not UTF-8 text ({exc.reason})") from None
    header, body_start = _split_header(text)
    if not header:
        raise QueryDefinitionError(path, 1, "expected a header of // lines (name:, question:, columns: ...)")
    header_text = "\n".join(header)
    try:
        root = yaml.compose(header_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(header_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise QueryDefinitionError(path, (mark.line + 1) if mark else 1, f"header is not valid YAML: {problem}") \
            from None
    if root is None:
        raise QueryDefinitionError(path, 1, "the header is empty")
    key_lines = _key_lines(path, root, "the header")
    for key, line in key_lines.items():
        if key not in HEADER_KEYS:
            raise QueryDefinitionError(path, line, f"unknown header key {key!r}; allowed: {list(HEADER_KEYS)}")
    for key in REQUIRED_HEADER_KEYS:
        if key not in data:
            raise QueryDefinitionError(path, len(header), f"the header lacks the required key {key!r}")
    name = data["name"]
    if name != path.stem or not _QUERY_NAME.match(str(name)):
        raise QueryDefinitionError(path, key_lines["name"],
                                   f"name {name!r} must be kebab-case and equal the file name {path.stem!r}")
    for key in ("question", "description", "reproduces"):
        if data.get(key) is not None and not (isinstance(data[key], str) and data[key].strip()):
            raise QueryDefinitionError(path, key_lines[key], f"{key} must be non-empty text")
    columns = data["columns"]
    if not (isinstance(columns, list) and columns and all(isinstance(c, str) and _COLUMN_NAME.match(c)
                                                          for c in columns)):
        raise QueryDefinitionError(path, key_lines["columns"],
                                   "columns must be a list of identifiers (alias expressions with AS in RETURN)")
    parameters: dict[str, ParamSpec] = {}
    param_lines: dict[str, int] = {}
    if data.get("parameters") is not None:
        params_node = next(v for k, v in root.value if k.value == "parameters")
        param_lines = _key_lines(path, params_node, "parameters")
        for pname, spec in data["parameters"].items():
            parameters[pname] = _parse_param(path, param_lines[pname], str(pname), spec)
    cypher = "\n".join(text.splitlines()[body_start:]).rstrip()
    body_line = body_start + 1
    _check_body(path, body_line, cypher, parameters, param_lines, tuple(columns), key_lines["columns"])
    fulltext = (_parse_fulltext(path, key_lines["fulltext"], data["fulltext"], parameters)
                if data.get("fulltext") is not None else None)
    spec = QuerySpec(name=name, question=data["question"].strip(), cypher=cypher, path=path, columns=tuple(columns),
                     parameters=parameters, description=(data.get("description") or "").strip(),
                     reproduces=data.get("reproduces"), body_line=body_line, fulltext=fulltext)
    if data.get("example") is not None:
        example = data["example"]
        if not isinstance(example, dict):
            raise QueryDefinitionError(path, key_lines["example"], "example must be a mapping {parameter: value}")
        try:
            spec.bind(example)
        except QueryParameterError as exc:
            raise QueryDefinitionError(path, key_lines["example"], f"example: {exc}") from None
        spec = dataclasses.replace(spec, example=dict(example))
    return spec


RECHECK_S = 1.0
"""Seconds during which the package's statements (``QUERY_DIR``, ``INTERNAL_DIR``) are used without looking at
their files again; after that, one directory scan (about 25 ``stat`` calls) tells whether a file was added,
removed or edited. Other directories are scanned on every call."""
_LOADED: dict[Path, tuple[tuple[tuple[str, int, int], ...], dict[str, QuerySpec], float]] = {}
"""Parsed libraries by directory: the (file name, mtime in ns, size in bytes) signature of the files they were read
from, the specs, and when the signature was last checked (``time.monotonic``)."""
_LOADED_LOCK = threading.Lock()


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """``(file name, mtime_ns, size)`` of every ``*.cypher`` file of ``directory``, sorted: one ``scandir``."""
    with os.scandir(directory) as entries:
        found = [(e.name, e.stat()) for e in entries if e.name.endswith(".cypher") and e.is_file()]
    return tuple(sorted((name, st.st_mtime_ns, st.st_size) for name, st in found))


def _library(directory: Path | str | None) -> tuple[tuple[tuple[str, int, int], ...], dict[str, QuerySpec], float]:
    """The cached ``(signature, specs, checked)`` of ``directory`` (``None``: the package library), parsed again if
    its files changed (for the package's directories, looked at no more than every ``RECHECK_S``)."""
    directory = QUERY_DIR if directory is None else Path(directory)
    library = directory in (QUERY_DIR, INTERNAL_DIR)
    key = directory if library else directory.resolve()
    cached = _LOADED.get(key)
    now = time.monotonic()
    if library and cached is not None and now - cached[2] < RECHECK_S:
        return cached
    if not directory.is_dir():
        raise FileNotFoundError(f"query directory {directory} does not exist")
    signature = _signature(key)
    with _LOADED_LOCK:
        cached = _LOADED.get(key)
        if cached is None or cached[0] != signature:
            specs = [parse_query_file(key / name) for name, _, _ in signature]
            cached = (signature, {spec.name: spec for spec in specs}, now)
        else:
            cached = (cached[0], cached[1], now)
        _LOADED[key] = cached
    return cached


def library_version(directory: Path | str | None = None) -> tuple[tuple[str, int, int], ...]:
    """``(file name, mtime_ns, size)`` of every query file of ``directory`` (default: the package library) as
    last checked: it changes, at most ``RECHECK_S`` after the fact, whenever a query file is added, removed or
    edited. Part of the REST response cache's key."""
    return _library(directory)[0]


def load_queries(directory: Path | str | None = None) -> dict[str, QuerySpec]:
    """Every ``*.cypher`` file of ``directory`` (default: the package's query library), by name, sorted.

    Parsed once per process and directory, and again only when a file was added, removed or changed (mtime or
    size; for the package library looked at no more than every ``RECHECK_S`` seconds), so that running a query
    costs what the database costs. Returns a new dict each call (the specs themselves are immutable). Raises
    ``QueryDefinitionError`` for the first malformed file and ``FileNotFoundError`` for a missing directory."""
    return dict(_library(directory)[1])


def get_query(name: str, queries: dict[str, QuerySpec] | None = None) -> QuerySpec:
    """The query called ``name`` (from ``queries``, default: the package library). Raises ``UnknownQueryError``
    listing the closest names."""
    queries = load_queries() if queries is None else queries
    if name not in queries:
        close = difflib.get_close_matches(name, queries, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(queries) or 'none'}"
        raise UnknownQueryError(f"no query named {name!r}{hint}")
    return queries[name]


def internal_queries() -> dict[str, QuerySpec]:
    """The package's internal statements (``INTERNAL_DIR``) by name, parsed as library files are (see
    :func:`load_queries`)."""
    return load_queries(INTERNAL_DIR)


def run_internal(store: GraphStore, name: str, /, **params: Any) -> list[dict]:
    """Run the internal statement ``name`` (``INTERNAL_DIR/<name>.cypher``) on ``store`` read-only with
    ``params`` (typed values; defaults fill the rest): one dict per row keyed by its columns. Raises
    ``UnknownQueryError``, ``QueryParameterError`` and the store's errors, as :func:`run_query`."""
    return get_query(name, internal_queries()).run(store, params)


def run_query(store: GraphStore, name: str, /, **params: Any) -> list[dict]:
    """Run the library query ``name`` on ``store`` (read-only) with ``params`` (typed values or CLI strings;
    defaults fill the rest). Returns one dict per row keyed by the header's columns. Raises
    ``UnknownQueryError``, ``QueryParameterError`` and the store's errors (see :meth:`QuerySpec.run`)."""
    return get_query(name).run(store, params)
