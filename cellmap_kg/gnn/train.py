"""Full-batch training of a link predictor on a :class:`~cellmap_kg.gnn.splits.LinkSplit`, seeded and deterministic.

Each epoch: encode the whole training message-passing graph, score the training supervision positives and
``negative_ratio`` times as many fresh negatives (drawn uniformly from the split's candidates, avoiding every pair
of the *training* graph only; for a symmetric relation the ones with a common neighbour are replaced by
importance-weighted two-hop negatives, same expected loss, lower variance where ranking is decided), and take one
Adam step on the binary cross-entropy. Every ``eval_every`` epochs the validation ROC-AUC and OGB Hits@100 are
measured on the validation graph; the weights of the best ``select_on`` metric are kept (early stopping after
``patience`` evaluations without improvement). Epoch 0 in the history is the untrained model.

The whole graph (~75k nodes, ~1.5M directed edges for the full cell-map graph) fits in memory, so training is
full-batch; PyG's ``LinkNeighborLoader`` would need ``pyg-lib`` or ``torch-sparse``, which have no CPU wheels for
this torch on PyPI.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import torch
from torch import nn
from torch_geometric.data import HeteroData

from .heuristics import PairFeatures
from .metrics import hits_at_k, roc_auc
from .model import FeatureMLP, GraphInput, HeteroSAGE, LinkModel, graph_input
from .negatives import PairSet, TwoHopNegatives, sample_negatives
from .splits import LinkSplit, seed_everything
from .tasks import Task

MODELS = ("hetero-sage", "feature-mlp")


@dataclass
class TrainConfig:
    """Hyper-parameters (all recorded in the ``ModelRun``).

    Attributes:
        model: ``hetero-sage`` (the GNN) or ``feature-mlp`` (node features alone).
        decoder: ``dot`` or ``mlp`` (see ``LinkModel``).
        pair_features: heuristic features of each pair fed to the ``mlp`` decoder (``PairFeatures`` components:
            ``relation``, ``typed``, ``direct``, ``whole``, ``degree``; empty = none; ``None`` = the task's
            ``pair_features``).
        negative_ratio: fresh training negatives per training positive and epoch.
        two_hop_ratio: additional two-hop negatives per positive (``TwoHopNegatives``, symmetric tasks only):
            the uniform negatives with a common neighbour are replaced in the loss by these, importance-weighted
            so that the expected loss is unchanged (stratified sampling of the hard part of uniform negatives).
        dim: embedding / hidden size. layers: message-passing layers. dropout: between layers.
        epochs: maximum epochs. lr, weight_decay: Adam. eval_every: epochs between validation checks.
        patience: validation checks without improvement before stopping (0 = never stop early).
        select_on: validation metric that picks the kept weights and drives early stopping: ``hits@100``
            (OGB ``ogbl-ppa`` model selection) or ``auc``.
        threads: torch intra-op threads while training (measured on the 2-core reference machine: sparse
            aggregation runs 2-5x *slower* with 2 threads than with 1, so the default is 1).
    """

    model: str = "hetero-sage"
    decoder: str = "mlp"
    pair_features: tuple[str, ...] | None = None
    negative_ratio: int = 3
    two_hop_ratio: float = 1.0
    dim: int = 32
    layers: int = 2
    dropout: float = 0.0
    epochs: int = 120
    lr: float = 0.005
    weight_decay: float = 0.0
    eval_every: int = 10
    patience: int = 4
    select_on: str = "hits@100"
    threads: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    """A trained model and its training record.

    Attributes:
        model: the encoder with the best-validation weights, in eval mode.
        history: ``[{"epoch", "loss", "val_auc"}]`` (``val_auc`` only at evaluated epochs; epoch 0 = untrained).
        best_epoch, best_val_auc: where the kept weights come from.
        seconds: wall time of training (without the final validation); epochs_run: epochs trained.
    """

    model: nn.Module
    config: TrainConfig
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    best_val_auc: float = float("nan")
    seconds: float = 0.0
    epochs_run: int = 0

    @property
    def seconds_per_epoch(self) -> float:
        return self.seconds / max(self.epochs_run, 1)


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` torch intra-op threads (``None``: unchanged), then restore the previous number."""
    before = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def resolved(config: TrainConfig, task: Task) -> TrainConfig:
    """``config`` with ``pair_features`` set to the task's default when it is ``None``."""
    return config if config.pair_features is not None else replace(config, pair_features=task.pair_features)


