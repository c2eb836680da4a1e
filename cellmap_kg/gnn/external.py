"""External check of predicted interactions: precision against CORUM co-complex pairs.

A predicted pair is a hit if both proteins are subunits of one CORUM complex (``SUBUNIT_OF`` in the export).
The task-(a) input graph has no ``SUBUNIT_OF`` edge (:mod:`cellmap_kg.gnn.tasks`), so CORUM never reaches the
model and the check is not circular. The ``n`` best *novel* pairs (no AP-MS pair of any data set in the graph)
are compared with two random baselines of the same size class, each on ``num_random`` novel pairs:

- ``uniform``: pairs of proteins drawn uniformly from the proteins the model predicts for;
- ``same proteins``: pairs drawn from the multiset of proteins in the top ``n`` list (controls for the model
  preferring proteins that CORUM happens to cover well).

A one-sided binomial test gives the probability of at least the observed hits at the random precision.
"""

from __future__ import annotations

import torch
from scipy.stats import binomtest

from .heterodata import GraphExport
from .negatives import PairSet, sample_negatives
from .predict import Predictions


def corum_pairs(export: GraphExport) -> PairSet:
    """Every unordered pair of proteins that are subunits of one CORUM complex (symmetric ``PairSet``)."""
    edge_index = export.data["Protein", "SUBUNIT_OF", "Complex"].edge_index
    by_complex: dict[int, list[int]] = {}
    for p, c in zip(edge_index[0].tolist(), edge_index[1].tolist(), strict=True):
        by_complex.setdefault(c, []).append(p)
    pairs = set()
    for members in by_complex.values():
        members = sorted(set(members))
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    tensor = torch.tensor(sorted(pairs), dtype=torch.long).T if pairs else torch.zeros(2, 0, dtype=torch.long)
    return PairSet(tensor, len(export.keys["Protein"]), symmetric=True)


def corum_check(predictions: Predictions, export: GraphExport, known: PairSet, universe: torch.Tensor,
                n: int = 1000, num_random: int = 100_000, seed: int = 0) -> dict:
    """Precision of the top ``n`` novel predictions against CORUM, with random baselines (module docstring).

    Args:
        predictions: scored novel pairs, best first (``predict_links`` already removed known AP-MS pairs).
        known: every AP-MS pair in the graph (random pairs avoid them too).
        universe: protein indices the model predicts for (``uniform`` baseline).
    Returns:
        ``{"n", "hits", "precision", "random uniform precision", "random same-protein precision",
        "enrichment uniform", "enrichment same-protein", "p uniform", "p same-protein", "corum pairs"}``.
    """
    corum = corum_pairs(export)
    top = predictions.top(n)
    hits = int(corum.contains(top.pairs).sum())
    n_top = top.pairs.size(1)
    gen = torch.Generator().manual_seed(30_000 + seed)
    uniform = sample_negatives(num_random, universe, universe, known, gen)
    ends = top.pairs.reshape(-1)
    same = sample_negatives(num_random, ends, ends, known, gen)
    out = {"n": n_top, "hits": hits, "precision": hits / max(n_top, 1), "corum pairs": len(corum) // 2}
    for name, pairs in (("uniform", uniform), ("same-protein", same)):
        p = float(corum.contains(pairs).mean())
        out[f"random {name} precision"] = p
        out[f"enrichment {name}"] = (out["precision"] / p) if p > 0 else float("inf")
        out[f"p {name}"] = float(binomtest(hits, n_top, p, alternative="greater").pvalue) if 0 < p < 1 else \
            float("nan")
    return out

