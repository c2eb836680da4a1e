"""`fetch` against a local HTTP server serving the real data directory (a mirror of the data-directory layout) or
single public inputs: files arrive byte-identical, bad bytes never land, present files are skipped, derived
files are rebuilt from their public input and match the shared copies."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import shutil
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cellmap_kg.sources import source
from cellmap_kg.sources.fetch import ChecksumError, FetchError, download, fetch, verify

SMALL = ["cellmaps-pipeline-example", "cellmaps-hcx-examples"]  # 5 files, 366 kB
BAITLIST = "cellmaps_examples/pipeline_inputs/baitlist.tsv"
S3 = "pediatric_cancer/groebner2018_S3_mutation_counts.tsv"
NAMES = "u2os_cellmap_draft/May2023_final/May2023_final_llm_assembly_names.tsv"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        pass


@contextmanager
def serving(root: Path):
    """Serve directory ``root`` on 127.0.0.1 (free port) in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def mirror(data_dir):
    """Base URL of a local HTTP server serving the real data directory."""
    with serving(data_dir) as url:
        yield url


def small_paths() -> list[str]:
    return [f.path for sid in SMALL for f in source(sid).files]


def declared_sha256(path: str) -> str:
    return next(f.sha256 for sid in SMALL for f in source(sid).files if f.path == path)


def part_files(root: Path) -> list[Path]:
    return list(root.rglob("*.part"))


def test_fetch_through_a_mirror_writes_the_declared_bytes(tmp_path, data_dir, mirror):
    report = fetch(tmp_path, SMALL, mirror=mirror, progress=False)

    assert report.ok, report.summary()
    assert sorted(report.downloaded) == sorted(small_paths())
    assert len(report.downloaded) == 5 and report.skipped == [] and report.derived == []
    for path in small_paths():
        assert (tmp_path / path).read_bytes() == (data_dir / path).read_bytes(), path
    assert report.bytes_written == sum((data_dir / p).stat().st_size for p in small_paths())
    assert verify(tmp_path, SMALL) == []
    assert part_files(tmp_path) == []


def test_files_already_present_with_the_right_checksum_are_skipped(tmp_path, mirror):
    fetch(tmp_path, SMALL, mirror=mirror, progress=False)
    before = {p: (tmp_path / p).stat().st_mtime_ns for p in small_paths()}

    again = fetch(tmp_path, SMALL, mirror=mirror, progress=False)

    assert sorted(again.skipped) == sorted(small_paths())
    assert again.downloaded == [] and again.bytes_written == 0 and again.ok
    assert {p: (tmp_path / p).stat().st_mtime_ns for p in small_paths()} == before


def test_a_corrupted_file_on_the_server_fails_its_checksum_and_is_not_left_behind(tmp_path, data_dir):
    served = tmp_path / "served"
    bad = served / BAITLIST
    bad.parent.mkdir(parents=True)
    content = bytearray((data_dir / BAITLIST).read_bytes())
    content[10] ^= 0x01  # one changed byte
    bad.write_bytes(bytes(content))
    target_dir = tmp_path / "data"

    with serving(served) as url:
        report = fetch(target_dir, ["cellmaps-pipeline-example"], mirror=url, progress=False)

    reason = report.failed[BAITLIST]
    assert "SHA-256 mismatch" in reason and declared_sha256(BAITLIST) in reason
    assert hashlib.sha256(bytes(content)).hexdigest() in reason
    assert not (target_dir / BAITLIST).exists()
    assert part_files(target_dir) == []
    # the other file of the source is not on this server: reported, not raised
    assert "HTTP 404" in report.failed["cellmaps_examples/pipeline_inputs/edgelist.tsv"]
    assert not report.ok and report.downloaded == []


def test_download_raises_checksum_error_naming_file_and_both_hashes(tmp_path, mirror):
    target = tmp_path / "baitlist.tsv"
    with pytest.raises(ChecksumError) as err:
        download(f"{mirror}/{BAITLIST}", target, "0" * 64, progress=False)
    assert err.value.path == str(target) and err.value.expected == "0" * 64
    assert err.value.found == declared_sha256(BAITLIST)
    assert not target.exists() and part_files(tmp_path) == []


def test_an_altered_local_file_is_reported_then_replaced_with_force(tmp_path, data_dir, mirror):
    altered = tmp_path / BAITLIST
    altered.parent.mkdir(parents=True)
    altered.write_text("GeneSymbol\tGeneID\n")

    kept = fetch(tmp_path, ["cellmaps-pipeline-example"], mirror=mirror, progress=False)
    assert "left untouched" in kept.failed[BAITLIST]
    assert altered.read_text() == "GeneSymbol\tGeneID\n"
    found = hashlib.sha256(altered.read_bytes()).hexdigest()
    assert verify(tmp_path, ["cellmaps-pipeline-example"]) == [
        f"{BAITLIST}: SHA-256 is {found}, expected {declared_sha256(BAITLIST)}"]  # edgelist.tsv was fetched

    forced = fetch(tmp_path, ["cellmaps-pipeline-example"], mirror=mirror, force=True, progress=False)
    assert forced.downloaded == [BAITLIST] and forced.skipped == ["cellmaps_examples/pipeline_inputs/edgelist.tsv"]
    assert altered.read_bytes() == (data_dir / BAITLIST).read_bytes()


