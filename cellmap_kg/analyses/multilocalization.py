"""Multi-localized proteins and multi-parent assemblies of a hierarchical cell map.

Definitions (Schaffer et al., Nature 2025, Methods "Multi-localization analysis"; the paper reports ~30% of
proteins multi-localized and 23 assemblies with more than one parent):

* a protein's **terminal assemblies** are the assemblies it is a member of but of none of their children;
* the number of **paths to the root** of a protein is the number of distinct directed paths from each of its
  terminal assemblies up to the root, summed over its terminal assemblies;
* a protein is **multi-localized** if it has more than one path to the root;
* an assembly is **multi-parent** if it has more than one parent (in-degree > 1 in the parent -> child DAG).

Paths are counted by dynamic programming over a topological order (``paths(root) = 1``, ``paths(a) = sum of
paths(parent)``), never by enumerating them. The hierarchy is a ``networkx.DiGraph``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

PROTEIN_COLUMNS = ["protein", "terminalAssemblies", "pathsToRoot", "multiLocalized"]


def hierarchy_graph(edges: Iterable[tuple[str, str]], assemblies: Iterable[str] = ()) -> nx.DiGraph:
    """Directed ``parent -> child`` graph of the hierarchy (``assemblies`` adds isolated ids, e.g. a lone root).

    Raises ValueError if the graph has a cycle (a hierarchy must be a DAG).
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(assemblies)
    graph.add_edges_from(edges)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = nx.find_cycle(graph)
        raise ValueError(f"the hierarchy has a cycle: {cycle}")
    return graph


def find_root(graph: nx.DiGraph) -> str:
    """The only assembly without a parent. Raises ValueError if there is not exactly one."""
    roots = [n for n, d in graph.in_degree() if d == 0]
    if len(roots) != 1:
        raise ValueError(f"expected exactly one root (assembly without parent), found {len(roots)}: {roots[:5]}")
    return roots[0]


def paths_to_root(graph: nx.DiGraph, root: str | None = None) -> dict[str, int]:
    """Number of distinct directed paths from each assembly up to ``root`` (``root`` itself: 1).

    Assemblies that cannot reach ``root`` get 0. Raises ValueError if ``root`` is not in the graph or, when
    ``root`` is None, there is not exactly one parentless assembly.
    """
    root = find_root(graph) if root is None else root
    if root not in graph:
        raise ValueError(f"root {root!r} is not an assembly of the hierarchy")
    counts: dict[str, int] = {}
    for node in nx.topological_sort(graph):                 # parents before children
        counts[node] = 1 if node == root else sum(counts[p] for p in graph.predecessors(node))
    return counts


def multi_parent_assemblies(graph: nx.DiGraph) -> list[str]:
    """Assemblies with more than one parent (in-degree > 1), sorted."""
    return sorted(n for n, d in graph.in_degree() if d > 1)


def terminal_assemblies(graph: nx.DiGraph, memberships: Mapping[str, set[str]]) -> dict[str, list[str]]:
    """protein -> sorted assemblies it belongs to but none of whose children it belongs to.

    ``memberships`` maps assembly -> member proteins as the map lists them (HiDeF lists propagate: a parent holds
    its children's proteins). Raises ValueError if ``memberships`` names an assembly absent from ``graph``.
    """
    unknown = sorted(set(memberships) - set(graph))
    if unknown:
        raise ValueError(f"memberships name assemblies missing from the hierarchy: {unknown[:5]}")
    terminal: dict[str, list[str]] = {}
    for assembly, members in memberships.items():
        in_children = set().union(*(memberships.get(c, set()) for c in graph.successors(assembly)))
        for protein in members - in_children:
            terminal.setdefault(protein, []).append(assembly)
    return {p: sorted(a) for p, a in terminal.items()}


def multilocalization(edges: Iterable[tuple[str, str]], memberships: Mapping[str, set[str]],
                      root: str | None = None) -> pd.DataFrame:
    """Terminal assemblies, paths to the root and the multi-localized flag of every protein of the map.

    Args:
        edges: ``(parent, child)`` containment pairs (``E`` edges).
        memberships: assembly -> member proteins (propagated lists, as in HiDeF ``.nodes``).
        root: the root assembly; default the only parentless assembly.

    Returns:
        DataFrame, one row per protein (sorted): ``protein``, ``terminalAssemblies`` (list[str]),
        ``pathsToRoot`` (int), ``multiLocalized`` (bool, pathsToRoot > 1).

    Raises:
        ValueError: cycle, no unique root, or memberships naming unknown assemblies.
    """
    graph = hierarchy_graph(edges, memberships)
    paths = paths_to_root(graph, root)
    terminal = terminal_assemblies(graph, memberships)
    proteins = sorted(terminal)
    total = [sum(paths[a] for a in terminal[p]) for p in proteins]
    return pd.DataFrame({"protein": proteins, "terminalAssemblies": [terminal[p] for p in proteins],
                         "pathsToRoot": total, "multiLocalized": [t > 1 for t in total]}, columns=PROTEIN_COLUMNS)
