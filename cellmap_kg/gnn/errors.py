"""The error a user of ``cellmap-kg gnn`` can cause."""

from __future__ import annotations

from ..errors import UserError


class GNNError(UserError, RuntimeError):
    """A GNN action cannot run as asked: no such saved run, the graph changed since the run, or an empty graph.
    The message says what to do."""
