"""The REST face of the maps: GET /maps, and POST /maps, DELETE /maps/{name}, POST /maps/{a}/compare/{b} when
the server allows map writes (403 otherwise); exact values on a map made here, errors in the API's error body."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from cellmap_kg.api.app import create_app
from cellmap_kg.api.settings import ApiSettings

NODES = ("R\t5\tPSMA1 PSMA4 PSMB7 SEPT7 NOTAGENE1\t5\n"
         "X\t3\tPSMA1 PSMA4 PSMB7\t5\n"
         "Y\t1\tSEPT7\t5\n")
EDGES = "R\tX\tdefault\nR\tY\tdefault\n"


@pytest.fixture(scope="module")
def writer(map_store, resolver, monkeypatch_module):
    """A client of an app that allows map writes (the resolver handed in, as the app would build it once)."""
    app = create_app(ApiSettings(map_writes_enabled=True), store=map_store)
    app.state.resolver = resolver
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def monkeypatch_module(data_dir):
    mp = pytest.MonkeyPatch()
    mp.setenv("CELLMAP_KG_DATA", str(data_dir))
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def reader(map_store):
    with TestClient(create_app(ApiSettings(), store=map_store), raise_server_exceptions=False) as c:
        yield c


def error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == response.status_code, body
    return body["error"]


def test_get_maps_lists_the_built_maps(reader):
    response = reader.get("/maps")
    assert response.status_code == 200
    rows = {r["map"]: r for r in response.json()}
    assert rows["U2OS-2023-05"]["assemblies"] == 270 and rows["OpenCell-HEK293T"]["cellLine"] == "HEK293T"


def test_writes_are_refused_unless_enabled(reader):
    for response in (reader.post("/maps", json={"map": "x", "content": NODES}),
                     reader.delete("/maps/x"),
                     reader.post("/maps/U2OS-2023-05/compare/NeST")):
        assert response.status_code == 403 and error(response)["code"] == "map_writes_disabled"


def test_add_compare_remove_through_the_api(writer):
    body = {"map": "api-toy", "format": "hidef", "content": NODES, "edges": EDGES, "permutations": 10}
    added = writer.post("/maps", json=body)
    assert added.status_code == 201, added.text
    summary = added.json()
    assert (summary["format"], summary["memberSource"]) == ("hidef", {"HiDeF .nodes genes": 3})
    assert (summary["assemblies"], summary["contains"], summary["memberships"], summary["proteins"]) == (3, 2, 8, 4)
    assert summary["unresolved"] == {"unknown gene": 1}
    assert set(summary["analyses"]) == {"annotation", "size", "multi-localization", "mutation-frequency", "hisig"}
    again = writer.post("/maps", json=body)
    assert again.status_code == 409 and error(again)["code"] == "map_exists"

    compared = writer.post("/maps/api-toy/compare/CM4AI-MDA-MB-468")
    assert compared.status_code == 200 and compared.json()["maps"] == ["api-toy", "CM4AI-MDA-MB-468"]
    counterparts = writer.get("/queries/assembly-counterparts", params={"id": "api-toy:X"})
    assert counterparts.status_code == 200

    removed = writer.delete("/maps/api-toy")
    assert removed.status_code == 200 and removed.json()["assemblies"] == 3
    gone = writer.delete("/maps/api-toy")
    assert gone.status_code == 404 and "no map 'api-toy'" in error(gone)["message"]


def test_malformed_file_names_the_line_not_the_temporary_path(writer):
    response = writer.post("/maps", json={"map": "api-bad", "format": "hidef",
                                          "content": "R\t2\tPSMA1\t5\n", "edges": ""})
    assert response.status_code == 422
    message = error(response)["message"]
    assert message.startswith("hierarchy.nodes:1: cluster R: size column says 2 genes, the gene list has 1")
    assert "api-bad" not in {r["map"] for r in writer.get("/maps").json()}


def test_bad_requests(writer):
    assert writer.post("/maps", json={"map": "a:b", "content": NODES}).status_code == 422
    undetectable = writer.post("/maps", json={"map": "api-x", "content": "hello"})
    assert undetectable.status_code == 422 and "cannot tell the map format" in error(undetectable)["message"]
    declared = writer.delete("/maps/NeST")
    assert declared.status_code == 422 and "declared in sources.yaml" in error(declared)["message"]
    unknown = writer.post("/maps/absent/compare/NeST")
    assert unknown.status_code == 404 and "no cell map 'absent'" in error(unknown)["message"]
