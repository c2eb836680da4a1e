"""Ma et al. 2018 (St. Jude / TARGET) paediatric driver genes: TumourType-[:DRIVER_GENE]->Protein.

Ma, X. et al. "Pan-cancer genome and transcriptome analyses of 1,699 paediatric leukaemias and solid tumours",
Nature 555:371-376 (2018), Supplementary Table 2, read from the published workbook
(``pediatric_cancer/41586_2018_BFnature25795_MOESM5_ESM.xlsx``, sheet ``TableS2``; its two header rows are
joined as ``group | column``, as in the shared flattened copy ``ma2018_S2_driver_genes.tsv``): 142 driver genes,
each with GRIN and MutSigCV q-values per tumour type (B-ALL, T-ALL, AML, NBL, WT, OS and pan-cancer) and its
number of samples with a pathogenic or likely pathogenic (P/LP) alteration per tumour type and in total.

Stored: one ``TumourType {name: 'Ma2018-<type>', cohort: 'Ma2018'}`` per tumour type (``Ma2018-pan-cancer`` for the
whole cohort: q-values of ``PanCancer``, samples of ``Total``) and ``(:TumourType)-[:DRIVER_GENE {pathogenicSamples,
qGrin, qMutSigCV}]->(:Protein)`` for each gene and type with at least one P/LP sample or a q-value below 1; other
(gene, type) pairs (no P/LP sample and q = 1 in both tests) are counted as skipped. The HiSig analysis forms the
gene signal of a type from ``pathogenicSamples`` (docs/analyses.md).

Not loaded: ``ma2018_S4_pathogenic_mutations.tsv`` (184 additional pathogenic mutations) and
``ma2018_S5_ase_mutations.tsv`` (2,477 mutations of 443 patients tested for allele-specific expression) are subsets
of the tumours' mutations, not complete per-tumour lists, so tumour-level frequencies computed from them would be
wrong; the per-type P/LP counts of Table 2 are the complete figure.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, require
from .collect import UniqueRelationships, keep_max, resolve_gene
from .symbols import SymbolResolver

SHEET = "TableS2"
HEADER_ROWS = (3, 4)
"""0-based sheet rows of the two-row header (group, then column); the rows above are the title."""
COHORT = "Ma2018"
GENE = "Gene Name"
TUMOUR_TYPES = {          # name in TumourType -> (column suffix of the q-values, column suffix of the P/LP counts)
    "B-ALL": ("BALL", "B-ALL"), "T-ALL": ("TALL", "T-ALL"), "AML": ("AML", "AML"), "NBL": ("NBL", "NBL"),
    "WT": ("WT", "WT"), "OS": ("OS", "OS"), "pan-cancer": ("PanCancer", "Total"),
}
Q_GRIN, Q_MUTSIGCV, SAMPLES = "qvalue (GRIN) | ", "qvalue (MutSigCV) | ", "Sample Counts (P/LP) | "


def tumour_type_name(tumour_type: str) -> str:
    """``TumourType.name`` of a Ma 2018 tumour type: ``"B-ALL"`` -> ``"Ma2018-B-ALL"``."""
    return f"{COHORT}-{tumour_type}"


def _columns(tumour_type: str) -> tuple[str, str, str]:
    q_suffix, count_suffix = TUMOUR_TYPES[tumour_type]
    return Q_GRIN + q_suffix, Q_MUTSIGCV + q_suffix, SAMPLES + count_suffix


def read_driver_genes(path: Path) -> pd.DataFrame:
    """Sheet ``TableS2`` of the Ma 2018 workbook as a frame with columns ``group | column`` and ``line`` (the
    1-based sheet row). Rows without a gene name (the notes under the table) are dropped.

    Raises MissingDataError (absent file) or DataFormatError (no such sheet).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*extension is not supported.*")
        try:
            raw = pd.read_excel(require(path), sheet_name=SHEET, header=None)
        except ValueError as exc:
            raise DataFormatError(path, None, f"expected a sheet {SHEET!r}: {exc}") from None
    groups = raw.iloc[HEADER_ROWS[0]].ffill()
    columns = [f"{g} | {c}" if isinstance(c, str) else str(g)
               for g, c in zip(groups, raw.iloc[HEADER_ROWS[1]], strict=True)]
    table = raw.iloc[HEADER_ROWS[1] + 1:].copy()
    table.columns = columns
    table["line"] = table.index + 1
    return table[table[GENE].map(lambda v: isinstance(v, str) and v.strip() != "")].reset_index(drop=True)


def _number(value, path: Path, line: int, column: str, low: float, high: float, expected: str) -> float:
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
    if not low <= number <= high:
        raise DataFormatError(path, line, f"column {column!r}: expected {expected}, found {value!r}")
    return float(number)


def load_ma2018(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``TumourType {cohort: 'Ma2018'}`` nodes and ``DRIVER_GENE {pathogenicSamples, qGrin, qMutSigCV}`` from sheet
    ``TableS2`` of the workbook (file key ``workbook``).

    Genes resolve by symbol (unresolved ones are counted); a protein named twice keeps the larger sample count.

    Raises:
        MissingDataError: the table is absent.
        DataFormatError: no sheet ``TableS2``, a missing column (file, header row), a q-value outside [0, 1] or
            a sample count that is not a whole number >= 0 (file, sheet row, column).
    """
    path = source.path("workbook")
    frame = read_driver_genes(path)
    missing = [c for c in (GENE, *(c for t in TUMOUR_TYPES for c in _columns(t))) if c not in frame.columns]
    if missing:
        raise DataFormatError(path, HEADER_ROWS[1] + 1, f"sheet {SHEET}: expected columns {missing}")
    result = LoadResult(source.id)
    report = result.report
    report.count_read(f"{source.relative('workbook')} {SHEET}", len(frame))
    drivers = UniqueRelationships(report, "gene named twice (larger sample count kept)")
    larger = keep_max("pathogenicSamples")
    for record in frame.to_dict("records"):
        line = record["line"]
        symbol = resolve_gene(resolver, report, record[GENE].strip(), where=f"{path.name}:{SHEET}:{line}")
        for tumour_type in TUMOUR_TYPES:
            grin, mutsig, samples = _columns(tumour_type)
            count = _number(record[samples], path, line, samples, 0, math.inf, "a sample count >= 0")
            if count != int(count):
                raise DataFormatError(path, line, f"column {samples!r}: expected a whole count, found {count}")
            count = int(count)
            q_grin = _number(record[grin], path, line, grin, 0.0, 1.0, "a q-value in [0, 1]")
            q_mutsig = _number(record[mutsig], path, line, mutsig, 0.0, 1.0, "a q-value in [0, 1]")
            name = tumour_type_name(tumour_type)
            if count == 0 and q_grin == 1.0 and q_mutsig == 1.0:
                report.skip("no P/LP sample and q = 1 in the tumour type (not stored)", f"{name}:{record[GENE]}")
                continue
            if symbol is not None:
                row = {"source": name, "target": symbol, "pathogenicSamples": count, "qGrin": q_grin,
                       "qMutSigCV": q_mutsig}
                drivers.add((name, symbol), row, larger)
    result.add_nodes("TumourType", [{"name": tumour_type_name(t), "cohort": COHORT} for t in TUMOUR_TYPES])
    result.add_relationships("DRIVER_GENE", drivers.rows)
    return result.finalise(source.id)
