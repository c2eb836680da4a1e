"""The API's routers, one module per resource: ``meta`` (/health, /schema), ``proteins``, ``assemblies``,
``queries`` (the query library) and ``cypher`` (read-only Cypher). Each endpoint is thin: validate, run the reads
of its module on the shared store (``deps.store``), shape the answer."""
