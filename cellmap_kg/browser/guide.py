"""The Neo4j Browser guide of the graph: ``guide.yaml`` rendered as the HTML that ``:play <url>`` shows.

Neo4j Browser 5 shows a remote guide's ``<slide>`` elements as a carousel, and puts the text of a ``<pre
class="runnable">`` into its editor when clicked (Neo4j Browser source, ``modules/Guides`` and ``Directives``). Each
question slide has two runnable blocks: its ``:param name => value;`` lines (Neo4j Browser manual, "Query
parameters"; they run together in the Browser's multi-statement mode), then its Cypher alone, so that the Browser
shows the result as a table or draws it as a network (a multi-statement frame shows only each statement's summary).
A slide names a library query (``query``), whose ``:param`` lines are those of ``cellmap-kg export-queries``
(:func:`cellmap_kg.queries.publish.param_lines`), or carries Browser-only Cypher (``cypher``: graph-shaped results
that the REST API's plain-value rows do not fit).

Example::

    >>> guide = load_guide()
    >>> guide.slides[3].query
    'uncharacterized-in-mutated-assemblies'
    >>> guide.slides[3].param_block.splitlines()[0]
    ':param rule => "frequency";'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml

from ..queries.publish import param_lines
from ..queries.registry import QuerySpec, load_queries
from ..store.falkordb_values import cypher_literal
from . import GUIDE_FILE

SLIDE_KEYS = {"title", "text", "params", "cypher", "query"}


class GuideError(ValueError):
    """``guide.yaml`` is malformed: the message names the file, the slide and what was expected."""


@dataclass(frozen=True)
class Slide:
    """One question: ``title``, explanatory ``text``, the runnable ``param_block`` (``:param`` lines) and
    ``cypher``, the library ``query`` it runs (None for Browser-only Cypher) and the parameter values it sets."""

    title: str
    text: str
    param_block: str
    cypher: str
    query: str | None
    params: dict[str, Any]


@dataclass(frozen=True)
class Guide:
    """The guide: its ``title`` and question ``slides`` (the HTML adds a first slide that loads the style)."""

    title: str
    slides: tuple[Slide, ...]


def _slide(number: int, raw: Any, library: dict[str, QuerySpec]) -> Slide:
    where = f"{GUIDE_FILE}: slide {number}"
    if not isinstance(raw, dict) or not {"title", "text"} <= raw.keys() or raw.keys() - SLIDE_KEYS:
        raise GuideError(f"{where}: expected a mapping with title, text, params and one of cypher / query, got "
                         f"{sorted(raw) if isinstance(raw, dict) else type(raw).__name__}")
    if ("cypher" in raw) == ("query" in raw):
        raise GuideError(f"{where}: expected exactly one of cypher (Browser Cypher) or query (a library query name)")
    params = dict(raw.get("params") or {})
    if "query" in raw:
        spec = library.get(raw["query"])
        if spec is None:
            raise GuideError(f"{where}: no library query named {raw['query']!r} in cellmap_kg/queries/")
        unknown = params.keys() - spec.parameters.keys()
        if unknown:
            raise GuideError(f"{where}: query {spec.name} has no parameter(s) {sorted(unknown)}")
        try:
            lines = param_lines(spec, params)
        except ValueError as exc:
            raise GuideError(f"{where}: {exc}") from None
        cypher = spec.cypher
    else:
        lines = [f":param {name} => {cypher_literal(value)};" for name, value in params.items()]
        cypher = raw["cypher"].strip()
    return Slide(title=raw["title"], text=raw["text"], param_block="\n".join(lines), cypher=cypher.strip(),
                 query=raw.get("query"), params=params)


def load_guide(text: str | None = None, library: dict[str, QuerySpec] | None = None) -> Guide:
    """The guide declared in ``text`` (default: the shipped ``cellmap_kg/browser/guide.yaml``), with library
    queries looked up in ``library`` (default: ``load_queries()``).

    Raises:
        GuideError: not YAML, no slides, a slide without title/text, with both or neither of cypher and query, an
            unknown library query or parameter, or a parameter value of the wrong type.
    """
    if text is None:
        text = files(__package__).joinpath(GUIDE_FILE).read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GuideError(f"{GUIDE_FILE}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("slides"), list) or not raw["slides"]:
        raise GuideError(f"{GUIDE_FILE}: expected a mapping with a title and a non-empty list of slides")
    library = load_queries() if library is None else library
    return Guide(title=str(raw.get("title", "cellmap-kg")),
                 slides=tuple(_slide(i, s, library) for i, s in enumerate(raw["slides"], 1)))


def _runnable(text: str) -> str:
    return f'<pre class="code runnable">{html.escape(text)}</pre>'


def guide_html(guide: Guide, style_url: str) -> str:
    """The guide as the HTML of a Neo4j Browser remote guide: a first slide that loads the style from
    ``style_url`` and lists the questions, then one ``<slide>`` per question with its two runnable blocks."""
    questions = "".join(f"<li>{html.escape(s.title)}</li>" for s in guide.slides)
    first = ("<slide>"
             f"<h3>{html.escape(guide.title)}</h3>"
             "<p>cellmap-kg: the U2OS cell map, OpenCell, BioPlex, GO, CORUM, HPA and paediatric tumours in one "
             "graph. Click a grey block to put it into the editor, then run it (Ctrl+Enter). First load the style: "
             "proteins captioned by symbol, assemblies by name and size.</p>"
             f"{_runnable(f':style {style_url}')}"
             f"<p>The questions, one a slide:</p><ol>{questions}</ol>"
             "</slide>")
    slides = "".join(
        "<slide>"
        f"<h3>{i}. {html.escape(s.title)}</h3><p>{html.escape(s.text)}</p>"
        + (f"<p>Library query <code>{html.escape(s.query)}</code> (<code>cellmap-kg query {html.escape(s.query)}"
           "</code>).</p>" if s.query else "")
        + f"<p>Set the parameters:</p>{_runnable(s.param_block)}<p>Then ask:</p>{_runnable(s.cypher)}</slide>"
        for i, s in enumerate(guide.slides, 1))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(guide.title)}</title></head>"
            f"<body><article class=\"guide\">{first}{slides}</article></body></html>\n")
