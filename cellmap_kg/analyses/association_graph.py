"""Function by association and unexpected members, on the graph (needs the ``annotation`` analysis first).

For each map (Schaffer et al., Nature 2025, "Functions for uncharacterized proteins"; ``association``):

* putative functions: every poorly characterized member (``Protein.pubmedCount <= 10``) of an assembly of fewer
  than 25 proteins inherits the assembly's name and each GO cellular-component term the assembly is
  ``ENRICHED_FOR``: ``(:Protein)-[:PUTATIVE_FUNCTION {assembly, assemblyName, score, fdr, maxPubmed,
  maxAssemblySize, dataset, analysis}]->(:GOTerm)`` with ``score`` = the assembly-term Jaccard index and ``fdr``
  the enrichment FDR. Proteins whose small assemblies have no enriched GO term only get the name (counted in the
  summary, nothing written: the relationship needs a term);
* unexpected members: for each assembly of fewer than 50 proteins with a best match (``Assembly.bestMatch``, over
  GO-CC, CORUM and HPA), ``MEMBER_OF.unexpected`` = true for members not in the best-matching component and false
  for the others (the component's members as ``known_components`` reads them, GO terms propagated).

Re-running replaces the map's ``PUTATIVE_FUNCTION`` relationships of this analysis and its ``unexpected`` flags.
"""

from __future__ import annotations

import pandas as pd

from ..queries.registry import run_internal
from ..store.base import GraphStore
from .association import MAX_ASSEMBLY_SIZE, MAX_PUBMED, MAX_UNEXPECTED_ASSEMBLY_SIZE, function_by_association
from .association import unexpected_members as find_unexpected
from .graph_io import (
    AnalysisError,
    MissingInputError,
    check_map,
    map_names,
    provenance,
    read_assemblies,
    read_memberships,
)
from .known_components import GO_CC, known_components

ANALYSIS = "association"


def _read_annotation(store: GraphStore, map_name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    best = pd.DataFrame(run_internal(store, "assembly-best-matches", map=map_name),
                        columns=["assembly", "bestMatch", "bestJaccard"])
    if best.empty:
        raise MissingInputError(f"map {map_name}: assemblies are not annotated; run `cellmap-kg analyze annotation` "
                            "first (the association analysis reads ENRICHED_FOR and Assembly.bestMatch)")
    enriched = pd.DataFrame(run_internal(store, "assembly-enrichments", map=map_name),
                            columns=["assembly", "resource", "term", "jaccard", "fdr"])
    return enriched, best


def associate_map(store: GraphStore, map_name: str, max_pubmed: int = MAX_PUBMED,
                  max_assembly_size: int = MAX_ASSEMBLY_SIZE,
                  max_unexpected_size: int = MAX_UNEXPECTED_ASSEMBLY_SIZE) -> dict:
    """Write putative functions and unexpected-member flags for one map (see module docstring).

    Returns ``{"putativeFunctions" (relationships written), "proteins" (with >= 1), "nameOnlyProteins",
    "withoutPubmedCount", "unexpected" (members flagged true), "expected" (false), "assembliesChecked"}``.
    Raises ``MissingInputError`` if the map is unknown or not annotated, ``AnalysisError`` if a relationship could
    not be written.
    """
    check_map(store, map_name)
    enriched, best = _read_annotation(store, map_name)
    memberships = read_memberships(store, map_name)
    names = {a["id"]: a["name"] for a in read_assemblies(store, map_name)}
    proteins = set().union(*memberships.values())
    pubmed = pd.Series({r["symbol"]: r["pubmedCount"] for r in run_internal(
        store, "protein-pubmed-counts", symbols=sorted(proteins))}, dtype=int)

    go_terms = enriched[enriched.resource == GO_CC]
    proposals = function_by_association(memberships, go_terms, pubmed, names, max_pubmed=max_pubmed,
                                        max_assembly_size=max_assembly_size)
    with_term = proposals[proposals.term.notna()]
    stamp = provenance(ANALYSIS, maxPubmed=max_pubmed, maxAssemblySize=max_assembly_size)
    rows = [{"source": r.protein, "target": r.term, "assembly": r.assembly, "assemblyName": r.assemblyName,
             "score": float(r.score), "fdr": float(r.fdr), **stamp} for r in with_term.itertuples(index=False)]
    store.delete_relationships("PUTATIVE_FUNCTION", {"analysis": ANALYSIS, "assembly": list(memberships)})
    written = store.write_relationships("PUTATIVE_FUNCTION", rows)
    if written != len(rows):
        raise AnalysisError(f"PUTATIVE_FUNCTION: wrote {written} of {len(rows)}; a GO term node is missing")

    matched = best[best.bestMatch.notna()]
    components = {term: members for sets in known_components(store, proteins).values()
                  for term, members in sets.items()}
    odd = find_unexpected(memberships, matched, components, max_assembly_size=max_unexpected_size)
    flagged = set(zip(odd.assembly, odd.protein, strict=True))
    checked = [a for a in matched.assembly if len(memberships[a]) < max_unexpected_size]
    flags = [{"source": p, "target": a, "unexpected": (a, p) in flagged} for a in checked for p in memberships[a]]
    store.clear_properties("MEMBER_OF", ("unexpected",), target_where={"map": map_name})
    set_flags = store.write_relationships("MEMBER_OF", flags, merge=True)
    if set_flags != len(flags):
        raise AnalysisError(f"MEMBER_OF.unexpected: set {set_flags} of {len(flags)} flags")
    name_only = set(proposals.protein) - set(with_term.protein)
    return {"putativeFunctions": written, "proteins": int(with_term.protein.nunique()),
            "nameOnlyProteins": len(name_only), "withoutPubmedCount": len(proposals.attrs["withoutPubmedCount"]),
            "unexpected": len(flagged), "expected": len(flags) - len(flagged), "assembliesChecked": len(checked)}


def associate(store: GraphStore, maps: list[str] | None = None, **options) -> dict:
    """Run ``associate_map`` on ``maps`` (default: every map in the graph); returns ``{map: summary}``."""
    return {m: associate_map(store, m, **options) for m in (maps or map_names(store))}
