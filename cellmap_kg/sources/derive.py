"""Re-create the derived data files (``derive:`` entries of ``sources.yaml``) from their public inputs.

Some files of the data directory are not published as such: they were extracted from a public file (a sheet of a
supplementary xlsx, tables of a Bioconductor SQLite database shipped in a Debian package, the first heading of
per-assembly Markdown reports). Each function here reproduces one kind of extraction so that ``cellmap-kg fetch``
can rebuild the file from its public input; ``fetch`` then checks the result against the declared SHA-256.
The xlsx-sheet and bioconductor-sqlite derivations were run on the real inputs (the shared workbooks; the Debian
bookworm packages r-bioc-go.db / r-bioc-org.hs.eg.db 3.16.0-1) and reproduce the shared files byte for byte.
The llm-name-headings rule was checked on five real ChatGPT responses of the repository (all three heading styles);
the full table could not be rebuilt here (no access to GitHub), so its checksum is the final judge.

Kinds (``derive.how``):

* ``xlsx-sheet``: one sheet of an Excel workbook written as delimited text (:func:`xlsx_sheet`).
* ``llm-name-headings``: GPT-4 assembly names of the U2OS cell map (:func:`llm_name_table`).
* ``bioconductor-sqlite``: a table export of GO.db / org.Hs.eg.db 3.16.0 taken from the Debian package
  (:func:`deb_member`, then :data:`EXPORTS`).
* ``gzip``: a downloaded file compressed with GNU ``gzip -9n`` (:func:`gzip_file`; the shared structure models).
"""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import subprocess
import tarfile
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..errors import UserError


class DerivationError(UserError, ValueError):
    """A derivation input is missing or not in the expected form (the message names the file and the problem)."""


