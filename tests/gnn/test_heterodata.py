"""The export: counts equal the store's, symmetric AP-MS pairs collapsed with the highest scores, a stable hash,
and the cache."""

from __future__ import annotations

import pandas as pd
import pytest
import torch

from cellmap_kg.gnn.heterodata import build_export, cached_export, content_hash, load_export, save_export
from cellmap_kg.gnn.spec import EDGE_SPECS, NODE_SPECS
from cellmap_kg.schema import SCHEMA
from cellmap_kg.sources import source


def _distinct_pairs(store, spec) -> int:
    """Distinct (unordered, for an undirected spec) pairs of different nodes joined by the spec's edges."""
    src, rel, dst = spec.edge_type
    cols = "".join(f", r.{p} AS {p}" for p in spec.columns)
    rows = store.query(f"MATCH (a:{src})-[r:{rel}]->(b:{dst}) WHERE a <> b "
                       f"RETURN a.{SCHEMA.key_of(src)} AS s, b.{SCHEMA.key_of(dst)} AS t{cols}")
    return len({tuple(sorted((r["s"], r["t"]))) if spec.undirected else (r["s"], r["t"])
                for r in rows if spec.keep(r)})


def test_node_and_edge_counts_equal_the_store(small_store, small_export):
    counts = small_export.counts()
    for spec in NODE_SPECS:
        assert counts["nodes"][spec.label] == small_store.query(f"MATCH (n:{spec.label}) RETURN count(n) AS n")[0]["n"]
    for spec in EDGE_SPECS:
        assert counts["edges"]["|".join(spec.edge_type)] == _distinct_pairs(small_store, spec), spec.relationship
    assert counts["edges"]["Protein|PULLED_DOWN|Protein"] > 20_000   # OpenCell: ~29,700 bait->prey rows
    assert counts["nodes"]["GOTerm"] == 0                           # GO is not among the four sources


def test_apms_pair_keeps_the_highest_opencell_p_value_of_both_directions(small_export, data_dir):
    raw = pd.read_csv(source("opencell-2022").in_dir(data_dir).path("interactions"))
    pair = raw[((raw.target_gene_name == "PSMA2") & (raw.interactor_gene_name == "PSMA5"))
               | ((raw.target_gene_name == "PSMA5") & (raw.interactor_gene_name == "PSMA2"))]
    assert len(pair) == 2                                           # both pulled the other down
    index = small_export.index("Protein")
    u, v = sorted((index["PSMA2"], index["PSMA5"]))
    store = small_export.data["Protein", "PULLED_DOWN", "Protein"]
    column = ((store.edge_index[0] == u) & (store.edge_index[1] == v)).nonzero().view(-1)
    assert len(column) == 1                                         # one edge per unordered pair
    assert small_export.edge_attr_names["Protein", "PULLED_DOWN", "Protein"] == ["pValue", "pInt"]
    assert store.edge_attr[column[0], 0].item() == pytest.approx(pair.pval.max(), rel=1e-6)
    assert store.edge_attr[column[0], 1].item() == 0.0               # no BioPlex score in this graph


def test_protein_features_are_standardised_and_named(small_export):
    x = small_export.data["Protein"].x
    names = small_export.feature_names["Protein"]
    assert x.shape == (len(small_export.keys["Protein"]), len(names))
    assert "log1p(pubmedCount)" in names and "log1p(hekProteinConcNm)_missing" in names
    assert "loc:nucleolus_gc" in names                              # OpenCell compartment vocabulary
    assert torch.allclose(x.mean(dim=0), torch.zeros(x.size(1)), atol=1e-4)
    column = x[:, names.index("loc:nucleolus_gc")]
    localized = {small_export.keys["Protein"][i] for i in (column > 0).nonzero().view(-1).tolist()}
    assert {"NPM1", "AATF", "BLM"} <= localized and not {"FBL", "PSMA2"} & localized   # grades 3, 3, 1; FBL: fc_dfc


def _rows():
    nodes = {spec.label: [] for spec in NODE_SPECS}
    nodes["Protein"] = [{"key": k, "pubmedCount": n} for k, n in (("C", 3), ("A", 10), ("B", None))]
    edges = {spec.relationship: [] for spec in EDGE_SPECS}
    edges["PULLED_DOWN"] = [
        {"source": "A", "target": "B", "pValue": 2.0, "pInt": None},
        {"source": "B", "target": "A", "pValue": 5.0, "pInt": 0.5},   # reverse of the same pair: max kept
        {"source": "C", "target": "C", "pValue": 9.0},                # self pull-down: dropped and counted
        {"source": "A", "target": "X", "pValue": 1.0},                # unknown endpoint: dropped and counted
    ]
    return nodes, edges


def test_build_export_collapses_pairs_and_counts_what_it_drops():
    export = build_export(*_rows())
    assert export.keys["Protein"] == ["A", "B", "C"]
    store = export.data["Protein", "PULLED_DOWN", "Protein"]
    assert store.edge_index.tolist() == [[0], [1]]
    assert store.edge_attr.tolist() == [[5.0, 0.5]]
    assert export.dropped == {"PULLED_DOWN: duplicate pair": 1, "PULLED_DOWN: self-pair": 1,
                              "PULLED_DOWN: endpoint not exported": 1}
    assert export.feature_names["Protein"] == ["log1p(pubmedCount)", "log1p(pubmedCount)_missing"]


def test_content_hash_ignores_row_order_and_sees_a_changed_edge():
    nodes, edges = _rows()
    first = build_export(nodes, edges).content_hash
    assert build_export({k: v[::-1] for k, v in nodes.items()}, {k: v[::-1] for k, v in edges.items()}).content_hash \
        == first
    edges["PULLED_DOWN"][0]["target"] = "C"
    assert build_export(nodes, edges).content_hash != first


def test_save_load_roundtrip_and_tamper_detection(tmp_path):
    export = build_export(*_rows())
    path = tmp_path / "export.pt"
    save_export(export, path)
    loaded = load_export(path)
    assert loaded.content_hash == export.content_hash == content_hash(loaded)
    assert loaded.keys == export.keys
    payload = torch.load(path, weights_only=True)
    payload["x"]["Protein"][0, 0] += 1.0
    torch.save(payload, path)
    with pytest.raises(ValueError, match="content hash mismatch"):
        load_export(path)


def test_cached_export_is_reused(small_store, small_export, tmp_path):
    messages = []
    first = cached_export(small_store, tmp_path, messages.append)
    second = cached_export(small_store, tmp_path, messages.append)
    assert first.content_hash == second.content_hash == small_export.content_hash
    assert messages[0].startswith("export written") and messages[1].startswith("export cache hit")
