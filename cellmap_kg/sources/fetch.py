"""Download the declared data files into a data directory, verifying their SHA-256 checksums.

``fetch`` brings a data directory up to date with ``sources.yaml``: every declared file that is missing is
downloaded from its canonical ``url`` (or from ``<mirror>/<path>`` when a mirror of the data-directory layout is
given), or rebuilt from its public input when the file is ``derive``d (see :mod:`cellmap_kg.sources.derive`). Files are
written atomically (temporary file in the target directory, then rename) and only after their checksum matched, so
an interrupted or corrupted download never leaves a file in place. ``verify`` lists missing or altered files.

Only the standard library talks to the network (``urllib``); progress bars are ``tqdm``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .. import __version__
from ..errors import UserError
from . import Source, SourceFile, load_sources
from .derive import DerivationError, bioconductor_export, deb_member, gzip_file, llm_name_table, xlsx_sheet

CHUNK = 1 << 16
TIMEOUT_S = 60
DOWNLOADS_DIR = ".downloads"


class FetchError(UserError, RuntimeError):
    """A file could not be downloaded (HTTP error, unreachable host, unknown source id, nothing declared)."""


class HTTPStatusError(FetchError):
    """The server answered with an HTTP error status (``status``, e.g. 404)."""

    def __init__(self, url: str, status: int, reason: str):
        self.url, self.status = url, status
        super().__init__(f"{url}: HTTP {status} {reason}")


class ChecksumError(FetchError):
    """Downloaded or derived bytes do not have the declared SHA-256; nothing was written to ``path``."""

    def __init__(self, path: Path | str, expected: str, found: str, origin: str):
        self.path, self.expected, self.found, self.origin = str(path), expected, found, origin
        super().__init__(f"{path}: SHA-256 mismatch for {origin}: expected {expected}, found {found}; "
                         f"the file was not written")


@dataclass
class FetchReport:
    """What :func:`fetch` did, by data-directory-relative path.

    Attributes:
        data_dir: the data directory.
        downloaded: files downloaded as-is (from their ``url`` or the mirror) and verified.
        derived: files rebuilt from their public input (``derive``) and verified.
        skipped: files already present with the declared checksum (left untouched).
        failed: path -> reason (HTTP error, checksum mismatch, present-but-altered file, missing input ...).
        bytes_written: total size of the files written (downloaded + derived), in bytes.
    """

    data_dir: Path
    downloaded: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    bytes_written: int = 0

    @property
    def ok(self) -> bool:
        """True if no file failed."""
        return not self.failed

    def summary(self) -> str:
        """A few lines for humans: counts, then one line per failure."""
        lines = [f"{self.data_dir}: {len(self.downloaded)} downloaded, {len(self.derived)} derived, "
                 f"{len(self.skipped)} already present, {len(self.failed)} failed "
                 f"({self.bytes_written / 1e6:.1f} MB written)"]
        lines += [f"  FAILED {path}: {reason}" for path, reason in self.failed.items()]
        return "\n".join(lines)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def mirror_url(mirror: str, path: str) -> str:
    """URL of data-directory file ``path`` on a mirror serving the data-directory layout at base URL ``mirror``."""
    return f"{mirror.rstrip('/')}/{urllib.parse.quote(path)}"


def _open(url: str):
    request = urllib.request.Request(url, headers={"User-Agent": f"cellmap-kg/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_S)  # noqa: S310 (http(s)/file URLs by design)
    except urllib.error.HTTPError as exc:
        raise HTTPStatusError(url, exc.code, exc.reason) from None
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(f"{url}: {getattr(exc, 'reason', exc)}") from None


def read_url(url: str) -> str | None:
    """Text (UTF-8) at ``url``, or ``None`` if the server answers 404. Other failures raise :class:`FetchError`."""
    try:
        with _open(url) as response:
            return response.read().decode("utf-8")
    except HTTPStatusError as exc:
        if exc.status == 404:
            return None
        raise


@contextmanager
def _atomic(target: Path) -> Iterator:
    """A new binary file next to ``target`` (``.<name>.<random>.part``) that replaces ``target`` (rename) if the
    ``with`` block succeeds and is deleted if it raises."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        with open(part, "xb") as out:
            yield out
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def download(url: str, target: Path, sha256: str | None, *, progress: bool = True, label: str | None = None) -> int:
    """Download ``url`` to ``target`` atomically, checking the SHA-256 of the bytes on the way.

    The bytes go to a temporary file next to ``target``, which replaces ``target`` only if its SHA-256 equals
    ``sha256`` (``None``: no check). A tqdm bar (bytes) is shown unless ``progress`` is False.

    Returns the number of bytes written. Raises :class:`ChecksumError` (temporary file removed, ``target``
    untouched) or :class:`FetchError` (HTTP/network error).
    """
    digest, size = hashlib.sha256(), 0
    with _atomic(target) as out, _open(url) as response:
        total = response.headers.get("Content-Length")
        with tqdm(total=int(total) if total else None, unit="B", unit_scale=True, desc=label or target.name,
                  disable=not progress, leave=False) as bar:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                bar.update(len(chunk))
        if sha256 is not None and digest.hexdigest() != sha256:
            raise ChecksumError(target, sha256, digest.hexdigest(), url)
    return size


