"""Loaders: pure functions that turn a declared source's files into graph rows.

Every loader has one signature, ``loader(source: SourceFiles, resolver: SymbolResolver) -> LoadResult``:

* ``source`` is the loader's declaration in ``cellmap_kg/sources/sources.yaml`` bound to the data directory
  (``Source.in_dir(data_dir)``, ``cellmap_kg.sources.SourceFiles``). The loader takes its dataset id from
  ``source.id`` and its files by their declared ``key``: ``source.path(key)`` (one file, the path errors name),
  ``source.paths(key)`` (a group of files) and ``source.relative(key)`` (the declared path, relative to the data
  directory). Loaders name no source id or file path of their own: the declaration is the one place for them.
* ``resolver`` maps gene names and ids to HGNC-approved symbols (``symbols.SymbolResolver``).
* The ``LoadResult`` (``base``) holds typed node/relationship batches and a report of every row skipped.

``sources.yaml`` lists each source's loaders (``module:function``); ``cellmap_kg.build.run_loaders`` calls them.
To run one by hand: ``load_corum(source_of(load_corum).in_dir(data_dir), resolver)`` (``cellmap_kg.sources``).
"""
