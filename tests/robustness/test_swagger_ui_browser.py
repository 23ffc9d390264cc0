"""The demo host's Swagger UI in a real headless Chromium (docs/robustness.rst).

Debian's ``chromium`` package, driven by Playwright with ``executable_path`` (Playwright
never downloads a browser here). The page must load every asset, list every API family,
and a "Try it out" request made with a pasted JWT must come back 200. The screenshot is
written to ``tests/robustness/artifacts/swagger-ui.png``.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from .chromium import TIMEOUT_MS, launched_chromium
from .conftest import report, require

FAMILY_TAGS = ["accounts", "badges", "certificates", "courseware", "mobile", "profile_images"]


@pytest.fixture(scope="module")
def browser():
    with launched_chromium(require) as chromium:
        yield chromium


@pytest.fixture
def page(browser, live_host):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.failed = []
    page.on("requestfailed", lambda request: page.failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and "/api/" not in response.url
            and page.failed.append(f"{response.status} {response.url}"))
    page.goto(live_host.url("/api-docs/"))
    page.wait_for_selector(".opblock-tag-section")
    yield page
    context.close()


def schema_operations(live_host) -> int:
    with urllib.request.urlopen(live_host.url("/api-docs/schema/?format=json")) as response:  # noqa: S310
        paths = json.load(response)["paths"]
    return sum(1 for operations in paths.values() for method in operations
               if method in {"get", "post", "put", "patch", "delete"})


def test_swagger_ui_lists_every_family_and_operation(page, live_host):
    tags = page.locator(".opblock-tag-section .opblock-tag").evaluate_all(
        "nodes => nodes.map(node => node.getAttribute('data-tag'))")
    assert sorted(tags) == FAMILY_TAGS
    assert page.locator(".opblock").count() == schema_operations(live_host)
    assert page.failed == [], "assets or requests failed to load"


def test_try_it_out_with_a_pasted_jwt_returns_200(page, live_host, artifacts_dir):
    page.click("button.authorize")
    jwt_box = page.locator(".auth-container", has_text="jwtAuth")
    jwt_box.locator("input").fill(live_host.learner_authorization)
    jwt_box.locator("button.authorize").click()
    page.click("button.btn-done")

    operation = page.locator("#operations-mobile-mobile_user_detail")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator("tr[data-param-name='api_version'] select").select_option("v1")
    operation.locator("tr[data-param-name='username'] input").fill("learner")
    operation.locator(".execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    body = operation.locator(".live-responses-table .response-col_description pre").first.inner_text()

    screenshot = artifacts_dir / "swagger-ui.png"
    page.screenshot(path=str(screenshot), full_page=True)
    report(f"Swagger UI screenshot: {screenshot}")
    assert status.inner_text().strip() == "200", body
    assert json.loads(body)["username"] == "learner"
    assert page.failed == []
