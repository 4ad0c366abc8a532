"""pyproject.toml declares what the code imports, and nothing it does not.

Runtime code (``server/``, ``scrapers/``) may import only ``dependencies``; tests and the scoring
tool may also import the ``test`` extra. A declared package that nothing imports is dead weight,
except the tools named below, which are run, not imported.
"""
from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib

from tests.conftest import ROOT

# The project's own packages, and its scripts (tests import scripts/build_extension.py directly).
LOCAL = {"server", "scrapers", "tests", "__future__"} | {p.stem for p in (ROOT / "scripts").glob("*.py")}
# Declared but used without an import statement, each for a stated reason.
RUN_NOT_IMPORTED = {
    "pytest-timeout": "a pytest plugin: the `timeout` ini option in pyproject.toml",
    "ruff": "the linter `make lint` runs",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_normal(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]) for r in requirements}


def _imports(*folders: str) -> set[str]:
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            if ".venv" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - LOCAL


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    """Import name → the distribution names that provide it (from the installed metadata)."""
    provided = md.packages_distributions()
    missing = sorted(m for m in modules if m not in provided)
    assert not missing, f"imported but not installed by any distribution: {missing}"
    return {m: {_normal(d) for d in provided[m]} for m in modules}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_runtime_code_imports_only_declared_runtime_dependencies():
    runtime = _requirement_names(_project()["dependencies"])
    used = _distributions(_imports("server", "scrapers"))
    undeclared = {m: d for m, d in used.items() if not d & runtime}
    assert not undeclared, f"imported by server/ or scrapers/ but not in dependencies: {undeclared}"


def test_every_runtime_dependency_is_imported_by_runtime_code():
    runtime = _requirement_names(_project()["dependencies"])
    used = set().union(*_distributions(_imports("server", "scrapers")).values())
    assert runtime - used == set(), f"declared in dependencies but never imported: {sorted(runtime - used)}"


def test_tests_import_only_declared_packages_and_test_extras_are_used():
    project = _project()
    runtime = _requirement_names(project["dependencies"])
    extras = _requirement_names(project["optional-dependencies"]["test"])
    used = _distributions(_imports("tests", "docs/tools"))
    undeclared = {m: d for m, d in used.items() if not d & (runtime | extras)}
    assert not undeclared, f"imported by tests but declared nowhere: {undeclared}"
    used_names = set().union(*used.values())
    unused = extras - used_names - {_normal(n) for n in RUN_NOT_IMPORTED}
    assert not unused, f"test extras that no test imports: {sorted(unused)}"
    assert not extras & runtime, f"declared twice: {sorted(extras & runtime)}"
