"""The derivations that rebuild derived data files reproduce the shared copies: xlsx sheets byte for byte from the
shared workbooks; the Bioconductor exports on small SQLite databases holding the real rows of a few genes / GO
terms (the full exports need the Debian packages: set CELLMAP_KG_DEBS to a directory holding them)."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import tarfile
from pathlib import Path

import pytest

from cellmap_kg.sources import load_sources
from cellmap_kg.sources.derive import (
    DerivationError,
    bioconductor_export,
    deb_member,
    first_heading,
    gzip_file,
    llm_name_table,
    xlsx_sheet,
)
from cellmap_kg.sources.fetch import sha256_of

DERIVED = {f.path: f for s in load_sources() for f in s.files if f.derive}
GENE_INFO = "ncbi_gene/org.Hs.eg.db_2022-09-12_gene_info.tsv"
ALIAS = "ncbi_gene/org.Hs.eg.db_2022-09-12_alias.tsv"
GENE2GO = "go/org.Hs.eg.db_2022-09-12_human_gene2go.tsv"
OBO = "go/go-basic_2022-07-01_reconstructed_from_GO.db.obo"
GENES = {"1", "9"}  # A1BG; NAT1 (three UniProt ids, stored unsorted below)


@pytest.mark.parametrize("path", [
    "pediatric_cancer/groebner2018_S2_samples.tsv",  # header on row 4, 'NA' cells -> empty
    "pediatric_cancer/groebner2018_S9_smg_mutation_matrix.tsv",  # types over the whole sheet: 4112512.0, 0.0
    "pediatric_cancer/groebner2018_S21_lfe_matrix.tsv",  # unnamed first column -> Gene
    "opencell/opencell-protein-interactions.csv",  # types below the header, comma-separated
])
def test_xlsx_sheet_reproduces_the_shared_file(data_dir, path):
    spec = DERIVED[path].derive
    text = xlsx_sheet(data_dir / spec["from_path"], spec["sheet"], spec["header_row"], spec["types_from"],
                      spec["sep"], spec.get("first_column"))
    assert text == (data_dir / path).read_bytes()


def test_xlsx_sheet_names_a_missing_sheet(data_dir):
    xlsx = data_dir / DERIVED["pediatric_cancer/groebner2018_S2_samples.tsv"].derive["from_path"]
    with pytest.raises(DerivationError, match="S_Table99"):
        xlsx_sheet(xlsx, "S_Table99", 2)


@pytest.mark.parametrize("markdown, title", [
    ("### Mitotic Spindle and Cell Division Protein System\n\n**Summary**", "Mitotic Spindle and Cell Division "
                                                                              "Protein System"),
    ("\n**Title: Nuclear and Cytosolic Protein Interaction System**\n", "**Title: Nuclear and Cytosolic Protein "
                                                                        "Interaction System**"),
    ("# Title: Membrane-Associated Protein Interaction System \n## Summary", "Title: Membrane-Associated Protein "
                                                                             "Interaction System"),
])
def test_first_heading_keeps_the_title_as_written(markdown, title):
    assert first_heading(markdown) == title


def test_llm_name_table_rejects_a_malformed_nodes_line(tmp_path):
    nodes = tmp_path / "map.nodes"
    nodes.write_text("Cluster0-0\t3\tA B C\t10\nroot 3 A B C 10\n")
    with pytest.raises(DerivationError, match=r"map.nodes:2: expected 'ClusterL-N"):
        llm_name_table(nodes, lambda assembly: "# Name")


def rows_of(data_dir: Path, path: str, genes: set[str]) -> list[list[str]]:
    with open(data_dir / path, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.split("\t", 1)[0] in genes]


def header_of(data_dir: Path, path: str) -> str:
    with open(data_dir / path, encoding="utf-8") as fh:
        return fh.readline()


@pytest.fixture(scope="module")
def org_sqlite(data_dir, tmp_path_factory) -> Path:
    """An org.Hs.eg.db-shaped SQLite holding the real rows of genes 1 and 9 (from the shared exports)."""
    db_path = tmp_path_factory.mktemp("org") / "org.Hs.eg.sqlite"
    db = sqlite3.connect(db_path)
    db.executescript("""
        CREATE TABLE genes (_id INTEGER PRIMARY KEY, gene_id VARCHAR(10) NOT NULL UNIQUE);
        CREATE TABLE gene_info (_id INTEGER NOT NULL UNIQUE, gene_name VARCHAR(255), symbol VARCHAR(80));
        CREATE TABLE genetype (_id INTEGER NOT NULL, gene_type VARCHAR(20));
        CREATE TABLE chromosomes (_id INTEGER NOT NULL, chromosome VARCHAR(2));
        CREATE TABLE ensembl (_id INTEGER NOT NULL, ensembl_id VARCHAR(20));
        CREATE TABLE uniprot (_id INTEGER NOT NULL, uniprot_id VARCHAR(20));
        CREATE TABLE pubmed (_id INTEGER NOT NULL, pubmed_id VARCHAR(10));
        CREATE TABLE alias (_id INTEGER NOT NULL, alias_symbol VARCHAR(80));
        CREATE TABLE go_bp (_id INTEGER NOT NULL, go_id CHAR(10), evidence CHAR(3));
        CREATE TABLE go_mf (_id INTEGER NOT NULL, go_id CHAR(10), evidence CHAR(3));
        CREATE TABLE go_cc (_id INTEGER NOT NULL, go_id CHAR(10), evidence CHAR(3));
    """)
    key = {}
    for gene_id, symbol, name, gene_type, chromosome, ensembl, uniprot, n_pubmed, _ in rows_of(
            data_dir, GENE_INFO, GENES):
        key[gene_id] = len(key) + 1
        k = key[gene_id]
        db.execute("INSERT INTO genes VALUES (?, ?)", (k, gene_id))
        db.execute("INSERT INTO gene_info VALUES (?, ?, ?)", (k, name, symbol))
        db.execute("INSERT INTO genetype VALUES (?, ?)", (k, gene_type))
        db.execute("INSERT INTO chromosomes VALUES (?, ?)", (k, chromosome))
        db.executemany("INSERT INTO ensembl VALUES (?, ?)", [(k, e) for e in ensembl.split(";")])
        db.executemany("INSERT INTO uniprot VALUES (?, ?)", [(k, u) for u in reversed(uniprot.split(";"))])
        pmids = [str(30000000 + i) for i in range(int(n_pubmed))]
        db.executemany("INSERT INTO pubmed VALUES (?, ?)", [(k, p) for p in pmids + pmids[:1]])  # one duplicate
    for gene_id, _, alias in rows_of(data_dir, ALIAS, GENES):
        db.execute("INSERT INTO alias VALUES (?, ?)", (key[gene_id], alias))
    table = {"P": "go_bp", "F": "go_mf", "C": "go_cc"}
    for gene_id, _, go_id, evidence, aspect in rows_of(data_dir, GENE2GO, GENES):
        db.execute(f"INSERT INTO {table[aspect]} VALUES (?, ?, ?)", (key[gene_id], go_id, evidence))
    db.commit()
    db.close()
    return db_path


@pytest.mark.parametrize("export, path", [("gene_info", GENE_INFO), ("alias", ALIAS), ("gene2go", GENE2GO)])
def test_org_hs_eg_exports_give_the_shared_rows(org_sqlite, data_dir, export, path):
    expected = header_of(data_dir, path) + "".join("\t".join(r) + "\n" for r in rows_of(data_dir, path, GENES))
    assert bioconductor_export(org_sqlite, export).decode() == expected


def test_gene_info_counts_distinct_go_terms_and_sorts_uniprot_ids(org_sqlite):
    lines = bioconductor_export(org_sqlite, "gene_info").decode().splitlines()
    nat1 = next(line.split("\t") for line in lines if line.startswith("9\t"))
    assert nat1[1] == "NAT1" and nat1[6] == "F5H5R8;P18440;Q400J6" and nat1[7:] == ["252", "3"]


def obo_stanzas(data_dir: Path) -> dict[str, str]:
    text = (data_dir / OBO).read_text(encoding="utf-8")
    return {block.split("\n")[1][4:]: block for block in text.split("\n\n") if block.startswith("[Term]")}


@pytest.fixture(scope="module")
def go_sqlite(data_dir, tmp_path_factory):
    """A GO.db-shaped SQLite holding five real terms (parsed from the shared OBO) and the terms they point to."""
    stanzas = obo_stanzas(data_dir)
    terms = ["GO:0000001", "GO:0000015", "GO:0000122", "GO:0003674", "GO:0000005"]
    db_path = tmp_path_factory.mktemp("go") / "GO.sqlite"
    db = sqlite3.connect(db_path)
    db.executescript("""
        CREATE TABLE metadata (name VARCHAR(80) PRIMARY KEY, value VARCHAR(255));
        CREATE TABLE go_term (_id INTEGER PRIMARY KEY, go_id CHAR(10) UNIQUE, term VARCHAR(255), ontology VARCHAR(9),
                              definition TEXT);
        CREATE TABLE go_synonym (_id INTEGER, synonym VARCHAR(255), secondary CHAR(10), like_go_id SMALLINT);
        CREATE TABLE go_obsolete (go_id CHAR(10) PRIMARY KEY, term VARCHAR(255), ontology VARCHAR(9), definition TEXT);
        CREATE TABLE go_bp_parents (_id INTEGER, _parent_id INTEGER, relationship_type VARCHAR(7));
        CREATE TABLE go_mf_parents (_id INTEGER, _parent_id INTEGER, relationship_type VARCHAR(7));
        CREATE TABLE go_cc_parents (_id INTEGER, _parent_id INTEGER, relationship_type VARCHAR(7));
        INSERT INTO metadata VALUES ('GOSOURCEDATE', '2022-07-01');
        INSERT INTO go_term VALUES (1, 'all', 'all', 'universal', NULL);
    """)
    short = {"biological_process": "BP", "molecular_function": "MF", "cellular_component": "CC"}

    def term_id(go_id: str, name: str = "", ontology: str = "BP", definition: str | None = None) -> int:
        row = db.execute("SELECT _id FROM go_term WHERE go_id = ?", (go_id,)).fetchone()
        if row:
            if name:
                db.execute("UPDATE go_term SET term = ?, ontology = ?, definition = ? WHERE _id = ?",
                           (name, ontology, definition, row[0]))
            return row[0]
        return db.execute("INSERT INTO go_term (go_id, term, ontology, definition) VALUES (?, ?, ?, ?)",
                          (go_id, name or go_id, ontology, definition)).lastrowid

    for go_id in reversed(terms):  # inserted out of order: the export sorts by GO id
        tags = [line.split(": ", 1) for line in stanzas[go_id].split("\n")[2:]]
        value = {k: v for k, v in tags if k in ("name", "namespace", "def")}
        ontology = short[value["namespace"]]
        definition = value["def"][1:-4] if "def" in value else None
        if ("is_obsolete", "true") in [tuple(t) for t in tags]:
            db.execute("INSERT INTO go_obsolete VALUES (?, ?, ?, ?)", (go_id, value["name"], ontology, definition))
            continue
        key = term_id(go_id, value["name"], ontology, definition)
        parents = f"go_{ontology.lower()}_parents"
        if go_id == "GO:0003674":
            db.execute(f"INSERT INTO {parents} VALUES (?, 1, 'isa')", (key,))
        for tag, text in tags:
            if tag == "alt_id":
                db.execute("INSERT INTO go_synonym VALUES (?, ?, ?, 1)", (key, text, text))
            elif tag == "is_a":
                db.execute(f"INSERT INTO {parents} VALUES (?, ?, 'isa')", (key, term_id(text)))
            elif tag == "relationship":
                kind, parent = text.split(" ")
                db.execute(f"INSERT INTO {parents} VALUES (?, ?, ?)", (key, term_id(parent), kind.replace("_", " ")))
        db.execute("INSERT INTO go_synonym VALUES (?, 'a synonym', NULL, 0)", (key,))
    db.commit()
    db.close()
    return db_path, {go_id: stanzas[go_id] for go_id in terms}


def test_go_obo_export_reproduces_the_shared_stanzas(go_sqlite, data_dir):
    db_path, expected = go_sqlite
    obo = bioconductor_export(db_path, "go_obo").decode()
    with open(data_dir / OBO, encoding="utf-8") as fh:
        header = "".join(fh.readline() for _ in range(5))
    assert obo.startswith(header + "[Term]\nid: GO:0000001\n")
    assert obo.endswith("is_obsolete: true\n")
    blocks = obo.rstrip("\n").split("\n\n")
    for go_id, stanza in expected.items():
        assert stanza in blocks, go_id
    assert blocks[-1] == expected["GO:0000005"]  # obsolete terms come last
    assert "is_a: all" not in obo


def test_an_unknown_export_is_named(go_sqlite):
    with pytest.raises(DerivationError, match="unknown bioconductor-sqlite export 'genes'"):
        bioconductor_export(go_sqlite[0], "genes")


def make_deb(path: Path, members: dict[str, bytes]) -> Path:
    """A minimal Debian package (ar archive: debian-binary, control.tar.xz, data.tar.xz) holding ``members``."""
    def tar_xz(files: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:xz") as tar:
            for name, content in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
        return buffer.getvalue()

    parts = {"debian-binary": b"2.0\n", "control.tar.xz": tar_xz({"./control": b"Package: x\n"}),
             "data.tar.xz": tar_xz(members)}
    with open(path, "wb") as out:
        out.write(b"!<arch>\n")
        for name, content in parts.items():
            out.write(f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(content):<10}`\n".encode())
            out.write(content + (b"\n" if len(content) % 2 else b""))
    return path


def test_deb_member_extracts_the_named_file(tmp_path):
    deb = make_deb(tmp_path / "x.deb", {"./usr/lib/R/site-library/GO.db/extdata/GO.sqlite": b"SQLite bytes",
                                        "./usr/share/doc/x/copyright": b"Artistic-2.0"})
    out = deb_member(deb, "GO.db/extdata/GO.sqlite", tmp_path / "out" / "GO.sqlite")
    assert out.read_bytes() == b"SQLite bytes"
    with pytest.raises(DerivationError, match="no file \\*/org.Hs.eg.db/extdata/org.Hs.eg.sqlite"):
        deb_member(deb, "org.Hs.eg.db/extdata/org.Hs.eg.sqlite", tmp_path / "other")
    with pytest.raises(DerivationError, match="not a Debian package"):
        deb_member(tmp_path / "out" / "GO.sqlite", "GO.sqlite", tmp_path / "again")


DEBS = os.environ.get("CELLMAP_KG_DEBS")


@pytest.mark.skipif(not DEBS, reason="set CELLMAP_KG_DEBS to a directory with the r-bioc-go.db and "
                                     "r-bioc-org.hs.eg.db 3.16.0-1 .deb files")
@pytest.mark.parametrize("path", [GENE_INFO, ALIAS, GENE2GO, OBO])
def test_full_bioconductor_export_matches_the_declared_checksum(tmp_path, path):
    spec = DERIVED[path].derive
    deb = Path(DEBS) / Path(spec["from_path"]).name
    assert sha256_of(deb) == spec["from_sha256"]
    sqlite = deb_member(deb, spec["sqlite"], tmp_path / "db.sqlite")
    assert hashlib.sha256(bioconductor_export(sqlite, spec["export"])).hexdigest() == DERIVED[path].sha256


def test_gzip_reproduces_every_shared_structure_model(tmp_path, data_dir):
    """Each declared .pdb.gz is ``gzip -9n`` of its repository .pdb (from_sha256): rebuilt here from the
    decompressed bytes, byte for byte."""
    import gzip

    gzipped = [f for f in DERIVED.values() if f.derive["how"] == "gzip"]
    assert len(gzipped) == 111
    for f in gzipped[:5]:
        pdb = tmp_path / Path(f.derive["from_path"]).name
        pdb.write_bytes(gzip.decompress((data_dir / f.path).read_bytes()))
        assert sha256_of(pdb) == f.derive["from_sha256"]
        assert hashlib.sha256(gzip_file(pdb)).hexdigest() == f.sha256
