"""Terminal output: progress bars for long work and result tables (rich), shared by the CLI commands."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(stderr=True)
if not console.is_terminal:  # logs and pipes: wide enough for the skip table's examples
    console.width = 160


class BuildUI:
    """Progress bars, one per build phase (``parse``, ``write``, ``analyses``), on stderr.

    ``start(phase, total)`` opens a bar; ``advance(phase, what, n=1)`` moves it and shows what is being done.
    """

    def __init__(self, enabled: bool = True):
        self.progress = Progress(TextColumn("[bold]{task.fields[phase]:>9}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                                 disable=not enabled)
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> BuildUI:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def start(self, phase: str, total: int) -> None:
        """Open the bar of ``phase`` with ``total`` steps."""
        self.tasks[phase] = self.progress.add_task("", total=total, phase=phase)

    def advance(self, phase: str, what: str, n: int = 1) -> None:
        """Advance ``phase`` by ``n`` and show ``what``."""
        self.progress.update(self.tasks[phase], advance=n, description=what)


MAX_ITEMS = 5
"""List items named in a table cell before the rest are counted (``+N more``); ``--format json`` keeps them all."""
LABEL_KEYS = ("symbol", "id", "name", "compartment", "tumourType", "partner", "term", "key")
"""Keys whose value names a map in a summarised list (the first one present), e.g. an assembly by ``id``."""


def render_rows(rows: list[dict], fmt: str = "table", title: str | None = None, out=None) -> None:
    """Print query ``rows`` as a rich ``table``, ``json`` (list of objects, everything kept) or ``csv`` (header +
    rows, nested values as JSON).

    ``table`` stays readable when columns hold maps or lists: a single row prints as a record (one line per
    column: name, value), and nested values are summarised by :func:`summarise` (the first ``MAX_ITEMS`` items by
    name, then ``+N more``)."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows, indent=2, default=str) + "\n")
        return
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row.get(c)) for c in columns])
        out.write(buf.getvalue())
        return
    if len(rows) == 1:
        table = Table(title=title, show_header=False, show_lines=False)
        table.add_column("column", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        for c in columns:
            table.add_row(c, summarise(rows[0][c]))
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*[summarise(row.get(c)) for c in columns])
    Console(file=out, width=200).print(table)
    Console(file=out).print(f"{len(rows)} row(s)")


def summarise(value, max_items: int = MAX_ITEMS) -> str:
    """``value`` as short text for a table cell: ``None`` -> empty, floats to 4 significant digits, a map as
    ``key=value`` pairs (nested lists counted), a list of maps as ``N: a, b, c +K more`` named by their first
    ``LABEL_KEYS`` key, a list of scalars as ``a, b, c +K more``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_scalar(v)}" for k, v in value.items() if v is not None and v != [])
    if isinstance(value, list | tuple):
        if not value:
            return ""
        shown = [_item_name(v) for v in value[:max_items]]
        more = f" +{len(value) - max_items} more" if len(value) > max_items else ""
        count = f"{len(value)}: " if any(isinstance(v, dict) for v in value) else ""
        return count + ", ".join(shown) + more
    return str(value)


def _scalar(value) -> str:
    """A value inside a map: scalars as text, lists as ``[N]``."""
    if isinstance(value, list | tuple):
        return f"[{len(value)}]"
    if isinstance(value, dict):
        return "{...}"
    return summarise(value)


def _item_name(value) -> str:
    if isinstance(value, dict):
        key = next((k for k in LABEL_KEYS if value.get(k) is not None), None)
        return _scalar(value[key]) if key else summarise(value)
    return _scalar(value)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str)
    return str(value)


def counts_table(counts: dict[str, dict[str, int]], title: str = "graph") -> Table:
    """A two-section rich table of node counts per label and relationship counts per type."""
    table = Table(title=title)
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for kind in ("nodes", "relationships"):
        for name, n in sorted(counts.get(kind, {}).items(), key=lambda kv: -kv[1]):
            table.add_row(kind, name, f"{n:,}")
    return table


def skip_table(reports: Iterable) -> Table:
    """Rows read and skipped per source, with reasons and examples (nothing dropped silently)."""
    table = Table(title="skipped input (by source and reason)")
    for col in ("source", "reason", "count", "examples"):
        table.add_column(col)
    for report in reports:
        for reason, n in report.skipped.most_common():
            table.add_row(report.source, reason, f"{n:,}", ", ".join(report.examples[reason][:3]))
    return table