def write_verified(target: Path, data: bytes, sha256: str | None, origin: str) -> int:
    """Write ``data`` to ``target`` atomically if its SHA-256 equals ``sha256``; else raise :class:`ChecksumError`.

    ``origin`` describes where the bytes came from (for the error message). Returns ``len(data)``.
    """
    found = hashlib.sha256(data).hexdigest()
    if sha256 is not None and found != sha256:
        raise ChecksumError(target, sha256, found, origin)
    with _atomic(target) as out:
        out.write(data)
    return len(data)


def _select(sources: Iterable[Source | str] | None) -> list[Source]:
    declared = load_sources()
    if sources is None:
        return list(declared)
    by_id = {s.id: s for s in declared}
    chosen = []
    for item in sources:
        if isinstance(item, Source):
            chosen.append(item)
        elif item in by_id:
            chosen.append(by_id[item])
        else:
            raise FetchError(f"unknown source {item!r}; known: {', '.join(by_id)}")
    return chosen


def _files(sources: list[Source]) -> list[SourceFile]:
    seen: dict[str, SourceFile] = {}
    for src in sources:
        for f in src.files:
            seen.setdefault(f.path, f)
    return list(seen.values())


class _Deriver:
    """Rebuilds ``derive``d files; keeps extracted SQLite databases for the duration of one ``fetch`` call."""

    def __init__(self, data_dir: Path, progress: bool):
        self.data_dir, self.progress = data_dir, progress
        self._workdir: tempfile.TemporaryDirectory | None = None
        self._sqlite: dict[tuple[str, str], Path] = {}

    def close(self) -> None:
        if self._workdir is not None:
            self._workdir.cleanup()

    def input(self, spec: dict) -> Path:
        """The derivation input ``from`` at ``data_dir/from_path``, downloaded (and verified) if needed."""
        path = self.data_dir / spec["from_path"]
        if not (path.exists() and sha256_of(path) == spec.get("from_sha256")):
            download(spec["from"], path, spec.get("from_sha256"), progress=self.progress, label=spec["from_path"])
        return path

    def build(self, f: SourceFile) -> bytes:
        spec = f.derive
        how = spec.get("how")
        if how == "xlsx-sheet":
            return xlsx_sheet(self.input(spec), spec["sheet"], spec["header_row"], spec.get("types_from", "data"),
                              spec.get("sep", ","), spec.get("first_column"))
        if how == "llm-name-headings":
            return self._llm_names(spec)
        if how == "bioconductor-sqlite":
            return bioconductor_export(self._sqlite_of(spec), spec["export"])
        if how == "gzip":
            return gzip_file(self.input(spec))
        raise DerivationError(f"{f.path}: unknown derivation {how!r}")

    def _llm_names(self, spec: dict) -> bytes:
        nodes = self.data_dir / spec["nodes"]
        if not nodes.exists():
            raise DerivationError(f"needs {spec['nodes']} (fetch it first; it is declared with this file)")
        count = len(nodes.read_text(encoding="utf-8").splitlines())
        with tqdm(total=count, unit="assembly", desc="ChatGPT responses", disable=not self.progress,
                  leave=False) as bar:
            def read_response(assembly: str) -> str | None:
                bar.update(1)
                return read_url(spec["from"].format(assembly=assembly))

            return llm_name_table(nodes, read_response)

    def _sqlite_of(self, spec: dict) -> Path:
        key = (spec["from_path"], spec["sqlite"])
        if key not in self._sqlite:
            deb = self.input(spec)
            if self._workdir is None:
                (self.data_dir / DOWNLOADS_DIR).mkdir(parents=True, exist_ok=True)
                self._workdir = tempfile.TemporaryDirectory(prefix=".sqlite-", dir=self.data_dir / DOWNLOADS_DIR)
            dest = Path(self._workdir.name) / f"{len(self._sqlite)}-{Path(spec['sqlite']).name}"
            self._sqlite[key] = deb_member(deb, spec["sqlite"], dest)
        return self._sqlite[key]


