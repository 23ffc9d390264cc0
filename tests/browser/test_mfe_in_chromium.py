"""A browser MFE on another origin, in Debian's Chromium, against the live demo host.

The page (``client/index.html`` with ``client/src/*.js`` bundled by esbuild) is served from a
second origin the demo trusts. The browser holds the two JWT cookies an LMS login sets for the
demo's host (header.payload readable by scripts, the signature HttpOnly, SameSite=Lax), and the
script calls the APIs as the learning and profile MFEs do: XMLHttpRequest with credentials,
``USE-JWT-COOKIE: true``, ``X-CSRFToken`` from ``/csrf/api/v1/token`` on writes. Every call must
succeed, a write without the token must be refused, the uploaded avatar must load at its full
size (500 px) and is saved in a screenshot, ``tests/browser/artifacts/mfe-avatar.png``. The same
page served from an origin the demo does not trust gets no answer through.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit

import pytest

from tests.robustness.chromium import TIMEOUT_MS, launched_chromium

from .conftest import report, require


@pytest.fixture(scope="module")
def chromium():
    with launched_chromium(require) as browser:
        yield browser


def lms_login_cookies(live_host) -> list[dict]:
    """The cookie pair as an LMS login sets it, for the demo's host (cookies ignore ports)."""
    token = live_host.learner_authorization.split(" ", 1)[1]
    header_payload, _, signature = token.rpartition(".")
    common = {"domain": urlsplit(live_host.base_url).hostname, "path": "/", "secure": False, "sameSite": "Lax",
              "expires": time.time() + 3600}
    return [{"name": "edx-jwt-cookie-header-payload", "value": header_payload, "httpOnly": False, **common},
            {"name": "edx-jwt-cookie-signature", "value": signature, "httpOnly": True, **common}]


def run_page(chromium, live_host, origin, mode):
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    context.add_cookies(lms_login_cookies(live_host))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    query = urlencode({"mode": mode, "lms": live_host.base_url, "username": "learner",
                       "course": live_host.course_key, "sequence": live_host.sequence_key})
    page.goto(f"{origin}/index.html?{query}")
    page.wait_for_function("window.finished === true")
    results = {entry["step"]: entry for entry in page.evaluate("window.results")}
    return context, page, results


def test_an_mfe_on_a_trusted_origin_makes_every_call(chromium, live_host, page_origins, artifacts_dir):
    started = time.monotonic()
    context, page, results = run_page(chromium, live_host, page_origins["mfe"], "mfe")
    try:
        screenshot = artifacts_dir / "mfe-avatar.png"
        page.screenshot(path=str(screenshot), full_page=True)
        width = page.evaluate("document.querySelector('#avatar').naturalWidth")
    finally:
        context.close()
    report(f"MFE page on {page_origins['mfe']}: {time.monotonic() - started:.1f}s; screenshot: {screenshot}")
    summary = {step: entry.get("status", entry.get("error")) for step, entry in results.items()}

    expected = {"csrf token": 200, "course info": 200, "sequence metadata": 200, "resume": 200,
                "profile image upload": 204, "account after upload": 200, "avatar": 200, "certificates": 200,
                "profile image removal": 204, "account after removal": 200}
    assert {step: summary.get(step) for step in expected} == expected, summary
    assert summary["celebration without CSRF token"] == 401, summary
    assert summary["celebration"] in (200, 201), summary
    assert "script" not in summary, summary

    course = results["course info"]["body"]
    assert course["id"] == live_host.course_key
    assert course["enrollment"]["is_active"] is True, "the cookie JWT must make the learner known"
    assert isinstance(results["certificates"]["body"], list)
    uploaded = results["account after upload"]["body"]["profile_image"]
    assert uploaded["has_image"] is True
    assert results["avatar"]["url"] == uploaded["image_url_full"]
    assert width == 500
    assert results["account after removal"]["body"]["profile_image"]["has_image"] is False


def celebration_posts(live_host) -> list[str]:
    """The demo server's access-log lines of celebration POSTs (runserver logs each request)."""
    log = (live_host.state_dir / "server.log").read_text()
    return [line for line in log.splitlines() if '"POST /api/courseware/celebration/' in line]


def test_an_untrusted_origin_gets_nothing_through(chromium, live_host, page_origins):
    posts_before = len(celebration_posts(live_host))
    context, _page, results = run_page(chromium, live_host, page_origins["stranger"], "stranger")
    context.close()
    for step in ("csrf token", "account (preflighted)", "account (simple request)", "celebration (simple request)"):
        assert "no answer reached the page" in results[step].get("error", ""), results[step]
    # The simple POST needs no preflight, so it reached the server with the cookies; the CSRF
    # check (untrusted Origin, no token) refused it. The preflighted calls never left the browser.
    deadline = time.monotonic() + 10
    while len(celebration_posts(live_host)) == posts_before and time.monotonic() < deadline:
        time.sleep(0.1)
    new_posts = celebration_posts(live_host)[posts_before:]
    assert len(new_posts) == 1 and '" 401 ' in new_posts[0], new_posts
