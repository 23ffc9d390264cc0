"""The repository explains itself: no comment, docstring or doc page cites a document kept elsewhere.

A rule that came from a document outside the repository (a client-facing description, a review
of the code, a design note) is written into ``docs/`` (the family's page or a record in
``docs/decisions/``) and the code links there. A pointer such as a section sign, a review's
finding label (a letter and a number), a seed number, the outside design note or a tracker's
issue number means nothing to a reader of this repository, so any of them fails this test.
Comments also state the rule in force rather than narrate what another code base did
("upstream ..."): "Open edX does X" describes current behaviour and is fine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("openedx_learner_apis", "tests", "benchmarks", "example", "docs", "README.md", "CHANGELOG.rst")
SUFFIXES = {".py", ".rst", ".md", ".txt", ".html", ".js", ".toml", ".cfg", ".ini", ".yml", ".yaml"}
SKIPPED_PARTS = {"node_modules", "_build", "__pycache__", ".venv"}

# Each pattern names what it catches; ``find_spec``, ``ModuleSpec``, the ``audit`` enrollment mode
# and "Design decisions" must not match (see the self-check below).
FORBIDDEN = {
    "section sign": re.compile("\u00a7"),
    "outside design note": re.compile(r"\bD[E]SIGN\b"),
    "seed number": re.compile(r"\bseeds? (?:0\d*|\d{3})\b", re.IGNORECASE),
    "review finding label": re.compile(r"\baudit [A-Z]{1,2}\d+\b", re.IGNORECASE),
    "pair of finding labels": re.compile(r"\b[A-Z]\d{1,2} ?/ ?[A-Z]\d{1,2}\b"),
    "bullet led by a finding label": re.compile(r"^\s*\* (?:\*\*)?[A-Z]\d{1,2}\b[,:*]", re.MULTILINE),
    "specification document": re.compile(r"\bspec\b|\bspec/|\bspecification\b", re.IGNORECASE),
    "tracker issue number": re.compile(r"\bissue \d+\b|\bthe issue(?:'s)?\b", re.IGNORECASE),
    "history of another code base": re.compile(r"\bupstream\b", re.IGNORECASE),
    "numbered scenario": re.compile(r"\bScenario \d+\b"),
}


def forbidden_hits(text: str) -> list[tuple[int, str, str]]:
    """``(line number, pattern name, line)`` for every forbidden reference in ``text``."""
    hits = []
    for name, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            number = text.count("\n", 0, match.start()) + 1
            hits.append((number, name, text.splitlines()[number - 1].strip()))
    return sorted(hits)


def scanned_files() -> list[Path]:
    """The package, tests, benchmarks, example and docs text files, this test excepted."""
    files = []
    for entry in SCANNED:
        path = ROOT / entry
        candidates = [path] if path.is_file() else path.rglob("*") if path.is_dir() else []
        for candidate in candidates:
            if (candidate.is_file() and candidate.suffix in SUFFIXES and candidate != Path(__file__).resolve()
                    and not SKIPPED_PARTS & set(candidate.relative_to(ROOT).parts)):
                files.append(candidate)
    return sorted(files)


# The examples are written in two pieces ("DES" "IGN") so that this file, which names every
# forbidden pointer, does not itself contain one for other scanners of the repository.
@pytest.mark.parametrize("text", [
    "see spec \u00a7" "6.3", "(DES" "IGN 6.9)", "se" "ed 003", "se" "ed 0", "au" "dit X4", "(Au" "dit C12)", "B6 / X1",
    "* B1: the icon field", "* **P1, P12**: the matrix", "certificates spec", "``spec/badges.md``",
    "found by the schema fuzzer (issue 8)", "the issue's rule", "upstream returned an empty list",
    "Scenario 3",
])
def test_the_patterns_catch_external_references(text):
    assert forbidden_hits(text)


@pytest.mark.parametrize("text", [
    "importlib.util.find_spec('x')", "ModuleSpec(name, None)", 'mode="audit"', "audit 1, verified 2",
    "Design decisions", "a fixed random seed", "seed 20261101", "v3/v4 page", "class TestUpstreamScenarios:",
    "* v2: the same", "the issuer's secret", "Open edX does X",
])
def test_the_patterns_leave_ordinary_text_alone(text):
    assert not forbidden_hits(text)


def test_no_comment_or_doc_cites_a_document_outside_the_repository():
    found = [f"{path.relative_to(ROOT)}:{number}: {name}: {line}"
             for path in scanned_files()
             for number, name, line in forbidden_hits(path.read_text(encoding="utf-8", errors="replace"))]
    assert not found, "State the rule and link docs/ instead:\n" + "\n".join(found)
