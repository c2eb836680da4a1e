"""The shipped queries on an embedded FalkorDB holding a small graph made to prove each filter."""

import pytest

from cellmap_kg.queries.registry import run_query
from cellmap_kg.store import open_store, stop_embedded

MAP = "U2OS-2023-05"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    uri = f"falkordb://{tmp_path_factory.mktemp('queries') / 'store'}"
    store = open_store(uri)
    store.write_nodes("Protein", [
        {"symbol": "LOWPUB", "pubmedCount": 10},      # exactly at maxPublications: kept
        {"symbol": "ZEROPUB", "pubmedCount": 0},
        {"symbol": "STUDIED", "pubmedCount": 11},     # one article too many
        {"symbol": "NOTINGENE"},                     # no PubMed count: left out
    ])
    store.write_nodes("Assembly", [
        {"id": f"{MAP}:A", "map": MAP, "name": "at threshold", "size": 50, "mutationFrequency": 0.02},
        {"id": f"{MAP}:B", "map": MAP, "name": "frequent", "size": 3, "mutationFrequency": 0.2},
        {"id": f"{MAP}:C", "map": MAP, "name": "too large", "size": 51, "mutationFrequency": 0.5},
        {"id": f"{MAP}:D", "map": MAP, "name": "too rare", "size": 3, "mutationFrequency": 0.019},
        {"id": f"{MAP}:E", "map": MAP, "name": "not analysed", "size": 3},
        {"id": "OTHER:B", "map": "OTHER", "name": "other map", "size": 3, "mutationFrequency": 0.9},
    ])
    store.write_relationships("MEMBER_OF", [
        {"source": p, "target": a} for p in ("LOWPUB", "ZEROPUB", "STUDIED", "NOTINGENE")
        for a in (f"{MAP}:A", f"{MAP}:B", f"{MAP}:C", f"{MAP}:D", f"{MAP}:E", "OTHER:B")])
    yield store
    store.close()
    stop_embedded(uri)


def test_uncharacterized_in_mutated_assemblies_applies_every_filter(store):
    rows = run_query(store, "uncharacterized-in-mutated-assemblies")
    assert [(r["assembly"], r["symbol"]) for r in rows] == [
        (f"{MAP}:B", "LOWPUB"), (f"{MAP}:B", "ZEROPUB"), (f"{MAP}:A", "LOWPUB"), (f"{MAP}:A", "ZEROPUB")]
    assert rows[0] == {"assembly": f"{MAP}:B", "name": "frequent", "size": 3, "frequency": 0.2,
                       "symbol": "LOWPUB", "pubmedCount": 10}


def test_uncharacterized_in_mutated_assemblies_parameters_change_the_answer(store):
    rows = run_query(store, "uncharacterized-in-mutated-assemblies", map="OTHER", maxPublications="0")
    assert [(r["assembly"], r["symbol"], r["frequency"]) for r in rows] == [("OTHER:B", "ZEROPUB", 0.9)]
    rows = run_query(store, "uncharacterized-in-mutated-assemblies", minFrequency=0.01, maxSize=51,
                     maxPublications=11)
    assert {r["assembly"] for r in rows} == {f"{MAP}:A", f"{MAP}:B", f"{MAP}:C", f"{MAP}:D"}
    assert {r["symbol"] for r in rows} == {"LOWPUB", "ZEROPUB", "STUDIED"}
