"""``docker/docker-compose.yml`` and ``docker/Dockerfile``, checked without a Docker engine: Neo4j 5 community
with a healthcheck and a password from the env file, a one-shot loader building into Neo4j, the API after it,
every port on 127.0.0.1 only, and every command a valid ``cellmap-kg`` invocation."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from cellmap_kg.cli import build_parser

DOCKER = Path(__file__).resolve().parents[2] / "docker"
VARIABLE = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    lines = (DOCKER / "env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def cellmap_kg_args(service: dict) -> list[str]:
    """The ``cellmap-kg`` arguments a service runs (image entrypoint ``cellmap-kg``, or a shell line)."""
    if service.get("entrypoint") == ["/bin/sh", "-c"]:
        return service["command"][0]
    return ["cellmap-kg", *service["command"]]


def test_services_and_images(compose):
    assert set(compose["services"]) == {"neo4j", "loader", "api"}
    assert compose["services"]["neo4j"]["image"].endswith("-community")
    for name in ("loader", "api"):
        service = compose["services"][name]
        assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
    assert (DOCKER / ".." / "docker" / "Dockerfile").is_file()


def test_neo4j_image_is_the_tested_server(compose):
    """The compose image runs the Neo4j version of the pom the project's own server is resolved from, with no
    plugins (no APOC), and the same memory as ``Neo4jServer``'s defaults."""
    from cellmap_kg.store.neo4j_server import Neo4jServer, neo4j_version

    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == f"neo4j:{neo4j_version()}-community"
    assert neo4j_version() == "5.26.30"
    environment = neo4j["environment"]
    assert not [k for k in environment if k.startswith("NEO4J_PLUGINS") or "apoc" in k.lower()]
    assert not [v for v in neo4j.get("volumes", []) if v.endswith(":/plugins")]
    server = Neo4jServer(Path("/nonexistent-home"))
    assert environment["NEO4J_server_memory_heap_max__size"].lower() == server.heap_max
    assert environment["NEO4J_server_memory_pagecache_size"].lower() == server.pagecache


def test_every_port_is_bound_to_loopback(compose):
    ports = [p for s in compose["services"].values() for p in s.get("ports", [])]
    assert sorted(ports) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687", "127.0.0.1:8000:8000"]


def test_the_password_comes_from_the_env_file(compose, env_example):
    neo4j = compose["services"]["neo4j"]
    assert neo4j["env_file"] == ".env"
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert "NEO4J_PASSWORD" in env_example and len(env_example["NEO4J_PASSWORD"]) >= 8
    text = (DOCKER / "docker-compose.yml").read_text()
    for name, kind, _ in VARIABLE.findall(text):
        assert kind in ("-", "?") or name in env_example, f"${{{name}}} has no default and is not in env.example"
    assert ".env" in (DOCKER / ".gitignore").read_text().splitlines()  # the password file is never committed


def test_healthchecks_and_start_order(compose):
    services = compose["services"]
    assert "cypher-shell" in " ".join(services["neo4j"]["healthcheck"]["test"])
    assert "/health" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["loader"]["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert services["api"]["depends_on"] == {"neo4j": {"condition": "service_healthy"},
                                             "loader": {"condition": "service_completed_successfully"}}
    assert services["loader"]["restart"] == "no"


def test_loader_fetches_then_builds_into_neo4j_from_the_mounted_data(compose):
    loader = compose["services"]["loader"]
    steps = [shlex.split(step) for step in cellmap_kg_args(loader).split("&&")]
    assert [s[:2] for s in steps] == [["cellmap-kg", "fetch"], ["cellmap-kg", "build"]]
    build = steps[1]
    assert build[build.index("--store") + 1] == "neo4j://neo4j:7687"
    assert build[build.index("--data") + 1] == "/data"
    assert any(v.endswith(":/data") for v in loader["volumes"])
    parser = build_parser()
    for step in steps:
        parser.parse_args(step[1:])  # SystemExit (test error) if the CLI does not accept it


def test_api_serves_neo4j_on_all_container_interfaces(compose):
    api = compose["services"]["api"]
    args = cellmap_kg_args(api)
    assert args[:2] == ["cellmap-kg", "serve"]
    parsed = build_parser().parse_args(args[1:])
    assert (parsed.store, parsed.host, parsed.port) == ("neo4j://neo4j:7687", "0.0.0.0", 8000)
    assert api["environment"]["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")


def test_dockerfile_installs_the_package_and_runs_cellmap_kg():
    text = (DOCKER / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", text, re.MULTILINE)
    assert "COPY cellmap_kg ./cellmap_kg" in text and "pip install ." in text
    assert 'ENTRYPOINT ["cellmap-kg"]' in text
    assert re.search(r"^USER (?!root)\w+", text, re.MULTILINE)
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text().splitlines()
    assert "**" in ignore and "!cellmap_kg/**" in ignore
