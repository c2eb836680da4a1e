"""A user's cell map file -> ``Hierarchy``: the format from the content (or given), read by the package's readers.

Formats (``FORMATS``), read by the readers of ``cellmap_kg.loaders`` (no second reader here):

* ``hcx``: HCX / CX2 JSON (Cell Mapping Toolkit, NDEx) -> ``loaders.hcx.read_hcx``. Members come from
  ``HCX::members`` resolved through the parent interactome (``parent``, or the file the hierarchy names in
  ``HCX::interactionNetworkName`` if it sits next to it), else from a member-list attribute (``CD_MemberList``,
  ``MemberList``, ``genes``); ``Hierarchy.member_source`` says which.
* ``hidef``: HiDeF ``.nodes`` (``cluster <TAB> size <TAB> genes <TAB> persistence``) plus its ``.edges``
  (``edges``, default: the same path with suffix ``.edges``) -> ``read_hidef_nodes`` / ``read_hidef_edges``.
* ``ddot``: DDOT ``.ont`` (``parent <TAB> child <TAB> default|gene``) -> ``read_ddot_ont``; gene rows annotate
  the most specific system, so members are propagated up to every ancestor (DDOT ``propagate('forward')``,
  ``analyses.hisig.propagate_memberships``), as HiDeF and HCX lists are.

Detection (``detect_format``): JSON (first non-blank character ``[`` or ``{``) is ``hcx``; a tab-separated first
line of 4 fields whose second is an integer is ``hidef``; of 3 fields whose third is ``default`` or ``gene`` is
``ddot`` (a HiDeF ``.edges`` file alone is refused: its members are in the ``.nodes`` file).
"""

from __future__ import annotations

from pathlib import Path

from ..analyses.hisig import propagate_memberships
from ..loaders.base import DataFormatError, MissingDataError, require
from ..loaders.cellmap import (
    Hierarchy,
    MapAssembly,
    find_root,
    hierarchy_from_hidef,
    read_ddot_ont,
    read_hidef_edges,
    read_hidef_nodes,
    read_llm_names,
)
from ..loaders.hcx import HCX_MEMBERS, element_attributes, network_attributes, read_cx2, read_hcx

FORMATS = ("hcx", "hidef", "ddot")
SNIFF_BYTES = 65536


def detect_format(path: Path) -> str:
    """The format of a map file (one of ``FORMATS``) from its content (module docstring).

    Raises ``MissingDataError`` if absent and ``DataFormatError`` (file, line 1) if it is none of them.
    """
    path = require(Path(path))
    with open(path, encoding="utf-8", errors="replace") as fh:
        head = fh.read(SNIFF_BYTES)
    text = head.lstrip()
    if text.startswith(("[", "{")):
        return "hcx"
    first = next((line for line in text.splitlines() if line.strip()), "")
    fields = first.rstrip("\r\n").split("\t")
    if len(fields) == 4 and fields[1].strip().isdigit():
        return "hidef"
    if len(fields) == 3 and fields[2].strip() in ("default", "gene"):
        if fields[2].strip() == "gene" or "\tgene" in head:
            return "ddot"
        raise DataFormatError(path, 1, "looks like a HiDeF .edges file (parent, child, default) without gene rows: "
                                       "give the .nodes file (its .edges file is found next to it or with --edges)")
    raise DataFormatError(path, 1, f"cannot tell the map format: expected HCX/CX2 JSON, a HiDeF .nodes line "
                                   f"(cluster, size, genes, persistence) or a DDOT .ont line (parent, child, "
                                   f"default|gene); found {first[:80]!r} "
                                   f"(or name it with --format {'|'.join(FORMATS)})")


def _hcx_parent(path: Path) -> Path | None:
    """The parent interactome named by the hierarchy (``HCX::interactionNetworkName``) if the file sits next to it
    and some node lists ``HCX::members``; else None."""
    aspects = read_cx2(path)
    name = network_attributes(aspects).get("HCX::interactionNetworkName")
    if not isinstance(name, str) or not name or Path(name).name != name:
        return None
    candidate = path.parent / name
    if not candidate.is_file() or candidate.resolve() == path.resolve():
        return None
    nodes = element_attributes(aspects, "nodes", path)
    return candidate if any(HCX_MEMBERS in v for v in nodes.values()) else None


def _ddot_hierarchy(path: Path) -> Hierarchy:
    edges, direct = read_ddot_ont(path)
    try:
        members = propagate_memberships(edges, direct)
    except ValueError as exc:
        raise DataFormatError(path, None, str(exc)) from None
    systems = list(dict.fromkeys([s for e in edges for s in e] + [s for _, s in direct]))
    assemblies = [MapAssembly(s, sorted(members[s]), len(members[s])) for s in systems]
    return Hierarchy(assemblies, edges, find_root(systems, edges, path), member_source={"DDOT gene rows": len(direct)})


def read_map(path: Path, fmt: str | None = None, edges: Path | None = None, parent: Path | None = None,
             names: Path | None = None) -> tuple[Hierarchy, dict]:
    """Read a cell map file into a ``Hierarchy``.

    Args:
        path: the hierarchy (``.cx2``, ``.nodes`` or ``.ont``).
        fmt: one of ``FORMATS``; ``None`` detects it (``detect_format``).
        edges: HiDeF only: the ``.edges`` file (default ``path`` with suffix ``.edges``).
        parent: HCX only: the parent interactome ``.cx2`` that ``HCX::members`` index.
        names: optional LLM-name table (``cluster_id, size, persistence, llm_name``; ``read_llm_names``).

    Returns ``(hierarchy, info)`` with ``info = {"format", "files": [paths read], "memberSource": {attribute:
    assemblies}, "names": assemblies named by the table}``.

    Raises ``MissingDataError`` (a file is absent), ``DataFormatError`` (file, line and what was expected) and
    ``ValueError`` for an unknown ``fmt``.
    """
    path = Path(path)
    for given in (path, edges, parent, names):
        if given is not None and not Path(given).is_file():
            raise MissingDataError(f"{given}: map file not found")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown map format {fmt!r}; expected one of {FORMATS}")
    files = [path]
    if fmt == "hcx":
        parent = Path(parent) if parent is not None else _hcx_parent(path)
        hierarchy = read_hcx(path, parent)
        files += [parent] if parent is not None else []
    elif fmt == "hidef":
        edges = Path(edges) if edges is not None else path.with_suffix(".edges")
        nodes = read_hidef_nodes(path)
        hierarchy = hierarchy_from_hidef(nodes, read_hidef_edges(require(edges)), edges)
        hierarchy.member_source = {"HiDeF .nodes genes": len(nodes)}
        files.append(edges)
    else:
        hierarchy = _ddot_hierarchy(path)
    named = 0
    if names is not None:
        table = read_llm_names(Path(names), hierarchy.by_id())
        for a in hierarchy.assemblies:
            if a.cluster_id in table:
                a.name = table[a.cluster_id]
        named = len(table)
        files.append(Path(names))
    return hierarchy, {"format": fmt, "files": [str(f) for f in files], "memberSource": hierarchy.member_source,
                       "names": named}
