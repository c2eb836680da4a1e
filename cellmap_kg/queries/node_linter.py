"""Install and run Neo4j's Cypher linter (npm ``@neo4j-cypher/language-support``) through ``lint_cypher.mjs``.

The npm package, pinned in ``package.json`` / ``package-lock.json`` next to this module, is installed with
``npm ci`` on first use into a cache directory keyed by the hash of those two files (so a version bump installs
afresh): ``$CELLMAP_KG_CACHE/cypher-lint-<hash>/``, default ``$XDG_CACHE_HOME/cellmap-kg`` or
``~/.cache/cellmap-kg``. Nothing is installed inside the repository. Installing needs ``node`` and ``npm`` on
``PATH`` and the npm registry once (about 100 MB, a few seconds); later runs are offline.

The package declares ``engines: node >= 24.11.1``; it runs correctly on Node 20 (checked with 2.0.0-next.38),
so npm's EBADENGINE warning is expected there.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ..errors import UserError

HERE = Path(__file__).parent
PACKAGE_FILES = ("package.json", "package-lock.json")
SCRIPT = "lint_cypher.mjs"
INSTALL_TIMEOUT_S = 600
LINT_TIMEOUT_S = 300


class LintToolError(UserError, RuntimeError):
    """node/npm are missing, the linter could not be installed, or it crashed (the message says which)."""


def cache_root() -> Path:
    """``$CELLMAP_KG_CACHE``, else ``$XDG_CACHE_HOME/cellmap-kg``, else ``~/.cache/cellmap-kg``."""
    if os.environ.get("CELLMAP_KG_CACHE"):
        return Path(os.environ["CELLMAP_KG_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cellmap-kg"


def install_dir(cache_dir: Path | None = None) -> Path:
    """Where the pinned linter is (or will be) installed under ``cache_dir`` (default :func:`cache_root`)."""
    digest = hashlib.sha256()
    for name in PACKAGE_FILES:
        digest.update((HERE / name).read_bytes())
    return Path(cache_dir or cache_root()) / f"cypher-lint-{digest.hexdigest()[:12]}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LintToolError(f"`{name}` was not found on PATH: Node.js (>= 20) with npm is needed to lint Cypher "
                            "with Neo4j's linter (install it, e.g. `apt-get install nodejs npm`)")
    return path


def ensure_installed(cache_dir: Path | None = None) -> Path:
    """Install the pinned linter with ``npm ci`` unless already installed (safe under concurrent callers: a file
    lock serialises installs). Returns the install directory, which holds ``lint_cypher.mjs``. Raises
    ``LintToolError`` if node/npm are missing or npm fails."""
    node, npm = _tool("node"), _tool("npm")
    target = install_dir(cache_dir)
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".installed").exists():
            for name in PACKAGE_FILES:
                shutil.copyfile(HERE / name, target / name)
            try:
                proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
                                      cwd=target, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                raise LintToolError(f"`npm ci` in {target} took longer than {INSTALL_TIMEOUT_S} s") from None
            if proc.returncode != 0:
                raise LintToolError(f"`npm ci` failed in {target} (exit {proc.returncode}): "
                                    f"{proc.stderr.strip()[-2000:]}")
            version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
            (target / ".installed").write_text(f"installed with node {version}\n")
        script = (HERE / SCRIPT).read_bytes()
        if not (target / SCRIPT).exists() or (target / SCRIPT).read_bytes() != script:
            (target / SCRIPT).write_bytes(script)
    return target


def run_linter(queries: list[dict[str, Any]], db_schema: dict[str, Any], *, console_commands: bool = False,
               cache_dir: Path | None = None) -> dict[str, Any]:
    """Lint ``queries`` (``[{"name", "cypher", "parameters": {name: value}}]``) against ``db_schema`` (Neo4j
    ``DbSchema``: labels, relationshipTypes, propertyKeys, graphSchema, defaultLanguage) in one node process.

    Returns the script's JSON: ``{"linter": version, "functions": n, "results": [{"name", "diagnostics":
    [{"severity", "line", "column", "endLine", "endColumn", "message"}]}]}`` with 0-based positions relative to
    each text. ``console_commands=True`` accepts Neo4j Browser commands (``:param x => 1;``). Raises
    ``LintToolError`` if the linter cannot run.
    """
    target = ensure_installed(cache_dir)
    payload = json.dumps({"dbSchema": db_schema, "consoleCommands": console_commands, "queries": queries})
    try:
        proc = subprocess.run([_tool("node"), str(target / SCRIPT)], input=payload, capture_output=True, text=True,
                              timeout=LINT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise LintToolError(f"the Cypher linter took longer than {LINT_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        raise LintToolError(f"the Cypher linter failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout)
