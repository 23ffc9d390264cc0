"""The layering rules of docs/architecture.rst, checked on the package's source with ``ast``.

Data flows one way: ``rest_api`` -> ``features`` -> ``applets`` (and ``olx``) -> ``core``. A module
that breaks a rule fails here, so a change that tangles the layers fails CI rather than a review.
Every import counts, also those inside functions: an import moved into a function to dodge a
cycle is still a dependency.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "openedx_learner_apis"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE
MAX_LINES = 450
# The layers below HTTP: none of them sees a request object.
BELOW_HTTP = ("core", "olx", "applets", "features")
# Modules that assemble the whole app; a layer importing one of them imports everything.
ASSEMBLY = ("api", "urls", "routing", "admin", "models", "checks", "apps", "management", "settings")
# Package-level modules every layer may import: settings, signals, hook providers, waffle toggles.
FOUNDATION = ("conf", "signals", "hooks", "toggles")
LAYERS = ("core", "olx", "applets", "features", "rest_api", "contrib")
# The one ``olx`` module that writes: it stores what the pure readers parsed through the courses applet.
IMPORTER = f"{PACKAGE}.olx.importer"


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module
    line_count: int

    @property
    def layer(self) -> str:
        """The first name under the package: ``applets``, ``rest_api``, ``conf``..."""
        return self.name.split(".")[1] if "." in self.name else ""

    @property
    def applet(self) -> str | None:
        """The applet a module belongs to (``applets.<name>``), or ``None`` outside ``applets/``."""
        return applet_of(self.name)


def applet_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    if len(parts) > 2 and parts[:2] == [PACKAGE, "applets"]:
        return parts[2]
    return None


def layer_of(dotted: str) -> str | None:
    """The layer of an imported name inside the package, ``None`` for a third-party name."""
    parts = dotted.split(".")
    if parts[0] != PACKAGE:
        return None
    return parts[1] if len(parts) > 1 else ""


def imports_of(tree: ast.Module, module: str, *, is_package: bool) -> set[str]:
    """Every dotted name ``module`` imports, relative imports resolved.

    ``from a.b import c`` gives ``a.b`` and ``a.b.c``, since ``c`` may be a module or a name in one.
    """
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


@cache
def package_modules() -> tuple[Module, ...]:
    """The package's modules outside ``migrations/``, parsed once for every rule."""
    modules = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        name = ".".join(relative.parts).removesuffix(".__init__")
        text = path.read_text(encoding="utf-8")
        modules.append(Module(name, path, ast.parse(text, filename=str(path)), len(text.splitlines())))
    return tuple(modules)


@cache
def import_graph() -> dict[str, frozenset[str]]:
    return {
        module.name: frozenset(imports_of(module.tree, module.name, is_package=module.path.name == "__init__.py"))
        for module in package_modules()
    }


def offending_imports(layers: tuple[str, ...], forbidden) -> list[str]:
    """``module -> imported name`` for each import of a module in ``layers`` that ``forbidden(name)`` refuses."""
    graph = import_graph()
    return sorted(
        f"{module.name} -> {name}"
        for module in package_modules() if module.layer in layers
        for name in graph[module.name] if forbidden(name)
    )


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of ``graph``; a component of two or more nodes is a cycle."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def applet_graph() -> tuple[dict[str, set[str]], dict[tuple[str, str], list[str]]]:
    """Applet -> applets it imports, and for each edge the imports that make it."""
    graph, reasons = {}, {}
    for module in package_modules():
        if module.applet is None:
            continue
        for name in import_graph()[module.name]:
            target = applet_of(name)
            if target and target != module.applet:
                graph.setdefault(module.applet, set()).add(target)
                reasons.setdefault((module.applet, target), []).append(f"{module.name} -> {name}")
    return graph, reasons


# The checker itself.

def test_imports_are_resolved_relative_lazy_and_from_packages():
    source = (
        "from . import models\n"
        "from ...core.keys import parse\n"
        "import json\n"
        "def later():\n"
        "    from ...rest_api.common import errors\n"
    )
    found = imports_of(ast.parse(source), f"{PACKAGE}.applets.courses.api", is_package=False)
    assert {
        f"{PACKAGE}.applets.courses.models", f"{PACKAGE}.core.keys", f"{PACKAGE}.core.keys.parse", "json",
        f"{PACKAGE}.rest_api.common.errors",  # an import inside a function counts
    } <= found
    in_package = imports_of(ast.parse("from . import models\nfrom ..core import keys\n"),
                            f"{PACKAGE}.applets.courses", is_package=True)
    assert in_package == {f"{PACKAGE}.applets.courses", f"{PACKAGE}.applets.courses.models",
                          f"{PACKAGE}.applets.core", f"{PACKAGE}.applets.core.keys"}


def test_cycles_are_found():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"], ["d"]]
    assert all(len(component) == 1 for component in strongly_connected({"a": {"b"}, "b": {"c"}}))