def xlsx_sheet(xlsx: Path, sheet: str, header_row: int, types_from: str = "data", sep: str = ",",
               first_column: str | None = None) -> bytes:
    """One sheet of ``xlsx`` as delimited text (UTF-8, ``\\n`` line ends, no index column).

    Args:
        xlsx: the workbook.
        sheet: sheet name.
        header_row: 0-based row of the sheet holding the column names; rows above it (titles) are dropped.
        types_from: how pandas infers each column's type, which decides how numbers are written:
            ``"data"`` - ``pandas.read_excel(header=header_row)``, types from the cells below the header
            (an all-number column with an integer-valued float is written ``0.0``);
            ``"sheet"`` - ``pandas.read_excel(header=None)`` over the whole sheet, then the header row is taken as
            column names, so title rows count (a column with a numeric name and numbers becomes float:
            ``4112512.0`` / ``0.0`` in Groebner S_Table9). Both mirror how the shared files were produced.
        sep: field delimiter.
        first_column: name for an unnamed first column (Groebner S_Table21 has none; the shared TSV says ``Gene``).

    Cells pandas reads as missing (empty, ``NA``) are written empty. Raises :class:`DerivationError` if the sheet
    does not exist.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*extension is not supported.*")
        try:
            if types_from == "data":
                table = pd.read_excel(xlsx, sheet_name=sheet, header=header_row)
            elif types_from == "sheet":
                raw = pd.read_excel(xlsx, sheet_name=sheet, header=None)
                table = raw.iloc[header_row + 1:]
                table.columns = list(raw.iloc[header_row])
            else:
                raise DerivationError(f"{xlsx}: types_from must be 'data' or 'sheet', not {types_from!r}")
        except ValueError as exc:
            if isinstance(exc, DerivationError):
                raise
            raise DerivationError(f"{xlsx}: cannot read sheet {sheet!r}: {exc}") from exc
    if first_column is not None:
        name = table.columns[0]
        if not (pd.isna(name) or str(name).startswith("Unnamed:")):
            raise DerivationError(f"{xlsx}: sheet {sheet!r}: first column is already named {name!r}")
        table = table.rename(columns={name: first_column})
    return table.to_csv(sep=sep, index=False, lineterminator="\n").encode("utf-8")


def gzip_file(path: Path) -> bytes:
    """``path`` compressed by GNU ``gzip -9n`` (no name or time stamp in the header, so the bytes are reproducible;
    Python's zlib writes different, equally valid, deflate streams). Raises :class:`DerivationError` if ``gzip``
    is not installed or fails."""
    gzip = shutil.which("gzip")
    if gzip is None:
        raise DerivationError(f"{path}: GNU gzip is needed to reproduce the shared .gz files")
    done = subprocess.run([gzip, "-9nc", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        raise DerivationError(f"{path}: gzip failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def first_heading(markdown: str) -> str:
    """The title of a ChatGPT response: its first non-blank line without leading ``#`` marks and outer spaces.

    ``"### Title: Membrane-Associated Protein Interaction System\\n..."`` gives
    ``"Title: Membrane-Associated Protein Interaction System"`` (the rule that produced the shared
    ``May2023_final_llm_assembly_names.tsv``; ``Title:`` and ``**`` are kept as written). Raises
    :class:`DerivationError` for a blank document.
    """
    for line in markdown.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()
    raise DerivationError("blank ChatGPT response (no heading)")


ASSEMBLY_ID = re.compile(r"Cluster(\d+)-(\d+)")


def llm_name_table(nodes: Path, read_response: Callable[[str], str | None]) -> bytes:
    """The table of GPT-4 assembly names: ``cluster_id, size, persistence, llm_name`` (TSV with header).

    Args:
        nodes: HiDeF ``.nodes`` file of the map (tab-separated: assembly id ``ClusterL-N``, size, genes,
            persistence).
        read_response: assembly id -> text of its ``<id>/<id>_chatgpt_response.md`` (Schaffer et al. 2025,
            idekerlab/cellmaps_annotate_hierarchy ``MuSIC2_Maps/May2023_final``), or ``None`` if the assembly
            has no response (the root ``Cluster0-0`` and the two largest assemblies have none); such assemblies
            get no row.

    Rows are ordered by resolution level then index (``Cluster1-2 < Cluster1-10 < Cluster2-0``); size and
    persistence are copied from ``nodes``. Raises :class:`DerivationError` for a malformed ``.nodes`` line.
    """
    rows = []
    for number, line in enumerate(nodes.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split("\t")
        match = ASSEMBLY_ID.fullmatch(fields[0])
        if len(fields) != 4 or not match:
            raise DerivationError(f"{nodes}:{number}: expected 'ClusterL-N<TAB>size<TAB>genes<TAB>persistence'")
        response = read_response(fields[0])
        if response is None:
            continue
        try:
            name = first_heading(response)
        except DerivationError as exc:
            raise DerivationError(f"{fields[0]}: {exc}") from None
        key = (int(match.group(1)), int(match.group(2)))
        rows.append((key, [fields[0], fields[1], fields[3].strip(), name]))
    rows.sort(key=lambda row: row[0])
    lines = ["cluster_id\tsize\tpersistence\tllm_name"] + ["\t".join(fields) for _, fields in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def deb_member(deb: Path, member: str, dest: Path) -> Path:
    """Extract the file whose path ends with ``member`` from the data archive of Debian package ``deb`` to ``dest``.

    A ``.deb`` is an ``ar`` archive holding ``data.tar.{xz,gz,bz2}`` (deb(5)); ``member`` is matched against the
    end of the tar paths, e.g. ``GO.db/extdata/GO.sqlite``. Returns ``dest``. Raises :class:`DerivationError` if
    the package has no such file or is not a Debian package.
    """
    data = _deb_data_tar(deb)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r|*") as tar:
        for info in tar:
            if info.isfile() and info.name.endswith("/" + member):
                source = tar.extractfile(info)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with open(dest, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
                return dest
    raise DerivationError(f"{deb}: no file */{member} in the package")


def _deb_data_tar(deb: Path) -> bytes:
    """The bytes of the ``data.tar.*`` member of the ``ar`` archive ``deb``."""
    with open(deb, "rb") as fh:
        if fh.read(8) != b"!<arch>\n":
            raise DerivationError(f"{deb}: not a Debian package (no ar header)")
        while header := fh.read(60):
            if len(header) < 60:
                break
            name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58])
            if name.startswith("data.tar"):
                if name.endswith(".zst"):
                    raise DerivationError(f"{deb}: {name} (zstd) is not supported; use a bookworm package")
                return fh.read(size)
            fh.seek(size + size % 2, 1)
    raise DerivationError(f"{deb}: no data.tar member")


def _tsv(header: list[str], rows) -> bytes:
    lines = ["\t".join(header)] + ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _grouped(db: sqlite3.Connection, sql: str) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = defaultdict(list)
    for key, value in db.execute(sql):
        groups[key].append(value)
    return groups


def export_alias(db: sqlite3.Connection) -> bytes:
    """org.Hs.eg.db table ``alias`` (joined to ``genes``, ``gene_info``): ``gene_id, symbol, alias``, table order."""
    rows = db.execute("SELECT g.gene_id, i.symbol, a.alias_symbol FROM alias a JOIN genes g USING (_id) "
                      "JOIN gene_info i USING (_id) ORDER BY a.rowid")
    return _tsv(["gene_id", "symbol", "alias"], rows)


GO_ASPECTS = (("bp", "P"), ("mf", "F"), ("cc", "C"))


def export_gene2go(db: sqlite3.Connection) -> bytes:
    """org.Hs.eg.db tables ``go_bp``, ``go_mf``, ``go_cc`` (direct annotations, NCBI gene2go):
    ``gene_id, symbol, go_id, evidence, aspect`` with aspect P/F/C; BP rows, then MF, then CC, each in table order.
    """
    parts = [f"SELECT g.gene_id, i.symbol, t.go_id, t.evidence, '{aspect}', {k}, t.rowid FROM go_{table} t "
             f"JOIN genes g USING (_id) JOIN gene_info i USING (_id)" for k, (table, aspect) in enumerate(GO_ASPECTS)]
    rows = (row[:5] for row in db.execute(" UNION ALL ".join(parts) + " ORDER BY 6, 7"))
    return _tsv(["gene_id", "symbol", "go_id", "evidence", "aspect"], rows)


def export_gene_info(db: sqlite3.Connection) -> bytes:
    """One row per org.Hs.eg.db gene (table order): ``gene_id, symbol, name, gene_type, chromosome,
    ensembl_gene_ids, uniprot_ids, n_pubmed, n_go_terms_direct``.

    Multi-valued columns are the sorted distinct values joined by ``;``; ``n_pubmed`` = distinct PubMed ids
    (gene2pubmed), ``n_go_terms_direct`` = distinct GO ids over ``go_bp``, ``go_mf``, ``go_cc``.
    """
    chromosomes = _grouped(db, "SELECT _id, chromosome FROM chromosomes")
    ensembl = _grouped(db, "SELECT _id, ensembl_id FROM ensembl")
    uniprot = _grouped(db, "SELECT _id, uniprot_id FROM uniprot")
    pubmed = dict(db.execute("SELECT _id, count(DISTINCT pubmed_id) FROM pubmed GROUP BY _id"))
    go_terms = dict(db.execute("SELECT _id, count(DISTINCT go_id) FROM (SELECT _id, go_id FROM go_bp UNION ALL "
                               "SELECT _id, go_id FROM go_mf UNION ALL SELECT _id, go_id FROM go_cc) GROUP BY _id"))

    def joined(groups, key):
        return ";".join(sorted(set(groups.get(key, ()))))

    rows = ([gene_id, symbol, name, gene_type, joined(chromosomes, key), joined(ensembl, key),
             joined(uniprot, key), pubmed.get(key, 0), go_terms.get(key, 0)]
            for key, gene_id, symbol, name, gene_type in db.execute(
                "SELECT g._id, g.gene_id, i.symbol, i.gene_name, t.gene_type FROM genes g JOIN gene_info i "
                "USING (_id) JOIN genetype t USING (_id) ORDER BY g._id"))
    return _tsv(["gene_id", "symbol", "name", "gene_type", "chromosome", "ensembl_gene_ids", "uniprot_ids",
                 "n_pubmed", "n_go_terms_direct"], rows)


GO_NAMESPACES = {"BP": "biological_process", "MF": "molecular_function", "CC": "cellular_component"}
GO_OBO_HEADER = [
    "format-version: 1.2", "data-version: releases/{date}", "ontology: go",
    "remark: reconstructed from Bioconductor GO.db 3.16.0 (Debian r-bioc-go.db) which was built from go-basic.obo "
    "release {date}; only id/name/namespace/def/alt_id/is_a/relationship/is_obsolete are kept",
]


def export_go_obo(db: sqlite3.Connection) -> bytes:
    """An OBO 1.2 reconstruction of go-basic.obo from GO.db (tables ``go_term``, ``go_synonym`` (secondary ids ->
    ``alt_id``), ``go_{bp,mf,cc}_parents`` (``isa`` -> ``is_a``, other types -> ``relationship: <type_with_
    underscores> <parent>``, in table order, edges to GO.db's artificial root ``all`` dropped), ``go_obsolete``).

    Live terms come first sorted by GO id, then obsolete terms (``is_obsolete: true``) sorted by GO id; ``def`` has
    an empty xref list ``[]`` and is omitted when GO.db has no definition. The release date comes from the
    ``metadata`` row ``GOSOURCEDATE``.
    """
    date = dict(db.execute("SELECT name, value FROM metadata"))["GOSOURCEDATE"]
    alt_ids = _grouped(db, "SELECT _id, secondary FROM go_synonym WHERE secondary IS NOT NULL ORDER BY rowid")
    parents: dict[int, list[str]] = defaultdict(list)
    for table, _ in GO_ASPECTS:
        for key, parent, kind in db.execute(
                f"SELECT c._id, p.go_id, c.relationship_type FROM go_{table}_parents c JOIN go_term p "
                f"ON p._id = c._parent_id WHERE p.go_id != 'all' ORDER BY c.rowid"):
            parents[key].append(f"is_a: {parent}" if kind == "isa" else f"relationship: {kind.replace(' ', '_')} "
                                                                          f"{parent}")
    lines = [line.format(date=date) for line in GO_OBO_HEADER] + [""]

    def stanza(go_id, name, ontology, definition, tags):
        lines.extend(["[Term]", f"id: {go_id}", f"name: {name}", f"namespace: {GO_NAMESPACES[ontology]}"])
        lines.extend(f"alt_id: {alt}" for alt in tags[0])
        if definition:
            lines.append(f'def: "{definition}" []')
        lines.extend(tags[1])
        lines.append("")

    for key, go_id, name, ontology, definition in db.execute(
            "SELECT _id, go_id, term, ontology, definition FROM go_term WHERE go_id != 'all' ORDER BY go_id"):
        stanza(go_id, name, ontology, definition, (alt_ids.get(key, ()), parents.get(key, ())))
    for go_id, name, ontology, definition in db.execute(
            "SELECT go_id, term, ontology, definition FROM go_obsolete ORDER BY go_id"):
        stanza(go_id, name, ontology, definition, ((), ("is_obsolete: true",)))
    return "\n".join(lines).encode("utf-8")


EXPORTS: dict[str, Callable[[sqlite3.Connection], bytes]] = {
    "alias": export_alias,
    "gene2go": export_gene2go,
    "gene_info": export_gene_info,
    "go_obo": export_go_obo,
}
"""``derive.export`` name -> function(connection to the Bioconductor SQLite) -> file bytes."""


def bioconductor_export(sqlite: Path, export: str) -> bytes:
    """Run the export named ``export`` (a key of :data:`EXPORTS`) on the SQLite database ``sqlite`` (read-only).

    Raises :class:`DerivationError` for an unknown export or a database without the expected tables.
    """
    if export not in EXPORTS:
        raise DerivationError(f"unknown bioconductor-sqlite export {export!r}; known: {', '.join(EXPORTS)}")
    db = sqlite3.connect(f"file:{sqlite}?mode=ro", uri=True)
    try:
        return EXPORTS[export](db)
    except sqlite3.Error as exc:
        raise DerivationError(f"{sqlite}: export {export!r} failed: {exc}") from exc
    finally:
        db.close()
