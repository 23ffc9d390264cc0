"""The profile image write limit over HTTP: the default rate, 429 in the family's shape, Retry-After.

The four routes (current POST and DELETE, deprecated upload and remove) share one budget per
user. The throttle's clock is patched; nothing waits.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse

from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.rest_api.common.throttling import FamilyWriteThrottle
from tests.applets.profile_images.storages import uploaded_image
from tests.robustness.openapi import assert_documented

pytestmark = pytest.mark.django_db

CURRENT = "accounts_profile_image_api:accounts_profile_image_api"
LEGACY_UPLOAD = "profile_images:profile_image_upload"
LEGACY_REMOVE = "profile_images:profile_image_remove"
ROUTES = [(CURRENT, "post"), (CURRENT, "delete"), (LEGACY_UPLOAD, "post"), (LEGACY_REMOVE, "post")]
PATHS = {CURRENT: "/api/user/v1/accounts/{username}/image", LEGACY_UPLOAD: "/api/profile_images/v1/{username}/upload",
         LEGACY_REMOVE: "/api/profile_images/v1/{username}/remove"}
THROTTLED = {
    "developer_message": "Request was throttled. Expected available in 60 seconds.",
    "user_message": "Too many requests. Please try again later.",
    "error_code": "throttled",
}


@pytest.fixture
def clock(monkeypatch):
    state = SimpleNamespace(now=2_000_000.0)
    monkeypatch.setattr(FamilyWriteThrottle, "timer", lambda self: state.now)
    return state


def url(route: str, username: str) -> str:
    return reverse(route, kwargs={"username": username})


def write(client, route=CURRENT, method="delete", username="learner"):
    """A cheap write: a removal, or an upload without a file (400); both count against the budget."""
    return getattr(client, method)(url(route, username), {}, format="multipart")


def use_up(client, count=10, username="learner"):
    """``count`` writes spread over the four routes, each answered normally."""
    for index in range(count):
        route, method = ROUTES[index % len(ROUTES)]
        assert write(client, route, method, username).status_code in (204, 400)


@pytest.mark.parametrize(("route", "method"), ROUTES)
def test_the_eleventh_write_in_a_minute_is_429_on_every_route(session_client, learner, clock, route, method):
    client = session_client(learner)
    use_up(client)
    response = write(client, route, method)
    assert response.status_code == 429
    assert response.json() == THROTTLED
    assert response["Retry-After"] == "60"
    assert_documented(response, method, PATHS[route])


def test_real_uploads_count_and_a_refused_one_changes_nothing(session_client, learner, clock):
    client = session_client(learner)
    use_up(client, 9)
    assert client.post(url(CURRENT, "learner"), {"file": uploaded_image()}, format="multipart").status_code == 204
    stored = LearnerProfile.objects.get(user=learner).profile_image_version
    response = client.post(url(CURRENT, "learner"), {"file": uploaded_image(size=(80, 60))}, format="multipart")
    assert response.status_code == 429
    assert response.json() == THROTTLED
    assert LearnerProfile.objects.get(user=learner).profile_image_version == stored


def test_retry_after_counts_down_and_the_budget_comes_back(session_client, learner, clock):
    client = session_client(learner)
    use_up(client)
    clock.now += 40
    response = write(client)
    assert (response.status_code, response["Retry-After"]) == (429, "20")
    assert response.json()["developer_message"] == "Request was throttled. Expected available in 20 seconds."
    clock.now += 20
    assert write(client).status_code == 204


def test_each_user_has_their_own_budget(session_client, learner, other_learner, clock):
    use_up(session_client(learner))
    assert write(session_client(learner)).status_code == 429
    assert write(session_client(other_learner), username="other").status_code == 204


def test_a_staff_member_removing_images_spends_their_own_budget(session_client, learner, staff_user, clock):
    staff = session_client(staff_user)
    use_up(staff, username="staff")
    assert write(staff, username="learner").status_code == 429
    assert write(session_client(learner)).status_code == 204


def test_refusals_before_the_throttle_do_not_spend_the_budget(api_client, session_client, learner, other_learner,
                                                               clock):
    """Authentication and permissions run first: 401 and 404 answers are not counted."""
    for _ in range(15):
        assert write(api_client).status_code == 401
        assert write(session_client(other_learner)).status_code == 404
    assert write(session_client(other_learner), username="other").status_code == 204


@override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"profile_images": None}})
def test_none_lifts_the_limit(session_client, learner, clock):
    client = session_client(learner)
    use_up(client, 30)


@override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"profile_images": "2/hour"}})
def test_a_configured_rate_applies(session_client, learner, clock):
    client = session_client(learner)
    use_up(client, 2)
    response = write(client)
    assert (response.status_code, response["Retry-After"]) == (429, "3600")
    clock.now += 3600
    assert write(client).status_code == 204


def test_a_rate_changed_between_requests_applies_at_once(session_client, learner, clock):
    client = session_client(learner)
    use_up(client, 3)
    with override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"profile_images": "3/minute"}}):
        assert write(client).status_code == 429
    assert write(client).status_code == 204
