"""OpenCell, BioPlex and Cell Mapping Toolkit AP-MS loaders, on the real files."""

from __future__ import annotations

import pandas as pd
import pytest

from cellmap_kg.loaders.apms import clean_name, load_bioplex, load_cellmaps_pipeline_apms, load_opencell
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.sources import source_of

OPENCELL, BIOPLEX, PIPELINE = (source_of(f) for f in (load_opencell, load_bioplex, load_cellmaps_pipeline_apms))
OPENCELL_INTERACTIONS = OPENCELL.file("interactions").path


def _pulled(result) -> dict[tuple[str, str], dict]:
    return {(r["source"], r["target"]): r for b in result.relationships if b.type == "PULLED_DOWN" for r in b.rows}


def _labelled(result, label: str) -> set[str]:
    return {r["symbol"] for b in result.nodes if label in b.extra_labels for r in b.rows}


@pytest.fixture(scope="module")
def opencell(data_dir, resolver):
    return load_opencell(OPENCELL.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def opencell_frame(data_dir):
    return pd.read_csv(OPENCELL.in_dir(data_dir).path("interactions"))


@pytest.fixture(scope="module")
def bioplex(data_dir, resolver):
    return load_bioplex(BIOPLEX.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def bioplex_frame(data_dir):
    return pd.read_csv(BIOPLEX.in_dir(data_dir).path("interactions"), sep="\t")


# ---------------------------------------------------------------------------------------------------- OpenCell
def test_opencell_rows_match_schema(opencell, assert_schema):
    assert_schema(opencell, OPENCELL.id)
    assert opencell.report.read[OPENCELL_INTERACTIONS] == 29922


def test_opencell_top_stoichiometry_prey(opencell, opencell_frame):
    """POLR2A's highest-interaction-stoichiometry prey (found with pandas) carries the file's values."""
    polr2a = opencell_frame[opencell_frame.target_gene_name == "POLR2A"]
    top = polr2a.loc[polr2a.interaction_stoichiometry.idxmax()]
    row = _pulled(opencell)[("POLR2A", top.interactor_gene_name)]
    assert top.interactor_gene_name == "POLR2D"
    assert row["interactionStoichiometry"] == pytest.approx(top.interaction_stoichiometry)
    assert row["abundanceStoichiometry"] == pytest.approx(top.abundance_stoichiometry)
    assert row["enrichment"] == pytest.approx(top.enrichment)
    assert row["pValue"] == pytest.approx(top.pval)


def test_opencell_pvalue_is_minus_log10_as_in_file(opencell, opencell_frame):
    first = opencell_frame.iloc[0]
    row = _pulled(opencell)[(first.target_gene_name, first.interactor_gene_name)]
    assert row["pValue"] == pytest.approx(5.49591367434085) == pytest.approx(first.pval)
    values = [r["pValue"] for r in _pulled(opencell).values()]
    assert min(values) == pytest.approx(opencell_frame.pval.min()) and min(values) > 0.9  # -log10 p, not p


def test_opencell_missing_stoichiometry_is_absent(opencell, opencell_frame):
    pairs = opencell_frame.groupby(["target_gene_name", "interactor_gene_name"]).size()
    single = opencell_frame.set_index(["target_gene_name", "interactor_gene_name"]).loc[pairs[pairs == 1].index]
    missing = single[single.interaction_stoichiometry.isna()].index
    pulled = _pulled(opencell)
    rows = [pulled[pair] for pair in missing if pair in pulled]
    assert len(rows) > 100
    assert all("interactionStoichiometry" not in r and "pValue" in r for r in rows)


def test_opencell_repeated_pair_keeps_highest_pvalue(opencell, opencell_frame):
    frame = opencell_frame
    rows = frame[(frame.target_gene_name == "ACTB") & (frame.interactor_gene_name == "PHACTR4")]
    assert len(rows) == 2
    assert _pulled(opencell)[("ACTB", "PHACTR4")]["pValue"] == pytest.approx(rows.pval.max())


def test_opencell_bait_prey_labels_and_self_pulldowns(opencell, opencell_frame):
    baits, preys = _labelled(opencell, "Bait"), _labelled(opencell, "Prey")
    pulled = _pulled(opencell)
    assert baits == {s for s, _ in pulled} and preys == {t for _, t in pulled}
    assert {"POLR2A", "AAMP"} <= baits and "POLR2D" in preys
    assert len(baits) == 1230
    assert all(s != t for s, t in pulled)
    # e.g. ARF3's pull-down lists the protein group "ARF1;ARF3" whose Ensembl id is ARF3 itself, WAPL's lists its
    # old symbol WAPAL, POLR1D's a prey named "NAN" whose UniProt accession is POLR1D: bait = prey, skipped
    assert opencell.report.skipped["bait = prey (bait detected in its own pull-down)"] == 39
    assert ("POLR1D", "SCN11A") not in pulled
    assert ("ARF3", "ARF3") not in pulled


def test_opencell_names_win_over_protein_group_ids(opencell, opencell_frame):
    """ACTN4 rows carry ACTN2's Ensembl id (another member of the protein group); the prey stays ACTN4."""
    rows = opencell_frame[(opencell_frame.interactor_gene_name == "ACTN4")
                          & (opencell_frame.interactor_ensg_id == "ENSG00000077522")]
    assert len(rows) > 0
    pulled = _pulled(opencell)
    assert all((b, "ACTN4") in pulled for b in rows.target_gene_name)
    assert opencell.report.skipped["ensembl id names another gene (name kept)"] > 0


def test_opencell_excel_dates_and_placeholders(opencell):
    assert clean_name("2021-03-06 00:00:00") == "6-Mar" and clean_name("NAN") is None and clean_name("ACTB") == "ACTB"
    pulled = _pulled(opencell)
    assert ("CCDC47", "MARCHF6") in pulled  # "2021-03-06 00:00:00" = Excel's MARCH6
    assert ("CANX", "SELENOF") in pulled  # "2021-09-15 00:00:00" = SEP15, via its Ensembl id
    assert ("ARHGAP18", "SCN11A") not in pulled  # prey "NAN" (no ids) is a placeholder, not SCN11A's alias


def test_opencell_abundance(opencell, data_dir):
    frame = pd.read_csv(OPENCELL.in_dir(data_dir).path("abundance"))
    rows = {r["symbol"]: r for b in opencell.nodes if b.label == "Protein" and not b.extra_labels for r in b.rows}
    actb = frame[frame.gene_name == "ACTB"].iloc[0]
    assert rows["ACTB"]["hekRnaTpm"] == pytest.approx(actb.hek_rna_tpm)
    assert rows["ACTB"]["hekProteinConcNm"] == pytest.approx(actb.hek_protein_conc_nm)
    assert rows["ACTB"]["hekProteinCopyNumber"] == pytest.approx(actb.hek_protein_copy_number)
    a1bg = frame[frame.gene_name == "A1BG"].iloc[0]  # no protein measurement: only the RNA value
    assert rows["A1BG"] == {"symbol": "A1BG", "hekRnaTpm": pytest.approx(a1bg.hek_rna_tpm)}
    assert "ALG1L1P" not in rows  # a pseudogene, not an OpenCell bait or prey
    # AC011476.10 ... carry Ensembl ids that NCBI gives to NCR1 and come first; NCR1's own row is kept
    ncr1, other = frame[frame.gene_name == "NCR1"].iloc[0], frame[frame.gene_name == "AC011476.10"].iloc[0]
    assert rows["NCR1"]["hekRnaTpm"] == pytest.approx(ncr1.hek_rna_tpm) != pytest.approx(other.hek_rna_tpm)
    assert opencell.report.skipped["abundance of a gene neither OpenCell bait/prey nor protein-coding"] > 0


# ---------------------------------------------------------------------------------------------------- BioPlex
def test_bioplex_rows_and_counts(bioplex, bioplex_frame, resolver, assert_schema):
    """Every row is kept, merged into an earlier pair, skipped as bait = prey, or dropped for an unknown end."""
    assert_schema(bioplex, BIOPLEX.id)
    frame = bioplex_frame
    report = bioplex.report
    assert report.read["BioPlex_293T_Network_10K_Dec_2019.tsv"] == len(frame) == 118162

    def end(symbol, entrez, uniprot):
        return resolver.resolve(symbol, entrez=entrez, uniprot=None if uniprot == "UNKNOWN" else uniprot).symbol

    resolved = [(end(r.SymbolA, r.GeneA, r.UniprotA), end(r.SymbolB, r.GeneB, r.UniprotB))
                for r in frame.itertuples()]
    both = [(a, b) for a, b in resolved if a and b]
    unresolved_ends = sum((a is None) + (b is None) for a, b in resolved)
    assert report.skipped["unknown gene"] + report.skipped["ambiguous gene"] == unresolved_ends == 198
    pulled = _pulled(bioplex)
    assert set(pulled) == {(a, b) for a, b in both if a != b}
    assert len(pulled) + report.skipped["two BioPlex rows resolving to one bait-prey pair (higher pInt kept)"] \
        + report.skipped["bait = prey (bait detected in its own pull-down)"] == len(both)
    assert len(pulled) == 117953


def test_bioplex_scores_and_direction(bioplex, bioplex_frame):
    frame = bioplex_frame
    first = frame.iloc[0]
    row = _pulled(bioplex)[("ADA", "POTEF")]
    assert (first.SymbolA, first.SymbolB) == ("ADA", "POTEF")
    assert row["pW"] == pytest.approx(first.pW) and row["pNI"] == pytest.approx(first.pNI)
    assert row["pInt"] == pytest.approx(first.pInt)
    assert ("POTEF", "ADA") not in _pulled(bioplex)


def test_bioplex_labels(bioplex, bioplex_frame):
    frame = bioplex_frame
    baits, preys = _labelled(bioplex, "Bait"), _labelled(bioplex, "Prey")
    assert baits == {s for s, _ in _pulled(bioplex)} and preys == {t for _, t in _pulled(bioplex)}
    assert len(baits) <= frame.GeneA.nunique() and len(preys) <= frame.GeneB.nunique()
    assert len(baits) > 8900 and len(preys) > 10300
    assert "ADA" in baits and "POTEF" in preys


def test_bioplex_renamed_symbol_resolves_by_entrez(bioplex, bioplex_frame):
    """SymbolB NAA38 with Entrez 51691 is LSM8 (NCBI renamed it); the Entrez id wins over the symbol."""
    frame = bioplex_frame
    rows = frame[(frame.SymbolB == "NAA38") & (frame.GeneB == 51691)]
    assert len(rows) > 0
    pulled = _pulled(bioplex)
    assert all((a, "LSM8") in pulled or (a, "LSM8") == ("LSM8", "LSM8") for a in rows.SymbolA)


# ---------------------------------------------------------------------------------------------------- toolkit
def test_cellmaps_pipeline_apms(data_dir, resolver, assert_schema):
    result = load_cellmaps_pipeline_apms(PIPELINE.in_dir(data_dir), resolver)
    assert_schema(result, PIPELINE.id)
    frame = pd.read_csv(PIPELINE.in_dir(data_dir).path("edges"), sep="\t")
    pulled = _pulled(result)
    assert _labelled(result, "Bait") == {"PIK3CA"}  # not PIK3CA-DT, which its GeneID 101928739 names
    assert {s for s, _ in pulled} == {"PIK3CA"}
    preys = set(frame.Symbol2) - {"PIK3CA"}
    assert {t for _, t in pulled} == preys and len(pulled) == 1008
    assert result.report.skipped["repeated bait-prey row in edgelist.tsv"] == len(frame) - 1008 - 3
    assert result.report.skipped["entrez id names another gene (name kept)"] == len(frame)
    assert all(set(r) == {"source", "target", "dataset"} for r in pulled.values())


def test_cellmaps_pipeline_rejects_edge_of_unknown_bait(data_dir, resolver, tmp_path):
    real, scratch = PIPELINE.in_dir(data_dir), PIPELINE.in_dir(tmp_path)
    scratch.path("baits").parent.mkdir(parents=True)
    scratch.path("baits").write_text(real.path("baits").read_text())
    scratch.path("edges").write_text("GeneID1\tSymbol1\tGeneID2\tSymbol2\n101928739\tPIK3CA\t219541\tMED19\n"
                                       "7157\tTP53\t219541\tMED19\n")
    with pytest.raises(DataFormatError, match=r"edgelist.tsv:3: Symbol1: expected a bait of baitlist.tsv"):
        load_cellmaps_pipeline_apms(scratch, resolver)
