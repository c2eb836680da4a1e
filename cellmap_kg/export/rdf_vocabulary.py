"""The small RDF vocabulary of cellmap-kg exports (namespace ``CMKG``, prefix ``cmkg:``), declared once.

Everything that has a community identifier uses it: proteins are identified by their HGNC gene IRI on
identifiers.org (``https://identifiers.org/hgnc:11180``) and linked to UniProt and NCBI Gene IRIs there; GO
terms are OBO PURLs (``http://purl.obolibrary.org/obo/GO_0000502``). The vocabulary below covers only what has
no standard term: cell-map assemblies, their containment and membership, and a few measured properties.
``docs/rdf.md`` documents it; every export also carries these definitions (``rdfs:label``/``rdfs:comment``,
domain and range) so that a file is self-describing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace
from rdflib.namespace import OWL, RDFS

from ..schema import PROPERTY_TYPES, SCHEMA

CMKG = Namespace("https://w3id.org/cellmap-kg/vocab#")
"""Vocabulary namespace."""
ASSEMBLY_BASE = "https://w3id.org/cellmap-kg/assembly/"
"""Assembly IRIs: this base + the percent-encoded assembly id, e.g. ``.../assembly/U2OS-2023-05:Cluster3-65``."""
IDENTIFIERS = "https://identifiers.org/"
OBO = Namespace("http://purl.obolibrary.org/obo/")


@dataclass(frozen=True)
class Term:
    """One vocabulary term: ``kind`` is ``class``, ``object`` (links resources) or ``data`` (literal value).

    ``declared`` names what the term exports, as declared in ``schema.yaml``: a node label (``Assembly``), a
    relationship type (``CONTAINS``; ``inverse``: the RDF link runs target -> source) or a node property
    (``Assembly.size``). The comment (and, for a data property, the unit and the XSD range) come from that
    declaration, so the vocabulary and the schema cannot drift apart.
    """

    name: str
    kind: str
    label: str
    declared: str
    domain: str | None = None
    range: str | None = None
    inverse: bool = False

    @property
    def comment(self) -> str:
        """The declaration's description as a sentence, with the graph name it exports (``rdfs:comment``)."""
        if self.kind == "class":
            text = SCHEMA.nodes[self.declared].description
        elif self.declared in SCHEMA.relationships:
            text = (SCHEMA.relationships[self.declared].description
                    + f" (graph {self.declared}{', inverted' if self.inverse else ''})")
        else:
            text = f"{_declared_property(self.declared).description} (graph {self.declared})"
        text = text.strip().replace("`", "")  # schema descriptions are Markdown (docs/schema.md)
        return text if text.endswith(".") else text + "."


def _declared_property(declared: str):
    label, name = declared.split(".")
    return SCHEMA.nodes[label].properties[name]


def _data(name: str, label: str, domain: str) -> Term:
    """A data property exporting ``<domain>.<name>``: range the XSD type of its declared type, unit in the label."""
    prop = _declared_property(f"{domain}.{name}")
    return Term(name, "data", f"{label} ({prop.unit})" if prop.unit else label, f"{domain}.{name}", domain,
                PROPERTY_TYPES[prop.type].xsd)


TERMS: tuple[Term, ...] = (
    Term("Assembly", "class", "protein assembly", "Assembly"),
    Term("Protein", "class", "protein", "Protein"),
    Term("contains", "object", "contains", "CONTAINS", "Assembly", "Assembly"),
    Term("hasMember", "object", "has member", "MEMBER_OF", "Assembly", "Protein", inverse=True),
    Term("annotatedWith", "object", "annotated with", "ANNOTATED_WITH", "Protein", str(OWL.Class)),
    Term("bestMatch", "object", "best-matching known component", "Assembly.bestMatch", "Assembly"),
    Term("uniprot", "object", "UniProt entry", "Protein.uniprot", "Protein"),
    Term("ncbiGene", "object", "NCBI Gene entry", "Protein.entrezId", "Protein"),
    _data("map", "cell map", "Assembly"),
    _data("clusterId", "cluster id", "Assembly"),
    _data("symbol", "HGNC symbol", "Protein"),
    _data("size", "size", "Assembly"),
    _data("persistence", "HiDeF persistence", "Assembly"),
    _data("isRoot", "is root", "Assembly"),
    _data("diameterNm", "estimated diameter", "Assembly"),
    _data("annotationCategory", "annotation category", "Assembly"),
    _data("mutationFrequency", "mutation frequency", "Assembly"),
    _data("pubmedCount", "PubMed count", "Protein"),
)
"""Every term of the vocabulary, in documentation order."""

ASSEMBLY_PROPERTIES = ("map", "clusterId", "size", "persistence", "isRoot", "diameterNm", "annotationCategory",
                       "mutationFrequency")
"""Assembly node properties exported as ``cmkg:`` data properties of the same name."""

RDFS_KIND = {"class": RDFS.Class, "object": OWL.ObjectProperty, "data": OWL.DatatypeProperty}


_KIND_NAMES = {"class": "class", "object": "object property", "data": "datatype property"}


def _short(iri: str | None) -> str:
    if iri is None:
        return ""
    for prefix, base in (("xsd:", "http://www.w3.org/2001/XMLSchema#"), ("owl:", str(OWL))):
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return iri


def vocabulary_markdown() -> str:
    """The vocabulary as the Markdown table of ``docs/rdf.md`` (term, kind, domain -> range, meaning), generated
    from ``TERMS`` and so from ``schema.yaml``; ``tests/export`` checks that the docs carry it unchanged."""
    lines = ["| term | kind | domain -> range | meaning (from schema.yaml) |", "|---|---|---|---|"]
    for term in TERMS:
        ends = f"{term.domain} -> {_short(term.range) or 'IRI'}" if term.domain else ""
        lines.append(f"| `cmkg:{term.name}` | {_KIND_NAMES[term.kind]} | {ends} | {term.comment.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
