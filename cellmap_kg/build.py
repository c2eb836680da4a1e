"""Build the knowledge graph from a data directory into a store, atomically.

Steps (one-way data flow, DESIGN.md):

1. check every declared file is present (``MissingDataError`` lists all that are not);
2. build the symbol resolver (HGNC + NCBI Gene) and run every loader -> ``LoadResult`` rows in memory;
3. validate every row against the schema declaration (``SchemaError`` names the source and row);
4. create ``Protein`` nodes for all protein-coding genes and every symbol any source refers to;
5. write into a *staging* graph (``GraphStore.write_graph``; FalkorDB loads it with ``GRAPH.BULK``), verify that
   every relationship found its endpoints, run the graph analyses of the default build, and only then ``promote``
   the staging graph to live.

Any failure before step 5's promote leaves the previous live graph untouched (``BuildError``).
"""

from __future__ import annotations

import gc
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .errors import UserError
from .loaders.base import LoadReport, LoadResult, MissingDataError, NodeBatch
from .loaders.symbols import SymbolResolver
from .parse_pool import CAN_FORK, in_declaration_order, parse_units, run_parallel, run_unit
from .schema import SCHEMA, SchemaError
from .sources import Source, load_sources
from .store.base import GraphStore

PROTEIN = "Protein"
GC_THRESHOLDS = (200_000, 30, 30)
"""CPython's cyclic garbage-collector thresholds while a build runs (``gc.set_threshold``; CPython's defaults are
700, 10, 10), the values mypy sets for its own builds (``mypy/build.py``, "otherwise we can spend a large fraction
of cpu in gc"). A build keeps ~1.3 million row dicts and lists alive until it ends, and with the defaults every
full collection walks them all again: in a rebuild into FalkorDB (HiSig fits from the cache) 17 full collections
and 6,800 others took 4.0-4.3 s of a 27-28 s build, against 0.5-0.6 s with these (14 young collections), at the same
peak RSS (796 MB; the build's rows are not garbage); in a first build (``benchmarks/build.py``, medians of two
rounds) 5.0 s in 6,710 collections against 1.4 s in 15, peak RSS 855 against 885 MB (cyclic garbage of the HiSig
fits is collected later). Measured on CPython 3.11."""


class BuildError(UserError, RuntimeError):
    """The build failed; the previous graph is intact. The message says which step and source failed."""


@dataclass
class BuildResult:
    """Outcome of a build: per-source reports, counts in the new graph, and per phase (parse, validate, staging:
    what the build still waited for the staging store after validating, write, analyses, promote) the wall time
    (``timings``) and this process's CPU time (``cpu_seconds``, all threads, plus the parse's worker processes; the
    database server's own CPU time is not included), in seconds."""

    reports: list[LoadReport] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    elements: int = 0
    analyses: dict[str, dict] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Total wall time of the build."""
        return sum(self.timings.values())

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Record the wall and CPU time of the ``with`` block as phase ``name`` (also when it raises)."""
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - wall
            self.cpu_seconds[name] = time.process_time() - cpu


def _select(sources: Iterable[Source], only: Iterable[str] | None) -> list[Source]:
    chosen = list(sources)
    if only:
        wanted = set(only)
        unknown = wanted - {s.id for s in chosen}
        if unknown:
            raise BuildError(f"unknown source(s) {sorted(unknown)}; known: {[s.id for s in chosen]}")
        by_id = {s.id: s for s in chosen}
        pending = list(wanted)
        while pending:  # add the sources whose nodes the wanted ones point at
            for req in by_id[pending.pop()].requires:
                if req not in wanted:
                    wanted.add(req)
                    pending.append(req)
        chosen = [s for s in chosen if s.id in wanted]
    return chosen


def check_files(data_dir: Path, sources: Iterable[Source]) -> None:
    """Raise ``MissingDataError`` listing every declared file absent from ``data_dir``."""
    missing = [f"{data_dir / p}" for s in sources for p in s.missing_files(data_dir)]
    if missing:
        raise MissingDataError(
            f"{len(missing)} data file(s) missing from {data_dir}:\n  " + "\n  ".join(missing)
            + "\nRun `cellmap-kg fetch --data DIR` to download them, or point --data / CELLMAP_KG_DATA at a "
            "directory that has them."
        )


