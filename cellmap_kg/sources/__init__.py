"""The data sources cellmap-kg reads, declared once in ``sources.yaml``.

Each ``Source`` becomes a ``:Dataset`` node (its provenance) and names the loader functions that turn its files
into graph rows. This package is the one home of source handling:

- ``sources.yaml``: the declaration (ids, files, canonical URLs, SHA-256, licences, loaders);
- this module: reading it (``Source``, ``SourceFile``, ``SourceFiles``, ``load_sources``, ``source``,
  ``source_of``, ``default_data_dir``, ``DEFAULT_MAP``);
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

    ``key`` (optional) is the short name a loader asks for the file by (``SourceFiles.path``); several files of a
    source may share one key (a group, e.g. the 13 TCGA score files: ``SourceFiles.paths``). ``header`` is False
    for a delimited table without a header line. ``derive`` (optional) says how the file is produced from the
    downloaded ``url`` (e.g. a sheet of an xlsx).
    """

    path: str
    key: str | None = None
    header: bool = True
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

    def files_with(self, key: str) -> list[SourceFile]:
        """The files declared with ``key``, in declaration order (at least one).

        Raises ``KeyError`` naming the source id, the unknown key and the keys the source declares.
        """
        found = [f for f in self.files if f.key == key]
        if not found:
            declared = ", ".join(dict.fromkeys(f.key for f in self.files if f.key)) or "none"
            raise KeyError(f"source {self.id!r} declares no file with key {key!r} in sources.yaml "
                           f"(its keys: {declared})")
        return found

    def file(self, key: str) -> SourceFile:
        """The one file declared with ``key``.

        Raises ``KeyError`` naming the source id and the key if no file or several files have it.
        """
        found = self.files_with(key)
        if len(found) > 1:
            raise KeyError(f"source {self.id!r} declares {len(found)} files with key {key!r} in sources.yaml, "
                           "expected one (SourceFiles.paths reads a group)")
        return found[0]

    def in_dir(self, data_dir: Path) -> SourceFiles:
        """This source bound to the data directory ``data_dir``: what its loaders receive."""
        return SourceFiles(self, Path(data_dir))


@dataclass(frozen=True)
class SourceFiles:
    """A ``Source`` bound to a data directory: the argument every loader receives (``Source.in_dir``).

    A loader takes its dataset id from ``id`` and its files by key: ``path(key)`` is the file's path in the data
    directory (what errors name), ``relative(key)`` the declared path relative to it (what load reports name).
    """

    source: Source
    data_dir: Path

    @property
    def id(self) -> str:
        """The source id (the ``Dataset`` id the loader's rows are stamped with)."""
        return self.source.id

    @property
    def version(self) -> str:
        """The declared version of the source."""
        return self.source.version

    def relative(self, key: str) -> str:
        """The declared path (relative to the data directory) of the one file with ``key``; ``KeyError`` if the
        source declares none or several (``Source.file``)."""
        return self.source.file(key).path

    def path(self, key: str) -> Path:
        """``data_dir / relative(key)``; ``KeyError`` as ``relative``."""
        return self.data_dir / self.relative(key)

    def relatives(self, key: str) -> list[str]:
        """The declared paths (relative to the data directory) of every file with ``key``, in declaration order;
        ``KeyError`` naming the source and key if there is none (``Source.files_with``)."""
        return [f.path for f in self.source.files_with(key)]

    def paths(self, key: str) -> list[Path]:
        """``data_dir / p`` for each of ``relatives(key)``; ``KeyError`` as ``relatives``."""
        return [self.data_dir / p for p in self.relatives(key)]


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


def source_of(loader: Callable) -> Source:
    """The source whose ``loaders`` name the function ``loader`` (e.g. ``source_of(load_corum)``), to call a loader
    outside a build: ``loader(source_of(loader).in_dir(data_dir), resolver)``.

    Raises ``KeyError`` if no source declares it.
    """
    spec = f"{loader.__module__}:{loader.__name__}"
    for s in load_sources():
        if spec in s.loaders:
            return s
    raise KeyError(f"no source in sources.yaml declares the loader {spec}")


def default_data_dir() -> Path:
    """The data directory: ``$CELLMAP_KG_DATA`` if set, else ``./data``."""
    return Path(os.environ.get(DATA_ENV, "data")).expanduser()
