"""Mobile course access ("load_mobile", docs/mobile.rst): check order, messages and bypasses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.contrib.auth.models import AnonymousUser

from openedx_learner_apis.api import enroll, grant_course_role, upsert_course, upsert_course_mode
from openedx_learner_apis.applets.courses.dates import DEFAULT_START_DATE
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig
from openedx_learner_apis.features.mobile.access import GRANTED, MobileAccess

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Acc+1"
NOW = datetime(2024, 6, 1, 12, tzinfo=dt_timezone.utc)


def check(user, **fields):
    course = upsert_course(KEY, **{"mobile_available": True, **fields})
    enrollment = enroll(user, KEY) if user.is_authenticated else None
    return MobileAccess(user, [course], now=NOW).check(course, enrollment)


def test_granted(learner):
    assert check(learner) is GRANTED and check(learner).as_dict()["has_access"] is True


def test_not_started_messages(learner):
    start = datetime(2024, 7, 4, tzinfo=dt_timezone.utc)
    result = check(learner, start=start)
    assert result.error_code == "course_not_started"
    assert result.user_message == "Course does not start until July 4, 2024"
    result = check(learner, start=DEFAULT_START_DATE)
    assert result.developer_message == result.user_message == "Course has not started"


def test_first_failure_wins(learner):
    result = check(learner, visible_to_staff_only=True, start=NOW + timedelta(days=1), mobile_available=False)
    assert result.error_code == "not_visible_to_user"


def test_old_style_key(learner):
    upsert_course("edX/Old/2012", mobile_available=True, display_name="Old")
    from openedx_learner_apis.applets.courses.models import Course
    course = Course.objects.get(course_key="edX/Old/2012")
    result = MobileAccess(learner, [course], now=NOW).check(course, enroll(learner, "edX/Old/2012"))
    assert (result.error_code, result.user_message) == ("old_mongo", "Old is no longer available.")


def test_audit_expired(learner):
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=datetime(2015, 1, 1, tzinfo=dt_timezone.utc))
    upsert_course(KEY, display_name="Acc")
    upsert_course_mode(KEY, "audit")
    upsert_course_mode(KEY, "verified")
    assert check(learner) is GRANTED  # enrolled just now: four weeks left
    later = MobileAccess(learner, [upsert_course(KEY)], now=NOW + timedelta(days=3650))
    from openedx_learner_apis.api import get_enrollment
    result = later.check(upsert_course(KEY), get_enrollment(learner, KEY))
    assert result.error_code == "audit_expired" and result.additional_context_user_message.startswith("Access to Acc")


def test_not_enrolled(learner):
    course = upsert_course(KEY, mobile_available=True)
    assert MobileAccess(learner, [course], now=NOW).check(course, None).error_code == "enrollment_required"


def test_staff_bypass_everything(learner, staff_user):
    assert check(staff_user, visible_to_staff_only=True, mobile_available=False) is GRANTED
    grant_course_role(learner, KEY, "instructor")
    assert check(learner, start=NOW + timedelta(days=3)) is GRANTED


def test_anonymous_never_passes():
    assert check(AnonymousUser()).error_code == "enrollment_required"
