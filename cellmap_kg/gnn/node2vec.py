"""Node2Vec embeddings (Grover & Leskovec 2016, KDD) for the shallow-embedding baseline, in plain torch.

PyG's ``torch_geometric.nn.Node2Vec`` draws its walks with ``pyg-lib`` (``torch.ops.pyg.random_walk``), which
has no wheel on PyPI for this torch; this module reproduces that model with uniform first-order walks
(``p = q = 1``, the setting of PyG's ``examples/node2vec.py``) drawn by :func:`random_walks`, and the same
skip-gram objective as ``Node2Vec.loss``: for every window of ``context_size`` nodes of a walk, the start node's
embedding should have a high dot product with the others (``-log sigmoid``) and a low one with random nodes
(``-log(1 - sigmoid)``, ``num_negative_samples`` random windows per walk).

The link predictor on top (:func:`hadamard_logistic_regression`) is the paper's: a logistic regression on the
element-wise product of the two embeddings (standardised first, see there).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from torch import Tensor, nn
from torch_geometric.utils import sort_edge_index

EPS = 1e-15


@dataclass
class Node2VecConfig:
    """Hyper-parameters (PyG ``examples/node2vec.py`` defaults, fewer epochs). ``threads`` as in training."""

    dim: int = 64
    walk_length: int = 20
    context_size: int = 10
    walks_per_node: int = 10
    num_negative_samples: int = 1
    epochs: int = 1
    batch_size: int = 128
    lr: float = 0.01

    def to_dict(self) -> dict:
        return asdict(self)


def compressed(edge_index: Tensor, num_nodes: int) -> tuple[Tensor, Tensor]:
    """CSR ``(rowptr (N + 1,), col (E,))`` of ``edge_index`` ``(2, E)``, rows sorted."""
    row, col = sort_edge_index(edge_index, num_nodes=num_nodes)
    rowptr = torch.zeros(num_nodes + 1, dtype=torch.long)
    rowptr[1:] = torch.cumsum(torch.bincount(row, minlength=num_nodes), dim=0)
    return rowptr, col


def random_walks(rowptr: Tensor, col: Tensor, start: Tensor, length: int, generator: torch.Generator) -> Tensor:
    """Uniform random walks of ``length`` steps from each node of ``start``; a node without neighbours stays put.

    Shapes: ``start (S,)`` -> ``(S, length + 1)``, column 0 = ``start``.
    """
    degree = rowptr[1:] - rowptr[:-1]
    walk = [start]
    cur = start
    for _ in range(length):
        d = degree[cur]
        step = (torch.rand(len(cur), generator=generator) * d).long().clamp(max=(d - 1).clamp(min=0))
        idx = (rowptr[cur] + step).clamp(max=max(len(col) - 1, 0))
        cur = torch.where(d > 0, col[idx] if len(col) else cur, cur)
        walk.append(cur)
    return torch.stack(walk, dim=1)


def _windows(walks: Tensor, context_size: int) -> Tensor:
    """All length-``context_size`` windows of each walk. Shapes: ``(S, L + 1)`` -> ``(S * (L + 2 - c), c)``."""
    n = walks.size(1) + 1 - context_size
    return torch.cat([walks[:, j:j + context_size] for j in range(n)], dim=0)


class SkipGram(nn.Module):
    """Node embeddings ``(N, d)`` trained with the Node2Vec skip-gram loss (see the module docstring)."""

    def __init__(self, num_nodes: int, dim: int):
        super().__init__()
        self.embedding = nn.Embedding(num_nodes, dim)
        nn.init.normal_(self.embedding.weight, std=0.1)

    def loss(self, positive: Tensor, negative: Tensor) -> Tensor:
        """Skip-gram loss of positive and negative windows ``(W, c)``."""
        def dots(windows: Tensor) -> Tensor:
            h_start = self.embedding(windows[:, :1])
            h_rest = self.embedding(windows[:, 1:])
            return (h_start * h_rest).sum(dim=-1).view(-1)

        pos_loss = -torch.log(torch.sigmoid(dots(positive)) + EPS).mean()
        neg_loss = -torch.log(1 - torch.sigmoid(dots(negative)) + EPS).mean()
        return pos_loss + neg_loss


def train_node2vec(edge_index: Tensor, num_nodes: int, config: Node2VecConfig, seed: int) -> Tensor:
    """Node2Vec embeddings of a homogeneous graph ``edge_index`` ``(2, E)`` (both directions for undirected).

    Walks start only from nodes with at least one edge; the others keep their random initial vectors.
    Returns ``(num_nodes, config.dim)`` (detached). Deterministic given ``seed``.
    """
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    rowptr, col = compressed(edge_index, num_nodes)
    model = SkipGram(num_nodes, config.dim)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    active = ((rowptr[1:] - rowptr[:-1]) > 0).nonzero().view(-1)
    starts = active.repeat(config.walks_per_node)
    for _ in range(config.epochs):
        order = starts[torch.randperm(len(starts), generator=gen)]
        for b in range(0, len(order), config.batch_size):
            batch = order[b:b + config.batch_size]
            positive = _windows(random_walks(rowptr, col, batch, config.walk_length - 1, gen), config.context_size)
            neg_start = batch.repeat(config.num_negative_samples)
            negative_walks = torch.cat([neg_start.view(-1, 1),
                                        torch.randint(num_nodes, (len(neg_start), config.walk_length - 1),
                                                      generator=gen)], dim=1)
            negative = _windows(negative_walks, config.context_size)
            optimiser.zero_grad()
            loss = model.loss(positive, negative)
            loss.backward()
            optimiser.step()
    return model.embedding.weight.detach().clone()


def hadamard_logistic_regression(z_source: Tensor, z_target: Tensor, positives: Tensor, negatives: Tensor,
                                 seed: int) -> Pipeline:
    """Fit a logistic regression on ``z_source[u] * z_target[v]`` of ``positives`` (label 1) and ``negatives``
    (label 0), both ``(2, M)``; ``z`` are ``(N, d)``. Score new pairs with :func:`hadamard_scores`.

    The products are standardised first (scikit-learn ``StandardScaler``, fitted on these pairs) so that the
    L2-penalised fit does not depend on the embedding's scale: GDS node2vec's vectors are ~10x smaller than the
    project Node2Vec's, and unscaled their products were so small that the fit stopped at zero weights on a small
    graph (every score equal). On the real edge split (seed 0) scaling changed Node2Vec's ROC-AUC by < 0.001.

    Returns the fitted scikit-learn ``Pipeline`` (scaler, then the ``LogisticRegression``: ``pipeline[-1]``)."""
    x = torch.cat([z_source[positives[0]] * z_target[positives[1]],
                   z_source[negatives[0]] * z_target[negatives[1]]]).numpy()
    y = np.concatenate([np.ones(positives.size(1)), np.zeros(negatives.size(1))])
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed)).fit(x, y)


def hadamard_scores(clf: Pipeline, z_source: Tensor, z_target: Tensor, pairs: Tensor) -> np.ndarray:
    """Decision values ``(M,)`` of ``clf`` for ``pairs`` ``(2, M)``."""
    return clf.decision_function((z_source[pairs[0]] * z_target[pairs[1]]).numpy())
