"""TCGA per-gene mutation scores of 13 cohorts (HiSig/NeST input): TumourType-[:MUTATION_SCORE {score}]->Protein.

Files ``hisig/tcga_scores/<cohort>.score.txt`` (fanzheng10/HiSig ``examples/nest/score/``): no header,
tab-separated ``gene, score``, one line per gene (18,853 genes, the same list in every cohort). The score is the
per-gene mutation score that HiSig regresses on the systems of a hierarchy (Zheng et al. 2021, Science
374:eabf3067); it is 0 for most genes (e.g. 14,398 of 18,853 in BLCA).

Stored: only genes with score > 0. A zero score is not stored and is counted in the report as
``"zero score (not stored)"``; an absent MUTATION_SCORE therefore means score 0, and the full score vector of a
cohort is recoverable as {stored genes: score, every other gene: 0}.

Scores are stored to ``SCORE_DIGITS`` (15) significant digits: the files give 3-decimal scores with binary noise
(``0.14800000000000002``, 448 of the 1,766 distinct values carry 16-17 digits), and FalkorDB returns a double with
15 significant digits (FalkorDB issue #312) where Neo4j returns it bit for bit. Rounded once here, both stores hold
and return the same values, so the TCGA HiSig fits see identical inputs on both backends (and a fit cached by a build
into one is reused by a build into the other, ``analyses.hisig_cache``).
"""

from __future__ import annotations

import math
from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, read_frame
from .collect import UniqueRelationships, keep_max, resolve_gene
from .symbols import SymbolResolver

SCORE_SUFFIX = ".score.txt"
"""HiSig score files are named ``<cohort>.score.txt``."""
COLUMNS = ("gene", "score")
SCORE_DIGITS = 15
"""Significant digits of a stored score: what both backends return alike (see the module docstring)."""


def cohort_of(path: Path | str) -> str:
    """The TCGA cohort of a HiSig score file: ``.../brca.score.txt`` -> ``"brca"``.

    Raises ``ValueError`` for a file name that does not end with ``.score.txt``.
    """
    name = Path(path).name
    if not name.endswith(SCORE_SUFFIX):
        raise ValueError(f"{path}: expected a HiSig score file named <cohort>{SCORE_SUFFIX}")
    return name.removesuffix(SCORE_SUFFIX)


def tumour_type_name(cohort: str) -> str:
    """The ``TumourType`` name of a TCGA cohort file stem: ``"brca"`` -> ``"TCGA-BRCA"``."""
    return f"TCGA-{cohort.upper()}"


def _score(text: str, path: Path, line: int) -> float:
    """The score of one line, to ``SCORE_DIGITS`` significant digits. Raises ``DataFormatError`` if not finite."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise DataFormatError(path, line, f"column 'score': expected a finite number, found {text!r}")
    return float(f"{value:.{SCORE_DIGITS}g}")


def load_tcga_scores(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``TumourType {name: "TCGA-<COHORT>", cohort: "TCGA"}`` nodes and ``MUTATION_SCORE {score}`` relationships.

    One cohort per file of the source's ``scores`` group (``<cohort>.score.txt``), in declaration order.

    One relationship per (cohort, protein) with score > 0 (see the module docstring for the zero-score rule);
    genes resolve by symbol; a protein named twice in one cohort (two names of one gene) keeps the higher score
    and is counted. Negative scores, unexpected in HiSig input, are not stored either and are counted separately.

    Raises:
        MissingDataError: a cohort file is absent.
        DataFormatError: a line without exactly two fields or a score that is not a finite number.
    """
    result = LoadResult(source.id)
    report = result.report
    tumour_types = []
    scores = UniqueRelationships(report, "gene named twice in a cohort (higher score kept)")
    higher_score = keep_max("score")
    for path, relative in zip(source.paths("scores"), source.relatives("scores"), strict=True):
        tumour_type = tumour_type_name(cohort_of(path))
        tumour_types.append({"name": tumour_type, "cohort": "TCGA"})
        frame = read_frame(path, names=COLUMNS)
        report.count_read(relative, len(frame))
        for gene, text, line in zip(*(frame[c].tolist() for c in (*COLUMNS, "line")), strict=True):
            score = _score(text, path, line)
            if score <= 0:
                report.skip("zero score (not stored)" if score == 0 else "negative score (not stored)",
                            f"{tumour_type}:{gene}")
                continue
            symbol = resolve_gene(resolver, report, gene, where=f"{path.name}:{line}")
            if symbol is not None:
                row = {"source": tumour_type, "target": symbol, "score": score}
                scores.add((tumour_type, symbol), row, higher_score)
    result.add_nodes("TumourType", tumour_types)
    result.add_relationships("MUTATION_SCORE", scores.rows)
    return result.finalise(source.id)
