"""Known components of a set of proteins, read from the graph: GO cellular component, CORUM and HPA.

The three references of the Cell Mapping Toolkit's hierarchy evaluation (Schaffer et al., Nature 2025, Methods
"Annotation of assemblies"), each as ``component key -> member symbols`` restricted to the given proteins:

* ``GO-CC``: ``(:Protein)-[:ANNOTATED_WITH {aspect: 'C'}]->(:GOTerm)`` (NCBI gene2go), each annotation propagated
  to every ancestor along ``IS_A`` and ``PART_OF`` (the true-path rule; done with networkx on the cellular-component
  edges, not with unbounded Cypher). Annotations whose only evidence code is ``ND`` ("no biological data", made to
  the root term) are left out, and so are obsolete terms. Keys are GO ids (``GOTerm.id``).
* ``CORUM``: ``(:Protein)-[:SUBUNIT_OF]->(:Complex)``; keys ``Complex.id`` (``CORUM:<ComplexID>``).
* ``HPA``: ``(:Protein)-[:LOCALIZES_TO {dataset: 'hpa-subcellular-v21'}]->(:Compartment)``, main and additional
  locations with a reliability in ``hpa_reliability`` (default: all but ``Uncertain``); keys ``Compartment.name``.

``RESOURCE_LABELS`` gives the node label of each resource's components (the ``ENRICHED_FOR`` target label).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..queries.registry import run_internal
from ..sources import source
from ..store.base import GraphStore

GO_CC, CORUM, HPA = "GO-CC", "CORUM", "HPA"
RESOURCES = (GO_CC, CORUM, HPA)
RESOURCE_LABELS = {GO_CC: "GOTerm", CORUM: "Complex", HPA: "Compartment"}
"""Label of the component nodes of each resource."""
HPA_DATASET = source("hpa-subcellular-v21").id
"""The HPA source's dataset id (checked against ``sources.yaml`` on import)."""
HPA_RELIABILITY = ("Enhanced", "Supported", "Approved")
"""HPA reliabilities kept by default (``Uncertain`` locations are not evidence of a component)."""
NO_DATA_EVIDENCE = "ND"


def _group(rows: Iterable[dict]) -> dict[str, set[str]]:
    return {row["term"]: set(row["proteins"]) for row in rows}


def go_cc_sets(store: GraphStore, proteins: set[str]) -> dict[str, set[str]]:
    """GO id -> proteins of ``proteins`` annotated to the term or to any of its descendants (see module)."""
    symbols = sorted(proteins)
    direct = _group(run_internal(store, "go-cc-annotations", symbols=symbols, noData=NO_DATA_EVIDENCE))
    dag = nx.DiGraph((r["child"], r["parent"]) for r in run_internal(store, "go-cc-edges"))
    sets: dict[str, set[str]] = {}
    for term, members in direct.items():
        above = nx.descendants(dag, term) if term in dag else set()      # edges point child -> parent
        for target in above | {term}:
            sets.setdefault(target, set()).update(members)
    return sets


def corum_sets(store: GraphStore, proteins: set[str]) -> dict[str, set[str]]:
    """CORUM complex id -> its subunits among ``proteins``."""
    return _group(run_internal(store, "corum-subunits", symbols=sorted(proteins)))


def hpa_sets(store: GraphStore, proteins: set[str], reliability: tuple[str, ...] = HPA_RELIABILITY,
             ) -> dict[str, set[str]]:
    """HPA compartment name -> proteins of ``proteins`` located there (main or additional, given reliabilities)."""
    return _group(run_internal(store, "compartment-proteins", symbols=sorted(proteins), dataset=HPA_DATASET,
                               reliability=list(reliability)))


def known_components(store: GraphStore, proteins: set[str], hpa_reliability: tuple[str, ...] = HPA_RELIABILITY,
                     ) -> dict[str, dict[str, set[str]]]:
    """``{resource: {component key: member symbols}}`` for ``RESOURCES``, restricted to ``proteins``.

    A resource with no annotated protein maps to an empty dict (its data set was not loaded).
    """
    return {GO_CC: go_cc_sets(store, proteins), CORUM: corum_sets(store, proteins),
            HPA: hpa_sets(store, proteins, hpa_reliability)}
