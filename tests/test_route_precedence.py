"""``SERVE_BEFORE_HOST_ROUTES`` in an LMS-shaped host (``tests/lms_host``): who answers each path, and what reverses.

Without the setting the host's own views answer the LMS's paths, and the checks W006
and W007 list the shadowed routes and the namespaces both declare (Django's urls.W005 warns
too). With it, set before the plugins' settings hooks run as in the LMS, each family is
answered by the app, the host's other routes (also under a shared prefix) still answer,
every name of both sides reverses, and no namespace is declared twice.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.checks.urls import check_url_namespaces_unique
from django.test import override_settings
from django.urls import URLResolver, clear_url_caches, get_resolver, include, path, resolve, reverse

from openedx_learner_apis import checks
from openedx_learner_apis.routing import HOST_URLS
from openedx_learner_apis.routing.merge import merge_namespaces, precedence_patterns
from openedx_learner_apis.routing.shadows import (
    FAMILY_SAMPLES,
    SAMPLE_COURSE,
    duplicate_namespaces,
    sample_paths,
    shadowed_routes,
    view_path,
)
from openedx_learner_apis.settings.common import apply_route_precedence
from openedx_learner_apis.settings.production import plugin_settings as production_plugin_settings
from openedx_learner_apis.urls import FAMILY_URLCONFS, family_urlpatterns

REPO = Path(__file__).resolve().parent.parent
HOST_URLCONF = "tests.lms_host.urls"
SHARED_NAMESPACES = ["certificates_api", "certificates_api:v0", "certificates_api:v0:certificates", "courseware_api",
                     "mobile_api", "profile_images"]
# One path per family, as a client sends it.
FAMILY_REQUESTS = {
    "profile_images": "/api/user/v1/accounts/learner/image",
    "profile_images_legacy": "/api/profile_images/v1/learner/remove",
    "accounts": "/api/user/v1/accounts/learner",
    "badges": "/api/badges/v1/assertions/user/learner/",
    "certificates": "/api/certificates/v0/certificates/learner/",
    "mobile": "/api/mobile/v1/users/learner/course_enrollments/",
    "courseware": f"/api/courseware/course/{SAMPLE_COURSE}",
}
HOST_ONLY = {
    "/": "root",
    "/api/enrollment/v1/enrollment": "courseenrollments",
    "/api/user/v1/me": "own_username_api",
    "/api/mobile/v3/course_info/blocks/": "blocks_info_in_course",  # under the mobile family's prefix
}


def host_settings(module: str) -> SimpleNamespace:
    """The settings an LMS-shaped settings module ends with, after the plugins' hooks ran."""
    loaded = importlib.import_module(module)
    return SimpleNamespace(ROOT_URLCONF=loaded.ROOT_URLCONF, OPENEDX_LEARNER_APIS=dict(loaded.OPENEDX_LEARNER_APIS))


@pytest.fixture
def lms_host():
    """``lms_host(precedence)``: run the rest of the test with that host's URLconf and app settings."""
    overrides = []

    def _lms_host(precedence: bool):
        loaded = host_settings("tests.lms_host.settings_precedence" if precedence else "tests.lms_host.settings")
        override = override_settings(ROOT_URLCONF=loaded.ROOT_URLCONF,
                                     OPENEDX_LEARNER_APIS=loaded.OPENEDX_LEARNER_APIS)
        override.enable()
        overrides.append(override)
        clear_url_caches()
        return loaded

    yield _lms_host
    for override in reversed(overrides):
        override.disable()
    clear_url_caches()


def served_by_app(response) -> bool:
    return view_path(response.resolver_match.func).startswith("openedx_learner_apis.")


# The settings hook.

def test_the_settings_hook_wraps_the_host_urlconf_only_when_asked():
    assert host_settings("tests.lms_host.settings").ROOT_URLCONF == HOST_URLCONF
    loaded = host_settings("tests.lms_host.settings_precedence")
    assert loaded.ROOT_URLCONF == HOST_URLS
    assert loaded.OPENEDX_LEARNER_APIS == {"SERVE_BEFORE_HOST_ROUTES": True, "HOST_URLCONF": HOST_URLCONF}


def test_the_hook_runs_twice_without_losing_the_host_urlconf():
    host = SimpleNamespace(ROOT_URLCONF="lms.urls", OPENEDX_LEARNER_APIS={"SERVE_BEFORE_HOST_ROUTES": True})
    apply_route_precedence(host)
    apply_route_precedence(host)
    assert host.ROOT_URLCONF == HOST_URLS
    assert host.OPENEDX_LEARNER_APIS["HOST_URLCONF"] == "lms.urls"


