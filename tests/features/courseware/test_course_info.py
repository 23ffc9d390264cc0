"""Course info rules without HTTP."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from openedx_learner_apis.applets.courses.dates import DEFAULT_START_DATE as DEFAULT_START, start_display, start_type
from openedx_learner_apis.applets.courses.models import Course, CourseMode
from openedx_learner_apis.features.courseware.course_facts import (
    certificate_eligible_mode,
    course_price,
    pre_requisite_courses,
    single_paid_mode,
)
from openedx_learner_apis.features.courseware.course_info import CourseInfo
from openedx_learner_apis.features.courseware.viewer import Masquerade
from openedx_learner_apis.hooks import DefaultHooks
from tests.course_exports import DEMO_OLX

NOW = datetime(2026, 6, 1, tzinfo=dt_timezone.utc)


def course(**fields):
    return Course(course_key="course-v1:edX+toy+run", org="edX", number="toy", run="run", **fields)


def test_start_display_and_type():
    assert (start_display(course(advertised_start="Soon")), start_type(course(advertised_start="Soon"))) == (
        "Soon", "string")
    started = course(start=datetime(2020, 1, 5, tzinfo=dt_timezone.utc))
    assert (start_display(started), start_type(started)) == ("Jan 5, 2020", "timestamp")
    assert (start_display(course(start=DEFAULT_START)), start_type(course(start=DEFAULT_START))) == (None, "empty")


def test_prices_and_paid_mode():
    audit, verified = CourseMode(mode_slug="audit"), CourseMode(mode_slug="verified", min_price=49, sku="V")
    assert course_price([audit, verified]) == "Free"
    assert course_price([verified]) == "$49"
    assert course_price([CourseMode(mode_slug="verified", min_price=49, currency="eur")]) == "Free"
    assert single_paid_mode([verified])["sku"] == "V"
    assert single_paid_mode([audit, verified]) == {}
    professional = CourseMode(mode_slug="professional", min_price=300, sku="P", mode_display_name="Pro")
    assert single_paid_mode([audit, professional]) == {"sku": "P", "name": "Pro", "min_price": 300, "description": ""}


def test_certificate_eligible_modes():
    assert not certificate_eligible_mode("audit") and not certificate_eligible_mode(None)
    assert certificate_eligible_mode("honor") and certificate_eligible_mode("verified")
    with override_settings(OPENEDX_LEARNER_APIS={"DISABLE_HONOR_CERTIFICATES": True}):
        assert not certificate_eligible_mode("honor")


def test_prerequisite_courses_skip_bad_keys():
    assert pre_requisite_courses(course(pre_requisite_courses=["x", "org/num/run"])) == [
        {"key": "org/num/run", "display": "org num"}]


def test_anonymous_fields_need_no_database():
    info = CourseInfo(course(start=NOW), user=AnonymousUser(), real_user=AnonymousUser(), enrollment=None,
                      is_staff=False, roles=set(), masquerade=Masquerade(), hooks=DefaultHooks(), now=NOW)
    assert info.certificate_data is None and info.access_expiration is None
    assert info.user_has_passing_grade is False and info.related_programs is None and info.offer is None
    assert info.celebrations["streak_length_to_celebrate"] is None
    assert info.enrollment_data == {"mode": None, "is_active": False}


@pytest.mark.django_db
def test_demo_course_end_to_end(session_client, learner):
    """The imported demo course through all four endpoints."""
    from openedx_learner_apis.api import enroll, get_outline, import_olx, record_completion

    key = import_olx(str(DEMO_OLX))
    enroll(learner, key, "verified")
    client = session_client(learner)
    assert client.get(f"/api/courseware/course/{key}").json()["id"] == str(key)
    sequence = next(block for block in get_outline(key).of_type("sequential") if block.children)
    body = client.get(f"/api/courseware/sequence/{sequence.usage_key}").json()
    assert len(body["items"]) == len(sequence.children)
    leaf = next(sequence.descendants())
    while leaf.children:
        leaf = leaf.children[0]
    record_completion(learner, leaf.usage_key)
    resume = client.get(f"/api/courseware/resume/{key}").json()
    assert resume["section_id"] == str(sequence.usage_key) and resume["block_id"] == str(leaf.usage_key)
    assert client.post(f"/api/courseware/celebration/{key}", {"first_section": False}, format="json").status_code in (
        200, 201)
