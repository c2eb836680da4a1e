"""Where the project keeps its state by default: one folder, ``./.cellmap-kg`` in the working directory.

The embedded store is that folder itself (``store.default_uri``); every other kind of state is a sub-folder of it
unless its environment variable names another place: the project's Neo4j (``neo4j``, ``$CELLMAP_KG_NEO4J_HOME``),
the HiSig fits (``cache``, ``$CELLMAP_KG_CACHE``) and the GNN export and runs (``gnn``, ``$CELLMAP_KG_GNN_CACHE``).
"""

from __future__ import annotations

import os
from pathlib import Path

STATE_DIR_NAME = ".cellmap-kg"
"""The project's state folder, in the working directory."""


def state_dir() -> Path:
    """``<cwd>/.cellmap-kg`` (absolute)."""
    return Path.cwd().absolute() / STATE_DIR_NAME


def state_path(name: str, env: str) -> Path:
    """``$<env>`` (made absolute) if set and not empty, else ``<cwd>/.cellmap-kg/<name>``."""
    value = os.environ.get(env)
    return Path(value).absolute() if value else state_dir() / name
