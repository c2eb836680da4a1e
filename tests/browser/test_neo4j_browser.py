"""Neo4j Browser, used as a person uses it, in Debian's headless Chromium (playwright-core, neo4j_browser.mjs).

One Browser session on the session's Neo4j with the full graph: connect with the password, load the project's
style (``:style <url>``) and guide (``:play <url>``) from the API, click the guide's blocks for three questions
(parameters, then the query), paste a script written by ``cellmap-kg export-queries``, and show the parameters.
Every answer the Browser renders is compared with the same question asked through the store. Screenshots of each
step are kept in the pytest temporary directory (the path is printed and named in failures).
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from cellmap_kg.browser import style_text
from cellmap_kg.browser.guide import load_guide
from cellmap_kg.cli import main as cli
from cellmap_kg.queries.registry import run_query

pytestmark = [pytest.mark.neo4j, pytest.mark.parametrize("backend", ["neo4j"], indirect=True)]

DRIVER_TIMEOUT_S = 600
STEP_TIMEOUT_MS = 30_000
PROTEIN_FILL, ASSEMBLY_FILL = "#56B4E9", "#E69F00"  # style.grass: node.Protein / node.Assembly colours
EXPORTED = "assembly-lineage"  # the exported Browser script pasted into the editor


@pytest.fixture(scope="module")
def guide():
    return load_guide()


@pytest.fixture(scope="module")
def exported_script(tmp_path_factory) -> str:
    """``cellmap-kg export-queries`` output for one query, as written to disk."""
    out = tmp_path_factory.mktemp("browser-export")
    assert cli(["export-queries", str(out)]) == 0
    return (out / f"{EXPORTED}.cypher").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def session(browser_graph, guide_api, chromium, browser_driver, exported_script, tmp_path_factory) -> dict:
    """The report of one Browser session: ``{step name: observations}`` plus ``_connectMs`` etc."""
    server, _ = browser_graph
    artifacts = tmp_path_factory.mktemp("browser-screenshots")
    steps = [
        {"name": "style", "run": f":style {guide_api}/browser/style.grass", "expect": "style"},
        {"name": "guide", "run": f":play {guide_api}/browser/guide.html", "expect": "guide", "screenshot": True},
    ]
    # guide slides 1, 2 and 4 (carousel slides 1, 2, 4 after the title slide): parameters, then the query
    for name, slide, expect in (("dpp9", 1, "graph"), ("evidence", 2, "graph"), ("flagship", 4, "table")):
        steps += [{"name": f"{name}-params", "guide": {"slide": slide, "block": 0}, "expect": "script"},
                  {"name": name, "guide": {"slide": slide, "block": 1}, "expect": expect, "screenshot": True}]
    steps += [{"name": "exported", "run": exported_script, "expect": "script", "screenshot": True},
              {"name": "params", "run": ":params", "expect": "style"}]
    plan = {"browserUrl": server.browser_url, "user": "neo4j", "password": server.password, "chromium": chromium,
            "userDataDir": str(tmp_path_factory.mktemp("chromium-profile")), "artifacts": str(artifacts),
            "timeoutMs": STEP_TIMEOUT_MS, "steps": steps}
    print(f"Neo4j Browser screenshots: {artifacts}")
    try:
        done = subprocess.run(browser_driver, input=json.dumps(plan), capture_output=True, text=True,
                              timeout=DRIVER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the Browser session took over {DRIVER_TIMEOUT_S} s; steps done so far: "
                    f"{artifacts / 'report.json'}")
    assert done.returncode == 0, f"the Browser driver failed: {done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    by_name = {step["name"]: step for step in report["steps"]}
    by_name["_report"] = report
    by_name["_artifacts"] = artifacts
    return by_name


def step(session, name) -> dict:
    """The observations of one step; fails with the Browser's error and the screenshot path."""
    found = session[name]
    assert found["error"] is None, f"{name}: {found['error']} (screenshot {found.get('screenshot')})"
    return found


def cell(text: str):
    """A Browser table cell as a value: strings are shown quoted, numbers and null as JSON."""
    return json.loads(text)


def test_connects_and_fetches_nothing_outside_the_machine(session):
    report = session["_report"]
    assert report["connectMs"] > 0 and report["settingsMs"] >= report["connectMs"]
    assert all(not url.startswith("http://127.0.0.1") for url in report["blocked"])
    assert sorted(p.name for p in session["_artifacts"].glob("*.png")) == sorted(
        f"{s}.png" for s in ("guide", "dpp9", "evidence", "flagship", "exported"))


def test_style_loads_from_the_api(session):
    shown = step(session, "style")
    assert shown["command"].startswith(":style http://127.0.0.1:")
    # the :style frame shows the style now in use: ours, rule for rule
    assert shown["text"].split() == style_text().split()


