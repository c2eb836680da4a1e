"""The content of a graph as canonical text, to check that two graphs are the same (e.g. a build by ``GRAPH.BULK``
and one by ``UNWIND`` batches, or two builds of the same data).

Content means what queries can see, not how the backend stores it: each node as its sorted labels and properties,
each relationship as its type, the keys of its end nodes (per ``schema.yaml``) and its properties. Internal ids,
creation order and property order are not content.
"""

from __future__ import annotations

import hashlib
import json

from .base import GraphStore


def graph_content(store: GraphStore, ignore: frozenset[tuple[str, str]] = frozenset()) -> dict[str, list[str]]:
    """``{"node Label": [line, ...], "rel TYPE Source->Target": [line, ...]}``, lines sorted, one per node or
    relationship: JSON (keys sorted; ``1`` and ``1.0`` stay apart) of ``[key, sorted labels, properties]`` or
    ``[source key, target key, properties]``. Nodes are listed under every declared label they carry (extra
    labels such as ``Bait`` appear in their label list); relationships under each declared (source, target) pair.

    ``ignore`` names ``(label or type, property)`` pairs left out, e.g. ``("GraphBuild", "startedAt")`` for
    values that differ between any two builds. Empty labels and types are left out.
    """
    schema = store.schema
    out: dict[str, list[str]] = {}
    for label, node in schema.nodes.items():
        rows = store.query(f"MATCH (n:{label}) RETURN n.{node.key} AS key, labels(n) AS labels, "
                           "properties(n) AS props", read_only=True)
        lines = sorted(json.dumps([r["key"], sorted(r["labels"]),
                                   {k: v for k, v in r["props"].items() if (label, k) not in ignore}],
                                  sort_keys=True) for r in rows)
        if lines:
            out[f"node {label}"] = lines
    for rel_type, rel in schema.relationships.items():
        for source in rel.sources:
            for target in rel.targets:
                rows = store.query(f"MATCH (a:{source})-[r:{rel_type}]->(b:{target}) RETURN a.{schema.key_of(source)} "
                                   f"AS a, b.{schema.key_of(target)} AS b, properties(r) AS props", read_only=True)
                lines = sorted(json.dumps([r["a"], r["b"], {k: v for k, v in r["props"].items()
                                                             if (rel_type, k) not in ignore}], sort_keys=True)
                               for r in rows)
                if lines:
                    out[f"rel {rel_type} {source}->{target}"] = lines
    return out


def content_digest(content: dict[str, list[str]]) -> str:
    """SHA-256 (hex) of a ``graph_content`` result."""
    digest = hashlib.sha256()
    for part in sorted(content):
        digest.update(part.encode() + b"\n")
        for line in content[part]:
            digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def content_differences(a: dict[str, list[str]], b: dict[str, list[str]], examples: int = 3) -> list[str]:
    """Human-readable differences between two ``graph_content`` results (empty if they are equal): per part,
    the line counts and a few lines found in only one of them."""
    out = []
    for part in sorted(set(a) | set(b)):
        left, right = a.get(part, []), b.get(part, [])
        if left == right:
            continue
        only_left = sorted(set(left) - set(right))[:examples]
        only_right = sorted(set(right) - set(left))[:examples]
        out.append(f"{part}: {len(left)} vs {len(right)} lines; only in the first: {only_left}; "
                   f"only in the second: {only_right}")
    return out
