"""The build's parse in several processes (``cellmap_kg.parse_pool``): units of sources sharing a file, the same
results in the same order as one process on real data, and a worker's errors raised as the loader's own."""

from __future__ import annotations

import faulthandler
import os
import pickle
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pytest

from cellmap_kg import parse_pool
from cellmap_kg.build import _select, run_loaders
from cellmap_kg.loaders.base import DataFormatError, LoadResult
from cellmap_kg.loaders.symbols import SymbolResolver
from cellmap_kg.parse_pool import ParseWorkerError, parse_units, run_parallel
from cellmap_kg.sources import Source, SourceFile, load_sources

PARENT = os.getpid()
MARKER_ENV = "CELLMAP_KG_TEST_PARSE_MARKER"
"""A file the fake loader creates in a worker process; the same loader in this process waits for it, so that the
other unit is certainly run by the worker (whichever lane takes which unit)."""


def _source(source_id: str, *paths: str, loader: str = "", key: str | None = None) -> Source:
    return Source(id=source_id, name=source_id, version="1", licence="-", citation="-",
                  files=tuple(SourceFile(path, key=key) for path in paths), loaders=(loader,) if loader else ())


def echo_loader(source, resolver) -> LoadResult:
    """A loader made for the order test: one ``Dataset`` row naming its source."""
    result = LoadResult(source.id)
    result.add_nodes("Dataset", [{"id": source.id}])
    return result


@pytest.mark.parametrize("processes", [1, 2])
def test_results_come_in_declaration_order_when_a_unit_joins_distant_sources(tmp_path, processes):
    """``c`` declares ``a``'s file, so ``a`` and ``c`` form one unit ahead of ``b``; the results still come as a
    pass over the sources returns them."""
    loader = f"{__name__}:echo_loader"
    sources = [_source("a", "f1", loader=loader), _source("b", "f2", loader=loader),
               _source("c", "f1", loader=loader)]
    assert [[s.id for s in unit] for unit in parse_units(sources)] == [["a", "c"], ["b"]]
    results = run_loaders(tmp_path, sources, SymbolResolver(), processes=processes)
    assert [(r.source, r.nodes[0].rows) for r in results] == [("a", [{"id": "a"}]), ("b", [{"id": "b"}]),
                                                              ("c", [{"id": "c"}])]


def test_sources_that_declare_a_common_file_form_one_unit():
    """GO and gene2go both declare the GO OBO file (their loaders share its scan): one unit; a source linking two
    earlier units merges them, in declaration order; every source in exactly one unit."""
    sources = [s for s in load_sources() if s.loaders]
    units = parse_units(sources)
    ids = [[s.id for s in unit] for unit in units]
    assert ["go-2022-07-01", "gene2go-2022-09-12"] in ids
    assert sorted(i for unit in ids for i in unit) == sorted(s.id for s in sources)

    made = [_source("a", "f1"), _source("b", "f2"), _source("d", "f3"), _source("c", "f2", "f1")]
    assert [[s.id for s in unit] for unit in parse_units(made)] == [["a", "b", "c"], ["d"]]


def _canonical(results: list[LoadResult]) -> list[tuple]:
    return [(r.source, pickle.dumps([(b.label, b.rows, b.extra_labels) for b in r.nodes]),
             pickle.dumps([(b.type, b.rows) for b in r.relationships]),
             r.report.read, r.report.skipped, dict(r.report.examples)) for r in results]


def test_two_processes_give_the_results_of_one_in_the_same_order(data_dir, resolver):
    """Real sources, one of them two loaders (OpenCell) and one unit of two sources sharing a file (GO, gene2go):
    rows, reports and order identical to one process; the worker's CPU seconds are reported."""
    wanted = ["corum-2022-11-28", "groebner-2018", "hpa-subcellular-v21", "opencell-2022", "go-2022-07-01",
              "gene2go-2022-09-12"]
    sources = [s for s in _select(load_sources(), wanted) if s.loaders]
    one = run_loaders(data_dir, sources, resolver)
    cpu: list[float] = []
    steps: list[str] = []
    two = run_loaders(data_dir, sources, resolver, progress=steps.append, processes=2, worker_cpu=cpu.append)
    assert _canonical(two) == _canonical(one)
    assert [r.source for r in two] == [s.id for s in sources for _ in s.loaders]
    corum = next(r for r in two if r.source == "corum-2022-11-28")
    assert {"id": "CORUM:1", "name": "BCL6-HDAC4 complex"}.items() <= corum.nodes[0].rows[0].items()
    assert len(cpu) == 1
    assert sorted(steps) == sorted(f"{s.id}: {spec.partition(':')[2]}" for s in sources for spec in s.loaders)


