"""Hierarchical cell maps: HiDeF and DDOT file readers, and the U2OS cell map (MuSIC 2, May 2023 final draft).

A cell map is a hierarchy of protein assemblies: each assembly lists its member genes, and a parent assembly
contains its children (HiDeF, Zheng et al. 2021, Nat Commun 12:5520). Files read here:

* HiDeF ``.nodes``: one assembly a line, ``cluster_id <TAB> size <TAB> space-separated genes <TAB> persistence``,
  no header (ids ``ClusterL-N``: level ``L``, index ``N``; ``Cluster0-0`` is the root that holds every protein).
* HiDeF ``.edges``: ``parent <TAB> child <TAB> default``, no header.
* DDOT ``.ont``: ``parent <TAB> child <TAB> type``, no header; ``type`` is ``default`` (system contains system) or
  ``gene`` (the child is a gene in the parent system).
* ``May2023_final_llm_assembly_names.tsv``: ``cluster_id, size, persistence, llm_name`` (GPT-4 name of each
  non-root assembly except ``Cluster1-0`` and ``Cluster1-1``, which have none).

``u2os_cellmap_draft/demo_music_custom_prompt.tsv`` (9 terms) names the same assemblies of the same map version
(identical gene sets and stability) with a different prompt; it adds no name the names file lacks, so it is not
read here (``tests/loaders/test_cellmap.py`` checks that it matches the May 2023 map).

The readers are pure functions usable on any HiDeF/DDOT output (``cellmap-kg annotate``); ``add_hierarchy`` turns
a ``Hierarchy`` (also produced by ``hcx.read_hcx``) into ``Assembly``/``CONTAINS``/``MEMBER_OF`` rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..sources import DEFAULT_MAP, SourceFiles
from .base import DataFormatError, LoadResult, check_text, parse_int, read_table, require
from .collect import UniqueRelationships, resolve_gene
from .symbols import SymbolResolver

U2OS_MAP = DEFAULT_MAP

HIDEF_NODE_COLUMNS = ("cluster_id", "size", "genes", "persistence")
HIERARCHY_EDGE_COLUMNS = ("parent", "child", "type")


@dataclass
class HidefAssembly:
    """One line of a HiDeF ``.nodes`` file.

    Attributes:
        cluster_id: HiDeF id, e.g. ``Cluster3-65``.
        size: number of member genes (validated against ``genes``).
        genes: member gene names as written, in file order.
        persistence: HiDeF persistence (number of resolutions the community persists across; "stability").
    """

    cluster_id: str
    size: int
    genes: list[str]
    persistence: int


@dataclass
class MapAssembly:
    """One assembly of a ``Hierarchy``, as its file gives it.

    Attributes:
        cluster_id: id within the map (HiDeF ``ClusterL-N``, HCX ``represents``/node name).
        genes: member gene names as written (not yet resolved to approved symbols).
        size: number of members declared by the file (HiDeF size, HCX ``CD_MemberList_Size``), else ``len(genes)``.
        persistence: HiDeF persistence, if the file gives it.
        name: descriptive name (GPT-4 name, NeST system name), if any.
    """

    cluster_id: str
    genes: list[str]
    size: int | None = None
    persistence: int | None = None
    name: str | None = None


@dataclass
class Hierarchy:
    """A cell map: assemblies, ``parent -> child`` containment edges and the root's ``cluster_id``.

    Shapes: ``assemblies`` one per assembly (unique ``cluster_id``), ``edges`` ``(parent_id, child_id)`` pairs whose
    ids are all in ``assemblies``. ``name`` is the map's title (HCX network name), if any. ``member_source`` says
    where the member lists came from (``{attribute or file kind: assemblies}``, e.g. ``{"HCX::members": 8}``); it
    describes the reading, not the map, so it takes no part in equality.
    """

    assemblies: list[MapAssembly]
    edges: list[tuple[str, str]]
    root: str
    name: str | None = None
    member_source: dict[str, int] = field(default_factory=dict, compare=False)

    def by_id(self) -> dict[str, MapAssembly]:
        """``cluster_id -> MapAssembly``."""
        return {a.cluster_id: a for a in self.assemblies}


# ------------------------------------------------------------------------------------------------------- readers
def _tab_lines(path: Path, columns: tuple[str, ...], allow_empty: bool = False) -> Iterator[tuple[int, dict]]:
    """Yield ``(line, {column: field})`` for each non-blank line of a tab-separated file without a header
    (nothing for an empty file when ``allow_empty``: the edges of a one-assembly hierarchy).

    Raises ``MissingDataError`` if absent and ``DataFormatError`` (file, line, expected columns) for a line with
    another number of fields than ``columns``.
    """
    # a last line cut off shows as a line with too few fields (DDOT .ont files may lack the final newline)
    if allow_empty and require(path).stat().st_size == 0:
        return
    check_text(path, f"lines of {len(columns)} tab-separated fields {list(columns)}", whole_lines=False)
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) != len(columns):
                raise DataFormatError(path, reader.line_num, f"expected {len(columns)} tab-separated fields "
                                                             f"{list(columns)}, found {len(fields)}")
            yield reader.line_num, dict(zip(columns, fields, strict=True))


def read_hidef_nodes(path: Path) -> list[HidefAssembly]:
    """Read a HiDeF ``.nodes`` file (``id <TAB> size <TAB> genes <TAB> persistence``, no header).

    Returns one ``HidefAssembly`` per line, in file order.

    Raises:
        MissingDataError: the file does not exist.
        DataFormatError: a line has not 4 fields, a size or persistence is not an integer, the size differs from
            the number of listed genes, a gene is listed twice in one assembly, or a cluster id repeats.
    """
    assemblies: list[HidefAssembly] = []
    seen: dict[str, int] = {}
    for line, row in _tab_lines(Path(path), HIDEF_NODE_COLUMNS):
        cluster_id = row["cluster_id"].strip()
        if not cluster_id:
            raise DataFormatError(path, line, "expected a cluster id in column 1, found an empty field")
        if cluster_id in seen:
            raise DataFormatError(path, line, f"expected each cluster id once, found {cluster_id} again (first on "
                                              f"line {seen[cluster_id]})")
        seen[cluster_id] = line
        size = parse_int(row["size"], path, line, "size", allow_empty=False)
        persistence = parse_int(row["persistence"], path, line, "persistence", allow_empty=False)
        genes = row["genes"].split()
        if size != len(genes):
            raise DataFormatError(path, line, f"cluster {cluster_id}: size column says {size} genes, "
                                              f"the gene list has {len(genes)}")
        if len(set(genes)) != len(genes):
            repeated = sorted({g for g in genes if genes.count(g) > 1})
            raise DataFormatError(path, line, f"cluster {cluster_id}: genes listed twice: {repeated}")
        assemblies.append(HidefAssembly(cluster_id, size, genes, persistence))
    return assemblies


def _read_typed_edges(path: Path, allowed: tuple[str, ...]) -> Iterable[tuple[int, str, str, str]]:
    for line, row in _tab_lines(Path(path), HIERARCHY_EDGE_COLUMNS, allow_empty=True):
        parent, child, kind = row["parent"].strip(), row["child"].strip(), row["type"].strip()
        if not parent or not child:
            raise DataFormatError(path, line, f"expected a parent and a child id, found {parent!r} -> {child!r}")
        if kind not in allowed:
            raise DataFormatError(path, line, f"column 3: expected one of {list(allowed)}, found {kind!r}")
        if parent == child:
            raise DataFormatError(path, line, f"{parent} is declared its own child")
        yield line, parent, child, kind


def read_hidef_edges(path: Path) -> list[tuple[str, str]]:
    """Read a HiDeF ``.edges`` file (``parent <TAB> child <TAB> default``, no header) as ``(parent, child)`` pairs.

    Raises ``DataFormatError`` for a line without 3 fields, a type other than ``default``, or a self-loop.
    """
    return [(parent, child) for _, parent, child, _ in _read_typed_edges(path, ("default",))]


def read_ddot_ont(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Read a DDOT ``.ont`` file (``parent <TAB> child <TAB> default|gene``, no header).

    Returns ``(edges, memberships)``: ``edges`` are ``(parent_system, child_system)`` from ``default`` rows;
    ``memberships`` are ``(gene, system)`` from ``gene`` rows (the file writes them ``system <TAB> gene <TAB> gene``).

    Raises ``DataFormatError`` for a line without 3 fields, another type, or a self-loop.
    """
    edges: list[tuple[str, str]] = []
    memberships: list[tuple[str, str]] = []
    for _, parent, child, kind in _read_typed_edges(path, ("default", "gene")):
        if kind == "gene":
            memberships.append((child, parent))
        else:
            edges.append((parent, child))
    return edges, memberships


