"""``cellmap_kg.paths``: the one rule for the default folders of the project's state."""

from __future__ import annotations

from cellmap_kg.analyses.hisig_cache import default_cache_dir
from cellmap_kg.paths import state_dir, state_path
from cellmap_kg.store import default_uri
from cellmap_kg.store.neo4j_server import default_home


def test_every_default_is_a_folder_of_dot_cellmap_kg_unless_its_variable_says_otherwise(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for env in ("CELLMAP_KG_STORE", "CELLMAP_KG_NEO4J_HOME", "CELLMAP_KG_CACHE", "CELLMAP_KG_GNN_CACHE"):
        monkeypatch.delenv(env, raising=False)
    assert state_dir() == tmp_path / ".cellmap-kg"
    assert default_uri() == f"falkordb://{tmp_path / '.cellmap-kg'}"
    assert default_home() == tmp_path / ".cellmap-kg" / "neo4j"
    assert default_cache_dir() == tmp_path / ".cellmap-kg" / "cache"
    assert state_path("gnn", "CELLMAP_KG_GNN_CACHE") == tmp_path / ".cellmap-kg" / "gnn"
    monkeypatch.setenv("CELLMAP_KG_CACHE", "fits")  # relative: made absolute against the working directory
    assert default_cache_dir() == tmp_path / "fits"
    monkeypatch.setenv("CELLMAP_KG_NEO4J_HOME", "")  # empty counts as unset
    assert default_home() == tmp_path / ".cellmap-kg" / "neo4j"
