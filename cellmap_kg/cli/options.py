"""The command-line options every ``cellmap-kg`` sub-command shares (``--store``, ``--data``), declared once."""

from __future__ import annotations

import argparse
from pathlib import Path

STORE_HELP = ("graph store URI: falkordb:///DIR (default ./.cellmap-kg or $CELLMAP_KG_STORE) "
              "or neo4j://HOST:7687 / bolt://HOST:7687")
DATA_HELP = "data directory with the source files (default $CELLMAP_KG_DATA, else ./data)"


def add_store_option(p: argparse.ArgumentParser, purpose: str | None = None) -> None:
    """Add ``--store URI`` (default ``None``: ``open_store`` picks the default store) to ``p``.

    ``purpose`` prefixes the help text, e.g. ``"graph to run the examples on"``.
    """
    p.add_argument("--store", default=None, metavar="URI", help=f"{purpose}; {STORE_HELP}" if purpose else STORE_HELP)


def add_data_option(p: argparse.ArgumentParser) -> None:
    """Add ``--data DIR`` (default ``None``: ``sources.default_data_dir()``) to ``p``."""
    p.add_argument("--data", type=Path, default=None, metavar="DIR", help=DATA_HELP)
