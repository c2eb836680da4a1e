"""Affinity-purification / immunoprecipitation mass spectrometry: baits, preys and ``PULLED_DOWN`` relationships.

Sources and files (see ``SOURCES.md``):

* OpenCell (Cho et al. 2022, Science 375:eabi6983), ``opencell/opencell-protein-interactions.csv``: one row per
  (target = bait, interactor = prey) with ``pval`` (the enrichment p-value as -log10 p, Student's t-test on
  triplicate pull-downs), ``enrichment``, ``interaction_stoichiometry`` (prey/bait abundance in the pull-down) and
  ``abundance_stoichiometry`` (prey/bait abundance in the whole cell); and
  ``opencell/opencell-protein-abundance.csv`` (HEK293T RNA TPM, protein concentration in nM, copies per cell).
* BioPlex 3.0 HEK293T (Huttlin et al. 2021, Cell 184:3022), ``bioplex/BioPlex_293T_Network_10K_Dec_2019.tsv``:
  quoted TSV ``GeneA, GeneB`` (Entrez), ``UniprotA, UniprotB, SymbolA, SymbolB, pW, pNI, pInt`` (CompPASS-Plus
  probabilities of wrong identification / non-interaction / interaction). The file lists each pair once; GeneA is
  read as the bait and GeneB as the prey, as the BioPlex Bioconductor package does ("bait and prey relationship
  are represented by directed edges from bait to prey", ccb-hms/BioPlex ``vignettes/BioPlex.Rmd``, which takes
  ``unique(SymbolA)`` as the baits). A pair seen from both sides is one row, so ``Prey`` marks only the B side.
* Cell Mapping Toolkit example (idekerlab/cellmaps_pipeline ``examples/``), ``baitlist.tsv`` (``GeneSymbol,
  GeneID, # Interactors``) and ``edgelist.tsv`` (``GeneID1, Symbol1, GeneID2, Symbol2``): one bait (PIK3CA) and its
  preys, no scores.

Name resolution. BioPlex endpoints resolve by Entrez id, then UniProt, then symbol. OpenCell and the toolkit
example resolve by *name first*, ids only for names that do not resolve, because their ids are not always the named
gene's: an OpenCell prey's ``interactor_ensg_id`` can be another member of the prey's protein group (``ACTN4``
with ACTN2's ENSG00000077522; the first UniProt accession, O43707, is ACTN4), and the toolkit's ``GeneID``
101928739 for PIK3CA is PIK3CA-DT. Each such id is reported (``"... id names another gene (name kept)"``).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadReport, LoadResult, parse_float, read_table
from .collect import UniqueRelationships, resolve_gene
from .symbols import SymbolResolver

OPENCELL_COLUMNS = {"pval": "pValue", "enrichment": "enrichment",
                    "interaction_stoichiometry": "interactionStoichiometry",
                    "abundance_stoichiometry": "abundanceStoichiometry"}
OPENCELL_REQUIRED_SCORES = ("pval", "enrichment")
ABUNDANCE_COLUMNS = {"hek_rna_tpm": "hekRnaTpm", "hek_protein_conc_nm": "hekProteinConcNm",
                     "hek_protein_copy_number": "hekProteinCopyNumber"}
BIOPLEX_SCORES = ("pW", "pNI", "pInt")
PROTEIN_CODING = "protein-coding"
PLACEHOLDER_NAMES = {"", "NAN", "NA", "UNNAMED"}
_EXCEL_DATETIME = re.compile(r"^\d{4}-(\d{2})-(\d{2})(?: 00:00:00)?$")


def clean_name(name: str) -> str | None:
    """A gene name as a file means it: ``None`` for placeholders (``NAN``, ``UNNAMED``, empty), and the
    ``D-Mon`` form of an Excel date-time such as ``2021-03-06 00:00:00`` (``MARCH6`` mangled by Excel, Ziemann et al.
    2016 Genome Biol 17:177), which ``SymbolResolver`` maps back to the gene; other names unchanged.
    """
    name = (name or "").strip()
    if name.upper() in PLACEHOLDER_NAMES:
        return None
    match = _EXCEL_DATETIME.match(name)
    if match:
        return f"{int(match.group(2))}-{calendar.month_abbr[int(match.group(1))]}"
    return name


def resolve_named(resolver: SymbolResolver, report: LoadReport, name: str | None, where: str,
                  **ids: str | int | None) -> str | None:
    """Resolve ``name`` first; fall back to ``ids`` (``entrez``/``ensembl``/``uniprot``) only if it does not resolve.

    ``name`` goes through ``clean_name`` first. When the name resolves and an id names another gene, the id is
    reported as ``report.skip("<id kind> id names another gene (name kept)", ...)``. Returns the approved symbol,
    or ``None`` after ``resolve_gene`` reported an unknown/ambiguous gene.
    """
    ids = {k: v for k, v in ids.items() if v not in (None, "")}
    name = clean_name(name or "")
    if name is None:
        return resolve_gene(resolver, report, None, where=where, **ids)
    by_name = resolver.resolve(name)
    if not by_name.ok:
        return resolve_gene(resolver, report, name, where=where, **ids)
    for kind, value in ids.items():
        by_id = resolver.resolve(**{kind: value})
        if by_id.ok and by_id.symbol != by_name.symbol:
            report.skip(f"{kind} id names another gene (name kept)",
                        f"{name} {value} -> {by_id.symbol} at {where}")
    return by_name.symbol


def _keep_higher(score: str) -> Callable[[dict, dict], None]:
    """Merge rule: a repeated (bait, prey) keeps the whole row with the higher ``score``."""

    def merge(kept: dict, new: dict) -> None:
        if new.get(score) is not None and (kept.get(score) is None or new[score] > kept[score]):
            kept.update(new)

    return merge


def _add_pulled_down(result: LoadResult, pulled: UniqueRelationships) -> None:
    """Add ``PULLED_DOWN`` rows and the ``Bait``/``Prey`` labelled ``Protein`` rows of their endpoints."""
    rows = pulled.rows
    result.add_relationships("PULLED_DOWN", rows)
    baits = sorted({r["source"] for r in rows})
    preys = sorted({r["target"] for r in rows})
    result.add_nodes("Protein", [{"symbol": s} for s in baits], extra_labels=("Bait",))
    result.add_nodes("Protein", [{"symbol": s} for s in preys], extra_labels=("Prey",))


def _pair(pulled: UniqueRelationships, report: LoadReport, bait: str | None, prey: str | None, props: dict,
          where: str, merge: Callable[[dict, dict], None] | None = None) -> None:
    if bait is None or prey is None:
        return  # already reported by the resolver
    if bait == prey:
        report.skip("bait = prey (bait detected in its own pull-down)", f"{bait} at {where}")
        return
    row = {"source": bait, "target": prey, **{k: v for k, v in props.items() if v is not None}}
    pulled.add((bait, prey), row, merge)


# ------------------------------------------------------------------------------------------------------- OpenCell
def load_opencell(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """OpenCell IP-MS interactions (HEK293T, endogenous mNeonGreen-tagged baits; file key ``interactions``) and
    HEK293T abundances (file key ``abundance``).

    Returns ``PULLED_DOWN`` bait -> prey rows with ``pValue`` (-log10 p, as in the file), ``enrichment``,
    ``interactionStoichiometry``, ``abundanceStoichiometry`` (absent where the file has none); ``Protein`` rows
    labelled ``Bait`` / ``Prey``; and ``Protein`` abundance rows (``hekRnaTpm`` TPM, ``hekProteinConcNm`` nM,
    ``hekProteinCopyNumber`` copies per cell).

    Abundance rows are kept for OpenCell baits/preys and for protein-coding genes (NCBI gene type): the build
    creates a ``Protein`` node for every protein-coding gene anyway, so no abundance row makes an otherwise absent
    node; rows for other genes (ncRNA, pseudogenes ...) are skipped and counted, as are rows without any value.

    A (bait, prey) pair named by several rows (different protein groups of one gene) keeps the row with the highest
    ``pValue``; ``bait = prey`` rows are skipped and counted. Raises ``MissingDataError`` / ``DataFormatError``.
    """
    result = LoadResult(source=source.id)
    report = result.report
    path, relative = source.path("interactions"), source.relative("interactions")
    pulled = UniqueRelationships(report, "repeated OpenCell bait-prey pair (row with highest pValue kept)")
    required = ("target_gene_name", "interactor_gene_name", "target_ensg_id", "interactor_ensg_id",
                "interactor_uniprot_ids", *OPENCELL_COLUMNS)
    for line, row in read_table(path, delimiter=",", required=required):
        report.count_read(relative)
        where = f"{path.name}:{line}"
        bait = resolve_named(resolver, report, row["target_gene_name"], where, ensembl=row["target_ensg_id"])
        first_uniprot = row["interactor_uniprot_ids"].split(";")[0].strip()
        prey = resolve_named(resolver, report, row["interactor_gene_name"], where,
                             ensembl=row["interactor_ensg_id"], uniprot=first_uniprot)
        props = {prop: parse_float(row[col], path, line, col, allow_empty=col not in OPENCELL_REQUIRED_SCORES)
                 for col, prop in OPENCELL_COLUMNS.items()}
        for prop, value in props.items():
            if value is not None and not math.isfinite(value):
                # e.g. interaction_stoichiometry = inf where the bait was not quantified in its own pull-down
                report.skip(f"OpenCell {prop} not finite in the file (stored as absent)", f"{where} {value}")
                props[prop] = None
        _pair(pulled, report, bait, prey, props, where, _keep_higher("pValue"))
    _add_pulled_down(result, pulled)
    interactors = {r["source"] for r in pulled.rows} | {r["target"] for r in pulled.rows}
    result.add_nodes("Protein", read_opencell_abundance(source.path("abundance"), source.relative("abundance"),
                                                        resolver, report, interactors))
    return result.finalise(source.id)


def read_opencell_abundance(path: Path, name: str, resolver: SymbolResolver, report: LoadReport,
                            keep: set[str]) -> list[dict]:
    """``Protein`` rows ``{symbol, hekRnaTpm, hekProteinConcNm, hekProteinCopyNumber}`` from the abundance table.

    Rows read are counted in ``report`` under ``name`` (the file's declared path, relative to the data directory).

    Genes resolve by Ensembl id, then UniProt, then name. A row is kept if its symbol is in ``keep`` or is a
    protein-coding gene; others are skipped and counted, as are rows with no value. Several rows resolving to one
    symbol (e.g. ``AC011476.10`` ... whose Ensembl ids NCBI gives to NCR1) keep the row named by the gene itself,
    else the first, and are counted.
    """
    rows = UniqueRelationships(report, "repeated gene in OpenCell abundance table (the gene's own row kept)")
    own_rows: set[str] = set()
    required = ("gene_name", "ensg_id", "uniprot_id", *ABUNDANCE_COLUMNS)
    for line, row in read_table(path, delimiter=",", required=required):
        report.count_read(name)
        where = f"{path.name}:{line}"
        symbol = resolve_gene(resolver, report, row["gene_name"], ensembl=row["ensg_id"] or None,
                              uniprot=row["uniprot_id"] or None, where=where)
        if symbol is None:
            continue
        gene_type = resolver.genes.get(symbol, {}).get("geneType")
        if symbol not in keep and gene_type != PROTEIN_CODING:
            report.skip("abundance of a gene neither OpenCell bait/prey nor protein-coding",
                        f"{symbol} ({gene_type}) at {where}")
            continue
        values = {prop: parse_float(row[col], path, line, col) for col, prop in ABUNDANCE_COLUMNS.items()}
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            report.skip("abundance row without any value", where)
            continue
        own = resolver.resolve(row["gene_name"]).symbol == symbol

        def prefer_own(kept: dict, new: dict, own: bool = own, symbol: str = symbol) -> None:
            if own and symbol not in own_rows:
                kept.clear()
                kept.update(new)

        rows.add(symbol, {"symbol": symbol, **values}, prefer_own)
        if own:
            own_rows.add(symbol)
    return rows.rows


# ------------------------------------------------------------------------------------------------------- BioPlex
def load_bioplex(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """BioPlex 3.0 HEK293T (file key ``interactions``): ``PULLED_DOWN`` GeneA (bait) -> GeneB (prey) with ``pW``,
    ``pNI``, ``pInt``.

    Endpoints resolve by Entrez id, then UniProt accession (``UNKNOWN`` ignored), then symbol; unresolved rows are
    skipped and counted. Two rows resolving to one (bait, prey) keep the higher ``pInt``; a row whose two ends
    resolve to one gene is skipped as ``bait = prey``. Raises ``MissingDataError`` / ``DataFormatError``.
    """
    result = LoadResult(source=source.id)
    report = result.report
    path = source.path("interactions")
    pulled = UniqueRelationships(report, "two BioPlex rows resolving to one bait-prey pair (higher pInt kept)")
    required = ("GeneA", "GeneB", "UniprotA", "UniprotB", "SymbolA", "SymbolB", *BIOPLEX_SCORES)
    for line, row in read_table(path, required=required):
        report.count_read(path.name)
        where = f"{path.name}:{line}"
        ends = []
        for side in ("A", "B"):
            uniprot = row[f"Uniprot{side}"]
            ends.append(resolve_gene(resolver, report, row[f"Symbol{side}"], entrez=row[f"Gene{side}"],
                                     uniprot=None if uniprot in ("", "UNKNOWN") else uniprot, where=where))
        scores = {s: parse_float(row[s], path, line, s, allow_empty=False) for s in BIOPLEX_SCORES}
        _pair(pulled, report, ends[0], ends[1], scores, where, _keep_higher("pInt"))
    _add_pulled_down(result, pulled)
    return result.finalise(source.id)


# ------------------------------------------------------------------------------------------ Cell Mapping Toolkit
def load_cellmaps_pipeline_apms(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """The Cell Mapping Toolkit example AP-MS input (file keys ``baits``, ``edges``): ``PULLED_DOWN`` bait -> prey
    rows without scores.

    Every ``Symbol1`` of ``edgelist.tsv`` must be a bait of ``baitlist.tsv`` (else ``DataFormatError``). Repeated
    (bait, prey) rows are collapsed and counted (the example's 2,783 rows name 1,009 preys).
    """
    result = LoadResult(source=source.id)
    report = result.report
    baits_path, edges_path = source.path("baits"), source.path("edges")
    baits: dict[str, int] = {}
    for line, row in read_table(baits_path, required=("GeneSymbol", "GeneID")):
        report.count_read(baits_path.name)
        bait = row["GeneSymbol"].strip()
        if bait in baits:
            raise DataFormatError(baits_path, line, f"GeneSymbol: expected each bait once, found {bait!r} again "
                                                    f"(first on line {baits[bait]})")
        baits[bait] = line
    pulled = UniqueRelationships(report, "repeated bait-prey row in edgelist.tsv")
    for line, row in read_table(edges_path, required=("GeneID1", "Symbol1", "GeneID2", "Symbol2")):
        report.count_read(edges_path.name)
        where = f"{edges_path.name}:{line}"
        if row["Symbol1"].strip() not in baits:
            raise DataFormatError(edges_path, line, f"Symbol1: expected a bait of {baits_path.name} "
                                                    f"{sorted(baits)}, found {row['Symbol1']!r}")
        bait = resolve_named(resolver, report, row["Symbol1"], where, entrez=row["GeneID1"])
        prey = resolve_named(resolver, report, row["Symbol2"], where, entrez=row["GeneID2"])
        _pair(pulled, report, bait, prey, {}, where)
    _add_pulled_down(result, pulled)
    return result.finalise(source.id)
