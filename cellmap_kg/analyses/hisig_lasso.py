"""The HiSig lasso path, solved by coordinate descent compiled with numba, many permutations at once.

Problem (glmnet gaussian objective as HiSig calls it: ``standardize = FALSE``, ``lower.limits = 0``, intercept
unpenalised; Friedman, Hastie & Tibshirani 2010, J. Stat. Softw. 33:1, eq. 1 and 5)::

    min_{b0, beta >= 0, gamma >= 0}  1/(2n) sum_g (y_g - b0 - H_g beta - gamma_g)^2 + lambda (sum beta + sum gamma)

with ``H`` (genes x systems) the 0/1 membership and ``gamma`` the coefficients of the identity block (each gene its
own "system"). The structure is used, not a generic sparse solver:

* the identity coefficients have a closed form given the rest: ``gamma_g = max(0, e_g - n lambda)`` with ``e_g =
  y_g - b0 - H_g beta``, so the residual is ``min(e_g, n lambda)`` and is recomputed where ``e`` changes;
* genes with the same membership pattern (row of ``H``) share ``H_g beta``; the genes with signal 0 of one pattern
  are exchangeable and collapse into one row of weight ``w`` (exact: their ``gamma`` are equal at the optimum);
  the gradient of system ``j`` is a sum over its patterns of per-pattern residual sums;
* each system update is exact (``beta_j = max(0, beta_j + (G_j - n lambda) / W_j)``, ``W_j`` = genes in ``j``),
  the intercept is the exact unpenalised update after every sweep, warm starts down the lambda path, and glmnet's
  active-set cycling (sweep the non-zero systems to convergence, then one full sweep to check that none enters);
  convergence when ``max_j W_j (delta beta_j)^2 < tol * sum_g (y_g - ybar)^2`` (glmnet's criterion; ``tol``
  defaults to glmnet's ``thresh = 1e-7``, which HiSig leaves at its default);
* permutations run in parallel (threads running the compiled kernel without the GIL, ``null_pressures``) over
  the same pattern tables and lambda path.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass

import numba
import numpy as np
from scipy import sparse

COEF_DECIMALS = 6
"""HiSig rounds lasso coefficients to 6 decimals before normalising (``R/glmnet.R``)."""
BIG_SYSTEM = 0.25
"""Systems with at least this fraction of the genes are updated jointly with the intercept (exact 2-D step)."""
SHIFT_FLOOR = 1e-3
"""An intercept update whose objective change is below this fraction of the tolerance is not applied."""
MAX_SWEEPS = 100_000
"""Coordinate-descent sweeps per lambda before a fit counts as not converged."""
SLICE = 50
"""Permutations per task of ``null_pressures`` (0.3-2.5 ms per path on the U2OS map: tasks of 15-120 ms)."""
INSERTION_SORT_ROWS = 32
"""Patterns with at most this many rows are sorted in place (no temporary arrays), larger ones by mergesort; both
stable, so the rows and every sum over them are the same (measured on the U2OS map's paediatric signals:
``_rows`` 100-200 -> ~30 us per path)."""


@numba.njit(cache=True, nogil=True)
def _rows(y, gene_pattern, n_patterns, grouped):
    """Rows of the collapsed problem, by pattern and by increasing signal within a pattern.

    Returns ``(row_ptr (P+1,), row_y (K,), cw (K+P,), cwy (K+P,))``: pattern ``p`` has rows ``row_ptr[p]`` to
    ``row_ptr[p+1] - 1``; ``cw[row_ptr[p] + p + i]`` and ``cwy[...]`` are the sums of ``w`` and ``w y`` over its
    first ``i`` rows (per-pattern prefix sums: a residual sum is then O(1), see ``_pattern_sum``).
    """
    n = y.shape[0]
    zeros = np.zeros(n_patterns, np.int64)
    others = np.zeros(n_patterns, np.int64)
    for g in range(n):
        if grouped and y[g] == 0.0:
            zeros[gene_pattern[g]] += 1
        else:
            others[gene_pattern[g]] += 1
    row_ptr = np.zeros(n_patterns + 1, np.int64)
    for p in range(n_patterns):
        row_ptr[p + 1] = row_ptr[p] + others[p] + (1 if zeros[p] > 0 else 0)
    k = row_ptr[n_patterns]
    row_y = np.zeros(k)
    row_w = np.ones(k)
    fill = row_ptr[:-1].copy()
    for p in range(n_patterns):
        if zeros[p] > 0:
            row_w[fill[p]] = zeros[p]
            fill[p] += 1
    for g in range(n):
        if not (grouped and y[g] == 0.0):
            p = gene_pattern[g]
            row_y[fill[p]] = y[g]
            fill[p] += 1
    cw = np.zeros(k + n_patterns)
    cwy = np.zeros(k + n_patterns)
    for p in range(n_patterns):
        start, stop = row_ptr[p], row_ptr[p + 1]
        if stop - start > INSERTION_SORT_ROWS:
            order = np.argsort(row_y[start:stop], kind="mergesort")
            row_y[start:stop] = row_y[start:stop][order]
            row_w[start:stop] = row_w[start:stop][order]
        else:                   # in place and stable, as mergesort: most patterns hold one or two rows
            for i in range(start + 1, stop):
                value, weight, slot = row_y[i], row_w[i], i
                while slot > start and row_y[slot - 1] > value:
                    row_y[slot], row_w[slot] = row_y[slot - 1], row_w[slot - 1]
                    slot -= 1
                row_y[slot], row_w[slot] = value, weight
        base = start + p
        for i in range(stop - start):
            cw[base + i + 1] = cw[base + i] + row_w[start + i]
            cwy[base + i + 1] = cwy[base + i] + row_w[start + i] * row_y[start + i]
    return row_ptr, row_y, cw, cwy


@numba.njit(cache=True, nogil=True)
def _pattern_sum(p, row_ptr, row_y, cw, cwy, split, zero, fitted, nl):
    """Residual sum ``sum_rows w min(y - fitted, n lambda)`` of pattern ``p`` (``fitted = b0 + H_p beta``).

    Rows with ``y < fitted + nl`` contribute ``w (y - fitted)``, the others ``w nl``; ``split[p]`` (the first row
    of the second kind) is moved from its previous position, so successive calls cost O(rows crossed). A pattern
    whose genes all have ``y = 0`` (``zero``: their weight, else 0; most patterns of a sparse signal) with
    ``fitted + nl > 0`` has every row below the cut: its sum is ``0 - fitted zero``, the value of the general
    formula to the bit (its prefix sums of ``w y`` are 0), without moving ``split[p]`` (any position is a valid
    start). (``zero`` is a number, not the array: numba inlines this function only with few array arguments, and a
    call costs ~30 ns, more than the sum.)
    """
    cut = fitted + nl
    if zero > 0.0 and cut > 0.0:
        return 0.0 - fitted * zero
    start, stop = row_ptr[p], row_ptr[p + 1]
    m = split[p]
    while m > start and row_y[m - 1] >= cut:
        m -= 1
    while m < stop and row_y[m] < cut:
        m += 1
    split[p] = m
    base = start + p
    below = base + m - start
    return cwy[below] - fitted * cw[below] + nl * (cw[base + stop - start] - cw[below])


@numba.njit(cache=True, nogil=True)
def _path(y, gene_pattern, n_patterns, sys_ptr, sys_pat, sys_size, lambdas, tol, grouped, with_rss,
          stop_below_zero=False):
    """One lasso path. Returns ``(beta (S, L), b0 (L,), gamma_total (L,), rss (L,), not_converged)``;
    ``not_converged = -1`` if ``stop_below_zero`` and the intercept fell below 0, where the path then stopped (the
    screened design of ``_screened`` no longer holds: its rows are then not valid).

    ``gamma_total`` is the weighted sum of the identity coefficients, each rounded to ``COEF_DECIMALS``; ``rss`` the
    residual sum of squares (for glmnet's deviance ratio; zeros unless ``with_rss``: the null paths do not use it).

    Two skips that leave every result the same to the bit (the paediatric signals are sparse: a handful of mutated
    genes):

    * a sweep does not evaluate a system with coefficient 0, updated alone (not ``BIG_SYSTEM``), none of whose genes
      has a signal above 0, while ``b0 >= 0``: its gradient ``sum w min(y - b0 - u, n lambda)`` is at most
      ``W_j max(-u)``, where ``u`` (sums of coefficients >= 0) is >= 0 but for rounding (~1e-16), far below
      ``n lambda >= n 1e-4 lambda_max > 0``, so its update ``max(0, old + (gradient - n lambda) / W_j)`` is 0 = old;
    * without ``rss``, the identity coefficients are summed over the rows at or above each pattern's split only
      and not over the all-zero patterns of ``_pattern_sum``'s shortcut: the other rows have ``e < n lambda``, or
      exceed it by rounding only, by far less than the ``5e-7`` that ``np.round(e - n lambda, 6)`` would need to be
      non-zero (signals, intercepts and coefficients are well below 1e8).
    """
    n = y.shape[0]
    n_systems = sys_size.shape[0]
    n_lambdas = lambdas.shape[0]
    row_ptr, row_y, cw, cwy = _rows(y, gene_pattern, n_patterns, grouped)
    split = row_ptr[:-1].copy()
    zero_w = np.zeros(n_patterns)                   # weight of the patterns whose rows all have y = 0
    for p in range(n_patterns):
        start, stop = row_ptr[p], row_ptr[p + 1]
        if stop > start and row_y[start] == 0.0 and row_y[stop - 1] == 0.0:    # sorted: all rows are 0
            zero_w[p] = cw[stop + p]
    signal_free = np.ones(n_systems, np.bool_)      # no gene of the system has y > 0
    for j in range(n_systems):
        for q in range(sys_ptr[j], sys_ptr[j + 1]):
            p = sys_pat[q]
            if row_ptr[p + 1] > row_ptr[p] and row_y[row_ptr[p + 1] - 1] > 0.0:    # sorted: the last is the largest
                signal_free[j] = False
                break
    mean = y.mean()
    tss = 0.0
    for g in range(n):
        tss += (y[g] - mean) ** 2
    threshold = tol * tss
    beta = np.zeros(n_systems)
    u = np.zeros(n_patterns)
    resid = np.zeros(n_patterns)
    b0 = mean
    active = np.zeros(n_systems, np.bool_)
    out_beta = np.zeros((n_systems, n_lambdas))
    out_b0 = np.zeros(n_lambdas)
    out_gamma = np.zeros(n_lambdas)
    out_rss = np.zeros(n_lambdas)
    not_converged = 0
    if stop_below_zero and b0 < 0.0:
        return out_beta, out_b0, out_gamma, out_rss, -1
    for li in range(n_lambdas):
        nl = n * lambdas[li]
        rsum = 0.0                                   # sum of resid, kept up to date with every change of resid
        for p in range(n_patterns):
            resid[p] = _pattern_sum(p, row_ptr, row_y, cw, cwy, split, zero_w[p], b0 + u[p], nl)
            rsum += resid[p]
        full = True
        converged = False
        for _ in range(MAX_SWEEPS):
            biggest = 0.0
            for j in range(n_systems):
                if not full and not active[j]:
                    continue
                if signal_free[j] and beta[j] == 0.0 and b0 >= 0.0 and sys_size[j] < BIG_SYSTEM * n:
                    continue
                gradient = 0.0
                for q in range(sys_ptr[j], sys_ptr[j + 1]):
                    gradient += resid[sys_pat[q]]
                old = beta[j]
                size = sys_size[j]
                joint = size >= BIG_SYSTEM * n
                if joint:               # (beta_j, b0) minimised together: a big system is near the intercept
                    new = old + (gradient - size * rsum / n - nl) / (size * (1.0 - size / n))
                else:
                    new = old + (gradient - nl) / size
                if new < 0.0:
                    new = 0.0
                if new != old:
                    delta = new - old
                    beta[j] = new
                    active[j] = True
                    for q in range(sys_ptr[j], sys_ptr[j + 1]):
                        u[sys_pat[q]] += delta
                    if joint:
                        b0 += (rsum - size * delta) / n
                        if stop_below_zero and b0 < 0.0:
                            return out_beta, out_b0, out_gamma, out_rss, -1
                        rsum = 0.0
                        for p in range(n_patterns):
                            resid[p] = _pattern_sum(p, row_ptr, row_y, cw, cwy, split, zero_w[p], b0 + u[p], nl)
                            rsum += resid[p]
                    else:
                        for q in range(sys_ptr[j], sys_ptr[j + 1]):
                            p = sys_pat[q]
                            value = _pattern_sum(p, row_ptr, row_y, cw, cwy, split, zero_w[p], b0 + u[p], nl)
                            rsum += value - resid[p]
                            resid[p] = value
                    change = size * delta * delta
                    if change > biggest:
                        biggest = change
            shift = rsum / n
            change = n * shift * shift
            if change > SHIFT_FLOOR * threshold:    # exact intercept update, skipped when far below tolerance
                b0 += shift
                if stop_below_zero and b0 < 0.0:
                    return out_beta, out_b0, out_gamma, out_rss, -1
                rsum = 0.0
                for p in range(n_patterns):
                    resid[p] = _pattern_sum(p, row_ptr, row_y, cw, cwy, split, zero_w[p], b0 + u[p], nl)
                    rsum += resid[p]
                if change > biggest:
                    biggest = change
            if biggest < threshold:
                if full:
                    converged = True
                    break
                full = True
            else:
                full = False
        if not converged:
            not_converged += 1
        gamma_total = 0.0
        rss = 0.0
        for p in range(n_patterns):
            if not with_rss and zero_w[p] > 0.0 and b0 + u[p] + nl > 0.0:
                continue                    # its genes' e = -(b0 + u) < n lambda: no coefficient
            base = row_ptr[p] + p
            for r in range(row_ptr[p] if with_rss else split[p], row_ptr[p + 1]):
                w = cw[base + r - row_ptr[p] + 1] - cw[base + r - row_ptr[p]]
                e = row_y[r] - b0 - u[p]
                if e > nl:
                    gamma_total += w * np.round(e - nl, COEF_DECIMALS)
                    rss += w * nl * nl
                else:
                    rss += w * e * e
        for j in range(n_systems):
            out_beta[j, li] = beta[j]
        out_b0[li] = b0
        out_gamma[li] = gamma_total
        if with_rss:
            out_rss[li] = rss
    return out_beta, out_b0, out_gamma, out_rss, not_converged


@numba.njit(cache=True, nogil=True)
def _pressure(beta, b0, gamma_total):
    """HiSig selection pressure of each system: ``max_l round(beta_jl) / (sum round(coefs_l) + |b0_l|)`` over the
    lambdas with a non-zero coefficient; ``(S,)``."""
    n_systems, n_lambdas = beta.shape
    out = np.zeros(n_systems)
    rounded = np.empty(n_systems)
    for li in range(n_lambdas):
        total = gamma_total[li]
        for j in range(n_systems):
            rounded[j] = np.round(beta[j, li], COEF_DECIMALS) if beta[j, li] != 0.0 else 0.0
            total += rounded[j]
        if total <= 0.0:
            continue
        denominator = total + abs(b0[li])
        for j in range(n_systems):
            value = rounded[j] / denominator
            if value > out[j]:
                out[j] = value
    return out


@numba.njit(cache=True, nogil=True)
def _screened(y, gene_pattern, n_patterns, sys_ptr, sys_pat, sys_size):
    """The design restricted to the systems a path of ``y`` can select while its intercept stays >= 0.

    ``_path`` never evaluates a system that is not ``BIG_SYSTEM``, has no gene with ``y > 0`` and coefficient 0
    while ``b0 >= 0`` (its docstring gives the bound): such a system keeps coefficient 0 for the whole path. Left
    out, the genes' patterns over the remaining (candidate) systems are coarser: patterns with the same candidate
    systems become one, and their genes with ``y = 0`` one row (``_rows``). On a sparse signal (a few mutated
    genes: the paediatric runs) that is ~15-300 patterns instead of ~800, and the path's cost, which is linear in
    them, falls with it.

    Returns ``(candidates (C,), gene_pattern (G,), n_patterns, sys_ptr (C+1,), sys_pat, sys_size (C,))``: the
    candidate systems' indices, increasing, and the tables of ``PatternTables`` for them. Patterns are split by
    each candidate system in turn (partition refinement) and numbered by their first original pattern.
    """
    n = y.shape[0]
    n_systems = sys_size.shape[0]
    signal = np.zeros(n_patterns, np.bool_)
    for g in range(n):
        if y[g] > 0.0:
            signal[gene_pattern[g]] = True
    candidates = np.zeros(n_systems, np.int64)
    n_candidates = 0
    for j in range(n_systems):
        keep = sys_size[j] >= BIG_SYSTEM * n
        q = sys_ptr[j]
        while not keep and q < sys_ptr[j + 1]:
            keep = signal[sys_pat[q]]
            q += 1
        if keep:
            candidates[n_candidates] = j
            n_candidates += 1
    candidates = candidates[:n_candidates]
    group = np.zeros(n_patterns, np.int64)          # refined classes: all patterns start in class 0
    capacity = 1
    for j in candidates:
        capacity += sys_ptr[j + 1] - sys_ptr[j]
    split_by = np.full(capacity, -1, np.int64)      # class -> the candidate that split it last
    split_into = np.zeros(capacity, np.int64)
    n_groups = 1
    for c in range(n_candidates):
        j = candidates[c]
        for q in range(sys_ptr[j], sys_ptr[j + 1]):
            p = sys_pat[q]
            k = group[p]
            if split_by[k] != c:
                split_by[k] = c
                split_into[k] = n_groups
                n_groups += 1
            group[p] = split_into[k]
    number = np.full(n_groups, -1, np.int64)        # used classes numbered by their first pattern
    n_new = 0
    for p in range(n_patterns):
        if number[group[p]] < 0:
            number[group[p]] = n_new
            n_new += 1
        group[p] = number[group[p]]
    new_gene_pattern = np.empty(n, np.int64)
    for g in range(n):
        new_gene_pattern[g] = group[gene_pattern[g]]
    new_ptr = np.zeros(n_candidates + 1, np.int64)
    new_pat = np.empty(capacity, np.int64)
    seen = np.full(n_new, -1, np.int64)
    for c in range(n_candidates):
        j = candidates[c]
        new_ptr[c + 1] = new_ptr[c]
        for q in range(sys_ptr[j], sys_ptr[j + 1]):
            k = group[sys_pat[q]]
            if seen[k] != c:
                seen[k] = c
                new_pat[new_ptr[c + 1]] = k
                new_ptr[c + 1] += 1
    return (candidates, new_gene_pattern, n_new, new_ptr, new_pat[:new_ptr[n_candidates]],
            sys_size[candidates].copy())


@numba.njit(cache=True, nogil=True)
def _null_pressures(y, orders, gene_pattern, n_patterns, sys_ptr, sys_pat, sys_size, lambdas, tol, screen):
    """Selection pressures ``(B, S)`` of the paths of ``y[orders[b]]`` and the not-converged lambda count (one
    thread; without the GIL, so that several run side by side, ``null_pressures``).

    With ``screen``, each path is solved on its ``_screened`` design (the same optimum; values may differ from
    the full design's in the last bits, the sums being grouped differently), or on the full design if its
    intercept falls below 0 (where the screening's bound does not hold; rare: 98 of the 27,000 paediatric null
    paths of the default build, 0.36%).
    """
    n_perm = orders.shape[0]
    out = np.zeros((n_perm, sys_size.shape[0]))
    failures = np.zeros(n_perm, np.int64)
    for b in range(n_perm):
        permuted = y[orders[b]]
        if screen:
            candidates, pattern_s, n_s, ptr_s, pat_s, size_s = _screened(permuted, gene_pattern, n_patterns,
                                                                         sys_ptr, sys_pat, sys_size)
            beta, b0, gamma_total, _, bad = _path(permuted, pattern_s, n_s, ptr_s, pat_s, size_s, lambdas, tol,
                                                  True, False, True)
            if bad >= 0:
                pressure = _pressure(beta, b0, gamma_total)
                for c in range(candidates.shape[0]):
                    out[b, candidates[c]] = pressure[c]
                failures[b] = bad
                continue
        beta, b0, gamma_total, _, bad = _path(permuted, gene_pattern, n_patterns, sys_ptr, sys_pat, sys_size,
                                              lambdas, tol, True, False)
        out[b] = _pressure(beta, b0, gamma_total)
        failures[b] = bad
    return out, failures.sum()


@dataclass(frozen=True)
class PatternTables:
    """The membership matrix ``H`` by membership pattern, shared by every path on one design.

    Attributes:
        gene_pattern: ``(G,)`` int64 pattern of each gene (equal for genes with identical rows of ``H``).
        n_patterns: ``P``.
        sys_ptr, sys_pat: CSC of the ``(P, S)`` pattern-in-system matrix: the patterns of system ``j`` are
            ``sys_pat[sys_ptr[j]:sys_ptr[j + 1]]``.
        sys_size: ``(S,)`` float, genes per system (``W_j``).
    """

    gene_pattern: np.ndarray
    n_patterns: int
    sys_ptr: np.ndarray
    sys_pat: np.ndarray
    sys_size: np.ndarray

    @classmethod
    def from_membership(cls, membership: sparse.csr_matrix, patterns: np.ndarray) -> PatternTables:
        """Tables of a ``(G, S)`` 0/1 CSR ``membership`` and the ``(G,)`` pattern ids ``0..P-1`` of its rows."""
        patterns = np.asarray(patterns, dtype=np.int64)
        n_patterns = int(patterns.max()) + 1 if len(patterns) else 0
        _, first = np.unique(patterns, return_index=True)
        by_pattern = sparse.csc_matrix(membership[first])
        by_pattern.sort_indices()
        return cls(patterns, n_patterns, by_pattern.indptr.astype(np.int64), by_pattern.indices.astype(np.int64),
                   np.asarray(membership.sum(axis=0), dtype=float).ravel())


@dataclass
class PathFit:
    """One lasso path of ``y`` on ``[H | I]`` with intercept.

    Attributes:
        coefs: ``(S, L)`` system coefficients. intercepts: ``(L,)``. gene_total: ``(L,)`` sum of the identity
        coefficients (each rounded to ``COEF_DECIMALS``). r2: ``(L,)`` deviance ratio (fraction of the variance
        explained). not_converged: lambdas whose coordinate descent hit ``MAX_SWEEPS``.
    """

    coefs: np.ndarray
    intercepts: np.ndarray
    gene_total: np.ndarray
    r2: np.ndarray
    not_converged: int


def fit_path(tables: PatternTables, y: np.ndarray, lambdas: np.ndarray, tol: float = 1e-7,
             grouped: bool = True) -> PathFit:
    """Positive lasso path of ``y`` (``(G,)``, in the order of the design's genes) down the decreasing ``lambdas``
    (``(L,)``, glmnet scale). ``tol``: convergence threshold relative to ``sum (y - ybar)^2``. ``grouped=False``
    keeps one row per gene (the same optimum; for checking the collapse)."""
    y = np.ascontiguousarray(y, dtype=float)
    beta, b0, gene_total, rss, bad = _path(y, tables.gene_pattern, tables.n_patterns, tables.sys_ptr,
                                           tables.sys_pat, tables.sys_size, np.asarray(lambdas, dtype=float), tol,
                                           grouped, True)
    tss = float(((y - y.mean()) ** 2).sum())
    return PathFit(beta, b0, gene_total, 1.0 - rss / tss, int(bad))


def selection_pressure(coefs: np.ndarray, intercepts: np.ndarray, gene_total: np.ndarray) -> np.ndarray:
    """HiSig selection pressure (``R/glmnet.R``): per lambda, each system coefficient rounded to ``COEF_DECIMALS``
    divided by the sum of all rounded coefficients (systems and genes) plus ``|intercept|``; maximum over the
    lambdas with a non-zero coefficient (0 if none).

    Args:
        coefs: ``(S, L)`` system coefficients. intercepts: ``(L,)``. gene_total: ``(L,)`` sum of the rounded
            identity (gene) coefficients.
    Returns:
        ``(S,)`` in [0, 1].
    """
    return _pressure(np.ascontiguousarray(coefs, dtype=float), np.asarray(intercepts, dtype=float),
                     np.asarray(gene_total, dtype=float))


def null_pressures(tables: PatternTables, y: np.ndarray, orders: np.ndarray, lambdas: np.ndarray,
                   tol: float = 1e-7, threads: int = 2, pool: Executor | None = None,
                   screen: bool = True) -> tuple[np.ndarray, int]:
    """Selection pressures of the paths of the permuted signals ``y[orders[b]]``: ``((B, S), not converged)``.

    Args:
        y: ``(G,)`` signal in the design's gene order. orders: ``(B, G)`` permutations of ``range(G)``.
        lambdas: ``(L,)`` decreasing, glmnet scale (the observed path's, cut where glmnet stops).
        threads: threads of a pool made for this call when ``pool`` is None (1, or a single slice: the calling
            thread). pool: a thread pool shared by several fits (``hisig_graph.fit_runs``): their slices queue
            behind each other and keep every worker busy while a fit prepares or lists its results; ``threads`` is
            then not used.
        screen: solve each path on the systems it can select only (``_screened``; the same optimum, 2.0-2.6x less
            CPU on the U2OS map's paediatric signals, 1.05x on TCGA's dense ones: ``benchmarks/hisig.py``);
            ``False``: on the full design.

    The paths run in slices of ``SLICE`` permutations; the compiled kernel releases the GIL, and each path depends
    on its permutation only, so the result is the same for any ``threads`` or ``pool``. Returns the number of
    lambdas, over all paths, whose coordinate descent hit ``MAX_SWEEPS`` as the second value.

    Raises:
        What ``pool`` raises: ``RuntimeError`` once it is shut down, ``CancelledError`` for a slice it cancelled.
    """
    y = np.ascontiguousarray(y, dtype=float)
    lambdas = np.asarray(lambdas, dtype=float)

    def run(part: np.ndarray) -> tuple[np.ndarray, int]:
        return _null_pressures(y, part, tables.gene_pattern, tables.n_patterns, tables.sys_ptr, tables.sys_pat,
                               tables.sys_size, lambdas, tol, screen)

    parts = [np.ascontiguousarray(orders[start:start + SLICE]) for start in range(0, len(orders), SLICE)]
    if pool is not None:
        results = list(pool.map(run, parts))
    elif threads <= 1 or len(parts) <= 1:
        results = [run(part) for part in parts]
    else:
        own = ThreadPoolExecutor(threads, thread_name_prefix="hisig-paths")
        try:
            results = list(own.map(run, parts))
        finally:
            own.shutdown(wait=True, cancel_futures=True)    # Ctrl-C: the slices not started are dropped
    if not results:
        return np.zeros((0, len(tables.sys_size))), 0
    return np.concatenate([out for out, _ in results]), int(sum(bad for _, bad in results))
