"""HiSig: systems (assemblies) that aggregate more mutations than their member genes explain on their own.

Method of Zheng et al., Science 2021 ("Interpretation of cancer mutations using a multiscale map of protein
systems"), as implemented in github.com/fanzheng10/HiSig (``R/glmnet.R``, ``HiSig/R/model.R``,
``HiSig/R/parse.R``, ``parse.py``, ``utils.py``), and used on the U2OS cell map by Schaffer et al., Nature 2025
(Methods "Recurrently mutated assemblies": assemblies with > 50 mutated proteins and tumour types with < 15
tumours excluded; recurrently mutated = q <= 0.4).

Model. ``y`` = per-gene signal (``mutation_signal``: ``M_g = log2(max(N_obs - N_exp, 0) + 1)``); design
``X = [H | I]``: ``H`` (genes x systems) gene-in-system membership, ``I`` the identity (every gene is also its own
"system", so a system is only selected when it explains more than one gene). HiSig fits the whole lasso path of
``min 1/(2n) ||y - b0 - X b||^2 + lambda ||b||_1`` with ``b >= 0`` (glmnet, ``standardize = FALSE``, 100 lambdas
down to ``1e-4 * lambda_max``, glmnet's early stop once the deviance ratio exceeds 0.999 or gains < 1e-5), rounds
the coefficients to 6 decimals, divides each lambda's coefficients by their sum plus ``|intercept|``, and takes
each feature's maximum over the path as its **selection pressure**. The null distribution refits the same lambda
path on ``y`` permuted across genes; ``p = (#null >= observed + 1) / (permutations + 1)`` (a null within
``TIE_TOLERANCE`` of the observed pressure counts as a tie, hence as ``>=``); ``q`` = Benjamini-
Hochberg over the systems tested.

Implementation. ``hisig_lasso`` solves the path by coordinate descent compiled with numba, exploiting the
structure of ``[H | I]`` (closed-form identity coefficients, genes grouped by membership pattern, exact
intercept, glmnet's active-set cycling), and runs the permutations in parallel over the same design and lambda
path. ``tests/analyses/test_hisig.py`` checks it against scikit-learn's ``lasso_path`` on the centred problem and
the grouped rows against one row per gene.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import false_discovery_control

from ..loaders.base import DataFormatError, parse_float, require
from ..loaders.cellmap import read_ddot_ont
from .hisig_lasso import PatternTables, fit_path, null_pressures, selection_pressure

MAX_MUTATED_PROTEINS = 50
"""The U2OS paper's cap: assemblies with more mutated proteins are not tested (Schaffer et al. 2025). HiSig itself
has no cap (``hisig`` default ``None``); the graph analyses apply it."""
RECURRENT_Q = 0.4
"""q-value at or below which an assembly is called recurrently mutated (Schaffer et al. 2025)."""
N_LAMBDAS = 100
"""glmnet ``nlambda`` used by HiSig."""
LAMBDA_MIN_RATIO = 1e-4
"""glmnet ``lambda.min.ratio`` used by HiSig."""
PERMUTATION_CHUNK = 500
"""Permutations drawn and fitted per batch (the permuted orders of one batch are held in memory)."""
TIE_TOLERANCE = 1e-12
"""A null selection pressure within this of the observed one counts as a tie, hence as ``null >= observed``.

