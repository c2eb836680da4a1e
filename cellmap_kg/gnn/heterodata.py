"""Export the graph from a store (either backend) into a ``torch_geometric.data.HeteroData``, with a disk cache.

The node and edge types are declared in :mod:`cellmap_kg.gnn.spec`; features in :mod:`cellmap_kg.gnn.features`.
Nodes of each type are indexed in sorted key order and edges sorted by (source, target) index, so the same graph
always gives the same tensors and the same ``content_hash``.

Cache: ``cached_export(store, cache_dir)`` keys the file on a cheap ``fingerprint`` of the store (node and
relationship counts plus the ``GraphBuild`` finish time) and stores the ``content_hash`` (SHA-256 over every key,
feature and edge tensor) that a ``ModelRun`` records as ``exportHash``.

Example::

    >>> from cellmap_kg.store import open_store
    >>> export = cached_export(open_store(), Path(".cellmap-kg/gnn"))    # doctest: +SKIP
    >>> export.data["Protein", "PULLED_DOWN", "Protein"].edge_index.shape  # doctest: +SKIP
    torch.Size([2, 127541])
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch_geometric.data import HeteroData

from ..store.base import GraphStore
from .features import incidence_features, property_features, standardise
from .spec import EDGE_SPECS, NODE_SPECS, EdgeSpec, EdgeType

CACHE_FORMAT = 1


@dataclass
class GraphExport:
    """The exported graph.

    Attributes:
        data: ``HeteroData``; node stores have ``x`` ``(N_t, F_t)`` float32 (standardised measured features) and
            ``num_nodes``; edge stores ``edge_index`` ``(2, E)`` long (undirected types: one column per pair,
            source index < target index) and, for specs with attributes, ``edge_attr`` ``(E, A)`` float32.
        keys: node keys per type, in index order (``keys["Protein"][i]`` is the symbol of protein ``i``).
        feature_names: column names of ``x`` per node type.
        edge_attr_names: column names of ``edge_attr`` per edge type.
        node_properties: raw properties kept per type (``NodeSpec.kept``), in index order.
        dropped: edges left out per reason (``"PULLED_DOWN: self-pair"``, ``"PULLED_DOWN: duplicate pair"``).
        content_hash: SHA-256 of keys, features and edges.
        fingerprint: the store fingerprint the export was made from (``""`` if built from rows).
    """

    data: HeteroData
    keys: dict[str, list[str]]
    feature_names: dict[str, list[str]]
    edge_attr_names: dict[EdgeType, list[str]]
    node_properties: dict[str, dict[str, list]] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    content_hash: str = ""
    fingerprint: str = ""

    def index(self, node_type: str) -> dict[str, int]:
        """``{key: index}`` for the nodes of ``node_type``."""
        return {k: i for i, k in enumerate(self.keys[node_type])}

    def counts(self) -> dict[str, dict]:
        """``{"nodes": {type: n}, "edges": {"Src|REL|Dst": n}}``."""
        return {"nodes": {t: len(k) for t, k in self.keys.items()},
                "edges": {"|".join(et): int(self.data[et].edge_index.size(1)) for et in self.data.edge_types}}


# ---------------------------------------------------------------------------------------------------- pure build
def _edge_arrays(spec: EdgeSpec, rows: list[dict], src_index: dict[str, int], dst_index: dict[str, int],
                 dropped: dict[str, int]) -> tuple[np.ndarray, np.ndarray | None]:
    """Deduplicated, sorted ``(2, E)`` indices and ``(E, A)`` max-attributes of one edge type's rows."""
    rel = spec.relationship
    pairs: dict[tuple[int, int], np.ndarray] = {}
    for r in rows:
        s, t = src_index.get(r["source"]), dst_index.get(r["target"])
        if s is None or t is None:
            dropped[f"{rel}: endpoint not exported"] = dropped.get(f"{rel}: endpoint not exported", 0) + 1
            continue
        if spec.undirected:
            if s == t:
                dropped[f"{rel}: self-pair"] = dropped.get(f"{rel}: self-pair", 0) + 1
                continue
            s, t = min(s, t), max(s, t)
        attrs = np.array([float(r.get(a) or 0.0) for a in spec.attrs])
        if (s, t) in pairs:
            dropped[f"{rel}: duplicate pair"] = dropped.get(f"{rel}: duplicate pair", 0) + 1
            pairs[(s, t)] = np.maximum(pairs[(s, t)], attrs)
        else:
            pairs[(s, t)] = attrs
    order = sorted(pairs)
    edge_index = np.array(order, dtype=np.int64).reshape(-1, 2).T
    attr = np.stack([pairs[p] for p in order]) if spec.attrs and order else None
    if spec.attrs and not order:
        attr = np.zeros((0, len(spec.attrs)))
    return edge_index, attr


