"""Faces of the query library for people: Neo4j Browser scripts and the Markdown reference (docs/queries.md).

Browser scripts use Neo4j Browser's ``:param name => value`` command (Neo4j Browser manual, "Query parameters":
the right-hand side is evaluated as Cypher, so ``50`` is an integer and ``0.02`` a float), one per line ending in
``;`` so that the whole file runs in Browser's multi-statement mode: the parameters are set, then the query runs.

Example::

    >>> cypher_literal(["U2OS", "it's"])
    "['U2OS', 'it\\\\'s']"
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .registry import QuerySpec

EXAMPLE_ROWS = 10


def cypher_literal(value: Any) -> str:
    """``value`` (None, bool, int, float, str or a list of these) as a Cypher literal. Raises ``ValueError`` for
    NaN/infinite floats and other types."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t")
        return f"'{escaped}'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise ValueError(f"{value!r} ({type(value).__name__}) has no Cypher literal")


def _comment(text: str, indent: str = "", width: int = 114) -> list[str]:
    """``text`` as ``//`` comment lines of at most ``width + 3`` characters; continuation lines get ``indent``."""
    return [f"// {line}".rstrip() for para in text.splitlines()
            for line in (textwrap.wrap(para, width, initial_indent=indent[:2], subsequent_indent=indent) or [""])]


def browser_script(spec: QuerySpec) -> str:
    """The Neo4j Browser script of ``spec``: a comment header (question, description, source, parameters), one
    ``:param name => default;`` line per parameter with a default (required ones as a commented line to fill in),
    then the query text exactly as in the .cypher file, ending in ``;``."""
    lines = [f"// {spec.name}", *_comment(f"Question: {spec.question}")]
    if spec.description:
        lines += ["//", *_comment(spec.description)]
    if spec.reproduces:
        lines += ["//", *_comment(f"Reproduces: {spec.reproduces}")]
    lines += ["//", *_comment(f"Generated from {spec.path.name} by cellmap_kg.queries.export. Run the whole script "
                              "with multi-statement mode on: the :param lines set the parameters, then the query "
                              "runs.")]
    if spec.parameters:
        lines += ["//", "// Parameters:"]
        for p in spec.parameters.values():
            lines += _comment(f"{p.name}, {p.expected()}: {p.description}", indent="    ")
        for p in spec.parameters.values():
            if p.required:
                lines.append(f"// REQUIRED, set before running: :param {p.name} => <{p.expected()}>;")
            else:
                lines.append(f":param {p.name} => {cypher_literal(p.default)};")
    return "\n".join(lines) + "\n" + spec.cypher + ";\n"


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
def _cell(value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        text = f"{value:.4g}"
    elif isinstance(value, list | tuple):
        text = ", ".join(_cell(v) for v in value)
    else:
        text = str(value)
    return " ".join(text.split()).replace("|", "\\|")


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
    if not rows:
        return ["Example output with the default parameters: no rows."]
    shown = rows[:max_rows]
    caption = (f"Example output with the default parameters ({len(rows)} rows"
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
             "runs on FalkorDB and Neo4j 5. Run one from Python with "
             "`cellmap_kg.queries.registry.run_query(store, name, **params)`; "
             "`cellmap_kg.queries.export.export_for_browser` writes Neo4j Browser scripts with `:param` lines.",
             "", *_table(["query", "question"], [[f"[`{s.name}`](#{s.name})", _cell(s.question)] for s in specs]),
             ""]
    for spec in specs:
        lines.append(query_markdown(spec, examples.get(spec.name), max_rows))
    return "\n".join(lines).rstrip() + "\n"
