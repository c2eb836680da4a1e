"""The paediatric pan-cancer cohort of Groebner, Worst et al. 2018 (Nature 555:321; 961 tumours, 24 tumour types).

Files (TSV extracts of the paper's Supplementary Tables, see ``SOURCES.md``):

* ``groebner2018_S2_samples.tsv`` (S_Table2): ``Sample, Cancer Type, Subgroup, Type`` (Primary/Relapse),
  ``Age`` (years), ``Gender``, ``Sequencing Type`` (WES/WGS), ... one row per tumour.
* ``groebner2018_S3_mutation_counts.tsv`` (S_Table3): ``Sample, Cancer Type, SNVs, Indels, Total Mutations Per Mb``.
* ``groebner2018_S9_smg_mutation_matrix.tsv`` (S_Table9): ``Gene, Biological Process``, then one column per tumour
  (879 tumours) with the number of non-silent SNVs/indels in each of the 77 significantly mutated genes. Excel
  turned numeric sample ids and counts into floats (``4112512.0``, ``1.0``); ``excel_id``/``parse_int`` undo it.
* ``groebner2018_S21_lfe_matrix.tsv`` (S_Table21): gene x WGS tumour (540) likely functional events, ``M`` =
  mutation, ``SC`` = structural/copy-number variant, ``0`` = none, blank = not assessed (one tumour, H049-5XQV,
  is blank throughout). Gene names were written by R: ``OTX2.AS1`` is ``OTX2-AS1`` (``make.names``), retried with
  ``-``; ``CDKN2AB`` (the 9p21.3 CDKN2A/CDKN2B deletion locus of S_Table20, not one gene) and ``*_clust``
  (breakpoint clusters) do not name one gene and are reported unresolved, never guessed.

Graph rows: ``Tumour`` (all 961, ``mutationProfiled`` = in S_Table9), ``TumourType`` (``tumourCount`` = tumours of
the type in S_Table2), ``OF_TYPE``; one ``Mutation`` per (tumour, gene, kind) with ``HAS_MUTATION`` and
``AFFECTS``. An SNV/indel reported by both S_Table9 (count > 0) and S_Table21 (``M``) is one ``Mutation``.

No subset of S_Table2 found here gives the 772 tumours of Schaffer et al. 2025: all tumours are loaded.
"""

from __future__ import annotations

from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadReport, LoadResult, excel_id, parse_float, parse_int, read_table
from .collect import UniqueRelationships, resolve_gene
from .symbols import SymbolResolver

COHORT = "Groebner2018"

SNV_INDEL = "non-silent SNV/indel"
STRUCTURAL = "structural/copy-number"
LFE_KINDS = {"M": SNV_INDEL, "SC": STRUCTURAL}
S2_COLUMNS = ("Sample", "Cancer Type", "Subgroup", "Type", "Age", "Gender", "Sequencing Type")
S3_COLUMNS = ("Sample", "Cancer Type", "SNVs", "Indels", "Total Mutations Per Mb")


def mutation_id(tumour: str, gene: str, kind: str) -> str:
    """The ``Mutation`` key ``"<tumour>:<gene>:<kind>"``, e.g. ``4112512:SMARCA4:non-silent SNV/indel``."""
    return f"{tumour}:{gene}:{kind}"


def _text(value: str) -> str | None:
    value = (value or "").strip()
    return value or None


def read_samples(path: Path) -> dict[str, dict]:
    """``Tumour`` rows by id from S_Table2 (``id, cohort, tumourType, subgroup, type, ageYears, sex, sequencing``).

    Raises ``DataFormatError`` for a missing column, an empty sample id or cancer type, a repeated sample, or an
    age that is not a number.
    """
    tumours: dict[str, dict] = {}
    for line, row in read_table(path, required=S2_COLUMNS):
        sample = excel_id(row["Sample"])
        if not sample or not row["Cancer Type"].strip():
            raise DataFormatError(path, line, "expected a Sample id and a Cancer Type")
        if sample in tumours:
            raise DataFormatError(path, line, f"expected each sample once, found {sample} again")
        tumour = {"id": sample, "cohort": COHORT, "tumourType": row["Cancer Type"].strip(),
                  "subgroup": _text(row["Subgroup"]), "type": _text(row["Type"]),
                  "ageYears": parse_float(row["Age"], path, line, "Age"), "sex": _text(row["Gender"]),
                  "sequencing": _text(row["Sequencing Type"])}
        tumours[sample] = {k: v for k, v in tumour.items() if v is not None}
    return tumours


