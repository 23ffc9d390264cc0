"""No committed file names a path of one particular machine.

A checkout must work on any machine: requirements files carry no local index or wheel
folder, and tests read their data from inside the repository (``tests/course_exports.py``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
MACHINE_PATH = re.compile(r"(file:/{3}|--find-links\s+/|(?<![\w.])/(work|opt|root|home)/[\w.-])")


def committed_text_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = []
    for name in listed.stdout.splitlines():
        path = REPO_ROOT / name
        if path.suffix in {".gz", ".png", ".jpg", ".ico"} or not path.is_file():
            continue
        files.append(path)
    return files


def machine_paths(text: str) -> list[str]:
    return [match.group(0) for match in MACHINE_PATH.finditer(text)]


def test_no_committed_file_names_a_machine_path():
    offenders = []
    for path in committed_text_files():
        if path == Path(__file__).resolve():
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        offenders += [f"{path.relative_to(REPO_ROOT)}: {hit}" for hit in machine_paths(text)]
    assert offenders == []


@pytest.mark.parametrize(("text", "found"), [
    # Written in pieces so that this file holds no machine path itself.
    ("--extra-index-url file:" "///" "opt/pypi/simple", True),
    ("--find-links " "/" "opt/wheels", True),
    ('DATA = Path("' "/" 'work/shared/data")', True),
    ("see " "/" "home/someone/project", True),
    ("https://example.com" "/" "work/x and " "/" "usr/bin/chromium", False),
    ("requirements/base.txt", False),
])
def test_the_pattern(text, found):
    assert bool(machine_paths(text)) is found
