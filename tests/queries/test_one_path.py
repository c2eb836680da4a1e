"""One path for every answer: the faces (CLI, Python, REST) send the database only the library's statements, which
the lint test checks; Cypher text of the package's own lives in ``store/`` (backend adapters) and the ``/cypher``
guard only, apart from the modules listed in ``NOT_YET_IN_THE_LIBRARY`` (issue 12).

Two checks: a static one over every module's source (every ``.query(text, ...)`` / ``.explain(text, ...)`` call
must pass a library statement ``spec.cypher`` or a parameter of the enclosing function, i.e. text its caller
chose), and a dynamic one recording every statement the REST routes and ``KnowledgeGraph.query`` send.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

import cellmap_kg
from cellmap_kg.queries.registry import load_queries

PACKAGE = Path(cellmap_kg.__file__).parent
ALLOWED = {
    "store/": "the backend adapters: DDL, full-text and vector procedures, counts (backend-specific by design)",
    "api/cypher_guard.py": "the /cypher guard: checks user Cypher, probes the store with RETURN 1",
    "api/routes/cypher.py": "POST /cypher: runs the guarded user statement, probes the store with RETURN 1",
}
NOT_YET_IN_THE_LIBRARY = {
    "analyses/association_graph.py", "analyses/graph_io.py", "analyses/hisig_graph.py",
    "analyses/known_components.py", "analyses/mutation_frequency.py", "analyses/size_graph.py",
    "export/hcx.py", "export/neo4j_admin.py", "export/rdf.py", "gnn/heterodata.py", "gnn/writeback.py",
    "analyses/map_comparison_graph.py", "analyses/structures_graph.py", "maps/graph.py",
}
"""Graph-bound analysis runners (they write their results back), exporters and the GNN export: they still send
Cypher of their own (writes, or reads built from the schema). The exporters' and the GNN export's statements are
linted as they are sent (``test_the_exporters_and_the_gnn_export_send_statements_the_linter_accepts``); the
runners' and ``maps/graph.py``'s are not yet. Moving their reads into the library is the rest of issue 12; remove
a module from this set when it is done."""


def own_cypher_calls(path: Path) -> list[int]:
    """Lines of ``X.query(text, ...)`` / ``X.explain(text, ...)`` calls in ``path`` whose text is neither a
    library statement (``<spec>.cypher``) nor a parameter of the enclosing function."""
    found: list[int] = []
    scopes: list[set[str]] = [set()]

    class Visitor(ast.NodeVisitor):
        def visit_FunctionDef(self, node):
            a = node.args
            scopes.append({x.arg for x in a.posonlyargs + a.args + a.kwonlyargs})
            self.generic_visit(node)
            scopes.pop()

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Call(self, node):
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in ("query", "explain") and node.args:
                text = node.args[0]
                library = isinstance(text, ast.Attribute) and text.attr == "cypher"
                passed = isinstance(text, ast.Name) and text.id in scopes[-1]
                if not (library or passed):
                    found.append(node.lineno)
            self.generic_visit(node)

    Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_own_cypher_text_is_sent_only_by_the_allowed_modules():
    senders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        lines = own_cypher_calls(path)
        if lines and not any(module.startswith(prefix) for prefix in ALLOWED):
            senders[module] = lines
    assert set(senders) == NOT_YET_IN_THE_LIBRARY, {m: senders.get(m) for m in set(senders) ^ NOT_YET_IN_THE_LIBRARY}


def test_the_detector_flags_literals_constants_and_f_strings(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("Q = 'MATCH (n) RETURN n'\n"
                      "def f(store, spec, text, label):\n"
                      "    store.query(spec.cypher, {})\n"            # library statement: fine
                      "    store.query(text)\n"                       # the caller's text: fine
                      "    store.query(Q)\n"                          # line 5: own constant
                      "    store.query('RETURN 1')\n"                 # line 6: literal
                      "    store.query(f'MATCH (n:{label}) RETURN n')\n"  # line 7: f-string
                      "    local = Q\n"
                      "    store.explain(local)\n")                   # line 9: local variable
    assert own_cypher_calls(module) == [5, 6, 7, 9]


class RecordingStore:
    """The store, with every statement sent through ``query`` recorded (``sent``; ``params``: the last parameter
    map each statement was sent with)."""

    def __init__(self, store):
        self._store, self.sent, self.params = store, [], {}

    def query(self, cypher, params=None, *args, **kwargs):
        self.sent.append(cypher)
        self.params[cypher] = dict(params or {})
        return self._store.query(cypher, params, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


@pytest.fixture(scope="module")
def recording(graph_store):
    return RecordingStore(graph_store)


def test_rest_routes_send_only_library_statements(recording):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    from cellmap_kg.api.app import create_app
    from cellmap_kg.api.settings import ApiSettings

    rnase_p = "U2OS-2023-05:Cluster3-65"
    urls = ["/health", "/proteins/DPP9", "/proteins/p53", "/proteins/PNUTL3", "/proteins/NOT_A_GENE_XYZ",
            "/proteins?limit=3", "/proteins?limit=3&offset=1000000", "/proteins?search=dipeptidyl",
            f"/assemblies/{rnase_p}", f"/assemblies/{rnase_p}/members", f"/assemblies/{rnase_p}/evidence",
            f"/assemblies/{rnase_p}/evidence?format=cx2&types=PROXIMAL_TO", f"/assemblies/{rnase_p}/lineage",
            "/assemblies?map=U2OS-2023-05", "/assemblies?search=ribonuclease&map=U2OS-2023-05",
            "/queries/assembly?id=" + rnase_p, "/queries/search?text=DPP9"]
    recording.sent.clear()
    with TestClient(create_app(ApiSettings(), store=recording), raise_server_exceptions=True) as client:
        statuses = {url: client.get(url).status_code for url in urls}
    assert set(statuses.values()) <= {200, 404}, statuses
    library = {spec.cypher for spec in load_queries().values()}
    assert recording.sent and set(recording.sent) <= library
    assert len(set(recording.sent)) >= 9                   # protein, protein-list, search, assembly ... ran


def test_knowledge_graph_query_sends_the_library_statement(recording):
    from cellmap_kg.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph(recording._store)
    kg.store = recording
    recording.sent.clear()
    kg.query("assembly", id="U2OS-2023-05:Cluster3-65")
    assert recording.sent == [load_queries()["assembly"].cypher]


def test_the_exporters_and_the_gnn_export_send_statements_the_linter_accepts(recording, tmp_path):
    """Three modules of ``NOT_YET_IN_THE_LIBRARY`` build their reads from the schema at run time (the RDF, HCX and
    neo4j-admin exporters; the GNN export's specs): every statement they send while exporting the real graph is
    linted like a library query (Neo4j's linter, the schema's labels, types and properties, the project rules)."""
    from cellmap_kg.export.hcx import export_hcx
    from cellmap_kg.export.neo4j_admin import export_neo4j_admin
    from cellmap_kg.export.rdf import export_rdf
    from cellmap_kg.gnn.heterodata import fetch_rows
    from cellmap_kg.queries.lint import lint_texts

    small = "CM4AI-MDA-MB-468"  # the smallest map: the statements are the same for every map
    recording.sent.clear()
    export_rdf(recording, tmp_path / "map.ttl", maps=[small])
    export_hcx(recording, tmp_path / "map.cx2", map_id=small)
    export_neo4j_admin(recording, tmp_path / "admin", include=["Assembly", "Protein", "MEMBER_OF", "CONTAINS"])
    fetch_rows(recording)
    statements = list(dict.fromkeys(recording.sent))
    assert len(statements) >= 30  # every exporter ran: RDF, HCX, 4 CSV files, 6 node + 13 edge specs
    texts = {f"statement {i}": text for i, text in enumerate(statements)}
    parameters = {f"statement {i}": {k: v[:1] if isinstance(v, list) else v for k, v in recording.params[text].items()}
                  for i, text in enumerate(statements)}
    found = {name: [d for d in ds if d.severity == "error"] for name, ds in lint_texts(texts, parameters).items()}
    assert not any(found.values()), {texts[name]: [d.message for d in ds] for name, ds in found.items() if ds}
