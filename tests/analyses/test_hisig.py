"""HiSig on made-up inputs, a signal planted in the real U2OS hierarchy, and the Groebner 2018 paediatric cohort."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from cellmap_kg.analyses.hisig import (
    RESULT_COLUMNS,
    design_matrix,
    exceedances,
    glmnet_path_length,
    hisig,
    hisig_files,
    lambda_grid,
    mutation_signal,
    propagate_memberships,
    read_gene_scores,
    recurrently_mutated,
)
from cellmap_kg.analyses.hisig_lasso import (
    SLICE,
    PatternTables,
    _path,
    _screened,
    fit_path,
    null_pressures,
    selection_pressure,
)
from cellmap_kg.analyses.multilocalization import hierarchy_graph, terminal_assemblies
from cellmap_kg.analyses.mutation_counts import gene_tumour_counts, read_mutation_matrix
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.sources import source

MATRIX = source("groebner-2018").file("smg_matrix").path
BRCA = next(f.path for f in source("tcga-hisig-scores").files_with("scores") if f.path.endswith("/brca.score.txt"))


# ------------------------------------------------------------------------------------------------ formulas
def test_mutation_signal():
    observed = pd.Series({"A": 3, "B": 0, "C": 1, "D": 7})
    plain = mutation_signal(observed)
    assert plain.to_dict() == {"A": 2.0, "B": 0.0, "C": 1.0, "D": 3.0}
    assert plain.attrs["expected"] is False
    adjusted = mutation_signal(observed, pd.Series({"A": 1.0, "C": 4.0}))
    assert adjusted.to_dict() == {"A": pytest.approx(np.log2(3)), "B": 0.0, "C": 0.0, "D": 3.0}
    assert adjusted.attrs["expected"] is True
    with pytest.raises(ValueError, match=">= 0"):
        mutation_signal(pd.Series({"A": -1}))


def test_selection_pressure_normalises_each_lambda_by_coefficients_plus_intercept():
    coefs = np.array([[0.5, 0.2, 0.0],
                      [0.5, 0.0, 4e-7]])              # 4e-7 rounds to 0 (6 decimals, as HiSig)
    intercepts = np.array([0.0, 0.8, 5.0])
    assert selection_pressure(coefs, intercepts, np.zeros(3)).tolist() == pytest.approx([0.5, 0.5])
    # gene (identity) coefficients summing to 2 at the first lambda enter its denominator: 0.5 / (1 + 2 + 0);
    # the first system's maximum moves to the second lambda, 0.2 / (0.2 + 0.8)
    assert selection_pressure(coefs, intercepts, np.array([2.0, 0.0, 0.0])).tolist() == pytest.approx(
        [0.2, 0.5 / 3])
    assert selection_pressure(np.zeros((2, 3)), intercepts, np.zeros(3)).tolist() == [0.0, 0.0]


def test_a_null_within_rounding_of_the_observed_pressure_is_a_tie():
    observed = np.array([0.5, 0.5, 0.0, 0.3])
    null = np.array([[0.5 - 6e-16, 0.5 - 1e-9, 0.0, 0.9],
                     [0.5 + 6e-16, 0.2, 0.0, 0.3 - 1e-13]])
    assert exceedances(null, observed).tolist() == [2, 0, 2, 2]


def test_glmnet_stops_at_devmax_or_when_the_fit_stops_improving():
    assert glmnet_path_length(np.array([0.0, 0.2, 0.4, 0.6, 0.8, 0.9995, 0.9999])) == 6
    assert glmnet_path_length(np.array([0.0, 0.2, 0.4, 0.6, 0.7, 0.7, 0.8])) == 6
    assert glmnet_path_length(np.array([0.0, 0.99995, 0.99999])) == 3        # not before the 5th lambda
    assert glmnet_path_length(np.linspace(0, 0.9, 10)) == 10


def test_made_up_hierarchy_selects_the_system_that_explains_its_genes():
    memberships = {"S1": {"a", "b", "c", "d"}, "S2": {"e", "f", "g", "h"}, "S3": {"a", "e"},
                   "root": set("abcdefghijklmnop")}
    scores = pd.Series({"a": 3.0, "b": 3.0, "c": 3.0, "d": 3.0, "e": 0.5})
    df = hisig(memberships, scores, n_permutations=200, seed=1)
    assert list(df.columns) == RESULT_COLUMNS
    assert df.attrs["excluded"] == {"root": "contains every gene (collinear with the intercept)"}
    top = df.iloc[0]
    assert top.System_name == "S1" and top.Selection_pressure > 0.5 and top.mutatedProteins == 4
    assert top.Genes == "a,b,c,d"
    assert df.set_index("System_name").loc["S2", "Selection_pressure"] < 0.05
    assert df.attrs["hierarchyGenesWithoutScore"] == 11


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_permutations"):
        hisig({"S": {"a", "b"}, "R": {"a", "b", "c"}}, pd.Series({"a": 1.0}), n_permutations=0)
    with pytest.raises(ValueError, match="constant"):
        hisig({"S": {"a", "b"}, "R": {"a", "b", "c"}}, pd.Series(dtype=float), n_permutations=5)
    with pytest.raises(ValueError, match="no system left"):
        hisig({"R": {"a", "b", "c"}}, pd.Series({"a": 1.0}), n_permutations=5)


# ------------------------------------------------------------------------------------------------ real hierarchy
@pytest.fixture(scope="module")
def planted(u2os_memberships, proteasome_assembly):
    """Score 2 on the proteasome assembly's genes, exponential noise (mean 0.2) on 5% of the other genes."""
    genes = sorted(u2os_memberships["Cluster0-0"])
    rng = np.random.default_rng(7)
    scores = pd.Series(0.0, index=genes)
    others = [g for g in genes if g not in u2os_memberships[proteasome_assembly]]
    noisy = rng.choice(others, size=len(others) // 20, replace=False)
    scores[noisy] = rng.exponential(0.2, len(noisy))
    scores[sorted(u2os_memberships[proteasome_assembly])] = 2.0
    return scores


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_assembly_ranks_first_for_every_seed(u2os_memberships, planted, proteasome_assembly, seed):
    df = hisig(u2os_memberships, planted, n_permutations=100, seed=seed)
    assert df.iloc[0].System_name == proteasome_assembly
    assert df.iloc[0].p == pytest.approx(1 / 101)
    assert df.iloc[0].Selection_pressure == df.Selection_pressure.max()
    assert (df.p >= 1 / 101).all() and (df.p <= 1).all() and (df.q >= df.p).all()


def test_same_seed_gives_identical_p_values(u2os_memberships, planted):
    first = hisig(u2os_memberships, planted, n_permutations=30, seed=5)
    again = hisig(u2os_memberships, planted, n_permutations=30, seed=5, n_jobs=1)
    pd.testing.assert_frame_equal(first, again)


def _design(memberships, signal, cap=50):
    design = design_matrix(memberships, signal, max_mutated_proteins=cap)
    return design, PatternTables.from_membership(design.membership, design.patterns)


def test_grouped_fit_equals_one_row_per_gene(u2os_memberships, planted):
    signal = planted.reindex(sorted(set().union(*u2os_memberships.values()))).fillna(0.0)
    design, tables = _design(u2os_memberships, signal)
    y = signal.to_numpy()
    lambdas = lambda_grid(design, y)
    grouped = fit_path(tables, y, lambdas, tol=1e-12)
    plain = fit_path(tables, y, lambdas, tol=1e-12, grouped=False)
    assert selection_pressure(grouped.coefs, grouped.intercepts, grouped.gene_total) == pytest.approx(
        selection_pressure(plain.coefs, plain.intercepts, plain.gene_total), abs=1e-6)
    assert grouped.intercepts == pytest.approx(plain.intercepts, abs=1e-6)
    assert grouped.r2 == pytest.approx(plain.r2, abs=1e-6)


@pytest.mark.parametrize(("cap", "mutated"), [(None, 0.3), (50, 0.3), (None, 0.02)])
def test_path_equals_sklearn_lasso_path_on_the_centred_problem(cap, mutated):
    """The structured coordinate descent reaches scikit-learn's optimum of the same glmnet objective, on a signal
    with 30% and with 2% of the genes mutated (then most systems have no mutated gene and their updates are
    skipped in the full sweeps, ``hisig_lasso._path``)."""
    from scipy import sparse
    from sklearn.linear_model import lasso_path

    rng = np.random.default_rng(3)
    genes = [f"g{i}" for i in range(300)]
    memberships = {f"S{j}": set(rng.choice(genes, size=rng.integers(3, 30), replace=False)) for j in range(30)}
    memberships["big"] = set(genes[:240])                                 # 80% of the genes: near the intercept
    signal = pd.Series(rng.exponential(0.3, 300) * (rng.random(300) < mutated), index=genes)
    signal[sorted(memberships["S0"])] += 2.0
    design, tables = _design(memberships, signal, cap)
    free = [s for s in design.systems if not signal[sorted(memberships[s])].gt(0).any()]
    assert len(free) >= 5 if mutated < 0.1 else not free
    y = signal.to_numpy()
    lambdas = lambda_grid(design, y)
    fit = fit_path(tables, y, lambdas, tol=1e-14)
    x = sparse.hstack([design.membership, sparse.identity(300)], format="csc")
    offset = np.asarray(x.mean(axis=0)).ravel()
    _, coefs, _ = lasso_path(x, y - y.mean(), alphas=lambdas, positive=True, tol=1e-12, max_iter=200_000,
                             X_offset=offset, X_scale=np.ones_like(offset))
    intercepts = y.mean() - offset @ coefs
    s = len(design.systems)
    theirs = selection_pressure(coefs[:s], intercepts, np.round(coefs[s:], 6).sum(axis=0))
    ours = selection_pressure(fit.coefs, fit.intercepts, fit.gene_total)
    assert ours == pytest.approx(theirs, abs=1e-5)
    assert fit.coefs == pytest.approx(coefs[:s], abs=1e-6)
    assert ours.argmax() == design.systems.index("S0")
    assert fit.intercepts == pytest.approx(intercepts, abs=1e-6)
    assert fit.not_converged == 0


def _null_inputs(memberships, scores, count):
    """As ``hisig``: ``(design, tables, y (G,), orders (count, G), lambdas (L,), observed pressures (S,))``: the
    design, the signal in its gene order, ``count`` permutations, glmnet's grid cut where the observed path stops,
    and the observed path's selection pressures."""
    signal = scores.reindex(sorted(set().union(*memberships.values()))).fillna(0.0)
    design, tables = _design(memberships, signal)
    y = signal.to_numpy()
    lambdas = lambda_grid(design, y)
    fit = fit_path(tables, y, lambdas)
    keep = glmnet_path_length(fit.r2)
    rng = np.random.default_rng(11)
    orders = np.stack([rng.permutation(len(y)) for _ in range(count)])
    observed = selection_pressure(fit.coefs[:, :keep], fit.intercepts[:keep], fit.gene_total[:keep])
    return design, tables, y, orders, lambdas[:keep], observed


@pytest.mark.parametrize("mutated", ["planted", "three genes"])
def test_null_pressures_are_the_same_for_any_threads_or_pool_and_equal_each_paths_fit(
        u2os_memberships, planted, mutated):
    """(A pin of the values' bits, kept until 2026-12-07, failed on another CPU: numba compiles for the host, and
    AVX-512 FMA contraction changes the last bits. The tie tolerance of ``hisig`` makes p-values independent of
    them.)"""
    scores = planted if mutated == "planted" else planted[planted > 0].iloc[:3]
    _, tables, y, orders, lambdas, _ = _null_inputs(u2os_memberships, scores, 2 * SLICE + 7)  # a short slice
    alone, bad = null_pressures(tables, y, orders, lambdas, threads=1, screen=False)
    assert alone.shape == (len(orders), len(tables.sys_size)) and bad == 0
    np.testing.assert_array_equal(null_pressures(tables, y, orders, lambdas, threads=2, screen=False)[0], alone)
    with ThreadPoolExecutor(3) as pool:
        np.testing.assert_array_equal(null_pressures(tables, y, orders, lambdas, pool=pool, screen=False)[0], alone)
    for b in (0, SLICE, len(orders) - 1):     # the null paths sum the gene coefficients above each split only
        fit = fit_path(tables, y[orders[b]], lambdas)
        np.testing.assert_array_equal(alone[b], selection_pressure(fit.coefs, fit.intercepts, fit.gene_total))


@pytest.mark.parametrize("mutated", ["planted", "three genes", "below zero"])
def test_screened_null_paths_reach_the_full_designs_pressures(u2os_memberships, planted, mutated):
    """Each null path solved on the systems it can select (``hisig_lasso._screened``) has the full design's
    pressures but for the rounding of sums taken in another order (<= 1e-12 here; ``TIE_TOLERANCE`` absorbs it),
    for any threads; a signal whose intercept starts below 0 (its mean is negative) is solved on the full design,
    so to the bit."""
    scores = {"planted": planted, "three genes": planted[planted > 0].iloc[:3],
              "below zero": planted - 0.5 * (planted > 0)}[mutated]
    _, tables, y, orders, lambdas, _ = _null_inputs(u2os_memberships, scores, 2 * SLICE + 7)
    full, bad_full = null_pressures(tables, y, orders, lambdas, threads=1, screen=False)
    screened, bad = null_pressures(tables, y, orders, lambdas, threads=2)
    assert bad == bad_full == 0
    if mutated == "below zero":
        assert y.mean() < 0
        np.testing.assert_array_equal(screened, full)
    else:
        np.testing.assert_allclose(screened, full, rtol=0, atol=1e-12)
        assert (full > 0).sum() > 50                              # pressures to compare, not zeros only


def test_a_path_whose_intercept_falls_below_zero_midway_is_solved_on_the_full_design(data_dir, u2os_memberships):
    """The Groebner 2018 pan-cohort signal (mean > 0): some permuted paths drive the intercept below 0 after it
    started above (~0.4% of the paediatric paths); the screened path stops there (-1) and the full design's
    pressures are used, to the bit."""
    counts = gene_tumour_counts(read_mutation_matrix(data_dir / MATRIX))["ALL"]
    _, tables, y, orders, lambdas, _ = _null_inputs(u2os_memberships, mutation_signal(counts), 300)
    full_tables = (tables.gene_pattern, tables.n_patterns, tables.sys_ptr, tables.sys_pat, tables.sys_size)
    fell = []
    for b, order in enumerate(orders):
        permuted = y[order]
        screened = _screened(permuted, *full_tables)
        if _path(permuted, *screened[1:], lambdas, 1e-7, True, False, True)[4] == -1:
            fell.append(b)
    assert fell and y.mean() > 0
    assert any(_path(y[orders[b]], *full_tables, lambdas, 1e-7, True, False)[1].min() < 0 for b in fell)
    np.testing.assert_array_equal(null_pressures(tables, y, orders[fell], lambdas)[0],
                                  null_pressures(tables, y, orders[fell], lambdas, screen=False)[0])


def test_a_null_tied_with_the_observed_pressure_counts_as_reaching_it(monkeypatch):
    """Two mutated genes in A (no subsystem): a permutation that puts both in A is the observed problem with A's
    genes renamed, so its pressure of A is the observed one up to rounding; and ``hisig`` counts a null that
    rounding put just below the observed pressure (every null 5e-16 below: p = 1 for every system)."""
    genes = [f"g{i:02d}" for i in range(40)]                # the design's genes: those of the systems
    memberships = {"A": set(genes[:10]), "B": set(genes[10:20]), "C": set(genes[20:])}
    scores = pd.Series({"g00": 1.0, "g01": 1.0})
    design, tables, y, orders, lambdas, observed = _null_inputs(memberships, scores, 400)
    a = design.systems.index("A")
    null = null_pressures(tables, y, orders, lambdas)[0][:, a]
    both = y[orders][:, :10].sum(axis=1) == 2
    assert both.sum() >= 5 and observed[a] > 0
    np.testing.assert_allclose(null[both], observed[a], rtol=0, atol=1e-12)       # ties, up to rounding

    def just_below(tables, y, orders, *args):
        return np.tile(observed - 5e-16, (len(orders), 1)), 0

    monkeypatch.setattr("cellmap_kg.analyses.hisig.null_pressures", just_below)
    df = hisig(memberships, scores, n_permutations=20, seed=3)
    assert df.p.tolist() == [1.0] * 3                      # A (observed 0.70) too, not 1 / 21


def test_max_mutated_proteins_filter(u2os_memberships, planted):
    design = design_matrix(u2os_memberships, planted, max_mutated_proteins=50)
    big = {a for a, m in u2os_memberships.items() if len(m & set(planted.index[planted > 0])) > 50} - {"Cluster0-0"}
    assert big and all(design.excluded[a] == "more than 50 mutated proteins" for a in big)
    assert not big & set(design.systems)


# ------------------------------------------------------------------------------------------------ paediatric
def test_swi_snf_is_recurrently_mutated_in_paediatric_tumours(data_dir, u2os_memberships, swi_snf_assembly):
    """Groebner 2018 (879 tumours, 77 SMGs): N_obs per gene, M = log2(N_obs + 1), no expected counts."""
    counts = gene_tumour_counts(read_mutation_matrix(data_dir / MATRIX))["ALL"]
    df = hisig(u2os_memberships, mutation_signal(counts), n_permutations=1000, seed=0, mutation_counts=counts)
    assert df.attrs["expectedCounts"] is False
    assert df.attrs["scoredGenesOutsideHierarchy"] == 38                # e.g. KRAS, PTEN, MYCN: not in the map
    top = df.iloc[0]
    assert top.System_name == swi_snf_assembly
    assert top.p == pytest.approx(1 / 1001)
    assert top.q == pytest.approx(269 / 1001)                           # 269 systems tested (all but the root)
    assert top.Selection_pressure == pytest.approx(0.758, abs=1e-3)
    assert top.Genes.startswith("SMARCA4,ARID1A,SMARCB1,") and top.Mutation_count.startswith("19|11|9|0")
    assert list(recurrently_mutated(df).System_name) == [swi_snf_assembly]


# ------------------------------------------------------------------------------------------------ files
def _write_ont(path, edges, memberships):
    """DDOT .ont of a hierarchy: system edges plus each gene once, in its terminal assemblies."""
    terminal = terminal_assemblies(hierarchy_graph(edges), memberships)
    lines = [f"{p}\t{c}\tdefault" for p, c in edges]
    lines += [f"{a}\t{g}\tgene" for g, assemblies in sorted(terminal.items()) for a in assemblies]
    path.write_text("\n".join(lines) + "\n")


def test_ddot_memberships_propagate_to_the_hidef_lists(tmp_path, u2os_edges, u2os_memberships):
    from cellmap_kg.loaders.cellmap import read_ddot_ont

    ont = tmp_path / "u2os.ont"
    _write_ont(ont, u2os_edges, u2os_memberships)
    assert propagate_memberships(*read_ddot_ont(ont)) == u2os_memberships


def test_hisig_files_on_tcga_scores(tmp_path, data_dir, u2os_edges, u2os_memberships):
    ont, out = tmp_path / "u2os.ont", tmp_path / "brca.hisig.tsv"
    _write_ont(ont, u2os_edges, u2os_memberships)
    result = hisig_files(ont, data_dir / BRCA, out, n_permutations=10, seed=0)
    written = pd.read_csv(out, sep="\t")
    assert list(written.columns) == RESULT_COLUMNS and len(written) == len(result) == 269    # HiSig: no cap
    assert result.attrs["hierarchyGenesWithoutScore"] == 201 and result.attrs["excluded"] == {
        "Cluster0-0": "contains every gene (collinear with the intercept)"}
    assert (written.p >= 1 / 11).all()
    capped = hisig_files(ont, data_dir / BRCA, out, n_permutations=10, seed=0, max_mutated_proteins=50)
    assert len(capped) == 251                                                  # the U2OS paper's cap of 50


def test_read_gene_scores(tmp_path, data_dir):
    scores = read_gene_scores(data_dir / BRCA)
    assert len(scores) == 18853 and scores["A1CF"] == pytest.approx(0.509)
    bad = tmp_path / "scores.txt"
    bad.write_text("TP53\t1.5\nKRAS\tx\n")
    with pytest.raises(DataFormatError, match=r":2: column 'score': expected a number"):
        read_gene_scores(bad)
    bad.write_text("TP53\t1.5\nTP53\t2\n")
    with pytest.raises(DataFormatError, match=r":2: gene TP53 is scored twice"):
        read_gene_scores(bad)
