"""Project rules for query files that Neo4j's linter cannot know: the query must also run on FalkorDB, and it
must only read.

Every query file runs on both backends (see the project brief): Neo4j 5 accepts constructs FalkorDB does not
implement. The FalkorDB rules follow its "Cypher coverage" page (docs.falkordb.com/cypher/cypher-support: label
expressions unsupported; a mandatory MATCH cannot follow an OPTIONAL MATCH) and the constructs absent from its
grammar (EXISTS/COUNT/COLLECT subqueries, scoped ``CALL (x) {}``, ``elementId()``, ``shortestPath``). Unbounded
variable-length patterns run on both but can walk the whole graph, so the project requires an upper bound.

Rules are checked on the masked text (:func:`cellmap_kg.queries.cypher_text.masked`), so words inside strings
and comments never trigger them.

Example::

    >>> [v.message.split(":")[0] for v in rule_violations("MATCH (p) WHERE EXISTS { (p)-->() } RETURN p")]
    ['EXISTS { } subquery']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cypher_text import bracket_depths, masked


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule at character ``offset`` of the checked text; ``rule`` is ``falkordb`` or ``read-only``."""

    offset: int
    rule: str
    message: str


_SUBQUERY_ADVICE = "use a pattern predicate (WHERE (a)-[:R]->(b)) or OPTIONAL MATCH ... WITH count(...)"

# (rule, pattern on masked text, message)
_PATTERN_RULES: list[tuple[str, re.Pattern, str]] = [
    ("falkordb", re.compile(r"(?<![\w.])EXISTS\s*\{", re.I),
     f"EXISTS {{ }} subquery: not supported by FalkorDB; {_SUBQUERY_ADVICE}"),
    ("falkordb", re.compile(r"(?<![\w.])COUNT\s*\{", re.I),
     f"COUNT {{ }} subquery: not supported by FalkorDB; {_SUBQUERY_ADVICE}"),
    ("falkordb", re.compile(r"(?<![\w.])COLLECT\s*\{", re.I),
     "COLLECT { } subquery: not supported by FalkorDB; use OPTIONAL MATCH ... WITH collect(...)"),
    ("falkordb", re.compile(r"(?<![\w.])CALL\s*\(", re.I),
     "CALL (x) { } scoped subquery: not supported by FalkorDB; use WITH ... OPTIONAL MATCH instead"),
    ("falkordb", re.compile(r"(?<![\w.])elementId\s*\(", re.I),
     "elementId(): not available in FalkorDB; match nodes on their schema key property instead"),
    ("falkordb", re.compile(r"(?<![\w.])(?:all)?shortestPaths?\s*\(", re.I),
     "shortestPath(): not portable between FalkorDB and Neo4j 5; use a bounded variable-length pattern"),
    ("falkordb", re.compile(r"\*\s*(?:(?:\d+\s*)?\.\.\s*)?(?=[\]{])"),
     "unbounded variable-length relationship: give an upper bound (e.g. *1..10) so the walk cannot span the "
     "whole graph"),
    ("read-only", re.compile(r"(?<![\w.$])(?:CREATE|MERGE|SET|DELETE|REMOVE|FOREACH|LOAD\s+CSV)(?!\w)", re.I),
     "write clause: query files only read (they run in read-only transactions); writes belong in build.py or "
     "an analysis"),
]

# A node pattern's label part: "(" optional variable ":" ... up to ")" "{" or WHERE.
_NODE_LABELS = re.compile(r"\(\s*(?:[A-Za-z_]\w*)?\s*:([^(){}]*?)(?=[){]|(?<!\w)WHERE(?!\w))", re.I)
_LABEL_OPERATOR = re.compile(r"[|&!%]")
_CLAUSE = re.compile(r"(?<![\w.$])(OPTIONAL\s+MATCH|MATCH|WITH|UNWIND|RETURN|UNION|CALL)(?!\w)", re.I)


def _label_expressions(text: str) -> list[RuleViolation]:
    found = []
    for m in _NODE_LABELS.finditer(text):
        op = _LABEL_OPERATOR.search(m.group(1))
        if op:
            found.append(RuleViolation(
                m.start(1) + op.start(), "falkordb",
                f"label expression with {op.group()!r}: not supported by FalkorDB; use one label in the pattern "
                "and test others in WHERE (n:A OR n:B)"))
    return found


def _match_after_optional(text: str, depths: list[int]) -> list[RuleViolation]:
    found, optional_seen = [], False
    for m in _CLAUSE.finditer(text):
        if depths[m.start()] != 0:
            continue
        clause = " ".join(m.group(1).upper().split())
        if clause == "OPTIONAL MATCH":
            optional_seen = True
        elif clause == "MATCH" and optional_seen:
            found.append(RuleViolation(
                m.start(), "falkordb",
                "MATCH after OPTIONAL MATCH: FalkorDB does not allow a mandatory MATCH to follow an optional one; "
                "put the MATCH first or separate them with WITH"))
        elif clause != "MATCH":
            optional_seen = False
    return found


def rule_violations(cypher: str) -> list[RuleViolation]:
    """Every FalkorDB-portability and read-only violation in ``cypher``, in text order."""
    text = masked(cypher, identifiers=True)
    depths = bracket_depths(text)
    found = [RuleViolation(m.start(), rule, message)
             for rule, pattern, message in _PATTERN_RULES for m in pattern.finditer(text)]
    found += _label_expressions(text)
    found += _match_after_optional(text, depths)
    return sorted(found, key=lambda v: v.offset)
