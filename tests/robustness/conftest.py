"""A live demo host on loopback for the fuzz and browser tests, and the skip-or-fail rule.

The host is ``example.settings`` run by ``manage.py runserver`` in a subprocess, with its
own temporary ``DEMO_STATE_DIR`` seeded by ``load_demo_data``; tokens come from
``demo_curl``, exactly as a person trying the demo would get them.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
STARTUP_SECONDS = 60


SUMMARY: list[str] = []


def report(line: str) -> None:
    """A line for the ``robustness`` section at the end of the pytest run (output capture hides prints)."""
    SUMMARY.append(line)


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("robustness")
        for line in SUMMARY:
            terminalreporter.write_line(line)


def require(reason: str, *, env: str = "REQUIRE_ROBUSTNESS") -> None:
    """Skip with ``reason``, or fail when ``env`` is set: the CI stage must not pass by skipping."""
    if os.environ.get(env):
        pytest.fail(f"{reason} ({env} is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class LiveHost:
    base_url: str
    learner_authorization: str
    staff_authorization: str
    course_key: str
    sequence_key: str
    state_dir: Path

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    if done.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done.stdout


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the demo host exited early:\n{log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the demo host did not answer {url} within {STARTUP_SECONDS}s:\n{log.read_text()}", pytrace=False)


@pytest.fixture(scope="session")
def demo_host_env() -> dict:
    """Extra environment of the demo host (a conftest may override it, e.g. with ``DEMO_MFE_ORIGINS``)."""
    return {}


@pytest.fixture(scope="session")
def live_host(tmp_path_factory, demo_host_env):
    """The demo host, seeded and serving on a free 127.0.0.1 port for the whole session."""
    state_dir = tmp_path_factory.mktemp("demo-state")
    # The fuzzer writes far faster than the write limits allow (docs/settings.rst, THROTTLE_RATES).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "example.settings", "DEMO_STATE_DIR": str(state_dir),
           "PYTHONUNBUFFERED": "1", "DEMO_THROTTLE_RATES": "off", **demo_host_env}
    env.pop("DATABASE_URL", None)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "load_demo_data")
    curl_lines = _manage(env, "demo_curl")
    tokens = dict(re.findall(r"^export (LEARNER|STAFF)='Authorization: (.+)'$", curl_lines, re.MULTILINE))
    course_key = re.search(r"/api/courseware/course/(\S+?)\"", curl_lines).group(1)
    sequence_key = re.search(r"/api/courseware/sequence/(\S+?)\"", curl_lines).group(1)

    port = _free_port()
    log = state_dir / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url + "/api-docs/schema/", server, log)
        yield LiveHost(base_url=base_url, learner_authorization=tokens["LEARNER"],
                       staff_authorization=tokens["STAFF"], course_key=course_key, sequence_key=sequence_key,
                       state_dir=state_dir)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