def add_mutation_counts(path: Path, tumours: dict[str, dict], report: LoadReport) -> None:
    """Set ``snvCount``, ``indelCount``, ``mutationsPerMb`` from S_Table3 on ``tumours`` (in place).

    A sample absent from S_Table2 is skipped and counted. Raises ``DataFormatError`` for a non-numeric count or a
    cancer type differing from S_Table2.
    """
    for line, row in read_table(path, required=S3_COLUMNS):
        report.count_read(path.name)
        sample = excel_id(row["Sample"])
        tumour = tumours.get(sample)
        if tumour is None:
            report.skip("S_Table3 sample not in S_Table2", f"{sample} at {path.name}:{line}")
            continue
        if row["Cancer Type"].strip() != tumour["tumourType"]:
            raise DataFormatError(path, line, f"{sample}: Cancer Type {row['Cancer Type']!r} differs from S_Table2 "
                                              f"({tumour['tumourType']!r})")
        counts = {"snvCount": parse_int(row["SNVs"], path, line, "SNVs"),
                  "indelCount": parse_int(row["Indels"], path, line, "Indels"),
                  "mutationsPerMb": parse_float(row["Total Mutations Per Mb"], path, line, "Total Mutations Per Mb")}
        tumour.update({k: v for k, v in counts.items() if v is not None})


class MutationRows:
    """``Mutation`` rows keyed by ``id``, with their ``HAS_MUTATION`` (tumour -> mutation) and ``AFFECTS``
    (mutation -> protein) rows. A repeated id is kept once and counted in the report under ``reason``.
    """

    def __init__(self, report: LoadReport, reason: str):
        self._rows = UniqueRelationships(report, reason)

    def add(self, row: dict) -> None:
        """Add a ``Mutation`` row (needs ``id``, ``gene``, ``tumour``)."""
        self._rows.add(row["id"], row)

    def add_to(self, result: LoadResult) -> None:
        """Append the ``Mutation``, ``HAS_MUTATION`` and ``AFFECTS`` batches to ``result``."""
        rows = self._rows.rows
        result.add_nodes("Mutation", rows)
        result.add_relationships("HAS_MUTATION", [{"source": r["tumour"], "target": r["id"]} for r in rows])
        result.add_relationships("AFFECTS", [{"source": r["id"], "target": r["gene"]} for r in rows])


def _event(tumour: str, gene: str, kind: str) -> dict:
    return {"id": mutation_id(tumour, gene, kind), "kind": kind, "gene": gene, "tumour": tumour}


def _matrix_samples(path: Path, header: list[str], tumours: dict[str, dict], report: LoadReport) -> list[str | None]:
    """Tumour ids of a matrix's sample columns (``None`` for a column whose sample is not in S_Table2, counted)."""
    samples: list[str | None] = []
    for column in header:
        sample = excel_id(column)
        if sample in tumours:
            samples.append(sample)
        else:
            report.skip(f"{path.name} column not a sample of S_Table2", column)
            samples.append(None)
    return samples


def _gene(resolver: SymbolResolver, report: LoadReport, name: str, where: str) -> str | None:
    """Resolve a gene name of the supplementary tables; an R-mangled ``A.B`` is retried as ``A-B``."""
    if not resolver.resolve(name).ok and "." in name and resolver.resolve(name.replace(".", "-")).ok:
        name = name.replace(".", "-")
    return resolve_gene(resolver, report, name, where=where)


