"""Your own cell maps in the graph: add, list, remove and compare maps (``cellmap-kg map ...``).

* ``add_map(store, path, name)``: an HCX/CX2, HiDeF ``.nodes``/``.edges`` or DDOT ``.ont`` file becomes map
  ``name`` atomically, with its members resolved like every source and the map-level analyses run on it
  (``graph``); formats and member sources: ``files``.
* ``list_maps(store)``: the library query ``maps``.
* ``remove_map(store, name)``: one statement removes a map added with ``add_map``.
* ``compare_maps(store, a, b)``: each assembly's best match in the other map by Jaccard index, written as
  ``MATCHES`` both ways (``analyses.map_comparison_graph``).
"""

from __future__ import annotations

from ..analyses.map_comparison_graph import compare_maps
from ..queries.registry import run_query
from ..store.base import GraphStore
from .files import FORMATS, detect_format, read_map
from .graph import MAP_ANALYSES, MapAddResult, MapError, add_map, remove_map


def list_maps(store: GraphStore) -> list[dict]:
    """The maps of the graph: rows of the library query ``maps`` (map, assemblies, proteins, dataset, cellLine,
    added, details)."""
    return run_query(store, "maps")


__all__ = ["FORMATS", "MAP_ANALYSES", "MapAddResult", "MapError", "add_map", "compare_maps", "detect_format",
           "list_maps", "read_map", "remove_map"]
