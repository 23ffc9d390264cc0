"""GET resume and POST celebration over HTTP (docs/courseware.rst)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from openedx_learner_apis.api import enroll, grant_course_role, record_completion
from openedx_learner_apis.applets.engagement.models import CourseEnrollmentCelebration
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.signals import celebration_updated
from tests.course_builders import TOY_KEY, sequence_key, unit_key, usage

pytestmark = pytest.mark.django_db

RESUME = f"/api/courseware/resume/{TOY_KEY}"
CELEBRATION = f"/api/courseware/celebration/{TOY_KEY}"


@pytest.fixture
def enrolled(learner, course):
    enroll(learner, TOY_KEY, "verified")
    return learner


# Resume.

def test_resume_without_completions(session_client, enrolled):
    assert session_client(enrolled).get(RESUME).json() == {"block_id": None, "section_id": None, "unit_id": None}


def test_resume_completion_on_unit(session_client, enrolled):
    record_completion(enrolled, unit_key())
    assert session_client(enrolled).get(RESUME).json() == {
        "block_id": str(unit_key()), "section_id": str(sequence_key()), "unit_id": str(unit_key())}


def test_resume_latest_completion_wins(jwt_client, enrolled):
    record_completion(enrolled, usage(TOY_KEY, "problem", "problem_0"))
    record_completion(enrolled, usage(TOY_KEY, "html", "html_0"), completion=0.5)
    body = jwt_client(enrolled).get(RESUME).json()
    assert body["block_id"] == str(usage(TOY_KEY, "html", "html_0"))
    assert body["unit_id"] == str(unit_key())


@pytest.mark.parametrize("block", [usage(TOY_KEY, "html", "nope"), sequence_key()])
def test_resume_unknown_or_too_high_block(session_client, enrolled, block):
    """An unknown block, or a completion on a subsection, gives nulls."""
    record_completion(enrolled, block)
    assert session_client(enrolled).get(RESUME).json() == {"block_id": None, "section_id": None, "unit_id": None}


def test_resume_anonymous_is_401(api_client, course):
    response = api_client.get(RESUME)
    assert response.status_code == 401
    assert "developer_message" in response.json()


def test_resume_missing_course_is_404(session_client, learner, db):
    response = session_client(learner).get("/api/courseware/resume/course-v1:does+not+exist")
    assert response.status_code == 404
    assert "developer_message" in response.json()


def test_resume_course_not_visible_is_404(session_client, learner, course):
    course.visible_to_staff_only = True
    course.save()
    assert session_client(learner).get(RESUME).status_code == 404


def test_resume_unenrolled_visible_course(session_client, learner, course):
    assert session_client(learner).get(RESUME).status_code == 200


def test_resume_inactive_enrollment(session_client, learner, course):
    enroll(learner, TOY_KEY, is_active=False)
    assert session_client(learner).get(RESUME).status_code == 200


def test_resume_staff_masquerading_gets_own_data(session_client, enrolled, make_user):
    instructor = make_user("instructor")
    grant_course_role(instructor, TOY_KEY, "instructor")
    record_completion(enrolled, unit_key())
    client = session_client(instructor)
    session = client.session
    session["masquerade_settings"] = {TOY_KEY: {"role": "student", "user_name": "learner"}}
    session.save()
    assert client.get(RESUME).json()["block_id"] is None


def test_resume_staff_username(session_client, staff_user, enrolled, other_learner):
    record_completion(enrolled, unit_key())
    assert session_client(staff_user).get(RESUME, {"username": "learner"}).json()["unit_id"] == str(unit_key())
    assert session_client(other_learner).get(RESUME, {"username": "learner"}).status_code == 403


def test_resume_wrong_method(session_client, enrolled):
    assert session_client(enrolled).post(RESUME).status_code == 405


def test_resume_query_count(session_client, enrolled, django_assert_num_queries):
    record_completion(enrolled, unit_key())
    client = session_client(enrolled)
    client.get(RESUME)
    # session and user 2, course and modes 2, roles 1, enrollment 1, latest completion 1
    with django_assert_num_queries(7):
        client.get(RESUME)


# Celebration.

def test_celebration_created_then_updated(session_client, enrolled, django_capture_on_commit_callbacks):
    """``celebration_updated`` is sent on commit."""
    client = session_client(enrolled)
    received = []
    celebration_updated.connect(lambda **kwargs: received.append(kwargs), weak=False, dispatch_uid="t29")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(CELEBRATION, {"first_section": True, "weekly_goal": True}, format="json")
        with django_capture_on_commit_callbacks(execute=True):
            second = client.post(CELEBRATION, {"first_section": True, "weekly_goal": True}, format="json")
    finally:
        celebration_updated.disconnect(dispatch_uid="t29")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == {"first_section": True, "weekly_goal": True}
    row = CourseEnrollmentCelebration.objects.get(enrollment__user=enrolled)
    assert (row.celebrate_first_section, row.celebrate_weekly_goal) == (True, True)
    assert len(received) == 2 and received[0]["user"] == enrolled and str(received[0]["course_key"]) == TOY_KEY


@pytest.mark.parametrize("body", [{"extra": True}, {"first_section": "yes"}, {"weekly_goal": 1}, ["first_section"]])
def test_celebration_bad_body_is_400(session_client, enrolled, body):
    """Unknown keys and non-booleans are refused."""
    response = session_client(enrolled).post(CELEBRATION, body, format="json")
    assert response.status_code == 400
    assert "developer_message" in response.json()
    assert not CourseEnrollmentCelebration.objects.exists()


def test_celebration_empty_body(session_client, enrolled):
    response = session_client(enrolled).post(CELEBRATION, {}, format="json")
    assert response.status_code == 200
    assert not CourseEnrollmentCelebration.objects.exists()
    response = session_client(enrolled).post(CELEBRATION, {"first_section": None}, format="json")
    assert response.status_code == 200
    assert not CourseEnrollmentCelebration.objects.exists()


def test_celebration_without_enrollment_is_404(session_client, enrolled):
    Enrollment.objects.filter(user=enrolled).delete()
    response = session_client(enrolled).post(CELEBRATION, {"first_section": True}, format="json")
    assert response.status_code == 404
    assert "developer_message" in response.json()


def test_celebration_inactive_enrollment_counts(session_client, learner, course):
    enroll(learner, TOY_KEY, is_active=False)
    assert session_client(learner).post(CELEBRATION, {"first_section": False}, format="json").status_code == 201


def test_celebration_logged_out_is_401(api_client, course):
    response = api_client.post(CELEBRATION, {"first_section": True}, format="json")
    assert response.status_code == 401
    assert "developer_message" in response.json()


def test_celebration_missing_course_is_404(session_client, learner, db):
    response = session_client(learner).post("/api/courseware/celebration/course-v1:does+not+exist",
                                             {"first_section": True}, format="json")
    assert response.status_code == 404


def test_celebration_unenrolled_staff_is_404(session_client, make_user, course):
    instructor = make_user("instructor")
    grant_course_role(instructor, TOY_KEY, "instructor")
    assert session_client(instructor).post(CELEBRATION, {"first_section": True}, format="json").status_code == 404


def test_celebration_masquerading_staff_is_202_and_writes_nothing(session_client, staff_user, enrolled):
    enroll(staff_user, TOY_KEY, "verified")
    client = session_client(staff_user)
    assert client.post(CELEBRATION, {"first_section": True}, format="json").status_code == 201
    session = client.session
    session["masquerade_settings"] = {TOY_KEY: {"role": "student", "user_name": "learner"}}
    session.save()
    response = client.post(CELEBRATION, {"first_section": True, "weekly_goal": True, "junk": 1}, format="json")
    assert response.status_code == 202
    assert response.json() == {"first_section": False, "weekly_goal": False}
    assert not CourseEnrollmentCelebration.objects.filter(enrollment__user=enrolled).exists()
    row = CourseEnrollmentCelebration.objects.get(enrollment__user=staff_user)
    assert (row.celebrate_first_section, row.celebrate_weekly_goal) == (True, False)


@override_settings(OPENEDX_LEARNER_APIS={"ENABLE_MASQUERADE": False})
def test_masquerade_can_be_turned_off(session_client, staff_user, enrolled):
    enroll(staff_user, TOY_KEY, "verified")
    client = session_client(staff_user)
    session = client.session
    session["masquerade_settings"] = {TOY_KEY: {"role": "student", "user_name": "learner"}}
    session.save()
    assert client.post(CELEBRATION, {"first_section": True}, format="json").status_code == 201


def test_celebration_wrong_method(session_client, enrolled):
    response = session_client(enrolled).get(CELEBRATION)
    assert response.status_code == 405
    assert response.json()["developer_message"] == 'Method "GET" not allowed.'


def test_celebration_jwt(jwt_client, enrolled):
    assert jwt_client(enrolled).post(CELEBRATION, {"weekly_goal": True}, format="json").status_code == 201


def test_celebration_session_needs_csrf(enrolled):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(enrolled)
    assert client.post(CELEBRATION, {"weekly_goal": True}, format="json").status_code == 403
