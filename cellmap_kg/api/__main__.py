"""``python -m cellmap_kg.api [options]``: the same as ``cellmap-kg serve [options]``."""

import argparse
import sys

from .cli import add_serve_arguments, cmd_serve

parser = argparse.ArgumentParser(prog="python -m cellmap_kg.api", description="Run the cellmap-kg REST API.")
add_serve_arguments(parser)
sys.exit(cmd_serve(parser.parse_args()))
