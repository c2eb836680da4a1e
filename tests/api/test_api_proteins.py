"""``/proteins/{symbol}`` (approved symbols, previous symbols and aliases resolved in the graph) and the paginated
``/proteins`` list and search, on the full real graph."""

from __future__ import annotations

import pytest


def test_protein_by_approved_symbol_with_its_assemblies(client):
    response = client.get("/proteins/DPP9")
    assert response.status_code == 200
    body = response.json()
    assert (body["symbol"], body["requested"], body["resolvedBy"]) == ("DPP9", "DPP9", "approved")
    assert body["properties"]["hgncId"] == "HGNC:18648"
    assert body["properties"]["entrezId"] == 91039
    assert "embedding" not in body["properties"]
    assert {"Protein", "Bait"} <= set(body["labels"])
    assemblies = {a["id"]: a for a in body["assemblies"]}
    assert assemblies["U2OS-2023-05:Cluster2-77"]["size"] == 4
    assert "Content-Location" not in response.headers


@pytest.mark.parametrize(("name", "symbol", "how"), [
    ("SEPT1", "SEPTIN1", "previous"),      # HGNC previous symbol (renamed 2019)
    ("KIAA0100", "BLTP2", "previous"),
    ("LFS1", "TP53", "alias"),             # HGNC alias
    ("p53", "TP53", "alias"),              # alias in another letter case
    ("septin1", "SEPTIN1", "case"),
])
def test_previous_symbols_and_aliases_resolve_to_the_approved_symbol(client, name, symbol, how):
    response = client.get(f"/proteins/{name}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["symbol"], body["requested"], body["resolvedBy"]) == (symbol, name, how)
    assert response.headers["Content-Location"] == f"/proteins/{symbol}"


def test_an_alias_of_two_proteins_is_ambiguous_and_names_both(client, error_of):
    error = error_of(client.get("/proteins/PNUTL3"))   # HGNC alias of SEPTIN1 and SEPTIN2
    assert error["code"] == "not_found"
    assert error["details"]["candidates"] == ["SEPTIN1", "SEPTIN2"]


def test_unknown_protein_is_404(client, error_of):
    error = error_of(client.get("/proteins/NOT_A_GENE_XYZ"))
    assert (error["status"], error["code"]) == (404, "not_found")
    assert "NOT_A_GENE_XYZ" in error["message"]


def test_protein_list_is_paginated_by_symbol_with_total_and_next(client, graph_store):
    total = graph_store.query("MATCH (p:Protein) RETURN count(p) AS n")[0]["n"]
    first = client.get("/proteins?limit=5").json()
    second = client.get(first["next"]).json()
    assert first["total"] == second["total"] == total
    symbols = [p["symbol"] for p in first["items"] + second["items"]]
    assert symbols == sorted(symbols) and len(set(symbols)) == 10
    assert second["offset"] == 5
    last = client.get(f"/proteins?limit=5&offset={total - 2}").json()
    assert len(last["items"]) == 2 and last["next"] is None


def test_protein_search_finds_dpp9_by_its_name(client):
    body = client.get("/proteins", params={"search": "dipeptidyl peptidase 9", "limit": 5}).json()
    assert body["items"][0]["symbol"] == "DPP9"
    assert body["items"][0]["name"] == "dipeptidyl peptidase 9"
    assert body["total"] is None


@pytest.mark.parametrize(("query", "parameter"), [
    ("limit=0", "limit"), ("limit=1001", "limit"), ("offset=-1", "offset"), ("limit=abc", "limit"),
    ("search=kinase&offset=990&limit=20", "offset"),
])
def test_bad_page_parameters_are_422_naming_the_parameter(client, error_of, query, parameter):
    error = error_of(client.get(f"/proteins?{query}"))
    assert (error["status"], error["code"], error["parameter"]) == (422, "invalid_parameter", parameter)
