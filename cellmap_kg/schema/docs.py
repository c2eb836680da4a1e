"""Render the schema declaration as Markdown (``docs/schema.md`` is generated from it, never edited by hand)."""

from __future__ import annotations

from . import SCHEMA, SCHEMA_FILE, Schema


def _unit(prop) -> str:
    return prop.unit or ""


def schema_markdown(schema: Schema = SCHEMA) -> str:
    """The whole schema as Markdown: one section per label and per relationship type, with property tables."""
    lines = ["# Graph schema", "",
             f"Generated from `cellmap_kg/schema/{SCHEMA_FILE.name}` by `cellmap-kg schema`; do not edit by hand.",
             "Labels are CamelCase, relationship types UPPER_SNAKE_CASE, properties camelCase. "
             "*computed* properties are written by analyses after the load.", "", "## Nodes", ""]
    for node in schema.nodes.values():
        extra = f" (extra labels: {', '.join('`' + x + '`' for x in node.extra_labels)})" if node.extra_labels else ""
        indexes = [f"range index on {', '.join('`' + x + '`' for x in node.indexed)}"] if node.indexed else []
        indexes += [f"full-text index on {', '.join('`' + x + '`' for x in node.fulltext)}"] if node.fulltext else []
        indexed = f"Indexes besides the key: {'; '.join(indexes)}." if indexes else ""
        lines += [f"### `{node.label}` (key `{node.key}`){extra}", "", node.description.strip(), "",
                  *([indexed, ""] if indexed else []),
                  "| property | type | unit | description |", "|---|---|---|---|"]
        for p in node.properties.values():
            note = " *(computed)*" if p.computed else ""
            lines.append(f"| `{p.name}` | {p.type} | {_unit(p)} | {p.description}{note} |")
        lines.append("")
    lines += ["## Relationships", "", "| type | from | to | description | properties |", "|---|---|---|---|---|"]
    for rel in schema.relationships.values():
        props = ", ".join(f"`{p.name}`" + (f" ({p.unit})" if p.unit else "") for p in rel.properties.values())
        sources = " / ".join(f"`{x}`" for x in rel.sources)
        targets = " / ".join(f"`{x}`" for x in rel.targets)
        lines.append(f"| `{rel.type}` | {sources} | {targets} | {rel.description} | {props} |")
    lines.append("")
    lines += ["### Relationship properties", ""]
    for rel in schema.relationships.values():
        described = [p for p in rel.properties.values() if p.description]
        if described:
            lines.append(f"- `{rel.type}`: " + "; ".join(
                f"`{p.name}` ({p.type}{', ' + p.unit if p.unit else ''}): {p.description}" for p in described))
    lines.append("")
    return "\n".join(lines)
