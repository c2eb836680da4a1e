"""The build's loaders run side by side: this process and forked worker processes, each taking the next unit.

The parse (step 2 of ``cellmap_kg.build``) is pure-Python work per row (``csv`` rows, symbol resolution, row
dicts; pandas' and openpyxl's readers are ~0.2 s of it), so threads would not overlap it; processes do. The
loaders are pure functions of their files and the symbol resolver (DESIGN.md), so their rows do not depend on where
they run, and ``build.run_loaders`` puts them in declaration order (``in_declaration_order``): the same rows as one
process.

- A **unit** is a set of sources that declare a common file (``sources.yaml``), run in one process, in declaration
  order: their loaders share a scan of that file (``loaders.go._scan_obo``: the GO and gene2go sources both read the
  OBO file; read once per process).
- Units are taken largest first by the bytes of their files (longest-processing-time-first scheduling, a
  classic 4/3-approximation of the best split; Graham, SIAM J. Appl. Math. 17, 1969), each by whichever lane is
  free: this process, or a thread here that hands the unit to a worker process and waits for its rows.
- Workers are forked once the resolver is built, so they share it instead of rebuilding it (2.4 s; copy-on-write
  pages, which ``gc.freeze`` before the fork keeps the child's garbage collector from touching), and once the
  build's other work on the cores is done (``run_parallel``'s ``after``: the staging store being prepared, for the
  project's Neo4j a JVM starting); their rows come back pickled (~1 s to unpickle the ~40 MB of a full parse).
  Fork keeps this process's ``__main__`` unimported (a user script without an ``if __name__ == "__main__"``
  guard still works) and the build's garbage-collector thresholds. The workers are forked by the parsing thread
  between two of its units, before the threads that feed them exist, so no loader import is half done in a child;
  a child holds only that thread and runs loader code only (files, ``csv``, pandas, openpyxl, gzip).

Measured (2 cores, full real data): see ``cellmap_kg.build.build`` (``jobs``) and the README's build figures.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from pathlib import Path

from .errors import UserError
from .loaders.base import LoadResult
from .loaders.symbols import SymbolResolver
from .sources import Source

Unit = list[Source]

CAN_FORK = "fork" in multiprocessing.get_all_start_methods()
"""Whether this platform forks processes (Linux, macOS; not Windows, where ``run_loaders`` parses in one process)."""


class ParseWorkerError(UserError, RuntimeError):
    """A worker process of the parse ended without answering (killed, e.g. out of memory). The message names the
    sources it was parsing; ``--jobs 1`` parses in one process."""


def parse_units(sources: list[Source]) -> list[Unit]:
    """Group ``sources`` into units: sources that declare a common file path are in one unit (transitively).

    Returns the units in the order of their first source, each unit's sources in their given order.
    Shapes: ``len(sources)`` sources -> ``U`` units, every source in exactly one.
    """
    owner: dict[str, int] = {}  # file path -> index of the unit holding it
    units: list[Unit | None] = []
    for src in sources:
        joined = sorted({owner[f.path] for f in src.files if f.path in owner})
        target = joined[0] if joined else len(units)
        if not joined:
            units.append([])
        for other in joined[1:]:  # the source links units made before: merge them into the first
            units[target].extend(units[other])
            for f_path, holder in owner.items():
                if holder == other:
                    owner[f_path] = target
            units[other] = None
        units[target].append(src)
        for f in src.files:
            owner[f.path] = target
    order = {src.id: i for i, src in enumerate(sources)}
    return [sorted(unit, key=lambda s: order[s.id]) for unit in units if unit]


def unit_bytes(data_dir: Path, unit: Unit) -> int:
    """Bytes of the distinct files the sources of ``unit`` declare (absent files count 0): the scheduling weight."""
    paths = {data_dir / f.path for src in unit for f in src.files}
    return sum(path.stat().st_size for path in paths if path.exists())


def steps(unit: Unit) -> list[tuple[Source, str]]:
    """One ``(source, "<source id>: <loader name>")`` per loader of ``unit``, in order: what progress shows, and
    which source each result of ``run_unit`` belongs to."""
    return [(src, f"{src.id}: {spec.partition(':')[2]}") for src in unit for spec in src.loaders]


def run_unit(data_dir: Path, unit: Unit, resolver: SymbolResolver,
             progress: Callable[[str], None] | None = None) -> list[LoadResult]:
    """Every loader of every source of ``unit``, in order, each result stamped with its source id; ``progress`` is
    called with each loader's step name (``steps``) before it runs.

    Raises:
        the first failing loader's own error (``DataFormatError``, ``MissingDataError`` ...).
    """
    results = []
    loaders = [function for source in unit for function in source.loader_functions()]
    for (src, step), loader in zip(steps(unit), loaders, strict=True):
        if progress:
            progress(step)
        results.append(loader(src.in_dir(data_dir), resolver).finalise(src.id))
    return results


def in_declaration_order(sources: list[Source], units: list[Unit],
                         per_unit: list[list[LoadResult]]) -> list[LoadResult]:
    """The results of ``units`` (one list per unit, as ``run_unit`` returns them) in the order of ``sources``, each
    source's in its loaders' order: what one pass over ``sources`` returns. A unit may join sources that are not
    next to each other in ``sources`` (a later source declaring an earlier one's file)."""
    position = {src.id: i for i, src in enumerate(sources)}
    owners = [src for unit in units for src, _ in steps(unit)]
    flat = [result for results in per_unit for result in results]
    ranked = sorted(zip(owners, flat, strict=True), key=lambda pair: position[pair[0].id])  # stable
    return [result for _, result in ranked]


_WORKER: tuple[Path, list[Unit], SymbolResolver, Path] | None = None
"""What a forked worker inherits (set by ``_adopt`` in the child, from the parent's objects without pickling)."""


def _adopt(data_dir: Path, units: list[Unit], resolver: SymbolResolver, spool: Path) -> None:
    """A worker's start: keep what it inherited, and write to the process's own standard streams: the build's
    progress bars (rich) replace ``sys.stdout`` / ``sys.stderr`` with proxies whose lock their refresh thread may
    have held at the fork, and a loader's warning written through them would then wait forever."""
    global _WORKER
    _WORKER = (data_dir, units, resolver, spool)
    sys.stdout = open(1, "w", closefd=False)  # the worker's streams for its whole life
    sys.stderr = open(2, "w", closefd=False)


def _run_in_worker(index: int) -> tuple[Path, float]:
    """Run unit ``index`` in a worker; its results are pickled into a file of the spool directory, whose path is
    returned with the CPU seconds spent. Why a file: a result sent through the pool's pipe (tens of MB) is read in
    64 KiB pieces by a thread of the parent, which takes the GIL back from the parent's own loader for every piece
    (CPython's 5 ms switch interval); measured: the worker sat idle for 3.4 s of an 8.9 s parse. Read from a file,
    it is one read and one ``pickle.loads``."""
    data_dir, units, resolver, spool = _WORKER
    cpu = time.process_time()
    results = run_unit(data_dir, units[index], resolver)
    path = spool / f"unit-{index}.pickle"
    with open(path, "wb") as fh:
        pickle.dump(results, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path, time.process_time() - cpu


def run_parallel(data_dir: Path, units: list[Unit], resolver: SymbolResolver, processes: int,
                 progress: Callable[[str], None] | None = None,
                 after: Future | None = None) -> tuple[list[list[LoadResult]], float]:
    """Run ``units`` on this process and ``processes - 1`` forked workers (see the module docstring).

    ``after``: other work of the build that holds a core while it runs (the staging store being prepared: for the
    project's Neo4j a JVM starting); the workers are forked once it is done, between two units of this process, and
    not at all if this process has taken every unit by then. Measured on a Cypher build into Neo4j (2 cores,
    alternating): with the worker forked at once, the parse took 13.1 s against 11.8 / 10.9 s in one process (three
    processes busy on two cores, and the rows to unpickle). The workers are forked from this thread before the
    threads that feed them exist, with every object frozen for the garbage collector (``gc.freeze``: a child's
    collections do not write to the pages it shares with this process). If forking fails (``OSError``: no memory
    or processes left), the rest is parsed here.

    Returns one list of results per unit, in the order of ``units``, and the CPU seconds the workers spent running
    units (loaders, and pickling their rows into the spool file); this process's own are in its
    ``time.process_time``. ``progress`` is called with ``"<source id>: <loader name>"`` once per loader when its
    unit has finished (from the lane that ran it, one call at a time).

    Raises:
        The error of the first failing unit in the order of ``units`` among those run (after one fails no new unit
        starts, and the running ones finish); ``ParseWorkerError`` if a worker process died (or its error could not
        be unpickled, which breaks the pool alike).
    """
    data_dir = Path(data_dir)
    weights = [unit_bytes(data_dir, unit) for unit in units]
    queue = deque(sorted(range(len(units)), key=lambda i: -weights[i]))
    lock = threading.Lock()
    stop = threading.Event()
    results: list[list[LoadResult] | None] = [None] * len(units)
    errors: dict[int, BaseException] = {}
    worker_cpu: list[float] = []

    def take() -> int | None:
        with lock:
            return None if stop.is_set() or not queue else queue.popleft()

    def done(index: int, value: list[LoadResult] | BaseException) -> None:
        with lock:
            if isinstance(value, BaseException):
                errors[index] = value
                stop.set()
                return
            results[index] = value
            if progress:
                for _, step in steps(units[index]):
                    progress(step)

    def remote_lane(pool: ProcessPoolExecutor) -> None:
        while (index := take()) is not None:
            try:
                path, cpu = pool.submit(_run_in_worker, index).result()
                worker_cpu.append(cpu)
                done(index, pickle.loads(path.read_bytes()))
            except BrokenProcessPool as exc:
                names = ", ".join(src.id for src in units[index])
                done(index, ParseWorkerError(f"a parse worker process ended without answering ({exc}); the workers "
                                             f"were parsing {names}, perhaps among others; run the build with "
                                             "--jobs 1 to parse in one process"))
            except BaseException as exc:  # the loader's own error, raised again in the worker's order
                done(index, exc)

    with ExitStack() as stack:
        lanes: list[Future] = []

        def fork_workers() -> None:
            before = set(multiprocessing.active_children())
            gc.freeze()
            try:
                spool = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cellmap-kg-parse-")))
                pool = stack.enter_context(ProcessPoolExecutor(
                    processes - 1, mp_context=multiprocessing.get_context("fork"), initializer=_adopt,
                    initargs=(data_dir, units, resolver, spool)))
                pool.submit(int).result()  # the first task forks every worker, here, before the feeding threads
            except (OSError, BrokenProcessPool):
                for child in set(multiprocessing.active_children()) - before:  # forked before a later fork failed
                    child.terminate()
                    child.join()
                return  # no worker: this process parses the rest
            finally:
                gc.unfreeze()
            feeders = stack.enter_context(ThreadPoolExecutor(processes - 1, thread_name_prefix="parse-lane"))
            lanes.extend(feeders.submit(remote_lane, pool) for _ in range(processes - 1))

        forking = True
        try:
            while True:
                if forking and (after is None or after.done()):
                    forking = False
                    with lock:
                        wanted = bool(queue) and not stop.is_set()
                    if wanted:
                        fork_workers()
                if (index := take()) is None:
                    break
                try:
                    value = run_unit(data_dir, units[index], resolver)
                except Exception as exc:
                    value = exc
                done(index, value)
        finally:
            stop.set()  # also on KeyboardInterrupt: no lane takes a new unit
            for lane in lanes:
                lane.result()
    if errors:
        raise errors[min(errors)]
    return results, sum(worker_cpu)
