"""No test reads the clock at import: a time frozen then goes stale when the suite runs slowly.

Module and class bodies, decorators (``parametrize`` values) and default arguments run once, at
collection; a ``now()`` there ages by the time the test runs. Tests read the clock when they run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CLOCK_READS = {"now", "utcnow", "today", "time", "monotonic", "perf_counter", "time_ns"}


def _clock_calls(node: ast.AST) -> list[ast.Call]:
    """Calls such as ``timezone.now()`` or ``date.today()`` anywhere inside ``node``, lambdas excluded."""
    found, pending = [], [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Lambda):
            continue
        if (isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute)
                and current.func.attr in CLOCK_READS and not current.args):
            found.append(current)
        pending.extend(ast.iter_child_nodes(current))
    return found


def _evaluated_at_import(body: list[ast.stmt]):
    """The expressions of a module or class body that run when it is imported."""
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from statement.decorator_list
            yield from statement.args.defaults
            yield from (default for default in statement.args.kw_defaults if default is not None)
        elif isinstance(statement, ast.ClassDef):
            yield from statement.decorator_list
            yield from _evaluated_at_import(statement.body)
        elif not isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement


def import_time_clock_reads(source: str) -> list[int]:
    """Line numbers of clock reads that run when ``source`` is imported."""
    tree = ast.parse(source)
    return sorted(call.lineno for node in _evaluated_at_import(tree.body) for call in _clock_calls(node))


@pytest.mark.parametrize("source, lines", [
    ("from django.utils import timezone\nNOW = timezone.now()\n", [2]),
    ("import datetime\nTHIS_YEAR = datetime.date.today().year\n", [2]),
    ("import pytest\n@pytest.mark.parametrize('x', [timezone.now()])\ndef test(x):\n    pass\n", [2]),
    ("def helper(at=time.time()):\n    return at\n", [1]),
    ("class TestX:\n    START = timezone.now()\n", [2]),
    ("def test():\n    now = timezone.now()\n", []),
    ("import pytest\n@pytest.fixture\ndef now():\n    return timezone.now()\n", []),
    ("LATER = lambda: timezone.now()\n", []),
])
def test_the_scan_finds_import_time_reads_only(source, lines):
    assert import_time_clock_reads(source) == lines


def test_no_test_module_reads_the_clock_at_import():
    offenders = [f"{path.relative_to(TESTS)}:{line}" for path in sorted(TESTS.rglob("*.py"))
                 for line in import_time_clock_reads(path.read_text())]
    assert offenders == []
