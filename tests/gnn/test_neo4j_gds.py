"""Neo4j Graph Data Science embedding baselines through the project's Neo4j (``neo4j_gds_server``: a server of its
own with GDS in its plugins). A hand-made graph: the projection holds exactly the training graph of the supervised
relation, FastRP is ``(N, d)`` and deterministic for a seed; then the GDS rows of a one-seed experiment on the
small real graph, and the one-line errors of a store without GDS."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch_geometric.data import HeteroData

from cellmap_kg.gnn.baselines import FASTRP_DIMENSION, embedding_scorer, gds_embedding, relation_training_graph
from cellmap_kg.gnn.experiment import GDS_METHODS, ExperimentConfig, run_experiment
from cellmap_kg.gnn.negatives import PairSet
from cellmap_kg.gnn.node2vec import Node2VecConfig
from cellmap_kg.gnn.report import gds_statement
from cellmap_kg.gnn.splits import edge_split
from cellmap_kg.gnn.tasks import get_task
from cellmap_kg.gnn.train import TrainConfig
from cellmap_kg.store import open_store
from cellmap_kg.store.neo4j_gds import GDSUnavailable, gds_version, gds_version_at, projected_edges, projected_graph

pytestmark = pytest.mark.neo4j
PD = ("Protein", "PULLED_DOWN", "Protein")


@pytest.fixture(scope="module")
def gds_store(neo4j_gds_server):
    with open_store(neo4j_gds_server.uri) as store:
        yield store


def hand_made_split():
    """60 proteins, 150 random AP-MS pairs among proteins 0..54 (both directions), proteins 55..59 without any:
    the edge split of the ``ppi`` task, seed 0."""
    gen = torch.Generator().manual_seed(0)
    pairs = torch.randint(0, 55, (2, 400), generator=gen)
    pairs = pairs[:, pairs[0] < pairs[1]].unique(dim=1)[:, :150]
    data = HeteroData()
    data["Protein"].num_nodes = 60
    data["Protein"].link_candidate = torch.ones(60, dtype=torch.bool)
    data[PD].edge_index = torch.cat([pairs, pairs.flip(0)], dim=1)
    return edge_split(data, get_task("ppi"), seed=0)


def test_projection_holds_exactly_the_training_graph_and_no_held_out_pair(gds_store):
    split = hand_made_split()
    edge_index, n = relation_training_graph(split)
    with projected_graph(gds_store, edge_index.numpy(), n) as name:
        projected = projected_edges(gds_store, name)
        nodes = gds_store.query("CALL gds.graph.list($name) YIELD nodeCount RETURN nodeCount", {"name": name},
                                read_only=True)[0]["nodeCount"]
    expected = edge_index.numpy()[:, np.lexsort(edge_index.numpy()[::-1])]
    np.testing.assert_array_equal(projected, expected)
    assert nodes == n == 60                                     # proteins without an edge are projected too
    seen = PairSet(torch.from_numpy(projected), n, symmetric=True)
    for part in ("train", "val", "test"):                       # supervision pairs are not message edges
        assert not seen.contains(split.positives(part)).any(), part
    assert not gds_store.query("CALL gds.graph.list() YIELD graphName RETURN graphName", read_only=True)
    assert gds_store.query("MATCH (n) RETURN count(n) AS n", read_only=True) == [{"n": 0}]   # nothing written


def test_fastrp_is_n_by_d_and_deterministic_for_a_seed(gds_store):
    split = hand_made_split()
    config = Node2VecConfig()
    z = gds_embedding(gds_store, split, "fastRP", config, seed=3)
    assert z.shape == (60, FASTRP_DIMENSION) and z.dtype == torch.float32
    assert torch.equal(z, gds_embedding(gds_store, split, "fastRP", config, seed=3))
    assert not torch.equal(z, gds_embedding(gds_store, split, "fastRP", config, seed=4))
    assert torch.count_nonzero(z[55:]) == 0                     # no edge, no node properties: zero (GDS docs)
    scores = embedding_scorer(split, z, seed=0)(split.positives("test"))
    assert scores.shape == (split.positives("test").size(1),) and np.isfinite(scores).all()
    n2v = gds_embedding(gds_store, split, "node2vec", Node2VecConfig(dim=16, walk_length=5), seed=0)
    assert n2v.shape == (60, 16)


def test_the_experiment_scores_the_gds_baselines_and_reports_the_gap(small_export, neo4j_gds_server):
    config = ExperimentConfig(splits=("edge",), seeds=(0,), gnn=TrainConfig(epochs=2, eval_every=1),
                              mlp=TrainConfig(model="feature-mlp", pair_features=(), epochs=2, eval_every=1),
                              node2vec=Node2VecConfig(walks_per_node=1, walk_length=5, context_size=3),
                              num_shared=2000, num_hard=5, jobs=1, gds=neo4j_gds_server.uri)
    result = run_experiment(small_export, config)
    edge = result.summary()["edge"]
    assert edge[GDS_METHODS["fastRP"]]["auc"][0] > 0.6                   # deterministic: FastRP carries signal
    assert edge[GDS_METHODS["node2vec"]]["auc"][0] != 0.5     # a constant scorer gives exactly 0.5 (not seeded)
    timings = result.records[0].timings
    assert {"Neo4j GDS fastRP", "Neo4j GDS node2vec"} <= set(timings)
    text = "\n".join(gds_statement(result))
    assert result.gds_version in text and f"edge split, GNN minus {GDS_METHODS['fastRP']}: " in text


def test_a_store_without_gds_is_a_one_line_error_naming_the_install(neo4j_scratch_server):
    with open_store(neo4j_scratch_server.uri) as store, pytest.raises(GDSUnavailable, match="--with-gds"):
        gds_version(store)
    with pytest.raises(GDSUnavailable, match="no Neo4j with Graph Data Science answers at bolt://127.0.0.1:1 "):
        gds_version_at("bolt://127.0.0.1:1")
