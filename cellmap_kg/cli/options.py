"""The command-line options ``cellmap-kg`` sub-commands share (``--store``, ``--data``, ``--cache``), declared once."""

from __future__ import annotations

import argparse
from pathlib import Path

STORE_HELP = ("graph store URI: falkordb:///DIR (default ./.cellmap-kg or $CELLMAP_KG_STORE) "
              "or neo4j://HOST:7687 / bolt://HOST:7687")
DATA_HELP = "data directory with the source files (default $CELLMAP_KG_DATA, else ./data)"


def add_store_option(p: argparse.ArgumentParser, purpose: str | None = None) -> None:
    """Add ``--store URI`` (default ``None``: ``open_store`` picks the default store) to ``p``.

    ``purpose`` prefixes the help text, e.g. ``"graph to run the examples on"``.
    """
    p.add_argument("--store", default=None, metavar="URI", help=f"{purpose}; {STORE_HELP}" if purpose else STORE_HELP)


def positive_int(text: str) -> int:
    """An argparse ``type``: an integer >= 1 (else argparse's usage error naming the option and the value)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, found {value}")
    return value


def add_data_option(p: argparse.ArgumentParser) -> None:
    """Add ``--data DIR`` (default ``None``: ``sources.default_data_dir()``) to ``p``."""
    p.add_argument("--data", type=Path, default=None, metavar="DIR", help=DATA_HELP)


def add_cache_option(p: argparse.ArgumentParser) -> None:
    """Add ``--cache DIR`` and ``--no-cache`` (HiSig fits reused across runs, ``analyses.hisig_cache``) to ``p``;
    read them back with ``cache_dir(args)``."""
    p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help="where HiSig fits are kept and reused when their inputs, settings and code are unchanged "
                        "(default $CELLMAP_KG_CACHE, else ./.cellmap-kg/cache)")
    p.add_argument("--no-cache", action="store_true", help="fit every HiSig run again (nothing read or stored)")


def cache_dir(args: argparse.Namespace) -> Path | None:
    """The cache directory chosen by ``add_cache_option``'s options (``None`` with ``--no-cache``)."""
    from ..analyses.hisig_cache import default_cache_dir

    if args.no_cache:
        return None
    return args.cache if args.cache is not None else default_cache_dir()
