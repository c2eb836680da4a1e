"""Query files: header parsing, definition errors with file and line, parameter binding, running on a store."""

import doctest
from pathlib import Path

import pytest

import cellmap_kg.queries.registry as registry
from cellmap_kg.queries.registry import (
    QUERY_DIR,
    QueryDefinitionError,
    QueryParameterError,
    UnknownQueryError,
    get_query,
    load_queries,
    parse_query_file,
    run_query,
)

SHIPPED = "uncharacterized-in-mutated-assemblies"

VALID = """\
// name: small-assemblies
// question: Which proteins are members of small assemblies?
// parameters:
//   maxSize: {type: int, default: 50, unit: proteins, description: largest assembly}
//   symbols: {type: "list[string]", description: HGNC symbols to keep}
//   tag: {type: string, default: a, choices: [a, b], description: a choice}
//   strict: {type: bool, default: false, description: a flag}
//   minScore: {type: float, default: 0.5, description: a threshold}
// columns: [assembly, symbol]

MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly)
WHERE a.size <= $maxSize AND p.symbol IN $symbols AND ($tag = 'a' OR $strict) AND a.size > $minScore
RETURN a.id AS assembly, p.symbol AS symbol
"""


def write(tmp_path, text, name="small-assemblies"):
    path = tmp_path / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def spec(tmp_path):
    return parse_query_file(write(tmp_path, VALID))


def test_docstring_examples_hold():
    assert doctest.testmod(registry).failed == 0


def test_shipped_query_header_is_read_as_declared():
    spec = load_queries()[SHIPPED]
    assert spec.path == QUERY_DIR / f"{SHIPPED}.cypher"
    assert spec.question.startswith("Which poorly characterized proteins")
    assert spec.reproduces == "Schaffer et al. 2025, Fig. 5"
    assert spec.columns == ("assembly", "name", "size", "cohort", "tumourType", "q", "selectionPressure",
                            "frequency", "symbol", "pubmedCount")
    params = {n: (p.type, p.default, p.unit) for n, p in spec.parameters.items()}
    assert params == {
        "rule": ("string", "hisig", None),
        "maxQ": ("float", 0.4, "q-value"),
        "tumourType": ("string", "", None),
        "cohort": ("string", "", None),
        "minFrequency": ("float", 0.02, "fraction of tumours"),
        "maxSize": ("int", 50, "proteins"),
        "maxPublications": ("int", 10, "articles"),
        "map": ("string", "U2OS-2023-05", None),
    }
    assert spec.parameters["rule"].choices == ("hisig", "frequency")
    assert "RECURRENTLY_MUTATED_IN" in spec.description and "maxQ" in spec.description
    lines = spec.path.read_text().splitlines()
    assert lines[spec.body_line - 1] == spec.cypher.splitlines()[0]
    assert spec.cypher.startswith("MATCH (a:Assembly {map: $map})")


def test_body_starts_after_header_and_blank_lines(spec):
    assert spec.body_line == 11
    assert spec.cypher.splitlines()[0] == "MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly)"
    assert spec.parameters["symbols"].required and not spec.parameters["maxSize"].required
    assert spec.parameters["tag"].choices == ("a", "b")
    assert spec.defaults() == {"maxSize": 50, "tag": "a", "strict": False, "minScore": 0.5}


def test_bind_converts_command_line_strings(spec):
    bound = spec.bind(["maxSize=30", "symbols=TP53, MYC,,", "tag=b", "strict=Yes", "minScore=1e-3"])
    assert bound == {"maxSize": 30, "symbols": ["TP53", "MYC"], "tag": "b", "strict": True, "minScore": 0.001}
    assert type(bound["minScore"]) is float


def test_bind_fills_defaults_and_accepts_typed_values(spec):
    bound = spec.bind({"symbols": ["TP53"], "minScore": 2, "strict": None})
    assert bound == {"maxSize": 50, "symbols": ["TP53"], "tag": "a", "strict": False, "minScore": 2.0}
    assert type(bound["minScore"]) is float


