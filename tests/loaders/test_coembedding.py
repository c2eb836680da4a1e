"""U2OS MUSE co-embedding proximity loader, on the real top-0.2% network."""

from __future__ import annotations

import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.coembedding import load_u2os_coembedding
from cellmap_kg.sources import source_of

COEMBEDDING = source_of(load_u2os_coembedding)
NETWORK_FILE = COEMBEDDING.file("network").path


@pytest.fixture(scope="module")
def network(data_dir, resolver):
    return load_u2os_coembedding(COEMBEDDING.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def pairs(network, rows_by_key):
    return {pair: row["cosine"] for pair, row in rows_by_key(network.relationships, "PROXIMAL_TO").items()}


def test_rows_match_schema(network, assert_schema):
    assert_schema(network, COEMBEDDING.id)


def test_first_lines_of_the_file(pairs):
    assert pairs[("RAB6C", "RAB6D")] == pytest.approx(0.9805747835953548)  # line 1: RAB6D RAB6C
    assert pairs[("GDI1", "GDI2")] == pytest.approx(0.9796176676354396)
    assert pairs[("PCDHGA11", "PCDHGA2")] == pytest.approx(0.9783772922744292)  # stored in string order


def test_one_row_per_unordered_pair(pairs, network):
    assert all(source < target for source, target in pairs)
    assert network.report.read[NETWORK_FILE] == 26_860
    # CBSL is an alias of both CBS and LOC102724560 and is reported, never guessed
    assert network.report.skipped == {"ambiguous gene": 3}
    assert len(pairs) == 26_857


def test_reversed_duplicate_keeps_max_and_self_pair_skipped(tmp_path, resolver):
    path = tmp_path / NETWORK_FILE
    path.parent.mkdir(parents=True)
    path.write_text("GDI1\tGDI2\t0.70\nGDI2\tGDI1\t0.90\nGDI1\tGDI2\t0.80\nTP53\tP53\t0.99\n")
    result = load_u2os_coembedding(COEMBEDDING.in_dir(tmp_path), resolver)
    assert [(r["source"], r["target"], r["cosine"]) for r in result.relationships[0].rows] == [("GDI1", "GDI2", 0.9)]
    assert result.report.skipped == {"pair listed twice (highest cosine kept)": 2,
                                     "self-pair (both names resolve to one protein)": 1}


def test_cosine_out_of_range_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    slice_file(data_dir / NETWORK_FILE, tmp_path / NETWORK_FILE, lines=5, edits={3: "PCDHGA2\tPCDHGA11\t1.5"})
    with pytest.raises(DataFormatError, match=r"U2OS_5183_MUSE_batch_hard_percthre_0\.2\.tsv:3: column 'cosine': "
                                              r"expected a number in \[-1, 1\], found '1\.5'"):
        load_u2os_coembedding(COEMBEDDING.in_dir(tmp_path), resolver)


def test_extra_field_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    slice_file(data_dir / NETWORK_FILE, tmp_path / NETWORK_FILE, lines=5, edits={4: "FAM86B2\tEEF2KMT\t0.97\textra"})
    with pytest.raises(DataFormatError, match=r"U2OS_5183_MUSE_batch_hard_percthre_0\.2\.tsv:4: expected 3 fields"):
        load_u2os_coembedding(COEMBEDDING.in_dir(tmp_path), resolver)
