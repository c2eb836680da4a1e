"""Parameter rendering and result normalisation for FalkorDB (pure; the round trip is in test_falkordb_store)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from falkordb import Edge, Node, Path

from cellmap_kg.store.falkordb_values import cypher_literal, iso_duration, params_header, to_plain


def test_cypher_literal_renders_each_type():
    assert cypher_literal(None) == "null"
    assert cypher_literal(True) == "true" and cypher_literal(False) == "false"
    assert cypher_literal(7) == "7" and cypher_literal(0.1) == "0.1" and cypher_literal(1e-300) == "1e-300"
    assert cypher_literal('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert cypher_literal([1, "x", (2.5,)]) == '[1,"x",[2.5]]'
    assert cypher_literal({"key": "A1", "props": {"n": 1}}) == '{`key`:"A1",`props`:{`n`:1}}'
    assert cypher_literal(np.int64(3)) == "3" and cypher_literal(np.float32(0.5)) == "0.5"
    assert cypher_literal(np.bool_(True)) == "true"


def test_cypher_literal_rejects_what_cypher_cannot_express():
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="not a finite number"):
            cypher_literal(bad)
    with pytest.raises(TypeError, match="cannot pass a set"):
        cypher_literal({1, 2})
    with pytest.raises(ValueError, match="backticks"):
        cypher_literal({"a`b": 1})


def test_params_header():
    assert params_header(None) == "" and params_header({}) == ""
    assert params_header({"rows": [{"key": "A"}], "n": 2}) == 'CYPHER `rows`=[{`key`:"A"}] `n`=2 '


def test_to_plain_converts_graph_values():
    a = Node(node_id=1, labels=["Protein", "Bait"], properties={"symbol": "TP53", "uniprot": ["P04637"]})
    b = Node(node_id=2, labels="Assembly", properties={"id": "A:1"})
    r = Edge(1, "MEMBER_OF", 2, edge_id=5, properties={"dataset": "u2os"})
    assert to_plain(a) == {"symbol": "TP53", "uniprot": ["P04637"], "_labels": ["Protein", "Bait"]}
    assert to_plain(r) == {"dataset": "u2os", "_type": "MEMBER_OF"}
    assert to_plain(Path([a, b], [r])) == {"nodes": [to_plain(a), to_plain(b)], "relationships": [to_plain(r)]}
    assert to_plain({"m": [a, 1]}) == {"m": [to_plain(a), 1]}
    assert to_plain(datetime(2024, 2, 29, 12, 0, tzinfo=UTC)) == "2024-02-29T12:00:00+00:00"
    with pytest.raises(TypeError, match="unexpected FalkorDB result value"):
        to_plain(object())


def test_iso_duration():
    assert iso_duration(relativedelta(years=1, months=2, days=3, hours=4, minutes=5, seconds=6)) == "P1Y2M3DT4H5M6S"
    assert iso_duration(relativedelta(seconds=90)) == "PT1M30S"
    assert iso_duration(relativedelta()) == "PT0S"


def test_nul_characters_are_refused_not_sent():
    # FalkorDB reads the parameter header as a C string: a NUL would silently cut the query text
    with pytest.raises(ValueError, match="NUL"):
        cypher_literal("U2OS\x00")