def build_export(node_rows: dict[str, list[dict]], edge_rows: dict[str, list[dict]]) -> GraphExport:
    """Build a ``GraphExport`` from plain rows (what ``fetch_rows`` reads).

    Args:
        node_rows: ``{label: [{"key": ..., prop: value, ...}]}`` for every label of ``NODE_SPECS``.
        edge_rows: ``{relationship: [{"source": key, "target": key, attr: value}]}`` for every ``EDGE_SPECS``.

    Raises:
        KeyError: a declared label or relationship has no rows entry.
        ValueError: duplicate node keys, or a feature property of mixed types.
    """
    data = HeteroData()
    keys: dict[str, list[str]] = {}
    feature_names: dict[str, list[str]] = {}
    node_properties: dict[str, dict[str, list]] = {}
    raw_features: dict[str, tuple[np.ndarray, list[str]]] = {}
    for spec in NODE_SPECS:
        rows = sorted(node_rows[spec.label], key=lambda r: r["key"])
        keys[spec.label] = [r["key"] for r in rows]
        if len(set(keys[spec.label])) != len(rows):
            raise ValueError(f"duplicate {spec.label} keys in the export rows")
        raw_features[spec.label] = property_features(rows, spec.properties)
        if spec.kept:
            node_properties[spec.label] = {p: [r.get(p) for r in rows] for p in spec.kept}
        data[spec.label].num_nodes = len(rows)

    index = {label: {k: i for i, k in enumerate(ks)} for label, ks in keys.items()}
    dropped: dict[str, int] = {}
    edge_attr_names: dict[EdgeType, list[str]] = {}
    for spec in EDGE_SPECS:
        src, _, dst = spec.edge_type
        edge_index, attr = _edge_arrays(spec, edge_rows[spec.relationship], index[src], index[dst], dropped)
        store = data[spec.edge_type]
        store.edge_index = torch.from_numpy(edge_index)
        if attr is not None:
            store.edge_attr = torch.from_numpy(attr.astype(np.float32))
            edge_attr_names[spec.edge_type] = list(spec.attrs)

    for spec in EDGE_SPECS:
        if spec.incidence:
            src, _, dst = spec.edge_type
            onehot, names = incidence_features(data[spec.edge_type].edge_index.numpy(), len(keys[src]), keys[dst],
                                               spec.incidence)
            x, base = raw_features[src]
            raw_features[src] = (np.concatenate([x, onehot], axis=1), base + names)
    for label, (x, names) in raw_features.items():
        data[label].x = torch.from_numpy(standardise(x))
        feature_names[label] = names
    export = GraphExport(data, keys, feature_names, edge_attr_names, node_properties, dropped)
    export.content_hash = content_hash(export)
    return export


def content_hash(export: GraphExport) -> str:
    """SHA-256 (hex) over node keys, feature names and tensors, and every edge type's tensors, in a fixed order."""
    h = hashlib.sha256()
    for label in sorted(export.keys):
        h.update(label.encode())
        h.update("\x1f".join(export.keys[label]).encode())
        h.update("\x1f".join(export.feature_names[label]).encode())
        h.update(export.data[label].x.numpy().tobytes())
    for et in sorted(export.data.edge_types):
        h.update("|".join(et).encode())
        store = export.data[et]
        h.update(store.edge_index.numpy().tobytes())
        if "edge_attr" in store:
            h.update(store.edge_attr.numpy().tobytes())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------------- from a store
