"""The one base class of the errors a user can cause and fix (bad input, missing data, unreachable store, bad
parameters, unknown names).

Every module's user-facing error derives from :class:`UserError` (``DataFormatError``, ``StoreError``,
``QueryParameterError``, ``HcxExportError`` ...). The CLI catches this one type and prints its message on one line
(``error: ...``, exit status 1; ``CELLMAP_KG_DEBUG=1`` re-raises for the traceback); the REST API answers it with
the error body. Anything else is a bug and keeps its traceback.

This module imports nothing from the package, so every module can derive from it without an import cycle.
"""

from __future__ import annotations


class UserError(Exception):
    """Base of every user-fixable error of cellmap-kg. The message says what was wrong and what was expected,
    naming the file and line, parameter or name concerned. Subclasses usually also derive from the built-in type
    that fits (``ValueError``, ``LookupError``, ``FileNotFoundError``, ``RuntimeError``)."""

