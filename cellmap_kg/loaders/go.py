"""Gene Ontology: the go-basic term graph (``GOTerm`` + child->parent relationships) and NCBI gene2go annotations.

Files (see ``SOURCES.md``):

* ``go/go-basic_2022-07-01_reconstructed_from_GO.db.obo``: OBO 1.2, one ``[Term]`` stanza per term (47,468, of
  which 3,910 obsolete), with ``id``, ``name``, ``namespace``, ``alt_id``, ``def``, ``is_a``, ``relationship`` and
  ``is_obsolete`` tags. Read in one line scan (``read_obo_index``) that keeps what obonet's ``read_obo`` does not
  (line numbers for errors, ``alt_id``) and takes each tag value the way obonet does (``obonet.read.parse_tag_line``:
  trailing ``{modifier}`` and ``! comment`` removed); obsolete terms are kept (obonet would drop them by default).
  The scan is cached per file (path, size, modification time), so the GO and gene2go loaders of one build share
  it. One scan instead of a second full parse by ``obonet.read_obo`` into a networkx graph, which cost 80% of the
  loader's time for the same rows (``tests/loaders/test_go.py`` checks them against obonet's).
* ``go/org.Hs.eg.db_2022-09-12_human_gene2go.tsv``: ``gene_id, symbol, go_id, evidence, aspect`` (aspect P/F/C),
  one line per (gene, term, evidence code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from obonet.read import parse_tag_line

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, check_column, check_text, read_frame
from .collect import UniqueRelationships, resolve_gene
from .symbols import SymbolResolver

RELATIONSHIP_TYPES = {
    "is_a": "IS_A",
    "part_of": "PART_OF",
    "regulates": "REGULATES",
    "positively_regulates": "POSITIVELY_REGULATES",
    "negatively_regulates": "NEGATIVELY_REGULATES",
}
NAMESPACES = ("biological_process", "molecular_function", "cellular_component")
ASPECTS = {"P": "biological_process", "F": "molecular_function", "C": "cellular_component"}
GENE2GO_COLUMNS = ("gene_id", "symbol", "go_id", "evidence", "aspect")

_GO_ID = re.compile(r"^GO:\d{7}$")
_DEFINITION = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*\[(.*)\]$')
_INDEXED_TAGS = frozenset({"id", "alt_id", "namespace", "is_a", "relationship"})
_TERM_TAGS = frozenset({"name", "namespace", "def", "is_obsolete"})
"""Single-valued ``[Term]`` tags kept per term (the last one wins, as in obonet)."""
_EVIDENCE = re.compile(r"^[A-Z]{2,4}$")
_COMMENT = re.compile(r"\s+!.*$")
_MODIFIER = re.compile(r"\s+\{[^{}]*\}$")


@dataclass
class OboIndex:
    """What a line scan of an OBO file knows that obonet does not: line numbers and secondary ids.

    Attributes:
        path: the OBO file.
        term_lines: primary term id -> 1-based line of its ``id:`` tag.
        alt_ids: secondary id (``alt_id:``) -> primary id.
        namespaces: primary id -> namespace.
        edge_lines: ``(child, relation, parent)`` -> line of its first ``is_a:``/``relationship:`` tag.
        repeated_edges: ``((child, relation, parent), line)`` for each further tag declaring the same edge.
        tags: primary id -> ``{tag: value}`` of its ``name``, ``namespace``, ``def`` and ``is_obsolete`` tags, values
            as obonet reads them; terms in file order.
    """

    path: Path
    term_lines: dict[str, int] = field(default_factory=dict)
    alt_ids: dict[str, str] = field(default_factory=dict)
    namespaces: dict[str, str] = field(default_factory=dict)
    edge_lines: dict[tuple[str, str, str], int] = field(default_factory=dict)
    repeated_edges: list[tuple[tuple[str, str, str], int]] = field(default_factory=list)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)

    def primary(self, go_id: str) -> str | None:
        """The primary id of ``go_id`` (itself, or the term it is an ``alt_id`` of); ``None`` if not in the file."""
        if go_id in self.term_lines:
            return go_id
        return self.alt_ids.get(go_id)


def _bare(value: str) -> str:
    """An OBO tag value without its trailing ``{modifier}`` and ``! comment``."""
    return _MODIFIER.sub("", _COMMENT.sub("", value.strip())).strip()


def _obonet_value(line: str, value: str) -> str:
    """The value of the tag line ``line`` (``value``: the text after its first colon) as obonet reads it
    (``obonet.read.parse_tag_line``); a value without ``{`` or ``!`` is just stripped (the regex would match no
    modifier or comment in it), which spares the regex on most lines."""
    if "!" in value or "{" in value:
        return parse_tag_line(line).value
    return value.strip()


def _go_id(value: str, path: Path, line: int, tag: str) -> str:
    if not _GO_ID.match(value):
        raise DataFormatError(path, line, f"{tag}: expected a GO id like GO:0000502, found {value!r}")
    return value


def read_obo_index(path: Path) -> OboIndex:
    """Scan an OBO file's ``[Term]`` stanzas for ids, alt ids, namespaces, relationship lines and the tags of
    ``OboIndex.tags``. The result is cached for the last file read (keyed by path, size and modification time):
    callers must not change it.

    Raises ``DataFormatError`` (file and line) for a line that is not ``tag: value``, a ``[Term]`` tag before its
    ``id:``, a malformed GO id, a duplicate id, an ``alt_id`` claimed by two terms or equal to a primary id, or a
    ``relationship:`` value that is not ``<relation> <GO id>``.
    """
    check_text(path, "OBO stanzas")
    stat = path.stat()
    return _scan_obo(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1)
def _scan_obo(path: Path, size: int, mtime_ns: int) -> OboIndex:
    index = OboIndex(path)
    stanza: str | None = None
    current: str | None = None
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("!"):
                continue
            if line.startswith("["):
                if not line.endswith("]"):
                    raise DataFormatError(path, number, f"expected a stanza header like [Term], found {line!r}")
                stanza, current = line[1:-1], None
                continue
            tag, sep, value = line.partition(":")
            if not sep:
                raise DataFormatError(path, number, f"expected 'tag: value', found {line!r}")
            if stanza != "Term":
                continue
            if tag in _TERM_TAGS and current is not None:
                index.tags[current][tag] = _obonet_value(line, value)
            if tag not in _INDEXED_TAGS:
                continue
            value = _bare(value)
            if tag == "id":
                current = _go_id(value, path, number, tag)
                if current in index.term_lines or current in index.alt_ids:
                    raise DataFormatError(path, number, f"expected each GO id once, found term {current} declared "
                                                        "again (as id or alt_id)")
                index.term_lines[current] = number
                index.tags[current] = {}
            elif current is None:
                raise DataFormatError(path, number, f"expected the 'id:' tag first in a [Term] stanza, found {tag!r}")
            elif tag == "alt_id":
                alt = _go_id(value, path, number, tag)
                if alt in index.term_lines or index.alt_ids.get(alt, current) != current:
                    raise DataFormatError(path, number, f"alt_id {alt}: already a primary id or another term's alt_id")
                index.alt_ids[alt] = current
            elif tag == "namespace":
                index.namespaces[current] = value
            elif tag in ("is_a", "relationship"):
                parts = value.split() if tag == "relationship" else ["is_a", value]
                if len(parts) != 2:
                    raise DataFormatError(path, number, f"relationship: expected '<relation> <GO id>', found {value!r}")
                edge = (current, parts[0], _go_id(parts[1], path, number, tag))
                if edge in index.edge_lines:
                    index.repeated_edges.append((edge, number))
                else:
                    index.edge_lines[edge] = number
    return index


def _definition(value: str, path: Path, line: int) -> str:
    """The text of an OBO ``def:`` value ``"text" [xrefs]``, unescaped."""
    match = _DEFINITION.match(value.strip())
    if not match:
        raise DataFormatError(path, line, f'def: expected "text" [xrefs], found {value[:80]!r}')
    return re.sub(r"\\(.)", r"\1", match.group(1))


def _term_row(go_id: str, data: dict, path: Path, line: int) -> dict:
    """The ``GOTerm`` row of one obonet node."""
    if not data.get("name"):
        raise DataFormatError(path, line, f"[Term] {go_id}: expected a 'name:' tag")
    if data.get("namespace") not in NAMESPACES:
        raise DataFormatError(path, line, f"[Term] {go_id}: expected namespace in {NAMESPACES}, "
                                          f"found {data.get('namespace')!r}")
    obsolete = data.get("is_obsolete", "false")
    if obsolete not in ("true", "false"):
        raise DataFormatError(path, line, f"[Term] {go_id}: is_obsolete: expected true or false, found {obsolete!r}")
    row = {"id": go_id, "name": data["name"], "namespace": data["namespace"], "obsolete": obsolete == "true"}
    if data.get("def"):
        row["definition"] = _definition(data["def"], path, line)
    return row


def load_go_ontology(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``GOTerm`` nodes and child->parent ``IS_A``/``PART_OF``/``(POSITIVELY_|NEGATIVELY_)REGULATES`` relationships
    from the OBO file (file key ``obo``).

    Rows: ``GOTerm {id, name, namespace, definition (OBO quotes and [xrefs] removed; absent if the term has no
    def), obsolete}`` for every ``[Term]`` including obsolete ones; relationships ``{source: child id, target:
    parent id}``. A parent given by an ``alt_id`` is mapped to its primary id. Relations outside the schema (e.g.
    ``has_part``, ``occurs_in``) and repeated declarations of one edge are skipped and counted.
    ``resolver`` is unused (the signature is the loader contract).

    Raises:
        MissingDataError: the OBO file is absent.
        DataFormatError: a malformed line or term (see ``read_obo_index``), or a parent that is not a term.
    """
    path = source.path("obo")
    index = read_obo_index(path)
    result = LoadResult(source.id)
    report = result.report
    terms = [_term_row(go_id, data, path, index.term_lines[go_id]) for go_id, data in index.tags.items()]
    report.count_read(f"{source.relative('obo')} [Term] stanzas", len(terms))
    result.add_nodes("GOTerm", terms)

    collected = {rel_type: UniqueRelationships(report, f"duplicate {rel_type} edge collapsed")
                 for rel_type in RELATIONSHIP_TYPES.values()}
    for (child, relation, parent), line in index.edge_lines.items():
        rel_type = RELATIONSHIP_TYPES.get(relation)
        if rel_type is None:
            report.skip(f"relation {relation!r} is not in the schema", f"{child} {relation} {parent} (line {line})")
            continue
        target = index.primary(parent)
        if target is None:
            raise DataFormatError(path, line, f"{relation}: expected the id of a [Term] in the file, found {parent}")
        collected[rel_type].add((child, target), {"source": child, "target": target})
    for edge, line in index.repeated_edges:
        report.skip("edge declared twice in the OBO file (kept once)", f"{' '.join(edge)} (line {line})")
    for rel_type, rows in collected.items():
        report.count_read(f"{rel_type} edges", len(rows))
        result.add_relationships(rel_type, rows.rows)
    return result.finalise(source.id)


def _pool_evidence(kept: dict, new: dict) -> None:
    kept["evidence"] |= new["evidence"]


def load_gene2go(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``ANNOTATED_WITH`` Protein->GOTerm relationships from NCBI gene2go (file key ``gene2go``), one per (protein,
    GO term), checked against the ontology (file key ``obo``).

    Rows: ``{source: approved symbol, target: primary GO id, evidence: sorted distinct evidence codes,
    aspect: P|F|C}``. Genes resolve by Entrez id first, then symbol. An annotation to an ``alt_id`` is mapped to
    the primary id (read from the OBO file's ``alt_id`` lines, without obonet); one to an id absent from the OBO
    file is skipped and counted, as are unresolved genes.

    Raises:
        MissingDataError: the gene2go or the OBO file is absent.
        DataFormatError: a missing column, a non-integer ``gene_id``, a malformed GO id or evidence code, an
            aspect other than P/F/C or one that contradicts the term's namespace.
    """
    index = read_obo_index(source.path("obo"))
    path = source.path("gene2go")
    result = LoadResult(source.id)
    report = result.report
    frame = read_frame(path, required=GENE2GO_COLUMNS)
    report.count_read(source.relative("gene2go"), len(frame))
    check_column(frame, path, "gene_id", frame["gene_id"].str.fullmatch(r"\d+"), "an NCBI Gene id (integer)")
    check_column(frame, path, "go_id", frame["go_id"].str.fullmatch(_GO_ID.pattern), "a GO id like GO:0000502")
    check_column(frame, path, "aspect", frame["aspect"].isin(list(ASPECTS)), "one of P, F, C")
    check_column(frame, path, "evidence", frame["evidence"].str.fullmatch(_EVIDENCE.pattern), "a GO evidence code")

    frame["term"] = frame["go_id"].map(index.primary)
    for row in frame.loc[frame["term"].isna()].itertuples():
        report.skip("GO id not in the ontology file", f"{row.go_id} at line {row.line}")
    frame = frame.loc[frame["term"].notna()]
    alt_mapped = int((frame["term"] != frame["go_id"]).sum())
    if alt_mapped:
        report.count_read("annotations to an alt_id (mapped to the primary GO id)", alt_mapped)
    check_column(frame, path, "aspect", frame["term"].map(index.namespaces) == frame["aspect"].map(ASPECTS),
                 "the aspect (P/F/C) of the GO term's namespace")

    proteins = {gene: resolver.resolve(gene[1], entrez=gene[0]).symbol
                for gene in set(zip(frame["gene_id"].tolist(), frame["symbol"].tolist(), strict=True))}
    annotations = UniqueRelationships(
        report, "annotation rows merged (one ANNOTATED_WITH per protein and GO term, evidence codes pooled)")
    columns = ("gene_id", "symbol", "term", "evidence", "aspect", "line")
    for entrez, name, term, evidence, aspect, line in zip(*(frame[c].tolist() for c in columns), strict=True):
        symbol = proteins[(entrez, name)] or resolve_gene(resolver, report, name, entrez=entrez,
                                                          where=f"{path.name}:{line}")
        if symbol is None:
            continue
        annotations.add((symbol, term), {"source": symbol, "target": term, "evidence": {evidence},
                                         "aspect": aspect}, _pool_evidence)
    rows = annotations.rows
    for row in rows:
        row["evidence"] = sorted(row["evidence"])
    result.add_relationships("ANNOTATED_WITH", rows)
    return result.finalise(source.id)