def fetch_rows(store: GraphStore) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Read every ``NodeSpec`` / ``EdgeSpec`` from ``store`` (``read_nodes`` / ``read_relationships``) and return
    the rows ``build_export`` takes: nodes as ``{"key", property: value}``, the relationships that pass the
    spec's ``where`` as ``{"source", "target", attribute: value}``."""
    nodes = {spec.label: [{"key": r[spec.key], **{p: r[p] for p in spec.columns[1:]}}
                          for r in store.read_nodes(spec.label, spec.columns)] for spec in NODE_SPECS}
    edges = {spec.relationship: [r for r in store.read_relationships(spec.relationship, spec.columns)
                                 if spec.keep(r)] for spec in EDGE_SPECS}
    return nodes, edges


def store_fingerprint(store: GraphStore) -> str:
    """SHA-256 of the store's node/relationship counts and its ``GraphBuild`` finish time (cheap cache key)."""
    built = sorted((r["finishedAt"] for r in store.read_nodes("GraphBuild", ("finishedAt",))),
                   key=lambda t: (t is None, t or ""))
    payload = {"counts": store.counts(), "built": built, "format": CACHE_FORMAT}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def export_graph(store: GraphStore) -> GraphExport:
    """Export the graph in ``store`` (FalkorDB or Neo4j: the store's generic reads). Raises ``StoreError``."""
    export = build_export(*fetch_rows(store))
    export.fingerprint = store_fingerprint(store)
    return export


def save_export(export: GraphExport, path: Path) -> None:
    """Write ``export`` to ``path`` (a ``torch.save`` file of tensors and plain values, loadable weights-only)."""
    payload = {
        "format": CACHE_FORMAT,
        "keys": export.keys,
        "feature_names": export.feature_names,
        "edge_attr_names": {"|".join(k): v for k, v in export.edge_attr_names.items()},
        "node_properties": export.node_properties,
        "dropped": export.dropped,
        "content_hash": export.content_hash,
        "fingerprint": export.fingerprint,
        "x": {label: export.data[label].x for label in export.keys},
        "edges": {"|".join(et): {k: export.data[et][k] for k in ("edge_index", "edge_attr") if k in export.data[et]}
                  for et in export.data.edge_types},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(payload, tmp)
    tmp.replace(path)


def load_export(path: Path) -> GraphExport:
    """Read an export written by ``save_export``.

    Raises:
        ValueError: the file is of another cache format, or its tensors do not hash to its ``content_hash``.
    """
    payload = torch.load(path, weights_only=True)
    if payload.get("format") != CACHE_FORMAT:
        raise ValueError(f"{path}: GNN export cache format {payload.get('format')}, expected {CACHE_FORMAT}")
    data = HeteroData()
    for label, x in payload["x"].items():
        data[label].num_nodes = len(payload["keys"][label])
        data[label].x = x
    for name, tensors in payload["edges"].items():
        for k, v in tensors.items():
            data[tuple(name.split("|"))][k] = v
    export = GraphExport(data, payload["keys"], payload["feature_names"],
                         {tuple(k.split("|")): v for k, v in payload["edge_attr_names"].items()},
                         payload["node_properties"], payload["dropped"], "", payload["fingerprint"])
    export.content_hash = content_hash(export)
    if export.content_hash != payload["content_hash"]:
        raise ValueError(f"{path}: content hash mismatch (file corrupted or written by another version)")
    return export


def cached_export(store: GraphStore, cache_dir: Path,
                  progress: Callable[[str], None] | None = None) -> GraphExport:
    """The export of ``store``, read from ``cache_dir/export-<fingerprint>.pt`` if present, else built and saved."""
    fingerprint = store_fingerprint(store)
    path = Path(cache_dir) / f"export-{fingerprint[:16]}.pt"
    if path.exists():
        if progress:
            progress(f"export cache hit: {path}")
        return load_export(path)
    export = build_export(*fetch_rows(store))
    export.fingerprint = fingerprint
    save_export(export, path)
    if progress:
        progress(f"export written: {path}")
    return export
