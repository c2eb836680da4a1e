"""``cellmap_kg.store.base``: the parameter check both backends apply before a statement is sent."""

from __future__ import annotations

import math

import pytest

from cellmap_kg.store.base import BadParameter, check_parameters


class Score(float):
    """A float subclass (numpy's ``float64`` is one): checked like a float."""


class Name(str):
    """A str subclass: checked like a str."""


ROW = {"source": "TP53", "target": "GO:0005634", "props": {"evidence": "IDA", "pValue": 0.01, "n": 3,
                                                           "flag": True, "none": None, "ids": ["P04637", 7]}}


@pytest.mark.parametrize("params", [
    None,
    {},
    {"rows": [ROW, dict(ROW)], "limit": 10},
    {"x": ("a", 1.5, [2.5, {"k": -0.0}])},
    {"x": Score(2.0), "y": Name("ok"), "rows": [{"s": Score(1.0), "t": Name("b")}]},
])
def test_values_every_backend_takes_pass(params):
    check_parameters(params)


@pytest.mark.parametrize(("params", "message"), [
    ({"x": math.nan}, r"\$x = nan is not a finite number"),
    ({"rows": [ROW, {"source": "a", "target": "b", "props": {"pValue": math.inf}}]},
     r"\$rows = inf is not a finite number"),
    ({"rows": [ROW, {"source": "a", "target": "b", "props": {"ids": ["x", -math.inf]}}]},
     r"\$rows = -inf is not a finite number"),
    ({"rows": [{"source": "a\x00b", "target": "b"}]}, r"\$rows contains a NUL character"),
    ({"rows": [{"source": "a", "props": {"e": "x\x00"}}]}, r"\$rows contains a NUL character"),
    ({"rows": [{"bad\x00key": 1}]}, r"\$rows contains a NUL character"),
    ({"m": {"deep": {"deeper": [{"v": Score(math.nan)}]}}}, r"\$m = nan is not a finite number"),
    ({"t": ("ok", Name("n\x00"))}, r"\$t contains a NUL character"),
    ({"rows\x00": 1}, r"contains a NUL character"),
])
def test_nan_infinity_and_nul_are_refused_at_any_depth(params, message):
    with pytest.raises(BadParameter, match=message):
        check_parameters(params)
