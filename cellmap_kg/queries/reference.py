"""Reference answers of the library's questions computed from the raw files with pandas and networkx, without the
graph: the oracle that tests/queries/test_library.py and benchmarks/queries.py compare the queries' answers with.

``RawData(data_dir)`` reads each raw file once (on first use) into a tidy DataFrame with HGNC-approved symbols, as
the build's ``SymbolResolver`` resolves gene names; ``raw_<question>(raw, params)`` answers one library query from
them with the query's bound parameters; ``COMPARISONS[query]`` pairs that with the function turning the query's
rows into the same shape (``from_rows``), so that ``from_rows(rows) == from_raw(raw, params)``. Answers reading
analysis outputs recompute them with the analyses' own pure functions (enrichment, association, multi-localization,
HiSig with 1,000 permutations, seed 0) on the raw files.

Example::

    >>> raw = RawData(Path("../shared/data"))                                       # doctest: +SKIP
    >>> raw_assembly(raw, {"id": "U2OS-2023-05:Cluster3-65"})[0]                    # doctest: +SKIP
    ['C18orf21', 'POP1', 'POP4', 'POP5', 'RPP30']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from ..loaders.cellmap import read_hidef_edges, read_hidef_nodes
from ..loaders.symbols import SymbolResolver
from ..sources import DEFAULT_MAP as MAP
from ..sources import source

APMS = ("opencell-2022", "bioplex-3.0-hek293t")
RAW_DATASETS = (*APMS, "u2os-coembedding-2022")
"""Data sets whose raw files the comparison reads (the Cell Mapping Toolkit example pull-down is left out)."""
U2OS_SOURCE = "u2os-cellmap-2023-05"
FILES: dict[str, tuple[str, str] | str] = {
    "bioplex": (APMS[1], "interactions"),
    "opencell": (APMS[0], "interactions"),
    "coembedding": (RAW_DATASETS[2], "network"),
    "gene2go": ("gene2go-2022-09-12", "gene2go"),
    "go_terms": "go/GO.db_go-basic_2022-07-01_terms.tsv",
    "go_parents": "go/GO.db_go-basic_2022-07-01_parents.tsv",
    "oc_annotations": "opencell/figures_repo/2021-09-29-public-annotations-flat.csv",
    "hpa": ("hpa-subcellular-v21", "locations"),
    "corum": ("corum-2022-11-28", "complexes"),
    "genes": ("ncbi-gene-2022-09-12", "gene_info"),
    "nodes": (U2OS_SOURCE, "nodes"),
    "edges": (U2OS_SOURCE, "edges"),
    "llm_names": (U2OS_SOURCE, "names"),
    "smg_matrix": ("groebner-2018", "smg_matrix"),
    "lfe_matrix": ("groebner-2018", "lfe_matrix"),
}
"""The raw files read: ``(source id, file key)`` of a file declared in ``sources.yaml``, or the path (relative to
the data directory) of a reference table the data directory holds beside the declared files."""
PAN_CANCER = "Groebner2018-pan-cancer"


# ---------------------------------------------------------------------------------------------- raw files
class RawData:
    """The raw files as tidy DataFrames with HGNC-approved symbols (each read on first use and kept).

    ``approve(name)`` maps a gene name to its approved symbol with the build's ``SymbolResolver`` (the name itself
    if it does not resolve), so that answers compare with the graph's.
    """

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._approved: dict[str, str] = {}

    def path(self, key: str) -> Path:
        """The raw file ``FILES[key]`` in the data directory (a declared file looked up in ``sources.yaml``).
        Raises ``KeyError`` for a key of neither table."""
        file = FILES[key]
        if isinstance(file, str):
            return self.data_dir / file
        source_id, file_key = file
        return source(source_id).in_dir(self.data_dir).path(file_key)

    @cached_property
    def resolver(self) -> SymbolResolver:
        return SymbolResolver.from_data_dir(self.data_dir)

    def approve(self, name: str, **ids: str | int | None) -> str:
        """The approved symbol of ``name`` or, if it does not resolve, of the gene ``ids`` (``entrez``,
        ``ensembl``) name, as the AP-MS loader resolves genes; else the first part of a ``;`` list that resolves;
        else ``name``."""
        key = (name, *ids.values())
        if key not in self._approved:
            found = [self.resolver.resolve(name).symbol]
            found += [self.resolver.resolve(**{kind: value}).symbol for kind, value in ids.items() if value]
            found += [self.resolver.resolve(part).symbol for part in name.split(";")]
            self._approved[key] = next((s for s in found if s), name)
        return self._approved[key]

    def approve_column(self, values: pd.Series, **ids: pd.Series) -> pd.Series:
        """:meth:`approve` of every name of ``values`` (with the matching ``ids`` columns, if given)."""
        names = values.astype(str)
        if not ids:
            return names.map(self.approve)
        kinds = list(ids)
        rows = zip(names, *(ids[k].fillna("").astype(str) for k in kinds), strict=True)
        return pd.Series([self.approve(n, **dict(zip(kinds, v, strict=True))) for n, *v in rows], index=values.index)

    @cached_property
    def memberships(self) -> dict[str, set[str]]:
        """``map:clusterId`` -> approved member symbols (U2OS .nodes file)."""
        return {f"{MAP}:{n.cluster_id}": {self.approve(g) for g in n.genes}
                for n in read_hidef_nodes(self.path("nodes"))}

    @cached_property
    def hierarchy(self) -> nx.DiGraph:
        """Parent -> child assemblies of the U2OS map (.edges file)."""
        return nx.DiGraph([(f"{MAP}:{p}", f"{MAP}:{c}") for p, c in read_hidef_edges(self.path("edges"))])

    @cached_property
    def apms(self) -> pd.DataFrame:
        """Pull-downs: ``bait, prey, dataset, stoichiometry, pValue, pInt`` (OpenCell and BioPlex)."""
        bioplex = pd.read_csv(self.path("bioplex"), sep="\t")
        opencell = pd.read_csv(self.path("opencell"))
        return pd.concat([
            pd.DataFrame({"bait": self.approve_column(opencell.target_gene_name, ensembl=opencell.target_ensg_id),
                          "prey": self.approve_column(opencell.interactor_gene_name,
                                                      ensembl=opencell.interactor_ensg_id), "dataset": APMS[0],
                          "stoichiometry": opencell.interaction_stoichiometry, "pValue": opencell.pval,
                          "pInt": float("nan")}),
            pd.DataFrame({"bait": self.approve_column(bioplex.SymbolA, entrez=bioplex.GeneA),
                          "prey": self.approve_column(bioplex.SymbolB, entrez=bioplex.GeneB),
                          "dataset": APMS[1], "stoichiometry": float("nan"), "pValue": float("nan"),
                          "pInt": bioplex.pInt}),
        ], ignore_index=True)

    @cached_property
    def coembedding(self) -> pd.DataFrame:
        table = pd.read_csv(self.path("coembedding"), sep="\t", header=None, names=["a", "b", "cosine"])
        return table.assign(a=self.approve_column(table.a), b=self.approve_column(table.b))

    @cached_property
    def gene2go(self) -> pd.DataFrame:
        table = pd.read_csv(self.path("gene2go"), sep="\t")
        symbols = {g: self.resolver.resolve(s, entrez=g).symbol or s
                   for g, s in table[["gene_id", "symbol"]].drop_duplicates().itertuples(index=False)}
        return table.assign(symbol=table.gene_id.map(symbols))

    @cached_property
    def go_children(self) -> nx.DiGraph:
        """Parent -> child GO terms along is_a and part_of."""
        parents = pd.read_csv(self.path("go_parents"), sep="\t")
        parents = parents[parents.relationship.isin(["is_a", "part_of"])]
        return nx.DiGraph(list(zip(parents.parent, parents.child, strict=True)))

    @cached_property
    def oc_annotations(self) -> pd.DataFrame:
        table = pd.read_csv(self.path("oc_annotations"))
        return table.assign(symbol=self.approve_column(table.target_name))

    @cached_property
    def hpa(self) -> pd.DataFrame:
        """One row per (protein, HPA location): ``symbol, location, main, reliability``."""
        table = pd.read_csv(self.path("hpa"), sep="\t")
        rows = []
        for gene, name, reliability, main, extra in table[["Gene", "Gene name", "Reliability", "Main location",
                                                           "Additional location"]].itertuples(index=False):
            symbol = self.resolver.resolve(name, ensembl=gene).symbol or name
            for is_main, text in ((True, main), (False, extra)):
                rows += [(symbol, loc, is_main, reliability) for loc in str(text).split(";")
                         if text == text and loc]
        return pd.DataFrame(rows, columns=["symbol", "location", "main", "reliability"])

    @cached_property
    def components(self) -> dict[str, dict[str, set[str]]]:
        """Known components of the map's proteins, as the annotation analysis reads them from the graph
        (``analyses.known_components``), but from the raw files: GO-CC (gene2go aspect C without ND-only
        annotations, propagated up is_a/part_of), CORUM subunits (by Entrez id) and HPA locations (Enhanced,
        Supported, Approved)."""
        from cellmap_kg.analyses.known_components import CORUM, GO_CC, HPA, HPA_RELIABILITY

        proteins = set().union(*self.memberships.values())
        cc = pd.read_csv(self.path("go_terms"), sep="\t")
        cc = set(cc[cc.namespace == "cellular_component"].go_id)
        g2g = self.gene2go[(self.gene2go.aspect == "C") & (self.gene2go.evidence != "ND")
                           & self.gene2go.symbol.isin(proteins) & self.gene2go.go_id.isin(cc)]
        upward = self.go_children.reverse(copy=False).subgraph(cc)
        go_cc: dict[str, set[str]] = defaultdict(set)
        for term, group in g2g.groupby("go_id"):
            for target in nx.descendants(upward, term) | {term} if term in upward else {term}:
                go_cc[target] |= set(group.symbol)
        corum = pd.read_csv(self.path("corum"), sep="\t", usecols=["ComplexID", "subunits(Entrez IDs)"])
        complexes = {}
        for cid, entrez in corum.itertuples(index=False):
            members = {self.resolver.resolve(entrez=e).symbol for e in str(entrez).split(";")} & proteins
            if members:
                complexes[f"CORUM:{cid}"] = members
        hpa = self.hpa[self.hpa.reliability.isin(HPA_RELIABILITY) & self.hpa.symbol.isin(proteins)]
        return {GO_CC: dict(go_cc), CORUM: complexes, HPA: hpa.groupby("location").symbol.apply(set).to_dict()}

    @cached_property
    def pubmed_counts(self) -> pd.Series:
        from cellmap_kg.analyses.association import read_pubmed_counts

        counts = read_pubmed_counts(self.path("genes"))
        return counts.groupby(counts.index.map(self.approve)).max()

    @cached_property
    def paediatric_hits(self) -> dict[str, set[str]]:
        """Gene -> profiled tumours (S_Table9 columns) with a non-silent SNV/indel in it: an S_Table9 count > 0 or
        an S_Table21 ``M`` (as the groebner-2018 loader reads them)."""
        smg = pd.read_csv(self.path("smg_matrix"), sep="\t", index_col=0).drop(columns=["Biological Process"])
        smg.columns = [c[:-2] if c.endswith(".0") else c for c in smg.columns]
        lfe = pd.read_csv(self.path("lfe_matrix"), sep="\t", index_col=0, dtype=str)
        lfe.columns = [c[:-2] if c.endswith(".0") else c for c in lfe.columns]
        hits: dict[str, set[str]] = defaultdict(set)
        for gene, row in smg.astype(float).gt(0).iterrows():
            hits[self.approve(gene)] |= set(row.index[row.to_numpy()])
        profiled = set(smg.columns)
        for gene, row in lfe.iterrows():
            hits[self.approve(gene)] |= {t for t, v in row.items() if str(v).strip() == "M" and t in profiled}
        return {g: t for g, t in hits.items() if t}

    @cached_property
    def names(self) -> pd.DataFrame:
        """Searchable names: ``label, key, text`` for proteins, assemblies, GO terms and CORUM complexes."""
        genes = pd.read_csv(self.path("genes"), sep="\t")
        terms = pd.read_csv(self.path("go_terms"), sep="\t")
        corum = pd.read_csv(self.path("corum"), sep="\t", usecols=["ComplexID", "ComplexName"])
        assemblies = pd.read_csv(self.path("llm_names"), sep="\t")
        return pd.concat([
            pd.DataFrame({"label": "Protein", "key": genes.symbol, "text": genes.symbol + " " + genes.name}),
            pd.DataFrame({"label": "Assembly", "key": f"{MAP}:" + assemblies.cluster_id,
                          "text": assemblies.llm_name}),
            pd.DataFrame({"label": "GOTerm", "key": terms.go_id, "text": terms.name}),
            pd.DataFrame({"label": "Complex", "key": "CORUM:" + corum.ComplexID.astype(str),
                          "text": corum.ComplexName}),
        ], ignore_index=True).astype({"text": str})


# ---------------------------------------------------------------------------------------------- answers
def interaction_graph(raw: RawData, datasets: list[str]) -> nx.Graph:
    """Undirected bait-prey graph of the pull-downs of ``datasets`` (self-loops removed)."""
    pulls = raw.apms[raw.apms.dataset.isin(datasets)]
    graph = nx.Graph(list(zip(pulls.bait, pulls.prey, strict=True)))
    graph.remove_edges_from(nx.selfloop_edges(graph))
    return graph


def raw_protein(raw: RawData, p: dict) -> Any:
    """``protein``: assemblies (smallest first), (prey, dataset), (bait, dataset) and direct GO terms."""
    symbol = p["symbol"]
    assemblies = sorted((len(m), a) for a, m in raw.memberships.items() if symbol in m)
    pulls = raw.apms
    preys = pulls[pulls.bait == symbol]
    baits = pulls[pulls.prey == symbol]
    terms = set(raw.gene2go[raw.gene2go.symbol == symbol].go_id)
    return ([a for _, a in assemblies], set(zip(preys.prey, preys.dataset, strict=True)),
            set(zip(baits.bait, baits.dataset, strict=True)), terms)


def graph_protein(rows: list[dict]) -> Any:
    """The ``protein`` row in the shape of :func:`raw_protein` (U2OS assemblies, OpenCell/BioPlex partners)."""
    [row] = rows
    apms = set(APMS)
    return ([a["id"] for a in row["assemblies"] if a["map"] == MAP],
            {(x["symbol"], x["dataset"]) for x in row["preys"] if x["dataset"] in apms},
            {(x["symbol"], x["dataset"]) for x in row["baits"] if x["dataset"] in apms},
            {t["id"] for t in row["goTerms"]})


def raw_assembly(raw: RawData, p: dict) -> Any:
    """``assembly``: sorted members, parents and children."""
    h = raw.hierarchy
    return (sorted(raw.memberships[p["id"]]), set(h.predecessors(p["id"])), set(h.successors(p["id"])))


def graph_assembly(rows: list[dict]) -> Any:
    """The ``assembly`` row in the shape of :func:`raw_assembly`."""
    [row] = rows
    return row["members"], {x["id"] for x in row["parents"]}, {x["id"] for x in row["children"]}


def raw_lineage(raw: RawData, p: dict) -> Any:
    """``assembly-lineage``: every path (terminal assembly ... root) of the protein, as tuples."""
    mine = {a for a, members in raw.memberships.items() if p["symbol"] in members}
    terminal = [a for a in mine if not set(raw.hierarchy.successors(a)) & mine]
    root = next(a for a in raw.hierarchy if raw.hierarchy.in_degree(a) == 0)
    return {tuple(reversed(path)) for t in terminal for path in nx.all_simple_paths(raw.hierarchy, root, t)}


def raw_ancestry(raw: RawData, p: dict) -> Any:
    """``assembly-ancestry``: ``({ancestor: fewest steps}, {descendant: fewest steps})`` in the .edges file."""
    h = raw.hierarchy
    return (dict(nx.single_source_shortest_path_length(h.reverse(copy=False), p["id"])) | {p["id"]: None},
            dict(nx.single_source_shortest_path_length(h, p["id"])) | {p["id"]: None})


def graph_ancestry(rows: list[dict]) -> Any:
    """The ``assembly-ancestry`` row in the shape of :func:`raw_ancestry`."""
    [row] = rows
    return ({a["id"]: a["depth"] for a in row["ancestors"]} | {row["id"]: None},
            {d["id"]: d["depth"] for d in row["descendants"]} | {row["id"]: None})


def raw_members(raw: RawData, p: dict) -> Any:
    """``assembly-members``: (total, the page of member symbols in symbol order)."""
    members = sorted(raw.memberships[p["id"]])
    return len(members), members[p["offset"]:p["offset"] + p["limit"]]


def raw_evidence(raw: RawData, p: dict) -> Any:
    """``assembly-evidence``: (source, target, dataset) of pull-downs and co-embedding edges among members."""
    members = raw.memberships[p["id"]]
    pulls = raw.apms[raw.apms.bait.isin(members) & raw.apms.prey.isin(members) & raw.apms.dataset.isin(
        p["datasets"])]
    near = raw.coembedding[raw.coembedding.a.isin(members) & raw.coembedding.b.isin(members)]
    return ({(a, b, d) for a, b, d in zip(pulls.bait, pulls.prey, pulls.dataset, strict=True) if a != b}
            | {(a, b, "u2os-coembedding-2022") for a, b in zip(near.a, near.b, strict=True)})


def raw_interactors(raw: RawData, p: dict) -> Any:
    """``interactors``: (role, partner, dataset) of the protein's pull-downs."""
    pulls = raw.apms[raw.apms.dataset.isin(p["datasets"])]
    preys = pulls[(pulls.bait == p["symbol"]) & ~(pulls.stoichiometry < p["minStoichiometry"])]
    baits = pulls[(pulls.prey == p["symbol"]) & ~(pulls.stoichiometry < p["minStoichiometry"])]
    return ({("prey", x, d) for x, d in zip(preys.prey, preys.dataset, strict=True)}
            | {("bait", x, d) for x, d in zip(baits.bait, baits.dataset, strict=True)})