def _origin(f: SourceFile, mirror: str | None) -> str:
    if mirror:
        return mirror_url(mirror, f.path)
    return f.url or f"{f.derive['how']} of {f.derive['from']}"


def fetch(data_dir: Path, sources: Iterable[Source | str] | None = None, mirror: str | None = None,
          force: bool = False, progress: bool = True) -> FetchReport:
    """Download the files of ``sources`` that are missing from ``data_dir``; verify every file written.

    Args:
        data_dir: the data directory (created if absent); files go to ``data_dir / <declared path>``.
        sources: source ids or :class:`Source` objects (default: every source of ``sources.yaml``).
        mirror: base URL of a server whose layout is a data directory (e.g. ``http://host/data``); every file,
            derived ones included, is then taken from ``<mirror>/<path>`` instead of its canonical origin.
        force: replace files that are present but whose SHA-256 differs from the declaration (without it they
            are reported as failed and left untouched, as they may be local edits). Files present with the
            right checksum are always skipped: the checksum pins their content.
        progress: show a tqdm progress bar per download.

    Without a mirror, a ``derive``d file is rebuilt from its public input (:mod:`cellmap_kg.sources.derive`); inputs
    (xlsx workbooks, Debian packages) are kept at ``data_dir / derive.from_path`` for reuse.

    Returns a :class:`FetchReport`; per-file problems are collected there, not raised. Raises
    :class:`FetchError` only for an unknown source id.
    """
    data_dir = Path(data_dir)
    report = FetchReport(data_dir=data_dir)
    files = _files(_select(sources))
    data_dir.mkdir(parents=True, exist_ok=True)
    deriver = _Deriver(data_dir, progress)
    try:
        for f in files:
            target = data_dir / f.path
            if target.exists():
                found = sha256_of(target)
                if found == f.sha256:
                    report.skipped.append(f.path)
                    continue
                if not force:
                    report.failed[f.path] = (f"present but its SHA-256 is {found}, expected {f.sha256}; left "
                                             f"untouched (fetch with force=True / --force to replace it)")
                    continue
            try:
                if mirror or not f.derive:
                    if not (mirror or f.url):
                        raise FetchError("no url or derive declared in sources.yaml")
                    report.bytes_written += download(_origin(f, mirror), target, f.sha256, progress=progress,
                                                     label=f.path)
                    report.downloaded.append(f.path)
                else:
                    data = deriver.build(f)
                    report.bytes_written += write_verified(target, data, f.sha256, _origin(f, None))
                    report.derived.append(f.path)
            except (FetchError, DerivationError, OSError) as exc:
                report.failed[f.path] = str(exc)
    finally:
        deriver.close()
    return report


def verify(data_dir: Path, sources: Iterable[Source | str] | None = None) -> list[str]:
    """Problems of ``data_dir`` against the declarations: one line per missing file or checksum mismatch.

    Each line starts with the data-directory-relative path, e.g.
    ``"hgnc/hgnc_genes.tsv: missing"`` or ``"hgnc/hgnc_genes.tsv: SHA-256 is <found>, expected <declared>"``.
    An empty list means every declared file is present with its declared checksum.
    """
    problems = []
    for f in _files(_select(sources)):
        target = Path(data_dir) / f.path
        if not target.exists():
            problems.append(f"{f.path}: missing")
        elif f.sha256 and (found := sha256_of(target)) != f.sha256:
            problems.append(f"{f.path}: SHA-256 is {found}, expected {f.sha256}")
    return problems
