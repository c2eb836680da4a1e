"""The source declaration: every file exists in the real data directory, every loader is importable, and the
declaration is the one place that names a source's id and files (loaders ask for their files by key)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cellmap_kg.loaders
from cellmap_kg.build import _select
from cellmap_kg.loaders.corum import load_corum
from cellmap_kg.sources import load_sources, source, source_of


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


def test_every_file_of_a_loading_source_has_a_key():
    for s in load_sources():
        if s.loaders:
            assert all(f.key for f in s.files), s.id


def test_files_are_found_by_key_and_an_unknown_key_names_the_source():
    corum = source("corum-2022-11-28").in_dir(Path("/data"))
    assert corum.id == "corum-2022-11-28" and corum.relative("complexes") == "corum/humanComplexes_28112022.txt"
    assert corum.path("complexes") == Path("/data/corum/humanComplexes_28112022.txt")
    with pytest.raises(KeyError, match=r"source 'corum-2022-11-28' declares no file with key 'nope'.*complexes"):
        corum.path("nope")
    tcga = source("tcga-hisig-scores")
    assert len(tcga.in_dir(Path("/data")).paths("scores")) == 13
    with pytest.raises(KeyError, match=r"'tcga-hisig-scores' declares 13 files with key 'scores'"):
        tcga.file("scores")
    assert source_of(load_corum).id == "corum-2022-11-28"
    with pytest.raises(KeyError, match="declares the loader"):
        source_of(test_every_file_of_a_loading_source_has_a_key)


def _code_strings(path: Path) -> set[str]:
    """The string constants of a module's code (docstrings left out: documentation may name files)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings}


def test_loaders_name_no_source_id_and_no_declared_file():
    ids = {s.id for s in load_sources()}
    paths = {f.path for s in load_sources() for f in s.files}
    folders = {str(parent) for p in paths for parent in Path(p).parents if "/" in str(parent)}
    for module in sorted(Path(cellmap_kg.loaders.__file__).parent.glob("*.py")):
        named = _code_strings(module) & (ids | paths | folders)
        assert not named, f"{module.name} names {sorted(named)}: take them from sources.yaml (SourceFiles)"
