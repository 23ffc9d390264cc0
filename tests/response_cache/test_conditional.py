"""Conditional GET over HTTP: the headers, ``If-None-Match`` (lists, ``*``, weak tags), errors, query counts."""

from __future__ import annotations

import pytest
from django.test import override_settings

from openedx_learner_apis.rest_api.common.conditional import if_none_match_hits
from tests.course_builders import TOY_KEY

from .conftest import OFF, endpoint_urls, read

pytestmark = pytest.mark.django_db

ENROLLMENTS = "/api/mobile/v4/users/learner/course_enrollments/"


@pytest.fixture
def client(world, learner, jwt_client):
    return jwt_client(learner)


@pytest.mark.parametrize("header, hit", [
    (None, False), ("", False), ('"abc"', True), ('W/"abc"', True), ('"x", "abc"', True), ('"x",W/"abc"', True),
    ("*", True), ('"abcd"', False), ('"ab"', False), ("abc", False),
])
def test_if_none_match_uses_the_weak_comparison(header, hit):
    assert if_none_match_hits(header, '"abc"') is hit


@pytest.mark.parametrize("url", endpoint_urls())
def test_every_cached_endpoint_revalidates(client, url):
    response = client.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert response["Cache-Control"] == "private, no-cache"
    assert {"Authorization", "Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=header)
        assert not_modified.status_code == 304, header
        assert not_modified.content == b""
        assert not_modified["ETag"] == etag
        assert not_modified["Cache-Control"] == "private, no-cache"
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').content == response.content


@pytest.mark.parametrize("url", [ENROLLMENTS, f"/api/courseware/course/{TOY_KEY}"])
def test_revalidation_without_the_cache_builds_and_compares(client, url):
    with override_settings(OPENEDX_LEARNER_APIS=OFF):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_same_etag_with_or_without_the_cache(client):
    cached = read(client, ENROLLMENTS)
    with override_settings(OPENEDX_LEARNER_APIS=OFF):
        assert read(client, ENROLLMENTS) == cached


@pytest.mark.parametrize("url, status", [
    ("/api/mobile/v4/users/other/course_enrollments/", 403),
    ("/api/courseware/course/course-v1:edX+nope+1", 404),
    ("/api/certificates/v0/certificates/learner/courses/course-v1:edX+nope+1/", 404),
    ("/api/user/v1/accounts/nobody", 404),
])
def test_errors_carry_no_etag(client, url, status):
    response = client.get(url, HTTP_IF_NONE_MATCH="*")
    assert response.status_code == status
    assert "ETag" not in response


def test_anonymous_refusal_carries_no_etag(world, api_client):
    response = api_client.get(ENROLLMENTS)
    assert response.status_code == 401 and "ETag" not in response


def test_a_requester_never_gets_another_ones_answer(world, learner, staff_user, jwt_client):
    """The certificates list differs by requester (owner, staff); each gets their own."""
    url = "/api/certificates/v0/certificates/learner/"
    owner, staff = jwt_client(learner), jwt_client(staff_user)
    assert owner.get(url).content == owner.get(url).content
    assert staff.get(url).status_code == 200
    with override_settings(OPENEDX_LEARNER_APIS=OFF):
        uncached = staff.get(url).content
    assert staff.get(url).content == uncached


def test_the_language_is_part_of_the_version(client):
    english = client.get(ENROLLMENTS, HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(ENROLLMENTS, HTTP_ACCEPT_LANGUAGE="fr")
    assert english.status_code == french.status_code == 200


@pytest.mark.parametrize("url", endpoint_urls())
def test_a_cache_hit_runs_at_most_the_authentication_queries(client, url, django_assert_max_num_queries):
    client.get(url)
    client.get(url)
    # A JWT names its user: authentication reads the user row (and may sync it); nothing else is read.
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304


def test_a_host_hook_without_a_version_turns_versions_off(client, learner):
    with override_settings(OPENEDX_LEARNER_APIS={"RESPONSE_CACHE": True, "HOOKS": "tests.test_hooks.HostHooks"}):
        from openedx_learner_apis.rest_api.common.conditional import hooks_version

        assert hooks_version(learner) is None
        assert client.get(ENROLLMENTS)["ETag"]  # still revalidated, by building the answer


@pytest.mark.parametrize("setting, shared, expected", [
    (None, True, True), (None, False, False), (True, False, True), (False, True, False),
    ({"mobile": False}, True, False), ({"mobile": True}, False, True), ({"courseware": False}, True, True),
    ({"default": False, "mobile": True}, True, True), ({"default": False}, True, False),
])
def test_the_setting_per_family(setting, shared, expected):
    from openedx_learner_apis.conf import learner_apis_settings

    with override_settings(OPENEDX_LEARNER_APIS={"RESPONSE_CACHE": setting}):
        assert learner_apis_settings.response_cache("mobile", cache_is_shared=shared) is expected


def test_a_family_turned_off_with_a_shared_cache_keeps_nothing_and_still_answers_304(client, monkeypatch):
    """Off means the answer is built as without the cache (no version, no clock boundary: the cold
    path pays nothing for caching); the built body's ETag still answers If-None-Match."""
    from django.core.cache import cache

    from openedx_learner_apis.rest_api.common import conditional

    stored = []
    real_set = cache.set

    def recording_set(key, value, *args, **kwargs):
        if key.startswith(conditional.ENTRY_PREFIX):
            stored.append(value)
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(conditional, "default_cache_is_shared", lambda: True)
    monkeypatch.setattr(conditional.cache, "set", recording_set)
    with override_settings(OPENEDX_LEARNER_APIS={"RESPONSE_CACHE": {"mobile": False}}):
        etag = client.get(ENROLLMENTS)["ETag"]
        assert stored == []
        assert client.get(ENROLLMENTS, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert stored == []


def test_a_request_may_turn_the_response_cache_off_for_itself(rf):
    from types import SimpleNamespace

    from openedx_learner_apis.rest_api.common.conditional import RESPONSE_CACHE_ATTRIBUTE, keeps_bodies

    view, request = SimpleNamespace(family="mobile"), rf.get(ENROLLMENTS)
    assert keeps_bodies(view, request) is True
    setattr(request, RESPONSE_CACHE_ATTRIBUTE, False)
    assert keeps_bodies(view, request) is False
    with override_settings(OPENEDX_LEARNER_APIS=OFF):
        assert keeps_bodies(view, rf.get(ENROLLMENTS)) is False


@pytest.fixture
def cold_switch(settings):
    """The bench host's middleware, which sets the request attribute on ``X-Bench-Response-Cache: off``."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "benchmarks.harness.cold.ColdRequestMiddleware"]


@pytest.mark.parametrize("url", [ENROLLMENTS, f"/api/courseware/course/{TOY_KEY}"])
def test_a_request_with_the_cache_off_is_built_and_its_body_not_kept(cold_switch, client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    hit = client.get(url)
    with CaptureQueriesContext(connection) as cold_queries:
        cold = client.get(url, HTTP_X_BENCH_RESPONSE_CACHE="off")
    # Built from the database (more than the authentication's queries), the same answer and ETag.
    assert len(cold_queries) > 2
    assert (cold.status_code, cold.content, cold["ETag"]) == (200, hit.content, hit["ETag"])
    assert client.get(url, HTTP_X_BENCH_RESPONSE_CACHE="off", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
    # The cold read neither read nor replaced the entry: the next ordinary read is still a hit.
    with CaptureQueriesContext(connection) as repeated:
        assert client.get(url).content == hit.content
    assert len(repeated) <= 2
