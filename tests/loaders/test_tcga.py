"""TCGA HiSig per-gene mutation score loader, on the 13 real cohort files."""

from __future__ import annotations

import pytest

from cellmap_kg.loaders.base import DataFormatError, MissingDataError
from cellmap_kg.loaders.tcga import cohort_of, load_tcga_scores
from cellmap_kg.sources import source_of

TCGA = source_of(load_tcga_scores)
SCORE_FILES = {cohort_of(f.path): f.path for f in TCGA.files_with("scores")}
"""Cohort -> declared score file (relative to the data directory), in declaration order."""
COHORTS = tuple(SCORE_FILES)


@pytest.fixture(scope="module")
def scores(data_dir, resolver):
    return load_tcga_scores(TCGA.in_dir(data_dir), resolver)


@pytest.fixture(scope="module")
def score_of(scores, rows_by_key):
    return {pair: row["score"] for pair, row in rows_by_key(scores.relationships, "MUTATION_SCORE").items()}


def _zero_lines(data_dir) -> int:
    zeros = 0
    for cohort in COHORTS:
        with open(data_dir / SCORE_FILES[cohort], encoding="utf-8") as fh:
            zeros += sum(float(line.split("\t")[1]) == 0 for line in fh)
    return zeros


def test_rows_match_schema(scores, assert_schema):
    assert_schema(scores, TCGA.id)


def test_thirteen_tcga_tumour_types(scores):
    (batch,) = scores.nodes
    assert batch.label == "TumourType"
    assert [row["name"] for row in batch.rows] == [f"TCGA-{c.upper()}" for c in COHORTS]
    assert {row["cohort"] for row in batch.rows} == {"TCGA"}


def test_known_breast_cancer_drivers(score_of):
    assert score_of[("TCGA-BRCA", "TP53")] == pytest.approx(4.24)
    assert score_of[("TCGA-BRCA", "PIK3CA")] == pytest.approx(4.156)
    assert score_of[("TCGA-BRCA", "GATA3")] == pytest.approx(3.238)
    assert ("TCGA-BRCA", "A1BG") not in score_of  # score 0.0 in brca.score.txt


def test_scores_are_kept_to_15_significant_digits(score_of):
    """``brca.score.txt`` gives PIK3CA ``4.156000000000001`` and ``blca.score.txt`` AADACL3 ``0.14800000000000002``:
    stored as 4.156 and 0.148, the values FalkorDB returns (15 digits), so both backends hold the same score."""
    assert score_of[("TCGA-BRCA", "PIK3CA")] == 4.156
    assert score_of[("TCGA-BLCA", "AADACL3")] == 0.148
    assert float("0.14800000000000002") != 0.148


def test_only_positive_scores_stored_and_zeros_counted(data_dir, scores, score_of):
    assert all(score > 0 for score in score_of.values())
    assert scores.report.skipped["zero score (not stored)"] == _zero_lines(data_dir) == 184_795
    assert len(COHORTS) == 13
    assert all(scores.report.read[name] == 18_853 for name in SCORE_FILES.values())


def _score_dir(data_dir, tmp_path, slice_file, edits_by_cohort):
    for cohort, name in SCORE_FILES.items():
        slice_file(data_dir / name, tmp_path / name, lines=10, edits=edits_by_cohort.get(cohort))
    return TCGA.in_dir(tmp_path)


def test_bad_score_names_file_and_line(data_dir, tmp_path, slice_file, resolver):
    data = _score_dir(data_dir, tmp_path, slice_file, {"gbm": {7: "ABCA1\thigh"}})
    with pytest.raises(DataFormatError, match=r"gbm\.score\.txt:7: column 'score': expected a finite number, "
                                              r"found 'high'"):
        load_tcga_scores(data, resolver)


def test_name_of_one_gene_twice_keeps_higher_score(data_dir, tmp_path, slice_file, resolver):
    data = _score_dir(data_dir, tmp_path, slice_file, {"ov": {1: "TP53\t2.0", 2: "P53\t3.5"}})
    result = load_tcga_scores(data, resolver)
    rows = [r for r in result.relationships[0].rows if r["source"] == "TCGA-OV" and r["target"] == "TP53"]
    assert [r["score"] for r in rows] == [3.5]
    assert result.report.skipped["gene named twice in a cohort (higher score kept)"] == 1


def test_missing_cohort_file(data_dir, tmp_path, slice_file, resolver):
    data = _score_dir(data_dir, tmp_path, slice_file, {})
    (data.data_dir / SCORE_FILES["ucec"]).unlink()
    with pytest.raises(MissingDataError, match=r"ucec\.score\.txt"):
        load_tcga_scores(data, resolver)
