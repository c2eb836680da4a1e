"""CORUM human protein complexes (release 28.11.2022): ``Complex`` nodes and Protein-[:SUBUNIT_OF]->Complex.

File ``corum/humanComplexes_28112022.txt``: tab-separated, one complex per line (3,684), header line 1. The
subunit columns ``subunits(UniProt IDs)``, ``subunits(Entrez IDs)`` and ``subunits(Gene name)`` are ``;``-separated
and aligned position by position, with ``None`` for a missing id. In 65 complexes the Entrez list is *not* aligned
(empty items, e.g. ``3840;;3837`` for two subunits); there the Entrez ids are ignored (counted in the report) and
the subunits resolve by UniProt accession and gene name. The UniProt list is the subunit list.
"""

from __future__ import annotations

from ..sources import SourceFiles
from .base import DataFormatError, LoadReport, LoadResult, parse_int, read_table
from .collect import UniqueRelationships, resolve_gene
from .symbols import SymbolResolver

ORGANISM = "Human"
UNIPROT, ENTREZ, GENE = "subunits(UniProt IDs)", "subunits(Entrez IDs)", "subunits(Gene name)"
COLUMNS = ("ComplexID", "ComplexName", "Organism", "Cell line", UNIPROT, ENTREZ,
           "Protein complex purification method", "PubMed ID", GENE)
MISSING = ("", "None")


def _value(text: str) -> str | None:
    """A CORUM field, ``None`` for the file's ``None``/empty placeholder."""
    text = text.strip()
    return None if text in MISSING else text


def _aligned(row: dict, column: str, n: int, report: LoadReport, complex_id: str) -> list[str | None]:
    """The ``;``-separated items of ``column`` if there is one per subunit, else ``n`` Nones (reported)."""
    items = [_value(x) for x in row[column].split(";")]
    if len(items) == n:
        return items
    report.skip(f"{column} not aligned with {UNIPROT} (ignored for the complex)",
                f"{complex_id}: {n} subunits, {len(items)} items")
    return [None] * n


def load_corum(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``Complex`` nodes and ``SUBUNIT_OF`` relationships from CORUM (file key ``complexes``).

    Rows: ``Complex {id: "CORUM:<ComplexID>", name, cellLine, purificationMethod, pubmedId}`` (``None``
    placeholders left out); ``SUBUNIT_OF {source: approved symbol, target: complex id}``, one per (protein,
    complex). Each subunit resolves by Entrez id, then UniProt accession (isoform suffix ignored), then gene name;
    unresolved subunits, non-Human complexes and a subunit listed twice (e.g. two isoforms) are counted.

    Raises:
        MissingDataError: the file is absent.
        DataFormatError: a missing column, a non-integer or repeated ComplexID, or an empty UniProt list.
    """
    path, relative = source.path("complexes"), source.relative("complexes")
    result = LoadResult(source.id)
    report = result.report
    complexes: list[dict] = []
    first_line: dict[int, int] = {}
    subunits = UniqueRelationships(report, "subunit listed twice in a complex (kept once)")
    for line, row in read_table(path, required=COLUMNS):
        report.count_read(relative)
        number = parse_int(row["ComplexID"], path, line, "ComplexID", allow_empty=False)
        if number in first_line:
            raise DataFormatError(path, line, f"column 'ComplexID': expected a unique id, {number} is also on "
                                              f"line {first_line[number]}")
        first_line[number] = line
        complex_id = f"CORUM:{number}"
        if row["Organism"].strip() != ORGANISM:
            report.skip(f"organism is not {ORGANISM}", f"{complex_id} ({row['Organism']})")
            continue
        uniprots = [_value(x) for x in row[UNIPROT].split(";")]
        if not any(uniprots):
            raise DataFormatError(path, line, f"column {UNIPROT!r}: expected ';'-separated UniProt accessions, "
                                              f"found {row[UNIPROT]!r}")
        entrez_ids = _aligned(row, ENTREZ, len(uniprots), report, complex_id)
        genes = _aligned(row, GENE, len(uniprots), report, complex_id)
        complexes.append({key: value for key, value in (
            ("id", complex_id), ("name", _value(row["ComplexName"])), ("cellLine", _value(row["Cell line"])),
            ("purificationMethod", _value(row["Protein complex purification method"])),
            ("pubmedId", _value(row["PubMed ID"]))) if value is not None})
        for uniprot, entrez, gene in zip(uniprots, entrez_ids, genes, strict=True):
            symbol = resolve_gene(resolver, report, gene, entrez=entrez, uniprot=uniprot,
                                  where=f"{path.name}:{line} {complex_id}")
            if symbol is not None:
                subunits.add((symbol, complex_id), {"source": symbol, "target": complex_id})
    result.add_nodes("Complex", complexes)
    result.add_relationships("SUBUNIT_OF", subunits.rows)
    return result.finalise(source.id)
