"""Sub-commands beyond build/query: analyses, exports, the REST API and the GNN pipeline.

Each is registered on the ``cellmap-kg`` parser by ``register``; like the core commands they only parse
arguments and call one function of the package.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the extra sub-commands to the ``cellmap-kg`` sub-parser collection ``sub``."""
