"""Full-batch training of a link predictor on a :class:`~cellmap_kg.gnn.splits.LinkSplit`, seeded and deterministic.

Negatives come from a pool drawn once per split and seed (:class:`NegativePool`): ``negative_pool`` epochs' worth of
uniform negatives (from the split's candidates, avoiding every pair of the *training* graph only) and, for a
symmetric relation, importance-weighted two-hop negatives that replace the uniform ones with a common neighbour
(same expected loss, lower variance where ranking is decided). The decoder's pair inputs (heuristic features or
common neighbours) of the pool are computed once, not every epoch. Each epoch: encode the whole training
message-passing graph, score a fresh random ``pair_fraction`` share of the training supervision positives and
``negative_ratio`` times as many negatives drawn from the pool, and take one Adam step on the binary cross-entropy
(the decoder over all ~170k pairs of a full pass dominated the time of an epoch). Every ``eval_every`` epochs the
validation ROC-AUC and OGB Hits@100 are measured on the validation graph (pair inputs computed once); the weights of
the best ``select_on`` metric are kept (early stopping after ``patience`` evaluations without improvement). Epoch 0
in the history is the untrained model.

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

from .calibration import Calibrator
from .common_neighbours import PairNeighbourhood, PairTensors, TypedNeighbourhoods, neighbour_edge_types
from .heuristics import PairFeatures
from .metrics import hits_at_k, roc_auc
from .model import FeatureMLP, GraphInput, HeteroSAGE, LinkModel, graph_input
from .negatives import PairSet, TwoHopNegatives, sample_negatives
from .splits import LinkSplit, seed_everything
from .tasks import Task

MODELS = ("hetero-sage", "feature-mlp")
PairInputs = PairFeatures | TypedNeighbourhoods


@dataclass
class TrainConfig:
    """Hyper-parameters (all recorded in the ``ModelRun``).

    Attributes:
        model: ``hetero-sage`` (the GNN encoder) or ``feature-mlp`` (node features alone).
        decoder: ``dot``, ``mlp`` or ``ncn`` (see ``LinkModel``); ``None`` = the task's ``decoder``.
        pair_features: heuristic features of each pair fed to the ``mlp`` decoder (``PairFeatures`` components:
            ``relation``, ``typed``, ``direct``, ``whole``, ``degree``; empty = none; ``None`` = the task's
            ``pair_features`` for the ``mlp`` decoder, none otherwise).
        ncn_relations: relationship types whose common neighbours the ``ncn`` decoder reads (``None`` = every
            relation leaving the source type; ``()`` = none, the decoder is then the Hadamard MLP alone).
        ncn_heuristics: feed the per-relation CN / Adamic-Adar counts to the ``ncn`` decoder too.
        inductive: the model is for source nodes without any edge of the supervised relation (the
            protein-disjoint split): no learnable per-node embeddings in the encoder (an unseen protein's would
            never be trained; a node is its measured features and neighbourhood), and the ``ncn`` decoder reads
            no common neighbours through the supervised relation (an unseen protein has none; training on them
            teaches the decoder to rely on a signal that is always absent at test time).
        negative_ratio: training negatives per training positive and epoch.
        negative_pool: epochs' worth of negatives in the pool drawn once (``NegativePool``).
        two_hop_ratio: additional two-hop negatives per positive (``TwoHopNegatives``, symmetric tasks only):
            the uniform negatives with a common neighbour are replaced in the loss by these, importance-weighted
            so that the expected loss is unchanged (stratified sampling of the hard part of uniform negatives).
        dim: embedding / hidden size. layers: message-passing layers. dropout: between layers.
        epochs: maximum epochs. lr, weight_decay: Adam. eval_every: epochs between validation checks.
        patience: validation checks without improvement before stopping (0 = never stop early).
        patience_metrics: validation metrics (``auc``, ``hits@100``) of which any new best counts as an
            improvement for ``patience`` (``None``: ``select_on`` only). Validation Hits@100 of the NCN plateaus
            for tens of epochs after the first few (the heuristic columns are learnt first) while ROC-AUC still
            rises, and climbs again later; stopping on Hits@100 alone ended some seeds there.
        pair_fraction: share of the training positives scored in each epoch (drawn without replacement, fresh
            every epoch), each with its ``negative_ratio`` and ``two_hop_ratio`` negatives, so one epoch costs the
            decoder that share of a full pass. Measured on the edge split (seed 0, 100 epochs): 0.25 reaches
            the full pass's validation Hits@100 and a higher ROC-AUC (the noise of a fresh subset regularises
            the learnt node embeddings) at about a third of the time per epoch. The time saved pays for ``dim``
            48 at a share of 0.1 (edge split, seed 2: test ROC-AUC 0.963 and Hits@100 0.320 against 0.955 and
            0.289 with ``dim`` 32 at 0.25; the 5-seed figures are in the README).
        select_on: validation metric that picks the kept weights: ``hits@100`` (OGB ``ogbl-ppa`` model
            selection) or ``auc``.
        threads: torch intra-op threads while training (measured on the 2-core reference machine: sparse
            aggregation runs 2-5x *slower* with 2 threads than with 1, so the default is 1).
    """

    model: str = "hetero-sage"
    decoder: str | None = None
    pair_features: tuple[str, ...] | None = None
    ncn_relations: tuple[str, ...] | None = None
    ncn_heuristics: bool = True
    inductive: bool = False
    negative_ratio: int = 3
    negative_pool: int = 6
    two_hop_ratio: float = 1.0
    dim: int = 48
    layers: int = 1
    dropout: float = 0.0
    epochs: int = 100
    lr: float = 0.005
    weight_decay: float = 0.0
    eval_every: int = 10
    patience: int = 3
    patience_metrics: tuple[str, ...] | None = ("auc", "hits@100")
    pair_fraction: float = 0.1
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
    validator: Validator | None = field(default=None, repr=False)

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
    """``config`` with ``decoder`` and ``pair_features`` set to the task's defaults where they are ``None``
    (``pair_features`` only apply to the ``mlp`` decoder; the feature MLP, which encodes proteins only, decodes
    with ``mlp``)."""
    decoder = config.decoder or (task.decoder if config.model == "hetero-sage" else "mlp")
    features = config.pair_features if config.pair_features is not None else \
        (task.pair_features if decoder == "mlp" and config.model != "feature-mlp" else ())
    return replace(config, decoder=decoder, pair_features=tuple(features))


def pair_inputs(config: TrainConfig, graph: HeteroData, task: Task) -> PairInputs | None:
    """What the decoder reads about a pair in ``graph`` (the graph whose pairs are scored): the common-neighbour
    blocks (``ncn``), the heuristic ``PairFeatures`` (``mlp`` with ``pair_features``) or ``None``."""
    config = resolved(config, task)
    if config.decoder == "ncn":
        edge_types = [et for et in neighbour_edge_types(graph, task.source_type)
                      if (config.ncn_relations is None or et[1] in config.ncn_relations)
                      and not (config.inductive and et == task.edge_type)]
        return TypedNeighbourhoods(graph, task.source_type, edge_types)
    if config.pair_features:
        return PairFeatures(graph, task.edge_type, task.undirected, config.pair_features)
    return None


def build_model(config: TrainConfig, graph: HeteroData, task: Task, inputs: PairInputs | None = None) -> LinkModel:
    """The ``LinkModel`` named by ``config.model`` / ``config.decoder`` for ``graph`` (``inputs``: the graph's
    :func:`pair_inputs`, built if needed and not given, only to size the decoder).

    Raises ``ValueError`` for an unknown model or decoder, or ``ncn`` on a relation between two node types."""
    config = resolved(config, task)
    if config.model == "hetero-sage":
        encoder = HeteroSAGE(graph, dim=config.dim, layers=config.layers, dropout=config.dropout,
                             embeddings=not config.inductive)
    elif config.model == "feature-mlp":
        encoder = FeatureMLP(graph, (task.source_type, task.target_type), dim=config.dim, dropout=config.dropout)
    else:
        raise ValueError(f"unknown model {config.model!r}; known: {', '.join(MODELS)}")
    if config.decoder == "ncn" and not task.undirected:
        raise ValueError(f"the 'ncn' decoder needs a symmetric relation; task {task.name} is bipartite")
    if inputs is None and (config.pair_features or config.decoder == "ncn"):
        inputs = pair_inputs(config, graph, task)
    if config.decoder == "ncn":
        heuristics = 2 * len(inputs.blocks) if config.ncn_heuristics else 0
        return LinkModel(encoder, task.edge_type, config.dim, "ncn", blocks=inputs.blocks, heuristics=heuristics)
    extra = inputs.num_features if config.pair_features else 0
    return LinkModel(encoder, task.edge_type, config.dim, config.decoder, tuple(config.pair_features), extra)


PairExtra = torch.Tensor | PairNeighbourhood | PairTensors | None


def take(extra: PairExtra, rows: torch.Tensor) -> PairExtra:
    """The decoder inputs of the pairs at ``rows`` ``(K,)`` of ``extra`` (``None`` stays ``None``)."""
    if extra is None:
        return None
    if isinstance(extra, PairNeighbourhood):
        return extra.take(rows.numpy())
    return extra.take(rows) if isinstance(extra, PairTensors) else extra[rows]


def pair_extra(inputs: PairInputs | None, pairs: torch.Tensor) -> PairExtra:
    """The decoder inputs of ``pairs`` ``(2, M)`` computed once: heuristic features ``(M, F)``, the common
    neighbours as :class:`PairTensors` (cheap to index every epoch), or ``None`` without ``inputs``."""
    if inputs is None:
        return None
    extra = inputs(pairs)
    return extra.torch() if isinstance(extra, PairNeighbourhood) else extra


@torch.no_grad()
def decode_batches(model: LinkModel, z: dict[str, torch.Tensor], pairs: torch.Tensor, extra: PairExtra,
                   batch: int = 262_144) -> np.ndarray:
    """Eval-mode logits ``(M,)`` float64 of ``pairs`` ``(2, M)`` in batches (bounded memory)."""
    model.eval()
    out = [model.decode(z, pairs[:, s:s + batch], take(extra, torch.arange(s, min(s + batch, pairs.size(1)))))
           for s in range(0, pairs.size(1), batch)]
    return torch.cat(out).double().numpy() if out else np.zeros(0)


@torch.no_grad()
def embed(model: LinkModel, inp: GraphInput | HeteroData) -> dict[str, torch.Tensor]:
    """Eval-mode embeddings ``{type: (N_t, d)}`` (message passing over the graph's edges)."""
    model.eval()
    return model(inp if isinstance(inp, GraphInput) else graph_input(inp))


class LinkScorer:
    """Scores of pairs by a trained model with message passing over one graph (embeddings computed once;
    ``inp`` / ``inputs`` (the decoder's :func:`pair_inputs`) of the graph are built unless given).

    Shapes: ``__call__(pairs (2, M))`` -> ``(M,)`` float64 logits.
    """

    def __init__(self, model: LinkModel, data: HeteroData, task: Task, inp: GraphInput | None = None,
                 inputs: PairInputs | None = None, config: TrainConfig | None = None):
        self.model = model
        self.z = embed(model, inp or graph_input(data))
        if inputs is None and (model.pair_components or model.ncn is not None):
            relations = tuple(b.edge_type[1] for b in model.ncn.blocks) if model.ncn is not None else None
            inputs = pair_inputs(config or TrainConfig(decoder=model.decoder, pair_features=model.pair_components,
                                                       ncn_relations=relations), data, task)
        self.inputs = inputs

    def __call__(self, pairs: torch.Tensor) -> np.ndarray:
        return decode_batches(self.model, self.z, pairs, pair_extra(self.inputs, pairs))


class Validator:
    """Validation metrics of a model during training: ROC-AUC (validation positives vs the split's fixed
    validation negatives) and OGB Hits@K against ``num_shared`` random validation non-edges, drawn once, avoiding
    the training graph and the validation positives (test edges are never looked at). The defaults equal the test
    protocol (:mod:`cellmap_kg.gnn.evaluation`), so the selected weights are those of the best validation score
    on the reported metric. The decoder inputs of these fixed pairs are computed once.

    Shapes: ``__call__(model)`` -> ``{"auc": float, "hits@K": float}``; ``scores(model)`` -> positive, fixed
    negative and shared negative logits.
    """

    def __init__(self, split: LinkSplit, config: TrainConfig, seed: int, num_shared: int = 100_000,
                 k: int = 100):
        task, graph = split.task, split.graphs["val"]
        self.split, self.graph, self.k = split, graph, k
        self.input = graph_input(graph)
        known = PairSet(torch.cat([split.training_graph_pairs(), split.positives("val")], dim=1),
                        graph[task.target_type].num_nodes, symmetric=task.undirected)
        self.shared = sample_negatives(num_shared, split.candidates("val", 0), split.candidates("val", 1), known,
                                       torch.Generator().manual_seed(40_000 + seed), distinct_ends=task.undirected)
        self.pairs = torch.cat([split.positives("val"), split.negatives("val"), self.shared], dim=1)
        self.sizes = (split.positives("val").size(1), split.negatives("val").size(1), self.shared.size(1))
        self.extra = pair_extra(pair_inputs(config, graph, task), self.pairs)

    def scores(self, model: LinkModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(positives (P,), negatives (N,), shared (S,))`` validation logits of ``model``."""
        scores = decode_batches(model, embed(model, self.input), self.pairs, self.extra)
        p, n, _ = self.sizes
        return scores[:p], scores[p:p + n], scores[p + n:]

    def __call__(self, model: LinkModel) -> dict[str, float]:
        pos, neg, shared = self.scores(model)
        return {"auc": roc_auc(pos, neg), f"hits@{self.k}": hits_at_k(pos, shared, self.k)}


class NegativePool:
    """Training negatives of one split and seed, drawn once (module docstring).

    ``uniform``: ``pool * ratio * P`` uniform negatives avoiding the training graph (``P`` training positives);
    ``in_stratum``: which of them have a common neighbour in the training graph of the relation; ``hard`` and
    ``hard_weights``: ``pool * two_hop_ratio * P`` two-hop negatives and their importance weights (symmetric
    relations only). :meth:`draw` returns one epoch's negatives, drawn from the pool with replacement, as row
    indices into :attr:`pairs` and their loss weights (``None``: plain mean).

    Shapes: ``pairs (2, U + H)`` (uniform, then two-hop); ``draw`` -> ``(rows (K,), weights (K,) | None)``.
    """

    def __init__(self, split: LinkSplit, config: TrainConfig, generator: torch.Generator):
        task = split.task
        p = split.positives("train").size(1)
        self.num_uniform, self.num_hard = config.negative_ratio * p, \
            (int(config.two_hop_ratio * p) if task.undirected else 0)
        uniform = split.training_negatives(max(config.negative_pool, 1) * self.num_uniform, generator)
        self.weighted = self.num_hard > 0
        if self.weighted:
            two_hop = TwoHopNegatives(split.training_graph_pairs(), split.graphs["train"][task.source_type].num_nodes)
            hard, self.hard_weights = two_hop.sample(max(config.negative_pool, 1) * self.num_hard,
                                                     split.training_known(), generator)
            self.in_stratum = (two_hop.resource_allocation(uniform) > 0).numpy()
            self.share = float(self.in_stratum.mean())
            self.pairs = torch.cat([uniform, hard], dim=1)
        else:
            self.pairs = uniform
        self.uniform_size = uniform.size(1)

    def draw(self, generator: torch.Generator, fraction: float = 1.0) -> tuple[torch.Tensor, torch.Tensor | None]:
        """One epoch's negatives for ``fraction`` of the training positives (``pair_fraction``): that fraction
        of ``ratio * P`` uniform and of ``two_hop_ratio * P`` two-hop draws."""
        rows = torch.randint(self.uniform_size, (max(round(fraction * self.num_uniform), 1),), generator=generator)
        if not self.weighted:
            return rows, None
        rows = rows[torch.from_numpy(~self.in_stratum[rows.numpy()])]
        hard = torch.randint(self.pairs.size(1) - self.uniform_size, (max(round(fraction * self.num_hard), 1),),
                             generator=generator)
        w = self.hard_weights[hard]
        weights = torch.cat([torch.full((len(rows),), (1 - self.share) / max(len(rows), 1)),
                             self.share * w / w.sum()])
        return torch.cat([rows, hard + self.uniform_size]), weights


class EarlyStopping:
    """Model selection and early stopping on validation scores (``TrainConfig.select_on``, ``patience``,
    ``patience_metrics``): the kept weights are those of the best ``select_on`` score (strictly above every
    earlier one, the untrained model's included); training stops after ``patience`` validations in which no
    watched metric reached a new best (``patience`` 0: never).

    Shapes: ``update(scores {metric: float})`` -> ``True`` when these weights are the new ones to keep.
    """

    def __init__(self, config: TrainConfig, initial: dict[str, float]):
        self.select_on, self.patience = config.select_on, config.patience
        self.watched = tuple(config.patience_metrics or (config.select_on,))
        self.best = initial[self.select_on]
        self.bests = {k: initial[k] for k in self.watched}
        self.stale = 0

    def update(self, scores: dict[str, float]) -> bool:
        improved = [k for k in self.watched if scores[k] > self.bests[k]]
        self.bests.update({k: scores[k] for k in improved})
        self.stale = 0 if improved else self.stale + 1
        keep = scores[self.select_on] > self.best
        if keep:
            self.best = scores[self.select_on]
        return keep

    @property
    def stop(self) -> bool:
        return bool(self.patience) and self.stale >= self.patience


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
    inputs = pair_inputs(config, train, task)
    model = build_model(config, train, task, inputs)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    gen = torch.Generator().manual_seed(seed)
    positives = split.positives("train")
    pool = NegativePool(split, config, gen)
    pairs = torch.cat([positives, pool.pairs], dim=1)
    extra = pair_extra(inputs, pairs)
    num_positives = positives.size(1)
    per_epoch = max(round(config.pair_fraction * num_positives), 1)
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    result = TrainResult(model, config)
    validate = Validator(split, config, seed)
    scores = validate(model)
    stopping = EarlyStopping(config, scores)
    best_state = copy.deepcopy(model.state_dict())
    result.history.append({"epoch": 0, "loss": None, **_val(scores)})
    start = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        model.train()
        optimiser.zero_grad()
        chosen = torch.arange(num_positives) if per_epoch == num_positives else \
            torch.randperm(num_positives, generator=gen)[:per_epoch]
        negatives, weights = pool.draw(gen, config.pair_fraction)
        rows = torch.cat([chosen, negatives + num_positives])
        z = model(train_input)
        logits = model.decode(z, pairs[:, rows], take(extra, rows))
        loss = _loss(loss_fn, logits, per_epoch, config.negative_ratio, weights)
        loss.backward()
        optimiser.step()
        entry = {"epoch": epoch, "loss": float(loss.detach())}
        if epoch % config.eval_every == 0 or epoch == config.epochs:
            scores = validate(model)
            entry.update(_val(scores))
            if stopping.update(scores):
                best_state, result.best_epoch = copy.deepcopy(model.state_dict()), epoch
        result.history.append(entry)
        result.epochs_run = epoch
        if progress:
            progress(epoch, entry["loss"], entry.get("val_auc"))
        if stopping.stop:
            break
    result.seconds = time.perf_counter() - start
    model.load_state_dict(best_state)
    model.eval()
    result.best_val_auc = next(h["val_auc"] for h in result.history if h["epoch"] == result.best_epoch)
    result.validator = validate
    return result


def calibrate(model: LinkModel, validator: Validator) -> Calibrator:
    """The :class:`~cellmap_kg.gnn.calibration.Calibrator` of ``model`` on the validation pairs of
    ``validator``'s split: validation positives against its uniform validation non-edges, drawn from
    ``|sources| x |targets|`` candidate pairs (halved for a symmetric relation)."""
    split = validator.split
    pos, _, shared = validator.scores(model)
    candidates = len(split.candidates("val", 0)) * len(split.candidates("val", 1))
    return Calibrator.fit(pos, shared, candidates / (2 if split.task.undirected else 1))


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
