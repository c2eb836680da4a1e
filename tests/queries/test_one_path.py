"""One path for every answer: the faces (CLI, Python, REST) send the database only the library's statements, and
the analyses, exporters, GNN export and maps only library or internal statements (``queries/internal``) and the
store interface's generic reads and writes; all of them are linted. Cypher text of the package's own lives in
``store/`` (backend adapters, ``store/statements.py``) and the ``/cypher`` guard only (issue 12).

Checks: a static one over every module's source (every ``.query(text, ...)`` / ``.explain(text, ...)`` call must
pass a ``.cypher`` file's statement ``spec.cypher`` or a parameter of the enclosing function, i.e. text its caller
chose); dynamic ones recording every statement the REST routes, ``KnowledgeGraph.query``, the exporters and the GNN
export send; and the linter over every statement the store interface builds, for every declared label and type.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

import cellmap_kg
from cellmap_kg.queries.registry import internal_queries, load_queries

PACKAGE = Path(cellmap_kg.__file__).parent
ALLOWED = {
    "store/": "the backend adapters: DDL, full-text and vector procedures, counts (backend-specific by design)",
    "api/cypher_guard.py": "the /cypher guard: checks user Cypher, probes the store with RETURN 1",
    "api/routes/cypher.py": "POST /cypher: runs the guarded user statement, probes the store with RETURN 1",
}
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
    assert senders == {}


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


def test_the_exporters_and_the_gnn_export_send_only_statements_of_cypher_files(recording, tmp_path):
    """The RDF, HCX and neo4j-admin exporters and the GNN export send through ``query`` only library and internal
    statements (linted in ``test_lint.py``); what they build from the schema goes through the store interface's
    generic reads, linted for every declared label and type below."""
    from cellmap_kg.export.hcx import export_hcx
    from cellmap_kg.export.neo4j_admin import export_neo4j_admin
    from cellmap_kg.export.rdf import export_rdf
    from cellmap_kg.gnn.heterodata import fetch_rows

    small = "CM4AI-MDA-MB-468"  # the smallest map: the statements are the same for every map
    recording.sent.clear()
    export_rdf(recording, tmp_path / "map.ttl", maps=[small])
    export_hcx(recording, tmp_path / "map.cx2", map_id=small)
    export_neo4j_admin(recording, tmp_path / "admin", include=["Assembly", "Protein", "MEMBER_OF", "CONTAINS"])
    fetch_rows(recording)
    files = {spec.cypher for spec in [*load_queries().values(), *internal_queries().values()]}
    assert len(set(recording.sent)) >= 6  # map names, proteins, GO terms, clusters, hierarchy, interactions
    assert set(recording.sent) <= files


def _placeholder(value_type: str):
    from cellmap_kg.schema.types import VALUE_TYPES

    return VALUE_TYPES[value_type].placeholder


def store_statements() -> dict[str, tuple[str, dict, bool]]:
    """Every statement shape the store interface's generic methods build, for every declared label and
    relationship type (each end label of each type): ``{name: (cypher, parameters, writes)}``. Each selects on
    every declared property, once by value and once by list."""
    from cellmap_kg.schema import SCHEMA
    from cellmap_kg.store import statements as st

    built: dict[str, tuple[str, dict, bool]] = {}
    for label, node in SCHEMA.nodes.items():
        props = tuple(node.properties)
        equal = {p: _placeholder(t.type) for p, t in node.properties.items()}
        one_of = {p: [v] for p, v in equal.items()}
        built[f"read_nodes {label}"] = (*st.read_nodes_statement(label, props, equal, with_labels=True), False)
        built[f"read_nodes {label} in"] = (*st.read_nodes_statement(label, props, one_of), False)
        built[f"clear_properties {label}"] = (*st.clear_properties_statement(label, props, equal), True)
        built[f"delete_nodes {label}"] = (*st.delete_nodes_statement({label: equal, "Dataset": {"id": "x"}}), True)
    for rel_type, rel in SCHEMA.relationships.items():
        props = tuple(rel.properties)
        where = {p: _placeholder(t.type) for p, t in rel.properties.items()}
        for source in rel.sources:
            for target in rel.targets:
                ends = {"source_label": source, "target_label": target,
                        "source_where": {SCHEMA.key_of(source): ["x"]}, "target_where": {SCHEMA.key_of(target): "x"}}
                name = f"{source}-{rel_type}->{target}"
                built[f"read_relationships {name}"] = (*st.read_relationships_statement(rel_type, props, where,
                                                                                         **ends), False)
                built[f"delete_relationships {name}"] = (*st.delete_relationships_statement(rel_type, where,
                                                                                             **ends), True)
        if props:
            built[f"clear_properties {rel_type}"] = (*st.clear_properties_statement(rel_type, props, where), True)
        built[f"delete_relationships {rel_type}"] = (*st.delete_relationships_statement(rel_type, where), True)
    built["rename_map"] = (st.RENAME_MAP, {"staging": ".staging.m", "name": "m", "cut": 10, "dataset": "user-map:m",
                                           "props": {"name": "m"}}, True)
    return built


def test_the_store_interface_statements_pass_the_linter_for_every_declared_label_and_type():
    """What the store interface builds from schema names at run time (the analyses' deletes and clears, the maps'
    deletes and rename, the exporters' and the GNN export's reads) is linted like a query file, over every
    declared label and relationship type: Neo4j's linter against the schema plus the FalkorDB rules; the
    read-only rule of query files applies to the reads only."""
    from cellmap_kg.queries.lint import lint_texts

    built = store_statements()
    assert len(built) > 150
    found = lint_texts({name: text for name, (text, _, _) in built.items()},
                       {name: params for name, (_, params, _) in built.items()})
    errors = {name: [d for d in ds if d.severity == "error" and not (built[name][2] and d.source == "read-only")]
              for name, ds in found.items()}
    assert not any(errors.values()), {built[n][0]: [d.message for d in ds] for n, ds in errors.items() if ds}
    writes = [name for name, (_, _, w) in built.items() if w]
    assert all(any(d.source == "read-only" for d in found[name]) for name in writes)  # the rule did see them
