"""The two disciplines every loader follows when it turns file rows into graph rows.

1. A gene named by a file becomes an approved symbol through ``SymbolResolver`` (ids first), or is reported:
   ``resolve_gene`` records every unknown or ambiguous name in the ``LoadReport``.
2. A relationship is stored once per key (usually ``(source, target)``): ``UniqueRelationships`` merges a repeated
   key into the first row (with a rule such as ``keep_max("cosine")``) and counts the repeat in the report.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from .base import LoadReport
from .symbols import SymbolResolver

Merge = Callable[[dict, dict], None]


def resolve_gene(resolver: SymbolResolver, report: LoadReport, symbol: str | None = None, *,
                 entrez: int | str | None = None, ensembl: str | None = None, uniprot: str | None = None,
                 where: str = "") -> str | None:
    """The approved symbol of the gene named by ``symbol`` and/or ids, or ``None`` after reporting why.

    A failure is recorded as ``report.skip("<how> gene", example)`` where ``how`` is ``unknown`` or
    ``ambiguous`` (see ``Resolution``); the example names the gene, its candidates and ``where`` (file:line).
    """
    result = resolver.resolve(symbol, entrez=entrez, ensembl=ensembl, uniprot=uniprot)
    if result.ok:
        return result.symbol
    names = "/".join(str(x) for x in (symbol, entrez, ensembl, uniprot) if x not in (None, ""))
    example = names or "(no name)"
    if result.candidates:
        example += f" -> {{{', '.join(result.candidates)}}}"
    if where:
        example += f" at {where}"
    report.skip(f"{result.how} gene", example)
    return None


def keep_max(prop: str) -> Merge:
    """A merge rule for ``UniqueRelationships.add``: keep the larger value of ``prop``."""

    def merge(kept: dict, new: dict) -> None:
        if new[prop] > kept[prop]:
            kept[prop] = new[prop]

    return merge


class UniqueRelationships:
    """Relationship rows of one type, one per key; repeats are merged and counted.

    Args:
        report: where each repeat is counted, as ``report.skip(reason, str(key))``.
        reason: the skip reason, e.g. ``"duplicate PROXIMAL_TO pair (max cosine kept)"``.

    ``rows`` lists the kept rows in first-seen order.
    """

    def __init__(self, report: LoadReport, reason: str):
        self.report = report
        self.reason = reason
        self._rows: dict[Hashable, dict] = {}

    def add(self, key: Hashable, row: dict, merge: Merge | None = None) -> bool:
        """Keep ``row`` under ``key``; if ``key`` was seen, apply ``merge(kept, row)`` instead and count the repeat.

        Returns True if ``row`` was new.
        """
        kept = self._rows.get(key)
        if kept is None:
            self._rows[key] = row
            return True
        if merge is not None:
            merge(kept, row)
        self.report.skip(self.reason, str(key))
        return False

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> list[dict]:
        """The kept rows, in the order their keys were first seen."""
        return list(self._rows.values())
