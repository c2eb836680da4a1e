"""Lexical facts about a Cypher text, found without a database: where its parameters are used, which columns its
final RETURN produces, and a "masked" copy in which comments and literals cannot be mistaken for code.

Masking keeps every character position (and every newline) of the original, so an offset found in the masked text
is the same offset in the original; :func:`line_column` turns it into a 1-based (line, column).

Example::

    >>> masked("MATCH (p) WHERE p.symbol = '$x' // $y\\nRETURN p")
    "MATCH (p) WHERE p.symbol = '  '      \\nRETURN p"
    >>> parameter_uses("RETURN $a, $b, $a")
    {'a': 7, 'b': 11}
    >>> returned_columns("MATCH (p:Protein) RETURN p.symbol AS symbol, count(*) ORDER BY symbol")
    ['symbol', 'count(*)']
"""

from __future__ import annotations

import re

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_RETURN = re.compile(r"(?<![\w.$])RETURN(?!\w)", re.IGNORECASE)
_RETURN_END = re.compile(r"(?<![\w.$])(?:ORDER\s+BY|SKIP|LIMIT|OFFSET|UNION)(?!\w)|;", re.IGNORECASE)
_DISTINCT = re.compile(r"^\s*DISTINCT(?!\w)", re.IGNORECASE)
_ALIAS = re.compile(r"\s+AS\s+(`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)\s*$", re.IGNORECASE)
_OPEN, _CLOSE = "([{", ")]}"


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def masked(cypher: str, *, identifiers: bool = False) -> str:
    """``cypher`` with comments and the contents of string literals replaced by spaces (newlines kept).

    With ``identifiers=True`` the contents of backtick-quoted names (```my col```) are blanked too, so that no
    keyword or bracket inside a name is seen as structure. The result has the length of ``cypher``.
    """
    chars = list(cypher)
    i, n = 0, len(cypher)
    while i < n:
        c = cypher[i]
        if c in "'\"":
            j = i + 1
            while j < n and cypher[j] != c:
                j += 2 if cypher[j] == "\\" else 1
            _blank(chars, i + 1, min(j, n))
            i = j + 1
        elif c == "`":
            j = cypher.find("`", i + 1)
            j = n if j < 0 else j
            if identifiers:
                _blank(chars, i + 1, j)
            i = j + 1
        elif cypher.startswith("//", i):
            j = cypher.find("\n", i)
            j = n if j < 0 else j
            _blank(chars, i, j)
            i = j
        elif cypher.startswith("/*", i):
            j = cypher.find("*/", i + 2)
            j = n if j < 0 else j + 2
            _blank(chars, i, j)
            i = j
        else:
            i += 1
    return "".join(chars)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of character ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parameter_uses(cypher: str) -> dict[str, int]:
    """``{name: offset of its first use}`` for every ``$name`` outside comments and string literals."""
    uses: dict[str, int] = {}
    for m in _PARAMETER.finditer(masked(cypher, identifiers=True)):
        uses.setdefault(m.group(1), m.start())
    return uses


def bracket_depths(text: str) -> list[int]:
    """Nesting depth of ``()``, ``[]`` and ``{}`` at every character of ``text`` (an opening bracket is counted
    at its own position). ``text`` should be masked so that brackets in literals do not count."""
    depths, depth = [], 0
    for c in text:
        if c in _OPEN:
            depth += 1
        depths.append(depth)
        if c in _CLOSE:
            depth = max(depth - 1, 0)
    return depths


def top_level_statement_ends(cypher: str) -> list[int]:
    """Offsets of the ``;`` statement separators outside brackets, comments and literals."""
    text = masked(cypher, identifiers=True)
    depths = bracket_depths(text)
    return [i for i, c in enumerate(text) if c == ";" and depths[i] == 0]


def _split_top_level(text: str, start: int, end: int, depths: list[int]) -> list[tuple[int, int]]:
    spans, item_start = [], start
    for i in range(start, end):
        if text[i] == "," and depths[i] == 0:
            spans.append((item_start, i))
            item_start = i + 1
    spans.append((item_start, end))
    return spans


def final_return_offset(cypher: str) -> int | None:
    """Offset of the last ``RETURN`` outside brackets (the one that names the result columns), or ``None``."""
    text = masked(cypher, identifiers=True)
    depths = bracket_depths(text)
    starts = [m.start() for m in _RETURN.finditer(text) if depths[m.start()] == 0]
    return starts[-1] if starts else None


def returned_columns(cypher: str) -> list[str] | None:
    """Column names of the final top-level ``RETURN``, as Neo4j and FalkorDB name them: the alias after ``AS``
    (without backticks), else the expression text as written. ``None`` if there is no top-level ``RETURN`` or it
    projects ``*`` (the columns then depend on the query's variables)."""
    start = final_return_offset(cypher)
    if start is None:
        return None
    text = masked(cypher, identifiers=True)
    names_kept = masked(cypher)
    depths = bracket_depths(text)
    items_start = start + len("RETURN")
    end = len(text)
    for m in _RETURN_END.finditer(text, items_start):
        if depths[m.start()] == 0:
            end = m.start()
            break
    distinct = _DISTINCT.match(text, items_start)
    if distinct:
        items_start = distinct.end()
    columns = []
    for a, b in _split_top_level(text, items_start, end, depths):
        item = cypher[a:b]
        if text[a:b].strip() == "*":
            return None
        alias = _ALIAS.search(names_kept[a:b])
        if alias:
            name = item[alias.start(1):alias.end(1)]
            columns.append(name[1:-1] if name.startswith("`") and name.endswith("`") else name)
        else:
            columns.append(item.strip())
    return columns
