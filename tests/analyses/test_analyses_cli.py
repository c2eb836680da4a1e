"""``cellmap-kg annotate`` and ``cellmap-kg hisig`` on real files in tmp_path (no graph), and ``analyze --list``."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pytest

from cellmap_kg.analyses.cli import format_summary, register
from cellmap_kg.analyses.hisig import RESULT_COLUMNS
from cellmap_kg.analyses.multilocalization import hierarchy_graph, terminal_assemblies
from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.sources import source

GO_CC = source("music-v1-reference").file("go_cc_terms").path


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cellmap-kg")
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_annotate_writes_pairs_and_best_matches(tmp_path, data_dir, u2os_nodes_file, proteasome_assembly, capsys):
    out = tmp_path / "go_cc.tsv"
    assert run(["annotate", "--hierarchy", str(u2os_nodes_file), "--terms", str(data_dir / GO_CC),
                "--out", str(out)]) == 0
    pairs = pd.read_csv(out, sep="\t")
    assert list(pairs.columns) == ["assembly", "term", "overlap", "pValue", "fdr", "jaccard"]
    assert ((pairs.fdr < 0.01) & (pairs.jaccard >= 0.1) | (pairs.jaccard == 1)).all()
    best = pd.read_csv(tmp_path / "go_cc.best.tsv", sep="\t").set_index("assembly")
    assert len(best) == 270
    assert best.loc[proteasome_assembly, ["bestMatch", "annotationCategory"]].tolist() == ["GO:0000502", "known"]
    printed = capsys.readouterr().out
    assert f"{len(pairs)} significant (assembly, term) pairs" in printed
    assert "known 19, variant 64, novel 187" in printed                  # root included (it matches GO:0005575)


def test_annotate_thresholds_are_options(tmp_path, data_dir, u2os_nodes_file):
    def pairs(name: str, *options: str) -> pd.DataFrame:
        out = tmp_path / f"{name}.tsv"
        assert run(["annotate", "--hierarchy", str(u2os_nodes_file), "--terms", str(data_dir / GO_CC),
                    "--out", str(out), *options]) == 0
        return pd.read_csv(out, sep="\t")

    default, strict = pairs("default"), pairs("strict", "--min-jaccard", "0.5", "--best", str(tmp_path / "b.tsv"))
    loose = pairs("loose", "--max-fdr", "0.05")
    assert (strict.jaccard >= 0.5).all() and (tmp_path / "b.tsv").exists()
    assert len(strict) < len(default) < len(loose)


def test_annotate_bad_terms_file_names_the_line(tmp_path, u2os_nodes_file):
    bad = tmp_path / "terms.txt"
    bad.write_text("GO:1\t2\tA,B\nGO:2\tx\tC\n")
    with pytest.raises(DataFormatError, match=r"terms.txt:2: column 'size'"):
        run(["annotate", "--hierarchy", str(u2os_nodes_file), "--terms", str(bad), "--out", str(tmp_path / "o")])


@pytest.fixture(scope="module")
def u2os_ont(tmp_path_factory, u2os_edges, u2os_memberships):
    """The real U2OS hierarchy as a DDOT .ont: system edges, each gene in its terminal assemblies."""
    path = tmp_path_factory.mktemp("ont") / "u2os.ont"
    terminal = terminal_assemblies(hierarchy_graph(u2os_edges), u2os_memberships)
    lines = [f"{p}\t{c}\tdefault" for p, c in u2os_edges]
    lines += [f"{a}\t{g}\tgene" for g, assemblies in sorted(terminal.items()) for a in assemblies]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def planted_scores(tmp_path_factory, u2os_memberships, swi_snf_assembly):
    """Score 2 on the 20 SWI/SNF assembly genes, exponential noise (mean 0.3) on 300 other map genes."""
    genes = sorted(u2os_memberships["Cluster0-0"] - u2os_memberships[swi_snf_assembly])
    rng = np.random.default_rng(11)
    noisy = rng.choice(genes, size=300, replace=False)
    scores = dict(zip(noisy, rng.exponential(0.3, 300).round(4), strict=True))
    scores |= {g: 2.0 for g in u2os_memberships[swi_snf_assembly]}
    scores |= {"NOTAGENE1": 5.0}                                          # outside the hierarchy: ignored
    path = tmp_path_factory.mktemp("scores") / "planted.score.txt"
    path.write_text("".join(f"{g}\t{s}\n" for g, s in sorted(scores.items())))
    return path


@pytest.mark.parametrize("seed", [0, 1])
def test_hisig_ranks_the_planted_assembly_first_for_every_seed(tmp_path, u2os_ont, planted_scores,
                                                               swi_snf_assembly, seed, capsys):
    out = tmp_path / f"hisig.{seed}.tsv"
    assert run(["hisig", "--ont", str(u2os_ont), "--scores", str(planted_scores), "--out", str(out),
                "--permutations", "50", "--seed", str(seed)]) == 0
    table = pd.read_csv(out, sep="\t")
    assert list(table.columns) == RESULT_COLUMNS
    assert len(table) == 269                         # every assembly but the root: HiSig has no cap
    top = table.iloc[0]
    assert top.System_name == swi_snf_assembly and top.No_genes == 20 and top.mutatedProteins == 20
    assert top.p == pytest.approx(1 / 51) and top.Selection_pressure == table.Selection_pressure.max()
    assert (table.p >= 1 / 51).all()
    printed = capsys.readouterr().out
    assert f"top: {swi_snf_assembly}" in printed and "269 systems tested (5254 genes, 50 permutations" in printed


def test_hisig_cap_on_mutated_proteins_is_a_flag(tmp_path, u2os_ont, planted_scores):
    out = tmp_path / "capped.tsv"
    assert run(["hisig", "--ont", str(u2os_ont), "--scores", str(planted_scores), "--out", str(out),
                "--permutations", "5", "--max-mutated-proteins", "50"]) == 0
    assert len(pd.read_csv(out, sep="\t")) == 264  # 269 minus 5 large assemblies with > 50 mutated (noisy) genes
    assert run(["hisig", "--ont", str(u2os_ont), "--scores", str(planted_scores), "--out", str(out),
                "--max-mutated-proteins", "0"]) == 2


def test_hisig_table_on_a_made_up_hierarchy(tmp_path, capsys):
    """HiSig's columns on an .ont written here: S1 = {a, b, c, d} all scored 3, S2 = {e, f, g, h}, S3 = {a, e}
    under a root of 16 genes; every system but the root tested (no cap), listings as HiSig's parse.py."""
    ont, scores, out = tmp_path / "h.ont", tmp_path / "s.txt", tmp_path / "o.tsv"
    lines = ["root\tS1\tdefault", "root\tS2\tdefault", "root\tS3\tdefault"]
    lines += [f"S1\t{g}\tgene" for g in "abcd"] + [f"S2\t{g}\tgene" for g in "efgh"]
    lines += [f"S3\t{g}\tgene" for g in "ae"] + [f"root\t{g}\tgene" for g in "ijklmnop"]
    ont.write_text("\n".join(lines) + "\n")
    scores.write_text("a\t3\nb\t3\nc\t3\nd\t3\ne\t0.5\nzz\t9\n")
    assert run(["hisig", "--ont", str(ont), "--scores", str(scores), "--out", str(out), "--permutations", "200",
                "--seed", "1"]) == 0
    table = pd.read_csv(out, sep="\t", dtype=str).set_index("System_name")
    assert sorted(table.index) == ["S1", "S2", "S3"]
    assert table.loc["S1", ["No_genes", "Genes", "Model_input", "Rank_of_model_input", "mutatedProteins"]].tolist() \
        == ["4", "a,b,c,d", "3.0|3.0|3.0|3.0", "4|4|4|4", "4"]
    assert table.loc["S3", ["Genes", "Model_input", "Rank_of_model_input"]].tolist() == ["a,e", "3.0|0.5", "4|5"]
    assert table.loc["S2", ["Genes", "Model_input", "Rank_of_model_input"]].tolist() == [
        "e,f,g,h", "0.5|0.0|0.0|0.0", "5|16|16|16"]
    assert table.index[0] == "S1" and float(table.loc["S1", "p"]) == pytest.approx(1 / 201)
    assert "3 systems tested (16 genes, 200 permutations, seed 1)" in capsys.readouterr().out