def build_model(config: TrainConfig, graph: HeteroData, task: Task,
                pair_features: PairFeatures | None = None) -> LinkModel:
    """The ``LinkModel`` named by ``config.model`` / ``config.decoder`` for ``graph`` (``pair_features``: the
    graph's ``PairFeatures``, built if needed and not given, only to size the decoder).

    Raises ``ValueError`` for an unknown model or decoder."""
    config = resolved(config, task)
    if config.model == "hetero-sage":
        encoder = HeteroSAGE(graph, dim=config.dim, layers=config.layers, dropout=config.dropout)
    elif config.model == "feature-mlp":
        encoder = FeatureMLP(graph, (task.source_type, task.target_type), dim=config.dim, dropout=config.dropout)
    else:
        raise ValueError(f"unknown model {config.model!r}; known: {', '.join(MODELS)}")
    if config.pair_features and pair_features is None:
        pair_features = PairFeatures(graph, task.edge_type, task.undirected, config.pair_features)
    extra = pair_features.num_features if config.pair_features else 0
    return LinkModel(encoder, task.edge_type, config.dim, config.decoder, tuple(config.pair_features), extra)


@torch.no_grad()
def embed(model: LinkModel, inp: GraphInput | HeteroData) -> dict[str, torch.Tensor]:
    """Eval-mode embeddings ``{type: (N_t, d)}`` (message passing over the graph's edges)."""
    model.eval()
    return model(inp if isinstance(inp, GraphInput) else graph_input(inp))


class LinkScorer:
    """Scores of pairs by a trained model with message passing over one graph (embeddings computed once;
    ``inp`` / ``pair_features`` of the graph are built unless given).

    Shapes: ``__call__(pairs (2, M))`` -> ``(M,)`` float64 logits.
    """

    def __init__(self, model: LinkModel, data: HeteroData, task: Task, inp: GraphInput | None = None,
                 pair_features: PairFeatures | None = None):
        self.model = model
        self.z = embed(model, inp or graph_input(data))
        if pair_features is None and model.pair_components:
            pair_features = PairFeatures(data, task.edge_type, task.undirected, model.pair_components)
        self.pair_features = pair_features

    @torch.no_grad()
    def __call__(self, pairs: torch.Tensor) -> np.ndarray:
        extra = self.pair_features(pairs) if self.pair_features is not None else None
        return self.model.decode(self.z, pairs, extra).double().numpy()


class Validator:
    """Validation metrics of a model during training: ROC-AUC (validation positives vs the split's fixed
    validation negatives) and OGB Hits@K against ``num_shared`` random validation non-edges, drawn once, avoiding
    the training graph and the validation positives (test edges are never looked at). The defaults equal the test
    protocol (:mod:`cellmap_kg.gnn.evaluation`), so the selected weights are those of the best validation score
    on the reported metric.

    Shapes: ``__call__(model)`` -> ``{"auc": float, "hits@K": float}``.
    """

    def __init__(self, split: LinkSplit, components: tuple[str, ...], seed: int, num_shared: int = 100_000,
                 k: int = 100):
        task, graph = split.task, split.graphs["val"]
        self.split, self.graph, self.k = split, graph, k
        self.input = graph_input(graph)
        self.pair_features = PairFeatures(graph, task.edge_type, task.undirected, components) if components else None
        known = PairSet(torch.cat([split.training_graph_pairs(), split.positives("val")], dim=1),
                        graph[task.target_type].num_nodes, symmetric=task.undirected)
        self.shared = sample_negatives(num_shared, split.candidates("val", 0), split.candidates("val", 1), known,
                                       torch.Generator().manual_seed(40_000 + seed), distinct_ends=task.undirected)

    def __call__(self, model: LinkModel) -> dict[str, float]:
        scorer = LinkScorer(model, self.graph, self.split.task, self.input, self.pair_features)
        pos = scorer(self.split.positives("val"))
        return {"auc": roc_auc(pos, scorer(self.split.negatives("val"))),
                f"hits@{self.k}": hits_at_k(pos, scorer(self.shared), self.k)}