def test_the_package_is_read():
    names = {module.name for module in package_modules()}
    assert {f"{PACKAGE}.conf", f"{PACKAGE}.api", f"{PACKAGE}.urls"} <= names
    assert not any(".migrations" in name for name in names)
    assert any(name.startswith(f"{PACKAGE}.applets.") for name in import_graph()[f"{PACKAGE}.api"])


# The rules.

def test_the_foundation_modules_import_no_layer_but_core():
    """``core`` is the bottom: the foundations may use it (``hooks`` builds LMS URLs with ``core.urls``)."""
    offences = offending_imports(FOUNDATION, lambda name: layer_of(name) in {*LAYERS, *ASSEMBLY} - {"core"})
    assert not offences, "\n".join(offences)


def test_no_layer_imports_an_assembly_module():
    """``api``, ``urls``, ``admin``, ``models``... gather every applet or family for Django and for hosts."""
    offences = offending_imports(("core", "olx", "applets", "features", "rest_api"),
                                 lambda name: layer_of(name) in ASSEMBLY)
    assert not offences, "\n".join(offences)


def test_applets_import_each_other_without_a_cycle():
    graph, reasons = applet_graph()
    cycles = [component for component in strongly_connected(graph) if len(component) > 1]
    details = [
        f"{source} -> {target}: {reasons[source, target][0]}"
        for component in cycles for source in component for target in sorted(graph[source]) if target in component
    ]
    assert not cycles, f"applet import cycles {cycles}:\n" + "\n".join(details)


def test_core_imports_no_layer_above_it():
    above = {"olx", "applets", "features", "rest_api", "contrib", *ASSEMBLY, *FOUNDATION}
    offences = offending_imports(("core",), lambda name: layer_of(name) in above)
    assert not offences, "\n".join(offences)


def test_olx_reads_without_the_layers_above_it():
    """Reading an export is pure: every ``olx`` module but the importer stays below the applets."""
    above = {"applets", "features", "rest_api", "contrib", *ASSEMBLY}
    offences = sorted(
        offence for offence in offending_imports(("olx",), lambda name: layer_of(name) in above)
        if not offence.startswith(f"{IMPORTER} -> ")
    )
    assert not offences, "\n".join(offences)


def test_the_olx_importer_writes_through_applet_apis_only():
    def forbidden(name):
        layer = layer_of(name)
        if layer == "applets":
            return len(name.split(".")) < 4 or name.split(".")[3] != "api"
        return layer in {"features", "rest_api", "contrib", *ASSEMBLY}

    offences = [offence for offence in offending_imports(("olx",), forbidden) if offence.startswith(f"{IMPORTER} -> ")]
    assert not offences, "\n".join(offences)


def test_applets_import_no_features_or_rest_api():
    """Nor the OLX importer, which writes through them: applets may use only the pure ``olx`` modules."""
    above = {"features", "rest_api", "contrib", *ASSEMBLY}
    offences = offending_imports(("applets",), lambda name: layer_of(name) in above or name.startswith(IMPORTER))
    assert not offences, "\n".join(offences)


def test_features_import_no_rest_api_and_no_http():
    def forbidden(name):
        return (layer_of(name) in {"rest_api", "contrib", *ASSEMBLY}
                or name.split(".")[0] == "rest_framework" or name.startswith("django.http"))

    offences = offending_imports(("features",), forbidden)
    assert not offences, "\n".join(offences)


def test_nothing_below_rest_api_takes_a_request():
    """A rule receives the values it needs (user, time zone, URL builder), never the HTTP request.

    Django admin classes are the exception: the admin site calls their methods with the request.
    """
    offences = sorted(
        f"{module.name}.{node.name}"
        for module in package_modules() if module.layer in BELOW_HTTP and not module.name.endswith(".admin")
        for node in ast.walk(module.tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and "request" in {arg.arg for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)}
    )
    assert not offences, "\n".join(offences)


def test_rest_api_imports_no_models_and_no_database():
    def forbidden(name):
        return "models" in name.split(".") or name == "django.db" or name.startswith("django.db.")

    offences = offending_imports(("rest_api",), forbidden)
    assert not offences, "\n".join(offences)


def test_no_module_is_over_the_size_limit():
    offences = sorted(f"{module.name}: {module.line_count} lines"
                      for module in package_modules() if module.line_count > MAX_LINES)
    assert not offences, "\n".join(offences)


def test_every_module_says_what_it_holds_in_its_first_line():
    """An empty ``__init__.py`` only marks a package and holds nothing to describe."""
    offences = []
    for module in package_modules():
        if module.path.name == "__init__.py" and not module.tree.body:
            continue
        docstring = ast.get_docstring(module.tree) or ""
        if not docstring.strip() or not docstring.splitlines()[0].strip():
            offences.append(module.name)
    assert not offences, "modules without a docstring first line:\n" + "\n".join(offences)


def test_only_the_app_config_imports_contrib():
    """Optional integrations load by dotted path or from ``apps.py`` when their dependency is installed."""
    outside = {module.layer for module in package_modules()} - {"contrib", "apps"}
    offences = offending_imports(tuple(outside), lambda name: layer_of(name) == "contrib")
    assert not offences, "\n".join(offences)