def find_root(ids: Iterable[str], edges: list[tuple[str, str]], where: Path | str) -> str:
    """The one assembly of ``ids`` that is no other's child. Raises ``DataFormatError`` if there is not exactly one."""
    children = {child for _, child in edges}
    roots = [i for i in ids if i not in children]
    if len(roots) != 1:
        raise DataFormatError(where, None, f"expected exactly one root assembly (no parent), found {len(roots)}: "
                                           f"{roots[:5]}")
    return roots[0]


def hierarchy_from_hidef(nodes: list[HidefAssembly], edges: list[tuple[str, str]],
                         where: Path | str = "HiDeF files") -> Hierarchy:
    """Combine ``read_hidef_nodes`` and ``read_hidef_edges`` output into a ``Hierarchy``.

    Raises ``DataFormatError`` if an edge names an assembly missing from ``nodes`` or there is not exactly one root.
    """
    ids = [n.cluster_id for n in nodes]
    known = set(ids)
    for parent, child in edges:
        for end in (parent, child):
            if end not in known:
                raise DataFormatError(where, None, f"edge {parent} -> {child} names {end}, which is not in the .nodes "
                                                   "file")
    assemblies = [MapAssembly(n.cluster_id, list(n.genes), n.size, n.persistence) for n in nodes]
    return Hierarchy(assemblies, list(edges), find_root(ids, edges, where))


