"""The GNN export's edge filters (``EdgeSpec.where``), on rows made to prove each branch: they keep what the
Cypher filters they replaced kept (a null property compares as unknown and drops the row, except a missing
evidence list, which the old ``r.evidence IS NULL OR ...`` kept)."""

from __future__ import annotations

import pytest

from cellmap_kg.gnn.spec import EDGE_SPECS

SPECS = {spec.relationship: spec for spec in EDGE_SPECS}


@pytest.mark.parametrize("dataset, kept", [("u2os-cellmap-2023-05", True), ("opencell-communities-2021", False),
                                           (None, False)])
def test_memberships_of_the_opencell_communities_are_not_edges(dataset, kept):
    assert SPECS["MEMBER_OF"].keep({"dataset": dataset}) is kept


@pytest.mark.parametrize("evidence, kept", [(None, True), (["IPI"], False), (["IPI", "IDA"], True), (["IEA"], True),
                                            ([], False)])
def test_go_annotations_resting_on_ipi_alone_are_not_edges(evidence, kept):
    assert SPECS["ANNOTATED_WITH"].keep({"evidence": evidence}) is kept


@pytest.mark.parametrize("score, kept", [(0.509, True), (0.0, False), (-1.0, False), (None, False)])
def test_only_positive_mutation_scores_are_edges(score, kept):
    assert SPECS["MUTATION_SCORE"].keep({"score": score}) is kept
