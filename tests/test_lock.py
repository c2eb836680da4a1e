"""requirements.lock agrees with pyproject.toml: every declared dependency (base + the gnn and test extras) is
pinned there, with hashes, at a version its declared range allows; torch is the one exception (installed first,
see scripts/refresh-lock)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
INSTALLED_FIRST = {"torch"}


def lock_pins(text: str) -> dict[str, tuple[str, int]]:
    """``{canonical name: (version, number of hashes)}`` of a pip-compile style lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\;]+)", line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, n = pins[current]
            pins[current] = (version, n + 1)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in ("gnn", "test"):
        reqs += project["optional-dependencies"][extra]
    return [Requirement(r) for r in reqs]


def test_lock_parser_reads_versions_and_hashes():
    pins = lock_pins("Foo_Bar==1.2 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via x\nbaz==3\n")
    assert pins == {"foo-bar": ("1.2", 2), "baz": ("3", 0)}


def test_every_declared_dependency_is_pinned_in_range_with_hashes():
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    problems = []
    for req in declared():
        name = canonicalize_name(req.name)
        if name in INSTALLED_FIRST:
            assert name not in pins, f"{name} is installed first (pip install torch==2.13.0), not from the lock"
            continue
        if name not in pins:
            problems.append(f"{req} is declared in pyproject.toml but not pinned in requirements.lock")
            continue
        version, hashes = pins[name]
        if not req.specifier.contains(version, prereleases=True):
            problems.append(f"{name}=={version} in requirements.lock is outside pyproject.toml's range {req}")
        if hashes == 0:
            problems.append(f"{name}=={version} has no hash in requirements.lock")
    assert not problems, "run scripts/refresh-lock:\n" + "\n".join(problems)


def test_every_pin_has_hashes():
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    assert len(pins) > 50
    assert [name for name, (_, n) in pins.items() if n == 0] == []
