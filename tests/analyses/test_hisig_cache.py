"""HiSig fits reused across runs: the same table exactly on a hit, a refit on any change of input or setting."""

from __future__ import annotations

import pandas as pd
import pytest

from cellmap_kg.analyses import hisig_cache
from cellmap_kg.analyses.hisig import hisig
from cellmap_kg.analyses.hisig_cache import HisigCache

MEMBERSHIPS = {"S1": {"a", "b", "c", "d"}, "S2": {"e", "f", "g", "h"}, "S3": {"a", "e"},
               "root": set("abcdefghijklmnop")}
SCORES = pd.Series({"a": 3.0, "b": 3.0, "c": 3.0, "d": 1 / 3, "e": 0.5})
COUNTS = pd.Series({"a": 7, "b": 7, "c": 7, "d": 1, "e": 1})
SETTINGS = {"n_permutations": 50, "seed": 1, "mutation_counts": COUNTS, "max_mutated_proteins": 50}


def _no_fit(*args, **kwargs):
    raise AssertionError("hisig was called: the cache should have answered")


def test_a_hit_returns_the_same_table_and_attrs_exactly_without_fitting(tmp_path, monkeypatch):
    direct = hisig(MEMBERSHIPS, SCORES, **SETTINGS)
    first = HisigCache(tmp_path).fit(MEMBERSHIPS, SCORES, **SETTINGS)
    pd.testing.assert_frame_equal(first, direct)
    monkeypatch.setattr(hisig_cache, "hisig", _no_fit)
    cache = HisigCache(tmp_path)                       # a later build: a new object, the same directory
    again = cache.fit(MEMBERSHIPS, SCORES, **{**SETTINGS, "n_jobs": 1})
    pd.testing.assert_frame_equal(again, direct, check_exact=True)
    assert again.attrs == direct.attrs
    assert again.attrs["excluded"] == {"root": "contains every gene (collinear with the intercept)"}
    assert cache.summary()["reused"] == 1 and cache.summary()["computed"] == 0


@pytest.mark.parametrize("change", [
    {"seed": 2},
    {"n_permutations": 51},
    {"scores": SCORES.drop("e")},
    {"scores": SCORES.add(1e-12)},
    {"memberships": {**MEMBERSHIPS, "S3": {"a", "f"}}},
    {"mutation_counts": COUNTS.replace(7, 8)},
])
def test_any_change_of_input_or_setting_is_a_miss(tmp_path, change):
    cache = HisigCache(tmp_path)
    cache.fit(MEMBERSHIPS, SCORES, **SETTINGS)
    memberships = change.pop("memberships", MEMBERSHIPS)
    scores = change.pop("scores", SCORES)
    table = cache.fit(memberships, scores, **{**SETTINGS, **change})
    assert cache.computed == 2 and cache.reused == 0
    pd.testing.assert_frame_equal(table, hisig(memberships, scores, **{**SETTINGS, **change}))


def test_expected_counts_flag_is_part_of_the_key(tmp_path):
    cache = HisigCache(tmp_path)
    cache.fit(MEMBERSHIPS, SCORES, **SETTINGS)
    flagged = SCORES.copy()
    flagged.attrs["expected"] = True
    assert cache.fit(MEMBERSHIPS, flagged, **SETTINGS).attrs["expectedCounts"] is True
    assert cache.computed == 2


def test_an_unreadable_entry_is_refitted_and_replaced(tmp_path):
    cache = HisigCache(tmp_path)
    direct = cache.fit(MEMBERSHIPS, SCORES, **SETTINGS)
    (entry,) = (tmp_path / "hisig").glob("*.json")
    entry.write_text('{"format": 1, "dtypes": {', encoding="utf-8")      # a truncated file
    again = cache.fit(MEMBERSHIPS, SCORES, **SETTINGS)
    pd.testing.assert_frame_equal(again, direct)
    assert (cache.unreadable, cache.computed) == (1, 2)
    assert HisigCache(tmp_path).fit(MEMBERSHIPS, SCORES, **SETTINGS).equals(direct)   # replaced: readable again
    assert not list((tmp_path / "hisig").glob("*.tmp"))


def test_a_failed_fit_is_not_stored(tmp_path):
    cache = HisigCache(tmp_path)
    with pytest.raises(ValueError, match="constant"):
        cache.fit(MEMBERSHIPS, pd.Series({"a": 0.0}), n_permutations=10)
    assert not (tmp_path / "hisig").exists() or not list((tmp_path / "hisig").iterdir())


def test_default_directory_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(hisig_cache.CACHE_ENV, str(tmp_path / "c"))
    assert hisig_cache.default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv(hisig_cache.CACHE_ENV)
    monkeypatch.chdir(tmp_path)
    assert hisig_cache.default_cache_dir() == tmp_path / ".cellmap-kg" / "cache"
