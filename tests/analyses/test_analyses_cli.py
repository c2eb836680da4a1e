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

GO_CC = "music_v1/GO_CC_human_no_hpa.txt"


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
