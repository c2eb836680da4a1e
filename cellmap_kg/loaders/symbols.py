"""Resolve gene symbols and identifiers from any source to the HGNC-approved symbol.

Order of resolution for a symbol ``s`` (first unambiguous hit wins):

1. ``s`` is an HGNC-approved symbol (``hgnc/hgnc_genes.tsv``, ~2023);
2. ``s`` is an Excel-mangled date (``1-Sep`` -> ``SEPTIN1``'s old symbol ``SEPT1``) and step 1/3/4 resolves it;
3. ``s`` is the previous symbol of exactly one approved symbol;
4. ``s`` is an alias symbol of exactly one approved symbol;
5. ``s`` is an NCBI Gene symbol or NCBI alias of exactly one gene (NCBI Gene 2022-09-12), whose symbol goes
   through 1-4, or is kept as is when HGNC does not name it (e.g. ``LOC102724560``).

Identifiers take precedence over symbols when a source gives them: Entrez id, then Ensembl gene id, then UniProt
accession (each must map to exactly one gene). A symbol named by several approved genes is *ambiguous* and is not
guessed: loaders skip and report it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..sources import load_sources
from .base import read_table

SYMBOLS_ROLE = "symbols"
"""The ``role`` of the sources (``sources.yaml``) whose tables the resolver reads (HGNC, NCBI Gene)."""

_EXCEL_DATE = re.compile(r"^(\d{1,2})-(Sep|Mar|Dec|Oct|Nov|Feb|Apr|Jun|Jul|Aug|Jan|May)$", re.IGNORECASE)
_EXCEL_PREFIX = {"sep": "SEPT", "mar": "MARCH", "dec": "DEC", "oct": "OCT", "nov": "NOV", "feb": "FEB"}


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one name.

    ``symbol`` is the approved symbol or ``None``; ``how`` is one of ``approved``, ``previous``, ``alias``,
    ``ncbi``, ``entrez``, ``ensembl``, ``uniprot``, ``unknown``, ``ambiguous``; ``candidates`` lists the
    competing symbols of an ambiguous name.
    """

    symbol: str | None
    how: str
    candidates: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True if the name resolved to one symbol."""
        return self.symbol is not None


def unmangle_excel(symbol: str) -> str | None:
    """The gene symbol that Excel turned into a date, e.g. ``'1-Sep'`` -> ``'SEPT1'``, ``'2-Mar'`` -> ``'MARCH2'``.

    Returns ``None`` if ``symbol`` does not look like such a date (Ziemann et al. 2016, Genome Biol 17:177).
    """
    m = _EXCEL_DATE.match(symbol.strip())
    if not m:
        return None
    prefix = _EXCEL_PREFIX.get(m.group(2).lower())
    return f"{prefix}{int(m.group(1))}" if prefix else None


class SymbolResolver:
    """Maps symbols and ids to HGNC-approved symbols; build it with ``SymbolResolver.from_data_dir``.

    Attributes:
        approved: set of approved symbols.
        genes: approved symbol -> NCBI gene row (``entrezId``, ``name``, ``geneType``, ``chromosome``,
            ``ensembl``, ``uniprot``, ``pubmedCount``, ``goAnnotationCount``), for genes NCBI knows.
    """

    def __init__(self) -> None:
        self.approved: set[str] = set()
        self.previous: dict[str, set[str]] = defaultdict(set)
        self.alias: dict[str, set[str]] = defaultdict(set)
        self.ncbi_symbol: dict[str, set[str]] = defaultdict(set)
        self.by_entrez: dict[int, str] = {}
        self.by_ensembl: dict[str, set[str]] = defaultdict(set)
        self.by_uniprot: dict[str, set[str]] = defaultdict(set)
        self.genes: dict[str, dict] = {}
        self.hgnc_id: dict[str, str] = {}
        self.previous_of: dict[str, list[str]] = defaultdict(list)  # approved -> previous symbols (HGNC)
        self.aliases_of: dict[str, list[str]] = defaultdict(list)  # approved -> alias symbols (HGNC)

    # ----------------------------------------------------------------------------------------------- construction
    @classmethod
    def from_data_dir(cls, data_dir: Path) -> SymbolResolver:
        """Read the HGNC and NCBI Gene tables from ``data_dir``: the files of the sources with role ``symbols``
        whose keys are ``genes``, ``hgnc_ids`` (HGNC) and ``gene_info``, ``alias`` (NCBI Gene).

        Raises ``MissingDataError``/``DataFormatError``, and ``KeyError`` if the declaration lacks one of the keys.
        """
        tables = {f.key: Path(data_dir) / f.path for s in load_sources() if s.role == SYMBOLS_ROLE
                  for f in s.files if f.key}
        missing = [k for k in ("genes", "hgnc_ids", "gene_info", "alias") if k not in tables]
        if missing:
            raise KeyError(f"no source with role {SYMBOLS_ROLE!r} in sources.yaml declares file keys {missing}")
        resolver = cls()
        resolver._read_hgnc(tables["genes"], tables["hgnc_ids"])
        resolver._read_ncbi(tables["gene_info"], tables["alias"])
        return resolver

    def _read_hgnc(self, path: Path, hgnc_ids: Path) -> None:
        cols = ("Approved symbol", "Previous symbols", "Alias symbols")
        for _, row in read_table(path, required=cols):
            symbol = row["Approved symbol"].strip()
            if not symbol:
                continue
            self.approved.add(symbol)
            for col, table, of in (("Previous symbols", self.previous, self.previous_of),
                                   ("Alias symbols", self.alias, self.aliases_of)):
                for other in row[col].split(","):
                    if other.strip():
                        table[other.strip().upper()].add(symbol)
                        of[symbol].append(other.strip())
        if hgnc_ids.exists():
            for _, row in read_table(hgnc_ids, required=("HGNCID", "geneSymbol")):
                self.hgnc_id[row["geneSymbol"]] = row["HGNCID"]

    def _read_ncbi(self, info: Path, alias: Path) -> None:
        cols = ("gene_id", "symbol", "name", "gene_type", "chromosome", "ensembl_gene_ids", "uniprot_ids",
                "n_pubmed", "n_go_terms_direct")
        rows = []
        for _, row in read_table(info, required=cols):
            rows.append(row)
            self.ncbi_symbol[row["symbol"].upper()].add(row["symbol"])
        ncbi_alias: dict[str, set[str]] = defaultdict(set)
        for _, row in read_table(alias, required=("gene_id", "symbol", "alias")):
            ncbi_alias[row["alias"].upper()].add(row["symbol"])
        official = {row["symbol"] for row in rows}
        # Rows whose NCBI symbol is HGNC-approved come first, so an approved symbol keeps its own gene's record.
        rows.sort(key=lambda r: r["symbol"] not in self.approved)
        for row in rows:
            symbol = self._ncbi_to_approved(row["symbol"], official)
            entrez = int(row["gene_id"])
            ensembl = [x for x in row["ensembl_gene_ids"].split(";") if x]
            uniprot = [x for x in row["uniprot_ids"].split(";") if x]
            if symbol in self.genes:  # two NCBI genes behind one approved symbol: keep the first, both ids resolve
                self.by_entrez[entrez] = symbol
                continue
            self.by_entrez[entrez] = symbol
            for e in ensembl:
                self.by_ensembl[e].add(symbol)
            for u in uniprot:
                self.by_uniprot[u].add(symbol)
            self.genes[symbol] = {
                "entrezId": entrez,
                "name": row["name"],
                "geneType": row["gene_type"],
                "chromosome": row["chromosome"] or None,
                "ensembl": ensembl,
                "uniprot": uniprot,
                "pubmedCount": int(row["n_pubmed"] or 0),
                "goAnnotationCount": int(row["n_go_terms_direct"] or 0),
            }
        for name, symbols in ncbi_alias.items():
            if name not in self.ncbi_symbol:
                self.ncbi_symbol[name] |= symbols
        self.ncbi_symbol = {k: {self._ncbi_to_approved(s, official) for s in v} for k, v in self.ncbi_symbol.items()}

    def _ncbi_to_approved(self, ncbi_symbol: str, official: set[str]) -> str:
        """The approved symbol of an NCBI Gene record: its own symbol if approved, the approved symbol it was
        renamed to (HGNC previous symbol) unless that name is another NCBI gene's, else the NCBI symbol itself.
        Aliases are not followed here: an alias shared with another gene would merge two genes' records."""
        if ncbi_symbol in self.approved:
            return ncbi_symbol
        renamed = self.previous.get(ncbi_symbol.upper(), set())
        if len(renamed) == 1:
            target = next(iter(renamed))
            if target not in official:
                return target
        return ncbi_symbol

    # ----------------------------------------------------------------------------------------------- resolution
    def _by_symbol(self, symbol: str, allow_ncbi: bool = True) -> Resolution:
        if symbol in self.approved:
            return Resolution(symbol, "approved")
        key = symbol.upper()
        for how, table in (("previous", self.previous), ("alias", self.alias)):
            hits = table.get(key)
            if hits:
                if len(hits) == 1:
                    return Resolution(next(iter(hits)), how)
                return Resolution(None, "ambiguous", tuple(sorted(hits)))
        if allow_ncbi:
            hits = self.ncbi_symbol.get(key)
            if hits:
                if len(hits) == 1:
                    return Resolution(next(iter(hits)), "ncbi")
                return Resolution(None, "ambiguous", tuple(sorted(hits)))
        return Resolution(None, "unknown")

    def resolve(self, symbol: str | None = None, *, entrez: int | str | None = None, ensembl: str | None = None,
                uniprot: str | None = None) -> Resolution:
        """Resolve a gene named by any of ``symbol``, ``entrez``, ``ensembl`` or ``uniprot`` (ids first).

        Returns a ``Resolution``; never raises for an unknown name (the caller counts and reports it).
        """
        if entrez not in (None, ""):
            try:
                hit = self.by_entrez.get(int(float(entrez)))
            except ValueError:
                hit = None
            if hit:
                return Resolution(hit, "entrez")
        for how, table, ident in (("ensembl", self.by_ensembl, ensembl), ("uniprot", self.by_uniprot, uniprot)):
            if ident:
                hits = table.get(ident.split(".")[0]) or table.get(ident.split("-")[0])
                if hits and len(hits) == 1:
                    return Resolution(next(iter(hits)), how)
        if symbol is None or not symbol.strip():
            return Resolution(None, "unknown")
        symbol = symbol.strip()
        result = self._by_symbol(symbol)
        if not result.ok and result.how == "unknown":
            fixed = unmangle_excel(symbol)
            if fixed:
                return self._by_symbol(fixed)
        return result

    def protein_row(self, symbol: str) -> dict:
        """The ``Protein`` node row for an approved (or NCBI-only) symbol: key plus NCBI/HGNC properties (including
        the HGNC ``previousSymbols`` and ``aliases``, which let the graph resolve old names)."""
        row = {"symbol": symbol}
        if symbol in self.hgnc_id:
            row["hgncId"] = self.hgnc_id[symbol]
        row.update({k: v for k, v in self.genes.get(symbol, {}).items() if v not in (None, [])})
        if self.previous_of.get(symbol):
            row["previousSymbols"] = list(self.previous_of[symbol])
        if self.aliases_of.get(symbol):
            row["aliases"] = list(self.aliases_of[symbol])
        return row
