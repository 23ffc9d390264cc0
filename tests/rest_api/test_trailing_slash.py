"""A URL that lacks only its trailing slash is served by the route it names, on every family.

Django's ``APPEND_SLASH`` answers such URLs only when no pattern matches them, and each
family's loose JSON 404 patterns match almost everything under its prefix. The legacy Android
app requests ``/api/badges/v1/assertions/user/{username}?page_size=10&page=1``.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from openedx_learner_apis.rest_api.common.unmatched import slash_route
from tests.rest_api.badges.test_badges_views import award, make_class, share

pytestmark = pytest.mark.django_db

# One URL per route whose pattern requires a trailing slash (test_every_slash_route_is_listed keeps it whole).
SLASH_ROUTES = [
    "/api/badges/v1/assertions/user/learner/",
    "/api/certificates/v0/certificates/learner/",
    "/api/certificates/v0/certificates/learner/courses/course-v1:edX+A+B/",
    *(f"/api/mobile/{v}/{route}" for v in ("v0.5", "v1", "v2", "v3", "v4") for route in (
        "my_user_info/", "users/learner/", "users/learner/course_enrollments/", "users/learner/enrollments_status/",
        "users/learner/course_status_info/course-v1:edX+A+B/", "course_info/course-v1:edX+A+B/handouts/",
        "course_info/course-v1:edX+A+B/updates/")),
]


def routes(resolver=None, prefix=""):
    """``(full regex, view class)`` of every pattern of the URLconf."""
    for pattern in (resolver or get_resolver()).url_patterns:
        regex = prefix + str(pattern.pattern.regex.pattern).lstrip("^") if prefix else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, regex)
        elif isinstance(pattern, URLPattern):
            yield regex, getattr(pattern.callback, "view_class", None)


def test_every_slash_route_is_listed():
    listed = {resolve(url).route for url in SLASH_ROUTES}
    needing_slash = {regex for regex, view in routes()
                     if regex.endswith("/$") and view is not None and not getattr(view, "serves_no_route", False)}
    assert any("assertions/user" in regex for regex in needing_slash)  # the walk sees the badges route
    assert needing_slash <= listed, needing_slash - listed


@pytest.mark.parametrize("url", SLASH_ROUTES)
def test_a_slash_route_is_served_without_its_slash(jwt_client, learner, url):
    client = jwt_client(learner)
    with_slash, without = client.get(url), client.get(url.rstrip("/"))
    assert without.status_code == with_slash.status_code
    assert without.content == with_slash.content or without.status_code == 302


def test_the_legacy_android_badges_url(api_client, learner):
    share(learner)
    award(learner, make_class())
    response = api_client.get("/api/badges/v1/assertions/user/learner?page_size=10&page=1")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1 and len(response.json()["results"]) == 1


def test_other_methods_reach_the_route_too(jwt_client, learner):
    # The badges route is read-only: a 405 from it, not a 404 from the loose pattern.
    response = jwt_client(learner).post("/api/badges/v1/assertions/user/learner", {}, format="json")
    assert response.status_code == 405
    assert response.json()["detail"].startswith("Method")


def test_unknown_urls_are_still_json_404s(api_client):
    response = api_client.get("/api/badges/v1/assertions/user/learner/extra")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


@override_settings(APPEND_SLASH=False)
def test_without_append_slash_nothing_is_appended(api_client, learner):
    share(learner)
    assert api_client.get("/api/badges/v1/assertions/user/learner").status_code == 404


def test_slash_route(rf):
    assert slash_route(rf.get("/api/badges/v1/assertions/user/learner")).url_name == "user_assertions"
    assert slash_route(rf.get("/api/badges/v1/assertions/user/learner/")) is None  # already has one
    assert slash_route(rf.get("/api/badges/v1/assertions/user/a%22b")) is None  # only a loose pattern matches
    assert slash_route(rf.get("/api/courseware/course/course-v1:edX+A+B")) is None  # no route with a slash
