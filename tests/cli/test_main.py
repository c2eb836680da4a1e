"""The `cellmap-kg` command: help that teaches, one-line errors for user mistakes, a real build and query."""

from __future__ import annotations

import json

import pytest

from cellmap_kg.cli import build_parser, main
from cellmap_kg.store import stop_embedded


def test_help_lists_commands_and_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("build", "query", "stats", "fetch", "quick start", "neo4j://"):
        assert word in out


def test_every_subcommand_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.format_help().strip(), name


def test_missing_data_directory_is_a_one_line_error(tmp_path, capsys):
    code = main(["build", "--data", str(tmp_path / "nowhere"), "--store", f"falkordb://{tmp_path / 's'}",
                 "--quiet"])
    err = capsys.readouterr().err
    stop_embedded(f"falkordb://{tmp_path / 's'}")
    assert code == 1
    assert "data file(s) missing" in err and "cellmap-kg fetch" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["0", "two"])
def test_build_jobs_must_be_a_whole_number_of_at_least_one(value, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["build", "--jobs", value])
    assert exited.value.code == 2
    assert f"argument --jobs: expected a whole number >= 1, found {value if value == '0' else repr(value)}" in (
        capsys.readouterr().err)


def test_unknown_query_parameter_names_the_parameter(tmp_path, capsys):
    code = main(["query", "uncharacterized-in-mutated-assemblies", "--param", "maxSize=big",
                 "--store", f"falkordb://{tmp_path / 's'}"])
    err = capsys.readouterr().err
    stop_embedded(f"falkordb://{tmp_path / 's'}")
    assert code == 1
    assert "maxSize" in err and "int" in err


def test_build_a_source_subset_then_query_and_stats(tmp_path, data_dir, capsys):
    uri = f"falkordb://{tmp_path / 's'}"
    try:
        assert main(["build", "--data", str(data_dir), "--store", uri, "--source", "u2os-cellmap-2023-05",
                     "--no-analyses", "--quiet"]) == 0
        capsys.readouterr()
        assert main(["stats", "--format", "json", "--store", uri]) == 0
        counts = json.loads(capsys.readouterr().out)
        assert counts["nodes"]["Assembly"] == 270
        assert counts["relationships"]["CONTAINS"] == 292
    finally:
        stop_embedded(uri)


def test_a_user_error_of_any_module_is_one_line_without_a_traceback(graph_store, tmp_path, capsys):
    code = main(["export", "hcx", str(tmp_path / "out.cx2"), "--map", "Typo", "--store", graph_store.uri])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.startswith("error: no assemblies of map 'Typo'; maps in the graph: [") and err.count("\n") == 1
    assert not (tmp_path / "out.cx2").exists()


def test_every_user_error_class_derives_from_the_one_base():
    from cellmap_kg.analyses.graph_io import AnalysisError
    from cellmap_kg.build import BuildError
    from cellmap_kg.errors import UserError
    from cellmap_kg.export.hcx import HcxExportError
    from cellmap_kg.export.rdf import RdfExportError
    from cellmap_kg.gnn.errors import GNNError
    from cellmap_kg.loaders.base import DataFormatError, MissingDataError
    from cellmap_kg.queries.registry import QueryDefinitionError, QueryParameterError, UnknownQueryError
    from cellmap_kg.schema import SchemaError
    from cellmap_kg.store.base import StoreError

    for error in (AnalysisError, BuildError, HcxExportError, RdfExportError, GNNError, DataFormatError,
                  MissingDataError, QueryDefinitionError, QueryParameterError, UnknownQueryError, SchemaError,
                  StoreError):
        assert issubclass(error, UserError), error
    assert issubclass(MissingDataError, FileNotFoundError) and issubclass(QueryParameterError, ValueError)


def test_query_table_prints_one_row_as_a_record_with_nested_values_summarised(graph_store, capsys):
    from cellmap_kg.queries.registry import run_query

    assert main(["query", "protein", "--param", "symbol=DPP9", "--store", graph_store.uri]) == 0
    out = capsys.readouterr().out
    lines = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines()
             if line.count("│") == 3 and line.split("│")[1].strip()}
    [row] = run_query(graph_store, "protein", symbol="DPP9")
    assert lines["hgncId"] == "HGNC:18648" and lines["resolvedBy"] == "approved"
    assemblies = [a["id"] for a in row["assemblies"]]
    assert lines["assemblies"] == f"{len(assemblies)}: " + ", ".join(assemblies[:5]) + (
        f" +{len(assemblies) - 5} more" if len(assemblies) > 5 else "")
    assert lines["preys"].startswith(f"{len(row['preys'])}: {row['preys'][0]['symbol']}, ")
    assert "{" not in out and '"' not in out                      # no raw JSON of the nested maps


def test_query_json_keeps_every_nested_value(graph_store, capsys):
    from cellmap_kg.queries.registry import run_query

    assert main(["query", "protein", "--param", "symbol=DPP9", "--format", "json", "--store", graph_store.uri]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(run_query(graph_store, "protein",
                                                                                  symbol="DPP9"), default=str))


def test_build_prints_the_flagship_answer_of_the_library_query_with_its_defaults(graph_store, capsys):
    from cellmap_kg.cli.main import FLAGSHIP, flagship_answer
    from cellmap_kg.queries.registry import get_query

    spec = get_query(FLAGSHIP)
    flagship_answer(graph_store)
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())                          # the console wraps long lines
    assert spec.question in err
    rows = spec.run(graph_store)
    if rows:
        assert all(r["symbol"] in captured.out for r in rows)
    else:
        mutated = get_query("mutated-assemblies").run(graph_store, {"tumourType": spec.defaults()["tumourType"]})
        assert all(r["assembly"] in err for r in mutated) and "(q <= 0.4;" in err and "<= 10 PubMed" in err
        assert all(r["symbol"] in captured.out for r in spec.run(graph_store, {"rule": "frequency"}))
