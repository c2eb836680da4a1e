"""The data sources cellmap-kg reads, declared once in ``sources.yaml``.

Each ``Source`` becomes a ``:Dataset`` node (its provenance) and names the loader functions that turn its files
into graph rows. This package is the one home of source handling:

- ``sources.yaml``: the declaration (ids, files, canonical URLs, SHA-256, licences, loaders);
- this module: reading it (``Source``, ``SourceFile``, ``load_sources``, ``default_data_dir``, ``DEFAULT_MAP``);
- ``fetch``: ``cellmap-kg fetch`` downloads the declared files into a data directory and checks them;
- ``derive``: re-creates the files declared as ``derive``d from their public inputs.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

SOURCES_FILE = Path(__file__).with_name("sources.yaml")
DEFAULT_MAP = "U2OS-2023-05"
"""The id of the U2OS cell map (Schaffer et al. 2025; source ``u2os-cellmap-2023-05``, whose loader writes it): the
map that analyses, exports, the GNN and the REST API use when none is named. Declared once here; the ``map``
defaults in query headers (read by Neo4j Browser users too) are checked against it by the query tests."""
DATA_ENV = "CELLMAP_KG_DATA"


@dataclass(frozen=True)
class SourceFile:
    """One file of a source: ``path`` relative to the data directory, its canonical ``url`` and ``sha256``.

    ``derive`` (optional) says how the file is produced from the downloaded ``url`` (e.g. a sheet of an xlsx).
    """

    path: str
    url: str | None = None
    sha256: str | None = None
    derive: dict | None = None


@dataclass(frozen=True)
class Source:
    """A declared data source (see ``sources.yaml`` for the meaning of each field)."""

    id: str
    name: str
    version: str
    licence: str
    citation: str
    files: tuple[SourceFile, ...]
    loaders: tuple[str, ...] = ()
    cell_line: str | None = None
    url: str | None = None
    role: str = "graph"
    requires: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def dataset_row(self) -> dict:
        """The ``Dataset`` node row for this source."""
        row = {"id": self.id, "name": self.name, "version": self.version, "licence": self.licence,
               "citation": self.citation, "files": [f.path for f in self.files]}
        if self.cell_line:
            row["cellLine"] = self.cell_line
        if self.url:
            row["url"] = self.url
        return row

    def loader_functions(self) -> list[Callable]:
        """Import and return the loader callables named by ``loaders`` (``"module:function"``)."""
        functions = []
        for spec in self.loaders:
            module, _, name = spec.partition(":")
            functions.append(getattr(importlib.import_module(module), name))
        return functions

    def missing_files(self, data_dir: Path) -> list[str]:
        """Paths of this source's files that are absent from ``data_dir``."""
        return [f.path for f in self.files if not (data_dir / f.path).exists()]


@cache
def load_sources(path: Path = SOURCES_FILE) -> tuple[Source, ...]:
    """All declared sources, in declaration order (the build order)."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)["sources"]
    sources = []
    for entry in raw:
        files = tuple(SourceFile(**f) for f in entry.pop("files"))
        loaders = tuple(entry.pop("loaders", ()))
        cell_line = entry.pop("cellLine", None)
        requires = tuple(entry.pop("requires", ()))
        known = {k: entry.pop(k) for k in ("id", "name", "version", "licence", "citation", "url", "role")
                 if k in entry}
        sources.append(Source(files=files, loaders=loaders, cell_line=cell_line, requires=requires, extra=entry,
                              **known))
    return tuple(sources)


def source(source_id: str) -> Source:
    """The source with id ``source_id``. Raises ``KeyError`` listing the known ids."""
    for s in load_sources():
        if s.id == source_id:
            return s
    raise KeyError(f"unknown source {source_id!r}; known: {', '.join(s.id for s in load_sources())}")


def default_data_dir() -> Path:
    """The data directory: ``$CELLMAP_KG_DATA`` if set, else ``./data``."""
    return Path(os.environ.get(DATA_ENV, "data")).expanduser()
