"""The ``fulltext`` and ``example`` header keys: the registry fills ``$hits`` from the store's full-text search
before the query runs, and checks both keys when it reads the file."""

import pytest

from cellmap_kg.queries.registry import QueryDefinitionError, parse_query_file
from cellmap_kg.store.base import GraphStore

SEARCH = """\
// name: find
// question: Which proteins or complexes match the text?
// fulltext: {text: text, hits: hits, limit: limit, within: labels, labels: [Protein, Complex]}
// parameters:
//   text: {type: string, description: the text}
//   hits: {type: "list[string]", default: [], description: index hits}
//   limit: {type: int, default: 5, description: most hits per label}
//   labels: {type: "list[string]", default: [Protein, Complex], description: labels searched}
// example: {text: DPP9}
// columns: [hit]
UNWIND CASE WHEN size($hits) = 0 THEN [$text] ELSE $hits END AS hit
WITH hit, $labels AS labels, $limit AS limit
RETURN hit
"""


class FakeStore:
    """Answers fulltext_search from a table and records the parameters each query was run with."""

    def __init__(self, found, fulltext=True):
        self.found, self.fulltext, self.searched, self.params = found, fulltext, [], None

    def fulltext_search(self, label, text, limit=20):
        if not self.fulltext:
            raise NotImplementedError
        self.searched.append((label, text, limit))
        return self.found.get(label, [])

    fulltext_search_labels = GraphStore.fulltext_search_labels  # label after label, as a store without its own

    def query(self, cypher, params=None, *, timeout_ms=None, read_only=False):
        self.params = params
        return [{"hit": h} for h in params["hits"] or [params["text"]]]


def write(tmp_path, text, name="find"):
    path = tmp_path / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return parse_query_file(path)


def test_hits_are_label_key_and_score_scaled_to_the_best_of_each_label(tmp_path):
    spec = write(tmp_path, SEARCH)
    store = FakeStore({"Protein": [{"key": "DPP9", "score": 8.0}, {"key": "DPP8", "score": 2.0}],
                       "Complex": [{"key": "CORUM:7901", "score": 3.0}]})
    rows = spec.run(store, {"text": "DPP9"})
    assert [r["hit"] for r in rows] == ["Protein\tDPP9\t1", "Protein\tDPP8\t0.25", "Complex\tCORUM:7901\t1"]
    assert store.searched == [("Protein", "DPP9", 5), ("Complex", "DPP9", 5)]


def test_within_narrows_the_labels_and_given_hits_are_kept(tmp_path):
    spec = write(tmp_path, SEARCH)
    store = FakeStore({"Complex": [{"key": "CORUM:1", "score": 1.0}]})
    spec.run(store, {"text": "x", "labels": ["Complex"], "limit": 2})
    assert store.searched == [("Complex", "x", 2)]
    store = FakeStore({})
    spec.run(store, {"text": "x", "hits": ["Protein\tTP53\t1"]})
    assert store.searched == [] and store.params["hits"] == ["Protein\tTP53\t1"]


def test_store_without_fulltext_leaves_hits_empty_for_the_contains_scan(tmp_path):
    spec = write(tmp_path, SEARCH)
    store = FakeStore({}, fulltext=False)
    assert spec.run(store, {"text": "ribonuclease"}) == [{"hit": "ribonuclease"}]
    assert store.params["hits"] == []


def test_example_is_bound_like_a_command_line(tmp_path):
    spec = write(tmp_path, SEARCH)
    assert spec.example == {"text": "DPP9"}
    assert spec.example_parameters() == {"text": "DPP9", "hits": [], "limit": 5, "labels": ["Protein", "Complex"]}


@pytest.mark.parametrize(("old", "new", "message"), [
    ("hits: hits,", "hits: limit,", "fulltext: hits must name a declared list[string] parameter, got 'limit'"),
    ("text: text,", "text: txt,", "fulltext: text must name a declared string parameter, got 'txt'"),
    ("labels: [Protein, Complex]}", "labels: [Protein, Gene]}", "labels must be a non-empty list of node labels"),
    ("within: labels,", "within: labels, boost: 2,", "fulltext: unknown key(s) ['boost']"),
    ("{type: \"list[string]\", default: [], description: index hits}", "{type: \"list[string]\", description: hits}",
     "the hits parameter 'hits' needs a default"),
])
def test_bad_fulltext_header_names_file_line_and_problem(tmp_path, old, new, message):
    with pytest.raises(QueryDefinitionError) as err:
        write(tmp_path, SEARCH.replace(old, new, 1))
    assert message in str(err.value) and str(err.value).startswith(f"{tmp_path / 'find.cypher'}:3:")


def test_bad_example_names_the_parameter(tmp_path):
    with pytest.raises(QueryDefinitionError, match=r"find.cypher:9: example: .*'limit' expects int"):
        write(tmp_path, SEARCH.replace("{text: DPP9}", "{text: DPP9, limit: many}"))
    with pytest.raises(QueryDefinitionError, match=r"find.cypher:9: example: .*unknown parameter 'txt'"):
        write(tmp_path, SEARCH.replace("{text: DPP9}", "{txt: DPP9}"))
