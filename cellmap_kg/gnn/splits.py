"""Leakage-free train/validation/test splits for link prediction.

Two kinds, both returning a :class:`LinkSplit` of three ``HeteroData`` graphs whose supervised edge type carries
the *message-passing* edges in ``edge_index`` and the *supervision* pairs in ``edge_label_index`` /
``edge_label`` (1 = edge, 0 = negative):

``edge``
    PyG ``RandomLinkSplit`` (``disjoint_train_ratio``: training message-passing and supervision edges are
    disjoint; ``rev_edge_types``: the reverse of every held-out edge leaves the message-passing graph too;
    ``is_undirected`` for protein pairs: a pair and its reverse fall in the same part). Validation and test carry
    fixed negatives (``neg_sampling_ratio`` 1) that avoid every true edge; training negatives are drawn fresh each
    epoch by the trainer from the training graph only. Message passing: training = train edges minus the
    supervision share; validation = all train edges; test = train + validation edges (the PyG / OGB protocol).
``protein-disjoint``
    Source proteins (those with an edge of the task) are partitioned into train / validation / test proteins.
    For protein pairs, an edge is in a part only if *both* proteins are (Park & Marcotte 2012, Nat Methods 9:1134,
    "C3" pairs); pairs straddling two parts are dropped from every graph. For memberships the protein decides.
    So no test protein has a supervised-relation edge in any training graph, and negatives of a part are drawn
    among that part's proteins.

:func:`leakage_report` counts every way a held-out edge could reach training; every count must be 0.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

import numpy as np
import torch
import torch_geometric.transforms as T
from torch_geometric.data import HeteroData

from .negatives import PairSet, sample_negatives
from .tasks import Task

PARTS = ("train", "val", "test")


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's global generators (``RandomLinkSplit`` and ``negative_sampling`` use
    them) and make torch use deterministic algorithms where it can."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass
class LinkSplit:
    """Train / validation / test graphs of one task and split kind.

    Attributes:
        kind: ``edge`` or ``protein-disjoint``.
        task: the task.
        seed: the seed that made the split.
        graphs: ``{"train" | "val" | "test": HeteroData}``; see the module docstring.
        held_out: for ``protein-disjoint``, boolean ``(num_proteins,)`` masks ``{"train", "val", "test"}``.
        dropped: supervised edges in no part (protein pairs straddling two protein sets).
    """

    kind: str
    task: Task
    seed: int
    graphs: dict[str, HeteroData]
    held_out: dict[str, torch.Tensor] = field(default_factory=dict)
    dropped: int = 0
    _training_known: PairSet | None = field(default=None, repr=False)

    def message_passing(self, part: str) -> torch.Tensor:
        """``(2, E)`` supervised-type edges the encoder sees in ``part`` (both directions for symmetric tasks)."""
        return self.graphs[part][self.task.edge_type].edge_index

    def positives(self, part: str) -> torch.Tensor:
        """``(2, P)`` supervision positives of ``part``."""
        store = self.graphs[part][self.task.edge_type]
        return store.edge_label_index[:, store.edge_label == 1]

    def negatives(self, part: str) -> torch.Tensor:
        """``(2, N)`` fixed supervision negatives of ``part`` (empty for ``train``: drawn per epoch)."""
        store = self.graphs[part][self.task.edge_type]
        return store.edge_label_index[:, store.edge_label == 0]

    def training_graph_pairs(self) -> torch.Tensor:
        """``(2, E)`` every supervised-type pair of the training graph (message passing + supervision)."""
        return torch.cat([self.message_passing("train"), self.positives("train")], dim=1)

    def training_known(self) -> PairSet:
        """The pairs of the training graph (message passing + supervision), the only pairs training negatives
        avoid (the samplers never look at held-out edges)."""
        if self._training_known is None:
            self._training_known = PairSet(self.training_graph_pairs(), _num_targets(self.graphs["train"], self.task),
                                           symmetric=self.task.undirected)
        return self._training_known

    def training_negatives(self, num: int, generator: torch.Generator) -> torch.Tensor:
        """``(2, num)`` fresh training negatives: uniform over the training candidates, avoiding every pair of the
        training graph (and only those)."""
        return sample_negatives(num, self.candidates("train", 0), self.candidates("train", 1), self.training_known(),
                                generator, distinct_ends=self.task.undirected)

    def candidates(self, part: str, side: int) -> torch.Tensor:
        """1-D node indices a negative of ``part`` may use at ``side`` (0 = source, 1 = target): the part's
        proteins in a protein-disjoint split, the task's candidate targets (``link_candidate``) otherwise."""
        if side == 1 and not self.task.undirected:
            return self.graphs[part][self.task.target_type].link_candidate.nonzero().view(-1)
        if self.held_out:
            return self.held_out[part].nonzero().view(-1)
        return torch.arange(self.graphs[part][self.task.source_type].num_nodes)


