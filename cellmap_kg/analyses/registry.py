"""The graph analyses: a registry of named analyses run on a store (the staging graph during ``cellmap-kg build``).

Each analysis reads what it needs from the graph, computes with the pure modules of this package, and writes its
results back with provenance (``dataset = 'cellmap-kg-analyses'``, ``analysis = <name>`` and the parameters used;
see ``graph_io``). ``ANALYSES`` maps the names accepted by ``cellmap-kg analyze``, in run order (``association``
reads what ``annotation`` wrote). ``DEFAULT_ANALYSES`` are the ones of the default build and of ``cellmap-kg
analyze`` without names: every analysis, HiSig on every cohort included (docs/analyses.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..loaders.communities import OPENCELL_MAP
from ..store.base import GraphStore
from .annotation_graph import annotate_assemblies
from .association_graph import associate
from .graph_io import DEFAULT_MAP, MissingInputError, record_run
from .hisig_cache import HisigCache
from .hisig_graph import recurrent_by_tumour_type, recurrent_ma2018, recurrent_pan_cancer, recurrent_tcga
from .map_comparison_graph import compare_maps
from .multilocalization_graph import localize_proteins
from .mutation_frequency import compute_mutation_frequency
from .size_graph import calibration_file, estimate_diameters
from .structures_graph import link_structures


@dataclass(frozen=True)
class AnalysisOptions:
    """Settings shared by the analyses.

    Attributes:
        data_dir: data directory (the size analysis reads ``music_v1/calibration.txt`` there, if present).
        map_name: the map of the single-map analyses (multi-localization, HiSig); the others run on every map.
        permutations: HiSig permutations per run (>= 1; 1,000 as in HiSig and the U2OS paper).
        seed: seed of the HiSig permutations.
        jobs: threads for the HiSig lasso paths, shared by the runs of each HiSig analysis (``fit_runs``).
        cache_dir: where HiSig fits are kept and reused when their inputs are unchanged (``hisig_cache``);
            ``None``: every fit is computed.
    """

    data_dir: Path | None = None
    map_name: str = DEFAULT_MAP
    permutations: int = 1000
    seed: int = 0
    jobs: int = 2
    cache_dir: Path | None = None

    def parameters(self) -> dict:
        """The options as a JSON-ready dict with camelCase keys (as recorded on the analyses' Dataset node)."""
        return {"dataDir": str(self.data_dir) if self.data_dir is not None else None, "map": self.map_name,
                "permutations": self.permutations, "seed": self.seed, "jobs": self.jobs}


@dataclass(frozen=True)
class Analysis:
    """A registered analysis: ``run(store, options) -> summary dict`` and a one-line description."""

    name: str
    run: Callable[[GraphStore, AnalysisOptions], dict]
    description: str
    default: bool = True


def _hisig_kwargs(o: AnalysisOptions) -> dict:
    return {"map_name": o.map_name, "permutations": o.permutations, "seed": o.seed, "n_jobs": o.jobs,
            "cache": HisigCache(o.cache_dir) if o.cache_dir is not None else None}


ANALYSES: dict[str, Analysis] = {a.name: a for a in [
    Analysis("annotation", lambda s, o: annotate_assemblies(s),
             "assemblies ENRICHED_FOR GO-CC / CORUM / HPA components; bestMatch, annotationCategory (every map)"),
    Analysis("size", lambda s, o: estimate_diameters(s, calibration_file(o.data_dir)),
             "diameterNm (+ 95% prediction bounds with music_v1/calibration.txt) of every assembly"),
    Analysis("multi-localization", lambda s, o: localize_proteins(s, o.map_name),
             "Protein.multiLocalized / terminalAssemblies / pathsToRoot, Assembly.multiParent (one map)"),
    Analysis("association", lambda s, o: associate(s),
             "PUTATIVE_FUNCTION of poorly characterized proteins, MEMBER_OF.unexpected (needs annotation)"),
    Analysis("mutation-frequency", lambda s, o: compute_mutation_frequency(s, map_name=o.map_name),
             "Assembly.mutationFrequency and MUTATED_IN per paediatric tumour type (one map)"),
    Analysis("map-comparison", lambda s, o: compare_maps(s, o.map_name, OPENCELL_MAP),
             "MATCHES: best match of every assembly between the map and the OpenCell HEK293T communities (Jaccard)"),
    Analysis("hisig", lambda s, o: recurrent_pan_cancer(s, **_hisig_kwargs(o)),
             "RECURRENTLY_MUTATED_IN Groebner2018-pan-cancer (HiSig, paediatric pan-cohort, one map)"),
    Analysis("hisig-types", lambda s, o: recurrent_by_tumour_type(s, **_hisig_kwargs(o)),
             "RECURRENTLY_MUTATED_IN per paediatric tumour type with >= 15 tumours (19 HiSig runs)"),
    Analysis("hisig-tcga", lambda s, o: recurrent_tcga(s, **_hisig_kwargs(o)),
             "RECURRENTLY_MUTATED_IN per TCGA cohort from MUTATION_SCORE (13 HiSig runs)"),
    Analysis("hisig-ma2018", lambda s, o: recurrent_ma2018(s, **_hisig_kwargs(o)),
             "RECURRENTLY_MUTATED_IN per Ma et al. 2018 tumour type and pan-cancer from DRIVER_GENE (7 HiSig runs)"),
    Analysis("structures", lambda s, o: link_structures(s),
             "StructureModel MODELLED_IN every assembly (all maps) holding both of its proteins"),
]}
DEFAULT_ANALYSES = [name for name, a in ANALYSES.items() if a.default]


def resolve_names(names: list[str] | None) -> list[str]:
    """``names`` in registry order (``None`` or empty: ``DEFAULT_ANALYSES``; ``"all"``: every analysis).

    Raises KeyError naming the unknown names and the known ones.
    """
    if not names:
        return list(DEFAULT_ANALYSES)
    if "all" in names:
        return list(ANALYSES)
    unknown = [n for n in names if n not in ANALYSES]
    if unknown:
        raise KeyError(f"unknown analysis {unknown}; known: {list(ANALYSES)} (or 'all')")
    return [n for n in ANALYSES if n in names]


def run_analyses(store: GraphStore, names: list[str] | None = None, options: AnalysisOptions | None = None,
                 ui=None, report: Callable[[str, dict], None] | None = None,
                 skip_missing: bool = False) -> dict[str, dict]:
    """Run the named analyses (``resolve_names``) on ``store`` in registry order and record each run.

    Each summary gets ``seconds`` (wall time); the run's options and summary are stored on the
    ``Dataset {id: 'cellmap-kg-analyses'}`` node. ``report(name, summary)`` is called after each analysis.
    With ``skip_missing``, an analysis whose input is absent from the graph (``MissingInputError``, e.g. a build
    of some sources only) is not run and its summary is ``{"skipped": reason}``; otherwise the error propagates.

    Returns name -> summary. Raises KeyError (unknown name) and whatever an analysis raises (``AnalysisError``).
    """
    options = options or AnalysisOptions()
    chosen = resolve_names(names)
    summaries = {}
    if ui:
        ui.start("analyses", len(chosen))
    for name in chosen:
        started = time.perf_counter()
        try:
            summary = ANALYSES[name].run(store, options)
        except MissingInputError as exc:
            if not skip_missing:
                raise
            summary = {"skipped": str(exc)}
        summary["seconds"] = round(time.perf_counter() - started, 2)
        if "skipped" not in summary:
            record_run(store, name, options.parameters(), summary)
        summaries[name] = summary
        if report:
            report(name, summary)
        if ui:
            ui.advance("analyses", name)
    return summaries


def run_default_analyses(store: GraphStore, data_dir: Path | None = None, names: list[str] | None = None,
                         ui=None, options: AnalysisOptions | None = None,
                         cache_dir: Path | None = None) -> dict[str, dict]:
    """The build's entry point: ``run_analyses`` with ``data_dir`` and ``cache_dir`` (default names:
    ``DEFAULT_ANALYSES``), skipping analyses whose inputs the graph lacks (a build of some sources only) with the
    reason in their summary."""
    options = options or AnalysisOptions(data_dir=Path(data_dir) if data_dir is not None else None,
                                         cache_dir=cache_dir)
    return run_analyses(store, names, options, ui=ui, skip_missing=True)
