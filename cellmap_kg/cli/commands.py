"""Sub-commands beyond build/query: analyses, query export, exports, the REST API and the GNN pipeline.

Each package that has commands exposes ``register(sub)`` in its own ``cli.py``; this module only collects them, so
the commands live next to the code they call (like the core commands, they parse arguments and call one function).
"""

from __future__ import annotations

import argparse
import importlib

COMMAND_MODULES = (
    "cellmap_kg.analyses.cli",   # analyze, annotate, hisig
    "cellmap_kg.queries.cli",    # export-queries, docs-queries
    "cellmap_kg.export.cli",     # export rdf|hcx|neo4j-admin
    "cellmap_kg.api.cli",        # serve
    "cellmap_kg.gnn.cli",        # gnn export|train|evaluate|predict
    "cellmap_kg.store.cli",      # neo4j install|start|stop|status
    "cellmap_kg.maps.cli",       # map add|list|remove|compare
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the sub-commands of every module in ``COMMAND_MODULES`` that exists to the parser collection ``sub``."""
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but one of its imports is missing: a real error
                raise
            continue
        module.register(sub)