@pytest.mark.parametrize("raw, parameter, fragment", [
    ({}, "symbols", "missing required parameter 'symbols' (list[string] (comma-separated))"),
    ({"symbols": "X", "maxSize": "3.5"}, "maxSize", "expects int (proteins), got '3.5'"),
    ({"symbols": "X", "maxSize": True}, "maxSize", "expects int (proteins), got True"),
    ({"symbols": "X", "maxSize": 3.0}, "maxSize", "expects int"),
    ({"symbols": "X", "minScore": "nan"}, "minScore", "expects float"),
    ({"symbols": "X", "strict": "maybe"}, "strict", "expects bool, got 'maybe'"),
    ({"symbols": "X", "tag": "c"}, "tag", "expects string, one of 'a', 'b', got 'c'"),
    ({"symbols": [1, 2]}, "symbols", "expects list[string]"),
    ({"symbols": "X", "maxSise": 3}, "maxSise", "unknown parameter 'maxSise'; did you mean 'maxSize'?"),
    (["symbols=X", "maxSize"], None, "expected name=value, got 'maxSize'"),
    (["symbols=X", "symbols=Y"], "symbols", "given twice"),
])
def test_bind_rejects_bad_parameters_naming_them(spec, raw, parameter, fragment):
    with pytest.raises(QueryParameterError) as err:
        spec.bind(raw)
    assert err.value.parameter == parameter
    assert err.value.query == "small-assemblies"
    assert fragment in str(err.value)


@pytest.mark.parametrize("edit, line, fragment", [
    (lambda t: t.replace("// question: Which", "// question: [Which"), 2, "not valid YAML"),
    (lambda t: t.replace("// columns:", "// colums:"), 9, "unknown header key 'colums'"),
    (lambda t: t.replace("// name: small-assemblies", "// name: small_assemblies"), 1, "kebab-case"),
    (lambda t: t.replace("// question: Which proteins are members of small assemblies?\n", ""), 8,
     "lacks the required key 'question'"),
    (lambda t: t.replace("a.size > $minScore", "a.size > $minScor"), 12, "$minScor is used but not declared"),
    (lambda t: t.replace(" AND a.size > $minScore", ""), 8, "'minScore' is declared but never used"),
    (lambda t: t.replace("p.symbol AS symbol", "p.symbol AS gene"), 9, "differ from the final RETURN's columns"),
    (lambda t: t.replace("type: int, default: 50", "type: int, default: 50.5"), 4, "default expects int"),
    (lambda t: t.replace("type: int, default: 50", "type: integer, default: 50"), 4, "type must be one of"),
    (lambda t: t.replace("type: int, default: 50", "type: int, default: '50'"), 4, "is text, not int"),
    (lambda t: t.replace(", description: largest assembly", ""), 4, "a description is required"),
    (lambda t: t.replace("default: a, choices", "default: c, choices"), 6, "default expects string, one of"),
    (lambda t: t.replace("//   strict:", "//   maxSize:"), 7, "key 'maxSize' given twice (first on line 4)"),
    (lambda t: t.replace("//   minScore:", "//   min_score:"), 8, "camelCase"),
    (lambda t: t.replace("[assembly, symbol]", "[assembly, p.symbol]"), 9, "list of identifiers"),
    (lambda t: t.rstrip("\n") + ";\n", 13, "exactly one statement"),
    (lambda t: t.split("\n\n")[0] + "\n", 10, "no Cypher statement"),
    (lambda t: "\n" + t, 1, "expected a header of // lines"),
])
def test_malformed_files_name_file_and_line(tmp_path, edit, line, fragment):
    path = write(tmp_path, edit(VALID))
    with pytest.raises(QueryDefinitionError) as err:
        parse_query_file(path)
    assert (err.value.path, err.value.line) == (path, line), str(err.value)
    assert str(err.value).startswith(f"{path}:{line}: ")
    assert fragment in str(err.value)


def test_load_queries_reads_a_directory_and_names_bad_files(tmp_path):
    write(tmp_path, VALID)
    assert list(load_queries(tmp_path)) == ["small-assemblies"]
    bad = write(tmp_path, VALID.replace("small-assemblies", "other"), name="misnamed")
    with pytest.raises(QueryDefinitionError, match=f"^{bad}:1: name 'other'"):
        load_queries(tmp_path)
    with pytest.raises(FileNotFoundError):
        load_queries(tmp_path / "absent")


def test_get_query_suggests_close_names():
    with pytest.raises(UnknownQueryError, match="did you mean uncharacterized-in-mutated-assemblies"):
        get_query("uncharacterised-in-mutated-assemblies")