def test_the_production_hook_reads_the_setting_from_the_yaml_tokens():
    host = SimpleNamespace(ROOT_URLCONF="lms.urls", INSTALLED_APPS=["rest_framework", "waffle"],
                           ENV_TOKENS={"OPENEDX_LEARNER_APIS": {"SERVE_BEFORE_HOST_ROUTES": True}})
    production_plugin_settings(host)
    assert host.ROOT_URLCONF == HOST_URLS
    assert host.OPENEDX_LEARNER_APIS["HOST_URLCONF"] == "lms.urls"


# Without the setting: the host answers, the checks say so.

def test_without_the_setting_the_host_answers_every_family(lms_host, client):
    lms_host(precedence=False)
    for family, url in FAMILY_REQUESTS.items():
        if family == "badges":  # this LMS has no badges API: the app answers
            continue
        response = client.get(url)
        assert response.json()["served_by"] == "lms_host", (family, url)


def test_without_the_setting_the_checks_list_shadowed_routes_and_shared_namespaces(lms_host):
    lms_host(precedence=False)
    shadowed = {shadow.path for shadow in shadowed_routes()}
    # The host has no badges API, no account list and no enrollments status route: those stay the app's.
    not_in_host = {"/api/user/v1/accounts", "/api/mobile/v1/users/sample_learner/enrollments_status/"}
    assert shadowed == {url for family, url in sample_paths() if family != "badges"} - not_in_host
    assert duplicate_namespaces() == SHARED_NAMESPACES
    warnings = {warning.id: warning for warning in checks.check_route_precedence()}
    assert set(warnings) == {"openedx_learner_apis.W006", "openedx_learner_apis.W007"}
    assert "/api/mobile/v1/my_user_info (mobile) -> tests.lms_host.views.user_info" in warnings[
        "openedx_learner_apis.W006"].msg
    assert "SERVE_BEFORE_HOST_ROUTES" in warnings["openedx_learner_apis.W006"].hint
    assert "certificates_api:v0:certificates" in warnings["openedx_learner_apis.W007"].msg
    assert {error.id for error in check_url_namespaces_unique(None)} == {"urls.W005"}


# With the setting: the app answers first, the host keeps the rest.

def test_with_the_setting_the_app_answers_every_family(lms_host, learner, jwt_client):
    lms_host(precedence=True)
    client = jwt_client(learner)
    for family, url in FAMILY_REQUESTS.items():
        response = client.get(url)
        assert served_by_app(response), (family, url, response.status_code)
        assert "served_by" not in response.content.decode(), (family, url)
    assert client.get("/api/certificates/v0/certificates/learner/").json() == []
    assert client.get("/api/user/v1/accounts/learner").json()["username"] == "learner"


def test_with_the_setting_the_host_only_routes_still_answer(lms_host, client):
    lms_host(precedence=True)
    for url, route in HOST_ONLY.items():
        assert client.get(url).json()["route"] == route, url


def test_with_the_setting_malformed_paths_under_a_prefix_get_the_app_json_404(lms_host, client):
    lms_host(precedence=True)
    response = client.get("/api/mobile/v9/users/learner")
    assert response.status_code == 404
    assert served_by_app(response)
    assert "served_by" not in response.content.decode()


def test_with_the_setting_names_of_both_sides_reverse(lms_host):
    lms_host(precedence=True)
    user, course = "learner", SAMPLE_COURSE
    assert reverse("root") == "/"
    assert reverse("own_username_api") == "/api/user/v1/me"
    assert reverse("mobile_api:blocks_info_in_course", kwargs={"api_version": "v3"}) == \
        "/api/mobile/v3/course_info/blocks/"
    assert reverse("accounts_profile_image_api", kwargs={"username": user}) == f"/api/user/v1/accounts/{user}/image"
    assert reverse("accounts_profile_image_api:accounts_profile_image_api", kwargs={"username": user}) == \
        f"/api/user/v1/accounts/{user}/image"
    assert reverse("mobile_api:user-info", kwargs={"api_version": "v1"}) == "/api/mobile/v1/my_user_info"
    assert reverse("certificates_api:v0:certificates:list", kwargs={"username": user}) == \
        f"/api/certificates/v0/certificates/{user}/"
    assert reverse("profile_images:profile_image_upload", kwargs={"username": user}) == \
        f"/api/profile_images/v1/{user}/upload"
    assert reverse("courseware_api:course", kwargs={"course_key_string": course}) == \
        f"/api/courseware/course/{course}"
    assert reverse("courseware_api:resume-api", kwargs={"course_key_string": course}) == \
        f"/api/courseware/resume/{course}"
    assert reverse("badges_api:user_assertions", kwargs={"username": user}) == \
        f"/api/badges/v1/assertions/user/{user}/"