def _num_targets(graph: HeteroData, task: Task) -> int:
    return graph[task.target_type].num_nodes


def edge_split(graph: HeteroData, task: Task, seed: int, num_val: float = 0.1, num_test: float = 0.1,
               disjoint_train_ratio: float = 0.3) -> LinkSplit:
    """Random edge split: positives by PyG ``RandomLinkSplit``, fixed validation/test negatives (as many as
    positives, avoiding every true edge, targets among ``link_candidate``) by :func:`sample_negatives`.
    Deterministic given ``seed``."""
    seed_everything(seed)
    transform = T.RandomLinkSplit(num_val=num_val, num_test=num_test, is_undirected=task.undirected,
                                  disjoint_train_ratio=disjoint_train_ratio, neg_sampling_ratio=0.0,
                                  add_negative_train_samples=False, edge_types=[task.edge_type],
                                  rev_edge_types=[task.rev_edge_type])
    train, val, test = transform(graph)
    split = LinkSplit("edge", task, seed, {"train": train, "val": val, "test": test})
    _add_fixed_negatives(split, graph, torch.Generator().manual_seed(seed))
    return split


def _add_fixed_negatives(split: LinkSplit, graph: HeteroData, gen: torch.Generator) -> None:
    """Append to the validation and test labels as many negatives as positives, avoiding every true edge."""
    task = split.task
    known = PairSet(graph[task.edge_type].edge_index, _num_targets(graph, task), symmetric=task.undirected)
    for part in ("val", "test"):
        store = split.graphs[part][task.edge_type]
        pos = split.positives(part)
        neg = sample_negatives(pos.size(1), split.candidates(part, 0), split.candidates(part, 1), known, gen,
                               distinct_ends=task.undirected)
        store.edge_label_index = torch.cat([pos, neg], dim=1)
        store.edge_label = torch.cat([torch.ones(pos.size(1)), torch.zeros(neg.size(1))])


def _with_edges(graph: HeteroData, task: Task, message: torch.Tensor, positives: torch.Tensor,
                negatives: torch.Tensor) -> HeteroData:
    """A shallow copy of ``graph`` whose supervised type carries ``message`` (canonical pairs) and labels."""
    out = copy.copy(graph)
    store = out[task.edge_type]
    if task.undirected:
        store.edge_index = torch.cat([message, message.flip(0)], dim=1)
    else:
        store.edge_index = message
        out[task.rev_edge_type].edge_index = message.flip(0)
    store.edge_label_index = torch.cat([positives, negatives], dim=1)
    store.edge_label = torch.cat([torch.ones(positives.size(1)), torch.zeros(negatives.size(1))])
    return out


