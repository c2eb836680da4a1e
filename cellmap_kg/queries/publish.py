"""Faces of the query library for people: Neo4j Browser scripts and the Markdown reference (docs/queries.md).

Browser scripts use Neo4j Browser's ``:param name => value`` command (Neo4j Browser manual, "Query parameters":
the right-hand side is evaluated as Cypher, so ``50`` is an integer and ``0.02`` a float), one per line ending in
``;`` so that the whole file runs in Browser's multi-statement mode: the parameters are set, then the query runs.

Literals are written by the store's ``cypher_literal`` (one writer of Cypher literals for the whole project).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.falkordb_values import cypher_literal
from .registry import QuerySpec

if TYPE_CHECKING:
    from ..store.base import GraphStore

EXAMPLE_ROWS = 10
LIST_ITEMS = 6
"""Items of a list value shown in an example table cell; the rest are counted."""


def _comment(text: str, indent: str = "", width: int = 114) -> list[str]:
    """``text`` as ``//`` comment lines of at most ``width + 3`` characters; continuation lines get ``indent``."""
    return [f"// {line}".rstrip() for para in text.splitlines()
            for line in (textwrap.wrap(para, width, initial_indent=indent[:2], subsequent_indent=indent) or [""])]


def browser_script(spec: QuerySpec) -> str:
    """The Neo4j Browser script of ``spec``: a comment header (question, description, source, parameters), one
    ``:param name => default;`` line per parameter with a default (a required one gets its header ``example`` value
    after a REQUIRED comment, or is left as a commented line to fill in), then the query text exactly as in the
    .cypher file, ending in ``;``."""
    lines = [f"// {spec.name}", *_comment(f"Question: {spec.question}")]
    if spec.description:
        lines += ["//", *_comment(spec.description)]
    if spec.reproduces:
        lines += ["//", *_comment(f"Reproduces: {spec.reproduces}")]
    lines += ["//", *_comment(f"Generated from {spec.path.name} by cellmap_kg.queries.publish. Run the whole script "
                              "with multi-statement mode on: the :param lines set the parameters, then the query "
                              "runs.")]
    if spec.parameters:
        lines += ["//", "// Parameters:"]
        for p in spec.parameters.values():
            lines += _comment(f"{p.name}, {p.expected()}: {p.description}", indent="    ")
        lines += param_lines(spec)
    return "\n".join(lines) + "\n" + spec.cypher + ";\n"


def param_lines(spec: QuerySpec, values: Mapping[str, Any] | None = None) -> list[str]:
    """One ``:param name => value;`` line per parameter of ``spec``, in declaration order: ``values[name]``
    (converted to the declared type) if given, else the default; a required parameter without a value gets its
    header ``example`` value after a REQUIRED comment, or is left as a commented line to fill in.

    Raises ``ValueError`` (from ``ParamSpec.convert``) for a value of the wrong type or not among the choices."""
    values = values or {}
    lines = []
    for p in spec.parameters.values():
        if p.name in values:
            lines.append(f":param {p.name} => {cypher_literal(p.convert(values[p.name]))};")
        elif p.required and p.name in spec.example:
            lines += [f"// REQUIRED ({p.expected()}); an example value, change it:",
                      f":param {p.name} => {cypher_literal(p.convert(spec.example[p.name]))};"]
        elif p.required:
            lines.append(f"// REQUIRED, set before running: :param {p.name} => <{p.expected()}>;")
        else:
            lines.append(f":param {p.name} => {cypher_literal(p.default)};")
    return lines


def export_for_browser(specs: Mapping[str, QuerySpec] | Iterable[QuerySpec], out_dir: Path | str) -> list[Path]:
    """Write ``<out_dir>/<name>.cypher`` (:func:`browser_script`) for every spec; returns the paths written,
    sorted by name. ``out_dir`` is created if needed."""
    specs = list(specs.values()) if isinstance(specs, Mapping) else list(specs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in sorted(specs, key=lambda s: s.name):
        path = out / f"{spec.name}.cypher"
        path.write_text(browser_script(spec), encoding="utf-8")
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------------- Markdown
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        text = ", ".join(_text(v) for v in value[:LIST_ITEMS])
        return text + (f", ... ({len(value)} in all)" if len(value) > LIST_ITEMS else "")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v is not None) + "}"
    return str(value)


def _cell(value: Any) -> str:
    """``value`` as the text of one Markdown table cell (lists shortened, ``|`` escaped, one line)."""
    return " ".join(_text(value).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows)]


