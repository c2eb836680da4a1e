"""``GET /proteins/{symbol}`` (approved symbol, or another letter case, an HGNC previous symbol or an alias) and
``GET /proteins`` (all proteins by symbol, or a full-text ``search`` on symbol and name), paginated.

Every answer is a query of the library: ``protein`` (the same record as ``cellmap-kg query protein`` and
``KnowledgeGraph().query("protein", ...)``), ``protein-list`` and ``search``. Name resolution is the ``protein``
query's, case-insensitive as HGNC symbols are used in practice: the approved symbol as written; else in another
letter case; else the previous symbol; else the alias (the first step that finds a protein decides). A name that
is the previous symbol or alias of several proteins is ambiguous: 404 with the candidates in ``details``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from ..access import StoreAccess
from ..errors import ApiError, error_responses, not_found
from ..models import AssemblyRef, Localization, Page, Protein, ProteinSummary
from ..pagination import PageParams, json_safe, page_params
from ..settings import ApiSettings
from . import deps
from .deps import ask, ask_page

router = APIRouter(tags=["proteins"])

RECORD_COLUMNS = ("symbol", "resolvedBy", "labels", "assemblies", "localizations")
"""Columns of the ``protein`` query with a field of their own in ``Protein``; the others go to ``properties``."""


@router.get("/proteins/{symbol}", response_model=Protein, summary="One protein by symbol, previous symbol or alias",
            responses=error_responses(404, 422, 503, 504))
def get_protein(symbol: Annotated[str, Path(min_length=1, max_length=100, description="HGNC symbol (any letter "
                                                                                       "case), previous symbol or "
                                                                                       "alias")],
                response: Response,
                access: Annotated[StoreAccess, Depends(deps.access)],
                settings: Annotated[ApiSettings, Depends(deps.settings)]) -> Any:
    """The ``protein`` library query's record: identifiers, annotations, extra labels (``Bait``, ``Prey``),
    assemblies, localizations and (in ``properties``) every other column - pull-downs, GO terms, complexes,
    mutations. A name other than the approved symbol resolves to it (``resolvedBy``; ``Content-Location`` names the
    canonical URL)."""
    rows = ask(access, settings, "protein", symbol=symbol)
    if not rows:
        raise not_found("protein", symbol)
    if len(rows) > 1:
        hits = [r["symbol"] for r in rows]
        how = rows[0]["resolvedBy"]
        raise ApiError(404, "not_found", f"{symbol!r} is the {how} symbol of several proteins: {', '.join(hits)}; "
                                         "ask for one of them", details={"candidates": hits})
    row = rows[0]
    if row["resolvedBy"] != "approved":
        response.headers["Content-Location"] = f"/proteins/{row['symbol']}"
    return Protein(symbol=row["symbol"], requested=symbol, resolvedBy=row["resolvedBy"], labels=sorted(row["labels"]),
                   properties=json_safe({k: v for k, v in row.items() if k not in RECORD_COLUMNS}),
                   assemblies=[AssemblyRef(**a) for a in row["assemblies"]],
                   localizations=[Localization(**x) for x in row["localizations"]])


@router.get("/proteins", response_model=Page[ProteinSummary], summary="List or search proteins (paginated)",
            responses=error_responses(422, 503, 504))
def list_proteins(request: Request,
                  page: Annotated[PageParams, Depends(page_params)],
                  access: Annotated[StoreAccess, Depends(deps.access)],
                  settings: Annotated[ApiSettings, Depends(deps.settings)],
                  search: Annotated[str | None, Query(min_length=1, max_length=200,
                                                      description="search on symbol, name, previous symbols and "
                                                                  "aliases (the library's search query); words "
                                                                  "match as prefixes")] = None) -> Any:
    """Without ``search``: every protein by symbol (query ``protein-list``), with ``total``. With ``search``: best
    matches first (query ``search``, ``score``), ``total`` null; ``offset + limit`` may not exceed 1000."""
    if search is None:
        rows, total = ask_page(access, settings, "protein-list", page)
        items = [ProteinSummary(symbol=r["symbol"], name=r["name"]) for r in rows]
        next_url = page.next_url(request, total, len(items))
    else:
        page.check_search_window()
        total = None
        hits = ask(access, settings, "search", text=search, labels=["Protein"], limit=page.offset + page.limit)
        items = [ProteinSummary(symbol=h["key"], name=h["name"], score=h["score"]) for h in hits[page.offset:]]
        next_url = page.search_next_url(request, len(items))
    return Page[ProteinSummary](items=items, total=total, limit=page.limit, offset=page.offset, next=next_url)
