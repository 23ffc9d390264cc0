"""The write limits of the accounts, mobile and courseware families over HTTP, each in its error shape.

Each family's writes share one budget per user (60 a minute by default); reads are never
counted. The throttle's clock is patched; nothing waits.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import override_settings

from openedx_learner_apis.api import enroll
from openedx_learner_apis.rest_api.common.throttling import FamilyWriteThrottle
from tests.course_builders import TOY_KEY, build_course, toy_course
from tests.robustness.openapi import api_schema, assert_documented

pytestmark = pytest.mark.django_db

STATUS_KEY = "course-v1:edX+Status+1"
COURSE_STATUS = "/api/mobile/v1/users/learner/course_status_info/" + STATUS_KEY
CELEBRATION = f"/api/courseware/celebration/{TOY_KEY}"
ACCOUNT = "/api/user/v1/accounts/learner"
PREFERENCES = "/api/user/v1/preferences/learner"
MESSAGE = "Request was throttled. Expected available in 60 seconds."


@pytest.fixture
def clock(monkeypatch):
    state = SimpleNamespace(now=3_000_000.0)
    monkeypatch.setattr(FamilyWriteThrottle, "timer", lambda self: state.now)
    return state


@pytest.fixture
def client(session_client, learner):
    build_course(STATUS_KEY)
    enroll(learner, STATUS_KEY)
    toy_course()
    enroll(learner, TOY_KEY)
    return session_client(learner)


def mobile_write(client):
    return client.patch(COURSE_STATUS, {}, format="json")


def courseware_write(client):
    return client.post(CELEBRATION, {"first_section": False}, format="json")


def account_write(client):
    return client.patch(ACCOUNT, json.dumps({"bio": "Hi"}), content_type="application/merge-patch+json")


def preferences_write(client):
    return client.patch(PREFERENCES, json.dumps({"time_zone": "UTC"}), content_type="application/merge-patch+json")


def spend(write, client, count=60):
    for _ in range(count):
        assert write(client).status_code < 400


def test_mobile_course_status_update_is_429_with_the_developer_keys(client, clock):
    spend(mobile_write, client)
    response = mobile_write(client)
    assert response.status_code == 429
    assert response.json() == {"detail": MESSAGE, "developer_message": MESSAGE, "error_code": "throttled"}
    assert response["Retry-After"] == "60"
    assert_documented(response, "patch", "/api/mobile/{api_version}/users/{username}/course_status_info/"
                                          "{course_key_string}")
    assert client.get(COURSE_STATUS).status_code == 200  # reads are not limited


def test_courseware_celebration_is_429_in_the_developer_error_shape(client, clock):
    spend(courseware_write, client)
    response = courseware_write(client)
    assert response.status_code == 429
    assert response.json() == {"developer_message": MESSAGE, "error_code": "throttled"}
    assert response["Retry-After"] == "60"
    assert_documented(response, "post", "/api/courseware/celebration/{course_key_string}")


def test_account_and_preference_updates_share_the_accounts_budget(client, clock):
    spend(account_write, client, 30)
    spend(preferences_write, client, 30)
    for write, path in ((account_write, "/api/user/v1/accounts/{username}"),
                        (preferences_write, "/api/user/v1/preferences/{username}")):
        response = write(client)
        assert response.status_code == 429
        assert response.json() == {"developer_message": MESSAGE, "error_code": "throttled"}
        assert response["Retry-After"] == "60"
        assert_documented(response, "patch", path)
    assert client.get(ACCOUNT).status_code == 200


def test_families_have_separate_budgets(client, clock):
    spend(mobile_write, client)
    assert mobile_write(client).status_code == 429
    assert courseware_write(client).status_code == 201
    assert account_write(client).status_code == 200


def test_the_budget_comes_back_after_the_period(client, clock):
    spend(courseware_write, client)
    clock.now += 59
    assert courseware_write(client)["Retry-After"] == "1"
    clock.now += 1
    assert courseware_write(client).status_code == 200


@override_settings(OPENEDX_LEARNER_APIS={"THROTTLE_RATES": {"mobile": None, "courseware": "1/day",
                                                            "accounts": "5/hour"}})
def test_each_family_follows_its_setting(client, clock):
    spend(mobile_write, client, 100)
    spend(courseware_write, client, 1)
    response = courseware_write(client)
    assert (response.status_code, response["Retry-After"]) == (429, "86400")
    spend(account_write, client, 5)
    assert account_write(client)["Retry-After"] == "3600"


def test_every_write_operation_documents_its_429():
    writes = [(method, path) for path, operations in api_schema()["paths"].items()
              for method, operation in operations.items() if method in ("post", "put", "patch", "delete")]
    assert len(writes) == 8
    assert [write for write in writes if "429" not in api_schema()["paths"][write[1]][write[0]]["responses"]] == []
