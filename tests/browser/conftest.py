"""The real-browser stage: the demo host live, the client bundled by esbuild, two page origins.

The demo host is the robustness stage's ``live_host`` (``manage.py runserver`` on a free port,
seeded by ``load_demo_data``), started with ``DEMO_MFE_ORIGINS`` naming the first page origin
only. The page is served by two static servers on 127.0.0.1 with their own ports: the trusted
MFE origin and a stranger. Same host, so both are the demo's site and the browser sends the
LMS's cookies from either: only CORS and CSRF tell them apart.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.robustness.conftest import (
    live_host,  # noqa: F401 - the shared live demo host fixture
    require as _require,
)

CLIENT = Path(__file__).resolve().parent / "client"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SUMMARY: list[str] = []


def require(reason: str) -> None:
    """Skip, or fail when ``REQUIRE_BROWSER`` is set (the CI browser stage cannot pass by skipping)."""
    _require(reason, env="REQUIRE_BROWSER")


def report(line: str) -> None:
    SUMMARY.append(line)


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("browser")
        for line in SUMMARY:
            terminalreporter.write_line(line)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="session")
def client_site(tmp_path_factory) -> Path:
    """The page and its script, bundled by esbuild from ``client/src`` (``npm ci`` installs esbuild)."""
    if os.environ.get("DATABASE_URL") and not os.environ.get("REQUIRE_BROWSER"):
        pytest.skip("the live demo host runs on SQLite whatever DATABASE_URL says: the browser stage runs this")
    npm = shutil.which("npm")
    if npm is None:
        require("npm is not installed (apt-get install nodejs npm)")
    esbuild = CLIENT / "node_modules" / ".bin" / "esbuild"
    started = time.monotonic()
    if not esbuild.exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=CLIENT, check=True, capture_output=True,
                       timeout=300)
    site = tmp_path_factory.mktemp("client-site")
    subprocess.run([str(esbuild), "src/main.js", "--bundle", "--format=iife", "--target=chrome100",
                    f"--outfile={site / 'main.js'}"], cwd=CLIENT, check=True, capture_output=True, timeout=120)
    shutil.copy(CLIENT / "index.html", site / "index.html")
    report(f"client bundle (npm ci if needed + esbuild): {time.monotonic() - started:.1f}s")
    return site


@pytest.fixture(scope="session")
def page_origins(client_site):
    """``{"mfe": origin, "stranger": origin}``: static servers of the page on two free 127.0.0.1 ports."""
    servers = {}
    for name in ("mfe", "stranger"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(client_site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[name] = server
    yield {name: f"http://127.0.0.1:{server.server_address[1]}" for name, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo_host_env(page_origins) -> dict:
    """The demo host trusts the MFE origin only (CORS with credentials, CSRF)."""
    return {"DEMO_MFE_ORIGINS": page_origins["mfe"]}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
