"""The exceptions a user can cause (bad input, missing data, unreachable store, bad parameters).

The CLI prints these as one-line errors instead of tracebacks; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


def user_errors() -> tuple[type[BaseException], ...]:
    """Exception classes that describe a user-fixable problem (imported lazily to keep CLI start-up fast)."""
    from .analyses.graph_io import AnalysisError
    from .build import BuildError
    from .derive import DerivationError
    from .fetch import FetchError
    from .gnn.errors import GNNError
    from .loaders.base import DataFormatError, MissingDataError
    from .maps.graph import MapError
    from .schema import SchemaError
    from .store.base import StoreError

    errors: list[type[BaseException]] = [BuildError, DataFormatError, MissingDataError, SchemaError, StoreError,
                                         FetchError, DerivationError, AnalysisError,
                                         GNNError, MapError]
    try:
        from .queries.registry import QueryParameterError
        errors.append(QueryParameterError)
    except ImportError:
        pass
    return tuple(errors)
