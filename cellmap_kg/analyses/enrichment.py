"""Assembly annotation: hypergeometric enrichment of each assembly for known components (GO-CC, CORUM, HPA).

The rule is the Cell Mapping Toolkit's hierarchy evaluation (``cellmaps_hierarchyeval``, runner
``_enrichment_test``), used to annotate the U2OS cell map (Schaffer et al., Nature 2025, Methods "Annotation of
assemblies"):

* background ``M`` = proteins of the map annotated in the resource (map genes that appear in any of its terms);
* each term is restricted to the background; terms with fewer than ``min_term_size`` (4) background genes are
  not tested;
* for an assembly with ``N`` background genes and a term with ``n`` background genes sharing ``x`` genes,
  ``p = hypergeom.sf(x - 1, M, n, N)`` (one-sided, P[X >= x]) and ``jaccard = x / |assembly U term|``;
* Benjamini-Hochberg FDR over the whole assembly x term matrix (every assembly, every tested term, including
  pairs with no overlap, whose p is 1);
* a pair is accepted if ``jaccard == 1`` or (``jaccard >= min_jaccard`` and ``fdr < max_fdr``); the toolkit's
  defaults are 0.10 and 0.05, the paper used FDR 0.01 (``significant`` defaults);
* an assembly is ``known`` (best accepted Jaccard >= 0.5), ``variant`` (0.2 <= J < 0.5) or ``novel`` (J < 0.2 or
  no accepted match); the paper reports 41 / 90 / 144 of its 275 assemblies.

All statistics come from ``scipy.stats`` (``hypergeom``, ``false_discovery_control``); overlaps are one sparse
matrix product, so 270 assemblies x 4,000 terms take well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import false_discovery_control, hypergeom

from ..loaders.base import DataFormatError, parse_int, require
from ..loaders.cellmap import read_hidef_nodes

MIN_TERM_SIZE = 4
"""Terms with fewer background genes are not tested (Cell Mapping Toolkit ``MIN_COMP_SIZE``)."""
MAX_FDR = 0.01
"""FDR threshold of the U2OS map annotation (Schaffer et al. 2025); the toolkit default is 0.05."""
MIN_JACCARD = 0.10
"""Minimum Jaccard index of an accepted match (Cell Mapping Toolkit ``MIN_JACCARD_INDEX``)."""
KNOWN_JACCARD = 0.5
"""Best Jaccard at or above which an assembly is ``known`` (Schaffer et al. 2025)."""
VARIANT_JACCARD = 0.2
"""Best Jaccard at or above which (and below ``KNOWN_JACCARD``) an assembly is a ``variant``."""

ENRICHMENT_COLUMNS = ["assembly", "term", "overlap", "assemblySize", "termSize", "pValue", "fdr", "jaccard"]
BEST_COLUMNS = ["assembly", "bestMatch", "bestJaccard", "bestFdr", "annotationCategory"]


def _indicator(sets: list[set[str]], index: Mapping[str, int]) -> sparse.csr_matrix:
    """Binary ``(len(sets), len(index))`` matrix: row i marks the members of ``sets[i]`` that ``index`` holds."""
    rows, cols = [], []
    for i, members in enumerate(sets):
        hits = [index[g] for g in members if g in index]
        rows.extend([i] * len(hits))
        cols.extend(hits)
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), len(index)))


def default_background(assemblies: Mapping[str, set[str]], terms: Mapping[str, set[str]]) -> set[str]:
    """Proteins of the map annotated in the resource: ``union(assemblies) & union(terms)`` (toolkit rule)."""
    in_map = set().union(*assemblies.values()) if assemblies else set()
    annotated = set().union(*terms.values()) if terms else set()
    return in_map & annotated


def enrich(assemblies: Mapping[str, set[str]], terms: Mapping[str, set[str]], background: set[str] | None = None,
           min_term_size: int = MIN_TERM_SIZE) -> pd.DataFrame:
    """Test every assembly against every term of one resource (hypergeometric, BH over the full matrix).

    Args:
        assemblies: assembly id -> member genes (``A`` assemblies; HiDeF memberships, root included if wanted).
        terms: term id -> annotated genes (``T`` terms of one resource, e.g. GO-CC).
        background: the universe ``M``; default ``default_background`` (map proteins annotated in the resource).
            Assemblies and terms are intersected with it.
        min_term_size: terms with fewer background genes are dropped before testing (not counted as tests).

    Returns:
        One row per (assembly, term) pair with overlap >= 1, columns ``ENRICHMENT_COLUMNS``: ``overlap`` = x,
        ``assemblySize`` = N and ``termSize`` = n (both counted within the background), ``pValue`` (one-sided
        hypergeometric), ``fdr`` (BH over all ``A x T'`` tests, ``T'`` = terms kept), ``jaccard`` in [0, 1].
        Sorted by assembly, then fdr. ``df.attrs`` holds ``tests`` (A x T'), ``background`` (M) and
        ``termsTested`` (T').

    Raises:
        ValueError: the background is empty (no map protein is annotated in the resource).
    """
    if background is None:
        background = default_background(assemblies, terms)
    if not background:
        raise ValueError("enrichment background is empty: no protein of the map is annotated in the resource")
    genes = sorted(background)
    index = {g: i for i, g in enumerate(genes)}
    assembly_ids = list(assemblies)
    term_ids = [t for t in terms if sum(g in index for g in terms[t]) >= min_term_size]

    a_matrix = _indicator([assemblies[a] for a in assembly_ids], index)      # (A, M)
    t_matrix = _indicator([terms[t] for t in term_ids], index)               # (T', M)
    overlap = (a_matrix @ t_matrix.T).tocoo()                                # (A, T') sparse, x >= 1 only
    a_sizes = np.asarray(a_matrix.sum(axis=1)).ravel()
    t_sizes = np.asarray(t_matrix.sum(axis=1)).ravel()

    x = overlap.data
    big_n = a_sizes[overlap.row]
    small_n = t_sizes[overlap.col]
    p_values = hypergeom.sf(x - 1, len(genes), small_n, big_n)

    n_tests = len(assembly_ids) * len(term_ids)
    all_p = np.ones(n_tests)                                                 # pairs with x = 0 have p = 1
    flat = overlap.row * len(term_ids) + overlap.col
    all_p[flat] = p_values
    fdr = false_discovery_control(all_p, method="bh")[flat] if n_tests else np.array([])

    df = pd.DataFrame({
        "assembly": np.asarray(assembly_ids, dtype=object)[overlap.row] if len(x) else [],
        "term": np.asarray(term_ids, dtype=object)[overlap.col] if len(x) else [],
        "overlap": x.astype(int),
        "assemblySize": big_n.astype(int),
        "termSize": small_n.astype(int),
        "pValue": p_values,
        "fdr": fdr,
        "jaccard": x / (big_n + small_n - x),
    }, columns=ENRICHMENT_COLUMNS)
    df = df.sort_values(["assembly", "fdr", "term"], kind="stable").reset_index(drop=True)
    df.attrs.update(tests=n_tests, background=len(genes), termsTested=len(term_ids))
    return df


def significant(df: pd.DataFrame, max_fdr: float = MAX_FDR, min_jaccard: float = MIN_JACCARD) -> pd.DataFrame:
    """Accepted matches: ``jaccard == 1`` or (``jaccard >= min_jaccard`` and ``fdr < max_fdr``) (toolkit rule)."""
    keep = (df["jaccard"] >= 1.0) | ((df["jaccard"] >= min_jaccard) & (df["fdr"] < max_fdr))
    return df[keep].reset_index(drop=True)


def annotation_category(best_jaccard: float | Iterable[float]) -> str | np.ndarray:
    """``known`` (J >= 0.5), ``variant`` (0.2 <= J < 0.5) or ``novel`` (J < 0.2) (Schaffer et al. 2025).

    A scalar gives a ``str``; an array-like gives an object array of the same shape. NaN (no match) is ``novel``.
    """
    values = np.asarray(best_jaccard, dtype=float)
    values = np.where(np.isnan(values), 0.0, values)
    labels = np.select([values >= KNOWN_JACCARD, values >= VARIANT_JACCARD], ["known", "variant"], "novel")
    return str(labels) if labels.ndim == 0 else labels.astype(object)


def best_matches(df: pd.DataFrame, assemblies: Iterable[str] | None = None) -> pd.DataFrame:
    """Each assembly's best match in ``df``: highest Jaccard, ties broken by lower FDR, then term id.

    Pass the accepted pairs (``significant(enrich(...))``), possibly concatenated over resources. ``assemblies``
    lists every assembly to report: those without a row in ``df`` get ``bestMatch`` None, ``bestJaccard`` 0 and
    category ``novel``.

    Returns:
        Columns ``BEST_COLUMNS``, one row per assembly, in the order of ``assemblies`` (else sorted).
    """
    ranked = df.sort_values(["assembly", "jaccard", "fdr", "term"], ascending=[True, False, True, True],
                            kind="stable")
    best = ranked.drop_duplicates("assembly").set_index("assembly")
    order = list(assemblies) if assemblies is not None else sorted(best.index)
    out = pd.DataFrame({"assembly": order})
    out["bestMatch"] = pd.Series([best["term"].get(a) for a in order], dtype=object)  # None, not NaN, if unmatched
    out["bestJaccard"] = [float(best["jaccard"].get(a, 0.0)) for a in order]
    out["bestFdr"] = [float(best["fdr"][a]) if a in best.index else np.nan for a in order]
    out["annotationCategory"] = annotation_category(out["bestJaccard"].to_numpy()) if order else []
    return out[BEST_COLUMNS]


def read_term_table(path: Path) -> dict[str, set[str]]:
    """Read a termStats table: ``term <TAB> size <TAB> comma-separated genes`` (no header; trailing comma allowed).

    Format of MuSIC ``data/GO_CC_human_no_hpa.txt`` (Qin et al. 2021). Returns term -> genes.

    Raises:
        MissingDataError: the file does not exist.
        DataFormatError: a line has not 3 fields, the size is not an integer or differs from the gene count,
            or a term repeats.
    """
    terms: dict[str, set[str]] = {}
    with open(require(Path(path)), encoding="utf-8") as fh:
        for line, text in enumerate(fh, 1):
            if not text.strip():
                continue
            fields = text.rstrip("\r\n").split("\t")
            if len(fields) != 3:
                raise DataFormatError(path, line, f"expected 3 fields (term, size, genes), found {len(fields)}")
            term = fields[0].strip()
            if term in terms:
                raise DataFormatError(path, line, f"term {term} is listed twice")
            size = parse_int(fields[1], path, line, "size", allow_empty=False)
            genes = {g.strip() for g in fields[2].split(",") if g.strip()}
            if size != len(genes):
                raise DataFormatError(path, line, f"term {term}: size column says {size}, found {len(genes)} genes")
            terms[term] = genes
    return terms


def annotate_files(nodes_file: Path, terms_file: Path, out_file: Path, best_file: Path | None = None,
                   max_fdr: float = MAX_FDR, min_jaccard: float = MIN_JACCARD,
                   min_term_size: int = MIN_TERM_SIZE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Annotate a HiDeF hierarchy with a termStats resource and write the results as TSV.

    Args:
        nodes_file: HiDeF ``.nodes`` file (all assemblies are tested, the root included, as in the toolkit).
        terms_file: termStats table (``read_term_table``), e.g. ``music_v1/GO_CC_human_no_hpa.txt``.
        out_file: accepted pairs, columns ``assembly, term, overlap, pValue, fdr, jaccard``.
        best_file: each assembly's best match and category (``BEST_COLUMNS``); default
            ``<out_file stem>.best.tsv`` next to ``out_file``.

    Returns:
        ``(accepted pairs, best matches)`` as written.

    Raises:
        MissingDataError / DataFormatError from the readers; ValueError for an empty background.
    """
    nodes = read_hidef_nodes(Path(nodes_file))
    assemblies = {n.cluster_id: set(n.genes) for n in nodes}
    terms = read_term_table(Path(terms_file))
    accepted = significant(enrich(assemblies, terms, min_term_size=min_term_size), max_fdr, min_jaccard)
    best = best_matches(accepted, assemblies)
    out_file = Path(out_file)
    best_file = Path(best_file) if best_file else out_file.with_name(out_file.stem + ".best.tsv")
    accepted[["assembly", "term", "overlap", "pValue", "fdr", "jaccard"]].to_csv(out_file, sep="\t", index=False)
    best.to_csv(best_file, sep="\t", index=False)
    return accepted, best
