"""Adding and removing a user's cell map in a live graph, atomically, leaving the other maps untouched.

``add_map`` turns a map file into the rows every map of the graph has (``Assembly`` with ``map = <name>`` and
``id = "<name>:<cluster>"``, ``CONTAINS``, ``MEMBER_OF``; ``loaders.cellmap.add_hierarchy``), with every member
name resolved by the ``SymbolResolver`` as in a build (unknown and ambiguous names are counted and reported), and
validates them against the schema. The write is atomic on both backends through the store interface only:

1. *stage*: the rows are written under a staging map id (``STAGING_PREFIX + name``: assemblies
   ``.staging.<name>:<cluster>``), which no user map can have (map names start with a letter or digit);
2. *verify*: every relationship must have found its endpoints and the staged counts must equal the rows;
3. *analyse* (optional): the map-level analyses run on the staged map (``MAP_ANALYSES``);
4. *commit*: one statement (``GraphStore.rename_map``) renames the staged assemblies to the map's name and
   writes its ``Dataset`` node. One statement is one transaction on Neo4j (auto-commit) and is executed
   atomically by FalkorDB, so readers see either no map or the whole map, analyses included.

A failure in steps 1-4 deletes the staged assemblies with their relationships (``GraphStore.delete_nodes``: one
statement) and re-raises; a process killed mid-way leaves a staged map that the next ``add_map`` of the same
name removes first. The commit statement renames nothing if a map of the name appeared meanwhile, so two adds of
one name at once end with one map (the other fails with ``MapError``), never a mixture. ``remove_map`` is one
``delete_nodes`` statement over the map's assemblies and ``Dataset``. Only maps added this way can be removed;
maps declared in ``sources.yaml`` belong to the build.

Map-level analyses on a new map (``MAP_ANALYSES``): annotation (``annotate_map``), size (``estimate_diameters``
on the map's assemblies), multi-localization (``Assembly.multiParent``; the per-protein properties describe the
default map only and are left as they are), mutation frequency (``compute_mutation_frequency``) and pan-cohort
HiSig (the ``hisig`` analysis of the registry). Each is skipped with its reason when its input (e.g. the
tumour cohort) is not in the graph.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..analyses.annotation_graph import annotate_map
from ..analyses.graph_io import MissingInputError, map_names
from ..analyses.multilocalization_graph import localize_proteins
from ..analyses.mutation_frequency import compute_mutation_frequency
from ..analyses.registry import ANALYSES, AnalysisOptions
from ..analyses.size_graph import calibration_file, estimate_diameters
from ..build import validate
from ..errors import UserError
from ..loaders.base import LoadReport, LoadResult
from ..loaders.cellmap import add_hierarchy
from ..loaders.symbols import SymbolResolver
from ..queries.registry import run_internal
from ..store.base import GraphStore
from .files import read_map

STAGING_PREFIX = ".staging."
USER_MAP_DATASET = "user-map:"
"""``Dataset.id`` of a map added with ``add_map`` is ``USER_MAP_DATASET + name``; its relationships carry it."""
MAP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


class MapError(UserError, ValueError):
    """A map cannot be added, removed or compared as asked (the message says why and what to do)."""


@dataclass
class MapAddResult:
    """What ``add_map`` wrote: counts, where the members came from, what was skipped, analyses and timings.

    Attributes:
        map: the map's name. dataset: its ``Dataset.id``. format: ``hcx`` | ``hidef`` | ``ddot``.
        member_source: ``{attribute or file kind: assemblies whose members it gave}`` (e.g. ``HCX::members``).
        assemblies, contains, memberships: rows written. proteins: distinct member proteins.
        unresolved: member names not resolved to a protein of the graph, by reason (``unknown gene``, ...).
        report: the ``LoadReport`` (read counts, every skip with examples).
        analyses: analysis name -> summary (``{"skipped": reason}`` when its input is absent).
        timings: step -> seconds (read, resolve, write, analyses, commit).
    """

    map: str
    dataset: str
    format: str
    member_source: dict[str, int]
    assemblies: int = 0
    contains: int = 0
    memberships: int = 0
    proteins: int = 0
    unresolved: dict[str, int] = field(default_factory=dict)
    report: LoadReport | None = None
    analyses: dict[str, dict] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict:
        """A JSON-ready dict of the result (no ``report`` object; its skips are in ``unresolved``/``skipped``)."""
        skipped = dict(self.report.skipped) if self.report else {}
        return {"map": self.map, "dataset": self.dataset, "format": self.format, "memberSource": self.member_source,
                "assemblies": self.assemblies, "contains": self.contains, "memberships": self.memberships,
                "proteins": self.proteins, "unresolved": self.unresolved, "skipped": skipped,
                "analyses": self.analyses, "timings": {k: round(v, 2) for k, v in self.timings.items()}}


def check_map_name(name: str) -> str:
    """``name`` if it is a valid map name (letters, digits, ``.``, ``_``, ``-``; starts with a letter or digit;
    at most 80 characters), else ``MapError``. Assembly ids are ``<map>:<cluster>``, so ``:`` is refused."""
    if not isinstance(name, str) or not MAP_NAME.fullmatch(name):
        raise MapError(f"map name {name!r}: expected 1-80 letters, digits, '.', '_' or '-', starting with a letter "
                       "or digit (e.g. HEK293-2024)")
    return name


def _delete_map_assemblies(store: GraphStore, map_id: str, dataset: str | None = None) -> int:
    """Delete every assembly of ``map_id`` with its relationships (and the ``Dataset`` node ``dataset``) in one
    statement; returns the assemblies deleted."""
    return store.delete_nodes({"Dataset": {"id": dataset}, "Assembly": {"map": map_id}})["Assembly"]


def _drop_absent_proteins(store: GraphStore, result: LoadResult) -> None:
    """Remove ``MEMBER_OF`` rows whose protein is not a ``Protein`` node of the graph (a resolved symbol that is
    not protein-coding and that no source names), counting each in the report."""
    for batch in result.relationships:
        if batch.type != "MEMBER_OF":
            continue
        present = {r["symbol"] for r in store.read_nodes("Protein", ("symbol",),
                                                         {"symbol": {r["source"] for r in batch.rows}})}
        kept = []
        for row in batch.rows:
            if row["source"] in present:
                kept.append(row)
            else:
                result.report.skip("not a Protein of the graph", f"{row['source']} in {row['target']}")
        batch.rows = kept


def _staged_counts(store: GraphStore, staging: str) -> dict[str, int]:
    """Assemblies, ``CONTAINS`` within the map and ``MEMBER_OF`` of the map ``staging`` as the graph holds them."""
    return run_internal(store, "map-counts", map=staging)[0]


def _run_analysis(name: str, run: Callable[[], dict]) -> dict:
    started = time.perf_counter()
    try:
        summary = run()
    except MissingInputError as exc:
        summary = {"skipped": str(exc)}
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary


def run_map_analyses(store: GraphStore, map_id: str, options: AnalysisOptions) -> dict[str, dict]:
    """The map-level analyses (``MAP_ANALYSES``) on one map; name -> summary (``{"skipped": reason}`` when an
    input is absent). Raises ``AnalysisError`` for a map an analysis cannot handle (e.g. not a DAG)."""
    hisig = AnalysisOptions(data_dir=options.data_dir, map_name=map_id, permutations=options.permutations,
                            seed=options.seed, jobs=options.jobs)
    steps: dict[str, Callable[[], dict]] = {
        "annotation": lambda: annotate_map(store, map_id),
        "size": lambda: estimate_diameters(store, calibration_file(options.data_dir), map_name=map_id),
        "multi-localization": lambda: localize_proteins(store, map_id, write_proteins=False),
        "mutation-frequency": lambda: compute_mutation_frequency(store, map_name=map_id),
        "hisig": lambda: ANALYSES["hisig"].run(store, hisig),
    }
    return {name: _run_analysis(name, run) for name, run in steps.items()}


MAP_ANALYSES = ("annotation", "size", "multi-localization", "mutation-frequency", "hisig")


def add_map(store: GraphStore, path: Path, name: str, *, fmt: str | None = None, edges: Path | None = None,
            parent: Path | None = None, names: Path | None = None, resolver: SymbolResolver | None = None,
            data_dir: Path | None = None, analyses: bool = True, options: AnalysisOptions | None = None,
            fail_after_staging: Callable[[], None] | None = None) -> MapAddResult:
    """Add the cell map in ``path`` to the graph in ``store`` as map ``name`` (atomic; see module docstring).

    Args:
        path, fmt, edges, parent, names: the map file and its companions (``files.read_map``).
        resolver: the symbol resolver (default: built from ``data_dir``, a few seconds).
        data_dir: data directory (HGNC/NCBI tables for the resolver; the size calibration table).
        analyses: run ``MAP_ANALYSES`` on the map before it becomes visible.
        options: permutations/seed/jobs of HiSig (default ``AnalysisOptions(data_dir=data_dir)``).
        fail_after_staging: called after the staged map is verified and analysed, just before the commit (tests
            inject a failure or a concurrent add there).

    Returns a ``MapAddResult``.

    Raises:
        MapError: bad name, a map of that name exists, or the file gives no protein of the graph.
        MissingDataError / DataFormatError: a file is absent or malformed (file, line, what was expected).
        SchemaError, AnalysisError, StoreError: validation, an analysis or the store failed; nothing is left.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    check_map_name(name)
    if name in map_names(store):
        raise MapError(f"the graph already has a map {name!r}; remove it first (cellmap-kg map remove {name}) "
                       "or choose another name")
    hierarchy, info = read_map(Path(path), fmt, edges, parent, names)
    timings["read"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    if resolver is None:
        from ..sources import default_data_dir

        resolver = SymbolResolver.from_data_dir(Path(data_dir) if data_dir is not None else default_data_dir())
    dataset = USER_MAP_DATASET + name
    staging = STAGING_PREFIX + name
    result = LoadResult(source=dataset)
    result.report.count_read(Path(path).name, len(hierarchy.assemblies))
    add_hierarchy(result, hierarchy, staging, resolver, Path(path).name)
    result.finalise(dataset)
    _drop_absent_proteins(store, result)
    validate([result])
    rows = {b.type: len(b.rows) for b in result.relationships}
    if not rows.get("MEMBER_OF"):
        raise MapError(f"{path}: no member of any assembly resolved to a protein of the graph "
                       f"({dict(result.report.skipped) or 'no members'})")
    out = MapAddResult(name, dataset, info["format"], info["memberSource"], report=result.report,
                       unresolved={k: v for k, v in result.report.skipped.items() if "gene" in k or "Protein" in k})
    timings["resolve"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    _delete_map_assemblies(store, staging)                   # leftovers of an interrupted add of this name
    try:
        for batch in result.nodes:
            store.write_nodes(batch.label, batch.rows)
        for batch in result.relationships:
            written = store.write_relationships(batch.type, batch.rows)
            if written != len(batch.rows):
                raise MapError(f"{batch.type}: wrote {written} of {len(batch.rows)} relationships (an endpoint is "
                               "missing)")
        counts = _staged_counts(store, staging)
        expected = {"assemblies": len(hierarchy.assemblies), "contains": rows.get("CONTAINS", 0),
                    "memberships": rows["MEMBER_OF"]}
        if counts != expected:
            raise MapError(f"staged map {name!r}: expected {expected}, the graph holds {counts}")
        timings["write"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        if analyses:
            options = options or AnalysisOptions(data_dir=Path(data_dir) if data_dir is not None else None)
            out.analyses = run_map_analyses(store, staging, options)
            out.analyses = json.loads(json.dumps(out.analyses, default=str).replace(staging, name))
        timings["analyses"] = time.perf_counter() - t3
        if fail_after_staging is not None:
            fail_after_staging()
        t4 = time.perf_counter()
        out.assemblies, out.contains, out.memberships = (counts["assemblies"], counts["contains"],
                                                          counts["memberships"])
        out.proteins = len({r["source"] for b in result.relationships if b.type == "MEMBER_OF" for r in b.rows})
        _commit(store, staging, name, dataset, info, out)
        timings["commit"] = time.perf_counter() - t4
    except BaseException:
        _delete_map_assemblies(store, staging)
        raise
    out.timings = timings
    return out


def _commit(store: GraphStore, staging: str, name: str, dataset: str, info: dict, out: MapAddResult) -> None:
    """Rename the staged assemblies to ``name`` and write the map's ``Dataset`` node in one statement."""
    parameters = {"map": name, "format": info["format"], "memberSource": info["memberSource"],
                  "names": info["names"], "assemblies": out.assemblies, "memberships": out.memberships,
                  "unresolved": out.unresolved, "addedAt": datetime.now(UTC).isoformat(timespec="seconds")}
    props = {"name": f"cell map {name} (added with cellmap-kg map add)", "version": parameters["addedAt"],
             "licence": "as given by the map's owner", "citation": "user-supplied cell map",
             "files": [str(Path(f).resolve()) for f in info["files"]],
             "parameters": json.dumps(parameters, sort_keys=True)}
    renamed = store.rename_map(staging, name, {"id": dataset, **props})
    if not renamed and name in map_names(store):
        raise MapError(f"a map {name!r} was added while this one was being staged; nothing was committed")
    if renamed != out.assemblies:
        if renamed:                                          # renamed part of a staged map: take it out again
            _delete_map_assemblies(store, name, dataset)
        raise MapError(f"map {name!r}: the commit renamed {renamed} of {out.assemblies} "
                       "assemblies (another add of the same name replaced the staged map?)")


def remove_map(store: GraphStore, name: str) -> dict:
    """Remove the map ``name`` added with ``add_map``: its assemblies, their relationships (``CONTAINS``,
    ``MEMBER_OF``, analysis results, ``MATCHES`` to and from other maps) and its ``Dataset`` node, in one statement.

    Returns ``{"map", "assemblies", "relationships"}`` (counts removed).

    Raises ``MapError`` for an unknown map or one declared in ``sources.yaml`` (rebuild without its source).
    """
    check_map_name(name)
    if name not in map_names(store):
        raise MapError(f"no map {name!r} in the graph (maps: {', '.join(map_names(store)) or 'none'})")
    dataset = USER_MAP_DATASET + name
    if not store.read_nodes("Dataset", ("id",), {"id": dataset}):
        raise MapError(f"map {name!r} comes from a source declared in sources.yaml, not from `map add`: it is "
                       "part of the build (build without that source to leave it out)")
    rels = run_internal(store, "map-relationships", map=name)[0]["n"]
    removed = _delete_map_assemblies(store, name, dataset)
    return {"map": name, "assemblies": removed, "relationships": rels}
