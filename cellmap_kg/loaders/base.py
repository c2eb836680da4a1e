"""What every loader returns: typed row batches for the store, plus a report of what was skipped and why.

Loaders are pure: ``loader(source: SourceFiles, resolver: SymbolResolver) -> LoadResult`` reads the files of its
declared source (``source.path(key)``, see ``cellmap_kg.loaders``) and returns rows; it never imports
``cellmap_kg.store``. ``build.py`` validates
the rows against the schema and hands them to the store.

Row conventions:

* ``NodeBatch.rows``: one dict per node with the label's key property and any declared properties.
* ``RelationshipBatch.rows``: one dict per relationship with ``source`` and ``target`` (the key values of the end
  nodes, whose labels the schema declares for the type) plus declared properties. ``dataset`` is filled in by
  ``LoadResult.finalise`` if a loader does not set it.
"""

from __future__ import annotations

import csv
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UserError

MAX_EXAMPLES = 5


class DataFormatError(UserError, ValueError):
    """A source file does not have the expected format.

    The message names the file, the 1-based line (header = line 1) and what was expected, e.g.
    ``bioplex/BioPlex_293T_Network_10K_Dec_2019.tsv:3: column 'pInt': expected a number, found 'abc'``.
    """

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # pickled back from a parse worker process (``parse_pool``) with its three arguments
        return type(self), (self.path, self.line, self.message)


class MissingDataError(UserError, FileNotFoundError):
    """A file the loader needs is not in the data directory (run ``cellmap-kg fetch`` or set ``--data``)."""


@dataclass
class NodeBatch:
    """Nodes of one label. ``extra_labels`` are added to every node of the batch (e.g. ``Bait``)."""

    label: str
    rows: list[dict]
    extra_labels: tuple[str, ...] = ()


@dataclass
class RelationshipBatch:
    """Relationships of one type; rows carry ``source``/``target`` key values and properties.

    ``source_label`` / ``target_label`` name the end labels when the type declares several (``ENRICHED_FOR``).
    """

    type: str
    rows: list[dict]
    source_label: str | None = None
    target_label: str | None = None

    def labels(self, schema) -> tuple[str, str]:
        """(source label, target label) of this batch under ``schema``."""
        rel = schema.relationships[self.type]
        return (self.source_label or rel.source, self.target_label or rel.target)


@dataclass
class LoadReport:
    """Counts of rows read and of rows skipped by reason, with a few examples of each reason.

    Nothing a loader drops is silent: every skipped row goes through ``skip``.
    """

    source: str
    read: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def count_read(self, what: str, n: int = 1) -> None:
        """Count ``n`` input rows of ``what`` (usually a file name)."""
        self.read[what] += n

    def skip(self, reason: str, example: str) -> None:
        """Record one skipped item under ``reason`` (e.g. ``'unknown symbol'``), keeping the first examples."""
        self.skipped[reason] += 1
        if len(self.examples[reason]) < MAX_EXAMPLES:
            self.examples[reason].append(example)

    def merge(self, other: LoadReport) -> None:
        """Add the counts and examples of ``other`` to this report."""
        self.read.update(other.read)
        self.skipped.update(other.skipped)
        for reason, examples in other.examples.items():
            room = MAX_EXAMPLES - len(self.examples[reason])
            self.examples[reason].extend(examples[:room])

    def summary(self) -> str:
        """One human-readable paragraph: rows read and each skip reason with its count and examples."""
        parts = [f"{self.source}: read " + ", ".join(f"{n:,} {w}" for w, n in sorted(self.read.items()))]
        for reason, n in self.skipped.most_common():
            parts.append(f"  skipped {n:,} ({reason}), e.g. {', '.join(self.examples[reason])}")
        return "\n".join(parts)


