"""The repository's tooling agrees with itself: CI runs .ci/run, the package metadata matches the
versions it allows, tox and make keep separate environments.

Each of these drifts silently otherwise: a workflow that re-lists .ci/run's stages falls behind
it, a Django release allowed by ``install_requires`` but missing from the classifiers hides the
support from PyPI, and a tox environment placed in ``.venv`` breaks ``make`` after ``tox``.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def setup_cfg():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def test_the_ci_workflow_runs_ci_run_itself():
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(step.strip() == "bash .ci/run" for step in steps), steps


def test_the_sqlite_stage_fails_below_the_coverage_floor():
    assert re.search(r"^begin \"tests on SQLite \(make test\)\"\n.*make test$", (ROOT / ".ci/run").read_text(),
                     flags=re.M)
    makefile = (ROOT / "Makefile").read_text()
    floor = re.search(r"^COVERAGE_FLOOR \?= (\d+)$", makefile, flags=re.M)
    assert floor and int(floor[1]) >= 80
    coverage = re.search(r"^COVERAGE \?= (.+)$", makefile, flags=re.M)
    assert coverage and "--cov=openedx_learner_apis" in coverage[1]
    assert "--cov-fail-under=$(COVERAGE_FLOOR)" in coverage[1]
    assert "$(BIN)/python -m pytest -q $(COVERAGE)" in makefile[makefile.index("\ntest: venv"):].split("\n\n")[0]


def test_publishing_uses_trusted_publishing_on_tags():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pypi-publish.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads the key `on` as True
    assert triggers == {"push": {"tags": ["v*"]}}
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"])


def test_classifiers_name_every_django_minor_that_install_requires_allows():
    metadata, options = setup_cfg()["metadata"], setup_cfg()["options"]
    django = next(line for line in options["install_requires"].splitlines() if line.startswith("Django"))
    assert django == "Django>=5.2,<6.2"
    classifiers = metadata["classifiers"].split("\n")
    for version in ("5.2", "6.0", "6.1"):
        assert f"Framework :: Django :: {version}" in classifiers
    assert "License :: OSI Approved :: GNU Affero General Public License v3" in classifiers
    urls = dict(line.split(" = ") for line in metadata["project_urls"].strip().splitlines())
    assert set(urls) == {"Source", "Tracker", "Documentation", "Changelog"}


def test_tox_keeps_its_environments_out_of_dot_venv():
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini")
    for section in tox.sections():
        for key in ("envdir", "env_dir", "toxworkdir", "work_dir"):
            assert ".venv" not in tox[section].get(key, ""), (section, key)
    assert re.search(r"^VENV \?= \.venv$", (ROOT / "Makefile").read_text(), flags=re.M)


def test_the_changelog_has_an_entry_for_the_package_version():
    from openedx_learner_apis import __version__

    assert re.search(rf"^{re.escape(__version__)} \(", (ROOT / "CHANGELOG.rst").read_text(), flags=re.M)