def test_verify_names_missing_files(tmp_path):
    assert verify(tmp_path, ["cellmaps-pipeline-example"]) == [
        f"{BAITLIST}: missing", "cellmaps_examples/pipeline_inputs/edgelist.tsv: missing"]


def test_unknown_source_id_is_an_error_listing_the_known_ones(tmp_path):
    with pytest.raises(FetchError, match="unknown source 'nope'.*groebner-2018"):
        fetch(tmp_path, ["nope"], progress=False)


def test_a_derived_tsv_is_rebuilt_from_its_public_xlsx(tmp_path, data_dir, mirror):
    """Without a mirror, the Groebner S_Table3 TSV is made from the supplementary workbook at its declared URL
    (here the local server), which is kept at ``derive.from_path``; the result matches the shared TSV byte for
    byte (the declared SHA-256 is checked before writing)."""
    groebner = source("groebner-2018")
    s3 = next(f for f in groebner.files if f.path == S3)
    local = dataclasses.replace(s3, derive={**s3.derive, "from": f"{mirror}/{s3.derive['from_path']}"})
    report = fetch(tmp_path, [dataclasses.replace(groebner, files=(local,))], progress=False)

    assert report.derived == [S3] and report.ok, report.summary()
    assert (tmp_path / S3).read_bytes() == (data_dir / S3).read_bytes()
    assert (tmp_path / s3.derive["from_path"]).read_bytes() == (data_dir / s3.derive["from_path"]).read_bytes()


def test_a_derivation_whose_input_has_the_wrong_checksum_fails_cleanly(tmp_path, mirror):
    groebner = source("groebner-2018")
    s3 = next(f for f in groebner.files if f.path == S3)
    wrong = dataclasses.replace(s3, derive={**s3.derive, "from": f"{mirror}/{BAITLIST}"})
    report = fetch(tmp_path, [dataclasses.replace(groebner, files=(wrong,))], progress=False)

    assert "SHA-256 mismatch" in report.failed[S3] and s3.derive["from_sha256"] in report.failed[S3]
    assert not (tmp_path / S3).exists() and not (tmp_path / s3.derive["from_path"]).exists()


def test_llm_names_are_rebuilt_from_per_assembly_responses(tmp_path, data_dir):
    """A server laid out like idekerlab/cellmaps_annotate_hierarchy ``MuSIC2_Maps/May2023_final`` with one
    ChatGPT response per named assembly (headings written in the styles found there: ``#``, ``###``, none,
    after blank lines) and none for the three unnamed ones: the rebuilt table equals the shared one."""
    rows = [line.split("\t") for line in (data_dir / NAMES).read_text(encoding="utf-8").splitlines()[1:]]
    served = tmp_path / "served"
    styles = ["### {}\n\n#### Summary\n", "# {}\n\n## Summary\n", "\n\n{}\n\n**Summary:**\n", "###  {} \n"]
    for i, (assembly, _size, _persistence, name) in enumerate(rows):
        response = served / assembly / f"{assembly}_chatgpt_response.md"
        response.parent.mkdir(parents=True)
        response.write_text(styles[i % len(styles)].format(name) + "Some text.\n", encoding="utf-8")
    cellmap = source("u2os-cellmap-2023-05")
    names = next(f for f in cellmap.files if f.path == NAMES)
    data = tmp_path / "data"
    (data / names.derive["nodes"]).parent.mkdir(parents=True)
    shutil.copyfile(data_dir / names.derive["nodes"], data / names.derive["nodes"])

    with serving(served) as url:
        local = dataclasses.replace(names, derive={**names.derive,
                                                   "from": url + "/{assembly}/{assembly}_chatgpt_response.md"})
        report = fetch(data, [dataclasses.replace(cellmap, files=(local,))], progress=False)

    assert len(rows) == 267
    assert report.derived == [NAMES], report.summary()
    assert (data / NAMES).read_bytes() == (data_dir / NAMES).read_bytes()


def test_llm_names_need_the_nodes_file_first(tmp_path):
    cellmap = source("u2os-cellmap-2023-05")
    names = next(f for f in cellmap.files if f.path == NAMES)
    report = fetch(tmp_path, [dataclasses.replace(cellmap, files=(names,))], progress=False)
    assert "needs u2os_cellmap_draft/May2023_final/" in report.failed[NAMES]
