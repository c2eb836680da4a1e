"""The read-only guard of ``POST /cypher``: decide from the database's own plan, not from keywords in the text.

A keyword blacklist is easy to slip past (``CALL`` of a writing procedure, ``LOAD CSV``, ``MERGE`` hidden in a
subquery or ``FOREACH``, comments and string literals that look like keywords), so a query is accepted only if
all of these hold:

1. it is one statement (no ``;`` outside comments, literals and brackets, except a trailing one);
2. the backend can plan it (``GraphStore.explain``: FalkorDB ``GRAPH.EXPLAIN``, Neo4j ``EXPLAIN``) and no
   operator of the plan writes or reads outside the graph (``WRITE_OPERATORS``: ``Create``, ``Merge``,
   ``Delete``, ``Update``/``Set...``, ``Remove...``, ``Foreach``, ``Load CSV``, index/constraint and
   administration commands ...);
3. every procedure it ``CALL``s is a known read-only one (``READ_PROCEDURES``; found in the text with comments and
   literals masked, since FalkorDB plans show a bare ``ProcedureCall``);

and it then *runs* in the backend's read-only mode (FalkorDB ``GRAPH.RO_QUERY``, Neo4j read access mode), which
refuses any write the checks above might miss. A timeout and a row limit bound the work (``routes/cypher``).

Example::

    >>> operator_name("        Node By Label Scan | (a:A)")
    'nodebylabelscan'
    >>> called_procedures("CALL db.labels() YIELD label // CALL db.idx.fulltext.drop('x')")
    ['db.labels']
"""

from __future__ import annotations

import math
import re

from ..errors import UserError
from ..queries.cypher_text import masked, top_level_statement_ends
from ..store.base import GraphStore, QueryTimeout, StoreError

WRITE_OPERATORS = (
    "create", "merge", "delete", "detachdelete", "update", "set", "remove", "foreach", "loadcsv",
    "transactionforeach", "transactionapply", "drop", "lockingmerge", "show", "terminate", "grant", "deny",
    "revoke", "alter", "rename", "enable", "start", "stop", "emptyresult", "administration",
)
"""Prefixes of normalised plan operator names (lower case, letters only) that write, load files or administer:
FalkorDB (``Create``, ``Merge``, ``MergeCreate``, ``Delete``, ``Update``, ``Foreach``, ``Load CSV``) and Neo4j 5
(``Create``, ``Merge``, ``Delete``, ``DetachDelete``, ``SetProperty``/``SetLabels``..., ``RemoveLabels``,
``Foreach``, ``LoadCSV``, ``TransactionForeach``, ``CreateIndex``, ``DropConstraint``, ``ShowUsers``, ...;
``AdministrationCommand``, the whole plan of ``SHOW USERS``, ``CREATE USER``, ``CREATE DATABASE`` ... outside the
system database; ``EmptyResult`` ends only plans that return nothing, i.e. updates)."""

READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
    "db.idx.fulltext.querynodes", "db.idx.fulltext.queryrelationships", "db.idx.vector.querynodes",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships", "db.index.vector.querynodes",
    "db.index.vector.queryrelationships", "db.schema.visualization", "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties",
})
"""Procedures ``/cypher`` may call (lower case): schema introspection and index lookups, on both backends."""

_CALL = re.compile(r"(?<![\w.$`])CALL\s+((?:`[^`]*`|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:`[^`]*`|[A-Za-z_][\w$]*))*)",
                   re.IGNORECASE)


class CypherRejected(UserError, ValueError):
    """The query is not accepted by ``/cypher``: ``code`` is ``invalid_cypher`` (not one plannable statement) or
    ``write_rejected`` (it would write or call a procedure that is not known to be read-only)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def operator_name(plan_line: str) -> str:
    """The operator of one plan line, normalised: text before ``|``, without ``@runtime``, letters only, lower."""
    operator = plan_line.split("|", 1)[0].split("@", 1)[0]
    return re.sub(r"[^a-z]", "", operator.lower())


def write_operators(plan: list[str]) -> list[str]:
    """The plan lines whose operator writes (see ``WRITE_OPERATORS``), stripped."""
    return [line.strip() for line in plan if operator_name(line).startswith(WRITE_OPERATORS)]


def called_procedures(cypher: str) -> list[str]:
    """Names of the procedures ``cypher`` calls (``CALL name(...)``), in order, lower case, backticks removed;
    calls inside comments and string literals do not count, ``CALL { ... }`` subqueries are not procedures."""
    text = masked(cypher)
    names = []
    for m in _CALL.finditer(text):
        name = re.sub(r"\s+", "", m.group(1)).replace("`", "")
        names.append(name.lower())
    return names


def non_finite_parameters(value, path: str = "") -> list[str]:
    """Paths (``$x``, ``$m.k``, ``$l[2]``) of the NaN / infinite floats in a parameter map or value: FalkorDB has
    no literal for them and Neo4j would accept them, so ``/cypher`` refuses them on both backends alike."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in non_finite_parameters(v, f"{path}.{k}" if path else f"${k}")]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in non_finite_parameters(v, f"{path}[{i}]")]
    return []


def check_read_only(store: GraphStore, cypher: str, params: dict | None = None) -> str:
    """Raise ``CypherRejected`` unless ``cypher`` is one statement that plans without writing operators and calls
    only ``READ_PROCEDURES``; return the statement to run (``cypher`` without a trailing ``;``).

    Raises ``StoreError`` (not ``CypherRejected``) if the store itself fails, and ``CypherRejected`` with code
    ``invalid_cypher`` carrying the backend's message if it cannot plan the query, or for a NaN / infinite
    parameter (``non_finite_parameters``).
    """
    ends = top_level_statement_ends(cypher)
    if ends and (len(ends) > 1 or cypher[ends[0] + 1:].strip()):
        raise CypherRejected("invalid_cypher", "one statement only: remove the ';' between statements")
    cypher = cypher[:ends[0]] if ends else cypher
    bad = non_finite_parameters(params or {})
    if bad:
        raise CypherRejected("invalid_cypher", f"bad query parameter: {', '.join(bad)} is NaN or infinite "
                                               "(not a Cypher value on every backend)")
    for name in called_procedures(cypher):
        if name not in READ_PROCEDURES:
            raise CypherRejected("write_rejected", f"procedure {name!r} is not one of the read-only procedures "
                                                   f"/cypher may call: {', '.join(sorted(READ_PROCEDURES))}")
    try:
        plan = store.explain(cypher, params)
    except QueryTimeout:
        raise
    except (TypeError, ValueError) as exc:  # a parameter value the backend cannot take (e.g. NaN)
        raise CypherRejected("invalid_cypher", f"bad query parameter: {exc}") from exc
    except StoreError as exc:
        store.query("RETURN 1 AS ok", read_only=True)  # raises StoreError itself if the store is down
        raise CypherRejected("invalid_cypher", f"the database cannot plan the query: {exc}") from exc
    writes = write_operators(plan)
    if writes:
        raise CypherRejected("write_rejected", f"/cypher is read-only; the query plan writes or loads data "
                                               f"({', '.join(dict.fromkeys(writes))})")
    return cypher