def test_guide_plays_with_its_slides(session, guide):
    shown = step(session, "guide")
    assert shown["slides"] == 1 + len(guide.slides)
    assert shown["slideText"].startswith(guide.title)
    for slide in guide.slides:
        assert slide.title in shown["slideText"]
    assert re.search(r":style http://127\.0\.0\.1:\d+/browser/style\.grass", shown["slideText"])


@pytest.mark.parametrize("name", ["dpp9", "evidence", "flagship"])
def test_guide_parameter_blocks_run_as_scripts(session, guide, name):
    slide = guide.slides[{"dpp9": 0, "evidence": 1, "flagship": 3}[name]]
    shown = step(session, f"{name}-params")
    # the click copied the block into the editor, and it ran
    assert shown["editor"].split() == shown["command"].split() == slide.param_block.split()
    lines = slide.param_block.splitlines()
    # (a single :param line runs as one command, shown with its ';')
    assert [s["text"].rstrip(";").split() for s in shown["statements"]] == [line.rstrip(";").split() for line in lines]
    assert {s["status"] for s in shown["statements"]} == {"Status: success"}


def test_dpp9_assemblies_are_drawn_with_styled_captions(session, browser_graph):
    _, store = browser_graph
    expected = store.query("MATCH (:Protein {symbol: 'DPP9'})-[:MEMBER_OF]->(a:Assembly {map: 'U2OS-2023-05'}) "
                           "RETURN a.name AS name, a.size AS size")
    shown = step(session, "dpp9")
    proteins = [n for n in shown["nodes"] if n["fill"] == PROTEIN_FILL]
    assemblies = [n for n in shown["nodes"] if n["fill"] == ASSEMBLY_FILL]
    # captioned by symbol (the Browser's own default would be the gene name, "dipeptidyl peptidase 9")
    assert [n["caption"] for n in proteins] == ["DPP9"]
    assert len(assemblies) == len(expected) == len(shown["nodes"]) - 1
    # "{name} ({size})", wrapped over lines and cut with an ellipsis inside the circle
    full = sorted(re.sub(r"\s", "", f"{row['name'] or ''} ({row['size']})") for row in expected)
    drawn = sorted(re.sub(r"\s", "", n["caption"]).rstrip("…") for n in assemblies)
    assert all(any(f.startswith(d) for f in full) for d in drawn), (drawn, full)
    assert any(d.endswith(")") for d in drawn)  # at least one caption is short enough to show the size


def test_assembly_evidence_is_drawn_as_a_network(session, browser_graph, guide):
    _, store = browser_graph
    members = {row["symbol"] for row in store.query(
        "MATCH (:Assembly {id: $id})<-[:MEMBER_OF]-(p:Protein) RETURN p.symbol AS symbol", guide.slides[1].params)}
    shown = step(session, "evidence")
    assert {n["caption"] for n in shown["nodes"] if n["fill"] == PROTEIN_FILL} == members
    assert {"POP1", "RPP30"} <= members  # RNase P/MRP subunits
    assert len(shown["nodes"]) == len(members) + 1
    assert shown["relationships"] >= len(members)  # at least the MEMBER_OF of each member


def test_flagship_question_from_the_guide_shows_the_librarys_rows(session, browser_graph, guide):
    _, store = browser_graph
    slide = guide.slides[3]
    expected = run_query(store, slide.query, **slide.params)
    shown = step(session, "flagship")
    # the click copied the block into the editor (which shows its first lines), and it ran
    assert slide.cypher.split()[:8] == shown["editor"].split()[:8] and shown["command"].split() == slide.cypher.split()
    columns = list(expected[0]) if expected else []
    assert shown["header"] == columns
    assert [[cell(c) for c in row] for row in shown["rows"]] == [[row[c] for c in columns] for row in expected]
    assert "PCDHGA2" in {row["symbol"] for row in expected}


def test_exported_query_script_runs_in_the_browser(session, exported_script):
    shown = step(session, "exported")
    params = [line for line in exported_script.splitlines() if line.startswith(":param ")]
    statements = shown["statements"]
    assert len(statements) == len(params) + 1
    assert [s["text"].split() for s in statements[:-1]] == [p.rstrip(";").split() for p in params]
    body = exported_script.split(params[-1], 1)[1]  # the query, after the comment lines and the :param lines
    assert statements[-1]["text"].split() == body.strip().rstrip(";").split()
    assert {s["status"] for s in statements} == {"Status: success"}
    shown_params = json.loads(step(session, "params")["text"].split("\nSee", 1)[0])
    assert shown_params["symbol"] == "C18orf21"  # the export's example value of the required parameter