class RecordingStore:
    """Answers ``query`` with fixed rows and records each call (only the method QuerySpec.run uses)."""

    def __init__(self, rows):
        self.rows, self.calls = rows, []

    def query(self, cypher, params=None, *, timeout_ms=None, read_only=False):
        self.calls.append((cypher, params, timeout_ms, read_only))
        return self.rows


def test_run_query_sends_the_file_text_with_typed_parameters_read_only():
    row = {"assembly": "U2OS-2023-05:Cluster3-65", "name": "x", "size": 12, "cohort": None, "tumourType": None,
           "q": None, "selectionPressure": None, "frequency": 0.05, "symbol": "ABC", "pubmedCount": 2}
    store = RecordingStore([row])
    assert run_query(store, SHIPPED, maxSize="30", rule="frequency") == [row]
    cypher, params, timeout_ms, read_only = store.calls[0]
    assert cypher == get_query(SHIPPED).cypher
    assert params == {**get_query(SHIPPED).defaults(), "maxSize": 30, "rule": "frequency"}
    assert read_only is True and timeout_ms is None


def test_run_rejects_rows_whose_columns_differ_from_the_header(spec):
    store = RecordingStore([{"assembly": "a", "gene": "TP53"}])
    with pytest.raises(QueryDefinitionError, match="returned columns"):
        spec.run(store, {"symbols": ["TP53"]}, timeout_ms=1000)
    assert store.calls[0][2] == 1000


def test_the_library_is_parsed_once_and_again_only_when_a_file_changes(tmp_path, monkeypatch):
    write(tmp_path, VALID)
    parsed = []
    parse = registry.parse_query_file
    monkeypatch.setattr(registry, "parse_query_file", lambda path: parsed.append(path.name) or parse(path))
    first = load_queries(tmp_path)
    assert load_queries(tmp_path)["small-assemblies"] is first["small-assemblies"] and parsed == [
        "small-assemblies.cypher"]
    version = registry.library_version(tmp_path)
    write(tmp_path, VALID.replace("are members of", "belong to"))
    assert registry.library_version(tmp_path) != version
    assert load_queries(tmp_path)["small-assemblies"].question == "Which proteins belong to small assemblies?"
    write(tmp_path, VALID.replace("small-assemblies", "tiny-assemblies"), name="tiny-assemblies")
    assert sorted(load_queries(tmp_path)) == ["small-assemblies", "tiny-assemblies"]
    assert parsed == ["small-assemblies.cypher"] * 2 + ["small-assemblies.cypher", "tiny-assemblies.cypher"]
    first.clear()                                   # a caller's copy: the cached library is not touched
    assert set(load_queries(tmp_path)) == {"small-assemblies", "tiny-assemblies"}


def test_within_the_recheck_interval_the_package_library_files_are_not_looked_at(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "QUERY_DIR", tmp_path)           # stands in for the package library
    monkeypatch.setattr(registry, "RECHECK_S", 3600.0)
    write(tmp_path, VALID)
    assert load_queries()["small-assemblies"].question == "Which proteins are members of small assemblies?"
    write(tmp_path, VALID.replace("are members of", "belong to"))
    assert load_queries()["small-assemblies"].question == "Which proteins are members of small assemblies?"
    monkeypatch.setattr(registry, "RECHECK_S", 0.0)
    assert load_queries()["small-assemblies"].question == "Which proteins belong to small assemblies?"


def test_internal_statements_are_read_like_the_library_and_each_is_run_by_the_package():
    internal = registry.internal_queries()
    assert internal and not set(internal) & set(load_queries())  # a name means one statement
    sources = "\n".join(p.read_text(encoding="utf-8") for p in Path(registry.__file__).parents[1].rglob("*.py"))
    unused = [name for name in internal if f'"{name}"' not in sources]
    assert unused == []


def test_run_internal_sends_the_internal_file_text_with_typed_parameters_read_only():
    store = RecordingStore([{"id": "M:C1", "size": 3, "name": None, "isRoot": True}])
    assert registry.run_internal(store, "map-assemblies", map="M") == store.rows
    assert store.calls == [(registry.internal_queries()["map-assemblies"].cypher, {"map": "M"}, None, True)]
    with pytest.raises(UnknownQueryError):
        registry.run_internal(store, "assembly")            # a library query is not an internal statement
