"""``cellmap-kg export rdf|hcx|neo4j-admin`` as registered by ``cellmap_kg.export.cli.register`` (parsed and run
in-process on the real graph)."""

from __future__ import annotations

import argparse

import pytest
from rdflib import Graph

from cellmap_kg.export.cli import register
from cellmap_kg.loaders.hcx import read_hcx


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cellmap-kg")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_export_rdf_command(graph_store, tmp_path, capsys):
    out = tmp_path / "cm4ai.ttl"
    assert run(["export", "rdf", str(out), "--map", "CM4AI-MDA-MB-468", "--store", graph_store.uri]) == 0
    triples = len(Graph().parse(out))
    assert f"wrote {triples:,} triples" in capsys.readouterr().out


def test_export_hcx_command(graph_store, tmp_path, capsys):
    out = tmp_path / "cm4ai.cx2"
    assert run(["export", "hcx", str(out), "--map", "CM4AI-MDA-MB-468", "--interactions", "none",
                "--store", graph_store.uri]) == 0
    assert len(read_hcx(out, tmp_path / "cm4ai_interactome.cx2").assemblies) == 8
    assert "wrote 8 assemblies" in capsys.readouterr().out


def test_export_neo4j_admin_command(graph_store, tmp_path, capsys):
    out = tmp_path / "import"
    assert run(["export", "neo4j-admin", str(out), "--only", "Assembly", "--only", "CONTAINS",
                "--import-dir", "/import", "--store", graph_store.uri]) == 0
    printed = capsys.readouterr().out
    assert "--nodes=/import/nodes_Assembly.csv" in printed and "--relationships=/import/rels_CONTAINS.csv" in printed
    assert sorted(p.name for p in out.glob("*.csv")) == ["nodes_Assembly.csv", "rels_CONTAINS.csv"]


def test_export_needs_a_format():
    with pytest.raises(SystemExit):
        run(["export"])
