"""Audit access expiry (course duration limits)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest

from openedx_learner_apis.api import enroll, grant_course_role, upsert_course, upsert_course_mode
from openedx_learner_apis.applets.enrollments.expiry import (
    DurationLimitConfigs,
    expected_duration,
    get_access_expiration,
    get_access_expirations,
    is_access_expired,
)
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Dur+2024"
AS_OF = datetime(2015, 1, 1, tzinfo=dt_timezone.utc)
START = datetime(2020, 1, 1, tzinfo=dt_timezone.utc)


@pytest.fixture
def course():
    course = upsert_course(KEY, display_name="Duration", start=START)
    upsert_course_mode(KEY, "audit")
    upsert_course_mode(KEY, "verified", min_price=49)
    return course


def _enable(**scope):
    return CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF, **scope)


def test_disabled_by_default(learner, course):
    enrollment = enroll(learner, KEY)
    assert get_access_expiration(learner, enrollment, course) is None


def test_enabled_gives_four_weeks_from_enrollment(learner, course):
    _enable()
    enrollment = enroll(learner, KEY)
    assert get_access_expiration(learner, enrollment, course) == enrollment.created + timedelta(weeks=4)


def test_course_start_later_than_enrollment_counts(learner, course):
    _enable()
    late_start = datetime(2100, 1, 1, tzinfo=dt_timezone.utc)
    course = upsert_course(KEY, start=late_start)
    enrollment = enroll(learner, KEY)
    assert get_access_expiration(learner, enrollment, course) == late_start + timedelta(weeks=4)


@pytest.mark.parametrize("weeks, expected", [(None, 4), (1, 4), (10, 10), (30, 18)])
def test_expected_duration_clamp(weeks, expected):
    class Course:
        expected_duration_weeks = weeks
    assert expected_duration(Course()) == timedelta(weeks=expected)


def test_non_audit_mode_never_expires(learner, course):
    _enable()
    enrollment = enroll(learner, KEY, mode="verified")
    assert get_access_expiration(learner, enrollment, course) is None


def test_needs_verified_mode(learner):
    _enable()
    course = upsert_course("course-v1:edX+NoVer+1", start=START)
    upsert_course_mode(course.course_key, "audit")
    enrollment = enroll(learner, course.course_key)
    assert get_access_expiration(learner, enrollment, course) is None


def test_expired_verified_mode_still_counts(learner, course):
    _enable()
    upsert_course_mode(KEY, "verified", expiration_datetime=datetime(2001, 1, 1, tzinfo=dt_timezone.utc))
    enrollment = enroll(learner, KEY)
    assert get_access_expiration(learner, enrollment, course) is not None


def test_enabled_after_enrollment_does_not_apply(learner, course):
    enrollment = enroll(learner, KEY)
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=enrollment.created + timedelta(days=1))
    assert get_access_expiration(learner, enrollment, course) is None


def test_enabled_without_date_does_not_apply(learner, course):
    CourseDurationLimitConfig.objects.create(enabled=True)
    assert get_access_expiration(learner, enroll(learner, KEY), course) is None


def test_most_specific_scope_wins(learner, course):
    _enable()
    CourseDurationLimitConfig.objects.create(enabled=False, org="edX")
    enrollment = enroll(learner, KEY)
    assert get_access_expiration(learner, enrollment, course) is None
    CourseDurationLimitConfig.objects.create(enabled=True, course_key=course.course_key)
    # the course row turns limits back on and inherits the global ``enabled_as_of``
    assert get_access_expiration(learner, enrollment, course) is not None


def test_latest_row_of_a_scope_wins(learner, course):
    _enable()
    CourseDurationLimitConfig.objects.create(enabled=False)
    assert get_access_expiration(learner, enroll(learner, KEY), course) is None


def test_other_org_scope_ignored(learner, course):
    _enable(org="OtherX")
    assert get_access_expiration(learner, enroll(learner, KEY), course) is None
    assert DurationLimitConfigs.load().enabled_as_of(course.course_key) is None


@pytest.mark.parametrize("role", ["staff", "instructor", "beta_testers"])
def test_course_roles_exempt(learner, course, role):
    _enable()
    enrollment = enroll(learner, KEY)
    grant_course_role(learner, KEY, role)
    assert get_access_expiration(learner, enrollment, course) is None


def test_org_staff_and_global_staff_exempt(learner, staff_user, course):
    _enable()
    assert get_access_expiration(staff_user, enroll(staff_user, KEY), course) is None
    grant_course_role(learner, None, "staff", org="edX")
    assert get_access_expiration(learner, enroll(learner, KEY), course) is None


def test_not_enrolled_counts_from_now(learner, course):
    _enable()
    now = datetime(2030, 6, 1, tzinfo=dt_timezone.utc)
    assert get_access_expiration(learner, None, course, now=now) == now + timedelta(weeks=4)


def test_anonymous_never_expires(course):
    from django.contrib.auth.models import AnonymousUser
    _enable()
    assert get_access_expiration(AnonymousUser(), None, course) is None


def test_prefetched_inputs_run_no_query(learner, course, django_assert_num_queries):
    _enable()
    enrollment = enroll(learner, KEY)
    config = DurationLimitConfigs.load()
    with django_assert_num_queries(0):
        assert get_access_expiration(learner, enrollment, course, modes=["audit", "verified"], roles=set(),
                                     config=config) is not None


def test_batch_is_constant_in_queries(learner, django_assert_num_queries):
    _enable()
    enrollments = []
    for index in range(5):
        key = f"course-v1:edX+B{index}+1"
        upsert_course(key, start=START)
        upsert_course_mode(key, "audit")
        upsert_course_mode(key, "verified")
        enrollments.append(enroll(learner, key))
    from openedx_learner_apis.applets.enrollments.models import Enrollment
    fresh = list(Enrollment.objects.select_related("course").filter(user=learner))
    with django_assert_num_queries(3):  # modes, roles and the duration limits snapshot
        result = get_access_expirations(learner, fresh)
    assert len(result) == 5 and all(value is not None for value in result.values())
    fresh = list(Enrollment.objects.select_related("course").filter(user=learner))
    with django_assert_num_queries(2):  # the snapshot now comes from the cache
        assert get_access_expirations(learner, fresh) == result


def test_is_access_expired():
    now = datetime(2024, 1, 1, tzinfo=dt_timezone.utc)
    assert not is_access_expired(None, now)
    assert is_access_expired(now - timedelta(seconds=1), now)
    assert not is_access_expired(now + timedelta(seconds=1), now)
