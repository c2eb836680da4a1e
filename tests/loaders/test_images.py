"""HPA U-2 OS image loader, on the Cell Mapping Toolkit example sample table."""

from __future__ import annotations

import shutil

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.images import SAMPLES_CELL_LINE, load_hpa_images
from cellmap_kg.sources import source_of

IMAGES = source_of(load_hpa_images)

NOT_IN_UNIQUE = "images whose antibody is not in unique.csv (cellLine 'U-2 OS' from provenance.json)"


@pytest.fixture(scope="module")
def images(data_dir, resolver):
    return load_hpa_images(IMAGES.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def image_rows(images, rows_by_key):
    return rows_by_key(images.nodes, "Image")


@pytest.fixture(scope="session")
def depicts(rows_by_key):
    """``depicts(result)``: the (image, gene) pairs of the only relationship batch, ``DEPICTS``."""
    return lambda result: set(rows_by_key(result.relationships, "DEPICTS"))


def test_rows_match_schema(images, assert_schema):
    assert_schema(images, IMAGES.id)


def test_first_image(image_rows, images, depicts):
    assert image_rows["7_C5_1"] == {
        "id": "7_C5_1", "filename": "/archive/7/7_C5_1_", "antibody": "HPA005910", "plate": "7", "position": "C5",
        "sample": "1", "status": 35, "cellLine": "U-2 OS", "locations": ["Cytosol", "Nuclear speckles"]}
    assert ("7_C5_1", "ELOA") in depicts(images)


def test_every_image_depicts_its_gene(image_rows, images, depicts):
    assert len(image_rows) == 483
    pairs = depicts(images)
    assert len(pairs) == 483
    assert {image for image, _ in pairs} == set(image_rows)
    assert not images.report.skipped


def test_cell_line_of_antibodies_missing_from_unique_csv(image_rows, images):
    assert image_rows["13_D12_1"]["antibody"] == "HPA004790"  # MCM3, not in unique.csv
    assert image_rows["13_D12_1"]["cellLine"] == SAMPLES_CELL_LINE
    assert images.report.read[NOT_IN_UNIQUE] == 150


def _image_dir(data_dir, tmp_path, slice_file, edits):
    """The image source in ``tmp_path``: the first lines of the real sample table, edited, and the antibodies."""
    real, scratch = IMAGES.in_dir(data_dir), IMAGES.in_dir(tmp_path)
    slice_file(real.path("samples"), scratch.path("samples"), lines=6, edits=edits)
    shutil.copy(real.path("antibodies"), scratch.path("antibodies"))
    return scratch


def test_antibody_of_several_genes_depicts_each(data_dir, tmp_path, slice_file, resolver, depicts):
    data = _image_dir(data_dir, tmp_path, slice_file, {3: '/archive/7/7_C5_2_,7,C5,2,35,"Cytosol,Nuclear speckles",'
                                                          'HPA005910,"ENSG00000011007,ENSG00000239306","ELOA,RBM14"'})
    pairs = depicts(load_hpa_images(data, resolver))
    assert {gene for image, gene in pairs if image == "7_C5_2"} == {"ELOA", "RBM14"}


def test_bad_status_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    data = _image_dir(data_dir, tmp_path, slice_file, {3: '/archive/7/7_C5_2_,7,C5,2,ok,"Cytosol,Nuclear speckles",'
                                                          'HPA005910,ENSG00000011007,ELOA'})
    with pytest.raises(DataFormatError, match=r"samples\.csv:3: column 'status': expected a number, found 'ok'"):
        load_hpa_images(data, resolver)


def test_repeated_image_names_both_lines(data_dir, tmp_path, slice_file, resolver):
    data = _image_dir(data_dir, tmp_path, slice_file, {4: '/archive/7/7_C5_1_,7,C5,1,35,Cytosol,HPA005910,'
                                                          'ENSG00000011007,ELOA'})
    with pytest.raises(DataFormatError, match=r"samples\.csv:4: expected each image once, found 7_C5_1 again"):
        load_hpa_images(data, resolver)