Pressures are ratios of coefficients rounded to 6 decimals (``R/glmnet.R``), so a permutation that puts the mutated
genes in an equivalent place (same systems, same signal values: frequent for signals of 2-10 mutated genes) has
the observed pressure exactly, up to the rounding of sums taken in another order (measured: up to 6e-16). Without a
tolerance such ties were counted or not by that rounding: 34 ties of ATRT's Cluster2-2 counted 12 times by one
solver and 0 times by another. Two different configurations are not expected to come this close."""
PRINT_LIMIT = 25
"""HiSig lists at most this many genes of a system in ``Genes`` (``printModuleProfile``)."""
RESULT_COLUMNS = ["System_name", "No_genes", "Selection_pressure", "p", "q", "Genes", "Model_input",
                  "Rank_of_model_input", "Mutation_count", "mutatedProteins"]


def mutation_signal(n_observed: pd.Series, n_expected: pd.Series | None = None) -> pd.Series:
    """HiSig per-gene signal ``M_g = log2(max(N_obs - N_exp, 0) + 1)``.

    Args:
        n_observed: gene -> tumours with a non-silent mutation in the gene (``N_obs``, >= 0).
        n_expected: gene -> expected count under the background mutation model (``N_exp``); genes absent from it
            (or ``None``) use 0, i.e. the signal is then simply ``log2(N_obs + 1)``.
    Returns:
        Series indexed like ``n_observed`` (log2 units). ``attrs['expected']`` says whether ``N_exp`` was used.
    Raises:
        ValueError: a count is negative or not finite.
    """
    observed = n_observed.astype(float)
    if (observed < 0).any() or not np.isfinite(observed).all():
        raise ValueError("observed mutation counts must be finite and >= 0")
    expected = (n_expected.reindex(observed.index).fillna(0.0).astype(float) if n_expected is not None
                else pd.Series(0.0, index=observed.index))
    signal = np.log2(np.maximum(observed - expected, 0.0) + 1.0)
    signal.attrs["expected"] = n_expected is not None
    return signal


@dataclass
class HisigDesign:
    """The HiSig regression design for one hierarchy and one gene universe.

    Attributes:
        genes: ``G`` row labels (every gene of the hierarchy).
        systems: ``S`` tested systems.
        membership: CSR ``(G, S)`` 0/1 gene-in-system matrix ``H`` (the identity block ``I`` is implicit).
        patterns: ``(G,)`` int, equal for genes with identical rows of ``H``.
        excluded: system -> reason it was not tested.
    """

    genes: list[str]
    systems: list[str]
    membership: sparse.csr_matrix
    patterns: np.ndarray
    excluded: dict[str, str] = field(default_factory=dict)


def design_matrix(memberships: Mapping[str, set[str]], signal: pd.Series,
                  max_mutated_proteins: int | None = None, min_system_size: int = 2) -> HisigDesign:
    """Build the membership block ``H`` over the genes of ``signal`` (the hierarchy's genes).

    Systems are excluded (with the reason recorded) when they have fewer than ``min_system_size`` genes (HiSig
    ``scut``), more than ``max_mutated_proteins`` genes with signal > 0 (``None``: no limit), or contain every
    gene (a constant column, collinear with the intercept, e.g. the root).

    Args:
        memberships: system -> genes, propagated (a parent lists its descendants' genes).
        signal: gene -> signal, indexed by exactly the genes of the hierarchy (see ``hisig``).
    """
    genes = list(signal.index)
    index = {g: i for i, g in enumerate(genes)}
    mutated = set(signal.index[signal.to_numpy() > 0])
    systems, excluded, rows, cols = [], {}, [], []
    for name, members in memberships.items():
        if len(members) < min_system_size:
            excluded[name] = f"fewer than {min_system_size} genes"
        elif len(members) == len(genes):
            excluded[name] = "contains every gene (collinear with the intercept)"
        elif max_mutated_proteins is not None and len(members & mutated) > max_mutated_proteins:
            excluded[name] = f"more than {max_mutated_proteins} mutated proteins"
        else:
            rows.extend(index[g] for g in members)
            cols.extend([len(systems)] * len(members))
            systems.append(name)
    membership = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(genes), len(systems)))
    membership.sort_indices()
    keys = [membership.indices[membership.indptr[i]:membership.indptr[i + 1]].tobytes() for i in range(len(genes))]
    _, patterns = np.unique(np.array(keys, dtype=object), return_inverse=True)
    return HisigDesign(genes, systems, membership, patterns.ravel(), excluded)


def lambda_grid(design: HisigDesign, y: np.ndarray, n_lambdas: int = N_LAMBDAS,
                min_ratio: float = LAMBDA_MIN_RATIO) -> np.ndarray:
    """glmnet's default path: ``n_lambdas`` log-spaced from ``lambda_max`` down to ``min_ratio * lambda_max``.

    ``lambda_max = max_j |x_j'(y - ybar)| / n`` over the centred columns of ``[H | I]`` (glmnet, ``standardize =
    FALSE``). Raises ValueError if ``y`` is constant (nothing to explain).
    """
    yc = y - y.mean()
    correlation = np.concatenate([design.membership.T @ yc, yc]) / len(y)
    top = float(np.max(np.abs(correlation)))
    if top <= 0:
        raise ValueError("the gene signal is constant: no lasso path to fit")
    return np.geomspace(top, top * min_ratio, n_lambdas)


def glmnet_path_length(r2: np.ndarray, min_lambdas: int = 5, devmax: float = 0.999, fdev: float = 1e-5) -> int:
    """Number of lambdas glmnet keeps: it stops after the first lambda (from the ``min_lambdas``-th on) whose
    deviance ratio exceeds ``devmax`` or improves on the previous one by less than ``fdev`` x itself."""
    for m in range(min(min_lambdas, len(r2)) - 1, len(r2)):
        if m > 0 and (r2[m] - r2[m - 1] < fdev * r2[m] or r2[m] > devmax):
            return m + 1
    return len(r2)


def _gene_columns(design: HisigDesign, signal: np.ndarray, counts: pd.Series | None,
                  print_limit: int | None) -> tuple[list[str], ...]:
    """HiSig's per-system gene listing (``parse.py``): members by decreasing signal (ties by name), truncated to
    ``print_limit``; their signals, their ranks among all genes (``Rank_of_model_input``: genes with a signal at
    least as large, so every gene with signal 0 has rank ``G``), their raw counts; and the mutated members."""
    membership = design.membership.tocsc()
    ranks = pd.Series(-signal).rank(method="max").to_numpy().astype(int)
    count_of = counts.to_dict() if counts is not None else None          # a dict lookup per gene, not pandas'
    genes_col, input_col, rank_col, count_col, mutated_col = [], [], [], [], []
    for j in range(len(design.systems)):
        rows = membership.indices[membership.indptr[j]:membership.indptr[j + 1]]
        order = sorted(rows, key=lambda r: (-signal[r], design.genes[r]))
        shown = order if print_limit is None else order[:print_limit]
        names = ",".join(design.genes[r] for r in shown)
        genes_col.append(names if len(shown) == len(order) else f"{len(order)} genes including: {names}")
        input_col.append("|".join(str(round(float(signal[r]), 3)) for r in shown))         # as HiSig's parse.py
        rank_col.append("|".join(str(ranks[r]) for r in shown))
        count_col.append("|".join(str(int(count_of.get(design.genes[r], 0))) for r in shown) if count_of is not None
                         else "")
        mutated_col.append(int(np.sum(signal[rows] > 0)))
    return genes_col, input_col, rank_col, count_col, mutated_col


def exceedances(null: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Null pressures at or above the observed ones, per system: ``(B, S)``, ``(S,)`` -> ``(S,)`` int64 counts of
    ``null >= observed - TIE_TOLERANCE`` (HiSig's ``#null >= observed``, ties within rounding counted)."""
    return (null >= observed[None, :] - TIE_TOLERANCE).sum(axis=0)


def hisig(memberships: Mapping[str, set[str]], gene_scores: pd.Series, n_permutations: int = 1000, seed: int = 0,
          max_mutated_proteins: int | None = None, min_system_size: int = 2,
          mutation_counts: pd.Series | None = None, n_lambdas: int = N_LAMBDAS,
          lambda_min_ratio: float = LAMBDA_MIN_RATIO, tol: float = 1e-7, n_jobs: int = 2,
          print_limit: int | None = PRINT_LIMIT, pool: Executor | None = None, screen: bool = True) -> pd.DataFrame:
    """Rank the systems of a hierarchy by HiSig selection pressure with permutation p and BH q values.

    Args:
        memberships: system (assembly) -> genes, propagated to ancestors (``S0`` systems).
        gene_scores: gene -> HiSig model input (``mutation_signal`` output, or a precomputed score such as the
            HiSig TCGA ``*.score.txt``). Genes of the hierarchy without a score get 0; scored genes outside the
            hierarchy are ignored (as HiSig ``prepare_input.py`` does); both are counted in ``attrs``.
        n_permutations: permutations of the scores across the hierarchy's genes (>= 1).
        seed: seed of ``numpy.random.default_rng`` drawing the permutations (same seed -> same p values).
        max_mutated_proteins / min_system_size: test filters (``design_matrix``); HiSig has no cap on mutated
            proteins (``None``, the default), the U2OS paper's is ``MAX_MUTATED_PROTEINS`` (50).
        mutation_counts: optional gene -> raw mutation count, listed in ``Mutation_count`` (HiSig ``signal2``).
        n_lambdas, lambda_min_ratio: glmnet path settings of HiSig; tol: coordinate-descent convergence threshold
            (relative to ``||y - ybar||^2``; ``hisig_lasso``).
        n_jobs: threads for the permutations (``hisig_lasso.null_pressures``); pool: a thread pool to run them on
            instead (shared by several fits, ``hisig_graph.fit_runs``). Neither changes the result.
        print_limit: genes listed per system in ``Genes`` (``None``: all).
        screen: solve each null path on the systems it can select (``hisig_lasso.null_pressures``; ``False``: on
            the full design, the benchmark's baseline). The same optimum; the pressures differ in the last bits
            (sums in another order), which ``TIE_TOLERANCE`` absorbs: the 40 tables of the default build are the
            same either way (``benchmarks/hisig.py`` checks it), though a tolerance cannot promise it for every
            input (a rounding difference could flip a convergence test or a 6-decimal rounding).

    Returns:
        DataFrame, one row per tested system, sorted by ``q``, ``p``, decreasing ``Selection_pressure`` (HiSig
        order), columns ``RESULT_COLUMNS``: ``System_name``, ``No_genes``, ``Selection_pressure`` (in [0, 1]),
        ``p`` (>= 1 / (n_permutations + 1)), ``q`` (BH), ``Genes``, ``Model_input``, ``Rank_of_model_input``
        and ``Mutation_count`` ('|'-joined, same order as ``Genes``; HiSig's ``parse.py`` columns),
        ``mutatedProteins`` (members with score > 0). ``attrs`` records ``permutations``, ``seed``, ``lambdas``
        (path length kept), ``genes``, ``scoredGenesOutsideHierarchy``, ``hierarchyGenesWithoutScore``,
        ``excluded`` (system -> reason), ``expectedCounts`` (whether ``N_exp`` was used, from
        ``gene_scores.attrs``) and ``convergenceWarnings`` (lambdas not converged, all paths).

    Raises:
        ValueError: ``n_permutations < 1``, no system left to test, or a constant signal. With ``pool``, what it
            raises (``RuntimeError`` once shut down, ``CancelledError``: ``hisig_lasso.null_pressures``).
    """
    if n_permutations < 1:
        raise ValueError(f"n_permutations must be >= 1, got {n_permutations}")
    genes = sorted(set().union(*memberships.values())) if memberships else []
    scores = gene_scores.astype(float)
    signal = scores.reindex(genes).fillna(0.0)
    design = design_matrix(memberships, signal, max_mutated_proteins, min_system_size)
    if not design.systems:
        raise ValueError(f"no system left to test; excluded: {dict(list(design.excluded.items())[:5])}")
    y = signal.to_numpy()

    lambdas = lambda_grid(design, y, n_lambdas, lambda_min_ratio)
    tables = PatternTables.from_membership(design.membership, design.patterns)
    fit = fit_path(tables, y, lambdas, tol)
    keep = glmnet_path_length(fit.r2)
    lambdas = lambdas[:keep]
    observed = selection_pressure(fit.coefs[:, :keep], fit.intercepts[:keep], fit.gene_total[:keep])
    rng = np.random.default_rng(seed)
    exceed, n_warn = np.zeros(len(design.systems), dtype=np.int64), fit.not_converged
    for start in range(0, n_permutations, PERMUTATION_CHUNK):              # bounded memory at 10,000 permutations
        orders = np.empty((min(PERMUTATION_CHUNK, n_permutations - start), len(y)), dtype=np.int64)
        for order in orders:                                                # no list of rows beside the block
            order[:] = rng.permutation(len(y))
        null, not_converged = null_pressures(tables, y, orders, lambdas, tol, n_jobs, pool, screen)
        exceed += exceedances(null, observed)
        n_warn += not_converged
    p = (exceed + 1) / (n_permutations + 1)
    q = false_discovery_control(p, method="bh")
    genes_col, input_col, rank_col, count_col, mutated_col = _gene_columns(design, y, mutation_counts, print_limit)
    sizes = np.asarray(design.membership.sum(axis=0)).ravel().astype(int)
    df = pd.DataFrame({"System_name": design.systems, "No_genes": sizes, "Selection_pressure": observed,
                       "p": p, "q": q, "Genes": genes_col, "Model_input": input_col,
                       "Rank_of_model_input": rank_col, "Mutation_count": count_col,
                       "mutatedProteins": mutated_col}, columns=RESULT_COLUMNS)
    df = df.sort_values(["q", "p", "Selection_pressure", "System_name"], ascending=[True, True, False, True],
                        kind="stable").reset_index(drop=True)
    df.attrs.update(permutations=n_permutations, seed=seed, lambdas=int(keep), genes=len(genes),
                    scoredGenesOutsideHierarchy=int(len(set(scores.index) - set(genes))),
                    hierarchyGenesWithoutScore=int(len(set(genes) - set(scores.index))),
                    excluded=dict(design.excluded), expectedCounts=bool(gene_scores.attrs.get("expected", False)),
                    convergenceWarnings=int(n_warn))
    return df


def recurrently_mutated(df: pd.DataFrame, max_q: float = RECURRENT_Q) -> pd.DataFrame:
    """Rows of a ``hisig`` result with ``q <= max_q`` and selection pressure > 0 (Schaffer et al. 2025: 0.4)."""
    return df[(df["q"] <= max_q) & (df["Selection_pressure"] > 0)].reset_index(drop=True)


def propagate_memberships(edges: list[tuple[str, str]], direct: list[tuple[str, str]]) -> dict[str, set[str]]:
    """System -> genes including those of all descendant systems (DDOT ``propagate('forward')``).

    Args:
        edges: ``(parent, child)`` system pairs. direct: ``(gene, system)`` annotations.
    Raises:
        ValueError: the system graph has a cycle.
    """
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(s for _, s in direct)
    if not nx.is_directed_acyclic_graph(graph):
        raise ValueError(f"the system hierarchy has a cycle: {nx.find_cycle(graph)}")
    members: dict[str, set[str]] = {s: set() for s in graph}
    for gene, system in direct:
        for target in nx.ancestors(graph, system) | {system}:
            members[target].add(gene)
    return members


def read_gene_scores(path: Path) -> pd.Series:
    """Read ``gene <TAB> score`` lines (no header), e.g. HiSig ``examples/nest/score/brca.score.txt``.

    Raises MissingDataError (absent file) or DataFormatError (not 2 fields, a non-number, a repeated gene).
    """
    scores: dict[str, float] = {}
    with open(require(Path(path)), encoding="utf-8") as fh:
        for line, text in enumerate(fh, 1):
            if not text.strip():
                continue
            fields = text.split()
            if len(fields) != 2:
                raise DataFormatError(path, line, f"expected 2 fields (gene, score), found {len(fields)}")
            if fields[0] in scores:
                raise DataFormatError(path, line, f"gene {fields[0]} is scored twice")
            scores[fields[0]] = parse_float(fields[1], path, line, "score", allow_empty=False)
    return pd.Series(scores, dtype=float, name="score")


def hisig_files(ont_file: Path, scores_file: Path, out_file: Path, n_permutations: int = 1000, seed: int = 0,
                **options) -> pd.DataFrame:
    """Run ``hisig`` on a DDOT ``.ont`` hierarchy and a ``gene <TAB> score`` table; write the ranked TSV.

    ``.ont`` rows: ``parent <TAB> child <TAB> default`` (system contains system) or ``system <TAB> gene <TAB> gene``;
    gene memberships are propagated to every ancestor. The scores are used as the model input as given.
    ``options`` go to ``hisig``. Returns the table written (``RESULT_COLUMNS``).

    Raises MissingDataError / DataFormatError from the readers, ValueError from ``hisig``.
    """
    edges, direct = read_ddot_ont(Path(ont_file))
    memberships = propagate_memberships(edges, direct)
    result = hisig(memberships, read_gene_scores(Path(scores_file)), n_permutations=n_permutations, seed=seed,
                   **options)
    result.to_csv(out_file, sep="\t", index=False)
    return result
