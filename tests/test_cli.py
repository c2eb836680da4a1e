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
