"""``course_status_info`` GET and PATCH (spec §6, DESIGN §6.12)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from openedx_learner_apis.api import enroll, grant_course_role, record_completion, upsert_course
from openedx_learner_apis.applets.mobile.models import IgnoreMobileAvailableFlagConfig
from openedx_learner_apis.applets.progress.models import CoursewarePosition
from openedx_learner_apis.signals import course_status_updated

from .factories import build_course

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Status+1"
URL = "/api/mobile/{v}/users/learner/course_status_info/" + KEY


def block(kind, block_id, course="edX+Status+1"):
    return f"block-v1:{course}+type@{kind}+block@{block_id}"


COURSE, CH1 = block("course", "course"), block("chapter", "ch1")
S1, S2 = block("sequential", "ch1s1"), block("sequential", "ch1s2")


@pytest.fixture
def keys(learner):
    _, keys = build_course(KEY)
    enroll(learner, KEY)
    return keys


@pytest.fixture
def client(session_client, learner, keys):
    return session_client(learner)


def patch(client, version="v0.5", **body):
    return client.patch(URL.format(v=version), body, format="json")


@pytest.mark.parametrize("version", ["v0.5", "v2", "v3", "v4"])
def test_get_without_saved_position(client, version):
    assert client.get(URL.format(v=version)).json() == {
        "last_visited_module_id": S1, "last_visited_module_path": [S1, CH1, COURSE]}


def test_get_v1_adds_last_completed_block(client, learner):
    assert client.get(URL.format(v="v1")).json()["last_visited_block_id"] == ""
    record_completion(learner, block("vertical", "ch1s2u1"))
    assert client.get(URL.format(v="v1")).json()["last_visited_block_id"] == block("vertical", "ch1s2u1")
    assert "last_visited_block_id" not in client.get(URL.format(v="v2")).json()


def test_patch_unit_in_second_subsection(client, learner):
    response = patch(client, last_visited_module_id=block("vertical", "ch1s2u2"))
    assert response.status_code == 200
    assert response.json() == {"last_visited_module_id": S2, "last_visited_module_path": [S2, CH1, COURSE]}
    positions = dict(CoursewarePosition.objects.values_list("block_key", "position"))
    assert {str(key): value for key, value in positions.items()} == {COURSE: 1, CH1: 2, S2: 2}
    assert client.get(URL.format(v="v1")).json()["last_visited_module_id"] == S2


def test_patch_v1_has_no_block_id(client):
    response = patch(client, "v1", last_visited_module_id=block("vertical", "ch1s2u1"))
    assert "last_visited_block_id" not in response.json()


@pytest.mark.parametrize("module_id", ["abc", block("vertical", "nope"), block("vertical", "ch1s2u1", "edX+Other+1"),
                                       12, ["x"]])
def test_patch_invalid_module(client, module_id):
    response = patch(client, last_visited_module_id=module_id)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"code": "invalid-module-id",
                                           "message": "Could not find module for module_id"}],
                               "error_code": "invalid-module-id",
                               "developer_message": "Could not find module for module_id"}
    assert not CoursewarePosition.objects.exists()


def test_patch_block_of_another_course_is_rejected(client, learner):
    build_course("course-v1:edX+Other+1")
    response = patch(client, last_visited_module_id=block("vertical", "ch1s2u1", "edX+Other+1"))
    assert response.status_code == 400 and not CoursewarePosition.objects.exists()


@pytest.mark.parametrize("date", ["abc", "2024-01-01T10:00:00", "2024-02-30T10:00:00Z", 5])
def test_patch_invalid_date(client, date):
    for body in ({"modification_date": date}, {"modification_date": date,
                                               "last_visited_module_id": block("vertical", "ch1s2u1")}):
        response = patch(client, **body)
        assert response.status_code == 400
        assert response.json() == {"errors": [{"code": "invalid-modification-date",
                                               "message": "Could not parse modification_date"}],
                                   "error_code": "invalid-modification-date",
                                   "developer_message": "Could not parse modification_date"}
    assert not CoursewarePosition.objects.exists()


def test_patch_without_module_returns_current_state(client):
    response = patch(client)
    assert response.status_code == 200 and response.json()["last_visited_module_id"] == S1
    assert not CoursewarePosition.objects.exists()


def test_patch_with_date_and_no_previous_save_applies(client):
    response = patch(client, last_visited_module_id=block("vertical", "ch1s2u1"),
                     modification_date=timezone.now().isoformat())
    assert response.json()["last_visited_module_id"] == S2


@pytest.mark.parametrize("offset, applied", [(-100, False), (0, False), (100, True)])
def test_modification_date(client, offset, applied):
    patch(client, last_visited_module_id=block("vertical", "ch1s1u1"))
    stored = CoursewarePosition.objects.get(block_key=COURSE).modified
    # make the course row change too, so "applied" is visible in its modified time
    response = patch(client, last_visited_module_id=block("vertical", "ch2s1u1"),
                     modification_date=(stored + timedelta(days=offset)).isoformat())
    assert response.status_code == 200
    assert response.json()["last_visited_module_id"] == (block("sequential", "ch2s1") if applied else S1)
    assert CoursewarePosition.objects.get(block_key=COURSE).position == (2 if applied else 1)


def test_signal_sent_on_commit_when_applied(client, django_capture_on_commit_callbacks):
    received = []
    course_status_updated.connect(lambda sender, **kwargs: received.append(kwargs), weak=False,
                                  dispatch_uid="test-mobile")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            patch(client, last_visited_module_id=block("vertical", "ch1s2u1"))
        assert len(received) == 1 and str(received[0]["block_key"]) == block("vertical", "ch1s2u1")
        with django_capture_on_commit_callbacks(execute=True):
            patch(client, last_visited_module_id="abc")
        assert len(received) == 1
    finally:
        course_status_updated.disconnect(dispatch_uid="test-mobile")


def test_form_encoded_patch(client):
    response = client.patch(URL.format(v="v1"), urlencode({"last_visited_module_id": block("vertical", "ch1s2u1")}),
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and response.json()["last_visited_module_id"] == S2


# Course access (spec §6.1).

def test_unknown_course(client):
    response = client.get("/api/mobile/v1/users/learner/course_status_info/course-v1:a+b+c")
    assert response.status_code == 404 and "detail" in response.json()


def test_not_enrolled(session_client, other_learner, keys):
    response = session_client(other_learner).get(
        URL.replace("learner", "other").format(v="v1"))
    assert response.status_code == 404 and set(response.json()) == {"detail", "developer_message", "error_code"}


@pytest.mark.parametrize("fields, code", [
    ({"start": timedelta(days=365)}, "course_not_started"),  # from the time the test runs
    ({"mobile_available": False}, "mobile_unavailable"),
    ({"visible_to_staff_only": True}, "not_visible_to_user"),
    ({"pre_requisite_courses": ["course-v1:edX+Pre+1"]}, "unfulfilled_milestones"),
])
def test_access_errors(client, learner, fields, code):
    upsert_course(KEY, **{name: timezone.now() + value if isinstance(value, timedelta) else value
                          for name, value in fields.items()})
    for method in ("get", "patch"):
        response = getattr(client, method)(URL.format(v="v1"))
        assert response.status_code == 404
        body = response.json()
        assert body["error_code"] == code and body["has_access"] is False and body["user_fragment"] is None
    grant_course_role(learner, KEY, "staff")
    assert client.get(URL.format(v="v1")).status_code == 200


@pytest.mark.parametrize("role", ["beta_testers", "staff", "instructor"])
def test_non_mobile_course_with_role(client, learner, role):
    upsert_course(KEY, mobile_available=False)
    grant_course_role(learner, KEY, role)
    assert client.get(URL.format(v="v1")).status_code == 200


def test_non_mobile_course_with_switch(client):
    upsert_course(KEY, mobile_available=False)
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    assert client.get(URL.format(v="v1")).status_code == 200


def test_global_staff_with_unfulfilled_prerequisite(session_client, staff_user, keys):
    upsert_course(KEY, pre_requisite_courses=["course-v1:edX+Pre+1"])
    enroll(staff_user, KEY)
    assert session_client(staff_user).get(URL.replace("learner", "staff").format(v="v1")).status_code == 200


def test_fulfilled_prerequisite(client, learner):
    from openedx_learner_apis.api import set_course_grade
    upsert_course(KEY, pre_requisite_courses=["course-v1:edX+Pre+1"])
    set_course_grade(learner, "course-v1:edX+Pre+1", 0.9, True)
    assert client.get(URL.format(v="v1")).status_code == 200


def test_hidden_chapter_is_skipped_for_learners(client, learner):
    from openedx_learner_apis.applets.courses.models import Block
    from openedx_learner_apis.applets.courses.outline import invalidate_outline
    Block.objects.filter(usage_key=CH1).update(visible_to_staff_only=True)
    invalidate_outline(KEY)
    assert client.get(URL.format(v="v1")).json()["last_visited_module_id"] == block("sequential", "ch2s1")
    assert patch(client, last_visited_module_id=block("vertical", "ch1s1u1")).status_code == 400


def test_patch_with_nulls_returns_current_state_and_the_schema_says_so(client):
    """JSON ``null`` means "none" for both fields (forms cannot say it): the schema declares them nullable."""
    from drf_spectacular.generators import SchemaGenerator

    response = patch(client, last_visited_module_id=None, modification_date=None)
    assert response.status_code == 200 and response.json()["last_visited_module_id"] == S1
    assert not CoursewarePosition.objects.exists()
    body = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"][
        "PatchedMobileCourseStatusPatch"]["properties"]
    assert body["last_visited_module_id"].get("nullable") is True
    assert body["modification_date"].get("nullable") is True
