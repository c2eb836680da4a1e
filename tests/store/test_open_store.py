"""``open_store`` dispatch and default URI; ``stop_embedded``."""

from __future__ import annotations

import pytest

from cellmap_kg.store import default_uri, open_store, stop_embedded
from cellmap_kg.store.base import StoreError
from cellmap_kg.store.falkordb_store import FalkorDBStore


def test_default_uri_from_environment_or_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("CELLMAP_KG_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_uri() == f"falkordb://{tmp_path}/.cellmap-kg"
    monkeypatch.setenv("CELLMAP_KG_STORE", "bolt://example.org:7687")
    assert default_uri() == "bolt://example.org:7687"


def test_open_store_dispatches_on_the_scheme(falkordb_dir, monkeypatch):
    store = open_store(f"falkordb://{falkordb_dir}?graph=t_dispatch")
    assert isinstance(store, FalkorDBStore) and store.graph == "t_dispatch" and store.backend == "falkordb"
    store.close()
    monkeypatch.setenv("CELLMAP_KG_STORE", f"falkordb://{falkordb_dir}")
    default = open_store()
    assert default.store_dir == falkordb_dir and default.graph == "cellmap"
    default.close()


def test_unknown_scheme_is_a_clear_error():
    with pytest.raises(StoreError, match="unknown store URI scheme 'postgres'"):
        open_store("postgres://localhost/kg")
    with pytest.raises(StoreError, match="absolute path"):
        open_store("falkordb:relative/dir")


def test_stop_embedded(tmp_path):
    uri = f"falkordb://{tmp_path / 'kg'}"
    assert stop_embedded(uri) is False
    open_store(uri).close()
    assert stop_embedded(uri) is True
    with pytest.raises(StoreError, match="not a FalkorDB store URI"):
        stop_embedded("bolt://localhost:7687")
