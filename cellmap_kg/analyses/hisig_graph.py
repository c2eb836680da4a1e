"""Recurrently mutated assemblies (HiSig) on the graph: paediatric tumours and TCGA gene-score cohorts.

HiSig (Zheng et al., Science 2021; ``hisig.hisig``) regresses a per-gene mutation signal on the assemblies of one
map and ranks them by selection pressure with permutation p-values and BH q-values (Schaffer et al., Nature 2025:
recurrently mutated = q <= 0.4; assemblies with > 50 mutated proteins and tumour types with < 15 tumours left out).
The model's genes are the map's proteins (HiSig's input is the hierarchy's genes); genes outside the map are
ignored and map proteins without a mutation have signal 0. Four analyses, one HiSig fit per tumour type, all in
the default build (every cohort the graph holds; 40 runs in 25-29 s with 1,000 permutations on 2 idle cores):

* ``hisig`` (default build): the whole paediatric cohort, ``Tumour {cohort: 'Groebner2018', mutationProfiled:
  true}`` (the 879 tumours of Groebner et al. 2018 S_Table9). ``N_obs(g)`` = profiled tumours with a ``non-silent
  SNV/indel`` ``Mutation`` that ``AFFECTS`` g; signal ``log2(N_obs + 1)`` (no expected counts: ``expectedCounts =
  false``). Results point at ``TumourType {name: PAN_CANCER}``, created here (``cohort: 'Groebner2018'``,
  ``tumourCount`` = profiled tumours);
* ``hisig-types``: the same signal per tumour type (``OF_TYPE``) with >= 15 profiled tumours (19 types);
* ``hisig-tcga``: each ``TumourType {cohort: 'TCGA'}`` with its HiSig gene scores ``MUTATION_SCORE {score}`` as
  model input (an absent relationship is a score of 0);
* ``hisig-ma2018``: each ``TumourType {cohort: 'Ma2018'}`` (6 types and the pan-cancer set of Ma et al. 2018),
  ``N_obs(g)`` = samples with a pathogenic / likely pathogenic alteration (``DRIVER_GENE.pathogenicSamples``),
  signal ``log2(N_obs + 1)`` as for Groebner 2018.

Each writes ``(:Assembly)-[:RECURRENTLY_MUTATED_IN {selectionPressure, p, q, permutations, seed, mutatedProteins,
frequency, expectedCounts, dataset, analysis}]->(:TumourType)`` for every tested assembly (269 per run on the U2OS
map), so queries choose their own q cut-off; ``frequency`` (tumours with >= 1 mutated member / profiled tumours) is
set for the Groebner 2018 runs only (the others have no per-tumour data). The runs of one analysis share ``n_jobs``
threads for their permutations (``fit_runs``). With a ``HisigCache`` (the build passes one: ``./.cellmap-kg/cache``
or ``$CELLMAP_KG_CACHE``), a fit whose inputs, settings and code are unchanged is read back instead of refitted, and
the summary says how many (``cache``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from ..queries.registry import run_internal
from ..store.base import GraphStore
from .graph_io import (
    DEFAULT_MAP,
    AnalysisError,
    MissingInputError,
    check_map,
    clear_relationships,
    provenance,
    read_memberships,
)
from .hisig import MAX_MUTATED_PROTEINS, RECURRENT_Q, hisig, mutation_signal
from .hisig_cache import HisigCache
from .mutation_counts import MIN_TUMOURS

ANALYSIS = "hisig"
TYPES_ANALYSIS = "hisig-types"
TCGA_ANALYSIS = "hisig-tcga"
COHORT = "Groebner2018"
PAN_CANCER = "Groebner2018-pan-cancer"
"""``TumourType.name`` of the paediatric pan-cohort run."""
MUTATION_KIND = "non-silent SNV/indel"
TCGA = "TCGA"
MA2018_ANALYSIS = "hisig-ma2018"
MA2018 = "Ma2018"

@dataclass
class HisigRun:
    """One HiSig run: the gene signal of one tumour type (or cohort) and what is written with its results.

    Attributes:
        tumour_type: ``TumourType.name`` the results point at.
        scores: gene -> model input (``attrs['expected']`` says whether expected counts were used).
        counts: gene -> ``N_obs`` (paediatric runs), listed in HiSig's ``Mutation_count``.
        tumours: profiled tumours (paediatric), the denominator of ``frequency``.
        mutated: gene -> ids of tumours with a mutation in it (paediatric), for ``frequency``.
    """

    tumour_type: str
    scores: pd.Series
    counts: pd.Series | None = None
    tumours: int | None = None
    mutated: dict[str, set[str]] = field(default_factory=dict)


def paediatric_runs(store: GraphStore, cohort: str = COHORT, kind: str = MUTATION_KIND,
                    min_tumours: int = MIN_TUMOURS) -> tuple[HisigRun, list[HisigRun], dict[str, int]]:
    """The pan-cohort run and one run per tumour type with >= ``min_tumours`` profiled tumours.

    Returns ``(pan_cohort, per_type, excluded)``; ``excluded`` = tumour type -> profiled tumours for the types left
    out. The pan-cohort run's tumour type is ``f"{cohort}-pan-cancer"`` (``PAN_CANCER``). Raises
    ``MissingInputError`` if the cohort has no profiled tumour.
    """
    profiled = {r["tumourType"]: r["tumours"] for r in run_internal(store, "profiled-tumours", cohort=cohort)}
    total = sum(profiled.values())
    if not total:
        raise MissingInputError(f"no Tumour {{cohort: {cohort!r}, mutationProfiled: true}} in the graph "
                            "(build with the groebner-2018 source)")
    hits: dict[str | None, dict[str, set[str]]] = {}
    for row in run_internal(store, "tumour-mutated-genes", cohort=cohort, kind=kind):
        for key in (None, row["tumourType"]):
            hits.setdefault(key, {}).setdefault(row["gene"], set()).add(row["tumour"])

    def run(name: str, genes: dict[str, set[str]], tumours: int) -> HisigRun:
        counts = pd.Series({g: len(t) for g, t in genes.items()}, dtype=int)
        return HisigRun(name, mutation_signal(counts), counts, tumours, genes)

    per_type, excluded = [], {}
    for name, tumours in sorted((k, v) for k, v in profiled.items() if k is not None):
        if tumours < min_tumours:
            excluded[name] = tumours
        else:
            per_type.append(run(name, hits.get(name, {}), tumours))
    return run(f"{cohort}-pan-cancer", hits.get(None, {}), total), per_type, excluded


def tcga_runs(store: GraphStore, cohorts: list[str] | None = None, cohort: str = TCGA) -> list[HisigRun]:
    """One run per TCGA cohort (``TumourType {cohort: 'TCGA'}``) with its ``MUTATION_SCORE`` gene scores.

    ``cohorts`` restricts to these ``TumourType`` names. Raises ``MissingInputError`` if none is found.
    """
    runs = []
    for row in run_internal(store, "tumour-type-gene-scores", cohort=cohort):
        if cohorts and row["tumourType"] not in cohorts:
            continue
        runs.append(HisigRun(row["tumourType"], pd.Series(row["scores"], index=row["genes"], dtype=float)))
    if not runs:
        among = f"among {cohorts} " if cohorts else ""
        raise MissingInputError(f"no TumourType {{cohort: {cohort!r}}} with MUTATION_SCORE {among}"
                            "(build with the tcga-hisig-scores source)")
    return sorted(runs, key=lambda r: r.tumour_type)


def ma2018_runs(store: GraphStore, cohort: str = MA2018) -> list[HisigRun]:
    """One run per Ma et al. 2018 tumour type (``TumourType {cohort: 'Ma2018'}``, the pan-cancer type included).

    Signal: ``N_obs(g)`` = samples of the type with a pathogenic / likely pathogenic alteration in g (``DRIVER_GENE
    .pathogenicSamples``, Ma et al. 2018 Table S2; 0 for genes without the relationship), ``log2(N_obs + 1)``, no
    expected counts: the same rule as the Groebner 2018 runs. Raises ``MissingInputError`` if none is found.
    """
    runs = []
    for row in run_internal(store, "tumour-type-driver-genes", cohort=cohort):
        counts = pd.Series(row["samples"], index=row["genes"], dtype=int)
        runs.append(HisigRun(row["tumourType"], mutation_signal(counts), counts))
    if not runs:
        raise MissingInputError(f"no TumourType {{cohort: {cohort!r}}} with DRIVER_GENE (build with the ma-2018 "
                                "source)")
    return sorted(runs, key=lambda r: r.tumour_type)


def _fit(memberships: dict[str, set[str]], scores: pd.Series, counts: pd.Series | None, permutations: int,
         seed: int, threads: int, cache: HisigCache | None, pool: Executor | None = None,
         ) -> tuple[pd.DataFrame | None, dict, str | None]:
    """One HiSig fit -> ``(table, attrs, None)``, or ``(None, {}, reason)`` if HiSig cannot run on this signal."""
    try:
        table = (cache.fit if cache else hisig)(memberships, scores, n_permutations=permutations, seed=seed,
                                                mutation_counts=counts, n_jobs=threads, pool=pool,
                                                max_mutated_proteins=MAX_MUTATED_PROTEINS)
    except ValueError as exc:
        return None, {}, str(exc)
    return table, dict(table.attrs), None


def fit_runs(memberships: dict[str, set[str]], runs: list[HisigRun], permutations: int, seed: int,
             n_jobs: int = 2, progress: Callable[[str], None] | None = None, cache: HisigCache | None = None,
             ) -> dict[str, tuple[pd.DataFrame | None, dict, str | None]]:
    """Fit every run (``hisig.hisig`` with ``seed``, the U2OS paper's cap of ``MAX_MUTATED_PROTEINS``); tumour
    type -> ``(table, attrs, skip reason)``, in the order of ``runs``.

    The lasso paths of every run go to one pool of ``n_jobs`` threads (``hisig_lasso.null_pressures``), and up to
    ``n_jobs`` runs are prepared and listed at once beside it (so up to ``2 n_jobs`` threads): while one run draws
    its permutations or lists its genes (Python, one core), the paths of another keep both cores busy. Measured on
    the 40 runs of the default build, 2 idle cores, with this and the solver's shortcuts (``hisig_lasso``): 25-29 s
    against 42-44 s before both (README, HiSig "Speed"). Same seed and inputs give the same p-values for any
    ``n_jobs``. ``progress`` is called with each tumour type in order, from this thread. With ``cache``, a fit
    stored under the same inputs is reused (``hisig_cache``: the same table exactly). A run HiSig cannot fit
    (``ValueError``) gets its skip reason.

    Raises:
        What a run raises otherwise (``OSError`` from the cache, for one): the first in run order, once the runs
        before it have ended; the runs not started are cancelled, the paths not started are dropped (the runs
        under way then end with ``CancelledError``, not reported), and this returns after the threads are done.
    """
    jobs = max(1, n_jobs)
    paths = ThreadPoolExecutor(jobs, thread_name_prefix="hisig-paths")
    fits = ThreadPoolExecutor(jobs, thread_name_prefix="hisig-runs")
    out = {}
    try:
        futures = [fits.submit(_fit, memberships, r.scores, r.counts, permutations, seed, jobs, cache, paths)
                   for r in runs]
        for r, future in zip(runs, futures, strict=True):
            out[r.tumour_type] = future.result()
            if progress:
                progress(r.tumour_type)
    finally:
        fits.shutdown(wait=False, cancel_futures=True)      # on an error: no new run starts,
        paths.shutdown(wait=True, cancel_futures=True)      # queued paths are dropped (their runs fail),
        fits.shutdown(wait=True)                            # and the runs under way end before this returns
    return out


def _frequency(members: set[str], run: HisigRun) -> float | None:
    if run.tumours is None:
        return None
    tumours = set().union(*(run.mutated.get(g, set()) for g in members))
    return len(tumours) / run.tumours


def _relationship_rows(memberships: dict[str, set[str]], run: HisigRun, table: pd.DataFrame, attrs: dict,
                       stamp: dict) -> list[dict]:
    return [{"source": r.System_name, "target": run.tumour_type, "selectionPressure": float(r.Selection_pressure),
             "p": float(r.p), "q": float(r.q), "mutatedProteins": int(r.mutatedProteins),
             "frequency": _frequency(memberships[r.System_name], run),
             "expectedCounts": bool(attrs.get("expectedCounts", False)), **stamp}
            for r in table.itertuples(index=False)]


def write_runs(store: GraphStore, map_name: str, analysis: str, memberships: dict[str, set[str]],
               runs: list[HisigRun], fits: dict, permutations: int, seed: int, max_q: float = RECURRENT_Q) -> dict:
    """Replace ``analysis``'s ``RECURRENTLY_MUTATED_IN`` of ``map_name`` with the fitted runs; per-run summary.

    Returns tumour type -> ``{"tested", "recurrent" (q <= max_q and pressure > 0), "top", "topQ"}`` or
    ``{"skipped": reason}``. Raises ``AnalysisError`` if a relationship could not be written.
    """
    clear_relationships(store, "RECURRENTLY_MUTATED_IN", analysis, map_name)
    stamp = provenance(analysis, permutations=permutations, seed=seed)
    summary = {}
    for run in runs:
        table, attrs, reason = fits[run.tumour_type]
        if table is None:
            summary[run.tumour_type] = {"skipped": reason}
            continue
        rows = _relationship_rows(memberships, run, table, attrs, stamp)
        written = store.write_relationships("RECURRENTLY_MUTATED_IN", rows)
        if written != len(rows):
            raise AnalysisError(f"RECURRENTLY_MUTATED_IN -> {run.tumour_type}: wrote {written} of {len(rows)}")
        recurrent = table[(table.q <= max_q) & (table.Selection_pressure > 0)]
        summary[run.tumour_type] = {"tested": len(table), "recurrent": len(recurrent),
                                    "top": table.System_name.iloc[0], "topQ": round(float(table.q.iloc[0]), 4)}
    return summary


def _recurrence(store: GraphStore, map_name: str, analysis: str, runs_of: Callable[[], list[HisigRun]],
                permutations: int, seed: int, n_jobs: int, progress: Callable[[str], None] | None,
                cache: HisigCache | None) -> dict:
    check_map(store, map_name)
    memberships = read_memberships(store, map_name)
    runs = runs_of()
    before = cache.summary() if cache else {}
    fits = fit_runs(memberships, runs, permutations, seed, n_jobs, progress, cache)
    summary = write_runs(store, map_name, analysis, memberships, runs, fits, permutations, seed)
    out = {"map": map_name, "permutations": permutations, "seed": seed, "runs": summary}
    if cache:
        out["cache"] = {k: v - before[k] if isinstance(v, int) else v for k, v in cache.summary().items()}
    return out


def recurrent_pan_cancer(store: GraphStore, map_name: str = DEFAULT_MAP, permutations: int = 1000, seed: int = 0,
                         n_jobs: int = 2, progress: Callable[[str], None] | None = None,
                         cache: HisigCache | None = None) -> dict:
    """HiSig on the whole paediatric cohort (analysis ``hisig``) for ``map_name``; writes and summarises.

    Creates/updates ``TumourType {name: PAN_CANCER, cohort: 'Groebner2018', tumourCount: profiled tumours}`` and
    points the results at it. Returns ``{"map", "permutations", "seed", "runs": {PAN_CANCER: run summary}}``.
    Raises ``AnalysisError`` (unknown map, no profiled tumours).
    """
    def runs() -> list[HisigRun]:
        pan, _, _ = paediatric_runs(store)
        store.write_nodes("TumourType", [{"name": pan.tumour_type, "cohort": COHORT, "tumourCount": pan.tumours}])
        return [pan]

    return _recurrence(store, map_name, ANALYSIS, runs, permutations, seed, n_jobs, progress, cache)


def recurrent_by_tumour_type(store: GraphStore, map_name: str = DEFAULT_MAP, permutations: int = 1000,
                             seed: int = 0, n_jobs: int = 2, min_tumours: int = MIN_TUMOURS,
                             progress: Callable[[str], None] | None = None, cache: HisigCache | None = None) -> dict:
    """HiSig per paediatric tumour type with >= ``min_tumours`` profiled tumours (analysis ``hisig-types``).

    Returns ``{"map", "permutations", "seed", "runs": {type: run summary}, "excludedTypes": {type: tumours},
    "minTumours"}``. Raises ``AnalysisError``.
    """
    excluded: dict[str, int] = {}

    def runs() -> list[HisigRun]:
        _, per_type, left_out = paediatric_runs(store, min_tumours=min_tumours)
        excluded.update(left_out)
        return per_type

    summary = _recurrence(store, map_name, TYPES_ANALYSIS, runs, permutations, seed, n_jobs, progress, cache)
    return {**summary, "excludedTypes": excluded, "minTumours": min_tumours}


def recurrent_tcga(store: GraphStore, map_name: str = DEFAULT_MAP, permutations: int = 1000, seed: int = 0,
                   n_jobs: int = 2, cohorts: list[str] | None = None,
                   progress: Callable[[str], None] | None = None, cache: HisigCache | None = None) -> dict:
    """HiSig on each TCGA gene-score cohort (analysis ``hisig-tcga``; ``cohorts``: TumourType names, default all
    13) for ``map_name``. Returns ``{"map", "permutations", "seed", "runs": {cohort: run summary}}``. Raises
    ``AnalysisError``."""
    return _recurrence(store, map_name, TCGA_ANALYSIS, lambda: tcga_runs(store, cohorts), permutations, seed,
                       n_jobs, progress, cache)


def recurrent_ma2018(store: GraphStore, map_name: str = DEFAULT_MAP, permutations: int = 1000, seed: int = 0,
                     n_jobs: int = 2, progress: Callable[[str], None] | None = None,
                     cache: HisigCache | None = None) -> dict:
    """HiSig on each Ma et al. 2018 tumour type and its pan-cancer set (analysis ``hisig-ma2018``) for
    ``map_name``. Returns ``{"map", "permutations", "seed", "runs": {type: run summary}}``. Raises
    ``AnalysisError``."""
    return _recurrence(store, map_name, MA2018_ANALYSIS, lambda: ma2018_runs(store), permutations, seed, n_jobs,
                       progress, cache)
