"""Concurrent requests get the same answers as serial ones (the functional core of ``benchmarks/load.py``, which
runs 32 clients for 60 s over HTTP; here 16 threads, a bounded number of requests, no timing)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

ROOT = "U2OS-2023-05:Cluster0-0"
ROUNDS = 4


def test_concurrent_answers_equal_serial_answers(client, graph_store):
    members = client.get(f"/assemblies/{ROOT}/members?limit=12").json()["items"]
    assemblies = [r["id"] for r in graph_store.query(
        "MATCH (a:Assembly {map: 'U2OS-2023-05'}) RETURN a.id AS id ORDER BY a.size DESC, id LIMIT 8",
        read_only=True)]
    paths = ([f"/proteins/{m['symbol']}" for m in members] + [f"/assemblies/{a}" for a in assemblies]
             + [f"/assemblies/{a}/members?limit=20" for a in assemblies]
             + ["/proteins/NOT-A-SYMBOL", "/queries/uncharacterized-in-mutated-assemblies"])
    expected = {}
    for path in paths:
        response = client.get(path)
        expected[path] = (response.status_code, response.json())
    assert expected["/proteins/NOT-A-SYMBOL"][0] == 404
    assert all(status == 200 for path, (status, _) in expected.items() if "NOT-A" not in path)
    # a served protein's assemblies are its MEMBER_OF targets in the store
    symbol = members[0]["symbol"]
    direct = graph_store.query("MATCH (:Protein {symbol: $s})-[:MEMBER_OF]->(a:Assembly) RETURN a.id AS id",
                               {"s": symbol}, read_only=True)
    assert sorted(a["id"] for a in expected[f"/proteins/{symbol}"][1]["assemblies"]) == sorted(
        r["id"] for r in direct)

    def ask(path: str) -> tuple[str, int, object]:
        response = client.get(path)
        return path, response.status_code, response.json()

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, paths * ROUNDS))
    assert len(answers) == len(paths) * ROUNDS
    wrong = [(path, status) for path, status, body in answers if (status, body) != expected[path]]
    assert wrong == []
