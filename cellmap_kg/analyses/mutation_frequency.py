"""Assembly mutation frequency, computed inside the graph with Cypher.

frequency(assembly, type) = distinct tumours of the type with >= 1 mutated member / profiled tumours of the type.
"Profiled" tumours are those of the cohort's mutation matrix (``Tumour.mutationProfiled``; Groebner et al. 2018
S_Table9: 879 tumours). By default only non-silent SNVs/indels count, as in the U2OS cell map paper's recurrence
analysis (Schaffer et al., Nature 2025, Methods); pass ``kinds`` to include structural/copy-number events.

Writes ``Assembly.mutatedTumours`` / ``Assembly.mutationFrequency`` (pan-cohort) and
``(:Assembly)-[:MUTATED_IN {tumours, frequency, dataset, analysis}]->(:TumourType)`` per tumour type.
"""

from __future__ import annotations

from ..sources import DEFAULT_MAP
from ..store.base import GraphStore

ANALYSIS = "mutation-frequency"
DEFAULT_KINDS = ("non-silent SNV/indel",)

_RESET = """
MATCH (a:Assembly {map: $map})
SET a.mutatedTumours = 0, a.mutationFrequency = 0.0
"""

_PAN_COHORT = """
MATCH (t:Tumour {cohort: $cohort, mutationProfiled: true})
WITH count(t) AS profiled
MATCH (a:Assembly {map: $map})<-[:MEMBER_OF]-(:Protein)<-[:AFFECTS]-(m:Mutation)<-[:HAS_MUTATION]-(t:Tumour)
WHERE t.cohort = $cohort AND t.mutationProfiled = true AND m.kind IN $kinds
WITH a, profiled, count(DISTINCT t) AS tumours
SET a.mutatedTumours = tumours, a.mutationFrequency = toFloat(tumours) / profiled
RETURN count(a) AS assemblies, max(profiled) AS profiled
"""

_PER_TYPE = """
MATCH (t:Tumour {cohort: $cohort, mutationProfiled: true})-[:OF_TYPE]->(tt:TumourType)
WITH tt, count(t) AS profiled
MATCH (a:Assembly {map: $map})<-[:MEMBER_OF]-(:Protein)<-[:AFFECTS]-(m:Mutation)<-[:HAS_MUTATION]-(t:Tumour)
      -[:OF_TYPE]->(tt)
WHERE t.mutationProfiled = true AND m.kind IN $kinds
WITH a, tt, profiled, count(DISTINCT t) AS tumours
CREATE (a)-[r:MUTATED_IN {tumours: tumours, frequency: toFloat(tumours) / profiled,
                          dataset: $dataset, analysis: $analysis}]->(tt)
RETURN count(r) AS n
"""


def compute_mutation_frequency(store: GraphStore, cohort: str = "Groebner2018", map_name: str = DEFAULT_MAP,
                               kinds: tuple[str, ...] = DEFAULT_KINDS, dataset: str = "groebner-2018") -> dict:
    """Compute and write assembly mutation frequencies (pan-cohort and per tumour type) for one map.

    Returns ``{"assemblies": mutated assemblies, "profiled": tumours in the denominator, "mutatedIn": MUTATED_IN
    relationships written}``. Re-running replaces earlier results of this analysis for the map.
    """
    params = {"cohort": cohort, "map": map_name, "kinds": list(kinds), "dataset": dataset, "analysis": ANALYSIS}
    store.query("MATCH (a:Assembly {map: $map})-[r:MUTATED_IN]->() DELETE r", params)
    store.query(_RESET, params)
    pan = store.query(_PAN_COHORT, params)
    per_type = store.query(_PER_TYPE, params)
    return {"assemblies": pan[0]["assemblies"] if pan else 0, "profiled": pan[0]["profiled"] if pan else 0,
            "mutatedIn": per_type[0]["n"] if per_type else 0}
