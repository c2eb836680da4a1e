"""The graph analyses of the default build, run on a store (the staging graph during ``cellmap-kg build``).

Each analysis reads what it needs from the graph, computes, and writes results back with provenance
(``dataset``/``analysis`` properties). ``ANALYSES`` maps the names accepted by ``cellmap-kg analyze``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..store.base import GraphStore
from .mutation_frequency import compute_mutation_frequency


def _mutation_frequency(store: GraphStore, data_dir: Path | None) -> dict:
    return compute_mutation_frequency(store)


ANALYSES: dict[str, Callable[[GraphStore, Path | None], dict]] = {
    "mutation-frequency": _mutation_frequency,
}


def run_default_analyses(store: GraphStore, data_dir: Path | None = None, names: list[str] | None = None,
                         ui=None) -> dict[str, dict]:
    """Run the named analyses (default: all, in declaration order); returns each one's summary dict."""
    chosen = names or list(ANALYSES)
    unknown = [n for n in chosen if n not in ANALYSES]
    if unknown:
        raise KeyError(f"unknown analysis {unknown}; known: {list(ANALYSES)}")
    summaries = {}
    if ui:
        ui.start("analyses", len(chosen))
    for name in chosen:
        summaries[name] = ANALYSES[name](store, data_dir)
        if ui:
            ui.advance("analyses", name)
    return summaries
