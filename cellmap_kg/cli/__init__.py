"""The ``cellmap-kg`` command line: argparse faces that parse arguments, call one function and format the answer.

- ``main``: the entry point and the core commands (build, query, fetch, counts, schema, stop); the flagship
  answer printed by ``cellmap-kg build``.
- ``commands``: collects the sub-commands that live next to the code they call (each package's own ``cli.py``:
  analyses, queries, export, api, gnn, store, maps).
- ``options``: the options every sub-command shares (``--store``, ``--data``), declared once.

User errors (:class:`cellmap_kg.errors.UserError`) end as one line on stderr and exit status 2, never a traceback.
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