@dataclass
class LoadResult:
    """Everything one source contributes to the graph."""

    source: str
    nodes: list[NodeBatch] = field(default_factory=list)
    relationships: list[RelationshipBatch] = field(default_factory=list)
    report: LoadReport | None = None

    def __post_init__(self) -> None:
        if self.report is None:
            self.report = LoadReport(self.source)

    def add_nodes(self, label: str, rows: list[dict], extra_labels: tuple[str, ...] = ()) -> None:
        """Append a node batch (ignored if ``rows`` is empty)."""
        if rows:
            self.nodes.append(NodeBatch(label, rows, tuple(extra_labels)))

    def add_relationships(self, rel_type: str, rows: list[dict]) -> None:
        """Append a relationship batch (ignored if ``rows`` is empty)."""
        if rows:
            self.relationships.append(RelationshipBatch(rel_type, rows))

    def finalise(self, dataset_id: str) -> LoadResult:
        """Stamp ``dataset = dataset_id`` on every relationship row that has none; returns ``self``."""
        for batch in self.relationships:
            for row in batch.rows:
                row.setdefault("dataset", dataset_id)
        return self

    def element_count(self) -> int:
        """Total node rows + relationship rows."""
        return sum(len(b.rows) for b in self.nodes) + sum(len(b.rows) for b in self.relationships)


def require(path: Path) -> Path:
    """Return ``path`` if it exists, else raise ``MissingDataError`` naming it."""
    if not path.exists():
        raise MissingDataError(
            f"{path}: file not found. Point --data (or CELLMAP_KG_DATA) at a data directory, "
            "or run `cellmap-kg fetch --data DIR` to download the public files."
        )
    return path


def check_text(path: Path, what: str = "text lines", whole_lines: bool = True) -> None:
    """Check that ``path`` is a whole UTF-8 text file before a reader parses it: not empty, valid UTF-8, and (with
    ``whole_lines``, for line formats) ending with a newline: every line-oriented file of the data directory
    does, and a last line cut off is the mark of an interrupted download or copy.

    Raises:
        MissingDataError: the file does not exist.
        DataFormatError: the file is empty (line 1; ``what`` says what was expected), holds bytes that are not
            UTF-8 (the first such line and column), or its last line has no newline (that line; ``whole_lines``).
    """
    data = require(path).read_bytes()
    if not data.strip():
        raise DataFormatError(path, 1, f"expected {what}, found an empty file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataFormatError(path, line, f"expected UTF-8 text, found byte 0x{data[exc.start]:02x} at column "
                                          f"{column} (save the file as UTF-8)") from None
    if whole_lines and not data.endswith(b"\n"):
        raise DataFormatError(path, data.count(b"\n") + 1, "expected the last line to end with a newline, found "
                                                          "it cut off: the file looks truncated (fetch it again)")


def read_table(path: Path, delimiter: str = "\t", required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, row_dict)`` for each data row of a delimited file with a header line.

    Raises ``DataFormatError`` (naming the file and line) if the file is not whole UTF-8 text (``check_text``), a
    required column is missing from the header or a row has more fields than the header.
    """
    check_text(path, "a header line")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise DataFormatError(path, 1, "expected a header line, found an empty file") from None
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise DataFormatError(path, 1, f"expected columns {missing} in the header, found {header}")
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) > len(header) and any(x.strip() for x in row[len(header):]):
                raise DataFormatError(path, line, f"expected {len(header)} fields, found {len(row)}")
            yield line, dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))


def parse_float(value: str, path: Path, line: int, column: str, allow_empty: bool = True) -> float | None:
    """``float(value)``, ``None`` for empty/NA if ``allow_empty``; else ``DataFormatError`` naming file/line/column."""
    value = (value or "").strip()
    if value in ("", "NA", "NaN", "nan", "None") and allow_empty:
        return None
    try:
        return float(value)
    except ValueError:
        raise DataFormatError(path, line, f"column {column!r}: expected a number, found {value!r}") from None


def parse_int(value: str, path: Path, line: int, column: str, allow_empty: bool = True) -> int | None:
    """Like ``parse_float`` for integers; accepts Excel-style ``12.0``."""
    number = parse_float(value, path, line, column, allow_empty)
    if number is None:
        return None
    if number != int(number):
        raise DataFormatError(path, line, f"column {column!r}: expected an integer, found {value!r}")
    return int(number)


def excel_id(value: str) -> str:
    """Undo Excel's float mangling of numeric identifiers: ``'4112512.0'`` -> ``'4112512'``; others unchanged."""
    value = value.strip()
    if value.endswith(".0") and value[:-2].isdigit():
        return value[:-2]
    return value


