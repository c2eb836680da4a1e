"""Assembly annotation on the graph: enrichment of every assembly for GO-CC, CORUM and HPA components.

Reads each map's memberships and the known components of its proteins (``known_components``), tests every
assembly against every component of each resource with ``enrichment.enrich`` (one-sided hypergeometric
``hypergeom.sf(x - 1, M, n, N)``, BH over the whole assembly x component matrix of the resource, background ``M`` =
proteins of the map annotated in the resource) and keeps ``enrichment.significant`` pairs (FDR < 0.01 and
Jaccard >= 0.10, or Jaccard 1; Cell Mapping Toolkit rule with the U2OS paper's FDR). Writes:

* ``(:Assembly)-[:ENRICHED_FOR {resource, overlap, pValue, fdr, jaccard, background, maxFdr, minJaccard,
  minTermSize, dataset, analysis}]->(:GOTerm | :Complex | :Compartment)`` per accepted pair;
* ``Assembly.bestMatch`` (key of the component with the highest Jaccard over the three resources, ties by lower
  FDR), ``bestJaccard`` (0 without a match) and ``annotationCategory`` (known J >= 0.5, variant 0.2 <= J < 0.5,
  novel otherwise; Schaffer et al. 2025 report 41 / 90 / 144 of 275).

Every assembly is tested, the root included (as the toolkit does); category counts in the summary leave the root
out. Re-running replaces the map's previous annotation.
"""

from __future__ import annotations

import pandas as pd

from ..store.base import GraphStore
from .enrichment import MAX_FDR, MIN_JACCARD, MIN_TERM_SIZE, best_matches, enrich, significant
from .graph_io import (
    AnalysisError,
    check_map,
    clear_properties,
    clear_relationships,
    map_names,
    provenance,
    read_assemblies,
    read_memberships,
)
from .known_components import HPA_RELIABILITY, RESOURCE_LABELS, known_components

ANALYSIS = "annotation"
CATEGORIES = ("known", "variant", "novel")
BEST_PROPERTIES = ("bestMatch", "bestJaccard", "annotationCategory")


def accepted_enrichments(memberships: dict[str, set[str]], components: dict[str, dict[str, set[str]]],
                         max_fdr: float = MAX_FDR, min_jaccard: float = MIN_JACCARD,
                         min_term_size: int = MIN_TERM_SIZE) -> tuple[pd.DataFrame, dict[str, int]]:
    """Accepted (assembly, component) pairs of every resource, with a ``resource`` and a ``background`` column.

    Args:
        memberships: assembly -> members (``A`` assemblies of one map).
        components: ``{resource: {component: members}}`` (``known_components``).
    Returns:
        ``(pairs, backgrounds)``: pairs with ``enrichment.ENRICHMENT_COLUMNS`` + ``resource``, ``background``;
        ``backgrounds`` = resource -> ``M`` for each resource tested (resources with an empty background, i.e.
        not loaded or annotating no protein of the map, are absent).
    """
    frames, backgrounds = [], {}
    for resource, terms in components.items():
        try:
            df = enrich(memberships, terms, min_term_size=min_term_size)
        except ValueError:                                   # empty background: resource absent for this map
            continue
        backgrounds[resource] = int(df.attrs["background"])
        kept = significant(df, max_fdr, min_jaccard)
        frames.append(kept.assign(resource=resource, background=backgrounds[resource]))
    if not frames:
        return pd.DataFrame(columns=["assembly", "term", "overlap", "pValue", "fdr", "jaccard", "resource",
                                     "background"]), backgrounds
    return pd.concat(frames, ignore_index=True), backgrounds


def _enriched_rows(pairs: pd.DataFrame, stamp: dict) -> list[dict]:
    return [{"source": r.assembly, "target": r.term, "resource": r.resource, "overlap": int(r.overlap),
             "pValue": float(r.pValue), "fdr": float(r.fdr), "jaccard": float(r.jaccard),
             "background": int(r.background), **stamp} for r in pairs.itertuples(index=False)]


def annotate_map(store: GraphStore, map_name: str, max_fdr: float = MAX_FDR, min_jaccard: float = MIN_JACCARD,
                 min_term_size: int = MIN_TERM_SIZE, hpa_reliability: tuple[str, ...] = HPA_RELIABILITY) -> dict:
    """Annotate the assemblies of one map and write the results (see module docstring).

    Returns ``{"assemblies", "enrichedFor": {resource: pairs written}, "background": {resource: M}, "known",
    "variant", "novel"}`` (categories counted without the root). Raises ``AnalysisError`` for an unknown map or
    if a relationship could not be written (missing component node).
    """
    check_map(store, map_name)
    memberships = read_memberships(store, map_name)
    proteins = set().union(*memberships.values())
    components = known_components(store, proteins, hpa_reliability)
    pairs, backgrounds = accepted_enrichments(memberships, components, max_fdr, min_jaccard, min_term_size)
    best = best_matches(pairs, list(memberships))

    clear_relationships(store, "ENRICHED_FOR", ANALYSIS, map_name)
    clear_properties(store, "Assembly", BEST_PROPERTIES, map_name)
    stamp = provenance(ANALYSIS, maxFdr=max_fdr, minJaccard=min_jaccard, minTermSize=min_term_size)
    written = {}
    for resource, group in pairs.groupby("resource", sort=True):
        rows = _enriched_rows(group, stamp)
        n = store.write_relationships("ENRICHED_FOR", rows, target_label=RESOURCE_LABELS[resource])
        if n != len(rows):
            raise AnalysisError(f"ENRICHED_FOR ({resource}): wrote {n} of {len(rows)}; a component node is missing")
        written[resource] = n
    store.write_nodes("Assembly", [
        {"id": r.assembly, "bestMatch": r.bestMatch, "bestJaccard": float(r.bestJaccard),
         "annotationCategory": r.annotationCategory} for r in best.itertuples(index=False)])

    roots = {a["id"] for a in read_assemblies(store, map_name) if a["isRoot"]}
    counts = best[~best.assembly.isin(roots)].annotationCategory.value_counts()
    return {"assemblies": len(memberships), "enrichedFor": written, "background": backgrounds,
            **{c: int(counts.get(c, 0)) for c in CATEGORIES}}


def annotate_assemblies(store: GraphStore, maps: list[str] | None = None, **options) -> dict:
    """Run ``annotate_map`` on ``maps`` (default: every map in the graph); returns ``{map: summary}``."""
    return {m: annotate_map(store, m, **options) for m in (maps or map_names(store))}
