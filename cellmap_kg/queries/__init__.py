"""The query library: ``<name>.cypher`` files with a YAML ``//`` header (see :mod:`.registry` for the format).

- :mod:`.registry`: read the files (``load_queries``), bind parameters (``QuerySpec.bind``), run (``run_query``)
- :mod:`.lint`: Neo4j's Cypher linter against the declared schema plus FalkorDB/read-only rules (``lint_queries``)
- :mod:`.export`: Neo4j Browser scripts (``export_for_browser``) and docs/queries.md (``queries_markdown``)
"""

from .registry import (
    ParamSpec,
    QueryDefinitionError,
    QueryParameterError,
    QuerySpec,
    UnknownQueryError,
    get_query,
    load_queries,
    run_query,
)

__all__ = ["ParamSpec", "QueryDefinitionError", "QueryParameterError", "QuerySpec", "UnknownQueryError",
           "get_query", "load_queries", "run_query"]