def run_loaders(data_dir: Path, sources: list[Source], resolver: SymbolResolver,
                progress: Callable[[str], None] | None = None, processes: int = 1,
                worker_cpu: Callable[[float], None] | None = None, after: Future | None = None) -> list[LoadResult]:
    """Run the loaders of ``sources`` on ``data_dir``; each result is stamped with its source's dataset id.

    Each loader is called as ``loader(src.in_dir(data_dir), resolver)``: its declaration bound to the data
    directory (``sources.SourceFiles``), from which it takes its dataset id and its files by key. With
    ``processes`` > 1 the sources run side by side in this process and ``processes - 1`` forked workers
    (``parse_pool``: sources sharing a file stay together; the workers start once ``after``, other work holding a
    core, is done; one process when there is one unit or the platform cannot fork); either way the results come in
    the order of ``sources`` (``parse_pool.in_declaration_order``), each source's in its loaders' order.
    ``progress`` is called with ``"<source id>: <loader name>"`` once per loader; ``worker_cpu`` with the CPU seconds
    the worker processes spent (not in this process's ``time.process_time``).

    Raises:
        the first failing loader's error (``DataFormatError``, ``MissingDataError`` ...); with processes, that of
        the first failing source in declaration order among those run, or ``ParseWorkerError``.
    """
    units = parse_units(sources)
    if processes > 1 and len(units) > 1 and CAN_FORK:
        per_unit, cpu = run_parallel(data_dir, units, resolver, min(processes, len(units)), progress, after)
        if worker_cpu:
            worker_cpu(cpu)
    else:
        per_unit = [run_unit(data_dir, unit, resolver, progress) for unit in units]
    return in_declaration_order(sources, units, per_unit)


def validate(results: list[LoadResult]) -> None:
    """Check every row of every result against the schema. Raises ``SchemaError`` naming source and batch."""
    for result in results:
        for nb in result.nodes:
            SCHEMA.check_node_rows(nb.label, nb.rows, f"{result.source} {nb.label}")
        for rb in result.relationships:
            SCHEMA.check_relationship_rows(rb.type, rb.rows, f"{result.source} {rb.type}")


def referenced_keys(results: list[LoadResult], label: str) -> set[str]:
    """Key values of ``label`` nodes that any relationship row or node row of ``results`` refers to."""
    keys: set[str] = set()
    for result in results:
        for nb in result.nodes:
            if nb.label == label:
                key = SCHEMA.key_of(label)
                keys.update(r[key] for r in nb.rows)
        for rb in result.relationships:
            source, target = rb.labels(SCHEMA)
            if source == label:
                keys.update(r["source"] for r in rb.rows)
            if target == label:
                keys.update(r["target"] for r in rb.rows)
    return keys


def protein_nodes(resolver: SymbolResolver, referenced: set[str]) -> NodeBatch:
    """``Protein`` rows for every protein-coding gene of NCBI Gene plus every ``referenced`` symbol.

    Shapes: one row per symbol; properties from ``SymbolResolver.protein_row``.
    """
    symbols = {s for s, g in resolver.genes.items() if g.get("geneType") == "protein-coding"} | referenced
    return NodeBatch(PROTEIN, [resolver.protein_row(s) for s in sorted(symbols)])


def write_results(store: GraphStore, sources: list[Source], proteins: NodeBatch, results: list[LoadResult],
                  progress: Callable[[str, int], None] | None = None) -> int:
    """Write Dataset nodes, proteins, then every node batch, then every relationship batch into ``store``'s empty
    graph with ``GraphStore.write_graph`` (which also applies the schema).

    Returns the number of elements written. Raises ``BuildError`` if a relationship batch wrote fewer rows than
    it has (an endpoint was missing: a loader bug, never silently tolerated).
    """
    nodes = [NodeBatch("Dataset", [s.dataset_row() for s in sources]), proteins]
    nodes += [nb for result in results for nb in result.nodes]
    relationships = [(result.source, rb) for result in results for rb in result.relationships]
    counts = store.write_graph(nodes, [rb for _, rb in relationships], progress)
    for (source, rb), n in zip(relationships, counts, strict=True):
        if n != len(rb.rows):
            raise BuildError(f"{source}: {rb.type}: wrote {n} of {len(rb.rows)} relationships; "
                             "some endpoints do not exist (loader emitted a key no node has)")
    return sum(len(nb.rows) for nb in nodes) + sum(counts)


@contextmanager
def collector_thresholds(thresholds: tuple[int, int, int]) -> Iterator[None]:
    """Set CPython's garbage-collector thresholds (``gc.set_threshold``) for the ``with`` block (or the decorated
    function), then restore the previous ones, also when it raises. See ``GC_THRESHOLDS``. The thresholds are the
    process's: blocks nest, but two builds in threads of one process that end in the order they began leave
    ``GC_THRESHOLDS`` set (each restores what it found; the CLI and the API run one build per process)."""
    previous = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@collector_thresholds(GC_THRESHOLDS)
