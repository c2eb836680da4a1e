"""Terminal assemblies, paths to the root and multi-parent assemblies: a made-up DAG and the U2OS map."""

from __future__ import annotations

import pytest

from cellmap_kg.analyses.multilocalization import (
    PROTEIN_COLUMNS,
    hierarchy_graph,
    multi_parent_assemblies,
    multilocalization,
    paths_to_root,
    terminal_assemblies,
)

#      R
#    /   \
#   A     B
#    \   /
#      C          C has two parents; D, E under C; F under D and E (4 paths F -> R)
#     / \
#    D   E
#     \ /
#      F
EDGES = [("R", "A"), ("R", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("C", "E"), ("D", "F"), ("E", "F")]
MEMBERS = {
    "F": {"f"},
    "D": {"f", "d"},
    "E": {"f"},
    "C": {"f", "d", "c"},
    "A": {"f", "d", "c", "a", "ab"},
    "B": {"f", "d", "c", "b", "ab"},
    "R": {"f", "d", "c", "a", "b", "ab", "r"},
}


def test_paths_are_counted_by_dynamic_programming():
    paths = paths_to_root(hierarchy_graph(EDGES))
    assert paths == {"R": 1, "A": 1, "B": 1, "C": 2, "D": 2, "E": 2, "F": 4}


def test_terminal_assemblies_are_memberships_not_inherited_by_a_child():
    terminal = terminal_assemblies(hierarchy_graph(EDGES), MEMBERS)
    assert terminal == {"f": ["F"], "d": ["D"], "c": ["C"], "a": ["A"], "b": ["B"], "ab": ["A", "B"], "r": ["R"]}


def test_multilocalization_of_each_protein():
    df = multilocalization(EDGES, MEMBERS)
    assert list(df.columns) == PROTEIN_COLUMNS
    got = df.set_index("protein")
    assert got.pathsToRoot.to_dict() == {"a": 1, "ab": 2, "b": 1, "c": 2, "d": 2, "f": 4, "r": 1}
    assert sorted(got.index[got.multiLocalized]) == ["ab", "c", "d", "f"]
    assert multi_parent_assemblies(hierarchy_graph(EDGES)) == ["C", "F"]


def test_a_cycle_is_rejected():
    with pytest.raises(ValueError, match="cycle"):
        hierarchy_graph(EDGES + [("F", "A")])


def test_the_root_must_be_unique():
    with pytest.raises(ValueError, match="exactly one root"):
        multilocalization(EDGES + [("Q", "F")], MEMBERS)


def test_memberships_must_name_hierarchy_assemblies():
    with pytest.raises(ValueError, match="missing from the hierarchy"):
        terminal_assemblies(hierarchy_graph(EDGES), {**MEMBERS, "Z": {"z"}})


def test_u2os_multilocalization(u2os_edges, u2os_memberships):
    """U2OS May-2023 draft: 25.6% multi-localized, 22 multi-parent assemblies (paper, final map: ~30%, 23)."""
    df = multilocalization(u2os_edges, u2os_memberships)
    assert len(df) == 5254
    assert int(df.multiLocalized.sum()) == 1346
    assert df.pathsToRoot.max() == 4
    assert len(multi_parent_assemblies(hierarchy_graph(u2os_edges))) == 22
    # a protein with one terminal assembly can still be multi-localized through a multi-parent ancestor
    by_protein = df.set_index("protein")
    single = by_protein[by_protein.terminalAssemblies.map(len) == 1]
    assert single.multiLocalized.sum() > 0
