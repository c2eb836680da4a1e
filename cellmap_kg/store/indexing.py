r"""Backend-neutral parts of indexing and search: which properties are full-text indexed, how user text becomes
a full-text query (RediSearch for FalkorDB, Lucene for Neo4j), the ``CONTAINS`` fallback, and a guard for names
spliced into Cypher.

Full-text queries: the text is split into lower-case alphanumeric terms (as both engines' default analyzers
tokenize indexed text) and each term of two or more characters matches the word itself or as a prefix, so
"polymer" finds "RNA polymerase II subunit A"; all terms must match. Exact words score higher than prefixes.

Example::

    >>> search_terms("RNA polymerase-II")
    ['rna', 'polymerase', 'ii']
    >>> redisearch_query(["rna", "polymer"])
    '(rna|rna*) (polymer|polymer*)'
    >>> lucene_query(["rna", "polymer"])
    '(rna OR rna* OR *\\:rna*) AND (polymer OR polymer* OR *\\:polymer*)'

Lucene's standard tokenizer (Unicode UAX #29 word breaks) keeps letters joined by a colon in one token, so the id
``NeST:NEST:2`` is indexed as ``nest:nest`` and ``2``; the Lucene query therefore also matches a term that follows
a colon inside a token (``*\:term*``), as RediSearch, which splits at every colon, does.
"""

from __future__ import annotations

import re

from ..schema import SCHEMA, Schema

FULLTEXT_PROPERTIES: dict[str, tuple[str, ...]] = {
    label: node.fulltext for label, node in SCHEMA.nodes.items() if node.fulltext}
"""Node label -> properties of its full-text index (one index per label), from ``fulltext`` in schema.yaml."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TERM = re.compile(r"[a-z0-9]+")
MIN_PREFIX_LENGTH = 2
"""Shortest term searched as a prefix as well (RediSearch refuses one-character prefixes)."""


def identifier(name: str) -> str:
    """Return ``name`` if it is a plain Cypher identifier (label, type or property), else raise ``ValueError``.

    Guards every name that is spliced into Cypher text rather than passed as a parameter.
    """
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a valid label/property name (expected [A-Za-z_][A-Za-z0-9_]*)")
    return name


def fulltext_properties(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Label -> full-text indexed properties declared by ``schema`` (``fulltext`` of each node type; the schema
    parser has already checked they are declared properties)."""
    return {label: node.fulltext for label, node in schema.nodes.items() if node.fulltext}


def search_terms(text: str) -> list[str]:
    """Lower-case alphanumeric terms of ``text`` (punctuation separates terms, as in the index analyzers)."""
    return _TERM.findall(text.lower())


def _alternatives(term: str, sep: str, *extra: str) -> str:
    if len(term) < MIN_PREFIX_LENGTH:
        return term
    return "(" + sep.join((term, f"{term}*", *extra)) + ")"


def redisearch_query(terms: list[str]) -> str:
    """RediSearch query (FalkorDB full-text) requiring every term, each as a word or a word prefix."""
    return " ".join(_alternatives(t, "|") for t in terms)


def lucene_query(terms: list[str]) -> str:
    """Lucene query (Neo4j full-text) requiring every term, each as a word or a word prefix."""
    return " AND ".join(_alternatives(t, " OR ", f"*\\:{t}*") for t in terms)


def contains_search_cypher(label: str, key: str, props: tuple[str, ...]) -> str:
    """Fallback search without a full-text index: nodes of ``label`` whose ``props`` contain ``$text``
    (case-insensitive, ``$text`` already lower-case), best first, at most ``$limit``.

    Score = len(text) / len(matching value) (1.0 for an exact match; the best of the properties). Returns
    columns ``key``, ``score``. Valid Cypher on FalkorDB and Neo4j 5.
    """
    label, key = identifier(label), identifier(key)
    values = ", ".join(f"n.{identifier(p)}" for p in props)
    return (
        f"MATCH (n:{label}) "
        f"WITH n, [v IN [{values}] WHERE v IS NOT NULL AND toLower(toString(v)) CONTAINS $text "
        "| toFloat(size($text)) / size(toString(v))] AS scores WHERE size(scores) > 0 "
        f"RETURN n.{key} AS key, reduce(best = 0.0, s IN scores | CASE WHEN s > best THEN s ELSE best END) AS score "
        "ORDER BY score DESC, key LIMIT $limit"
    )
