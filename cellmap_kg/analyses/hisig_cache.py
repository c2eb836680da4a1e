"""Exact reuse of HiSig results across builds: each fit is stored under a hash of everything it depends on.

A default build fits HiSig on every cohort (40 runs of 1,000 permutations: about 25 of a first build's 50-55 s on 2
idle cores, ``benchmarks/hisig.py``). Rebuilding after a change elsewhere (a source updated, a loader fixed) does
not change those fits, so ``HisigCache.fit`` returns the stored table when the key matches and fits (and stores)
otherwise.

The key is the SHA-256 of: the propagated memberships, every gene score and raw count, whether expected counts were
used, every ``hisig`` setting except ``n_jobs`` and ``pool`` (same seed and inputs give the same p-values for any
thread count, ``hisig_lasso``), the source text of ``hisig.py`` and ``hisig_lasso.py``, and the numpy and numba
versions (the permutations come from ``numpy.random.default_rng``, whose streams numpy does not promise to keep
across versions). Any change to one of them is a miss. Entries are JSON (``repr`` floats round-trip exactly),
written to a temporary file and renamed, so a killed build never leaves half an entry; an unreadable entry is
refitted and replaced (counted in ``unreadable``).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping
from pathlib import Path

import numba
import numpy as np
import pandas as pd

from ..paths import state_path
from . import hisig as hisig_module
from . import hisig_lasso
from .hisig import hisig

CACHE_ENV = "CELLMAP_KG_CACHE"
"""Environment variable naming the cache directory (default ``./.cellmap-kg/cache``, see ``default_cache_dir``)."""
FORMAT = 1
"""Version of the entry layout; part of the key."""


def default_cache_dir() -> Path:
    """``$CELLMAP_KG_CACHE`` if set, else ``./.cellmap-kg/cache`` (beside the default embedded store)."""
    return state_path("cache", CACHE_ENV)


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for module in (hisig_module, hisig_lasso):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"numpy {np.__version__} numba {numba.__version__} format {FORMAT}".encode())
    return digest.hexdigest()


def _series(values: pd.Series | None) -> list | None:
    return None if values is None else sorted((str(g), float(v)) for g, v in values.items())


class HisigCache:
    """HiSig results kept in ``directory/hisig/<key>.json``.

    Attributes:
        directory: where the entries live (created on first store).
        reused / computed / unreadable: fits answered from an entry, fitted and stored, and entries that could not
            be read (refitted), since this object was made.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory) / "hisig"
        self.reused = self.computed = self.unreadable = 0
        self._lock = threading.Lock()               # fits run in several threads (hisig_graph.fit_runs)
        self._code = _code_fingerprint()

    def key(self, memberships: Mapping[str, set[str]], gene_scores: pd.Series, **settings) -> str:
        """SHA-256 (hex) of one fit's inputs (``hisig``'s arguments; ``n_jobs`` and ``pool`` are ignored) and of the
        code."""
        settings.pop("n_jobs", None)
        settings.pop("pool", None)
        counts = settings.pop("mutation_counts", None)
        payload = {"code": self._code,
                   "memberships": sorted((name, sorted(genes)) for name, genes in memberships.items()),
                   "scores": _series(gene_scores), "expected": bool(gene_scores.attrs.get("expected", False)),
                   "counts": _series(counts), "settings": settings}
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    def fit(self, memberships: Mapping[str, set[str]], gene_scores: pd.Series, **settings) -> pd.DataFrame:
        """``hisig(memberships, gene_scores, **settings)``, from the cache when the same fit was stored.

        Returns the same table and ``attrs`` as ``hisig`` (columns, dtypes and values exactly). Raises what
        ``hisig`` raises (such failures are not stored) and ``OSError`` if the entry cannot be written.
        """
        path = self.directory / f"{self.key(memberships, gene_scores, **settings)}.json"
        if path.exists():
            try:
                table = _read(path)
            except (OSError, ValueError, KeyError, TypeError):
                self._count("unreadable")
            else:
                self._count("reused")
                return table
        table = hisig(memberships, gene_scores, **settings)
        _write(path, table)
        self._count("computed")
        return table

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)

    def summary(self) -> dict:
        """``{"reused", "computed", "unreadable", "directory"}`` for a run's summary."""
        return {"reused": self.reused, "computed": self.computed, "unreadable": self.unreadable,
                "directory": str(self.directory)}


def _write(path: Path, table: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"format": FORMAT, "dtypes": {c: str(t) for c, t in table.dtypes.items()},
             "columns": {c: table[c].tolist() for c in table.columns}, "attrs": table.attrs}
    temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(entry), encoding="utf-8")
    os.replace(temporary, path)


def _read(path: Path) -> pd.DataFrame:
    entry = json.loads(path.read_text(encoding="utf-8"))
    if entry["format"] != FORMAT:
        raise ValueError(f"entry format {entry['format']}, expected {FORMAT}")
    table = pd.DataFrame({c: pd.Series(v, dtype=entry["dtypes"][c]) for c, v in entry["columns"].items()})
    table.attrs.update(entry["attrs"])
    return table
