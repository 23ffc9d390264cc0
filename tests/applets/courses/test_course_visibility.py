"""Course visibility, enrollment and load rules (docs/courseware.rst)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.contrib.auth.models import AnonymousUser

from openedx_learner_apis.api import get_outline
from openedx_learner_apis.applets.courses.visibility import (
    can_enroll,
    can_load_block,
    can_see_course,
    has_course_access,
    is_course_full,
    is_enrollment_open,
    is_invitation_only,
)
from openedx_learner_apis.applets.enrollments.models import Enrollment
from tests.course_builders import sequence_key, toy_course

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, tzinfo=dt_timezone.utc)


@pytest.fixture
def course():
    return toy_course()


def test_enrollment_window(course):
    assert is_enrollment_open(course, NOW)
    assert not is_enrollment_open(course, datetime(2029, 1, 1, tzinfo=dt_timezone.utc))


def test_see_course(course, learner):
    closed = datetime(2029, 1, 1, tzinfo=dt_timezone.utc)
    assert can_see_course(learner, course, enrollment=None, is_staff=False, now=NOW)
    assert not can_see_course(learner, course, enrollment=None, is_staff=False, now=closed)
    assert can_see_course(learner, course, enrollment=Enrollment(), is_staff=False, now=closed)
    assert can_see_course(learner, course, enrollment=None, is_staff=True, now=closed)
    course.course_visibility = "public_outline"
    assert can_see_course(AnonymousUser(), course, enrollment=None, is_staff=False, now=closed)
    course.visible_to_staff_only = True
    assert not can_see_course(learner, course, enrollment=Enrollment(), is_staff=False, now=NOW)


def test_enroll_rules(course, learner):
    assert can_enroll(learner, course, is_staff=False, invitation_only=False, is_full=False, now=NOW)
    assert not can_enroll(AnonymousUser(), course, is_staff=False, invitation_only=False, is_full=False, now=NOW)
    assert not can_enroll(learner, course, is_staff=False, invitation_only=True, is_full=False, now=NOW)
    assert not can_enroll(learner, course, is_staff=False, invitation_only=False, is_full=True, now=NOW)
    assert can_enroll(learner, course, is_staff=True, invitation_only=True, is_full=True, now=NOW)


def test_full_and_invitation(course):
    assert not is_course_full(course, 10)
    course.max_student_enrollments_allowed = 10
    assert is_course_full(course, 10) and not is_course_full(course, 9)
    assert is_invitation_only(course, invite_only_setting=True)
    assert not is_invitation_only(course, invite_only_setting=False)


def test_access_and_load(course, learner):
    assert not has_course_access(learner, course, enrollment=Enrollment(is_active=False), is_staff=False,
                                 anonymous_access=False)
    assert has_course_access(learner, course, enrollment=Enrollment(is_active=True), is_staff=False,
                             anonymous_access=False)
    course.course_visibility = "public"
    assert has_course_access(AnonymousUser(), course, enrollment=None, is_staff=False, anonymous_access=True)
    sequence = get_outline(sequence_key().course_key).get(sequence_key())
    assert can_load_block(sequence, course, is_staff=False, has_access=True, now=NOW)
    sequence.parent.start = NOW + timedelta(days=1)  # an unreleased chapter hides its sequences
    assert not can_load_block(sequence, course, is_staff=False, has_access=True, now=NOW)
    assert can_load_block(sequence, course, is_staff=True, has_access=False, now=NOW)
