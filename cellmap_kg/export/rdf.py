"""Export the cell maps of the graph as RDF (Turtle by default) with rdflib, for the linked-data ecosystem.

What is written (vocabulary in ``rdf_vocabulary``; ``docs/rdf.md`` has the table and an example):

* every ``Assembly`` of the chosen maps (default: all) as ``cmkg:Assembly`` with ``rdfs:label`` (its name, else
  its cluster id), the data properties of ``ASSEMBLY_PROPERTIES``, ``cmkg:contains`` to its children and
  ``cmkg:bestMatch`` to the best-matching GO term (OBO PURL) or CORUM complex (identifiers.org);
* every member protein as ``cmkg:Protein`` identified by its HGNC IRI (``https://identifiers.org/hgnc:11180``;
  proteins without an HGNC id by their NCBI Gene IRI, else ``hgnc.symbol``), with ``rdfs:label`` and
  ``cmkg:symbol``, ``cmkg:uniprot``/``cmkg:ncbiGene`` links and ``cmkg:pubmedCount``; ``cmkg:hasMember`` links
  each assembly to its members;
* with ``annotations=True`` (default), the members' direct GO annotations (``cmkg:annotatedWith``) and each
  annotated GO term as an ``owl:Class`` with ``rdfs:label`` and ``oboInOwl:hasOBONamespace`` (the GO structure
  itself is GO's: the PURLs link to it);
* the vocabulary's own definitions and an export node (``void:Dataset``) with the build date and source data
  sets.

Example::

    >>> graph = graph_from_store(store, maps=["CM4AI-MDA-MB-468"])   # doctest: +SKIP
    >>> export_rdf(store, Path("cellmap.ttl"))                         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, VOID, XSD

from ..analyses.graph_io import map_names
from ..errors import UserError
from ..queries.registry import run_internal
from ..schema import PROPERTY_TYPES, SCHEMA
from ..store.base import GraphStore
from .rdf_vocabulary import ASSEMBLY_BASE, ASSEMBLY_PROPERTIES, CMKG, IDENTIFIERS, OBO, RDFS_KIND, TERMS

OBO_IN_OWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
EXPORT_IRI = URIRef("https://w3id.org/cellmap-kg/export")
FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".n3": "n3"}
"""File suffix -> rdflib serialization format."""


class RdfExportError(UserError, ValueError):
    """Unknown map or output format."""


def assembly_iri(assembly_id: str) -> URIRef:
    """IRI of an assembly: ``ASSEMBLY_BASE`` + percent-encoded id (``:`` kept), e.g.
    ``.../assembly/U2OS-2023-05:Cluster3-65``."""
    return URIRef(ASSEMBLY_BASE + quote(assembly_id, safe=":-._~"))


def protein_iri(symbol: str, hgnc_id: str | None = None, entrez_id: int | None = None) -> URIRef:
    """The identifiers.org IRI of a protein: HGNC id (``hgnc:11180``), else NCBI Gene (``ncbigene:1803``), else
    the symbol (``hgnc.symbol:DPP9``)."""
    if hgnc_id:
        return URIRef(IDENTIFIERS + "hgnc:" + hgnc_id.split(":")[-1])
    if entrez_id is not None:
        return URIRef(f"{IDENTIFIERS}ncbigene:{entrez_id}")
    return URIRef(IDENTIFIERS + "hgnc.symbol:" + quote(symbol, safe="-._~"))


def go_iri(go_id: str) -> URIRef:
    """OBO PURL of a GO term: ``GO:0000502`` -> ``http://purl.obolibrary.org/obo/GO_0000502``."""
    return OBO[go_id.replace(":", "_")]


def known_component_iri(component_id: str) -> URIRef | None:
    """IRI of a best-match component id: ``GO:...`` -> OBO PURL, ``CORUM:<n>`` -> identifiers.org; else ``None``."""
    if component_id.startswith("GO:"):
        return go_iri(component_id)
    if component_id.startswith("CORUM:"):
        return URIRef(IDENTIFIERS + "corum:" + component_id.split(":", 1)[1])
    return None


def _literal(value: object, datatype: URIRef | None) -> Literal:
    return Literal(value, datatype=datatype) if datatype is not None else Literal(value)


def add_vocabulary(graph: Graph) -> None:
    """Add every ``TERMS`` definition (type, label, comment, domain, range) to ``graph``."""
    for term in TERMS:
        iri = CMKG[term.name]
        graph.add((iri, RDF.type, RDFS_KIND[term.kind]))
        graph.add((iri, RDFS.label, Literal(term.label, lang="en")))
        graph.add((iri, RDFS.comment, Literal(term.comment, lang="en")))
        if term.domain:
            graph.add((iri, RDFS.domain, CMKG[term.domain]))
        if term.range:
            graph.add((iri, RDFS.range, URIRef(term.range) if ":" in term.range else CMKG[term.range]))


def _bind(graph: Graph) -> None:
    for prefix, ns in (("cmkg", CMKG), ("obo", OBO), ("oboInOwl", OBO_IN_OWL), ("owl", OWL), ("void", VOID),
                       ("dcterms", DCTERMS), ("hgnc", Namespace(IDENTIFIERS + "hgnc:")),
                       ("uniprot", Namespace(IDENTIFIERS + "uniprot:")),
                       ("ncbigene", Namespace(IDENTIFIERS + "ncbigene:"))):
        graph.bind(prefix, ns, override=True)


def _datatype(label: str, name: str) -> URIRef | None:
    """The literal datatype of property ``label.name`` (``schema.types``); ``None`` (a plain literal) for strings."""
    value_type = PROPERTY_TYPES[SCHEMA.nodes[label].properties[name].type]
    return None if value_type.name == "string" else URIRef(value_type.xsd)


