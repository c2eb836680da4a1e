"""Somatic mutations from a MAF file (cBioPortal ``data_mutations*.txt`` / GDC MAF), non-silent variants only.

Format (GDC MAF specification; cBioPortal "Mutation data" file format): tab-separated, optional ``#`` comment
lines (e.g. ``#version 2.4``) before the header line. Columns read: ``Hugo_Symbol``, ``Tumor_Sample_Barcode``,
``Variant_Classification`` (required); ``Entrez_Gene_Id`` (optional, ``0`` = unknown) and ``HGVSp_Short``
(optional, e.g. ``p.R132H``).

Non-silent classes kept (``NON_SILENT_CLASSES``): the protein-altering Variant_Classification values that
cBioPortal and the TCGA/MutSig convention count as non-synonymous: ``Frame_Shift_Del``, ``Frame_Shift_Ins``,
``In_Frame_Del``, ``In_Frame_Ins``, ``Missense_Mutation``, ``Nonsense_Mutation``, ``Nonstop_Mutation``,
``Splice_Site``, ``Translation_Start_Site``. Schaffer et al. 2025 (Nature) analysed non-silent mutations of
paediatric tumours; their exact class list could not be consulted here, so this standard set is used. Every other
class (``Silent``, ``Intron``, ``3'UTR``, ``Splice_Region`` ...) is skipped and counted by class.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from .base import DataFormatError, LoadResult, check_text
from .collect import resolve_gene
from .symbols import SymbolResolver
from .tumours import MutationRows

NON_SILENT_CLASSES = frozenset({
    "Frame_Shift_Del", "Frame_Shift_Ins", "In_Frame_Del", "In_Frame_Ins", "Missense_Mutation",
    "Nonsense_Mutation", "Nonstop_Mutation", "Splice_Site", "Translation_Start_Site",
})
MAF_REQUIRED = ("Hugo_Symbol", "Tumor_Sample_Barcode", "Variant_Classification")
NON_SILENT_KIND = "non-silent SNV/indel"


def maf_mutation_id(tumour: str, gene: str, variant_class: str, protein_change: str | None) -> str:
    """``"<tumour>:<gene>:<Variant_Classification>:<HGVSp_Short>"`` (the last part empty when the MAF has none)."""
    return f"{tumour}:{gene}:{variant_class}:{protein_change or ''}"


def _maf_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield ``(line, row dict)`` after the ``#`` comment lines; the first other line is the header.

    Raises ``DataFormatError`` for a missing header, a missing required column (named) or a row with more fields
    than the header.
    """
    check_text(path, "a MAF header line")
    with open(path, newline="", encoding="utf-8") as fh:
        header_line = 0
        while True:
            text = fh.readline()
            header_line += 1
            if not text:
                raise DataFormatError(path, header_line, "expected a MAF header line, found the end of the file")
            if not text.startswith("#"):
                break
        header = [h.strip() for h in text.rstrip("\r\n").split("\t")]
        missing = [c for c in MAF_REQUIRED if c not in header]
        if missing:
            raise DataFormatError(path, header_line, f"expected MAF column(s) {missing} in the header, found {header}")
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for fields in reader:
            line = header_line + reader.line_num
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) > len(header):
                raise DataFormatError(path, line, f"expected {len(header)} fields, found {len(fields)}")
            yield line, dict(zip(header, fields + [""] * (len(header) - len(fields)), strict=True))


def read_maf(path: Path, resolver: SymbolResolver, cohort: str, dataset_id: str) -> LoadResult:
    """Read the non-silent mutations of a MAF file into ``Tumour``/``Mutation`` rows of ``cohort``.

    Args:
        path: the MAF file.
        resolver: gene resolution (``Entrez_Gene_Id`` first when non-zero, then ``Hugo_Symbol``).
        cohort: the ``Tumour.cohort`` value, e.g. ``"TARGET-OS"``.
        dataset_id: the ``LoadResult`` source and the ``dataset`` of every relationship.

    Returns ``Tumour`` rows ``{id: Tumor_Sample_Barcode, cohort}`` for every tumour the MAF names (also those with
    only silent mutations: they were profiled),
    ``Mutation`` rows ``{id, kind: "non-silent SNV/indel", variantClassification, proteinChange, gene, tumour}``
    (one per id, repeats counted), ``HAS_MUTATION`` tumour -> mutation and ``AFFECTS`` mutation -> protein.

    Raises:
        MissingDataError: the file does not exist.
        DataFormatError: a required column is missing (named), a row has too many fields, or a row has an empty
            ``Tumor_Sample_Barcode`` / ``Variant_Classification``.
    """
    path = Path(path)
    result = LoadResult(source=dataset_id)
    report = result.report
    tumours: dict[str, dict] = {}
    mutations = MutationRows(report, "repeated MAF mutation (same tumour, gene, class, protein change)")
    for line, row in _maf_rows(path):
        report.count_read(path.name)
        where = f"{path.name}:{line}"
        barcode = row["Tumor_Sample_Barcode"].strip()
        variant_class = row["Variant_Classification"].strip()
        for column, value in (("Tumor_Sample_Barcode", barcode), ("Variant_Classification", variant_class)):
            if not value:
                raise DataFormatError(path, line, f"column {column!r}: expected a value, found an empty field")
        tumours.setdefault(barcode, {"id": barcode, "cohort": cohort})
        if variant_class not in NON_SILENT_CLASSES:
            report.skip(f"not non-silent: {variant_class}", where)
            continue
        entrez = row.get("Entrez_Gene_Id", "").strip()
        gene = resolve_gene(resolver, report, row["Hugo_Symbol"].strip(),
                            entrez=None if entrez in ("", "0") else entrez, where=where)
        if gene is None:
            continue
        protein_change = row.get("HGVSp_Short", "").strip() or None
        mutation = {"id": maf_mutation_id(barcode, gene, variant_class, protein_change), "kind": NON_SILENT_KIND,
                    "variantClassification": variant_class, "gene": gene, "tumour": barcode}
        if protein_change:
            mutation["proteinChange"] = protein_change
        mutations.add(mutation)
    result.add_nodes("Tumour", list(tumours.values()))
    mutations.add_to(result)
    return result.finalise(dataset_id)