def _check_last_line_fields(path: Path, delimiter: str, names: tuple[str, ...] | None) -> None:
    """For a file allowed to end without a newline: its last line must still hold every field of the header (or
    ``names``), else it was cut off. Raises ``DataFormatError`` naming that line."""
    data = path.read_bytes()
    if data.endswith(b"\n"):
        return
    lines = data.split(b"\n")
    expected = len(names) if names is not None else lines[0].count(delimiter.encode()) + 1
    found = lines[-1].count(delimiter.encode()) + 1
    if found < expected:
        raise DataFormatError(path, len(lines), f"expected {expected} fields on the last line, found {found}: the "
                                                "file looks truncated (fetch it again)")


def read_frame(path: Path, delimiter: str = "\t", required: tuple[str, ...] = (),
               names: tuple[str, ...] | None = None, whole_lines: bool = True) -> pd.DataFrame:
    """Read a delimited file (no quoting) into a DataFrame of strings with a ``line`` column (1-based file line).

    With ``names`` the file has no header and its fields are named ``names``; otherwise line 1 is the header and
    must contain ``required``. Blank lines are dropped (after numbering). A missing trailing field reads as ``""``,
    so callers validate values and name ``line`` in their errors. Faster than ``read_table`` for large files.

    Raises ``MissingDataError`` for an absent file and ``DataFormatError`` (file and line) for a file that is not
    whole UTF-8 text (``check_text``; ``whole_lines=False`` for a published file whose last line has no newline),
    an empty header, a missing required column or a line with more fields than the header/``names``.
    """
    check_text(path, "a header line" if names is None else f"lines of {list(names)}", whole_lines=whole_lines)
    if not whole_lines:
        _check_last_line_fields(path, delimiter, names)
    if names is None:
        with open(path, encoding="utf-8") as fh:
            columns = [c.strip() for c in fh.readline().rstrip("\r\n").split(delimiter)]
        if columns == [""]:
            raise DataFormatError(path, 1, "expected a header line, found an empty line")
        missing = [c for c in required if c not in columns]
        if missing:
            raise DataFormatError(path, 1, f"expected columns {missing} in the header, found {columns}")
    else:
        columns = list(names)
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)  # pandas truncates long rows with only a warning
        try:
            frame = pd.read_csv(path, sep=delimiter, dtype=str, na_filter=False, quoting=csv.QUOTE_NONE,
                                skip_blank_lines=False, index_col=False, header=None if names else 0, names=columns)
        except (pd.errors.ParserError, pd.errors.ParserWarning):
            line, found = _first_long_line(path, delimiter, len(columns))
            raise DataFormatError(path, line, f"expected {len(columns)} fields {columns}, found {found}") from None
    frame["line"] = frame.index + (1 if names else 2)
    blank = (frame[columns] == "").all(axis=1)
    return frame[~blank].reset_index(drop=True)


def _first_long_line(path: Path, delimiter: str, n_fields: int) -> tuple[int | None, int | None]:
    """``(line, fields)`` of the first line of ``path`` with more than ``n_fields`` fields, or ``(None, None)``."""
    with open(path, encoding="utf-8") as fh:
        for number, text in enumerate(fh, 1):
            fields = text.rstrip("\r\n").count(delimiter) + 1
            if fields > n_fields:
                return number, fields
    return None, None


def check_column(frame: pd.DataFrame, path: Path, column: str, ok: pd.Series, expected: str) -> None:
    """Raise ``DataFormatError`` at the first row of ``frame`` (from ``read_frame``) where ``ok`` is False.

    The message names the file, the row's ``line``, ``column``, what was ``expected`` and the value found.
    """
    ok = ok.fillna(False).astype(bool)
    if not ok.all():
        row = frame.loc[~ok].iloc[0]
        raise DataFormatError(path, int(row["line"]), f"column {column!r}: expected {expected}, found {row[column]!r}")
