"""Function by association: what the map says about poorly characterized proteins and unexpected members.

Schaffer et al., Nature 2025 (Results "Functions for uncharacterized proteins", Methods "Annotation of
assemblies") assign putative functions to proteins from the assemblies they fall in: a protein with little
literature that sits in a small assembly inherits the assembly's name and its enriched components; conversely,
members of a small assembly that are absent from the assembly's best-matching known component (GO-CC, CORUM, HPA)
are candidate new members of that component.

Definitions used here:

* poorly characterized: ``pubmedCount <= 10`` articles (NCBI gene2pubmed via org.Hs.eg.db 2022-09-12, column
  ``n_pubmed``);
* a proposal is made for each assembly of fewer than 25 proteins that contains the protein: the assembly's name
  and each accepted enrichment term (``enrichment.significant``) of that assembly;
* proposal ``score`` = Jaccard index between the assembly and the term (0-1): how completely the term describes
  the assembly the protein was found in, comparable across terms of any size and independent of the number of
  tests (the FDR is reported alongside); a name-only proposal (no accepted term) has score NaN;
* unexpected members: members of an assembly of fewer than 50 proteins not annotated to its best match.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..loaders.base import parse_int, read_table

MAX_PUBMED = 10
"""Proteins with at most this many PubMed articles are poorly characterized."""
MAX_ASSEMBLY_SIZE = 25
"""Function is transferred only from assemblies with fewer proteins than this."""
MAX_UNEXPECTED_ASSEMBLY_SIZE = 50
"""Unexpected members are looked for in assemblies with fewer proteins than this."""

PROPOSAL_COLUMNS = ["protein", "pubmedCount", "assembly", "assemblySize", "assemblyName", "term", "termName",
                    "jaccard", "fdr", "score"]
UNEXPECTED_COLUMNS = ["assembly", "assemblySize", "bestMatch", "bestJaccard", "protein", "annotatedInResource"]


def read_pubmed_counts(path: Path) -> pd.Series:
    """Symbol -> PubMed article count from the org.Hs.eg.db gene table (``symbol``, ``gene_type``, ``n_pubmed``).

    A symbol on several rows (104 in the 2022-09-12 table) takes its protein-coding rows if any, then the largest
    count (a protein is only called poorly characterized if every record of it is). Raises MissingDataError or
    DataFormatError (missing column, non-integer count).
    """
    records: dict[str, tuple[bool, int]] = {}
    for line, row in read_table(Path(path), required=("symbol", "gene_type", "n_pubmed")):
        count = parse_int(row["n_pubmed"], path, line, "n_pubmed", allow_empty=False)
        key = (row["gene_type"] == "protein-coding", count)
        symbol = row["symbol"].strip()
        if symbol not in records or key > records[symbol]:
            records[symbol] = key
    return pd.Series({s: c for s, (_, c) in records.items()}, name="pubmedCount", dtype=int)


def poorly_characterized(pubmed_counts: pd.Series, max_pubmed: int = MAX_PUBMED) -> set[str]:
    """Symbols with ``pubmedCount <= max_pubmed``."""
    return set(pubmed_counts.index[pubmed_counts.to_numpy() <= max_pubmed])


def function_by_association(memberships: Mapping[str, set[str]], accepted: pd.DataFrame, pubmed_counts: pd.Series,
                            assembly_names: Mapping[str, str] | None = None,
                            term_names: Mapping[str, str] | None = None, max_pubmed: int = MAX_PUBMED,
                            max_assembly_size: int = MAX_ASSEMBLY_SIZE) -> pd.DataFrame:
    """Putative functions of poorly characterized proteins from the small assemblies that contain them.

    Args:
        memberships: assembly -> member proteins.
        accepted: accepted enrichment pairs (``enrichment.significant`` output, one resource or several
            concatenated), columns ``assembly``, ``term``, ``jaccard``, ``fdr``.
        pubmed_counts: symbol -> PubMed articles (``read_pubmed_counts``); members without a count are skipped
            and counted in ``attrs['withoutPubmedCount']``.
        assembly_names: assembly -> name (e.g. the GPT-4 names); term_names: term -> name.

    Returns:
        ``PROPOSAL_COLUMNS``, one row per (protein, assembly, accepted term), or one row with ``term`` None when
        the assembly has no accepted term; sorted by protein, then decreasing score. ``score`` = ``jaccard``
        (see module docstring), NaN for name-only rows.
    """
    poor = poorly_characterized(pubmed_counts, max_pubmed)
    by_assembly = {a: g.sort_values(["jaccard", "fdr"], ascending=[False, True]) for a, g in
                   accepted.groupby("assembly", sort=False)}
    names = assembly_names or {}
    labels = term_names or {}
    rows, no_count = [], set()
    for assembly, members in memberships.items():
        if len(members) >= max_assembly_size:
            continue
        no_count |= {m for m in members if m not in pubmed_counts.index}
        terms = by_assembly.get(assembly)
        for protein in sorted(members & poor):
            base = {"protein": protein, "pubmedCount": int(pubmed_counts[protein]), "assembly": assembly,
                    "assemblySize": len(members), "assemblyName": names.get(assembly)}
            if terms is None or terms.empty:
                rows.append({**base, "term": None, "termName": None, "jaccard": np.nan, "fdr": np.nan,
                             "score": np.nan})
                continue
            for term, jaccard, fdr in terms[["term", "jaccard", "fdr"]].itertuples(index=False):
                rows.append({**base, "term": term, "termName": labels.get(term), "jaccard": float(jaccard),
                             "fdr": float(fdr), "score": float(jaccard)})
    out = pd.DataFrame(rows, columns=PROPOSAL_COLUMNS)
    out = out.sort_values(["protein", "score", "assembly"], ascending=[True, False, True], na_position="last",
                          kind="stable").reset_index(drop=True)
    out.attrs["withoutPubmedCount"] = sorted(no_count)
    return out


def unexpected_members(memberships: Mapping[str, set[str]], best: pd.DataFrame, terms: Mapping[str, set[str]],
                       background: set[str] | None = None,
                       max_assembly_size: int = MAX_UNEXPECTED_ASSEMBLY_SIZE) -> pd.DataFrame:
    """Members of small assemblies that their best-matching known component does not list.

    Args:
        memberships: assembly -> member proteins.
        best: ``enrichment.best_matches`` output (``assembly``, ``bestMatch``, ``bestJaccard``); assemblies whose
            ``bestMatch`` is None are skipped.
        terms: term id -> genes, for every term that can be a best match (all resources used in ``best``).
        background: proteins annotated in the resource(s); ``annotatedInResource`` tells whether an unexpected
            member has any annotation there (False: simply unannotated; True: annotated elsewhere). Default: the
            union of ``terms``.

    Returns:
        ``UNEXPECTED_COLUMNS``, one row per (assembly, unexpected protein), sorted by assembly and protein.

    Raises:
        KeyError: a best match is not a key of ``terms``.
    """
    annotated = background if background is not None else set().union(*terms.values()) if terms else set()
    rows = []
    for assembly, match, jaccard in best[["assembly", "bestMatch", "bestJaccard"]].itertuples(index=False):
        members = memberships.get(assembly, set())
        if match is None or (isinstance(match, float) and np.isnan(match)) or len(members) >= max_assembly_size:
            continue
        if match not in terms:
            raise KeyError(f"best match {match!r} of {assembly} is not among the given terms")
        for protein in sorted(members - terms[match]):
            rows.append({"assembly": assembly, "assemblySize": len(members), "bestMatch": match,
                         "bestJaccard": float(jaccard), "protein": protein,
                         "annotatedInResource": protein in annotated})
    out = pd.DataFrame(rows, columns=UNEXPECTED_COLUMNS)
    return out.sort_values(["assembly", "protein"], kind="stable").reset_index(drop=True)