def test_hisig_on_nest_with_tcga_brca_scores(tmp_path, data_dir):
    """HiSig's own example input: the NeST hierarchy (its HCX subhierarchy, 718 genes) and the TCGA-BRCA scores of
    HiSig's examples/nest/score."""
    from cellmap_kg.loaders.hcx import load_hcx_examples, read_hcx
    from cellmap_kg.loaders.tcga import load_tcga_scores
    from cellmap_kg.sources import source_of

    nest = read_hcx(source_of(load_hcx_examples).in_dir(data_dir).path("nest"))
    brca = next(p for p in source_of(load_tcga_scores).in_dir(data_dir).paths("scores") if p.name == "brca.score.txt")
    ont, out = tmp_path / "nest.ont", tmp_path / "brca.tsv"
    lines = [f"{p}\t{c}\tdefault" for p, c in nest.edges]
    lines += [f"{a.cluster_id}\t{g}\tgene" for a in nest.assemblies for g in a.genes]
    ont.write_text("\n".join(lines) + "\n")
    assert run(["hisig", "--ont", str(ont), "--scores", str(brca),
                "--out", str(out), "--permutations", "200"]) == 0
    table = pd.read_csv(out, sep="\t").set_index("System_name")
    assert len(table) == 130                                     # 131 NeST systems but the root
    p53 = table.loc["NEST:165"]                                   # TP53 ranks first of the 718 genes (score 4.24)
    assert (p53.Genes, p53.Model_input, p53.Rank_of_model_input) == (
        "TP53,TAF1,MED1,E2F1,HIST3H3", "4.24|1.225|0.833|0.589|0.326", "1|24|45|81|150")
    assert table.loc["NEST:6", "Genes"].startswith("146 genes including: TP53,GATA3,KMT2C,")
    assert table.Selection_pressure.idxmax() == "NEST:6"
    assert table.loc["NEST:6", "Selection_pressure"] == pytest.approx(0.2790, abs=1e-3)
    assert set(table.index[:2]) == {"NEST:6", "NEST:1"} and (table.q.iloc[:2] <= 0.4).all()


def test_hisig_without_signal_is_an_error(tmp_path, u2os_ont, capsys):
    scores = tmp_path / "none.txt"
    scores.write_text("NOTAGENE\t1.0\n")
    assert run(["hisig", "--ont", str(u2os_ont), "--scores", str(scores), "--out", str(tmp_path / "o.tsv"),
                "--permutations", "5"]) == 1
    assert "constant" in capsys.readouterr().err


def test_analyze_list(capsys):
    assert run(["analyze", "--list"]) == 0
    out = capsys.readouterr().out
    assert "hisig-tcga           default" in out and "hisig-ma2018         default" in out


def test_format_summary_nests_dicts():
    lines = format_summary({"map": "M", "runs": {"A": {"tested": 2, "top": "x"}}, "background": {"GO-CC": 5}})
    assert lines == ["  map: M", "  runs:", "    A: tested=2 top=x", "  background: GO-CC=5"]
