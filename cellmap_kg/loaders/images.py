"""Human Protein Atlas immunofluorescence images of the Cell Mapping Toolkit example: ``Image`` nodes and DEPICTS.

Files (``cellmaps_examples/pipeline_inputs/``, from idekerlab/cellmaps_pipeline ``examples/``):

* ``samples.csv``: one image per line: ``filename, if_plate_id, position, sample, status, locations, antibody,
  ensembl_ids, gene_names``; ``locations``, ``ensembl_ids`` and ``gene_names`` are ``,``-separated (an antibody
  may stain several genes; ``ensembl_ids`` and ``gene_names`` are then aligned).
* ``unique.csv``: one antibody per line: ``antibody, ensembl_ids, gene_names, atlas_name, locations, n_location``;
  ``atlas_name`` is the HPA cell line ("U-2 OS").

75 of the 243 antibodies of ``samples.csv`` are not in ``unique.csv``. The whole sample table is documented as
U-2 OS images by the toolkit's ``provenance.json`` (``"samples": {"name": "u2os HPA IF images"}``), so their
images get ``cellLine = SAMPLES_CELL_LINE`` (HPA's spelling of the line); the report counts them.
"""

from __future__ import annotations

from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, parse_int, read_table
from .collect import UniqueRelationships, resolve_gene
from .symbols import SymbolResolver

SAMPLES_COLUMNS = ("filename", "if_plate_id", "position", "sample", "status", "locations", "antibody",
                   "ensembl_ids", "gene_names")
SAMPLES_CELL_LINE = "U-2 OS"


def _items(cell: str) -> list[str]:
    """The non-empty ``,``-separated items of a cell."""
    return [item.strip() for item in cell.split(",") if item.strip()]


def read_antibody_cell_lines(path: Path) -> dict[str, str]:
    """``{antibody: atlas_name}`` from ``unique.csv``.

    Raises ``MissingDataError`` or ``DataFormatError`` (missing column, empty field, antibody listed twice).
    """
    cell_lines: dict[str, str] = {}
    for line, row in read_table(path, delimiter=",", required=("antibody", "atlas_name")):
        antibody, atlas_name = row["antibody"].strip(), row["atlas_name"].strip()
        if not antibody or not atlas_name:
            raise DataFormatError(path, line, f"expected an antibody and an atlas_name, found {antibody!r}, "
                                              f"{atlas_name!r}")
        if antibody in cell_lines:
            raise DataFormatError(path, line, f"column 'antibody': expected unique antibodies, {antibody} repeats")
        cell_lines[antibody] = atlas_name
    return cell_lines


def load_hpa_images(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``Image`` nodes and Image-[:DEPICTS]->Protein relationships, one per (image, gene), from the sample table
    (file key ``samples``) and the antibody table (key ``antibodies``).

    Rows: ``Image {id: "<plate>_<position>_<sample>", filename, antibody, plate, position, sample, status,
    cellLine, locations}``; ``DEPICTS {source: image id, target: symbol}``. Genes resolve by Ensembl id, then gene
    name; ``cellLine`` is the antibody's ``atlas_name`` in ``unique.csv``, else ``SAMPLES_CELL_LINE``.

    Raises:
        MissingDataError: a file is absent.
        DataFormatError: a missing column or empty id field, a non-integer ``status``, an image id on two lines,
            or ``gene_names`` not aligned with ``ensembl_ids``.
    """
    path, antibodies = source.path("samples"), source.path("antibodies")
    cell_lines = read_antibody_cell_lines(antibodies)
    result = LoadResult(source.id)
    report = result.report
    images: list[dict] = []
    first_line: dict[str, int] = {}
    depicts = UniqueRelationships(report, "gene listed twice for one image (kept once)")
    for line, row in read_table(path, delimiter=",", required=SAMPLES_COLUMNS):
        report.count_read(source.relative("samples"))
        plate, position, sample = (row[c].strip() for c in ("if_plate_id", "position", "sample"))
        if not (plate and position and sample and row["antibody"].strip()):
            raise DataFormatError(path, line, "expected non-empty if_plate_id, position, sample and antibody")
        image_id = f"{plate}_{position}_{sample}"
        if image_id in first_line:
            raise DataFormatError(path, line, f"expected each image once, found {image_id} again (first on line "
                                              f"{first_line[image_id]})")
        first_line[image_id] = line
        antibody = row["antibody"].strip()
        cell_line = cell_lines.get(antibody)
        if cell_line is None:
            report.count_read(f"images whose antibody is not in {antibodies.name} "
                              f"(cellLine {SAMPLES_CELL_LINE!r} from provenance.json)")
            cell_line = SAMPLES_CELL_LINE
        images.append({
            "id": image_id, "filename": row["filename"].strip(), "antibody": antibody, "plate": plate,
            "position": position, "sample": sample,
            "status": parse_int(row["status"], path, line, "status", allow_empty=False),
            "cellLine": cell_line, "locations": _items(row["locations"]),
        })
        ensembl_ids, gene_names = _items(row["ensembl_ids"]), _items(row["gene_names"])
        if ensembl_ids and gene_names and len(gene_names) != len(ensembl_ids):
            raise DataFormatError(path, line, f"column 'gene_names': expected one name per Ensembl id "
                                              f"({len(ensembl_ids)}), found {len(gene_names)}")
        if not ensembl_ids and not gene_names:
            report.skip("image without a gene", image_id)
        n_genes = max(len(ensembl_ids), len(gene_names))
        for ensembl, name in zip(ensembl_ids or [None] * n_genes, gene_names or [None] * n_genes, strict=True):
            symbol = resolve_gene(resolver, report, name, ensembl=ensembl, where=f"{path.name}:{line}")
            if symbol is not None:
                depicts.add((image_id, symbol), {"source": image_id, "target": symbol})
    result.add_nodes("Image", images)
    result.add_relationships("DEPICTS", depicts.rows)
    return result.finalise(source.id)