def build(store: GraphStore, data_dir: Path, only: Iterable[str] | None = None, analyses: bool = True,
          ui=None, cache_dir: Path | None = None, jobs: int | None = None) -> BuildResult:
    """Build the graph from ``data_dir`` into ``store`` atomically and return a ``BuildResult``.

    Args:
        store: the live store; the build writes into ``store.staging()`` and promotes it on success.
        data_dir: directory with the files declared in ``sources.yaml``.
        only: restrict to these source ids (default: all sources).
        analyses: run the default-build graph analyses on the staging graph before promoting.
        ui: optional ``BuildUI`` (progress bars); ``None`` runs silently.
        cache_dir: where the analyses keep HiSig fits to reuse when their inputs are unchanged (``None``: fit all;
            the CLI passes ``hisig_cache.default_cache_dir()``).
        jobs: processes parsing the files (``run_loaders``) and threads of HiSig's lasso paths (``AnalysisOptions.
            jobs``); default: the analyses' default, 2. The graph's data is the same for any value (the analyses' run
            log records it). Measured (2 cores,
            full real data, ``benchmarks/build.py``): see the README's build figures.

    Raises:
        MissingDataError: declared files are absent. BuildError / SchemaError / DataFormatError: the build
        failed; the previous graph is intact. ``ValueError``: ``jobs`` < 1.
    """
    from .analyses.registry import AnalysisOptions, run_default_analyses  # analyses sit above the store

    options = AnalysisOptions(data_dir=Path(data_dir), cache_dir=cache_dir,
                              **({} if jobs is None else {"jobs": jobs}))
    if options.jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {options.jobs}")

    result = BuildResult()
    started = datetime.now(UTC)
    sources = _select(load_sources(), only)
    data_dir = Path(data_dir)
    check_files(data_dir, sources)
    # The staging store is prepared while the files parse: for the project's Neo4j that is starting a second
    # server (a JVM, ~8-15 s here), which then overlaps parsing instead of following it.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="staging") as pool:
        pending = pool.submit(store.staging)
        try:
            results, resolver = _parse(result, data_dir, sources, ui, options.jobs, pending)
            with result.phase("validate"):
                try:
                    validate(results)
                except SchemaError as exc:
                    raise BuildError(f"validation failed: {exc}") from exc
                proteins = protein_nodes(resolver, referenced_keys(results, PROTEIN))
                result.reports = [r.report for r in results]
        except BaseException:
            _discard_pending(pending, store)
            raise
        with result.phase("staging"):  # what the build still waits for the staging store after validation
            staging = pending.result()
    try:
        with result.phase("write"):
            if ui:
                ui.start("write", len(sources) + len(proteins.rows) + sum(r.element_count() for r in results))
            result.elements = write_results(staging, sources, proteins, results,
                                            progress=(lambda s, n: ui.advance("write", s, n)) if ui else None)
        with result.phase("analyses"):
            if analyses:
                result.analyses = run_default_analyses(staging, ui=ui, options=options)
        finished = datetime.now(UTC)
        staging.write_nodes("GraphBuild", [{
            "id": "current", "buildId": uuid.uuid4().hex, "startedAt": started.isoformat(timespec="seconds"),
            "finishedAt": finished.isoformat(timespec="seconds"), "dataDir": str(data_dir.resolve()),
            "sources": [s.id for s in sources], "elements": result.elements,
        }])
        result.counts = staging.counts()
    except Exception:
        _discard(staging, store)
        raise
    with result.phase("promote"):
        store.promote(staging)
    return result


def _parse(result: BuildResult, data_dir: Path, sources: list[Source], ui, processes: int,
           staging: Future) -> tuple[list[LoadResult], SymbolResolver]:
    """Step 2 of the module docstring, timed as phase ``parse``: the symbol resolver and every loader's rows (in
    ``processes`` processes, the workers once ``staging`` is prepared: ``run_loaders``)."""
    worker_cpu: list[float] = []
    with result.phase("parse"):
        loading = [s for s in sources if s.loaders]
        if ui:
            ui.start("parse", sum(len(s.loaders) for s in loading) + 1)
        resolver = SymbolResolver.from_data_dir(data_dir)
        if ui:
            ui.advance("parse", "symbols (HGNC + NCBI Gene)")
        results = run_loaders(data_dir, loading, resolver,
                              progress=(lambda s: ui.advance("parse", s)) if ui else None, processes=processes,
                              worker_cpu=worker_cpu.append, after=staging)
    result.cpu_seconds["parse"] += sum(worker_cpu)
    return results, resolver


def _discard_pending(pending: Future, live: GraphStore) -> None:
    """Discard the staging store being prepared for a build that failed before writing (waits for it first)."""
    try:
        staging = pending.result()
    except Exception:
        return  # preparing it failed as well; the build's own error is the one to report
    _discard(staging, live)


def _discard(staging: GraphStore, live: GraphStore) -> None:
    """Drop a failed staging graph (best effort) without touching the live graph."""
    if staging is live:
        return
    try:
        staging.clear()
    finally:
        staging.close()
