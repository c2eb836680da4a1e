"""Best matches between two maps by Jaccard index of member sets: exact values on sets made here."""

from __future__ import annotations

import pytest

from cellmap_kg.analyses.map_comparison import MATCH_COLUMNS, best_matches, incidence


def test_incidence_rows_and_columns():
    ids, x = incidence({"b": {"P2"}, "a": {"P1", "P3", "ELSEWHERE"}}, ["P1", "P2", "P3"])
    assert ids == ["a", "b"]
    assert x.toarray().tolist() == [[1, 0, 1], [0, 1, 0]]


def test_best_match_exact_jaccard_and_overlap():
    a = {"R": {"A", "B", "C", "D"}, "X": {"A", "B"}, "Y": {"E"}}
    b = {"r": {"A", "B", "C"}, "p": {"A", "B", "C", "F"}, "q": {"B"}}
    table = best_matches(a, b)
    assert list(table.columns) == MATCH_COLUMNS
    rows = [tuple(r) for r in table.itertuples(index=False)]
    assert rows == [("R", "r", pytest.approx(3 / 4), 3, 4, 3),      # r: 3/4 beats p: 3/5
                    ("X", "r", pytest.approx(2 / 3), 2, 2, 3)]      # r: 2/3 beats p: 2/4 and q: 1/2
    # Y shares nothing with b: no row


def test_ties_go_to_the_larger_overlap_then_the_smaller_id():
    a = {"X": {"A", "B"}}
    # u: {A} 1/2; v: {A, B, C, D} 2/4: same Jaccard, v has the larger overlap
    assert best_matches(a, {"u": {"A"}, "v": {"A", "B", "C", "D"}}).target.tolist() == ["v"]
    # w and z: identical sets, same Jaccard and overlap: the smaller id
    assert best_matches(a, {"z": {"A", "B"}, "w": {"A", "B"}}).target.tolist() == ["w"]


def test_identical_maps_match_themselves_with_jaccard_one():
    maps = {"a": {"P1", "P2"}, "b": {"P2", "P3", "P4"}, "c": {"P5"}}
    table = best_matches(maps, maps)
    assert table.source.tolist() == table.target.tolist() == ["a", "b", "c"]
    assert table.jaccard.tolist() == [1.0, 1.0, 1.0]


def test_empty_inputs_give_no_rows():
    assert best_matches({}, {"a": {"P1"}}).empty
    assert best_matches({"a": {"P1"}}, {}).empty
    assert best_matches({"a": {"P1"}}, {"b": {"P2"}}).empty