def test_with_the_setting_no_namespace_is_declared_twice_and_no_check_warns(lms_host):
    lms_host(precedence=True)
    assert check_url_namespaces_unique(None) == []
    assert duplicate_namespaces() == []
    assert shadowed_routes() == []
    assert checks.check_route_precedence() == []


def test_the_host_error_pages_stay_the_host(lms_host):
    lms_host(precedence=True)
    handler = get_resolver().resolve_error_handler(404)
    assert view_path(handler) == "tests.lms_host.views.handler404"


def test_the_wrapper_passes_the_host_routes_through_when_the_setting_is_off(lms_host, client):
    lms_host(precedence=False)
    with override_settings(ROOT_URLCONF=HOST_URLS, OPENEDX_LEARNER_APIS={"HOST_URLCONF": HOST_URLCONF}):
        assert client.get(FAMILY_REQUESTS["certificates"]).json()["served_by"] == "lms_host"
        assert {warning.id for warning in checks.check_route_precedence()} == {
            "openedx_learner_apis.W006", "openedx_learner_apis.W007"}


# Settings the hook could not apply.

def test_a_setting_the_hook_did_not_see_is_an_error(lms_host):
    lms_host(precedence=False)
    with override_settings(OPENEDX_LEARNER_APIS={"SERVE_BEFORE_HOST_ROUTES": True}):
        [error] = checks.check_route_precedence()
    assert error.id == "openedx_learner_apis.E013"
    assert f"ROOT_URLCONF = {HOST_URLS!r}" in error.hint
    assert f"['HOST_URLCONF'] = {HOST_URLCONF!r}" in error.hint


def test_the_wrapper_without_a_host_urlconf_is_an_error():
    with override_settings(ROOT_URLCONF=HOST_URLS, OPENEDX_LEARNER_APIS={"SERVE_BEFORE_HOST_ROUTES": True}):
        [error] = checks.check_route_precedence()
    assert error.id == "openedx_learner_apis.E014"


# The parts, as functions.

def test_every_app_route_has_a_sample_path():
    """Each route view of each family is reached by one of ``FAMILY_SAMPLES`` (in the test URLconf)."""
    assert set(FAMILY_SAMPLES) == set(FAMILY_URLCONFS)
    sampled = {view_path(resolve(url).func) for _, url in sample_paths()}
    routed = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif not getattr(pattern.callback.view_class, "serves_no_route", False) and pattern.name:
                routed.add(view_path(pattern.callback))

    walk(family_urlpatterns())
    assert routed - sampled == set()


def test_namespaces_only_the_host_declares_twice_are_left_alone():
    def view(request):
        return None

    host = [path("a/", include(([path("x", view, name="x")], "twice"), namespace="twice")),
            path("b/", include(([path("y", view, name="y")], "twice"), namespace="twice"))]
    assert merge_namespaces(host, only={"mine"}) == host
    [merged] = merge_namespaces(host)
    assert merged.namespace == "twice"
    assert len(merged.url_patterns) == 2


def test_precedence_patterns_put_the_app_first_and_its_fallbacks_last():
    host = [path("api/mobile/v1/elsewhere", lambda request: None, name="elsewhere")]
    patterns = precedence_patterns(family_urlpatterns(), host)
    resolver = URLResolver(patterns[0].pattern.__class__(r"^/"), patterns)
    assert resolver.resolve("/api/mobile/v1/elsewhere").url_name == "elsewhere"
    assert view_path(resolver.resolve("/api/mobile/v1/my_user_info").func).startswith("openedx_learner_apis.")
    assert view_path(resolver.resolve("/api/mobile/v9/x").func).startswith(
        "openedx_learner_apis.rest_api.common.unmatched")


# End to end: the host's settings modules, through plugin discovery, in their own process.

def run_check(settings_module: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True,
                            text=True, check=False)
    return result.stdout + result.stderr


@pytest.mark.parametrize("precedence", [False, True])
def test_manage_py_check_in_the_lms_host(precedence):
    output = run_check("tests.lms_host.settings_precedence" if precedence else "tests.lms_host.settings")
    if precedence:
        assert "System check identified no issues" in output, output
        return
    for warning in ("openedx_learner_apis.W006", "openedx_learner_apis.W007"):
        assert warning in output
    for namespace in SHARED_NAMESPACES:
        assert f"(urls.W005) URL namespace {json.dumps(namespace)[1:-1]!r} isn't unique" in output, namespace
