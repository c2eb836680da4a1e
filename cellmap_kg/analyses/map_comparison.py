"""Comparing two cell maps: each assembly's best match in the other map by Jaccard index of member sets.

For assemblies ``a`` of map A and ``b`` of map B with member sets ``S_a``, ``S_b``::

    overlap(a, b) = |S_a & S_b|        jaccard(a, b) = overlap / (|S_a| + |S_b| - overlap)

computed for every pair at once from sparse 0/1 incidence matrices (``X_A @ X_B.T`` gives every overlap), as
HiDeF compares two sets of communities (Zheng et al., Genome Biology 2021, 22:21; ``hidef/utils.py``
``jaccard_matrix``) and as the Cell Mapping Toolkit scores an assembly against a known component (Jaccard of
member sets; ``enrichment.py``). The best match of ``a`` is the ``b`` with the highest Jaccard; ties go to the larger
overlap, then to the smaller id (deterministic). An assembly sharing no member with any assembly of the other map
has no best match.

Member sets are taken as the maps give them (HiDeF and HCX lists are propagated: a parent holds its children's
proteins) and over all proteins: proteins measured in one map only lower the Jaccard index, which is what the
comparison is about (an assembly absent from the other cell type) but also what a smaller protein universe does
(see README "Comparing maps" for what the U2OS vs HEK293T comparison can claim).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import sparse

MATCH_COLUMNS = ["source", "target", "jaccard", "overlap", "sourceSize", "targetSize"]


def incidence(memberships: Mapping[str, set[str]], universe: list[str]) -> tuple[list[str], sparse.csr_matrix]:
    """``(assembly ids sorted, X)`` with ``X[i, j] = 1`` if protein ``universe[j]`` is in assembly ``i``.

    Shapes: ``X``: ``(|assemblies|, |universe|)``, CSR, int64. Members not in ``universe`` are ignored.
    """
    ids = sorted(memberships)
    column = {p: j for j, p in enumerate(universe)}
    rows, cols = [], []
    for i, a in enumerate(ids):
        for p in memberships[a]:
            j = column.get(p)
            if j is not None:
                rows.append(i)
                cols.append(j)
    data = np.ones(len(rows), dtype=np.int64)
    return ids, sparse.csr_matrix((data, (rows, cols)), shape=(len(ids), len(universe)))


def best_matches(a: Mapping[str, set[str]], b: Mapping[str, set[str]]) -> pd.DataFrame:
    """For every assembly of ``a`` that shares a member with some assembly of ``b``, its best match in ``b``.

    Args:
        a, b: assembly id -> member set, for the two maps (ids must be distinct between the maps only if the
            caller needs to tell them apart; map-namespaced graph ids are).

    Returns:
        One row per matched assembly of ``a`` with ``MATCH_COLUMNS``: ``source`` (id in ``a``), ``target`` (its
        best match in ``b``), ``jaccard`` (0, 1], ``overlap`` (shared members), ``sourceSize`` / ``targetSize``
        (member counts); sorted by ``source``. Assemblies of ``a`` without any shared member are absent.
    """
    universe = sorted(set().union(*a.values(), *b.values())) if (a or b) else []
    a_ids, xa = incidence(a, universe)
    b_ids, xb = incidence(b, universe)
    if not a_ids or not b_ids:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    overlap = (xa @ xb.T).tocoo()                             # (|A|, |B|), only sharing pairs stored
    size_a = np.asarray(xa.sum(axis=1)).ravel()
    size_b = np.asarray(xb.sum(axis=1)).ravel()
    pairs = pd.DataFrame({"i": overlap.row, "j": overlap.col, "overlap": overlap.data})
    pairs = pairs[pairs.overlap > 0]
    union = size_a[pairs.i.to_numpy()] + size_b[pairs.j.to_numpy()] - pairs.overlap.to_numpy()
    pairs = pairs.assign(jaccard=pairs.overlap.to_numpy() / union,
                         target=np.asarray(b_ids, dtype=object)[pairs.j.to_numpy()])
    pairs = pairs.sort_values(["i", "jaccard", "overlap", "target"], ascending=[True, False, False, True])
    best = pairs.drop_duplicates("i", keep="first")
    return pd.DataFrame({
        "source": np.asarray(a_ids, dtype=object)[best.i.to_numpy()], "target": best.target.to_numpy(),
        "jaccard": best.jaccard.astype(float).to_numpy(), "overlap": best.overlap.astype(int).to_numpy(),
        "sourceSize": size_a[best.i.to_numpy()].astype(int), "targetSize": size_b[best.j.to_numpy()].astype(int),
    }).sort_values("source").reset_index(drop=True)