def _parameters_table(spec: QuerySpec) -> list[str]:
    rows = []
    for p in spec.parameters.values():
        default = "*required*" if p.required else f"`{cypher_literal(p.default)}`"
        description = p.description + (f" (one of {', '.join(map(str, p.choices))})" if p.choices else "")
        rows.append([f"`{p.name}`", p.type, default, _cell(p.unit or ""), _cell(description)])
    return _table(["parameter", "type", "default", "unit", "description"], rows)


def _example_table(spec: QuerySpec, rows: list[dict], max_rows: int) -> list[str]:
    given = ", ".join(f"`{k}` = `{cypher_literal(spec.parameters[k].convert(v))}`" for k, v in spec.example.items())
    where = f"with {given}" + (" (other parameters at their defaults)" if len(spec.example) < len(spec.parameters)
                               else "") if given else "with the default parameters"
    if not rows:
        return [f"Example output {where}: no rows."]
    shown = rows[:max_rows]
    caption = (f"Example output {where} ({len(rows)} row{'' if len(rows) == 1 else 's'}"
               + (f", first {len(shown)} shown" if len(shown) < len(rows) else "") + "):")
    return [caption, "", *_table(list(spec.columns), [[_cell(row.get(c)) for c in spec.columns] for row in shown])]


def query_markdown(spec: QuerySpec, example: list[dict] | None = None, max_rows: int = EXAMPLE_ROWS) -> str:
    """The Markdown section of one query: question, description, source, parameter table, columns, Cypher and,
    if ``example`` rows are given, the first ``max_rows`` of them as a table."""
    lines = [f"## {spec.name}", "", f"**{spec.question}**", ""]
    if spec.description:
        lines += [spec.description, ""]
    if spec.reproduces:
        lines += [f"*Reproduces:* {spec.reproduces}", ""]
    if spec.parameters:
        lines += _parameters_table(spec) + [""]
    else:
        lines += ["No parameters.", ""]
    lines += ["**Columns:** " + ", ".join(f"`{c}`" for c in spec.columns), "",
              f"Source: `cellmap_kg/queries/{spec.path.name}`", "", "```cypher", spec.cypher, "```", ""]
    if example is not None:
        lines += _example_table(spec, example, max_rows) + [""]
    return "\n".join(lines)


def queries_markdown(specs: Mapping[str, QuerySpec] | Iterable[QuerySpec],
                     examples: Mapping[str, list[dict]] | None = None, max_rows: int = EXAMPLE_ROWS) -> str:
    """docs/queries.md: an index of the questions, then one :func:`query_markdown` section per query (sorted by
    name), with example output tables for the queries named in ``examples``."""
    specs = sorted(specs.values() if isinstance(specs, Mapping) else specs, key=lambda s: s.name)
    examples = examples or {}
    count = f"{len(specs)} {'query' if len(specs) == 1 else 'queries'}"
    lines = ["# Query library", "",
             f"{count}. Each is one file `cellmap_kg/queries/<name>.cypher`: a `//` YAML header "
             "(question, parameters with types, defaults and units, result columns) and one Cypher statement that "
             "runs on FalkorDB and Neo4j 5. Run one with `cellmap-kg query <name> --param key=value` "
             "(`--format table|json|csv`), from Python with `KnowledgeGraph().query(name, **params)` or "
             "`cellmap_kg.queries.registry.run_query(store, name, **params)`; `cellmap-kg export-queries DIR` writes "
             "them as Neo4j Browser scripts with `:param` lines. This file is generated by `cellmap-kg docs-queries`"
             + (", the example outputs by running each query's header `example` on a full build." if examples
                else "."),
             "", *_table(["query", "question"], [[f"[`{s.name}`](#{s.name})", _cell(s.question)] for s in specs]),
             ""]
    for spec in specs:
        lines.append(query_markdown(spec, examples.get(spec.name), max_rows))
    return "\n".join(lines).rstrip() + "\n"


def example_outputs(store: GraphStore, specs: Mapping[str, QuerySpec] | Iterable[QuerySpec],
                    timeout_ms: int | None = None) -> dict[str, list[dict]]:
    """``{name: rows}``: every query of ``specs`` run on ``store`` with its header ``example`` parameters (defaults
    for the rest); queries with a required parameter and no example are left out. Raises the store's errors."""
    specs = list(specs.values()) if isinstance(specs, Mapping) else list(specs)
    out = {}
    for spec in specs:
        if all(p.name in spec.example for p in spec.parameters.values() if p.required):
            out[spec.name] = spec.run(store, spec.example_parameters(), timeout_ms=timeout_ms)
    return out