def train_link_model(split: LinkSplit, config: TrainConfig, seed: int,
                     progress: Callable[[int, float, float | None], None] | None = None) -> TrainResult:
    """Train ``config.model`` on ``split`` with ``seed`` (weights, dropout and negatives all follow the seed).

    ``progress(epoch, loss, val_auc_or_None)`` is called after every epoch.
    """
    with torch_threads(config.threads):
        return _train(split, resolved(config, split.task), seed, progress)


def _train(split: LinkSplit, config: TrainConfig, seed: int,
           progress: Callable[[int, float, float | None], None] | None) -> TrainResult:
    seed_everything(seed)
    task, train = split.task, split.graphs["train"]
    train_input = graph_input(train)
    pair_features = PairFeatures(train, task.edge_type, task.undirected, config.pair_features) \
        if config.pair_features else None
    model = build_model(config, train, task, pair_features)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    gen = torch.Generator().manual_seed(seed)
    positives = split.positives("train")
    positive_extra = pair_features(positives) if pair_features is not None else None
    num_negatives = config.negative_ratio * positives.size(1)
    num_two_hop = int(config.two_hop_ratio * positives.size(1)) if task.undirected else 0
    two_hop = TwoHopNegatives(split.training_graph_pairs(), train[task.source_type].num_nodes) if num_two_hop \
        else None
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    result = TrainResult(model, config)
    validate = Validator(split, tuple(config.pair_features), seed)
    scores = validate(model)
    best, best_state, stale = scores[config.select_on], copy.deepcopy(model.state_dict()), 0
    result.history.append({"epoch": 0, "loss": None, **_val(scores)})
    start = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        model.train()
        optimiser.zero_grad()
        negatives = split.training_negatives(num_negatives, gen)
        weights = None
        if two_hop is not None:
            hard, hard_weights = two_hop.sample(num_two_hop, split.training_known(), gen)
            in_stratum = two_hop.resource_allocation(negatives) > 0
            share = float(in_stratum.double().mean())
            easy = negatives[:, ~in_stratum]
            negatives = torch.cat([easy, hard], dim=1)
            weights = torch.cat([torch.full((easy.size(1),), (1 - share) / max(easy.size(1), 1)),
                                 share * hard_weights / hard_weights.sum()])
        z = model(train_input)
        extra = (torch.cat([positive_extra, pair_features(negatives)]) if pair_features is not None else None)
        logits = model.decode(z, torch.cat([positives, negatives], dim=1), extra)
        loss = _loss(loss_fn, logits, positives.size(1), config.negative_ratio, weights)
        loss.backward()
        optimiser.step()
        entry = {"epoch": epoch, "loss": float(loss.detach())}
        if epoch % config.eval_every == 0 or epoch == config.epochs:
            scores = validate(model)
            entry.update(_val(scores))
            if scores[config.select_on] > best:
                best, best_state, result.best_epoch, stale = scores[config.select_on], \
                    copy.deepcopy(model.state_dict()), epoch, 0
            else:
                stale += 1
        result.history.append(entry)
        result.epochs_run = epoch
        if progress:
            progress(epoch, entry["loss"], entry.get("val_auc"))
        if config.patience and stale >= config.patience:
            break
    result.seconds = time.perf_counter() - start
    model.load_state_dict(best_state)
    model.eval()
    result.best_val_auc = next(h["val_auc"] for h in result.history if h["epoch"] == result.best_epoch)
    return result


def _loss(loss_fn: nn.Module, logits: torch.Tensor, num_positives: int, ratio: int,
          weights: torch.Tensor | None) -> torch.Tensor:
    """Binary cross-entropy of positives (label 1) then negatives (label 0): the plain mean over all pairs, or,
    with ``weights`` (negatives' weights summing to 1), ``(mean positive loss + ratio * weighted negative loss) /
    (1 + ratio)``, the same expectation as ``ratio`` uniform negatives per positive."""
    labels = torch.zeros_like(logits)
    labels[:num_positives] = 1.0
    losses = loss_fn(logits, labels)
    if weights is None:
        return losses.mean()
    negative = (losses[num_positives:] * weights).sum()
    return (losses[:num_positives].mean() + ratio * negative) / (1 + ratio)


def _val(scores: dict[str, float]) -> dict[str, float]:
    return {f"val_{k}": v for k, v in scores.items()}
