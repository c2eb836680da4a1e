"""Assembly mutation frequency, counted in the graph.

frequency(assembly, type) = distinct tumours of the type with >= 1 mutated member / profiled tumours of the type.
"Profiled" tumours are those of the cohort's mutation matrix (``Tumour.mutationProfiled``; Groebner et al. 2018
S_Table9: 879 tumours). By default only non-silent SNVs/indels count, as in the U2OS cell map paper's recurrence
analysis (Schaffer et al., Nature 2025, Methods); pass ``kinds`` to include structural/copy-number events.

Writes ``Assembly.mutatedTumours`` / ``Assembly.mutationFrequency`` (pan-cohort) and
``(:Assembly)-[:MUTATED_IN {tumours, frequency, dataset, analysis}]->(:TumourType)`` per tumour type.
"""

from __future__ import annotations

from ..queries.registry import run_internal
from ..sources import DEFAULT_MAP
from ..store.base import GraphStore
from .graph_io import AnalysisError, read_assemblies

ANALYSIS = "mutation-frequency"
DEFAULT_KINDS = ("non-silent SNV/indel",)



def compute_mutation_frequency(store: GraphStore, cohort: str = "Groebner2018", map_name: str = DEFAULT_MAP,
                               kinds: tuple[str, ...] = DEFAULT_KINDS, dataset: str = "groebner-2018") -> dict:
    """Compute and write assembly mutation frequencies (pan-cohort and per tumour type) for one map.

    Tumours are counted in the graph (internal statements ``assembly-mutated-tumours`` and
    ``assembly-mutated-tumours-by-type``); every assembly of the map gets ``mutatedTumours`` and
    ``mutationFrequency`` (0 without a mutated member).

    Returns ``{"assemblies": mutated assemblies, "profiled": tumours in the denominator (None when no assembly is
    mutated), "mutatedIn": MUTATED_IN relationships written}``. Re-running replaces earlier results of this
    analysis for the map. Raises ``AnalysisError`` if a relationship could not be written.
    """
    params = {"cohort": cohort, "map": map_name, "kinds": list(kinds)}
    store.delete_relationships("MUTATED_IN", source_where={"map": map_name})
    pan = run_internal(store, "assembly-mutated-tumours", **params)
    per_type = run_internal(store, "assembly-mutated-tumours-by-type", **params)
    values = {a["id"]: {"mutatedTumours": 0, "mutationFrequency": 0.0} for a in read_assemblies(store, map_name)}
    for r in pan:
        values[r["assembly"]] = {"mutatedTumours": r["tumours"], "mutationFrequency": r["tumours"] / r["profiled"]}
    store.write_nodes("Assembly", [{"id": a, **v} for a, v in values.items()])
    rows = [{"source": r["assembly"], "target": r["tumourType"], "tumours": r["tumours"],
             "frequency": r["tumours"] / r["profiled"], "dataset": dataset, "analysis": ANALYSIS} for r in per_type]
    written = store.write_relationships("MUTATED_IN", rows)
    if written != len(rows):
        raise AnalysisError(f"MUTATED_IN: wrote {written} of {len(rows)}")
    return {"assemblies": len(pan), "profiled": max((r["profiled"] for r in pan), default=None),
            "mutatedIn": written}
