"""Subcellular localization: Human Protein Atlas locations and OpenCell annotation grades.

Both vocabularies become ``Compartment`` nodes keyed by ``name``: HPA names are capitalised words ("Nucleoli
fibrillar center"), OpenCell names are snake_case ("nucleolus_fc_dfc"), so the two never share a key (the OpenCell
loader enforces snake_case). Note that a case-insensitive comparison would conflate some of them ("Mitochondria" /
"mitochondria"): the key is case-sensitive.

Files:

* ``hpa/hpa_subcellular_location.tsv`` (HPA ~v20/21): ``Gene`` (Ensembl id), ``Gene name``, ``Reliability``
  (Enhanced | Supported | Approved | Uncertain), ``Main location`` and ``Additional location`` (``;``-separated),
  ``GO id`` (``;``-separated ``Name (GO:nnnnnnn)``, ``Name ()`` when HPA gives no GO term).
* ``opencell/opencell-localization-annotations.csv``: ``target_name, ensg_id, annotations_grade_3,
  annotations_grade_2, annotations_grade_1``; several compartments in one grade are ``;``-separated. Grade 3 is the
  most prominent localization (Cho et al. 2022, Science 375:eabi6983).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, read_table
from .collect import UniqueRelationships, keep_max, resolve_gene
from .symbols import SymbolResolver

HPA_COLUMNS = ("Gene", "Gene name", "Reliability", "Main location", "Additional location", "GO id")
HPA_RELIABILITY = ("Enhanced", "Supported", "Approved", "Uncertain")
OPENCELL_GRADES = {3: "annotations_grade_3", 2: "annotations_grade_2", 1: "annotations_grade_1"}
OPENCELL_COLUMNS = ("target_name", "ensg_id", *OPENCELL_GRADES.values())

_HPA_GO = re.compile(r"^(?P<name>.+?) \((?P<go>GO:\d{7})?\)$")
_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")


def _split(cell: str) -> list[str]:
    """The non-empty ``;``-separated items of a cell."""
    return [item.strip() for item in cell.split(";") if item.strip()]


def _hpa_go_ids(cell: str, path: Path, line: int) -> dict[str, str | None]:
    """``{compartment name: GO id or None}`` from an HPA ``GO id`` cell."""
    pairs = {}
    for item in _split(cell):
        match = _HPA_GO.match(item)
        if not match:
            raise DataFormatError(path, line, f"column 'GO id': expected 'Name (GO:nnnnnnn)', found {item!r}")
        pairs[match["name"]] = match["go"]
    return pairs


def _prefer_main(kept: dict, new: dict) -> None:
    """Merge rule for two HPA genes resolving to one protein: a main location wins over an additional one."""
    if new["main"] and not kept["main"]:
        kept.update(new)


def load_hpa_locations(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """HPA ``Compartment`` nodes, Protein-[:LOCALIZES_TO]->Compartment and Compartment-[:CORRESPONDS_TO]->GOTerm
    (file key ``locations``).

    Rows: ``Compartment {name, vocabulary: "HPA", goId}`` (``goId`` absent when HPA gives none, e.g. "Rods &
    Rings"); ``LOCALIZES_TO {source: symbol, target: name, reliability, main}`` with ``main`` true for a "Main
    location" and false for an "Additional location"; ``CORRESPONDS_TO {source: name, target: GO id}``. Genes
    resolve by Ensembl id, then gene name.

    Raises:
        MissingDataError: the file is absent.
        DataFormatError: a missing column, an unknown reliability, a malformed ``GO id`` cell, one compartment
            given two GO ids, or a location missing from the row's ``GO id`` cell.
    """
    path, relative = source.path("locations"), source.relative("locations")
    result = LoadResult(source.id)
    report = result.report
    go_of: dict[str, str | None] = {}
    locations = UniqueRelationships(report, "two HPA genes of one protein in one compartment (main kept)")
    for line, row in read_table(path, required=HPA_COLUMNS):
        report.count_read(relative)
        reliability = row["Reliability"].strip()
        if reliability not in HPA_RELIABILITY:
            raise DataFormatError(path, line, f"column 'Reliability': expected one of {HPA_RELIABILITY}, "
                                              f"found {reliability!r}")
        go_ids = _hpa_go_ids(row["GO id"], path, line)
        for name, go_id in go_ids.items():
            if go_of.setdefault(name, go_id) != go_id:
                raise DataFormatError(path, line, f"column 'GO id': {name!r} has {go_id}, but {go_of[name]} before")
        symbol = resolve_gene(resolver, report, row["Gene name"], ensembl=row["Gene"].strip(),
                              where=f"{path.name}:{line}")
        for column, main in (("Main location", True), ("Additional location", False)):
            for name in _split(row[column]):
                if name not in go_ids:
                    raise DataFormatError(path, line, f"column 'GO id': expected an entry for {column} {name!r}")
                if symbol is not None:
                    locations.add((symbol, name), {"source": symbol, "target": name, "reliability": reliability,
                                                   "main": main}, _prefer_main)
    compartments, corresponds = [], []
    for name, go_id in go_of.items():
        compartments.append({"name": name, "vocabulary": "HPA", **({"goId": go_id} if go_id else {})})
        if go_id:
            corresponds.append({"source": name, "target": go_id})
        else:
            report.skip("HPA compartment without a GO id (no CORRESPONDS_TO)", name)
    result.add_nodes("Compartment", compartments)
    result.add_relationships("LOCALIZES_TO", locations.rows)
    result.add_relationships("CORRESPONDS_TO", corresponds)
    return result.finalise(source.id)


def load_opencell_localization(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """OpenCell ``Compartment`` nodes and Protein-[:LOCALIZES_TO {grade}]->Compartment (file key ``localization``).

    Rows: ``Compartment {name, vocabulary: "OpenCell"}``; ``LOCALIZES_TO {source: symbol, target: name, grade:
    3|2|1}``, one per (protein, compartment), the highest grade kept if a compartment is listed twice. Targets
    resolve by Ensembl id (``ensg_id``), then ``target_name``; a target without any annotation is counted.

    Raises:
        MissingDataError: the file is absent.
        DataFormatError: a missing column or a compartment name that is not snake_case.
    """
    path, relative = source.path("localization"), source.relative("localization")
    result = LoadResult(source.id)
    report = result.report
    names: dict[str, None] = {}
    locations = UniqueRelationships(report, "compartment listed twice for one protein (highest grade kept)")
    highest_grade = keep_max("grade")
    for line, row in read_table(path, delimiter=",", required=OPENCELL_COLUMNS):
        report.count_read(relative)
        annotations = [(grade, name) for grade, column in OPENCELL_GRADES.items() for name in _split(row[column])]
        if not annotations:
            report.skip("OpenCell target without a localization annotation", f"{row['target_name']} (line {line})")
            continue
        for grade, name in annotations:
            if not _SNAKE_CASE.match(name):
                raise DataFormatError(path, line, f"column {OPENCELL_GRADES[grade]!r}: expected a snake_case "
                                                  f"compartment name, found {name!r}")
            names[name] = None
        symbol = resolve_gene(resolver, report, row["target_name"], ensembl=row["ensg_id"].strip(),
                              where=f"{path.name}:{line}")
        if symbol is None:
            continue
        for grade, name in annotations:
            locations.add((symbol, name), {"source": symbol, "target": name, "grade": grade}, highest_grade)
    result.add_nodes("Compartment", [{"name": name, "vocabulary": "OpenCell"} for name in names])
    result.add_relationships("LOCALIZES_TO", locations.rows)
    return result.finalise(source.id)