# ------------------------------------------------------------------------------------------------------- to rows
def assembly_id(map_id: str, cluster_id: str) -> str:
    """The graph id of an assembly: ``"<map>:<cluster_id>"``, e.g. ``U2OS-2023-05:Cluster3-65``."""
    return f"{map_id}:{cluster_id}"


def add_hierarchy(result: LoadResult, hierarchy: Hierarchy, map_id: str, resolver: SymbolResolver,
                  where: str, uniprot: dict[str, str] | None = None) -> None:
    """Append the ``Assembly``, ``CONTAINS`` and ``MEMBER_OF`` rows of ``hierarchy`` (map ``map_id``) to ``result``.

    Every member gene is resolved to its approved symbol; an unknown or ambiguous gene is reported once per
    membership it would have made (``result.report``, example names the assembly). ``uniprot`` (member name ->
    UniProt accession), if given, lets the resolver try the accession first, as for every source with ids. Two
    member names resolving to one symbol in the same assembly, and repeated edges, are collapsed and counted.

    Shapes: one ``Assembly`` row per assembly (``isRoot`` true only for ``hierarchy.root``), one ``CONTAINS``
    row per distinct edge, one ``MEMBER_OF`` row per (protein, assembly) pair.
    """
    report = result.report
    nodes = []
    for a in hierarchy.assemblies:
        row = {"id": assembly_id(map_id, a.cluster_id), "map": map_id, "clusterId": a.cluster_id,
               "size": a.size if a.size is not None else len(a.genes), "isRoot": a.cluster_id == hierarchy.root}
        if a.name:
            row["name"] = a.name
        if a.persistence is not None:
            row["persistence"] = a.persistence
        nodes.append(row)
    result.add_nodes("Assembly", nodes)

    contains = UniqueRelationships(report, f"duplicate CONTAINS edge in {where}")
    for parent, child in hierarchy.edges:
        source, target = assembly_id(map_id, parent), assembly_id(map_id, child)
        contains.add((source, target), {"source": source, "target": target})
    result.add_relationships("CONTAINS", contains.rows)

    members = UniqueRelationships(report, f"member names resolving to one symbol in one assembly ({where})")
    for a in hierarchy.assemblies:
        target = assembly_id(map_id, a.cluster_id)
        report.count_read(f"{where} memberships", len(a.genes))
        for gene in a.genes:
            symbol = resolve_gene(resolver, report, gene, uniprot=(uniprot or {}).get(gene),
                                  where=f"{where} {a.cluster_id}")
            if symbol:
                members.add((symbol, target), {"source": symbol, "target": target})
    result.add_relationships("MEMBER_OF", members.rows)


