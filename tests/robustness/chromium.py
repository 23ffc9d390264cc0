"""Debian's Chromium driven by Playwright by path, shared by the Swagger UI and the browser-client tests.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``CHROMIUM_PATH``
overrides it) with the flags a closed network needs (no calls home, no component updates, no QUIC).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the CI robustness and browser stages install it: requirements/robustness.txt
    sync_playwright = None

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 30_000


@contextmanager
def launched_chromium(require: Callable[[str], None]) -> Iterator:
    """A headless Chromium for one test module; ``require`` skips (or fails) when a tool is missing."""
    if sync_playwright is None:
        require("playwright is not installed (pip install -r requirements/robustness.txt)")
    if not CHROMIUM.exists():
        require(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
