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
from rdflib.namespace import OWL, RDFS, XSD

CMKG = Namespace("https://w3id.org/cellmap-kg/vocab#")
"""Vocabulary namespace."""
ASSEMBLY_BASE = "https://w3id.org/cellmap-kg/assembly/"
"""Assembly IRIs: this base + the percent-encoded assembly id, e.g. ``.../assembly/U2OS-2023-05:Cluster3-65``."""
IDENTIFIERS = "https://identifiers.org/"
OBO = Namespace("http://purl.obolibrary.org/obo/")


@dataclass(frozen=True)
class Term:
    """One vocabulary term: ``kind`` is ``class``, ``object`` (links resources) or ``data`` (literal value)."""

    name: str
    kind: str
    label: str
    comment: str
    domain: str | None = None
    range: str | None = None


TERMS: tuple[Term, ...] = (
    Term("Assembly", "class", "protein assembly",
         "A protein assembly of a hierarchical cell map (a HiDeF community of the map's protein network)."),
    Term("Protein", "class", "protein",
         "A human gene product, identified by its HGNC gene IRI."),
    Term("contains", "object", "contains",
         "The parent assembly contains the child assembly (the cell map's hierarchy; graph CONTAINS).",
         "Assembly", "Assembly"),
    Term("hasMember", "object", "has member",
         "The protein is in the assembly's member list (graph MEMBER_OF, inverted).", "Assembly", "Protein"),
    Term("annotatedWith", "object", "annotated with",
         "Direct Gene Ontology annotation of the protein (NCBI gene2go; graph ANNOTATED_WITH).", "Protein",
         str(OWL.Class)),
    Term("bestMatch", "object", "best-matching known component",
         "The known component (GO term as OBO PURL, CORUM complex as identifiers.org IRI) that best matches the "
         "assembly's members (highest Jaccard index).", "Assembly", None),
    Term("uniprot", "object", "UniProt entry", "A UniProt accession of the protein (identifiers.org IRI).",
         "Protein", None),
    Term("ncbiGene", "object", "NCBI Gene entry", "The NCBI Gene record of the protein (identifiers.org IRI).",
         "Protein", None),
    Term("map", "data", "cell map", "The cell map the assembly belongs to, e.g. U2OS-2023-05.", "Assembly",
         str(XSD.string)),
    Term("clusterId", "data", "cluster id", "The assembly's id within its map (HiDeF ClusterL-N, HCX name).",
         "Assembly", str(XSD.string)),
    Term("symbol", "data", "HGNC symbol", "The HGNC-approved gene symbol.", "Protein", str(XSD.string)),
    Term("size", "data", "size (proteins)", "Number of member proteins as given by the map.", "Assembly",
         str(XSD.integer)),
    Term("persistence", "data", "HiDeF persistence", "Persistence of the community across resolutions.",
         "Assembly", str(XSD.integer)),
    Term("isRoot", "data", "is root", "True for the root assembly of the map.", "Assembly", str(XSD.boolean)),
    Term("diameterNm", "data", "estimated diameter (nm)",
         "Estimated physical diameter in nm, log10(d) = 1.27 log10(n) - 0.31 (Schaffer et al. 2025).",
         "Assembly", str(XSD.double)),
    Term("annotationCategory", "data", "annotation category",
         "known | variant | novel, by the best Jaccard index against known components.", "Assembly",
         str(XSD.string)),
    Term("mutationFrequency", "data", "mutation frequency",
         "Fraction of profiled paediatric tumours with at least one mutated member (Groebner et al. 2018).",
         "Assembly", str(XSD.double)),
    Term("pubmedCount", "data", "PubMed articles", "PubMed articles linked to the gene (NCBI gene2pubmed).",
         "Protein", str(XSD.integer)),
)
"""Every term of the vocabulary, in documentation order."""

ASSEMBLY_PROPERTIES = ("map", "clusterId", "size", "persistence", "isRoot", "diameterNm", "annotationCategory",
                       "mutationFrequency")
"""Assembly node properties exported as ``cmkg:`` data properties of the same name."""

RDFS_KIND = {"class": RDFS.Class, "object": OWL.ObjectProperty, "data": OWL.DatatypeProperty}
