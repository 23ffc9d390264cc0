"""setup.cfg declares every package the app imports, and nothing the app does not import.

setup.cfg's ``install_requires`` is the one list of run-time dependencies (requirements/base.txt
is compiled from it), so a missing entry breaks a host that installs the wheel, while a
transitive dependency happening to be installed hides it everywhere else; an unused entry
costs every host an install. The imports are read from the source (``ast``), not from a run.
"""

from __future__ import annotations

import ast
import configparser
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "openedx_learner_apis"


def setup_cfg():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def names(lines: str) -> set[str]:
    return {canonicalize_name(Requirement(line).name) for line in lines.strip().splitlines() if line.strip()}


def install_requires() -> set[str]:
    return names(setup_cfg()["options"]["install_requires"])


def extras() -> set[str]:
    found: set[str] = set()
    for value in setup_cfg()["options.extras_require"].values():
        found |= names(value)
    return found


def _guarded(node: ast.AST, parents: dict) -> bool:
    """Whether ``node`` sits in a ``try`` whose handlers catch ``ImportError``: an optional import."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                caught = handler.type
                labels = [ast.unparse(caught)] if caught is not None else ["ImportError"]
                if any(name in label for label in labels for name in ("ImportError", "ModuleNotFoundError")):
                    return True
    return False


def third_party_imports() -> dict[str, dict[str, bool]]:
    """Top-level module -> {file: imported unguarded}; the standard library and the app left out."""
    found: dict[str, dict[str, bool]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == PACKAGE.name:
                    continue
                where = str(path.relative_to(ROOT))
                files = found.setdefault(top, {})
                files[where] = files.get(where, False) or not _guarded(node, parents)
    return found


def distributions_of(module: str) -> set[str]:
    return {canonicalize_name(name) for name in packages_distributions().get(module, [])}


def test_every_unguarded_import_is_declared():
    """Outside ``contrib/`` an import needs ``install_requires``; ``contrib/`` may rely on an extra."""
    required, optional = install_requires(), extras()
    undeclared = []
    for module, files in sorted(third_party_imports().items()):
        providers = distributions_of(module)
        for where, unguarded in files.items():
            allowed = required | optional if "/contrib/" in where else required
            if unguarded and not providers & allowed:
                undeclared.append(f"{module} ({sorted(providers)}) in {where}")
    assert not undeclared, "imported but not declared in setup.cfg: " + "; ".join(undeclared)


def test_every_install_requires_entry_is_imported():
    imported = set()
    for module in third_party_imports():
        imported |= distributions_of(module)
    unused = install_requires() - imported
    assert not unused, f"declared in install_requires but never imported by the app: {sorted(unused)}"


def test_the_import_reader_sees_guarded_and_unguarded_imports():
    imports = third_party_imports()
    assert imports["django"]["openedx_learner_apis/apps.py"] is True
    assert imports["pillow_heif"]["openedx_learner_apis/applets/profile_images/formats.py"] is False
