"""The Neo4j Browser style and guide as files (cellmap_kg/browser): the style covers the declared schema, the
guide's blocks pass Neo4j's linter, malformed guides are clear errors, the API serves both with CORS, and the
project's Neo4j lets the Browser fetch them. (tests/browser/test_neo4j_browser.py loads them in a real Browser.)"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cellmap_kg.api.app import create_app
from cellmap_kg.api.settings import ApiSettings
from cellmap_kg.browser import style_text
from cellmap_kg.browser.guide import GuideError, guide_html, load_guide
from cellmap_kg.queries.lint import lint_parameters, lint_texts
from cellmap_kg.queries.registry import load_queries
from cellmap_kg.schema import SCHEMA
from cellmap_kg.store.neo4j_server import Neo4jServer

RULE = re.compile(r'(node|relationship)(?:\.(\w+))?\s*\{((?:[^{}"]|"[^"]*")*)\}')


def grass_rules(text: str) -> dict[tuple[str, str | None], dict[str, str]]:
    """``{(kind, label or type): {property: value}}`` of a GRASS text (values unquoted)."""
    rules = {}
    for kind, name, body in RULE.findall(text):
        props = dict(item.split(":", 1) for item in body.split(";") if ":" in item)
        rules[(kind, name or None)] = {k.strip(): v.strip().strip('"') for k, v in props.items()}
    return rules


def test_style_has_a_rule_per_label_whose_caption_names_declared_properties():
    rules = grass_rules(style_text())
    labels = {name for kind, name in rules if kind == "node" and name}
    assert labels == set(SCHEMA.nodes)
    for label in labels:
        caption = rules[("node", label)]["caption"]
        used = re.findall(r"\{(\w+)\}", caption)
        assert used and set(used) <= set(SCHEMA.nodes[label].properties), (label, caption)
        assert re.fullmatch(r"#[0-9A-F]{6}", rules[("node", label)]["color"]), label
    assert rules[("node", "Protein")]["caption"] == "{symbol}"
    assert rules[("node", "Assembly")]["caption"] == "{name} ({size})"
    assert rules[("node", "GOTerm")]["caption"] == "{name}"
    for kind, name in rules:
        if kind == "relationship" and name:
            assert name in SCHEMA.relationships
            used = re.findall(r"\{(\w+)\}", rules[(kind, name)]["caption"])
            assert set(used) <= set(SCHEMA.relationships[name].properties), name


def test_style_has_no_comments_the_browser_parser_would_read_as_selectors():
    # Neo4j Browser's GRASS parser (parseGrass) has no comment syntax: text before '{' becomes the selector.
    assert "/*" not in style_text() and "//" not in style_text()


def test_guide_asks_the_five_questions_with_the_flagship_from_the_library():
    guide = load_guide()
    assert len(guide.slides) == 5
    flagship = guide.slides[3]
    spec = load_queries()["uncharacterized-in-mutated-assemblies"]
    assert flagship.query == spec.name and flagship.cypher == spec.cypher.strip()
    lines = flagship.param_block.splitlines()
    assert lines[0] == ':param rule => "frequency";'
    assert ":param maxSize => 50;" in lines and len(lines) == len(spec.parameters)
    assert guide.slides[0].param_block == ':param symbol => "DPP9";\n:param map => "U2OS-2023-05";'


def test_guide_blocks_pass_neo4j_linter_as_browser_commands():
    library = load_queries()
    texts, params = {}, {}
    for i, slide in enumerate(load_guide().slides):
        texts[f"params{i}"] = slide.param_block
        texts[f"cypher{i}"] = slide.cypher
        params[f"cypher{i}"] = ({**lint_parameters(library[slide.query]), **slide.params} if slide.query
                                else slide.params)
    found = lint_texts(texts, params, console_commands=True)
    assert {name: [d.message for d in ds] for name, ds in found.items() if ds} == {}


def test_guide_html_has_a_slide_per_question_and_escaped_runnable_blocks():
    guide = load_guide()
    page = guide_html(guide, "http://127.0.0.1:8000/browser/style.grass")
    assert page.count("<slide>") == 1 + len(guide.slides)
    assert '<pre class="code runnable">:style http://127.0.0.1:8000/browser/style.grass</pre>' in page
    assert "<title>The multiscale map of human cell architecture</title>" in page
    evidence = guide.slides[1].cypher
    assert "&lt;-[m:MEMBER_OF]-" in page and evidence.replace("<", "&lt;").replace(">", "&gt;") in page
    assert page.count('class="code runnable"') == 1 + 2 * len(guide.slides)


@pytest.mark.parametrize(("text", "message"), [
    ("title: t\nslides: []\n", "non-empty list of slides"),
    ("title: t\nslides:\n  - {title: a, text: b}\n", "slide 1: expected exactly one of cypher"),
    ("title: t\nslides:\n  - {title: a, text: b, query: nope}\n", "slide 1: no library query named 'nope'"),
    ("title: t\nslides:\n  - {title: a, text: b, query: protein, params: {sym: X}}\n",
     "slide 1: query protein has no parameter(s) ['sym']"),
    ("title: t\nslides:\n  - {title: a, text: b, query: uncharacterized-in-mutated-assemblies, "
     "params: {maxSize: big}}\n", "slide 1: expects int (proteins), got 'big'"),
    ("title: t\nslides:\n  - {title: a, cypher: RETURN 1}\n", "slide 1: expected a mapping with title, text"),
    ("title: [t\n", "not valid YAML"),
])
def test_malformed_guide_is_a_clear_error(text, message):
    with pytest.raises(GuideError, match=re.escape(message)):
        load_guide(text)


@pytest.fixture(scope="module")
def api():
    # these routes never touch the store: an unreachable one proves it
    return TestClient(create_app(ApiSettings(store_uri="bolt://127.0.0.1:9")))


def test_api_serves_guide_and_style_with_cors(api):
    origin = {"Origin": "http://127.0.0.1:7474"}
    guide = api.get("/browser/guide.html", headers=origin)
    assert guide.status_code == 200 and guide.headers["content-type"].startswith("text/html")
    assert guide.headers["access-control-allow-origin"] == "*"
    assert ":style http://testserver/browser/style.grass</pre>" in guide.text
    style = api.get("/browser/style.grass", headers=origin)
    assert style.status_code == 200 and style.text == style_text()
    assert style.headers["access-control-allow-origin"] == "*"


def test_api_answers_the_browsers_cors_preflight(api):
    # Neo4j Browser fetches remote guides and styles with Pragma and Cache-Control headers: a preflighted request
    answer = api.options("/browser/guide.html", headers={
        "Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "pragma,cache-control"})
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == "*"
    assert set(answer.headers["access-control-allow-headers"].split(", ")) == {"pragma", "cache-control"}


def test_project_neo4j_allows_the_browser_to_fetch_from_the_local_api(tmp_path):
    server = Neo4jServer(tmp_path, bolt_port=17687, http_port=17474)
    server.configure()
    settings = dict(line.split("=", 1) for line in server.conf_file.read_text().splitlines() if "=" in line)
    assert settings["browser.remote_content_hostname_whitelist"].split(",") == [
        "guides.neo4j.com", "localhost", "127.0.0.1"]
    assert settings["client.allow_telemetry"] == "false"
