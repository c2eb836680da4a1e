"""``GET /proteins/{symbol}`` (approved symbol, or an HGNC previous symbol / alias resolved in the graph) and
``GET /proteins`` (all proteins by symbol, or a full-text ``search`` on symbol and name), paginated.

Name resolution follows ``cellmap_kg.loaders.symbols`` with the HGNC lists stored on each ``Protein``
(``previousSymbols``, ``aliases``): the approved symbol as written; else in another letter case; else the
previous symbol of exactly one protein; else the alias of exactly one protein. A name that is the previous
symbol or alias of several proteins is ambiguous: 404 with the candidates in ``details``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from ...store.base import GraphStore
from ..access import StoreAccess
from ..errors import ApiError, error_responses, not_found
from ..models import AssemblyRef, Localization, Page, Protein, ProteinSummary
from ..pagination import PageParams, json_safe, page_params
from ..settings import ApiSettings
from . import deps

router = APIRouter(tags=["proteins"])

"""Search results reachable by paging (``offset + limit``); refine the search text beyond that."""
HIDDEN_PROPERTIES = ("embedding",)
"""Node properties not returned in ``properties`` (large vectors; reachable with ``/cypher``)."""

PROTEIN_CYPHER = """
MATCH (p:Protein {symbol: $symbol})
OPTIONAL MATCH (p)-[:MEMBER_OF]->(a:Assembly)
WITH p, collect(a) AS assemblies
OPTIONAL MATCH (p)-[l:LOCALIZES_TO]->(c:Compartment)
RETURN p AS protein,
       [x IN assemblies | {id: x.id, name: x.name, map: x.map, size: x.size}] AS assemblies,
       collect(CASE WHEN c IS NULL THEN NULL
               ELSE {compartment: c.name, vocabulary: c.vocabulary, dataset: l.dataset} END) AS localizations
"""

RESOLVE_CYPHER = """
MATCH (p:Protein)
WHERE toUpper(p.symbol) = $upper
   OR any(x IN coalesce(p.previousSymbols, []) WHERE toUpper(x) = $upper)
   OR any(x IN coalesce(p.aliases, []) WHERE toUpper(x) = $upper)
RETURN p.symbol AS symbol,
       toUpper(p.symbol) = $upper AS approved,
       any(x IN coalesce(p.previousSymbols, []) WHERE toUpper(x) = $upper) AS previous
ORDER BY symbol LIMIT 100
"""

COUNT_CYPHER = "MATCH (p:Protein) RETURN count(p) AS n"
LIST_CYPHER = ("MATCH (p:Protein) RETURN p.symbol AS symbol, p.name AS name "
               "ORDER BY symbol SKIP $offset LIMIT $limit")
NAMES_CYPHER = "MATCH (p:Protein) WHERE p.symbol IN $symbols RETURN p.symbol AS symbol, p.name AS name"


def resolve_other_name(store: GraphStore, name: str, timeout_ms: int | None = None) -> tuple[str, str]:
    """``(approved symbol, how)`` for a ``name`` that is not itself an approved symbol; ``how`` is ``case``,
    ``previous`` or ``alias``.

    Raises ``ApiError`` 404 if no protein has that name, or several do (candidates in ``details``).
    """
    rows = store.query(RESOLVE_CYPHER, {"upper": name.upper()}, read_only=True, timeout_ms=timeout_ms)
    for how, hits in (("case", [r["symbol"] for r in rows if r["approved"]]),
                      ("previous", [r["symbol"] for r in rows if r["previous"] and not r["approved"]]),
                      ("alias", [r["symbol"] for r in rows if not r["previous"] and not r["approved"]])):
        if len(hits) == 1:
            return hits[0], how
        if hits:
            raise ApiError(404, "not_found", f"{name!r} is the {'symbol' if how == 'case' else how + ' symbol'} of "
                                             f"several proteins: {', '.join(hits)}; ask for one of them",
                           details={"candidates": hits})
    raise not_found("protein", name)


@router.get("/proteins/{symbol}", response_model=Protein, summary="One protein by symbol, previous symbol or alias",
            responses=error_responses(404, 422, 503, 504))
def get_protein(symbol: Annotated[str, Path(min_length=1, max_length=100, description="HGNC symbol, previous "
                                                                                       "symbol or alias")],
                response: Response,
                access: Annotated[StoreAccess, Depends(deps.access)],
                settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """The protein's properties, extra labels (``Bait``, ``Prey``), assemblies and localizations. A previous
    symbol or alias resolves to the approved symbol (``resolvedBy``; ``Content-Location`` names the canonical
    URL)."""
    timeout = settings.query_timeout_ms
    approved, how = symbol, "approved"
    with access.use() as store:
        rows = store.query(PROTEIN_CYPHER, {"symbol": symbol}, read_only=True, timeout_ms=timeout)
        if not rows:
            approved, how = resolve_other_name(store, symbol, timeout)
            rows = store.query(PROTEIN_CYPHER, {"symbol": approved}, read_only=True, timeout_ms=timeout)
    row = rows[0]
    node = dict(row["protein"])
    labels = node.pop("_labels", [])
    for hidden in HIDDEN_PROPERTIES:
        node.pop(hidden, None)
    if how != "approved":
        response.headers["Content-Location"] = f"/proteins/{approved}"
    return Protein(symbol=approved, requested=symbol, resolvedBy=how, labels=sorted(labels),
                   properties=json_safe(node),
                   assemblies=sorted((AssemblyRef(**a) for a in row["assemblies"]), key=lambda a: a.id),
                   localizations=sorted((Localization(**x) for x in row["localizations"]),
                                        key=lambda x: (x.vocabulary or "", x.compartment)))


@router.get("/proteins", response_model=Page[ProteinSummary], summary="List or search proteins (paginated)",
            responses=error_responses(422, 503, 504))
def list_proteins(request: Request,
                  page: Annotated[PageParams, Depends(page_params)],
                  access: Annotated[StoreAccess, Depends(deps.access)],
                  settings: Annotated[ApiSettings, Depends(deps.settings)],
                  search: Annotated[str | None, Query(min_length=1, max_length=200,
                                                      description="full-text search on symbol and name; "
                                                                  "words match as prefixes")] = None) -> Any:
    """Without ``search``: every protein by symbol, with ``total``. With ``search``: best matches first
    (``score``), ``total`` null; ``offset + limit`` may not exceed 1000."""
    timeout = settings.query_timeout_ms
    with access.use() as store:
        if search is None:
            total = store.query(COUNT_CYPHER, read_only=True, timeout_ms=timeout)[0]["n"]
            rows = store.query(LIST_CYPHER, {"offset": page.offset, "limit": page.limit}, read_only=True,
                               timeout_ms=timeout)
            items = [ProteinSummary(**r) for r in rows]
        else:
            page.check_search_window()
            total = None
            hits = store.fulltext_search("Protein", search, limit=page.offset + page.limit)[page.offset:]
            names = {r["symbol"]: r["name"] for r in
                     store.query(NAMES_CYPHER, {"symbols": [h["key"] for h in hits]}, read_only=True,
                                 timeout_ms=timeout)}
            items = [ProteinSummary(symbol=h["key"], name=names.get(h["key"]), score=h["score"]) for h in hits]
    next_url = page.search_next_url(request, len(items)) if search is not None else page.next_url(
        request, total, len(items))
    return Page[ProteinSummary](items=items, total=total, limit=page.limit, offset=page.offset,
                                next=next_url)
