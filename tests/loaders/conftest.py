"""Fixtures shared by the loader tests (``data_dir`` and ``resolver`` come from ``tests/conftest.py``)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from cellmap_kg.loaders.base import NodeBatch
from cellmap_kg.schema import SCHEMA


def check_result_schema(result, dataset_id: str) -> None:
    """Assert every row of ``result`` passes the schema checks and every relationship carries ``dataset_id``."""
    assert result.source == dataset_id
    for batch in result.nodes:
        for extra in batch.extra_labels:
            assert extra in SCHEMA.nodes[batch.label].extra_labels
        SCHEMA.check_node_rows(batch.label, batch.rows, batch.label)
    for batch in result.relationships:
        SCHEMA.check_relationship_rows(batch.type, batch.rows, batch.type)
        assert all(row["dataset"] == dataset_id for row in batch.rows)


@pytest.fixture(scope="session")
def assert_schema():
    """``assert_schema(result, dataset_id)``: every row matches ``schema.yaml``; relationships carry the dataset."""
    return check_result_schema


def copy_slice(src, dst, lines: int | None = None, edits: dict | None = None):
    """Write the first ``lines`` lines of the real file ``src`` to ``dst`` (parent folders created).

    ``edits`` maps 1-based line numbers to replacement text (without the newline), to corrupt one precise line.
    Returns ``dst``.
    """
    with open(src, encoding="utf-8") as fh:
        text = fh.read().splitlines()
    kept = text[:lines] if lines is not None else text
    for number, replacement in (edits or {}).items():
        kept[number - 1] = replacement
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return dst


@pytest.fixture(scope="session")
def slice_file():
    """``slice_file(src, dst, lines=None, edits=None)``: a slice of a real file, optionally with edited lines."""
    return copy_slice


def keyed_rows(batches, name: str, key: str = "id") -> dict:
    """The rows of the only batch in ``batches`` (a ``LoadResult``'s ``nodes`` or ``relationships``, or a filtered
    list of them), keyed by ``row[key]`` for nodes and by ``(source, target)`` for relationships.

    Asserts ``batches`` holds exactly one batch and that its label (node batch) or type (relationship batch) is
    ``name``.
    """
    (batch,) = batches
    if isinstance(batch, NodeBatch):
        assert batch.label == name
        return {row[key]: row for row in batch.rows}
    assert batch.type == name
    return {(row["source"], row["target"]): row for row in batch.rows}


def sources_by_target(batches, rel_type: str) -> dict[str, set[str]]:
    """``{target: {sources}}`` over every relationship batch of ``rel_type`` in ``batches`` (e.g. the members of
    each assembly or complex); asserts there is at least one such batch."""
    out = defaultdict(set)
    matching = [b for b in batches if b.type == rel_type]
    assert matching, f"no {rel_type} batch"
    for batch in matching:
        for row in batch.rows:
            out[row["target"]].add(row["source"])
    return out


@pytest.fixture(scope="session")
def rows_by_key():
    """``rows_by_key(batches, name, key="id")``: the only batch's rows keyed by node key or (source, target)."""
    return keyed_rows


@pytest.fixture(scope="session")
def members_by_target():
    """``members_by_target(batches, rel_type)``: ``{target: {sources}}`` of the relationships of ``rel_type``."""
    return sources_by_target
