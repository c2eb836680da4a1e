"""Baseline scorers, each a function ``pairs (2, M) -> scores (M,)`` on the same split as the GNN.

- :func:`heuristic_scores`: common neighbours and Adamic-Adar in the test-time message-passing graph (the
  supervised relation alone, or the whole heterogeneous graph), both from one product;
- :func:`node2vec_scorer`: Node2Vec on the training graph of the supervised relation + logistic regression on
  the Hadamard product (Grover & Leskovec 2016); :func:`embedding_scorer` is that link predictor for any node
  embedding learnt from :func:`relation_training_graph`;
- :func:`gds_embedding`: Neo4j Graph Data Science's FastRP or node2vec computed inside a Neo4j with GDS on that
  same training graph (``store/neo4j_gds.py``), then the same :func:`embedding_scorer`: the embedding route a
  Neo4j user would try first;
- :func:`coembedding_scorer`: the cosine of the U2OS MUSE co-embedding (``PROXIMAL_TO.cosine``), defined for
  pairs of proteins in the co-embedding only (:func:`coembedding_coverage`);
- the MLP on node features alone is a :class:`~cellmap_kg.gnn.model.FeatureMLP` trained like the GNN.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from ..store.base import GraphStore
from ..store.neo4j_gds import node_embeddings
from .heterodata import GraphExport
from .heuristics import homogeneous_adjacency, neighbour_heuristics, node_offsets
from .node2vec import Node2VecConfig, hadamard_logistic_regression, hadamard_scores, train_node2vec
from .splits import LinkSplit

Scorer = Callable[[torch.Tensor], np.ndarray]


def heuristic_scores(split: LinkSplit, pairs: torch.Tensor, whole_graph: bool) -> dict[str, np.ndarray]:
    """``{"CN": (M,), "AA": (M,)}`` of ``pairs`` ``(2, M)`` in the test graph: the supervised relation's edges
    only, or every edge type."""
    graph = split.graphs["test"]
    task = split.task
    adj = homogeneous_adjacency(graph, None if whole_graph else [task.edge_type])
    offsets = node_offsets(graph)
    shift = torch.tensor([[offsets[task.source_type]], [offsets[task.target_type]]])
    cn, aa = neighbour_heuristics(adj, (pairs + shift).numpy())
    return {"CN": cn, "AA": aa}


def relation_training_graph(split: LinkSplit) -> tuple[torch.Tensor, int]:
    """``(edge_index (2, E), N)``: the training message-passing graph of the supervised relation as one
    homogeneous graph (source nodes first, then target nodes for a bipartite relation, both directions). This is
    the graph a shallow-embedding baseline may learn from without seeing a held-out pair."""
    task = split.task
    graph = split.graphs["train"]
    n_src = graph[task.source_type].num_nodes
    message = split.message_passing("train")
    if task.undirected:
        return message, n_src
    shifted = torch.stack([message[0], message[1] + n_src])
    return torch.cat([shifted, shifted.flip(0)], dim=1), n_src + graph[task.target_type].num_nodes


def embedding_scorer(split: LinkSplit, z: torch.Tensor, seed: int) -> Scorer:
    """The link predictor of an embedding baseline: a logistic regression on ``z_u * z_v`` fitted on the training
    supervision positives and as many negatives drawn from the training graph only (Grover & Leskovec 2016).

    ``z``: ``(N, d)`` node embeddings in the numbering of :func:`relation_training_graph`, learnt from that graph
    only. Any embedding method plugs in here: Node2Vec (:func:`node2vec_scorer`), or Neo4j Graph Data Science's
    FastRP / node2vec run on the same training graph projected into GDS (:func:`gds_embedding`)."""
    task = split.task
    n_src = split.graphs["train"][task.source_type].num_nodes
    z_src, z_dst = (z, z) if task.undirected else (z[:n_src], z[n_src:])
    positives = split.positives("train")
    negatives = split.training_negatives(positives.size(1), torch.Generator().manual_seed(20_000 + seed))
    clf = hadamard_logistic_regression(z_src, z_dst, positives, negatives, seed)
    return lambda pairs: hadamard_scores(clf, z_src, z_dst, pairs)


def node2vec_scorer(split: LinkSplit, config: Node2VecConfig, seed: int) -> Scorer:
    """Node2Vec on :func:`relation_training_graph`, then :func:`embedding_scorer`."""
    edge_index, n = relation_training_graph(split)
    return embedding_scorer(split, train_node2vec(edge_index, n, config, seed), seed)


FASTRP_DIMENSION = 128
"""FastRP's ``embeddingDimension`` (GDS requires one): the low end of the "typical 128 - 1024" of the GDS FastRP
docs (the relation graph has ~2.3e4 nodes, below the ~1e5 for which they advise >= 256), and GDS node2vec's
default dimension."""


def gds_config(algorithm: str, node2vec: Node2VecConfig, seed: int) -> dict:
    """The GDS configuration map of ``algorithm`` (``"fastRP"`` or ``"node2vec"``) for seed ``seed``.

    - ``fastRP``: ``embeddingDimension`` :data:`FASTRP_DIMENSION`; everything else the GDS 2.13 defaults
      (``iterationWeights [0.0, 1.0, 1.0]``, ``normalizationStrength 0``, ``nodeSelfInfluence 0``, no node
      properties): what a Neo4j user gets out of the box. Not tuned: the FastRP paper (Chen et al. 2019, CIKM)
      tunes the normalisation strength in [-1, 0] and the iteration weights per task (GDS docs "Fast Random
      Projection"). Deterministic for a ``randomSeed``.
    - ``node2vec``: the walks and skip-gram sizes of the project's Node2Vec baseline (``node2vec``: dimension,
      walk length, walks per node, window, negatives per positive, epochs; ``p = q = 1`` as there), so the two
      node2vec rows differ by their implementation only; GDS's defaults for the rest (learning rate 0.01
      decaying to 1e-4, negative sampling exponent 0.75). GDS's own defaults (walks of 80 steps, 10 per node,
      5 negatives, 128 dimensions) took 106 s per (split, seed) on the 2-core machine against 5 s for these.
      GDS node2vec is not deterministic even with ``randomSeed`` (GDS docs "Node2Vec").

    Raises:
        ValueError: another ``algorithm``.
    """
    if algorithm == "fastRP":
        return {"embeddingDimension": FASTRP_DIMENSION, "randomSeed": seed}
    if algorithm == "node2vec":
        return {"embeddingDimension": node2vec.dim, "walkLength": node2vec.walk_length,
                "walksPerNode": node2vec.walks_per_node, "windowSize": node2vec.context_size,
                "negativeSamplingRate": node2vec.num_negative_samples, "iterations": node2vec.epochs,
                "inOutFactor": 1.0, "returnFactor": 1.0, "randomSeed": seed}
    raise ValueError(f"unknown GDS embedding {algorithm!r}; use fastRP or node2vec")


def gds_embedding(store: GraphStore, split: LinkSplit, algorithm: str, node2vec: Node2VecConfig,
                  seed: int) -> torch.Tensor:
    """``z (N, d)``: GDS ``algorithm`` on :func:`relation_training_graph` (:func:`gds_config`), computed in
    ``store``'s Neo4j from the edge list alone (nothing written to its database), for :func:`embedding_scorer`.

    Raises:
        GDSUnavailable: ``store`` is not a Neo4j with GDS (``cellmap-kg neo4j install --with-gds``).
        StoreError: GDS failed (its message).
    """
    edge_index, n = relation_training_graph(split)
    z = node_embeddings(store, edge_index.numpy(), n, algorithm, gds_config(algorithm, node2vec, seed))
    return torch.from_numpy(z)


def coembedding_coverage(export: GraphExport) -> torch.Tensor:
    """Boolean ``(N_protein,)``: the protein has at least one ``PROXIMAL_TO`` pair, i.e. is in the co-embedding."""
    edge_index = export.data["Protein", "PROXIMAL_TO", "Protein"].edge_index
    covered = torch.zeros(len(export.keys["Protein"]), dtype=torch.bool)
    covered[edge_index.reshape(-1)] = True
    return covered


def coembedding_scorer(export: GraphExport) -> tuple[Scorer, Callable[[torch.Tensor], torch.Tensor]]:
    """``(scorer, subset)``: the co-embedding cosine of a pair (0 when the pair is not among the top 0.2% pairs
    the data set lists: its cosine is then below every listed one), and the subset of pairs it is defined on
    (both proteins covered, see :func:`coembedding_coverage`)."""
    store = export.data["Protein", "PROXIMAL_TO", "Protein"]
    n = len(export.keys["Protein"])
    ei = store.edge_index.numpy()
    codes = np.concatenate([ei[0] * n + ei[1], ei[1] * n + ei[0]])
    values = np.concatenate([store.edge_attr[:, 0].numpy()] * 2).astype(np.float64)
    order = np.argsort(codes)
    codes, values = codes[order], values[order]
    covered = coembedding_coverage(export)

    def scorer(query: torch.Tensor) -> np.ndarray:
        q = query[0].numpy().astype(np.int64) * n + query[1].numpy()
        if not len(codes):
            return np.zeros(len(q))
        pos = np.minimum(np.searchsorted(codes, q), len(codes) - 1)
        return np.where(codes[pos] == q, values[pos], 0.0)

    return scorer, lambda query: covered[query[0]] & covered[query[1]]