def _add_assemblies(graph: Graph, store: GraphStore, maps: list[str]) -> int:
    rows = store.read_nodes("Assembly", ("id", "name", "bestMatch", *ASSEMBLY_PROPERTIES), {"map": maps})
    for row in rows:
        iri = assembly_iri(row["id"])
        graph.add((iri, RDF.type, CMKG.Assembly))
        graph.add((iri, RDFS.label, Literal(row["name"] or row["clusterId"] or row["id"])))
        for prop in ASSEMBLY_PROPERTIES:
            if row[prop] is not None:
                graph.add((iri, CMKG[prop], _literal(row[prop], _datatype("Assembly", prop))))
        match = known_component_iri(row["bestMatch"]) if row["bestMatch"] else None
        if match is not None:
            graph.add((iri, CMKG.bestMatch, match))
    for edge in store.read_relationships("CONTAINS", source_where={"map": maps}):
        graph.add((assembly_iri(edge["source"]), CMKG.contains, assembly_iri(edge["target"])))
    return len(rows)


def _add_proteins(graph: Graph, store: GraphStore, maps: list[str]) -> dict[str, URIRef]:
    rows = run_internal(store, "map-proteins", maps=maps)
    iris = {}
    for row in rows:
        iri = protein_iri(row["symbol"], row["hgncId"], row["entrezId"])
        iris[row["symbol"]] = iri
        graph.add((iri, RDF.type, CMKG.Protein))
        graph.add((iri, RDFS.label, Literal(row["symbol"])))
        graph.add((iri, CMKG.symbol, Literal(row["symbol"])))
        for accession in row["uniprot"] or []:
            graph.add((iri, CMKG.uniprot, URIRef(IDENTIFIERS + "uniprot:" + quote(accession, safe="-._~"))))
        if row["entrezId"] is not None:
            graph.add((iri, CMKG.ncbiGene, URIRef(f"{IDENTIFIERS}ncbigene:{row['entrezId']}")))
        if row["pubmedCount"] is not None:
            graph.add((iri, CMKG.pubmedCount, _literal(row["pubmedCount"], _datatype("Protein", "pubmedCount"))))
        for assembly in row["assemblies"]:
            graph.add((assembly_iri(assembly), CMKG.hasMember, iri))
    return iris


def _add_annotations(graph: Graph, store: GraphStore, proteins: dict[str, URIRef]) -> None:
    rows = run_internal(store, "protein-go-terms", symbols=sorted(proteins))
    terms = {}
    for row in rows:
        graph.add((proteins[row["symbol"]], CMKG.annotatedWith, go_iri(row["go"])))
        terms[row["go"]] = (row["name"], row["namespace"])
    for go_id, (name, namespace) in terms.items():
        iri = go_iri(go_id)
        graph.add((iri, RDF.type, OWL.Class))
        if name:
            graph.add((iri, RDFS.label, Literal(name)))
        if namespace:
            graph.add((iri, OBO_IN_OWL.hasOBONamespace, Literal(namespace)))


def _add_provenance(graph: Graph, store: GraphStore, maps: list[str]) -> None:
    graph.add((EXPORT_IRI, RDF.type, VOID.Dataset))
    graph.add((EXPORT_IRI, DCTERMS.title, Literal("cellmap-kg cell maps: " + ", ".join(maps))))
    build = store.read_nodes("GraphBuild", ("finishedAt",), {"id": "current"})
    if build and build[0]["finishedAt"]:
        graph.add((EXPORT_IRI, DCTERMS.created, Literal(build[0]["finishedAt"], datatype=XSD.dateTime)))
    for row in sorted(store.read_nodes("Dataset", ("id", "citation")), key=lambda r: r["id"]):
        graph.add((EXPORT_IRI, DCTERMS.source, Literal(f"{row['id']}: {row['citation']}")))


def graph_from_store(store: GraphStore, maps: Iterable[str] | None = None, annotations: bool = True) -> Graph:
    """The RDF graph of ``maps`` (default: every map in the store); see the module docstring for its content.

    Raises ``RdfExportError`` if a requested map has no assemblies.
    """
    present = map_names(store)
    chosen = list(maps) if maps else present
    missing = [m for m in chosen if m not in present]
    if missing:
        raise RdfExportError(f"no assemblies of map(s) {missing}; maps in the graph: {present}")
    graph = Graph()
    _bind(graph)
    add_vocabulary(graph)
    _add_provenance(graph, store, chosen)
    _add_assemblies(graph, store, chosen)
    proteins = _add_proteins(graph, store, chosen)
    if annotations and proteins:
        _add_annotations(graph, store, proteins)
    return graph


def export_rdf(store: GraphStore, path: Path | str, maps: Iterable[str] | None = None, annotations: bool = True,
               fmt: str | None = None) -> int:
    """Write the RDF of ``maps`` to ``path`` and return the number of triples.

    ``fmt`` is an rdflib format name; by default it follows the suffix (``FORMATS``: ``.ttl`` Turtle, ``.nt``
    N-Triples, ``.rdf``/``.xml`` RDF/XML, ``.jsonld`` JSON-LD). Raises ``RdfExportError`` for an unknown suffix
    or map.
    """
    path = Path(path)
    fmt = fmt or FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RdfExportError(f"{path}: unknown RDF suffix {path.suffix!r}; use one of {sorted(FORMATS)} or --format")
    graph = graph_from_store(store, maps, annotations)
    graph.serialize(destination=str(path), format=fmt, encoding="utf-8")
    return len(graph)
