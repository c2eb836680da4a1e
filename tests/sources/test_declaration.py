"""The source declaration: every file exists in the real data directory, every loader is importable."""

from __future__ import annotations

from cellmap_kg.build import _select
from cellmap_kg.sources import load_sources, source


def test_every_declared_file_is_in_the_data_directory(data_dir):
    missing = [p for s in load_sources() for p in s.missing_files(data_dir)]
    assert missing == []


def test_every_loader_is_importable_and_every_source_has_provenance():
    for s in load_sources():
        assert s.name and s.version and s.licence and s.citation, s.id
        for fn in s.loader_functions():
            assert callable(fn)
        row = s.dataset_row()
        assert row["id"] == s.id and row["files"]


def test_every_file_has_a_download_url_or_a_derivation_and_a_checksum():
    for s in load_sources():
        for f in s.files:
            assert f.sha256 and len(f.sha256) == 64, f.path
            assert f.url or f.derive, f.path


def test_a_source_subset_pulls_in_the_sources_it_points_at():
    chosen = [s.id for s in _select(load_sources(), ["gene2go-2022-09-12"])]
    assert chosen == ["go-2022-07-01", "gene2go-2022-09-12"]


def test_opencell_is_one_data_set_with_two_loaders():
    assert [fn.__name__ for fn in source("opencell-2022").loader_functions()] == [
        "load_opencell", "load_opencell_localization"]