TITLE_LABEL = re.compile(r"^\s*title\s*:\s*", re.IGNORECASE)
"""A 'Title:' label before an LLM name (an artefact of the response format, not part of the name)."""


def read_llm_names(path: Path, assemblies: dict[str, MapAssembly]) -> dict[str, str]:
    """Read ``cluster_id -> llm_name`` from a names table (``cluster_id, size, persistence, llm_name``).

    The ``Title:`` label GPT-4 put before some names (68 of 267 in the May 2023 table: the heading of its
    response read ``# Title: Membrane-Associated Protein Interaction System``) is removed; the name is what follows.

    Raises ``DataFormatError`` if a row names an assembly that is not in ``assemblies`` or gives another size or
    persistence than the map (the names would belong to another map version; an empty persistence matches an
    assembly without one, e.g. from an HCX file), or repeats a cluster id.
    """
    names: dict[str, str] = {}
    for line, row in read_table(path, required=("cluster_id", "size", "persistence", "llm_name")):
        cluster_id = row["cluster_id"].strip()
        a = assemblies.get(cluster_id)
        if a is None:
            raise DataFormatError(path, line, f"{cluster_id} is not an assembly of the map (another map version?)")
        size = parse_int(row["size"], path, line, "size", allow_empty=False)
        persistence = parse_int(row["persistence"], path, line, "persistence", allow_empty=a.persistence is None)
        if (size, persistence) != (a.size, a.persistence):
            raise DataFormatError(path, line, f"{cluster_id}: expected size {a.size} and persistence {a.persistence} "
                                              f"as in the map, found {size} and {persistence}")
        if cluster_id in names:
            raise DataFormatError(path, line, f"{cluster_id} is named twice")
        name = TITLE_LABEL.sub("", row["llm_name"]).strip()
        if name:
            names[cluster_id] = name
    return names


def load_u2os_cellmap(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """The U2OS cell map (Schaffer et al. 2025, May 2023 final draft): 269 assemblies + root over 5,254 genes.

    Files (keys of the source): ``nodes`` and ``edges`` (HiDeF), ``names`` (GPT-4 assembly names).

    Assemblies are map ``U2OS-2023-05`` with ids ``U2OS-2023-05:ClusterL-N`` and GPT-4 names where the names file
    gives one (the root ``Cluster0-0`` and ``Cluster1-0``/``Cluster1-1`` have none). ``MEMBER_OF`` links a protein
    to every assembly whose member list names it, including the root.

    Raises ``MissingDataError`` / ``DataFormatError`` (see the readers).
    """
    result = LoadResult(source=source.id)
    nodes_path, edges_path, names_path = (source.path(key) for key in ("nodes", "edges", "names"))
    nodes = read_hidef_nodes(nodes_path)
    edges = read_hidef_edges(edges_path)
    result.report.count_read(nodes_path.name, len(nodes))
    result.report.count_read(edges_path.name, len(edges))
    hierarchy = hierarchy_from_hidef(nodes, edges, edges_path)
    names = read_llm_names(names_path, hierarchy.by_id())
    result.report.count_read(names_path.name, len(names))
    for a in hierarchy.assemblies:
        a.name = names.get(a.cluster_id)
    add_hierarchy(result, hierarchy, U2OS_MAP, resolver, "U2OS .nodes")
    return result.finalise(source.id)
