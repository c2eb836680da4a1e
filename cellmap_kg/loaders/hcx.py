"""HCX hierarchies (CX2 networks annotated for Cytoscape/HiView) as written by the Cell Mapping Toolkit.

Format (NDEx "Hierarchical Network Schema for CX, version 0.1"; ndex2-client ``docs/advancedtutorial.rst``):

* a CX2 file is a JSON list of aspects (``CXVersion``, ``metaData``, ``attributeDeclarations``,
  ``networkAttributes``, ``nodes``, ``edges``, ...). Node and edge attributes sit in ``v``; an attribute declared
  with an alias (``"name": {"a": "n"}``) is written under the alias, and a declared default ``"v"`` applies to
  nodes that omit it.
* ``networkAttributes``: ``ndexSchema = "hierarchy_v0.1"``, ``HCX::modelFileCount`` (files of the model, the
  hierarchy included) and one of ``HCX::interactionNetworkName`` / ``...UUID`` / ``...URL`` naming the parent
  interactome.
* nodes (assemblies): ``HCX::isRoot`` (true for the root only), ``HCX::members`` (ids of *parent interactome*
  nodes), and, from cellmaps_generate_hierarchy / CDAPS, ``CD_MemberList`` (space-separated gene symbols),
  ``CD_MemberList_Size``, ``CD_CommunityName``, ``HiDeF_persistence``; ``name`` and ``represents``.
* edges: ``s`` = parent assembly, ``t`` = child assembly.

``read_hcx`` resolves ``HCX::members`` through the parent interactome's node names when ``parent_path`` is given,
else the node's member-list attribute (``CD_MemberList``, CDAPS ``MemberList`` or the toolkit's ``genes``;
``cellmaps_examples/hcx/hierarchy.cx2``, the NeST subhierarchy, lists 718 genes in
its root's ``CD_MemberList`` but only 713 ``HCX::members`` of an interactome that is not shipped).

An assembly's ``cluster_id`` is the node's ``represents`` (``C23`` for cellmaps_generate_hierarchy output, the
NeST id ``NEST:123`` for NeST), else its ``name``, else its CX id; its ``name`` is the node name when that differs
from the ``cluster_id`` (the NeST system name, e.g. ``PML body``), else ``CD_CommunityName`` when that differs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, check_text
from .cellmap import Hierarchy, MapAssembly, add_hierarchy, find_root
from .symbols import SymbolResolver

HCX_SCHEMA = "hierarchy_v0.1"
CM4AI_MAP = "CM4AI-MDA-MB-468"
NEST_MAP = "NeST"
HCX_MAPS = ((CM4AI_MAP, "cm4ai", "cm4ai_parent"), (NEST_MAP, "nest", None))
"""The maps of the HCX examples: (map id, file key of the hierarchy, file key of its parent interactome or None)."""


# ---------------------------------------------------------------------------------------------------- CX2 reading
def read_cx2(path: Path) -> dict[str, list]:
    """The aspects of a CX2 file as ``{aspect name: list of elements}`` (fragments of one aspect concatenated).

    Raises ``MissingDataError`` if absent and ``DataFormatError`` if the file is not JSON or not a list of
    single-aspect objects.
    """
    check_text(path, "CX2 JSON", whole_lines=False)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as err:
        raise DataFormatError(path, err.lineno, f"expected CX2 JSON: {err.msg}") from None
    if not isinstance(data, list):
        raise DataFormatError(path, None, f"expected a CX2 JSON list of aspects, found a {type(data).__name__}")
    aspects: dict[str, list] = {}
    for i, fragment in enumerate(data):
        if not isinstance(fragment, dict):
            raise DataFormatError(path, None, f"aspect #{i}: expected an object, found {fragment!r:.80}")
        for name, elements in fragment.items():
            if name == "CXVersion" or name == "hasFragments":
                aspects.setdefault(name, []).append(elements)
            elif not isinstance(elements, list):
                raise DataFormatError(path, None, f"aspect {name!r}: expected a list, found {elements!r:.80}")
            else:
                aspects.setdefault(name, []).extend(elements)
    return aspects


def _declarations(aspects: dict[str, list], kind: str) -> dict[str, dict]:
    declared: dict[str, dict] = {}
    for decl in aspects.get("attributeDeclarations", []):
        declared.update(decl.get(kind, {}) or {})
    return declared


def element_attributes(aspects: dict[str, list], kind: str, path: Path) -> dict[int, dict]:
    """``{CX id: {attribute name: value}}`` for ``kind`` (``nodes`` or ``edges``), aliases and defaults applied.

    Raises ``DataFormatError`` for an element without an integer ``id`` or a repeated id.
    """
    declared = _declarations(aspects, kind)
    alias = {spec["a"]: name for name, spec in declared.items() if isinstance(spec, dict) and "a" in spec}
    defaults = {name: spec["v"] for name, spec in declared.items() if isinstance(spec, dict) and "v" in spec}
    out: dict[int, dict] = {}
    for element in aspects.get(kind, []):
        cx_id = element.get("id")
        if not isinstance(cx_id, int) or isinstance(cx_id, bool):
            raise DataFormatError(path, None, f"{kind}: expected an integer 'id', found {element!r:.120}")
        if cx_id in out:
            raise DataFormatError(path, None, f"{kind}: id {cx_id} appears twice")
        values = dict(defaults)
        values.update({alias.get(k, k): v for k, v in (element.get("v") or {}).items()})
        if kind == "edges":
            values["_s"], values["_t"] = element.get("s"), element.get("t")
        out[cx_id] = values
    return out


def network_attributes(aspects: dict[str, list]) -> dict:
    """The ``networkAttributes`` of a CX2 file as one dict (aliases applied)."""
    declared = _declarations(aspects, "networkAttributes")
    alias = {spec["a"]: name for name, spec in declared.items() if isinstance(spec, dict) and "a" in spec}
    merged: dict = {}
    for element in aspects.get("networkAttributes", []):
        merged.update({alias.get(k, k): v for k, v in element.items()})
    return merged


# ---------------------------------------------------------------------------------------------------- HCX reading
def _parent_names(parent_path: Path) -> dict[int, str]:
    names = {}
    for cx_id, values in element_attributes(read_cx2(parent_path), "nodes", parent_path).items():
        name = values.get("name")
        if not isinstance(name, str) or not name.strip():
            raise DataFormatError(parent_path, None, f"interactome node {cx_id}: expected a 'name' (gene symbol)")
        names[cx_id] = name.strip()
    return names


MEMBER_LIST_ATTRIBUTES = ("CD_MemberList", "MemberList", "genes")
"""Node attributes that list an assembly's member genes, in the order tried: CDAPS / cellmaps_generate_hierarchy
``CD_MemberList``, CDAPS ``MemberList``, the toolkit's ``genes``. Each is a string of gene names separated by
spaces and/or commas, or a list of names."""
HCX_MEMBERS = "HCX::members"
_SEPARATORS = re.compile(r"[\s,]+")


def _members(path: Path, cx_id: int, values: dict, parent: dict[int, str] | None) -> tuple[list[str], str]:
    """``(member names, attribute used)`` of one node: ``HCX::members`` through ``parent``, else the first
    ``MEMBER_LIST_ATTRIBUTES`` attribute the node has."""
    if parent is not None and HCX_MEMBERS in values:
        members = values[HCX_MEMBERS]
        if not isinstance(members, list):
            raise DataFormatError(path, None, f"node {cx_id}: HCX::members: expected a list of interactome node ids")
        missing = [m for m in members if m not in parent]
        if missing:
            raise DataFormatError(path, None, f"node {cx_id}: HCX::members {missing[:5]} are not nodes of the parent "
                                              "interactome")
        return [parent[m] for m in members], HCX_MEMBERS
    for attribute in MEMBER_LIST_ATTRIBUTES:
        if attribute not in values:
            continue
        member_list = values[attribute]
        if isinstance(member_list, list) and all(isinstance(m, str) for m in member_list):
            return [m.strip() for m in member_list if m.strip()], attribute
        if not isinstance(member_list, str):
            raise DataFormatError(path, None, f"node {cx_id}: {attribute}: expected gene names separated by spaces "
                                              f"or commas, or a list of names, found {member_list!r:.80}")
        return [m for m in _SEPARATORS.split(member_list) if m], attribute
    lists = ", ".join(MEMBER_LIST_ATTRIBUTES)
    if HCX_MEMBERS in values:
        raise DataFormatError(path, None, f"node {cx_id}: has HCX::members but no member list ({lists}): give the "
                                          "parent interactome (--parent) to resolve HCX::members")
    raise DataFormatError(path, None, f"node {cx_id}: expected a member list ({lists}), or HCX::members with the "
                                      "parent interactome given")


def _int_or_none(path: Path, cx_id: int, values: dict, attribute: str) -> int | None:
    value = values.get(attribute)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise DataFormatError(path, None, f"node {cx_id}: {attribute}: expected an integer, found {value!r}")
    return int(value)


def read_hcx(path: Path, parent_path: Path | None = None) -> Hierarchy:
    """Read an HCX hierarchy (CX2) into a ``Hierarchy`` of assemblies with member gene symbols.

    Args:
        path: the hierarchy ``.cx2``.
        parent_path: its parent interactome ``.cx2``; when given, members are the names of the interactome nodes
            listed in each assembly's ``HCX::members``, else each assembly's member-list attribute
            (``MEMBER_LIST_ATTRIBUTES``: ``CD_MemberList``, ``MemberList`` or ``genes``).

    Returns a ``Hierarchy`` with ``edges`` ``(parent, child)`` by ``cluster_id`` (CX edge source = parent), the
    root (the node with ``HCX::isRoot`` true, else the one node without a parent), ``name`` = network name and
    ``member_source`` = ``{attribute: nodes whose members it gave}`` (``HCX::members`` or a member-list attribute).

    Raises:
        MissingDataError: a file does not exist.
        DataFormatError: not CX2; ``ndexSchema`` present but not ``hierarchy_v0.1``; no members for a node;
            an ``HCX::members`` id absent from the interactome; duplicate cluster ids; an edge to an unknown node;
            ``CD_MemberList_Size`` differing from the member count; not exactly one root.
    """
    path = Path(path)
    aspects = read_cx2(path)
    attributes = network_attributes(aspects)
    schema = attributes.get("ndexSchema")
    if schema is not None and schema != HCX_SCHEMA:
        raise DataFormatError(path, None, f"ndexSchema: expected {HCX_SCHEMA!r}, found {schema!r}")
    parent = _parent_names(Path(parent_path)) if parent_path is not None else None

    nodes = element_attributes(aspects, "nodes", path)
    if not nodes:
        raise DataFormatError(path, None, "expected at least one node (assembly)")
    cluster_of: dict[int, str] = {}
    assemblies: list[MapAssembly] = []
    roots: list[str] = []
    sources: Counter = Counter()
    for cx_id, values in nodes.items():
        label = values.get("name")
        cluster_id = str(values.get("represents") or label or cx_id)
        if cluster_id in cluster_of.values():
            raise DataFormatError(path, None, f"node {cx_id}: cluster id {cluster_id!r} is used by another node")
        cluster_of[cx_id] = cluster_id
        genes, source = _members(path, cx_id, values, parent)
        sources[source] += 1
        size = _int_or_none(path, cx_id, values, "CD_MemberList_Size")
        if size is not None and size != len(genes):
            raise DataFormatError(path, None, f"node {cx_id} ({cluster_id}): CD_MemberList_Size is {size}, found "
                                              f"{len(genes)} members")
        name = next((n for n in (label, values.get("CD_CommunityName")) if n and n != cluster_id), None)
        persistence = _int_or_none(path, cx_id, values, "HiDeF_persistence")
        assemblies.append(MapAssembly(cluster_id, genes, len(genes), persistence, name))
        if values.get("HCX::isRoot") is True:
            roots.append(cluster_id)

    edges = []
    for edge_id, values in element_attributes(aspects, "edges", path).items():
        s, t = values["_s"], values["_t"]
        if s not in cluster_of or t not in cluster_of:
            raise DataFormatError(path, None, f"edge {edge_id}: expected source and target node ids, found {s} -> {t}")
        edges.append((cluster_of[s], cluster_of[t]))
    if len(roots) > 1:
        raise DataFormatError(path, None, f"expected one node with HCX::isRoot true, found {roots}")
    root = roots[0] if roots else find_root([a.cluster_id for a in assemblies], edges, path)
    return Hierarchy(assemblies, edges, root, attributes.get("name"), member_source=dict(sources))


# ---------------------------------------------------------------------------------------------------- HCX writing
def _declare(names_types: dict[str, str], aliases: dict[str, str]) -> dict[str, dict]:
    return {name: ({"a": aliases[name], "d": kind} if name in aliases else {"d": kind})
            for name, kind in names_types.items()}


def _cx2(declarations: dict, network: dict, nodes: list[dict], edges: list[dict]) -> list[dict]:
    meta = [{"name": "attributeDeclarations", "elementCount": 1}, {"name": "networkAttributes", "elementCount": 1},
            {"name": "nodes", "elementCount": len(nodes)}, {"name": "edges", "elementCount": len(edges)}]
    return [{"CXVersion": "2.0", "hasFragments": False}, {"metaData": meta},
            {"attributeDeclarations": [declarations]}, {"networkAttributes": [network]},
            {"nodes": nodes}, {"edges": edges}, {"status": [{"error": "", "success": True}]}]


def write_hcx(hierarchy: Hierarchy, path: Path, parent_path: Path | None = None) -> Path:
    """Write ``hierarchy`` as an HCX (CX2) file that ``read_hcx`` reads back to an equal ``Hierarchy``.

    Nodes carry ``name``/``represents``, ``CD_MemberList`` (space-separated), ``CD_MemberList_Size``,
    ``CD_CommunityName`` (the assembly name, if any), ``HiDeF_persistence`` (if any) and ``HCX::isRoot``; edges go
    parent -> child. With ``parent_path``, a parent interactome is written there too (one node per member gene,
    no interactions) and nodes get ``HCX::members`` (its node ids); ``HCX::modelFileCount`` is then 2, else 1.

    Returns ``path``. Raises ``ValueError`` if ``hierarchy`` has no assemblies.
    """
    if not hierarchy.assemblies:
        raise ValueError("cannot write an empty hierarchy")
    path = Path(path)
    member_ids: dict[str, int] = {}
    if parent_path is not None:
        for a in hierarchy.assemblies:
            for gene in a.genes:
                member_ids.setdefault(gene, len(member_ids))
    network = {"ndexSchema": HCX_SCHEMA, "HCX::modelFileCount": 2 if parent_path is not None else 1}
    if hierarchy.name:
        network["name"] = hierarchy.name
    if parent_path is not None:
        network["HCX::interactionNetworkName"] = Path(parent_path).name
    node_types = {"name": "string", "represents": "string", "CD_MemberList": "string",
                  "CD_MemberList_Size": "integer", "CD_CommunityName": "string", "HiDeF_persistence": "integer",
                  "HCX::isRoot": "boolean", "HCX::members": "list_of_long"}
    declarations = {"networkAttributes": _declare({k: ("integer" if isinstance(v, int) else "string")
                                                   for k, v in network.items()}, {}),
                    "nodes": _declare(node_types, {"name": "n", "represents": "r"})}
    index = {a.cluster_id: i for i, a in enumerate(hierarchy.assemblies)}
    nodes = []
    for i, a in enumerate(hierarchy.assemblies):
        v = {"n": a.name or a.cluster_id, "r": a.cluster_id, "CD_MemberList": " ".join(a.genes),
             "CD_MemberList_Size": len(a.genes), "HCX::isRoot": a.cluster_id == hierarchy.root}
        if a.name:
            v["CD_CommunityName"] = a.name
        if a.persistence is not None:
            v["HiDeF_persistence"] = a.persistence
        if parent_path is not None:
            v["HCX::members"] = [member_ids[g] for g in a.genes]
        nodes.append({"id": i, "v": v})
    edges = [{"id": i, "s": index[p], "t": index[c]} for i, (p, c) in enumerate(hierarchy.edges)]
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(_cx2(declarations, network, nodes, edges), fh)
    if parent_path is not None:
        parent_nodes = [{"id": i, "v": {"n": gene, "r": gene}} for gene, i in member_ids.items()]
        parent_declarations = {"networkAttributes": {"name": {"d": "string"}},
                               "nodes": _declare({"name": "string", "represents": "string"},
                                                 {"name": "n", "represents": "r"})}
        parent_network = {"name": f"{hierarchy.name or path.stem} interactome"}
        with open(parent_path, "w", encoding="utf-8") as fh:
            json.dump(_cx2(parent_declarations, parent_network, parent_nodes, []), fh)
    return path


# ---------------------------------------------------------------------------------------------------- loader
def load_hcx_examples(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """The Cell Mapping Toolkit HCX examples as two maps of ``Assembly``/``CONTAINS``/``MEMBER_OF`` rows
    (``HCX_MAPS``: file keys ``cm4ai`` with ``cm4ai_parent``, and ``nest``).

    * ``CM4AI-MDA-MB-468``: ``hierarchy_cm4ai.cx2`` (cellmaps_generate_hierarchy output, MDA-MB-468 chromatin,
      8 assemblies over 23 proteins), members via its parent interactome ``hierarchy_parent_cm4ai.cx2``.
    * ``NeST``: ``hierarchy.cx2`` (NeST subhierarchy, Zheng et al. 2021 Science 374:eabf3067; 131 systems),
      members from ``CD_MemberList``.

    Assembly ids are ``"<map>:<cluster_id>"`` (e.g. ``CM4AI-MDA-MB-468:C23``, ``NeST:NEST:123``).
    Raises ``MissingDataError`` / ``DataFormatError`` (see ``read_hcx``).
    """
    result = LoadResult(source=source.id)
    for map_id, key, parent in HCX_MAPS:
        path = source.path(key)
        hierarchy = read_hcx(path, source.path(parent) if parent else None)
        result.report.count_read(source.relative(key), len(hierarchy.assemblies))
        add_hierarchy(result, hierarchy, map_id, resolver, path.name)
    return result.finalise(source.id)