def raw_shared(raw: RawData, p: dict) -> Any:
    """``shared-interactors``: (symbol, shared interactor count) of the top ``limit`` proteins."""
    graph = interaction_graph(raw, p["datasets"])
    mine = set(graph[p["symbol"]])
    shared = defaultdict(int)
    for middle in mine:
        for other in graph[middle]:
            if other != p["symbol"]:
                shared[other] += 1
    ranked = sorted(((-n, s) for s, n in shared.items() if n >= p["minShared"]))[:p["limit"]]
    return {(s, -n) for n, s in ranked}


def raw_paths(raw: RawData, p: dict) -> Any:
    """``path-between``: shortest path length (at most 4 links) or ``None``."""
    graph = interaction_graph(raw, p["datasets"])
    if p["useAssemblies"]:
        for members in raw.memberships.values():
            if len(members) <= p["maxAssemblySize"]:
                ordered = sorted(members)
                graph.add_edges_from((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    try:
        length = nx.shortest_path_length(graph, p["source"], p["target"])
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    return length if length <= 4 else None


def raw_multi_parent(raw: RawData, p: dict) -> Any:
    """``multi-parent-assemblies``: ids of the assemblies with more than one parent."""
    return {a for a in raw.hierarchy if raw.hierarchy.in_degree(a) > 1}


def raw_discordance(raw: RawData, p: dict) -> Any:
    """``localization-discordance``: symbols whose OpenCell and HPA locations never agree."""
    oc = raw.oc_annotations[raw.oc_annotations.annotation_grade >= p["minGrade"]].groupby("symbol").annotation_name
    hpa = raw.hpa[raw.hpa.reliability.isin(p["reliabilities"]) & (raw.hpa.main | (not p["hpaMainOnly"]))]
    hpa = hpa.groupby("symbol").location.apply(set)
    agree = set(p["agreement"])
    return {s for s, places in oc.apply(set).items() if s in hpa.index
            and not any(f"{o}={h}" in agree for o in places for h in hpa[s])}


def raw_compartment(raw: RawData, p: dict) -> Any:
    """``compartment-members``: symbols localized to the compartment (OpenCell grade / HPA reliability)."""
    oc = raw.oc_annotations
    oc = oc[(oc.annotation_name == p["compartment"]) & (oc.annotation_grade >= p["minGrade"])]
    hpa = raw.hpa[(raw.hpa.location == p["compartment"]) & raw.hpa.reliability.isin(p["reliabilities"])]
    return set(oc.symbol) | set(hpa.symbol)


def raw_go_term(raw: RawData, p: dict) -> Any:
    """``go-term-proteins``: symbols annotated with the term or a descendant (is_a, part_of)."""
    terms = nx.descendants(raw.go_children, p["goId"]) | {p["goId"]}
    table = raw.gene2go[raw.gene2go.go_id.isin(terms)]
    if p["evidence"]:
        table = table[table.evidence.isin(p["evidence"])]
    return set(table.symbol)


def raw_search(raw: RawData, p: dict) -> Any:
    """``search``: keys of the names containing the text (case-insensitive)."""
    names = raw.names[raw.names.label.isin(p["labels"])]
    return set(names[names.text.str.contains(p["text"], case=False, regex=False)].key)


def raw_multi_localized(raw: RawData, p: dict) -> Any:
    """``multi-localized-proteins``: symbols with at least ``minPaths`` paths to the root."""
    from cellmap_kg.analyses.multilocalization import multilocalization

    found = multilocalization(list(raw.hierarchy.edges), raw.memberships)
    found = found[found.pathsToRoot >= p["minPaths"]]
    return set(found.sort_values(["pathsToRoot", "protein"], ascending=[False, True]).protein[:p["limit"]])


def annotation(raw: RawData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accepted enrichments and best matches of the U2OS assemblies from the raw files (the annotation analysis'
    own functions, ``accepted_enrichments`` and ``best_matches``)."""
    from cellmap_kg.analyses.annotation_graph import accepted_enrichments
    from cellmap_kg.analyses.enrichment import best_matches

    accepted, _ = accepted_enrichments(raw.memberships, raw.components)
    return accepted, best_matches(accepted, list(raw.memberships))


def raw_novel(raw: RawData, p: dict) -> Any:
    """``novel-assemblies``: ids of the category and size range."""
    _, best = annotation(raw)
    sizes = {a: len(m) for a, m in raw.memberships.items()}
    return {a for a, c in zip(best.assembly, best.annotationCategory, strict=True)
            if c == p["category"] and p["minSize"] <= sizes[a] <= p["maxSize"]}


def raw_unexpected(raw: RawData, p: dict) -> Any:
    """``unexpected-members``: (assembly, symbol) of poorly studied members outside the best match."""
    from cellmap_kg.analyses.association import unexpected_members

    _, best = annotation(raw)
    terms = {k: v for resource in raw.components.values() for k, v in resource.items()}
    found = unexpected_members(raw.memberships, best, terms)
    counts = raw.pubmed_counts
    return {(a, s) for a, s in zip(found.assembly, found.protein, strict=True)
            if counts.get(s, 0) <= p["maxPublications"] and p["symbol"] in ("", s)}


def raw_putative(raw: RawData, p: dict) -> Any:
    """``putative-functions``: (symbol, GO id, assembly) proposed by association."""
    from cellmap_kg.analyses.association import function_by_association

    accepted, _ = annotation(raw)
    found = function_by_association(raw.memberships, accepted, raw.pubmed_counts, max_pubmed=p["maxPublications"])
    found = found[found.term.fillna("").str.startswith("GO:")]
    return {(s, t, a) for s, t, a in zip(found.protein, found.term, found.assembly, strict=True)
            if p["symbol"] in ("", s)}


def pan_cancer_hisig(raw: RawData) -> pd.DataFrame:
    """HiSig on the paediatric pan-cohort signal from the raw matrices, with the default build's settings (1,000
    permutations, seed 0): the analysis' own ``hisig`` and ``mutation_signal``."""
    from cellmap_kg.analyses.hisig import MAX_MUTATED_PROTEINS, hisig, mutation_signal

    counts = pd.Series({g: len(t) for g, t in raw.paediatric_hits.items()}, dtype=int)
    return hisig(raw.memberships, mutation_signal(counts), n_permutations=1000, seed=0, mutation_counts=counts,
                 max_mutated_proteins=MAX_MUTATED_PROTEINS)


def recurrent(raw: RawData, max_q: float) -> list[str]:
    """Assemblies HiSig finds recurrently mutated (q <= ``max_q``, positive selection pressure)."""
    table = pan_cancer_hisig(raw)
    return list(table[(table.q <= max_q) & (table.Selection_pressure > 0)].System_name)


def raw_mutated(raw: RawData, p: dict) -> Any:
    """``mutated-assemblies``: (tumour type, assembly) for the pan-cohort."""
    return {(PAN_CANCER, a) for a in recurrent(raw, p["maxQ"])} if p["tumourType"] in ("", PAN_CANCER) else set()


def raw_profile(raw: RawData, p: dict) -> Any:
    """``tumour-type-profile``: (assembly, mutated member, tumours) of the recurrent assemblies."""
    hits = raw.paediatric_hits
    return {(a, g, len(hits[g])) for a in recurrent(raw, p["maxQ"]) for g in raw.memberships[a] if g in hits}


def raw_uncharacterized(raw: RawData, p: dict) -> Any:
    """The flagship: (assembly, symbol) of poorly studied members of small recurrent assemblies."""
    counts = raw.pubmed_counts
    return {(a, g) for a in recurrent(raw, p["maxQ"]) if len(raw.memberships[a]) <= p["maxSize"]
            for g in raw.memberships[a] if g in counts.index and counts[g] <= p["maxPublications"]}


@dataclass(frozen=True)
class Comparison:
    """How a query's rows become the answer computed from the raw files, and how that answer is computed."""

    from_rows: Callable[[list[dict]], Any]
    from_raw: Callable[[RawData, dict], Any]
    overlap: bool = False
    """Compare as sets by the share of query answers found in the raw answer (search ranks differently)."""
    raw_runs: int | None = None
    """Timed runs of the raw computation if fewer than the query's (HiSig's 1,000 permutations take seconds)."""


COMPARISONS: dict[str, Comparison] = {
    "protein": Comparison(graph_protein, raw_protein),
    "assembly": Comparison(graph_assembly, raw_assembly),
    "assembly-lineage": Comparison(lambda rows: {tuple(r["path"]) for r in rows}, raw_lineage),
    "assembly-ancestry": Comparison(graph_ancestry, raw_ancestry),
    "assembly-members": Comparison(lambda rows: (rows[0]["total"], [m["symbol"] for m in rows[0]["members"]]),
                                   raw_members),
    "assembly-evidence": Comparison(lambda rows: {(r["source"], r["target"], r["dataset"]) for r in rows
                                                  if r["dataset"] in RAW_DATASETS}, raw_evidence),
    "interactors": Comparison(lambda rows: {(r["role"], r["partner"], r["dataset"]) for r in rows},
                              raw_interactors),
    "shared-interactors": Comparison(lambda rows: {(r["symbol"], r["shared"]) for r in rows}, raw_shared),
    "path-between": Comparison(lambda rows: rows[0]["length"] if rows else None, raw_paths),
    "multi-parent-assemblies": Comparison(lambda rows: {r["id"] for r in rows}, raw_multi_parent),
    "multi-localized-proteins": Comparison(lambda rows: {r["symbol"] for r in rows}, raw_multi_localized),
    "localization-discordance": Comparison(lambda rows: {r["symbol"] for r in rows}, raw_discordance),
    "compartment-members": Comparison(lambda rows: {r["symbol"] for r in rows}, raw_compartment),
    "go-term-proteins": Comparison(lambda rows: {r["symbol"] for r in rows}, raw_go_term),
    "search": Comparison(lambda rows: {r["key"] for r in rows}, raw_search, overlap=True),
    "novel-assemblies": Comparison(lambda rows: {r["id"] for r in rows}, raw_novel),
    "unexpected-members": Comparison(lambda rows: {(r["assembly"], r["symbol"]) for r in rows}, raw_unexpected),
    "putative-functions": Comparison(lambda rows: {(r["symbol"], r["goId"], r["assembly"]) for r in rows},
                                     raw_putative),
    "mutated-assemblies": Comparison(lambda rows: {(r["tumourType"], r["assembly"]) for r in rows
                                                   if r["tumourType"] == PAN_CANCER}, raw_mutated,
                                     raw_runs=3),
    "tumour-type-profile": Comparison(lambda rows: {(r["assembly"], m["symbol"], m["tumours"]) for r in rows
                                                    for m in r["mutatedProteins"]}, raw_profile, raw_runs=3),
    "uncharacterized-in-mutated-assemblies": Comparison(lambda rows: {(r["assembly"], r["symbol"]) for r in rows
                                                                      if r["tumourType"] == PAN_CANCER},
                                                        raw_uncharacterized, raw_runs=3),
}
