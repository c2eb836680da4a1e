"""OpenCell's HEK293T interactome communities as a flat cell map (Cho et al., Science 2022).

``opencell/figures_repo/interactome-clusters.csv`` (czbiohub-sf/2021-opencell-figures,
``data/biophysical-properties/interactome-clusters.csv``): one row per (protein, community) with columns
``in_cluster_gene_name, mcl_community_id, core_cluster_id, module_id, branch_id, uniprot_id``. The communities are
the Markov-clustering (MCL) partition of the OpenCell IP-MS interaction network (Cho et al. 2022, Fig. 3: 291
communities over 2,132 genes); ``core_cluster_id`` marks core complexes inside a community (``NULL`` if none).

The map ``OpenCell-HEK293T`` is flat: one assembly per community (``OpenCell-HEK293T:Community<n>``) and, as
every map of the graph has one, a root ``OpenCell-HEK293T:root`` that holds every clustered protein and contains
each community (HiDeF's ``Cluster0-0`` plays that part in the U2OS map). Core complexes, modules and branches are
not loaded. Genes resolve through the UniProt accession first, then the gene name (``SymbolResolver``).
"""

from __future__ import annotations

from pathlib import Path

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, check_column, read_frame
from .cellmap import Hierarchy, MapAssembly, add_hierarchy
from .symbols import SymbolResolver

OPENCELL_MAP = "OpenCell-HEK293T"
ROOT_ID = "root"
GENE, COMMUNITY, UNIPROT = "in_cluster_gene_name", "mcl_community_id", "uniprot_id"
MISSING = {"", "NA", "NULL"}


def read_communities(path: Path) -> tuple[Hierarchy, dict[str, str], list[str]]:
    """Read a community table into a flat ``Hierarchy`` (root + one child per community), gene -> UniProt, and
    the repeated rows.

    Assembly ``cluster_id`` is ``Community<mcl_community_id>``; members keep file order with repeated rows of a
    gene within one community collapsed (the file repeats BAG6, INTS14, ...) and listed as ``"<file>:<line>
    <gene> in community <id>"`` for the load report. The UniProt map holds the first accession given for each gene
    name (``NA`` = none).

    Raises ``MissingDataError`` if absent, ``DataFormatError`` (file, line) for a missing column, an empty gene
    name or a community id that is not a positive integer.
    """
    path = Path(path)
    # OpenCell's published interactome-clusters.csv ends without a newline: its last line is whole (read_frame's
    # field checks and the values' validation below still catch a file cut elsewhere).
    frame = read_frame(path, delimiter=",", required=(GENE, COMMUNITY, UNIPROT), whole_lines=False)
    frame[GENE] = frame[GENE].str.strip()
    check_column(frame, path, GENE, frame[GENE] != "", "a gene name")
    check_column(frame, path, COMMUNITY, frame[COMMUNITY].str.fullmatch(r"[1-9][0-9]*"),
                 "a positive integer community id")
    if frame.empty:
        raise DataFormatError(path, 2, "expected at least one (gene, community) row")
    communities: dict[int, list[str]] = {}
    uniprot: dict[str, str] = {}
    repeated: list[str] = []
    for line, gene, community, accession in zip(frame["line"], frame[GENE], frame[COMMUNITY], frame[UNIPROT],
                                                strict=True):
        members = communities.setdefault(int(community), [])
        if gene not in members:
            members.append(gene)
        else:
            repeated.append(f"{path.name}:{line} {gene} in community {community}")
        if accession.strip() not in MISSING:
            uniprot.setdefault(gene, accession.strip())
    assemblies = [MapAssembly(f"Community{c}", genes, len(genes)) for c, genes in sorted(communities.items())]
    everyone = list(dict.fromkeys(g for a in assemblies for g in a.genes))
    root = MapAssembly(ROOT_ID, everyone, len(everyone), name="all clustered proteins")
    hierarchy = Hierarchy([root, *assemblies], [(ROOT_ID, a.cluster_id) for a in assemblies], ROOT_ID,
                          member_source={"community table": len(assemblies)})
    return hierarchy, uniprot, repeated


def load_opencell_communities(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """The OpenCell HEK293T MCL communities (file key ``communities``) as the flat map ``OpenCell-HEK293T``
    (``Assembly``, ``CONTAINS``, ``MEMBER_OF`` rows; see the module docstring). Raises ``MissingDataError`` /
    ``DataFormatError``."""
    result = LoadResult(source=source.id)
    path = source.path("communities")
    hierarchy, uniprot, repeated = read_communities(path)
    for row in repeated:
        result.report.skip("repeated (gene, community) row", row)
    result.report.count_read(f"{path.name} communities", len(hierarchy.assemblies) - 1)
    add_hierarchy(result, hierarchy, OPENCELL_MAP, resolver, path.name, uniprot=uniprot)
    return result.finalise(source.id)