AFTER: list[Future] = []
"""The ``after`` future of the running test, completed by the fake loader of a ``first`` source in this process."""


def fake_loader(source, resolver) -> LoadResult:
    """Behaves as the ``source`` id says. Here: ``first*`` completes the test's ``after`` future; any other waits
    until a worker has created the marker file (so the other unit is certainly run by a worker). In a worker: create
    the marker, then fail (``bad*``: ``DataFormatError``; ``exit*``: the process exits) or succeed."""
    marker = Path(os.environ[MARKER_ENV])
    if os.getpid() == PARENT:
        if source.id.startswith("first"):
            AFTER[-1].set_result(None)
            return LoadResult(source.id)
        for _ in range(6000):
            if marker.exists():
                return LoadResult(source.id)
            time.sleep(0.01)
        raise AssertionError("no worker process ran a unit within 60 s")
    if AFTER and not AFTER[-1].done():
        raise AssertionError("a worker was forked before the other work was done")
    marker.touch()
    if source.id.startswith("exit"):
        os._exit(3)
    if source.id.startswith("bad"):
        raise DataFormatError(source.path("table"), 7, "column 'score': expected a number, found 'n/a'")
    return LoadResult(source.id)


@pytest.fixture(autouse=True)
def no_hang():
    """A test of worker processes that hangs ends the run with every thread's traceback after 300 s."""
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def marker(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "worker-ran"
    monkeypatch.setenv(MARKER_ENV, str(path))
    return path


def _fake_units(tmp_path: Path, *ids: str) -> list[list[Source]]:
    """One unit per id, each a source with its own file; earlier ids get larger files (so they are taken first)."""
    units = []
    for i, source_id in enumerate(ids):
        (tmp_path / f"{source_id}.tsv").write_text("a\tscore\n" * (len(ids) - i))
        units.append([_source(source_id, f"{source_id}.tsv", loader=f"{__name__}:fake_loader", key="table")])
    return units


def test_an_error_in_a_worker_is_raised_as_the_loaders_own(tmp_path, marker):
    """``DataFormatError`` crosses the process boundary with its file, line and message."""
    with pytest.raises(DataFormatError) as caught:
        run_parallel(tmp_path, _fake_units(tmp_path, "bad0", "bad1"), SymbolResolver(), 2)
    assert caught.value.line == 7
    assert caught.value.path.endswith(".tsv")
    assert str(caught.value).endswith(".tsv:7: column 'score': expected a number, found 'n/a'")


def test_a_worker_that_dies_is_named(tmp_path, marker):
    with pytest.raises(ParseWorkerError, match=r"parse worker process ended without answering .*; the workers were "
                                               r"parsing exit[01], perhaps among others; .*--jobs 1"):
        run_parallel(tmp_path, _fake_units(tmp_path, "exit0", "exit1"), SymbolResolver(), 2)


def test_the_workers_are_forked_when_the_other_work_is_done(tmp_path, marker):
    """``after`` completes during this process's first unit: the worker is forked before the next one, and runs a
    unit (the one this process does not take); the results come back in unit order."""
    AFTER.append(Future())
    units = _fake_units(tmp_path, "first", "wait", "worker")
    per_unit, cpu = run_parallel(tmp_path, units, SymbolResolver(), 2, after=AFTER[-1])
    assert [[r.source for r in unit] for unit in per_unit] == [["first"], ["wait"], ["worker"]]
    assert marker.exists() and cpu > 0


def test_a_data_format_error_pickles_with_its_fields():
    error = pickle.loads(pickle.dumps(DataFormatError("dir/f.tsv", 3, "expected 4 fields, found 5")))
    assert (error.path, error.line, str(error)) == ("dir/f.tsv", 3, "dir/f.tsv:3: expected 4 fields, found 5")


def test_no_worker_is_forked_before_the_other_work_is_done(data_dir, resolver, monkeypatch):
    """``after`` never finishes here (a staging store still starting): this process takes every unit, no worker
    process pool is made, and the results are those of one process."""
    made = []
    monkeypatch.setattr(parse_pool, "ProcessPoolExecutor",
                        lambda *a, **k: made.append(a) or ProcessPoolExecutor(*a, **k))
    wanted = ["corum-2022-11-28", "groebner-2018", "hpa-subcellular-v21"]
    sources = [s for s in _select(load_sources(), wanted) if s.loaders]
    per_unit, cpu = run_parallel(data_dir, parse_units(sources), resolver, 2, after=Future())
    assert cpu == 0.0 and made == []
    assert _canonical([r for unit in per_unit for r in unit]) == _canonical(run_loaders(data_dir, sources, resolver))
