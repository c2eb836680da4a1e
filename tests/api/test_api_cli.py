"""``cellmap-kg serve`` options (``cellmap_kg.api.cli``) become ``ApiSettings``."""

from __future__ import annotations

import argparse

import pytest

from cellmap_kg.api.cli import register, settings_from_args
from cellmap_kg.api.settings import ApiSettings


def parse(argv: list[str]):
    parser = argparse.ArgumentParser(prog="cellmap-kg")
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("CELLMAP_KG_STORE", "CELLMAP_KG_API_CYPHER", "CELLMAP_KG_API_CORS_ORIGINS",
                 "CELLMAP_KG_API_CYPHER_TIMEOUT_MS", "CELLMAP_KG_API_MAX_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_loopback_port_8000_and_no_cypher():
    args = parse(["serve"])
    assert (args.host, args.port, args.workers, args.loop) == ("127.0.0.1", 8000, 1, "auto")  # measured: docs/api.md
    assert settings_from_args(args) == ApiSettings()


def test_options_reach_the_settings():
    args = parse(["serve", "--store", "neo4j://localhost:7687", "--cypher", "--cypher-timeout-ms", "250",
                  "--cypher-max-rows", "20", "--query-timeout-ms", "9000", "--cors-origin", "http://a.org",
                  "--cors-origin", "http://b.org", "--max-concurrency", "4", "--port", "9001"])
    assert args.port == 9001
    assert settings_from_args(args) == ApiSettings(
        store_uri="neo4j://localhost:7687", cypher_enabled=True, cypher_timeout_ms=250, cypher_max_rows=20,
        query_timeout_ms=9000, cors_origins=("http://a.org", "http://b.org"), max_concurrency=4)


def test_environment_fills_options_not_given(monkeypatch):
    monkeypatch.setenv("CELLMAP_KG_API_CYPHER", "1")
    monkeypatch.setenv("CELLMAP_KG_STORE", "neo4j://neo4j:7687")
    monkeypatch.setenv("CELLMAP_KG_API_CORS_ORIGINS", "http://env.org")
    settings = settings_from_args(parse(["serve", "--cors-origin", "http://arg.org"]))
    assert settings.cypher_enabled is True and settings.store_uri == "neo4j://neo4j:7687"
    assert settings.cors_origins == ("http://arg.org",)