def read_smg_matrix(path: Path, tumours: dict[str, dict], resolver: SymbolResolver, report: LoadReport,
                    mutations: MutationRows) -> set[str]:
    """Add one ``non-silent SNV/indel`` per (tumour, gene) with a count > 0 in S_Table9; returns the profiled tumours.

    Raises ``DataFormatError`` for a count that is not a non-negative integer.
    """
    rows = list(read_table(path, required=("Gene", "Biological Process")))
    if not rows:
        raise DataFormatError(path, 2, "expected one row per significantly mutated gene, found none")
    header = [c for c in rows[0][1] if c not in ("Gene", "Biological Process")]
    samples = _matrix_samples(path, header, tumours, report)
    for line, row in rows:
        report.count_read(path.name)
        gene = row["Gene"].strip()
        for column, sample in zip(header, samples, strict=True):
            count = parse_int(row[column], path, line, column, allow_empty=False)
            if count < 0:
                raise DataFormatError(path, line, f"column {column!r}: expected a mutation count >= 0, found {count}")
            if count == 0 or sample is None:
                continue
            symbol = _gene(resolver, report, gene, f"{path.name}:{line} ({sample})")
            if symbol:
                mutations.add(_event(sample, symbol, SNV_INDEL))
    return {s for s in samples if s is not None}


def read_lfe_matrix(path: Path, tumours: dict[str, dict], resolver: SymbolResolver, report: LoadReport,
                    mutations: MutationRows) -> None:
    """Add the S_Table21 likely functional events (``M`` -> SNV/indel, ``SC`` -> structural/copy-number).

    Blank cells (not assessed) are counted in the report. Raises ``DataFormatError`` for any other value.
    """
    rows = list(read_table(path, required=("Gene",)))
    header = [c for c in rows[0][1] if c != "Gene"] if rows else []
    samples = _matrix_samples(path, header, tumours, report)
    for line, row in rows:
        report.count_read(path.name)
        gene = row["Gene"].strip()
        for column, sample in zip(header, samples, strict=True):
            value = row[column].strip()
            if value == "0":
                continue
            if value == "":
                report.skip("S_Table21 cell blank (event not assessed)", f"{column} {gene}")
                continue
            kind = LFE_KINDS.get(value)
            if kind is None:
                raise DataFormatError(path, line, f"column {column!r}: expected M, SC, 0 or blank, found {value!r}")
            if sample is None:
                continue
            symbol = _gene(resolver, report, gene, f"{path.name}:{line} ({sample}, {value})")
            if symbol:
                mutations.add(_event(sample, symbol, kind))


def load_groebner2018(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """The Groebner 2018 cohort: 961 ``Tumour``, 24 ``TumourType``, their ``OF_TYPE`` and the tumours' mutations.

    Files (keys of the source): ``samples`` (S_Table2), ``mutation_counts`` (S_Table3), ``smg_matrix``
    (S_Table9), ``lfe_matrix`` (S_Table21).

    ``Mutation`` ids are ``"<tumour>:<gene>:<kind>"`` with ``kind`` ``non-silent SNV/indel`` (S_Table9 count > 0 or
    S_Table21 ``M``) or ``structural/copy-number`` (S_Table21 ``SC``). Unresolvable gene names (e.g. ``CDKN2AB``)
    are skipped and counted per event. Raises ``MissingDataError`` / ``DataFormatError``.
    """
    result = LoadResult(source=source.id)
    report = result.report
    samples = source.path("samples")
    tumours = read_samples(samples)
    report.count_read(samples.name, len(tumours))
    add_mutation_counts(source.path("mutation_counts"), tumours, report)
    mutations = MutationRows(report, "(tumour, gene, kind) reported twice, e.g. an SNV/indel in both S_Table9 "
                                     "and S_Table21 (one Mutation kept)")
    profiled = read_smg_matrix(source.path("smg_matrix"), tumours, resolver, report, mutations)
    read_lfe_matrix(source.path("lfe_matrix"), tumours, resolver, report, mutations)
    for sample, tumour in tumours.items():
        tumour["mutationProfiled"] = sample in profiled
    result.add_nodes("Tumour", list(tumours.values()))

    counts: dict[str, int] = {}
    for tumour in tumours.values():
        counts[tumour["tumourType"]] = counts.get(tumour["tumourType"], 0) + 1
    result.add_nodes("TumourType", [{"name": name, "cohort": COHORT, "tumourCount": n}
                                    for name, n in sorted(counts.items())])
    result.add_relationships("OF_TYPE", [{"source": t["id"], "target": t["tumourType"]} for t in tumours.values()])
    mutations.add_to(result)
    return result.finalise(source.id)
