"""Neo4j Browser faces of the graph: a style (GRASS) and a guide (``:play``), both served by ``cellmap-kg serve``.

* ``style.grass``: one rule per label of ``schema/schema.yaml`` (proteins captioned by HGNC symbol, assemblies by
  name and size, GO terms, compartments, complexes and tumour types by name; Okabe-Ito colours, Okabe & Ito 2008,
  "Color Universal Design"). Written in the Browser's GRASS dialect, which has no comments: this docstring
  documents it. Load it with ``:style http://127.0.0.1:8000/browser/style.grass`` or drag the file onto the Browser.
* ``guide.yaml``: the slides of the guide (:mod:`cellmap_kg.browser.guide`), shown with
  ``:play http://127.0.0.1:8000/browser/guide.html``.

The Browser fetches both from its own page (origin ``http://<neo4j host>:7474``), so the host must be in Neo4j's
``browser.remote_content_hostname_whitelist`` (``cellmap_kg.store.neo4j_server`` lists 127.0.0.1 and
localhost) and the API answers them with CORS headers (``cellmap_kg.api.routes.browser``).
"""

from __future__ import annotations

from importlib.resources import files

STYLE_FILE = "style.grass"
GUIDE_FILE = "guide.yaml"


def style_text() -> str:
    """The GRASS text of the shipped Browser style (``cellmap_kg/browser/style.grass``)."""
    return files(__package__).joinpath(STYLE_FILE).read_text(encoding="utf-8")