def protein_disjoint_split(graph: HeteroData, task: Task, seed: int, num_val: float = 0.1, num_test: float = 0.2,
                           disjoint_train_ratio: float = 0.3) -> LinkSplit:
    """Split proteins, then edges, so that validation and test proteins have no supervised edge in training.

    Args:
        num_val, num_test: fractions of the source proteins (those with an edge of the task) held out.
        disjoint_train_ratio: share of the training edges used only as supervision.
    Raises:
        ValueError: fractions leave no training protein, or a part ends up with no edge.
    """
    if num_val + num_test >= 1:
        raise ValueError(f"num_val + num_test = {num_val + num_test} leaves no training protein")
    gen = torch.Generator().manual_seed(seed)
    edge_index = graph[task.edge_type].edge_index
    if task.undirected:
        edge_index = edge_index[:, edge_index[0] < edge_index[1]]
    n = graph[task.source_type].num_nodes
    ends = edge_index.reshape(-1).unique() if task.undirected else edge_index[0].unique()
    ends = ends[torch.randperm(len(ends), generator=gen)]
    n_val, n_test = int(num_val * len(ends)), int(num_test * len(ends))
    part_of = torch.full((n,), -1, dtype=torch.long)  # 0 train, 1 val, 2 test, -1 no edge
    part_of[ends[n_val + n_test:]] = 0
    part_of[ends[:n_val]] = 1
    part_of[ends[n_val:n_val + n_test]] = 2
    held_out = {p: part_of == i for i, p in enumerate(PARTS)}
    held_out["train"] = part_of != 1
    held_out["train"] &= part_of != 2  # training negatives may use proteins without edges, never held-out ones

    src_part = part_of[edge_index[0]]
    same = src_part == part_of[edge_index[1]] if task.undirected else torch.ones_like(src_part, dtype=torch.bool)
    edges = {p: edge_index[:, same & (src_part == i)] for i, p in enumerate(PARTS)}
    dropped = int((~same).sum())
    for p, e in edges.items():
        if e.size(1) == 0:
            raise ValueError(f"protein-disjoint split: no {task.name} edge within the {p} proteins")
    train = edges["train"][:, torch.randperm(edges["train"].size(1), generator=gen)]
    n_sup = int(disjoint_train_ratio * train.size(1))
    supervision, message = train[:, :n_sup], train[:, n_sup:]

    graphs = {"train": _with_edges(graph, task, message, supervision, torch.zeros(2, 0, dtype=torch.long)),
              "val": _with_edges(graph, task, train, edges["val"], torch.zeros(2, 0, dtype=torch.long)),
              "test": _with_edges(graph, task, torch.cat([train, edges["val"]], dim=1), edges["test"],
                                  torch.zeros(2, 0, dtype=torch.long))}
    split = LinkSplit("protein-disjoint", task, seed, graphs, held_out, dropped)
    _add_fixed_negatives(split, graph, gen)
    return split


def make_split(kind: str, graph: HeteroData, task: Task, seed: int, **kwargs) -> LinkSplit:
    """``edge_split`` or ``protein_disjoint_split`` by ``kind``. Raises ``ValueError`` for another kind."""
    if kind == "edge":
        return edge_split(graph, task, seed, **kwargs)
    if kind == "protein-disjoint":
        return protein_disjoint_split(graph, task, seed, **kwargs)
    raise ValueError(f"unknown split kind {kind!r}; use 'edge' or 'protein-disjoint'")


def leakage_report(split: LinkSplit) -> dict[str, int]:
    """Counts of leaks, each of which must be 0.

    - ``<part> positives in <graph> message passing``: a held-out positive, or its reverse, is a message-passing
      edge of an earlier-or-same part (test in train/val/test; validation in train/val; training supervision in
      train), counted on the supervised type *and* its reverse type;
    - ``<part> negatives that are true edges``: a fixed negative is a positive of any part or a message edge;
    - ``<part> proteins in training edges`` (protein-disjoint only): a held-out protein is an endpoint of a
      training message-passing or supervision edge.
    """
    task = split.task
    nt = _num_targets(split.graphs["train"], task)
    report: dict[str, int] = {}
    order = {"train": ("train",), "val": ("train", "val"), "test": ("train", "val", "test")}
    for part, graphs in order.items():
        pos = split.positives(part)
        for g in graphs:
            message = split.message_passing(g)
            if task.rev_edge_type is not None:
                message = torch.cat([message, split.graphs[g][task.rev_edge_type].edge_index.flip(0)], dim=1)
            seen = PairSet(message, nt, symmetric=task.undirected)
            report[f"{part} positives in {g} message passing"] = int(seen.contains(pos).sum())
    every = torch.cat([split.positives(p) for p in PARTS] + [split.message_passing("test")], dim=1)
    true = PairSet(every, nt, symmetric=task.undirected)
    for part in ("val", "test"):
        report[f"{part} negatives that are true edges"] = int(true.contains(split.negatives(part)).sum())
    if split.kind == "protein-disjoint":
        training = split.training_graph_pairs()
        ends = training.reshape(-1).unique() if task.undirected else training[0].unique()
        for part in ("val", "test"):
            report[f"{part} proteins in training edges"] = int(split.held_out[part][ends].sum())
    return report
