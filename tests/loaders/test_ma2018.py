"""Ma et al. 2018 paediatric driver-gene loader, on the published workbook (sheet TableS2)."""

from __future__ import annotations

import pandas as pd
import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.ma2018 import SHEET, TUMOUR_TYPES, load_ma2018
from cellmap_kg.sources import source_of

MA2018 = source_of(load_ma2018)

FLAT = "pediatric_cancer/ma2018_S2_driver_genes.tsv"        # the shared flattened copy of the same sheet


@pytest.fixture(scope="module")
def loaded(data_dir, resolver, rows_by_key):
    """``(LoadResult, (type, symbol) -> DRIVER_GENE row)`` of the real workbook."""
    result = load_ma2018(MA2018.in_dir(data_dir), resolver)
    return result, rows_by_key(result.relationships, "DRIVER_GENE")


def test_rows_match_schema(loaded, assert_schema):
    assert_schema(loaded[0], MA2018.id)


def test_seven_tumour_types(loaded):
    (batch,) = loaded[0].nodes
    assert [r["name"] for r in batch.rows] == ["Ma2018-B-ALL", "Ma2018-T-ALL", "Ma2018-AML", "Ma2018-NBL",
                                               "Ma2018-WT", "Ma2018-OS", "Ma2018-pan-cancer"]
    assert {r["cohort"] for r in batch.rows} == {"Ma2018"}


def test_known_drivers(loaded):
    driver_of = loaded[1]
    nras = driver_of[("Ma2018-B-ALL", "NRAS")]
    assert nras["pathogenicSamples"] == 104 and nras["qGrin"] == pytest.approx(3.24e-84) and nras["qMutSigCV"] == 0
    assert driver_of[("Ma2018-pan-cancer", "NRAS")]["pathogenicSamples"] == 165
    assert driver_of[("Ma2018-OS", "TP53")]["pathogenicSamples"] == 53
    assert ("Ma2018-WT", "NRAS") not in driver_of                  # 0 samples, q = 1 in both tests


def test_every_pair_agrees_with_the_flattened_copy(data_dir, loaded, resolver):
    """Each (gene, type) of the shared TSV: stored with its count if it has a sample or q < 1, else skipped."""
    drivers, driver_of = loaded
    flat = pd.read_csv(data_dir / FLAT, sep="\t")
    stored = skipped = 0
    for row in flat.itertuples(index=False):
        record = dict(zip(flat.columns, row, strict=True))
        for name, (q_suffix, count_suffix) in TUMOUR_TYPES.items():
            count = int(record[f"Sample Counts (P/LP) | {count_suffix}"])
            key = (f"Ma2018-{name}", resolver.resolve(record["Gene Name"]).symbol)    # HGNC renames
            if count == 0 and record[f"qvalue (GRIN) | {q_suffix}"] == 1 and \
                    record[f"qvalue (MutSigCV) | {q_suffix}"] == 1:
                skipped += 1
                assert key not in driver_of
            elif key in driver_of:
                stored += 1
                assert driver_of[key]["pathogenicSamples"] == count
    assert stored == len(driver_of) and stored > 300
    assert drivers.report.skipped["no P/LP sample and q = 1 in the tumour type (not stored)"] == skipped
    assert len(flat) == 142


def test_bad_q_value_names_the_workbook_row(tmp_path, data_dir, resolver):
    sheet = pd.read_excel(MA2018.in_dir(data_dir).path("workbook"), sheet_name=SHEET, header=None)
    sheet.iloc[7, 2] = 1.5                                      # sheet row 8, qvalue (GRIN) | BALL
    target = MA2018.in_dir(tmp_path).path("workbook")
    target.parent.mkdir(parents=True)
    sheet.to_excel(target, sheet_name=SHEET, header=False, index=False)
    with pytest.raises(DataFormatError, match=r":8: column 'qvalue \(GRIN\) \| BALL': expected a q-value in"):
        load_ma2018(MA2018.in_dir(tmp_path), resolver)
