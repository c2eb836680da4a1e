"""U2OS MUSE co-embedding proximity network: Protein-[:PROXIMAL_TO {cosine}]->Protein.

File ``u2os_hidef_2022/U2OS_5183_MUSE_batch_hard_percthre_0.2.tsv`` (wadeschulz/cellmaps_hierarchyeval_experimental
``Example/``): no header, tab-separated ``geneA, geneB, cosine``; the top 0.2% most similar protein pairs of the
5,183-protein U2OS co-embedding (image + AP-MS, MUSE), the input of HiDeF community detection (Schaffer et al. 2025).
"""

from __future__ import annotations

import math
from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, read_frame
from .collect import UniqueRelationships, keep_max, resolve_gene
from .symbols import SymbolResolver

COLUMNS = ("geneA", "geneB", "cosine")


def _cosine(text: str, path: Path, line: int) -> float:
    """A cosine similarity in [-1, 1], else ``DataFormatError``."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not -1.0 <= value <= 1.0:
        raise DataFormatError(path, line, f"column 'cosine': expected a number in [-1, 1], found {text!r}")
    return value


def load_u2os_coembedding(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``PROXIMAL_TO {cosine}`` relationships, one per unordered protein pair (file key ``network``).

    The relation is symmetric: each pair is stored once with ``source < target`` (approved symbols, string
    order); a pair listed twice (in either order, or through two names of one gene) keeps its highest cosine and
    is counted; a pair whose two names resolve to one protein is skipped and counted, as are unresolved names.

    Raises:
        MissingDataError: the file is absent.
        DataFormatError: a line without exactly three fields or a cosine outside [-1, 1].
    """
    path = source.path("network")
    result = LoadResult(source.id)
    report = result.report
    frame = read_frame(path, names=COLUMNS)
    report.count_read(source.relative("network"), len(frame))
    pairs = UniqueRelationships(report, "pair listed twice (highest cosine kept)")
    highest_cosine = keep_max("cosine")
    for gene_a, gene_b, text, line in zip(*(frame[c].tolist() for c in (*COLUMNS, "line")), strict=True):
        cosine = _cosine(text, path, line)
        where = f"{path.name}:{line}"
        a = resolve_gene(resolver, report, gene_a, where=where)
        b = resolve_gene(resolver, report, gene_b, where=where)
        if a is None or b is None:
            continue
        if a == b:
            report.skip("self-pair (both names resolve to one protein)", f"{gene_a}-{gene_b} at {where}")
            continue
        low, high = sorted((a, b))
        pairs.add((low, high), {"source": low, "target": high, "cosine": cosine}, highest_cosine)
    result.add_relationships("PROXIMAL_TO", pairs.rows)
    return result.finalise(source.id)
